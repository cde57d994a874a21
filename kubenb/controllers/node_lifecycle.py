"""Node lifecycle: a node whose kubelet went quiet becomes NotReady, tainted, and its Pods are evicted.

Mirrors kubernetes pkg/controller/nodelifecycle (monitorNodeHealth,
tryUpdateNodeHealth, MarkPodsNotReady, doNoExecuteTaintingPass,
TaintNodesByCondition for cordoned nodes and pressure conditions) and pkg/controller/tainteviction
(the taint-eviction-controller: a Pod that does not tolerate a NoExecute
taint is deleted at once, one that tolerates it for tolerationSeconds is
deleted when they run out; the defaulted 300s tolerations give the
familiar five minutes).

Heartbeats are not simulated (no periodic writes): the cluster tells the
controller when a kubelet stops (``kubelet_stopped``) and it acts as if it
had watched the Lease go stale: after the grace period (50s since v1.32)
every node condition turns Unknown with ``NodeStatusUnknown`` /
"Kubelet stopped posting node status.".
Left out: zone disruption modes and eviction rate limits, the not-ready
taint for a kubelet that reports Ready=False, node deletion for cloud nodes.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api import Client, errors, objects
from kubenb.reconcile import ObjectKey, Result, Watch, for_
from kubenb.sim.clock import parse_rfc3339

NODE_MONITOR_GRACE_PERIOD = 50.0
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
# nodeConditionToTaintKeyStatusMap: the condition status (True) that puts each NoSchedule taint on.
CONDITION_TAINTS = {"MemoryPressure": "node.kubernetes.io/memory-pressure",
                    "DiskPressure": "node.kubernetes.io/disk-pressure",
                    "PIDPressure": "node.kubernetes.io/pid-pressure",
                    "NetworkUnavailable": "node.kubernetes.io/network-unavailable"}


def _toleration_matches(toleration: dict, taint: dict) -> bool:
    if toleration.get("effect") and toleration.get("effect") != taint.get("effect"):
        return False
    key = toleration.get("key", "")
    if key and key != taint.get("key"):
        return False
    if (toleration.get("operator") or "Equal") == "Exists":
        return True
    return bool(key) and (toleration.get("value") or "") == (taint.get("value") or "")


def eviction_time(pod: dict, taints: list[dict]) -> float | None:
    """When the taint eviction controller deletes ``pod`` (-inf: now), or None when it never does."""
    tolerations = pod.get("spec", {}).get("tolerations") or []
    when: float | None = None
    for taint in taints:
        if taint.get("effect") != "NoExecute":
            continue
        matching = [t for t in tolerations if _toleration_matches(t, taint)]
        if not matching:
            return float("-inf")
        seconds = [t.get("tolerationSeconds") for t in matching]
        if any(s is None for s in seconds):
            continue  # tolerated forever
        added = parse_rfc3339(taint["timeAdded"]) if taint.get("timeAdded") else 0.0
        deadline = added + max(0, min(int(s) for s in seconds))  # type: ignore[arg-type]
        when = deadline if when is None else min(when, deadline)
    return when


class NodeLifecycleController:
    name = "node-lifecycle-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component("node-controller")
        self.eviction_client = client.for_component("taint-eviction-controller")
        self.stopped: dict[str, float] = {}
        self.marked: dict[str, bool] = {}
        self.watches = [for_("nodes"), Watch("pods", self._pod_keys)]

    def _pod_keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        node = pod.get("spec", {}).get("nodeName")
        if node and node in self.stopped:
            return (ObjectKey("nodes", None, node),)
        return ()

    # The cluster's stand-in for watching node Leases.
    def kubelet_stopped(self, name: str) -> None:
        self.stopped[name] = self.client.clock.now()
        self.marked.pop(name, None)
        self.client.clock.schedule_in(NODE_MONITOR_GRACE_PERIOD, (self.name, ObjectKey("nodes", None, name)))

    def kubelet_started(self, name: str) -> None:
        self.stopped.pop(name, None)
        self.marked.pop(name, None)

    def reconcile(self, key: ObjectKey) -> Result:
        client = self.client
        node = client.try_get("nodes", key.name)
        if node is None:
            self.stopped.pop(key.name, None)
            return Result()
        now = client.clock.now()
        self.sync_cordon_taint(node)
        self.sync_condition_taints(node)
        stopped_at = self.stopped.get(key.name)
        if stopped_at is None:
            self.set_unreachable_taints(key.name, False)
            return Result()
        due = stopped_at + NODE_MONITOR_GRACE_PERIOD
        if now < due:
            return Result(requeue_after=due - now)
        if not self.marked.get(key.name):
            self.mark_unknown(key.name)
            self.set_unreachable_taints(key.name, True)
            self.mark_pods_not_ready(key.name)
            self.marked[key.name] = True
        wake = self.evict_pods(key.name, now)
        return Result(requeue_after=None if wake is None else max(0.0, wake - now))

    def _edit_taints(self, name: str, edit: Callable[[list[dict]], list[dict]]) -> None:
        """Write the node's taints as ``edit`` makes them from the current ones (none left: no field)."""
        def change(current: dict) -> None:
            spec = current.setdefault("spec", {})
            kept = edit(list(spec.get("taints") or []))
            if kept:
                spec["taints"] = kept
            else:
                spec.pop("taints", None)

        try:
            self.client.mutate("nodes", name, None, change)
        except errors.StatusError:
            pass  # the node went away; nothing to taint

    def sync_cordon_taint(self, node: dict) -> None:
        """TaintNodesByCondition: spec.unschedulable <-> node.kubernetes.io/unschedulable:NoSchedule."""
        taints = node.get("spec", {}).get("taints") or []
        has = any(t.get("key") == UNSCHEDULABLE for t in taints)
        want = bool(node.get("spec", {}).get("unschedulable"))
        if has == want:
            return

        def edit(taints: list[dict]) -> list[dict]:
            kept = [t for t in taints if t.get("key") != UNSCHEDULABLE]
            if want:
                kept.append({"key": UNSCHEDULABLE, "effect": "NoSchedule", "timeAdded": self.client.now()})
            return kept

        self._edit_taints(objects.name(node), edit)

    def sync_condition_taints(self, node: dict) -> None:
        """TaintNodesByCondition (doNoScheduleTaintingPass): a pressure condition that is True puts its
        NoSchedule taint on the node (memory-pressure, disk-pressure, pid-pressure, network-unavailable)."""
        conditions = {c.get("type"): c.get("status") for c in node.get("status", {}).get("conditions") or []}
        taints = node.get("spec", {}).get("taints") or []
        present = {t.get("key") for t in taints if t.get("effect") == "NoSchedule"}
        wanted = {key for type_, key in CONDITION_TAINTS.items() if conditions.get(type_) == "True"}
        managed = set(CONDITION_TAINTS.values())
        if (present & managed) == wanted:
            return

        def edit(taints: list[dict]) -> list[dict]:
            kept = [t for t in taints
                    if not (t.get("key") in managed and t.get("effect") == "NoSchedule" and t.get("key") not in wanted)]
            have = {t.get("key") for t in kept if t.get("effect") == "NoSchedule"}
            for key in CONDITION_TAINTS.values():
                if key in wanted and key not in have:
                    kept.append({"key": key, "effect": "NoSchedule", "timeAdded": self.client.now()})
            return kept

        self._edit_taints(objects.name(node), edit)

    def mark_unknown(self, name: str) -> None:
        now = self.client.now()

        def change(node: dict) -> None:
            for condition in node.get("status", {}).get("conditions") or []:
                if condition.get("status") != "Unknown":
                    condition["status"] = "Unknown"
                    condition["lastTransitionTime"] = now
                condition["reason"] = "NodeStatusUnknown"
                condition["message"] = "Kubelet stopped posting node status."

        self.client.mutate("nodes", name, None, change, subresource="status")
        node = self.client.get("nodes", name)
        self.client.event(node, "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady")

    def set_unreachable_taints(self, name: str, present: bool) -> None:
        node = self.client.get("nodes", name)
        taints = node.get("spec", {}).get("taints") or []
        has = any(t.get("key") == UNREACHABLE for t in taints)
        if has == present:
            return

        def edit(taints: list[dict]) -> list[dict]:
            kept = [t for t in taints if t.get("key") != UNREACHABLE]
            if present:
                now = self.client.now()
                kept.append({"key": UNREACHABLE, "effect": "NoSchedule", "timeAdded": now})
                kept.append({"key": UNREACHABLE, "effect": "NoExecute", "timeAdded": now})
            return kept

        self._edit_taints(name, edit)

    def mark_pods_not_ready(self, name: str) -> None:
        """MarkPodsNotReady: the Ready condition of every Pod on the node turns False."""
        now = self.client.now()
        for pod in self.client.list("pods", field_selector=f"spec.nodeName={name}"):
            changed = False
            for condition in pod.get("status", {}).get("conditions") or []:
                if condition.get("type") == "Ready" and condition.get("status") != "False":
                    condition["status"] = "False"
                    condition["lastTransitionTime"] = now
                    changed = True
            if not changed:
                continue
            try:
                self.client.update(pod, subresource="status")
            except errors.StatusError:
                continue
            self.client.event(pod, "Warning", "NodeNotReady", "Node is not ready")

    def evict_pods(self, name: str, now: float) -> float | None:
        node = self.client.get("nodes", name)
        taints = node.get("spec", {}).get("taints") or []
        wake: float | None = None
        for pod in self.client.list("pods", field_selector=f"spec.nodeName={name}"):
            if objects.is_being_deleted(pod):
                continue
            when = eviction_time(pod, taints)
            if when is None:
                continue
            if when > now:
                wake = when if wake is None else min(wake, when)
                continue
            md = pod["metadata"]
            client = self.eviction_client
            client.event(pod, "Normal", "TaintManagerEviction",
                         f"Marking for deletion Pod {md.get('namespace', 'default')}/{md['name']}")
            conditions = pod.setdefault("status", {}).setdefault("conditions", [])
            conditions.append({"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                               "lastTransitionTime": client.now(), "reason": "DeletionByTaintManager",
                               "message": "Taint manager: deleting due to NoExecute taint"})
            try:
                client.update(pod, subresource="status")
                client.delete("pods", md["name"], md.get("namespace"))
            except errors.StatusError:
                continue
        return wake

    def state(self) -> dict:
        return {"stopped": dict(self.stopped), "marked": dict(self.marked)}

    def set_state(self, state: dict) -> None:
        self.stopped = dict(state["stopped"])
        self.marked = dict(state["marked"])
