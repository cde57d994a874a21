"""NodeUnschedulable (plugins/nodeunschedulable): a cordoned node takes only Pods that tolerate it.

A Pod passes a node with spec.unschedulable when it tolerates the
``node.kubernetes.io/unschedulable:NoSchedule`` taint (DaemonSet Pods do).
"""

from __future__ import annotations

from kubenb.scheduler.framework import NodeInfo, Rejection
from kubenb.scheduler.plugins.taint_toleration import tolerates

NAME = "NodeUnschedulable"
REASON = "node(s) were unschedulable"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001 - the upstream extension point name
    if not info.unschedulable:
        return None
    if tolerates(pod.get("spec", {}).get("tolerations") or [], UNSCHEDULABLE_TAINT):
        return None
    return Rejection((REASON,), plugin=NAME)


def candidates(pod: dict, nodes: list[NodeInfo]) -> list[NodeInfo]:
    """The nodes ``filter`` may reject: the cordoned ones."""
    return [info for info in nodes if info.unschedulable]
