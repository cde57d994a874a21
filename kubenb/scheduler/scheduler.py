"""kube-scheduler: binds unscheduled Pods to nodes, or says why it cannot.

Mirrors kubernetes pkg/scheduler (schedule_one.go: scheduleOne,
schedulePod, findNodesThatFitPod, prioritizeNodes, selectHost,
handleSchedulingFailure; framework/preemption: the DefaultPreemption
PostFilter) with the default profile's plugins.

The scheduling queue is one key: every reconcile takes the Pods of
``schedulerName: default-scheduler`` waiting in the activeQ in priority
order, then creation order (PrioritySort's QueueSort), and schedules them one
at a time. The scheduler cache (node infos, the pending Pods) is kept up to
date from every watch event, as upstream's informers update it: a bind puts
the Pod on its node at once (the cache "assumes" it). A Pod that did not fit
waits in unschedulablePods with the plugins that rejected it, until an event
those plugins say may help (queue.py's queueing hints), or five minutes
(podMaxInUnschedulablePodsDuration); each retry is a real attempt, which is
when a new FailedScheduling event is counted.

Left out: scheduling gates, extenders, volume binding, inter-pod affinity,
multiple profiles, the backoff queue's per-Pod delays (see queue.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from kubenb.api import Client, errors, objects
from kubenb.api.watch import DELETED, WatchEvent
from kubenb.reconcile import ObjectKey, Result, Watch
from kubenb.scheduler import plugins, queue
from kubenb.scheduler.framework import (
    NodeInfo,
    Rejection,
    begin_cycle,
    end_cycle,
    fit_error_message,
    histogram,
    pod_key,
    pod_requests,
)

SCHEDULER_NAME = "default-scheduler"
QUEUE_KEY = ObjectKey("pods", None, "<scheduling-queue>")
# The ticks of the scheduler's events.k8s.io broadcaster (series refresh and finish), as timers.
EVENT_BROADCASTER_KEY = ObjectKey("events", None, "<event-broadcaster>")
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


def _name_key(pod: dict) -> tuple[str, str]:
    md = pod["metadata"]
    return (md.get("namespace") or "", md.get("name", ""))


def build_node_infos(client: Client) -> dict[str, NodeInfo]:
    infos = {objects.name(n): NodeInfo(n) for n in client.list_view("nodes")}
    for pod in client.list_view("pods"):
        node_name = pod.get("spec", {}).get("nodeName")
        if node_name in infos and not is_terminal(pod):
            infos[node_name].add_pod(pod)
    return infos


def run_filters(pod: dict, info: NodeInfo) -> Rejection | None:
    for plugin_filter in plugins.filters_for(pod):
        rejection = plugin_filter(pod, info)
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
        if uid and info.has_pod(pod):
            info.remove_pod(pod)
        rejection = run_filters(probe, info)
        result.append((name, rejection is None, list(rejection.reasons) if rejection else []))
    return result


class Unschedulable(NamedTuple):
    """A Pod in unschedulablePods: since when, the plugins that rejected it (UnschedulablePlugins), and
    its namespace/name."""

    since: float
    plugins: frozenset[str]
    key: tuple[str, str]


def counted_node(pod: dict) -> str | None:
    """The node whose resources ``pod`` takes (None: unassigned, or finished and no longer counted)."""
    node_name = pod.get("spec", {}).get("nodeName")
    return node_name if node_name and not is_terminal(pod) else None


class Scheduler:
    """The default scheduler as a controller of one key: the scheduling queue."""

    name = SCHEDULER_NAME

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(SCHEDULER_NAME)
        self.client.event_recorder.attach_series_timer((SCHEDULER_NAME, EVENT_BROADCASTER_KEY))
        # Pods that did not fit (unschedulablePods), by uid; moved back when an event may help them.
        self.unschedulable: dict[str, Unschedulable] = {}
        self.watches = [Watch("pods", self._pod_keys), Watch("nodes", self._node_keys)]
        # The scheduler cache, kept up to date from every watch event instead of rebuilt from all Pods:
        # node infos, where each counted Pod is, and the Pods waiting for us (by namespace/name).
        self.infos: dict[str, NodeInfo] = {}
        self._where: dict[object, str] = {}
        self.pending: dict[tuple[str, str], dict] = {}
        # Pending Pods not in unschedulablePods: the activeQ (namespace/name -> None, in arrival order).
        self.active: dict[tuple[str, str], None] = {}
        # A pending Pod's requests, summed once for all its attempts: uid -> (resourceVersion, requests).
        self._requests: dict[str, tuple[str, tuple[dict[str, int], dict[str, int]]]] = {}
        self._synced_rv = -1
        # Bumped whenever a node info changes; with the last failure's outcome (see _schedule_one).
        self._generation = 0
        self._last_failure: tuple | None = None
        # self.infos in node name order, as every cycle walks them; None once a node came or went.
        self._infos_in_order: list[NodeInfo] | None = None
        self.client.store.subscribe(self._on_event)
        self._rebuild()

    # --- the scheduler cache ------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Fill the cache from the store (at start, and after a snapshot is restored)."""
        store = self.client.store
        self.infos = {objects.name(n): NodeInfo(n) for n in store.items("nodes")}
        self._infos_in_order = None
        self._generation += 1
        self._where = {}
        self.pending = {}
        self.active = {}
        for pod in store.items("pods"):
            node_name = counted_node(pod)
            if node_name in self.infos:
                self.infos[node_name].add_pod(pod)
                self._where[pod_key(pod)] = node_name
            elif wants_us(pod):
                key = _name_key(pod)
                self.pending[key] = pod
                if objects.uid(pod) not in self.unschedulable:
                    self.active[key] = None
        live = {objects.uid(p) for p in self.pending.values()}
        self.unschedulable = {u: e for u, e in self.unschedulable.items() if u in live}
        self._requests = {u: r for u, r in self._requests.items() if u in live}
        self._synced_rv = store.resource_version

    def _on_event(self, event: WatchEvent) -> None:
        if event.resource == "pods":
            self._pod_event(event)
        elif event.resource == "nodes":
            self._node_event(event)
        self._synced_rv = event.resource_version

    def _pod_event(self, event: WatchEvent) -> None:
        pod = event.object
        deleted = event.type == DELETED
        key = _name_key(pod)
        uid = objects.uid(pod)
        # The queue: pending Pods come and go; an update of an unschedulable Pod may be worth a retry.
        if not deleted and wants_us(pod):
            previous = self.pending.get(key)
            self.pending[key] = pod
            entry = self.unschedulable.get(uid)
            if entry is None:
                self.active[key] = None
            elif previous is not None and queue.worth_requeuing_after_own_update(entry.plugins, previous, pod):
                self._activate(uid, key)
        elif key in self.pending:
            gone = self.pending.pop(key)
            self.active.pop(key, None)
            self.unschedulable.pop(objects.uid(gone), None)
        # The cache: the Pod leaves its old node and joins its new one.
        pod_id = pod_key(pod)
        before = self._where.get(pod_id)
        after = None if deleted else counted_node(pod)
        if after is not None and after not in self.infos:
            after = None  # a node the scheduler does not know (yet): counted when the node is added
        if before is not None or after is not None:
            self._generation += 1
        if before is not None and before == after:
            self.infos[after].update_pod(pod)
        else:
            if before is not None:
                info = self.infos.get(before)
                if info is not None:
                    info.remove_pod(pod)
                del self._where[pod_id]
            if after is not None:
                cached = self._requests.get(uid or "")
                self.infos[after].add_pod(pod, cached[1] if cached else None)
                self._where[pod_id] = after
        if not wants_us(pod) or deleted:
            self._requests.pop(uid or "", None)
        # An assigned Pod deleted (or finished: it no longer counts) frees room on its node.
        freed = (deleted and bool(pod.get("spec", {}).get("nodeName"))) or (before is not None and after is None)
        if freed and self.unschedulable:
            self._move(lambda entry, _pod: queue.worth_requeuing_after_pod_freed(entry.plugins))

    def _node_event(self, event: WatchEvent) -> None:
        node = event.object
        name = objects.name(node)
        info = self.infos.get(name)
        self._generation += 1
        self._infos_in_order = None
        if event.type == DELETED:
            # No plugin registers node deletions: nothing moves; the node's Pods stop counting.
            self.infos.pop(name, None)
            self._where = {k: v for k, v in self._where.items() if v != name}
            return
        old = info.node if info is not None else None
        if info is None:
            info = self.infos[name] = NodeInfo(node)
            for pod in self.client.store.items("pods"):  # Pods bound to the node before it registered
                if counted_node(pod) == name:
                    info.add_pod(pod)
                    self._where[pod_key(pod)] = name
        else:
            info.set_node(node)
        if self.unschedulable:
            changes = queue.node_changes(old, node)
            if changes:
                self._move(lambda entry, pod: queue.worth_requeuing_after_node(entry.plugins, pod, old, node, changes))

    def _move(self, worth: Callable[[Unschedulable, dict], bool]) -> None:
        """MoveAllToActiveOrBackoffQueue: every unschedulable Pod the event may help goes back to the queue."""
        for key, pod in list(self.pending.items()):
            uid = objects.uid(pod)
            entry = self.unschedulable.get(uid)
            if entry is not None and worth(entry, pod):
                self._activate(uid, key)

    def _activate(self, uid: str, key: tuple[str, str]) -> None:
        self.unschedulable.pop(uid, None)
        self.active[key] = None

    def _ensure_synced(self) -> None:
        # Every write reaches us as a watch event; a store changed behind our back (restored) is re-read.
        if self._synced_rv != self.client.store.resource_version:
            self._rebuild()

    # --- watch routing -------------------------------------------------------------------------------
    def _pod_keys(self, pod: dict) -> Iterable[ObjectKey]:
        if wants_us(pod):
            return (QUEUE_KEY,)
        if pod.get("spec", {}).get("nodeName") and self.unschedulable:
            md = pod["metadata"]
            gone = self.client.store.get("pods", md.get("namespace"), md.get("name", "")) is None
            if gone or is_terminal(pod):
                return (QUEUE_KEY,)  # resources freed: unschedulable Pods may fit now
        return ()

    def _node_keys(self, node: dict) -> Iterable[ObjectKey]:
        return (QUEUE_KEY,)

    # --- the scheduling loop ---------------------------------------------------------------------------
    def reconcile(self, key: ObjectKey) -> Result:
        if key == EVENT_BROADCASTER_KEY:
            self.client.event_recorder.series_tick(self.client)
            return Result()
        self._ensure_synced()
        now = self.client.clock.now()
        # flushUnschedulablePodsLeftover: a Pod left in unschedulablePods for five minutes is retried.
        for uid, entry in list(self.unschedulable.items()):
            if now - entry.since >= UNSCHEDULABLE_RETRY_SECONDS:
                if entry.key in self.pending:
                    self._activate(uid, entry.key)
                else:
                    del self.unschedulable[uid]
        if self.active:
            queued = sorted((self.pending[k] for k in self.active), key=queue_order)
            for pod in queued:
                name_key = _name_key(pod)
                if name_key not in self.active:
                    continue  # bound, deleted or failed since (a change made while scheduling another)
                del self.active[name_key]
                self.schedule_one(pod, self.infos)
        if self.unschedulable:
            oldest = min(entry.since for entry in self.unschedulable.values())
            return Result(requeue_after=max(1.0, oldest + UNSCHEDULABLE_RETRY_SECONDS - now))
        return Result()

    def schedule_one(self, pod: dict, infos: dict[str, NodeInfo]) -> None:
        uid = objects.uid(pod)
        rv = pod["metadata"].get("resourceVersion", "")
        cached = self._requests.get(uid)
        if cached is None or cached[0] != rv:
            cached = self._requests[uid] = (rv, (pod_requests(pod), pod_requests(pod, non_zero=True)))
        begin_cycle(pod, cached[1])  # the Pod's requests, summed once for every node's Filter and Score
        try:
            self._schedule_one(pod, infos)
        finally:
            end_cycle()

    def _in_name_order(self, infos: dict[str, NodeInfo]) -> list[NodeInfo]:
        """The node infos sorted by node name; for the scheduler's own cache, sorted again only after
        a node came or went (most cycles follow a Pod event, which changes no node's name)."""
        if infos is not self.infos:
            return [infos[name] for name in sorted(infos)]
        if self._infos_in_order is None:
            self._infos_in_order = [infos[name] for name in sorted(infos)]
        return self._infos_in_order

    def _schedule_one(self, pod: dict, infos: dict[str, NodeInfo]) -> None:
        client = self.client
        md = pod["metadata"]
        uid = objects.uid(pod)
        # Many Pods of one template wait together; when the last attempt failed against the same node
        # infos for a Pod that asks the same of them, this one fails the same way (Filter and the fruitless
        # preemption read only these fields and the infos), so its outcome is reused, not recomputed.
        spec = pod.get("spec", {})
        asks = (self._requests[uid][1][0], spec.get("tolerations"), spec.get("nodeSelector"), spec.get("affinity"),
                spec.get("nodeName"), spec.get("priority"), spec.get("preemptionPolicy"),
                (pod.get("status") or {}).get("nominatedNodeName"))
        last = self._last_failure
        if last is not None and last[0] == self._generation and last[1] == asks:
            self._unschedulable(pod, last[2], last[3])
            return
        # RunFilterPlugins stops at a node's first rejecting plugin. Run plugin by plugin over the nodes still
        # feasible instead of node by node: the same plugin rejects each node, and a plugin whose cheap test
        # (plugins.may_reject) clears most nodes calls its Filter only on the rest.
        nodes = self._in_name_order(infos)
        rejected: dict[str, Rejection] = {}
        feasible = nodes
        for plugin in plugins.filter_plugins_for(pod):
            plugin_filter = plugin.filter
            before = len(rejected)
            for info in plugins.may_reject(plugin, pod, feasible):
                rejection = plugin_filter(pod, info)
                if rejection is not None:
                    rejected[info.name] = rejection
            if len(rejected) != before:
                feasible = [info for info in feasible if info.name not in rejected]
        # In node name order, as the node-by-node pass filled it (the message's histogram and preemption read it).
        rejections = {info.name: rejected[info.name] for info in nodes if info.name in rejected} if rejected else {}
        if not feasible:
            generation = self._generation
            post_filter = self.preempt(pod, infos, rejections)
            message = fit_error_message(len(infos), rejections, post_filter=post_filter)
            rejectors = frozenset(r.plugin for r in rejections.values() if r.plugin)
            # Only a preemption that changed nothing (it found no node) may be replayed.
            self._last_failure = (generation, asks, message, rejectors) if post_filter else None
            self._unschedulable(pod, message, rejectors)
            return
        chosen = self.select_host(pod, feasible)
        try:
            client.bind(md["name"], md.get("namespace") or "default", chosen.name)
        except errors.StatusError:
            return  # the Pod changed under us (deleted or bound elsewhere); the next event retries
        # The bind's watch event has put the Pod on the chosen node (the cache "assumes" it).
        # Recorded about the Pod as it was queued (upstream's assumed copy), through events.k8s.io.
        client.event_recorder.record_v1(
            client, pod, "Normal", "Scheduled", "Binding",
            f"Successfully assigned {md.get('namespace') or 'default'}/{md['name']} to {chosen.name}")

    def _unschedulable(self, pod: dict, message: str, rejectors: frozenset[str]) -> None:
        """The attempt failed: the Pod waits in unschedulablePods, and the failure is recorded."""
        key = _name_key(pod)
        self.unschedulable[objects.uid(pod)] = Unschedulable(self.client.clock.now(), rejectors, key)
        self.active.pop(key, None)
        self.record_failure(pod, message)

    def select_host(self, pod: dict, feasible: list[NodeInfo]) -> NodeInfo:
        """prioritizeNodes + selectHost: weighted sum of scores; ties broken by a seeded reservoir pick.

        A plugin that scores every node alike (``scores`` gives None, as upstream PreScore Skip) is left
        out: it would add the same to every total, which changes neither the best nor the ties.
        """
        if len(feasible) == 1:
            return feasible[0]
        totals: list[int] | None = None  # None: every plugin skipped so far (all totals 0)
        for plugin, weight in plugins.SCORERS:
            scores = plugin.scores(pod, feasible)
            if scores is not None:
                if totals is None:
                    totals = scores if weight == 1 else [value * weight for value in scores]
                elif weight == 1:
                    totals = [total + value for total, value in zip(totals, scores, strict=True)]
                else:
                    totals = [total + value * weight for total, value in zip(totals, scores, strict=True)]
        if totals is None:
            totals = [0] * len(feasible)
        best = max(totals)
        top = [info for info, total in zip(feasible, totals, strict=True) if total == best]
        if len(top) == 1:
            return top[0]
        # One seeded draw per further tied node, in order (upstream's reservoir sampling); drawn in
        # bulk, the same draws as ``randint(1, seen) == 1`` per node.
        return top[self.client.rand.reservoir_pick(len(top))]

    def record_failure(self, pod: dict, message: str) -> None:
        """handleSchedulingFailure: a FailedScheduling event and PodScheduled=False Unschedulable."""
        client = self.client
        md = pod["metadata"]
        client.event_recorder.record_v1(client, pod, "Warning", "FailedScheduling", "Scheduling", message)

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
        priority = priority_of(pod)
        for name in sorted(rejections):
            if not rejections[name].resolvable:
                outcomes[name] = (NOT_HELPFUL,)
                continue
            lowest = infos[name].min_priority
            # A node where no Pod has a lower priority has no victims (select_victims' own first check).
            victims = None if lowest is None or lowest >= priority else self.select_victims(pod, infos[name])
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
            client.event_recorder.record_v1(client, victim, "Normal", "Preempted", "Preempting",
                                            f"Preempted by pod {objects.uid(pod)} on node {node_name}", related=pod)
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
        lowered = {id(p) for p in lower}
        for p in info.pods:
            if id(p) not in lowered:
                trial.add_pod(p, info.entry_requests(p))
        if run_filters(pod, trial) is not None:
            return None
        victims = []
        for candidate in sorted(lower, key=lambda p: (-priority_of(p), p["metadata"].get("creationTimestamp", ""))):
            trial.add_pod(candidate, info.entry_requests(candidate))
            if run_filters(pod, trial) is not None:
                trial.remove_pod(candidate)
                victims.append(candidate)
        return victims or None

    # --- snapshots ---------------------------------------------------------------------------------------
    def state(self) -> dict:
        # Plain, ordered data: the same cluster pickles to the same bytes whatever the hash seed.
        return {"unschedulable": {uid: (entry.since, tuple(sorted(entry.plugins)), entry.key)
                                  for uid, entry in self.unschedulable.items()}}

    def set_state(self, state: dict) -> None:
        self.unschedulable = {}
        for uid, saved in state["unschedulable"].items():
            if isinstance(saved, (int, float)):  # a snapshot from before rejecting plugins were kept
                saved = (saved, frozenset(), None)
            self.unschedulable[uid] = Unschedulable(saved[0], frozenset(saved[1]), saved[2])
        # The store was restored first: re-read the cache, then key the saved entries by name again.
        self._rebuild()
        names = {objects.uid(p): k for k, p in self.pending.items()}
        for uid, entry in list(self.unschedulable.items()):
            if entry.key is None:
                self.unschedulable[uid] = entry._replace(key=names[uid])
        if state.get("changed"):  # the old format's pending flush
            for uid, entry in list(self.unschedulable.items()):
                self._activate(uid, entry.key)


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
