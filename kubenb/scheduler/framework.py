"""The scheduling framework in miniature: Filter and Score plugins, FitError, host selection.

Mirrors kubernetes pkg/scheduler/framework (types.go: NodeInfo, FitError,
Diagnosis; runtime/framework.go: RunFilterPlugins stops at the first plugin
that rejects a node) and schedule_one.go (findNodesThatFitPod,
prioritizeNodes, selectHost: a reservoir pick among the best scores).

A Filter plugin is ``filter(pod, node_info) -> Rejection | None``; a Score
plugin is ``scores(pod, nodes) -> list[int] | None`` (0..100 per node after its
own normalisation; None when PreScore would Skip it) with a weight. The
CycleState holds what PreFilter would compute once per Pod. Left out:
extenders, percentageOfNodesToScore (every node is scored: clusters here are
small), volume and inter-pod affinity plugins.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

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
    cordon): evicting Pods would not change the answer. ``plugin`` names the
    plugin that rejected (the queue's UnschedulablePlugins: which cluster events
    may make the Pod schedulable again).
    """

    reasons: tuple[str, ...]
    resolvable: bool = False
    plugin: str = ""


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
    the Pod's requests and the parts of its spec every node's Filter and Score read, taken out of the
    Pod once instead of once per node."""

    __slots__ = ("pod", "requests", "non_zero_requests", "per_node", "tolerations")

    def __init__(self, pod: dict, requests: tuple[dict[str, int], dict[str, int]] | None = None) -> None:
        self.pod = pod
        if requests is None:
            requests = (pod_requests(pod), pod_requests(pod, non_zero=True))
        self.requests, self.non_zero_requests = requests
        # Values several Score plugins derive from the same nodes: id(list of NodeInfo) -> (that list, value).
        self.per_node: dict[int, tuple[list[NodeInfo], object]] = {}
        self.tolerations: list[dict] = pod.get("spec", {}).get("tolerations") or []


_cycle: CycleState | None = None


def begin_cycle(pod: dict, requests: tuple[dict[str, int], dict[str, int]] | None = None) -> CycleState:
    """Start scheduling ``pod``: its requests are summed now (the pod must not change until end_cycle).

    ``requests`` is ``(pod_requests(pod), pod_requests(pod, non_zero=True))`` when the caller has them.
    """
    global _cycle  # noqa: PLW0603 - one scheduling cycle at a time, as the scheduler's single worker
    _cycle = CycleState(pod, requests)
    return _cycle


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


def pod_key(pod: dict) -> object:
    md = pod.get("metadata", {})
    return md.get("uid") or (md.get("namespace") or "", md.get("name", ""))


class _PodEntry:
    """One Pod's share of a NodeInfo, kept so that removing it subtracts exactly what adding it added."""

    __slots__ = ("pod", "requests", "non_zero_cpu", "non_zero_memory", "priority", "owner")

    def __init__(self, pod: dict, requests: dict[str, int], non_zero: dict[str, int]) -> None:
        self.pod = pod
        self.requests = requests
        self.non_zero_cpu = non_zero.get("cpu", 0)
        self.non_zero_memory = non_zero.get("memory", 0)
        self.priority = int(pod.get("spec", {}).get("priority") or 0)
        ref = objects.controller_ref(pod)
        # (has a controller, its uid): Pods whose controller reference has no uid count together under None.
        self.owner: tuple[bool, str | None] = (ref is not None, None if ref is None else ref.get("uid"))


class NodeInfo:
    """framework.NodeInfo: a node with the Pods assigned to it and what they request.

    Kept up to date Pod by Pod (``add_pod``/``remove_pod``/``update_pod``), as the
    scheduler cache does, so no sync rebuilds it from every Pod in the cluster.
    """

    __slots__ = ("node", "name", "allocatable", "requested", "non_zero_requested", "by_controller",
                 "_entries", "_priorities", "hard_taints", "prefer_taints", "unschedulable", "labels",
                 "pod_count", "max_pods", "free_cpu", "free_memory", "free_ephemeral_storage",
                 "cpu_capacity", "memory_capacity", "non_zero_cpu", "non_zero_memory")

    def __init__(self, node: dict) -> None:
        self._entries: dict[object, _PodEntry] = {}
        self.requested: dict[str, int] = {}
        self.non_zero_requested: dict[str, int] = {"cpu": 0, "memory": 0}
        # Pods per controller uid (None: no uid on the controller reference), for topology spreading.
        self.by_controller: dict[str | None, int] = {}
        # How many of the node's Pods have each spec.priority: preemption skips a node at once when no Pod
        # there has a lower priority than the preemptor.
        self._priorities: dict[int, int] = {}
        # Plain numbers that every scheduling cycle reads for every node (the Filter and Score passes over all
        # nodes in scheduler.py and plugins): kept up to date as Pods and the node change, instead of being
        # looked up in the dicts above once per (Pod, node). See _refresh.
        self.pod_count = 0
        self.non_zero_cpu = self.non_zero_memory = 0  # non_zero_requested's two values
        self.set_node(node)

    def set_node(self, node: dict) -> None:
        """A new version of the node: what Filter and Score read from it for every Pod, parsed once."""
        self.node = node
        self.name: str = node["metadata"]["name"]
        self.allocatable: dict[str, int] = node_allocatable(node)
        spec = node.get("spec") or {}
        taints = spec.get("taints") or []
        self.hard_taints: list[dict] = [t for t in taints if t.get("effect") in ("NoSchedule", "NoExecute")]
        self.prefer_taints: list[dict] = [t for t in taints if t.get("effect") == "PreferNoSchedule"]
        self.unschedulable: bool = bool(spec.get("unschedulable"))
        self.labels: dict[str, str] = node.get("metadata", {}).get("labels") or {}
        allocatable = self.allocatable
        self.max_pods: int = allocatable.get("pods", 110)
        # The denominators of the resource fractions NodeResourcesFit and BalancedAllocation score with.
        self.cpu_capacity: int = max(1, allocatable.get("cpu", 1))
        self.memory_capacity: int = max(1, allocatable.get("memory", 1))
        self._refresh()

    def _refresh(self) -> None:
        """What is left of each resource NodeResourcesFit checks first (allocatable minus requested)."""
        allocatable, requested = self.allocatable, self.requested
        self.free_cpu: int = allocatable.get("cpu", 0) - requested.get("cpu", 0)
        self.free_memory: int = allocatable.get("memory", 0) - requested.get("memory", 0)
        self.free_ephemeral_storage: int = (allocatable.get("ephemeral-storage", 0)
                                            - requested.get("ephemeral-storage", 0))

    # --- the Pods ----------------------------------------------------------------------------------
    @property
    def pods(self) -> list[dict]:
        """The node's Pods in (namespace, name) order, as a list of the store gives them."""
        return sorted((e.pod for e in self._entries.values()),
                      key=lambda p: (p["metadata"].get("namespace") or "", p["metadata"].get("name", "")))

    @property
    def min_priority(self) -> int | None:
        """The lowest spec.priority among the node's Pods (None: no Pods)."""
        return min(self._priorities) if self._priorities else None

    def has_pod(self, pod: dict) -> bool:
        return pod_key(pod) in self._entries

    def add_pod(self, pod: dict, requests: tuple[dict[str, int], dict[str, int]] | None = None) -> None:
        if requests is None:
            requests = (pod_requests(pod), pod_requests(pod, non_zero=True))
        key = pod_key(pod)
        if key in self._entries:
            self._remove(key)
        entry = _PodEntry(pod, *requests)
        self._entries[key] = entry
        self._apply(entry, 1)

    def remove_pod(self, pod: dict) -> None:
        key = pod_key(pod)
        if key in self._entries:
            self._remove(key)

    def update_pod(self, pod: dict) -> None:
        """A new version of a Pod already here: requests are immutable, so only the owner may change."""
        key = pod_key(pod)
        entry = self._entries.get(key)
        if entry is None:
            self.add_pod(pod)
            return
        ref = objects.controller_ref(pod)
        owner = (ref is not None, None if ref is None else ref.get("uid"))
        if owner != entry.owner:
            self._count_owner(entry.owner, -1)
            entry.owner = owner
            self._count_owner(owner, 1)
        entry.pod = pod

    def entry_requests(self, pod: dict) -> tuple[dict[str, int], dict[str, int]] | None:
        """The requests recorded for ``pod`` when it joined this node (None: not here)."""
        entry = self._entries.get(pod_key(pod))
        if entry is None:
            return None
        return entry.requests, {"cpu": entry.non_zero_cpu, "memory": entry.non_zero_memory}

    def _remove(self, key: object) -> None:
        self._apply(self._entries.pop(key), -1)

    def _count_owner(self, owner: tuple[bool, str | None], sign: int) -> None:
        if not owner[0]:
            return
        count = self.by_controller.get(owner[1], 0) + sign
        if count:
            self.by_controller[owner[1]] = count
        else:
            del self.by_controller[owner[1]]

    def _apply(self, entry: _PodEntry, sign: int) -> None:
        requested = self.requested
        for name, amount in entry.requests.items():
            total = requested.get(name, 0) + sign * amount
            if total or sign > 0:
                requested[name] = total
            else:
                del requested[name]
        self.non_zero_requested["cpu"] += sign * entry.non_zero_cpu
        self.non_zero_requested["memory"] += sign * entry.non_zero_memory
        self.non_zero_cpu = self.non_zero_requested["cpu"]
        self.non_zero_memory = self.non_zero_requested["memory"]
        self._count_owner(entry.owner, sign)
        count = self._priorities.get(entry.priority, 0) + sign
        if count:
            self._priorities[entry.priority] = count
        else:
            del self._priorities[entry.priority]
        self.pod_count = len(self._entries)
        self._refresh()


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
