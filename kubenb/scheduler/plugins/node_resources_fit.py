"""NodeResourcesFit and NodeResourcesBalancedAllocation (plugins/noderesources).

Filter (fit.go fitsRequest): the Pod's requests plus what the node's Pods
already request must stay within allocatable, per resource, and the node may
not exceed its Pod count: ``Insufficient cpu``, ``Insufficient memory``,
``Too many pods``. Score: LeastAllocated over cpu and memory (weights 1, 1),
with containers without requests counted as 100m / 200Mi.
BalancedAllocation prefers nodes whose cpu and memory fractions are close.
"""

from __future__ import annotations

from kubenb.scheduler.framework import NodeInfo, Rejection, current_cycle, cycle_requests

NAME = "NodeResourcesFit"


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001
    allocatable = info.allocatable
    reasons = []
    if len(info.pods) + 1 > allocatable.get("pods", 110):
        reasons.append("Too many pods")
    requests = cycle_requests(pod)
    for name in ("cpu", "memory", "ephemeral-storage"):
        amount = requests.get(name, 0)
        if amount and amount > allocatable.get(name, 0) - info.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
    for name, amount in sorted(requests.items()):
        if name in ("cpu", "memory", "ephemeral-storage", "pods") or not amount:
            continue
        if amount > allocatable.get(name, 0) - info.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
    return Rejection(tuple(reasons), resolvable=True) if reasons else None


def _fractions(pod: dict, info: NodeInfo) -> tuple[float, float]:
    """The node's cpu and memory fractions with the Pod on it (both Score plugins read them)."""
    cycle = current_cycle(pod)
    if cycle is None:
        return _compute_fractions(pod, info)
    cached = cycle.per_node.get(id(info))
    if cached is not None and cached[0] is info:
        return cached[1]  # type: ignore[return-value]
    fractions = _compute_fractions(pod, info)
    cycle.per_node[id(info)] = (info, fractions)
    return fractions


def _compute_fractions(pod: dict, info: NodeInfo) -> tuple[float, float]:
    allocatable = info.allocatable
    wanted = cycle_requests(pod, non_zero=True)
    cpu = (info.non_zero_requested.get("cpu", 0) + wanted.get("cpu", 0)) / max(1, allocatable.get("cpu", 1))
    memory = ((info.non_zero_requested.get("memory", 0) + wanted.get("memory", 0))
              / max(1, allocatable.get("memory", 1)))
    return min(cpu, 1.0), min(memory, 1.0)


def score(pod: dict, info: NodeInfo, nodes: list[NodeInfo]) -> dict[str, int]:
    """leastRequestedScore: ((capacity - requested) * 100 / capacity), averaged over cpu and memory."""
    scores = {}
    for other in nodes:
        cpu, memory = _fractions(pod, other)
        scores[other.name] = int(((1 - cpu) * 100 + (1 - memory) * 100) // 2)
    return scores


class BalancedAllocation:
    """balanced_allocation.go: 100 minus the spread (std deviation) of the resource fractions."""

    NAME = "NodeResourcesBalancedAllocation"

    @staticmethod
    def score(pod: dict, info: NodeInfo, nodes: list[NodeInfo]) -> dict[str, int]:
        scores = {}
        for other in nodes:
            cpu, memory = _fractions(pod, other)
            std = abs(cpu - memory) / 2
            scores[other.name] = int((1 - std) * 100)
        return scores
