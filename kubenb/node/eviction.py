"""The kubelet's eviction manager for memory: node-pressure eviction and MemoryPressure.

Mirrors pkg/kubelet/eviction (eviction_manager.go ``synchronize``,
``evictPod`` and ``Admit``; helpers.go ``rankMemoryPressure``,
``evictionMessage``, ``thresholdsMet``, ``nodeConditionsObservedSince``)
and the MemoryPressure setter of pkg/kubelet/nodestatus/setters.go.

The signal is ``memory.available = capacity - working set of the node``
against the kubelet's default hard threshold ``memory.available<100Mi``.
When it is met, a housekeeping pass (every 10s) records
EvictionThresholdMet on the Node, reports MemoryPressure=True and evicts ONE
Pod, ranked as upstream: usage above requests first, then lower priority,
then the largest usage above requests. The evicted Pod keeps existing:
phase Failed, reason Evicted, the upstream message, a DisruptionTarget
condition (TerminationByKubelet), its containers stopped with a 1s grace
period. MemoryPressure goes back to False once the threshold has not been
met for the pressure transition period (5m). While it is True the kubelet
rejects new BestEffort Pods (``admit``).

Timers, not a resync: a Pod change on the node (a container starts or
stops: the only moments usage changes) arms the next 10s housekeeping
tick; a pass re-arms the next one only while the node is under the
threshold (every 10s) or in its transition period (at its end), and the
manager sleeps otherwise.

Left out: other signals (disk, PIDs, allocatableMemory.available), soft
thresholds and min-reclaim, the memcg notifier, the 30s wait for the
evicted Pod's cleanup, the up-to-10s delay before the node status carries
the condition (it is written at once), a kernel OOM kill when usage goes
beyond capacity (usage is simply counted: ``available`` may go negative).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kubenb.api import errors, objects
from kubenb.api import quantity as quantities
from kubenb.node import images
from kubenb.reconcile import ObjectKey, Result, Watch
from kubenb.sim.clock import format_rfc3339

if TYPE_CHECKING:
    from kubenb.node import NodeAgents
    from kubenb.node.kubelet import Kubelet

MEMORY_THRESHOLD = 100 * 1024 * 1024  # evictionHard memory.available<100Mi (kubelet default)
THRESHOLD_TEXT = "100Mi"
MONITORING_INTERVAL = 10.0  # housekeeping: one synchronize (and at most one eviction) per interval
PRESSURE_TRANSITION_PERIOD = 300.0  # evictionPressureTransitionPeriod
IMMEDIATE_GRACE_SECONDS = 1.0  # immediateEvictionGracePeriodSeconds, for hard thresholds
SYSTEM_CRITICAL_PRIORITY = 2_000_000_000
PAGE = 4096  # cgroup working sets count whole pages
_EPSILON = 1e-6

PRESSURE_CONDITION = {True: ("True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"),
                      False: ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available")}


def binary_quantity(value: int) -> str:
    """resource.NewQuantity(value, BinarySI).String()."""
    return str(quantities.from_int(value, quantities.BINARY_SI))


def next_tick(now: float) -> float:
    """The first housekeeping tick at or after ``now`` (ticks every 10s of virtual time)."""
    return math.ceil(now / MONITORING_INTERVAL - _EPSILON) * MONITORING_INTERVAL


def is_critical(pod: dict) -> bool:
    """kubelettypes.IsCriticalPod: static and mirror Pods, and system-critical priority."""
    annotations = objects.annotations(pod)
    if "kubernetes.io/config.mirror" in annotations or annotations.get("kubernetes.io/config.source", "api") != "api":
        return True
    spec = pod.get("spec", {})
    if spec.get("priorityClassName") in ("system-node-critical", "system-cluster-critical"):
        return True
    return int(spec.get("priority") or 0) >= SYSTEM_CRITICAL_PRIORITY


def memory_request(pod: dict) -> int:
    """GetResourceRequestQuantity(pod, memory): the containers' sum, or the largest init container's."""
    def request(container: dict) -> int:
        value = ((container.get("resources") or {}).get("requests") or {}).get("memory")
        return quantities.parse(str(value)).int_value() if value is not None else 0

    spec = pod.get("spec", {})
    total = sum(request(c) for c in spec.get("containers") or [])
    for container in spec.get("initContainers") or []:
        total = max(total, request(container))
    return total


def _tolerates_memory_pressure(pod: dict) -> bool:
    for toleration in pod.get("spec", {}).get("tolerations") or []:
        if toleration.get("effect") not in (None, "", "NoSchedule"):
            continue
        key = toleration.get("key") or ""
        if (toleration.get("operator") or "Equal") == "Exists":
            if key in ("", "node.kubernetes.io/memory-pressure"):
                return True
        elif key == "node.kubernetes.io/memory-pressure" and not toleration.get("value"):
            return True
    return False


class EvictionManager:
    """The eviction manager of one node's kubelet, as a controller keyed by its Node."""

    def __init__(self, agents: NodeAgents, kubelet: Kubelet) -> None:
        self.agents = agents
        self.kubelet = kubelet
        self.node_name = kubelet.node_name
        self.name = f"eviction-manager/{self.node_name}"
        self.client = kubelet.client  # events and writes come from the kubelet
        self.key = ObjectKey("nodes", None, self.node_name)
        self.watches = [Watch("pods", self._keys, spec_field="nodeName", spec_value=self.node_name)]

    def _keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        if pod.get("spec", {}).get("nodeName") == self.node_name:
            return (self.key,)
        return ()

    @property
    def state(self) -> dict:
        node = self.agents.node_state(self.node_name)
        if "eviction" not in node:
            node["eviction"] = {"last_met": None, "pressure": False, "next_sync": None}
        return node["eviction"]

    def under_memory_pressure(self) -> bool:
        return bool(self.agents.node_state(self.node_name).get("eviction", {}).get("pressure"))

    # --- signals ---------------------------------------------------------------------------------------
    def pod_stats(self, pod: dict) -> dict[str, int] | None:
        """Working set per running container, or None when the Pod has no sandbox (no stats)."""
        record = self.agents.data["pods"].get(objects.uid(pod))
        if record is None or not record.get("ip"):
            return None
        usage = self.agents.pod_metrics(objects.namespace(pod) or "default", objects.name(pod)) or {}
        return {name: u["memory"] // PAGE * PAGE for name, u in usage.items()}

    def memory_available(self) -> int | None:
        """memory.available = node.status.capacity[memory] - node working set."""
        node = self.client.store.get("nodes", None, self.node_name)
        metrics = self.agents.node_metrics(self.node_name)
        if node is None or metrics is None:
            return None
        capacity = quantities.parse(str(((node.get("status") or {}).get("capacity") or {}).get("memory", "0")))
        working_set = -(-metrics["memory"] // PAGE) * PAGE
        return capacity.int_value() - working_set

    # --- reconcile -------------------------------------------------------------------------------------
    def reconcile(self, key: ObjectKey) -> Result:
        if self.agents.is_stopped(self.node_name):
            return Result()
        now = self.client.clock.now()
        state = self.state
        if state["next_sync"] is not None and now + _EPSILON >= state["next_sync"]:
            return self.synchronize(now)
        # A Pod on the node changed: the next housekeeping tick looks at the node (once, however many
        # Pods changed before it: a scale-up costs one pass per tick, not one per Pod update).
        tick = next_tick(now)
        if state["next_sync"] is not None and state["next_sync"] <= tick:
            return Result()  # already armed
        state["next_sync"] = tick
        return Result(requeue_after=max(0.0, tick - now))

    def synchronize(self, now: float) -> Result:
        """One housekeeping pass: observe, update MemoryPressure, evict at most one Pod."""
        state = self.state
        state["next_sync"] = None
        available = self.memory_available()
        if available is None:
            return Result()
        met = available < MEMORY_THRESHOLD
        if met:
            state["last_met"] = now
        pressure = state["last_met"] is not None and now - state["last_met"] < PRESSURE_TRANSITION_PERIOD - _EPSILON
        if pressure != state["pressure"]:
            state["pressure"] = pressure
            self.set_memory_pressure(pressure)
        if met:
            node = self.client.store.get("nodes", None, self.node_name)
            if node is not None:
                self.client.event(node, "Warning", "EvictionThresholdMet", "Attempting to reclaim memory",
                                  host=self.node_name)
            self.evict_one(available)
            state["next_sync"] = now + MONITORING_INTERVAL
        elif pressure:
            state["next_sync"] = next_tick(state["last_met"] + PRESSURE_TRANSITION_PERIOD)
        if state["next_sync"] is None:
            return Result()
        return Result(requeue_after=max(0.0, state["next_sync"] - now))

    # --- the node condition ------------------------------------------------------------------------------
    def set_memory_pressure(self, pressure: bool) -> None:
        status, reason, message = PRESSURE_CONDITION[pressure]
        now = self.client.now()

        def change(node: dict) -> None:
            for condition in node.get("status", {}).get("conditions") or []:
                if condition.get("type") == "MemoryPressure":
                    if condition.get("status") != status:
                        condition["lastTransitionTime"] = now
                    condition.update(status=status, reason=reason, message=message, lastHeartbeatTime=now)

        try:
            node = self.client.mutate("nodes", self.node_name, None, change, subresource="status")
        except errors.StatusError:
            return
        event = "NodeHasInsufficientMemory" if pressure else "NodeHasSufficientMemory"
        self.client.event(node, "Normal", event, f"Node {self.node_name} status is now: {event}", host=self.node_name)

    # --- eviction ------------------------------------------------------------------------------------------
    def active_pods(self) -> list[dict]:
        pods = []
        for pod in self.client.list_view("pods", field_selector=f"spec.nodeName={self.node_name}"):
            record = self.agents.data["pods"].get(objects.uid(pod))
            if record is None or record.get("final"):
                continue
            running = any(c["state"] == "running" for c in record["containers"].values())
            if objects.is_being_deleted(pod) and not running:
                continue  # filterOutInactivePods: a Pod being deleted counts while its containers run
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            pods.append(pod)
        return pods

    def rank_memory_pressure(self, pods: list[dict]) -> list[tuple[dict, dict[str, int] | None]]:
        """rankMemoryPressure: no stats first, then usage above requests, lower priority, larger excess."""
        ranked = []
        for index, pod in enumerate(pods):
            stats = self.pod_stats(pod)
            if stats is None:
                ranked.append(((0, 0, 0, index), pod, stats))
                continue
            usage = sum(stats.values())
            request = memory_request(pod)
            exceeds = usage > request
            priority = int(pod.get("spec", {}).get("priority") or 0)
            ranked.append(((1, 0 if exceeds else 1, priority, -(usage - request), index), pod, stats))
        ranked.sort(key=lambda entry: entry[0])
        return [(pod, stats) for _, pod, stats in ranked]

    def eviction_message(self, pod: dict, stats: dict[str, int] | None, available: int) -> str:
        """evictionMessage for memory, with the containers whose usage exceeds their request."""
        message = (f"The node was low on resource: memory. Threshold quantity: {THRESHOLD_TEXT}, "
                   f"available: {binary_quantity(available)}. ")
        if stats is None:
            return message
        spec = pod.get("spec", {})
        containers = (spec.get("containers") or []) + (spec.get("initContainers") or [])
        for name, usage in stats.items():
            container = next((c for c in containers if c.get("name") == name), None)
            if container is None:
                continue
            requested = ((container.get("resources") or {}).get("requests") or {}).get("memory")
            request = quantities.parse(str(requested)) if requested is not None else quantities.from_int(0)
            if usage > request.int_value():
                message += (f"Container {name} was using {binary_quantity(usage)}, request is {request}, "
                            f"has larger consumption of memory. ")
        return message

    def evict_one(self, available: int) -> None:
        """Evict the first Pod in rank order that may be evicted (critical Pods never are)."""
        for pod, stats in self.rank_memory_pressure(self.active_pods()):
            if is_critical(pod):
                continue
            self.evict_pod(pod, self.eviction_message(pod, stats, available))
            return

    def evict_pod(self, pod: dict, message: str) -> None:
        """evictPod: the Evicted event, containers killed (grace 1s), the Pod Failed/Evicted."""
        now = self.client.clock.now()
        pod = objects.clone(pod)  # it came from list_view: the store's own copy
        self.kubelet.event(pod, "Warning", "Evicted", message)
        record = self.agents.pod_record(pod, self.node_name)
        for container in (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or []):
            c = record["containers"].get(container["name"])
            if c is None or c["state"] != "running":
                continue
            self.kubelet.event(pod, "Normal", "Killing", f"Stopping container {c['name']}", c["name"], c["init"])
            entry = images.lookup(images.running_image(c)) or {}
            stop = entry.get("stopSeconds") if self.agents.runs_server(pod, container, c) else None
            graceful = stop is not None and float(stop) <= IMMEDIATE_GRACE_SECONDS
            self.kubelet.container_exited(pod, c, now, int(entry.get("stopExitCode", 0)) if graceful else 137)
        record["final"] = True
        status = pod.setdefault("status", {})
        status.update(phase="Failed", reason="Evicted", message=message)
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "DisruptionTarget"]
        conditions.append({"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": format_rfc3339(now), "reason": "TerminationByKubelet",
                           "message": message})
        status["conditions"] = conditions
        pod["status"] = self.agents.generate_status(pod, record, now)
        try:
            self.client.update(pod, subresource="status")
        except errors.StatusError:
            pass

    # --- admission -------------------------------------------------------------------------------------------
    def admit(self, pod: dict) -> str | None:
        """Admit: under MemoryPressure a BestEffort Pod that does not tolerate it is rejected (the message)."""
        if not self.under_memory_pressure() or is_critical(pod):
            return None
        from kubenb.node import qos_class

        if qos_class(pod) != "BestEffort" or _tolerates_memory_pressure(pod):
            return None
        return "The node had condition: [MemoryPressure]. "

    def reject_if_not_admitted(self, pod: dict) -> bool:
        """rejectPod: a Warning event with the reason, the Pod Failed with "Pod was rejected: <message>"."""
        message = self.admit(pod)
        if message is None:
            return False
        self.kubelet.event(pod, "Warning", "Evicted", message)
        status = pod.setdefault("status", {})
        status.update(phase="Failed", reason="Evicted", message=f"Pod was rejected: {message}")
        try:
            self.client.update(pod, subresource="status")
        except errors.StatusError:
            pass
        return True
