"""TaintToleration (plugins/tainttoleration): NoSchedule/NoExecute taints must be tolerated.

Filter: the first untolerated NoSchedule or NoExecute taint rejects the node
with ``node(s) had untolerated taint {key: value}``. Score: fewer untolerated
PreferNoSchedule taints is better. ``tolerates`` is v1.Toleration.ToleratesTaint.
"""

from __future__ import annotations

from kubenb.scheduler.framework import NodeInfo, Rejection, current_cycle

NAME = "TaintToleration"


def toleration_matches(toleration: dict, taint: dict) -> bool:
    if toleration.get("effect") and toleration.get("effect") != taint.get("effect"):
        return False
    key = toleration.get("key", "")
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if not key:
        return False  # an empty key with Equal matches nothing
    return (toleration.get("value") or "") == (taint.get("value") or "")


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    return any(toleration_matches(t, taint) for t in tolerations)


def untolerated_taint(pod: dict, node: dict, effects: tuple[str, ...] = ("NoSchedule", "NoExecute")) -> dict | None:
    tolerations = pod.get("spec", {}).get("tolerations") or []
    for taint in node.get("spec", {}).get("taints") or []:
        if taint.get("effect") in effects and not tolerates(tolerations, taint):
            return taint
    return None


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001
    if not info.hard_taints:
        return None  # most nodes have no NoSchedule/NoExecute taint: nothing to tolerate
    cycle = current_cycle(pod)
    tolerations = cycle.tolerations if cycle is not None else pod.get("spec", {}).get("tolerations") or []
    for taint in info.hard_taints:
        if not tolerates(tolerations, taint):
            return Rejection((f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}",),
                             plugin=NAME)
    return None


def candidates(pod: dict, nodes: list[NodeInfo]) -> list[NodeInfo]:
    """The nodes ``filter`` may reject: those with a NoSchedule or NoExecute taint."""
    return [info for info in nodes if info.hard_taints]


def scores(pod: dict, nodes: list[NodeInfo]) -> list[int] | None:
    """Per node: 100 for the fewest intolerable PreferNoSchedule taints, down to 0 for the most.

    None when no node has such a taint: every node would score 100, which ranks nothing.
    """
    if not any([info.prefer_taints for info in nodes]):  # a list: cheaper than a generator when none has any
        return None
    tolerations = [t for t in pod.get("spec", {}).get("tolerations") or []
                   if t.get("effect") in (None, "", "PreferNoSchedule")]
    counts = [sum(1 for taint in info.prefer_taints if not tolerates(tolerations, taint)) for info in nodes]
    worst = max(counts)
    if worst == 0:
        return None
    return [100 - count * 100 // worst for count in counts]
