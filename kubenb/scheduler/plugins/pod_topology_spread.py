"""PodTopologySpread scoring with the default system constraints (plugins/podtopologyspread).

With no constraints of its own a Pod gets the system defaults: spread over
``kubernetes.io/hostname`` (maxSkew 3) and ``topology.kubernetes.io/zone``
(maxSkew 5), both ScheduleAnyway, so they only score. The Pods counted are
those of the same controller (upstream: those its Services, ReplicaSets or
StatefulSets select), which is what spreads a Deployment's replicas over the
workers. Explicit DoNotSchedule constraints are left out.
"""

from __future__ import annotations

from kubenb.api import objects
from kubenb.scheduler.framework import NodeInfo

NAME = "PodTopologySpread"


def _siblings_on(pod: dict, info: NodeInfo) -> int:
    ref = objects.controller_ref(pod)
    if ref is None:
        return 0
    return info.by_controller.get(ref.get("uid"), 0)  # counted as Pods join the node, not rescanned


def score(pod: dict, info: NodeInfo, nodes: list[NodeInfo]) -> dict[str, int]:
    """Fewer matching Pods on the node scores higher (normalised to 0..100)."""
    counts = {other.name: _siblings_on(pod, other) for other in nodes}
    most = max(counts.values(), default=0)
    least = min(counts.values(), default=0)
    if most == least:
        return {name: 100 for name in counts}
    return {name: (most - count) * 100 // (most - least) for name, count in counts.items()}
