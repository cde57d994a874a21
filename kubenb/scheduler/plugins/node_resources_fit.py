"""NodeResourcesFit and NodeResourcesBalancedAllocation (plugins/noderesources).

Filter (fit.go fitsRequest): the Pod's requests plus what the node's Pods
already request must stay within allocatable, per resource, and the node may
not exceed its Pod count: ``Insufficient cpu``, ``Insufficient memory``,
``Too many pods``. Score: LeastAllocated over cpu and memory (weights 1, 1),
with containers without requests counted as 100m / 200Mi.
BalancedAllocation prefers nodes whose cpu and memory fractions are close.
"""

from __future__ import annotations

from kubenb.scheduler.framework import (
    NodeInfo,
    Rejection,
    current_cycle,
    cycle_requests,
    node_allocatable,
    pod_requests,
)

NAME = "NodeResourcesFit"


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001
    allocatable = info.allocatable
    requested = info.requested
    reasons = []
    if info.pod_count + 1 > allocatable.get("pods", 110):
        reasons.append("Too many pods")
    requests = cycle_requests(pod)
    if requests:  # a Pod that requests nothing only counts against the node's Pod limit
        for name in ("cpu", "memory", "ephemeral-storage"):
            amount = requests.get(name, 0)
            if amount and amount > allocatable.get(name, 0) - requested.get(name, 0):
                reasons.append(f"Insufficient {name}")
        for name, amount in sorted(requests.items()):
            if name in ("cpu", "memory", "ephemeral-storage", "pods") or not amount:
                continue
            if amount > allocatable.get(name, 0) - requested.get(name, 0):
                reasons.append(f"Insufficient {name}")
    return Rejection(tuple(reasons), resolvable=True, plugin=NAME) if reasons else None


def candidates(pod: dict, nodes: list[NodeInfo]) -> list[NodeInfo]:
    """The nodes ``filter`` may reject: full of Pods, or short of cpu, memory or ephemeral storage.

    (A superset: a request of 0 never rejects, but is compared here too.) A Pod requesting another
    resource (an extended one) is checked by ``filter`` on every node.
    """
    requests = cycle_requests(pod)
    if any(amount for name, amount in requests.items() if name not in _FIRST_CHECKED):
        return nodes
    cpu, memory = requests.get("cpu", 0), requests.get("memory", 0)
    storage = requests.get("ephemeral-storage", 0)
    return [info for info in nodes
            if info.pod_count >= info.max_pods or cpu > info.free_cpu or memory > info.free_memory
            or storage > info.free_ephemeral_storage]


# The resources ``filter`` checks first, in this order, and the Pod count (not a request).
_FIRST_CHECKED = ("cpu", "memory", "ephemeral-storage", "pods")


def fits_allocatable(pod: dict, node: dict) -> bool:
    """isFit (the queueing hint): would ``pod`` fit ``node`` if the node ran nothing else?"""
    probe = NodeInfo(node)
    return filter(pod, probe) is None


def requested_resources_increased(pod: dict, old_node: dict, new_node: dict) -> bool:
    """haveAnyRequestedResourcesIncreased: more Pods allowed, or more of something the Pod requests."""
    old, new = node_allocatable(old_node), node_allocatable(new_node)
    if new.get("pods", 0) > old.get("pods", 0):
        return True
    return any(amount and new.get(name, 0) > old.get(name, 0) for name, amount in pod_requests(pod).items())


def _fractions(pod: dict, nodes: list[NodeInfo]) -> list[tuple[float, float]]:
    """Each node's cpu and memory fractions with the Pod on it (both Score plugins read them)."""
    cycle = current_cycle(pod)
    if cycle is not None:
        cached = cycle.per_node.get(id(nodes))
        if cached is not None and cached[0] is nodes:
            return cached[1]  # type: ignore[return-value]
    wanted = cycle_requests(pod, non_zero=True)
    wanted_cpu, wanted_memory = wanted.get("cpu", 0), wanted.get("memory", 0)
    # One comprehension over the nodes (called for every Pod and node), without an intermediate list:
    # "x if x <= 1.0 else 1.0" is min(x, 1.0).
    fractions = [(cpu if (cpu := (info.non_zero_cpu + wanted_cpu) / info.cpu_capacity) <= 1.0 else 1.0,
                  memory if (memory := (info.non_zero_memory + wanted_memory) / info.memory_capacity) <= 1.0
                  else 1.0)
                 for info in nodes]
    if cycle is not None:
        cycle.per_node[id(nodes)] = (nodes, fractions)  # type: ignore[assignment]
    return fractions


def scores(pod: dict, nodes: list[NodeInfo]) -> list[int] | None:
    """leastRequestedScore: ((capacity - requested) * 100 / capacity), averaged over cpu and memory."""
    return [int(((1 - cpu) * 100 + (1 - memory) * 100) // 2) for cpu, memory in _fractions(pod, nodes)]


class BalancedAllocation:
    """balanced_allocation.go: 100 minus the spread (std deviation) of the resource fractions."""

    NAME = "NodeResourcesBalancedAllocation"

    @staticmethod
    def scores(pod: dict, nodes: list[NodeInfo]) -> list[int] | None:
        return [int((1 - abs(cpu - memory) / 2) * 100) for cpu, memory in _fractions(pod, nodes)]
