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


def scores(pod: dict, nodes: list[NodeInfo]) -> list[int] | None:
    """Fewer matching Pods on the node scores higher (normalised to 0..100); None when every node
    scores the same (a Pod without a controller, or its siblings spread evenly): ranking unchanged."""
    ref = objects.controller_ref(pod)
    if ref is None:
        return None  # PreScore Skip: no siblings to spread from
    owner = ref.get("uid")
    counts = [info.by_controller.get(owner, 0) for info in nodes]
    most, least = max(counts), min(counts)
    if most == least:
        return None
    return [(most - count) * 100 // (most - least) for count in counts]
