"""kube-scheduler: binds unscheduled Pods to nodes, or says why it cannot.

Mirrors kubernetes pkg/scheduler (schedule_one.go: scheduleOne,
schedulePod, findNodesThatFitPod, prioritizeNodes, selectHost,
handleSchedulingFailure; framework/preemption: the DefaultPreemption
PostFilter) with the default profile's plugins.

The scheduling queue is one key: every reconcile takes the pending Pods of
``schedulerName: default-scheduler`` in priority order, then creation order
(PrioritySort's QueueSort), and schedules them one at a time against node
infos kept up to date as it binds (the scheduler's cache "assumes" each Pod).
A Pod that did not fit waits in the unschedulable set until a node changes
or a Pod leaves, or five minutes pass (podMaxInUnschedulablePodsDuration),
and then is tried again, which is when a new FailedScheduling event is
counted.

Left out: scheduling gates, extenders, volume binding, inter-pod affinity,
multiple profiles, the backoff queue's per-Pod delays.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubenb.api import Client, errors, objects
from kubenb.reconcile import ObjectKey, Result, Watch
from kubenb.scheduler import plugins
from kubenb.scheduler.framework import (
    NodeInfo,
    Rejection,
    begin_cycle,
    end_cycle,
    fit_error_message,
    histogram,
)

SCHEDULER_NAME = "default-scheduler"
QUEUE_KEY = ObjectKey("pods", None, "<scheduling-queue>")
UNSCHEDULABLE_RETRY_SECONDS = 300.0

NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"


def is_terminal(pod: dict) -> bool:
    return pod.get("status", {}).get("phase") in ("Succeeded", "Failed")


def wants_us(pod: dict) -> bool:
    spec = pod.get("spec", {})
    return (not spec.get("nodeName") and (spec.get("schedulerName") or SCHEDULER_NAME) == SCHEDULER_NAME
            and not objects.is_being_deleted(pod) and not is_terminal(pod))


def _unschedulable_already(pod: dict | None, message: str) -> bool:
    """The stored Pod already has a phase and this PodScheduled=False condition (record_failure's no-op)."""
    status = (pod or {}).get("status")
    if not isinstance(status, dict) or "phase" not in status:
        return False
    for existing in status.get("conditions") or []:
        if existing.get("type") == "PodScheduled":
            return existing == {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                "lastTransitionTime": existing.get("lastTransitionTime"),
                                "reason": "Unschedulable", "message": message}
    return False


def priority_of(pod: dict) -> int:
    return int(pod.get("spec", {}).get("priority") or 0)


def queue_order(pod: dict) -> tuple:
    """PrioritySort: higher priority first, then older first."""
    md = pod["metadata"]
    return (-priority_of(pod), md.get("creationTimestamp", ""), md.get("namespace", ""), md.get("name", ""))


def build_node_infos(client: Client) -> dict[str, NodeInfo]:
    infos = {objects.name(n): NodeInfo(n) for n in client.list_view("nodes")}
    for pod in client.list_view("pods"):
        node_name = pod.get("spec", {}).get("nodeName")
        if node_name in infos and not is_terminal(pod):
            infos[node_name].add_pod(pod)
    return infos


def run_filters(pod: dict, info: NodeInfo) -> Rejection | None:
    for plugin in plugins.FILTERS:
        rejection = plugin.filter(pod, info)
        if rejection is not None:
            return rejection
    return None


def explain(client: Client, pod: dict) -> list[tuple[str, bool, list[str]]]:
    """For each node, in name order: can ``pod`` go there now, and if not, why (the Filter reasons).

    For widgets and quizzes. A Pod already bound is left out of its node's usage.
    """
    infos = build_node_infos(client)
    uid = objects.uid(pod)
    probe = objects.clone(pod)
    probe.setdefault("spec", {}).pop("nodeName", None)
    result = []
    for name in sorted(infos):
        info = infos[name]
        if uid and any(objects.uid(p) == uid for p in info.pods):
            info.remove_pod(pod)
        rejection = run_filters(probe, info)
        result.append((name, rejection is None, list(rejection.reasons) if rejection else []))
    return result


class Scheduler:
    """The default scheduler as a controller of one key: the scheduling queue."""

    name = SCHEDULER_NAME

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(SCHEDULER_NAME)
        # uids of Pods that did not fit; retried when the cluster changes ("moved to activeQ").
        self.unschedulable: dict[str, float] = {}
        self.cluster_changed = False
        self.watches = [Watch("pods", self._pod_keys), Watch("nodes", self._node_keys)]

    # --- watch routing -------------------------------------------------------------------------------
    def _pod_keys(self, pod: dict) -> Iterable[ObjectKey]:
        if wants_us(pod):
            return (QUEUE_KEY,)
        if pod.get("spec", {}).get("nodeName") and self.unschedulable:
            md = pod["metadata"]
            gone = self.client.store.get("pods", md.get("namespace"), md.get("name", "")) is None
            if gone or is_terminal(pod) or objects.is_being_deleted(pod):
                self.cluster_changed = True  # resources freed: unschedulable Pods may fit now
                return (QUEUE_KEY,)
        return ()

    def _node_keys(self, node: dict) -> Iterable[ObjectKey]:
        if self.unschedulable:
            self.cluster_changed = True
        return (QUEUE_KEY,)

    # --- the scheduling loop ---------------------------------------------------------------------------
    def reconcile(self, key: ObjectKey) -> Result:
        client = self.client
        now = client.clock.now()
        pending = sorted((p for p in client.list_view("pods") if wants_us(p)), key=queue_order)
        live = {objects.uid(p) for p in pending}
        self.unschedulable = {u: t for u, t in self.unschedulable.items() if u in live}
        if not pending:
            self.cluster_changed = False
            return Result()
        flush = self.cluster_changed
        self.cluster_changed = False
        infos: dict[str, NodeInfo] | None = None
        for pod in pending:
            uid = objects.uid(pod)
            since = self.unschedulable.get(uid)
            if since is not None and not flush and now - since < UNSCHEDULABLE_RETRY_SECONDS:
                continue
            if infos is None:
                infos = build_node_infos(client)
            self.schedule_one(pod, infos)
        if self.unschedulable:
            oldest = min(self.unschedulable.values())
            return Result(requeue_after=max(1.0, oldest + UNSCHEDULABLE_RETRY_SECONDS - now))
        return Result()

    def schedule_one(self, pod: dict, infos: dict[str, NodeInfo]) -> None:
        begin_cycle(pod)  # the Pod's requests, summed once for every node's Filter and Score
        try:
            self._schedule_one(pod, infos)
        finally:
            end_cycle()

    def _schedule_one(self, pod: dict, infos: dict[str, NodeInfo]) -> None:
        client = self.client
        md = pod["metadata"]
        uid = objects.uid(pod)
        rejections: dict[str, Rejection] = {}
        feasible: list[NodeInfo] = []
        for name in sorted(infos):
            rejection = run_filters(pod, infos[name])
            if rejection is None:
                feasible.append(infos[name])
            else:
                rejections[name] = rejection
        if not feasible:
            post_filter = self.preempt(pod, infos, rejections)
            message = fit_error_message(len(infos), rejections, post_filter=post_filter)
            self.unschedulable[uid] = client.clock.now()
            self.record_failure(pod, message)
            return
        chosen = self.select_host(pod, feasible)
        try:
            bound = client.bind(md["name"], md.get("namespace") or "default", chosen.name)
        except errors.StatusError:
            return  # the Pod changed under us (deleted or bound elsewhere); the next event retries
        self.unschedulable.pop(uid, None)
        chosen.add_pod(bound)
        client.event(bound, "Normal", "Scheduled",
                     f"Successfully assigned {md.get('namespace') or 'default'}/{md['name']} to {chosen.name}")

    def select_host(self, pod: dict, feasible: list[NodeInfo]) -> NodeInfo:
        """prioritizeNodes + selectHost: weighted sum of scores; ties broken by a seeded reservoir pick."""
        if len(feasible) == 1:
            return feasible[0]
        totals = {info.name: 0 for info in feasible}
        for plugin, weight in plugins.SCORERS:
            scores = plugin.score(pod, feasible[0], feasible)
            for name, value in scores.items():
                totals[name] += value * weight
        best = max(totals.values())
        top = [info for info in feasible if totals[info.name] == best]
        if len(top) == 1:
            return top[0]
        chosen = top[0]
        seen = 1
        for info in top[1:]:
            seen += 1
            if self.client.rand.randint(1, seen) == 1:
                chosen = info
        return chosen

    def record_failure(self, pod: dict, message: str) -> None:
        """handleSchedulingFailure: a FailedScheduling event and PodScheduled=False Unschedulable."""
        client = self.client
        md = pod["metadata"]
        client.event(pod, "Warning", "FailedScheduling", message)

        def change(current: dict) -> None:
            status = current.setdefault("status", {})
            status.setdefault("phase", "Pending")
            conditions = status.setdefault("conditions", [])
            condition = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                         "lastTransitionTime": client.now(), "reason": "Unschedulable", "message": message}
            for index, existing in enumerate(conditions):
                if existing.get("type") == "PodScheduled":
                    if existing.get("status") == "False":
                        condition["lastTransitionTime"] = existing.get("lastTransitionTime")
                    conditions[index] = condition
                    break
            else:
                conditions.append(condition)

        if _unschedulable_already(client.get_view("pods", md["name"], md.get("namespace")), message):
            return  # the write would change nothing (and bump no resourceVersion): skip its copies
        try:
            client.mutate("pods", md["name"], md.get("namespace"), change, subresource="status")
        except errors.StatusError:
            pass

    # --- preemption ------------------------------------------------------------------------------------
    def preempt(self, pod: dict, infos: dict[str, NodeInfo], rejections: dict[str, Rejection]) -> str:
        """DefaultPreemption's PostFilter: evict lower-priority Pods from one node so this one fits.

        Returns the PostFilter message that FitError appends ("" when preemption found a node).
        """
        client = self.client
        spec = pod.get("spec", {})
        if spec.get("preemptionPolicy") == "Never":
            return "not eligible due to preemptionPolicy=Never."
        nominated = pod.get("status", {}).get("nominatedNodeName")
        if nominated and nominated in infos:
            lower = [p for p in infos[nominated].pods if priority_of(p) < priority_of(pod)]
            if any(objects.is_being_deleted(p) for p in lower):
                return "not eligible due to a terminating pod on the nominated node."
        outcomes: dict[str, tuple[str, ...]] = {}
        candidates: list[tuple[tuple, str, list[dict]]] = []
        for name in sorted(rejections):
            if not rejections[name].resolvable:
                outcomes[name] = (NOT_HELPFUL,)
                continue
            victims = self.select_victims(pod, infos[name])
            if victims is None:
                outcomes[name] = (NO_VICTIMS,)
                continue
            rank = (max(priority_of(v) for v in victims), sum(priority_of(v) for v in victims), len(victims))
            candidates.append((rank, name, victims))
        if not candidates:
            return f"preemption: 0/{len(infos)} nodes are available: {histogram(outcomes)}."
        candidates.sort(key=lambda c: (c[0], c[1]))
        _, node_name, victims = candidates[0]
        for victim in victims:
            vmd = victim["metadata"]
            try:
                client.delete("pods", vmd["name"], vmd.get("namespace"))
            except errors.StatusError:
                continue
            client.event(victim, "Normal", "Preempted", f"Preempted by pod {objects.uid(pod)} on node {node_name}")
        md = pod["metadata"]

        def nominate(current: dict) -> None:
            current.setdefault("status", {})["nominatedNodeName"] = node_name

        try:
            client.mutate("pods", md["name"], md.get("namespace"), nominate, subresource="status")
        except errors.StatusError:
            pass
        return ""

    def select_victims(self, pod: dict, info: NodeInfo) -> list[dict] | None:
        """selectVictimsOnNode: remove every lower-priority Pod, then reprieve as many as still fit."""
        priority = priority_of(pod)
        if info.min_priority is None or info.min_priority >= priority:
            return None  # no Pod on the node has a lower priority: nothing to evict
        lower = [p for p in info.pods if priority_of(p) < priority and not objects.is_being_deleted(p)]
        if not lower:
            return None
        trial = NodeInfo(info.node)
        for p in info.pods:
            if p not in lower:
                trial.add_pod(p)
        if run_filters(pod, trial) is not None:
            return None
        victims = []
        for candidate in sorted(lower, key=lambda p: (-priority_of(p), p["metadata"].get("creationTimestamp", ""))):
            trial.add_pod(candidate)
            if run_filters(pod, trial) is not None:
                trial.remove_pod(candidate)
                victims.append(candidate)
        return victims or None

    # --- snapshots ---------------------------------------------------------------------------------------
    def state(self) -> dict:
        return {"unschedulable": dict(self.unschedulable), "changed": self.cluster_changed}

    def set_state(self, state: dict) -> None:
        self.unschedulable = dict(state["unschedulable"])
        self.cluster_changed = state["changed"]


def priority_admission(operation: str, rtype: object, obj: dict, old: dict | None, client: object) -> None:
    """The Priority admission plugin: spec.priorityClassName -> spec.priority and preemptionPolicy.

    Mirrors plugin/pkg/admission/priority: an unknown class is refused; no
    class takes the globalDefault one, or priority 0.
    """
    if operation != "CREATE" or getattr(rtype, "kind", "") != "Pod":
        return
    spec = obj.setdefault("spec", {})
    class_name = spec.get("priorityClassName")
    api: Client = client  # type: ignore[assignment]
    if class_name:
        found = api.store.get("priorityclasses", None, class_name)
        if found is None:
            name = obj.get("metadata", {}).get("name", "")
            raise errors.forbidden_error(f'pods "{name}" is forbidden: no PriorityClass with name {class_name} '
                                         "was found")
    else:
        found = next((c for c in api.store.items("priorityclasses") if c.get("globalDefault")), None)
        if found is not None:
            spec["priorityClassName"] = objects.name(found)
    if found is None:
        spec.setdefault("priority", 0)
        return
    spec["priority"] = int(found.get("value", 0))
    spec["preemptionPolicy"] = found.get("preemptionPolicy") or spec.get("preemptionPolicy") or "PreemptLowerPriority"
