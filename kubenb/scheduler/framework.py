"""The scheduling framework in miniature: Filter and Score plugins, FitError, host selection.

Mirrors kubernetes pkg/scheduler/framework (types.go: NodeInfo, FitError,
Diagnosis; runtime/framework.go: RunFilterPlugins stops at the first plugin
that rejects a node) and schedule_one.go (findNodesThatFitPod,
prioritizeNodes, selectHost: a reservoir pick among the best scores).

A Filter plugin is ``filter(pod, node_info) -> Rejection | None``; a Score
plugin is ``score(pod, node_info, state) -> int`` (0..100 after its own
normalisation) with a weight. Left out: PreFilter/PreScore caches, extenders,
percentageOfNodesToScore (every node is scored: clusters here are small),
volume and inter-pod affinity plugins.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from kubenb.api import objects, quantity

# NoNodeAvailableMsg and the separator FitError.Error() uses (" %v." after each part).
NO_NODE_AVAILABLE = "0/{} nodes are available"

# Requests assumed for scoring when a container has none (schedutil.DefaultMilliCPURequest, DefaultMemoryRequest).
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Rejection:
    """A Filter plugin's non-success status: its reasons, and whether preemption could help.

    ``resolvable`` False is UnschedulableAndUnresolvable (a taint, a selector, a
    cordon): evicting Pods would not change the answer.
    """

    reasons: tuple[str, ...]
    resolvable: bool = False


@functools.lru_cache(maxsize=4096)
def _parse_milli(text: str) -> int:
    try:
        return quantity.parse(text).milli_value()
    except (ValueError, TypeError):
        return 0


@functools.lru_cache(maxsize=4096)
def _parse_value(text: str) -> int:
    try:
        return quantity.parse(text).int_value()
    except (ValueError, TypeError):
        return 0


def milli_cpu(text: object) -> int:
    return _parse_milli(str(text))



def bytes_of(text: object) -> int:
    return _parse_value(str(text))



def pod_requests(pod: dict, *, non_zero: bool = False) -> dict[str, int]:
    """resourcehelper.PodRequests: sum of containers, at least the largest init container, plus overhead.

    cpu in millicores, memory and other resources in units. ``non_zero`` gives a
    container without a request the scoring defaults (100m, 200Mi).
    """
    spec = pod.get("spec", {})
    total: dict[str, int] = {}
    for container in spec.get("containers") or []:
        requests = (container.get("resources") or {}).get("requests") or {}
        for name, value in requests.items():
            total[name] = total.get(name, 0) + (milli_cpu(value) if name == "cpu" else bytes_of(value))
        if non_zero:
            if "cpu" not in requests:
                total["cpu"] = total.get("cpu", 0) + DEFAULT_MILLI_CPU
            if "memory" not in requests:
                total["memory"] = total.get("memory", 0) + DEFAULT_MEMORY
    for container in spec.get("initContainers") or []:
        requests = (container.get("resources") or {}).get("requests") or {}
        for name, value in requests.items():
            amount = milli_cpu(value) if name == "cpu" else bytes_of(value)
            total[name] = max(total.get(name, 0), amount)
    for name, value in (spec.get("overhead") or {}).items():
        total[name] = total.get(name, 0) + (milli_cpu(value) if name == "cpu" else bytes_of(value))
    return total


def node_allocatable(node: dict) -> dict[str, int]:
    allocatable = node.get("status", {}).get("allocatable") or {}
    return {name: (milli_cpu(v) if name == "cpu" else bytes_of(v)) for name, v in allocatable.items()}


class CycleState:
    """What PreFilter computes once per scheduling attempt (upstream keeps it in framework.CycleState):
    the Pod's requests, read by every node's Filter and Score instead of being summed again per node."""

    __slots__ = ("pod", "requests", "non_zero_requests", "per_node")

    def __init__(self, pod: dict) -> None:
        self.pod = pod
        self.requests = pod_requests(pod)
        self.non_zero_requests = pod_requests(pod, non_zero=True)
        # Values several Score plugins derive from one node: id(NodeInfo) -> (NodeInfo, value).
        self.per_node: dict[int, tuple[NodeInfo, object]] = {}


_cycle: CycleState | None = None


def begin_cycle(pod: dict) -> None:
    """Start scheduling ``pod``: its requests are summed now (the pod must not change until end_cycle)."""
    global _cycle  # noqa: PLW0603 - one scheduling cycle at a time, as the scheduler's single worker
    _cycle = CycleState(pod)


def end_cycle() -> None:
    global _cycle  # noqa: PLW0603
    _cycle = None


def current_cycle(pod: dict) -> CycleState | None:
    """The cycle state while ``pod`` is being scheduled (None otherwise)."""
    cycle = _cycle
    return cycle if cycle is not None and cycle.pod is pod else None


def cycle_requests(pod: dict, *, non_zero: bool = False) -> dict[str, int]:
    """``pod_requests`` for the Pod being scheduled (from the cycle state), or summed now for another."""
    cycle = _cycle
    if cycle is not None and cycle.pod is pod:
        return cycle.non_zero_requests if non_zero else cycle.requests
    return pod_requests(pod, non_zero=non_zero)


@dataclass(slots=True)
class NodeInfo:
    """framework.NodeInfo: a node with the Pods assigned to it and what they request."""

    node: dict
    pods: list[dict] = field(default_factory=list)
    requested: dict[str, int] = field(default_factory=dict)
    non_zero_requested: dict[str, int] = field(default_factory=dict)
    # Pods per controller uid (None: no uid on the controller reference), for topology spreading.
    by_controller: dict[str | None, int] = field(default_factory=dict)
    # node_allocatable(node), parsed once: Filter and Score read it for every Pod.
    allocatable: dict[str, int] = field(init=False)
    name: str = field(init=False)  # the node's name, read for every Pod by every plugin
    # The lowest spec.priority among the node's Pods (None: no Pods): preemption skips a node at once
    # when no Pod there has a lower priority than the preemptor.
    min_priority: int | None = None

    def __post_init__(self) -> None:
        self.allocatable = node_allocatable(self.node)
        self.name = self.node["metadata"]["name"]

    def add_pod(self, pod: dict) -> None:
        self.pods.append(pod)
        priority = int(pod.get("spec", {}).get("priority") or 0)
        if self.min_priority is None or priority < self.min_priority:
            self.min_priority = priority
        ref = objects.controller_ref(pod)
        if ref is not None:
            owner = ref.get("uid")
            self.by_controller[owner] = self.by_controller.get(owner, 0) + 1
        for name, amount in pod_requests(pod).items():
            self.requested[name] = self.requested.get(name, 0) + amount
        non_zero = pod_requests(pod, non_zero=True)
        for name in ("cpu", "memory"):
            amount = non_zero.get(name, 0)
            self.non_zero_requested[name] = self.non_zero_requested.get(name, 0) + amount

    def remove_pod(self, pod: dict) -> None:
        uid = pod["metadata"].get("uid")
        kept = [p for p in self.pods if p["metadata"].get("uid") != uid]
        self.pods = []
        self.requested = {}
        self.non_zero_requested = {}
        self.by_controller = {}
        self.min_priority = None
        for p in kept:
            self.add_pod(p)


def fit_error_message(num_nodes: int, rejections: dict[str, Rejection], *, pre_filter: str = "",
                      post_filter: str = "") -> str:
    """FitError.Error(): "0/3 nodes are available: <histogram>." plus the PostFilter message.

    The histogram counts each reason once per node, as "<count> <reason>",
    sorted as strings. The preemption message ends in its own period, so the
    whole text ends in ".." as real clusters show it.
    """
    message = NO_NODE_AVAILABLE.format(num_nodes) + ":"
    if pre_filter:
        message += f" {pre_filter}."
    else:
        message += f" {histogram(rejections)}."
    if post_filter:
        message += f" {post_filter}."
    return message


def histogram(rejections: dict[str, Rejection] | dict[str, tuple[str, ...]]) -> str:
    counts: dict[str, int] = {}
    for value in rejections.values():
        reasons = value.reasons if isinstance(value, Rejection) else value
        for reason in reasons:
            counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))
