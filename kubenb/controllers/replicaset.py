"""ReplicaSet controller (pkg/controller/replicaset/replica_set.go, replica_set_utils.go).

syncReplicaSet: claim Pods by selector (adopt orphans, release misfits),
create or delete the difference (at most ``BURST_REPLICAS`` per sync, as
upstream), then write status (replicas, fullyLabeledReplicas,
readyReplicas, availableReplicas, observedGeneration). Scale-down victims
follow ActivePodsWithRanks. A refused create or delete (a quota, a
LimitRange) sets the ReplicaFailure condition (FailedCreate/FailedDelete,
the API's message) until a sync manages the replicas without error, and
the sync is retried with the workqueue's per-item exponential back-off
(5 ms doubling to 1000 s), so freed or raised quota is picked up.
Left out: expectations (a synchronous store makes them moot), slow-start
batches (creates stop at the first error), terminatingReplicas (an alpha
field in v1.33).
"""

from __future__ import annotations

import heapq
import operator

from kubenb.api import Client, objects, resources, selectors
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import parse_rfc3339

BURST_REPLICAS = 500
# workqueue.DefaultControllerRateLimiter's per-item exponential back-off.
BACKOFF_BASE, BACKOFF_MAX = 0.005, 1000.0
PODS = resources.by_plural("pods")  # resolved once: this is the hottest path of a big scale-up


Facts = tuple  # (pod, active, ready, ready since, fully labeled, selected) for one stored Pod version


class PodFacts:
    """What a sync reads from one ReplicaSet's Pods, remembered per stored Pod version, with running counts.

    A ReplicaSet is synced once per change of any of its Pods, so looking at every Pod in every sync made
    a scale-up or a rolling update quadratic. The store replaces an object on every write and never changes
    one in place, so a Pod seen before (the same object) has the same facts: ``refresh`` compares the
    controller index's current list with the last one by identity and reads only the Pods that changed,
    keeping the status counts (replicas, fullyLabeled, ready) and the claim's counts up to date. A snapshot
    restore hands out new objects, which simply read as changed.
    """

    def __init__(self) -> None:
        self._template_labels: dict | None = None
        self._selector_spec: object = None
        self._selector: selectors.Selector | None = None
        self._members: list[dict] = []  # the owned Pods last seen, in name order (the versions counted)
        self._entries: dict[int, Facts] = {}  # id(pod) -> facts for each member (kept alive by _members)
        self._orphans: dict[int, Facts] = {}  # the same for the orphans of the last sync
        self._ranks: dict[int, tuple[str, tuple, tuple]] = {}  # id(member) -> its deletion rank parts
        self.active = 0  # owned active Pods: status.replicas
        self.misfits = 0  # owned active Pods the selector no longer matches (claim releases them)
        self.fully_labeled = 0
        self.ready = 0

    def begin(self, rs: dict) -> None:
        template_labels = objects.get_path(rs, "spec.template.metadata.labels") or {}
        selector_spec = objects.get_path(rs, "spec.selector")
        if template_labels != self._template_labels or selector_spec != self._selector_spec:
            self._template_labels = objects.clone(template_labels)
            self._selector_spec = objects.clone(selector_spec)
            self._selector = _util.selector_of(rs)
            self._members, self._entries, self._orphans, self._ranks = [], {}, {}, {}
            self.active = self.misfits = self.fully_labeled = self.ready = 0

    def selected(self, pod: dict) -> bool:
        """The ReplicaSet's selector matches the Pod's labels (claim's test)."""
        return self.of(pod)[5]

    def of(self, pod: dict) -> Facts:
        """(pod, active, ready, ready since, fully labeled, selected) for this version of the Pod."""
        facts = self._entries.get(id(pod)) or self._orphans.get(id(pod))
        return facts if facts is not None and facts[0] is pod else self._read(pod)

    def _read(self, pod: dict) -> Facts:
        ready_condition = _util.condition(pod, "Ready")
        ready = ready_condition is not None and ready_condition.get("status") == "True"
        since_text = ready_condition.get("lastTransitionTime") if ready else None
        labels = objects.labels(pod)
        return (pod, _util.is_pod_active(pod), ready, parse_rfc3339(since_text) if since_text else None,
                all(labels.get(k) == v for k, v in (self._template_labels or {}).items()),
                self._selector is not None and self._selector.matches(labels))

    def refresh(self, owned: list[dict]) -> None:
        """Bring the counts to ``owned`` (the controller index's list), reading only the changed Pods."""
        previous, self._members = self._members, list(owned)  # our own copy: the counts' versions
        if len(owned) == len(previous) and all(map(operator.is_, owned, previous)):
            return
        entries = self._entries
        current = dict(zip(map(id, owned), owned))
        # Every counted object is alive (held by the entry), so an id found in both is the same object.
        for gone in entries.keys() - current.keys():
            self._count(entries.pop(gone), -1)
            self._ranks.pop(gone, None)
        for added in current.keys() - entries.keys():
            facts = entries[added] = self._read(current[added])
            self._count(facts, 1)

    def _count(self, facts: Facts, sign: int) -> None:
        _, active, ready, _, fully_labeled, selected = facts
        if not active:
            return
        self.active += sign
        if not selected:
            self.misfits += sign
        if fully_labeled:
            self.fully_labeled += sign
        if ready:
            self.ready += sign

    def rank_parts(self, pod: dict) -> tuple[str, tuple, tuple]:
        """``_util.deletion_rank_parts``, kept per member version: a rolling update scales an old
        ReplicaSet down a few Pods at a time and ranks all of its Pods each time."""
        facts = self._entries.get(id(pod))
        if facts is None or facts[0] is not pod:
            return _util.deletion_rank_parts(pod)
        parts = self._ranks.get(id(pod))
        if parts is None:
            parts = self._ranks[id(pod)] = _util.deletion_rank_parts(pod)
        return parts

    def active_members(self) -> list[dict]:
        """The owned active Pods, in name order."""
        entries = self._entries
        return [p for p in self._members if entries[id(p)][1]]

    def ready_since(self) -> list[float | None]:
        """When each owned active ready Pod became ready (None: no transition time)."""
        return [facts[3] for facts in self._entries.values() if facts[1] and facts[2]]

    def adoptable_orphans(self, orphans: list[dict]) -> bool:
        """Some active orphan matches the selector (claim would adopt it); remembers the orphans' facts."""
        known, self._orphans = self._orphans, {}
        found = False
        for pod in orphans:
            facts = known.get(id(pod))
            if facts is None or facts[0] is not pod:
                facts = self._read(pod)
            self._orphans[id(pod)] = facts
            found = found or (facts[1] and facts[5])
        return found


class ReplicaSetController:
    name = "replicaset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("replicasets"),
            map_to("pods", _util.orphan_matcher(self.client, "replicasets", "ReplicaSet"), metadata_keys=True),
        ]
        self.failures: dict[ObjectKey, int] = {}  # failed syncs in a row, per ReplicaSet (back-off)
        self.pod_facts: dict[ObjectKey, tuple[str, PodFacts]] = {}  # per ReplicaSet: (its uid, facts)

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_replica_set(self.client, key, self.failures, self.pod_facts)


def sync_replica_set(client: Client, key: ObjectKey, failures: dict[ObjectKey, int] | None = None,
                     pod_facts: dict[ObjectKey, tuple[str, PodFacts]] | None = None) -> Result:
    rs = client.try_get("replicasets", key.name, key.namespace)
    if rs is None:
        if failures is not None:
            failures.pop(key, None)
        if pod_facts is not None:
            pod_facts.pop(key, None)
        return Result()
    rs_uid = objects.uid(rs)
    remembered = None if pod_facts is None else pod_facts.get(key)
    facts = remembered[1] if remembered is not None and remembered[0] == rs_uid else PodFacts()
    if pod_facts is not None:
        pod_facts[key] = (rs_uid, facts)
    facts.begin(rs)
    return _sync(client, key, rs, rs_uid, facts, failures)


def _sync(client: Client, key: ObjectKey, rs: dict, rs_uid: str, facts: PodFacts,
          failures: dict[ObjectKey, int] | None) -> Result:
    being_deleted = objects.is_being_deleted(rs)
    facts.refresh(client.controlled_view(PODS, key.namespace, rs_uid))
    # Claim looks at this ReplicaSet's Pods and the orphans only (Pods of other controllers are skipped
    # by claim anyway). It writes only to adopt a matching active orphan or to release an owned active Pod
    # the selector no longer matches; without either (the usual case) it keeps the owned active Pods, so
    # the counts answer without walking the Pods.
    orphans = client.controlled_view(PODS, key.namespace, None)
    pods: list[dict] | None = None
    if not being_deleted and (facts.misfits or facts.adoptable_orphans(orphans)):
        candidates = heapq.merge(facts.active_members(), (p for p in orphans if facts.of(p)[1]), key=objects.name)
        pods = _util.claim(client, rs, candidates, "pods", matches=facts.selected)
        claimed = len(pods)
    else:
        claimed = facts.active
    manage_error: StatusError | None = None
    diff = claimed - int(rs["spec"].get("replicas", 1))
    if not being_deleted:
        if diff > 0 and pods is None:
            pods = facts.active_members()
        # Every Pod of the namespace matters only to rank scale-down victims (Pods per node).
        manage_error = manage_replicas(client, rs, diff, pods or [],
                                       client.list_view(PODS, key.namespace) if diff > 0 else [], facts)
        if diff or pods is not None:  # Pods were written (created, deleted, adopted or released)
            facts.refresh(client.controlled_view(PODS, key.namespace, rs_uid))
    requeue = update_replica_set_status(client, rs, facts, manage_error, diff)
    if failures is not None:
        if manage_error is None:
            failures.pop(key, None)
        else:
            count = failures.get(key, 0)
            failures[key] = count + 1
            backoff = min(BACKOFF_BASE * 2 ** count, BACKOFF_MAX)
            requeue = backoff if requeue is None else min(requeue, backoff)
    return Result(requeue_after=requeue)


def manage_replicas(client: Client, rs: dict, diff: int, pods: list[dict], related: list[dict],
                    facts: PodFacts | None = None) -> StatusError | None:
    """Create or delete ``diff`` (claimed minus wanted) Pods; the first refused create (or a refused
    delete), if any. ``pods`` (the claimed ones) matter only when there are too many."""
    if diff < 0:
        count = min(-diff, BURST_REPLICAS)
        template = rs["spec"].get("template") or {}
        for _ in range(count):
            pod = _util.pod_from_template(template, rs)
            try:
                # The Pod is built fresh for the store: handing it over saves a scale-up two copies per
                # Pod. It is only read afterwards (its generated name).
                client.create_owned(pod)
            except StatusError as error:
                client.event(rs, "Warning", "FailedCreate", f"Error creating: {error.message}")
                return error
            client.event(rs, "Normal", "SuccessfulCreate", f"Created pod: {objects.name(pod)}")
    elif diff > 0:
        count = min(diff, BURST_REPLICAS)
        rank_parts = _util.deletion_rank_parts if facts is None else facts.rank_parts
        for pod in _util.get_pods_to_delete(pods, related, count, rank_parts):
            try:
                client.delete(PODS, objects.name(pod), objects.namespace(pod))
            except StatusError as error:
                if error.code != 404:  # already gone is what we wanted
                    return error
                continue
            client.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
    return None


def update_replica_set_status(client: Client, rs: dict, facts: PodFacts, manage_error: StatusError | None = None,
                              diff: int = 0) -> float | None:
    """calculateStatus + updateReplicaSetStatus over the owned active Pods ``facts`` counted; returns when a
    ready Pod becomes available."""
    min_ready = int(rs["spec"].get("minReadySeconds", 0) or 0)
    fully, ready = facts.fully_labeled, facts.ready
    available = ready  # podutil.IsPodAvailable: Ready for at least minReadySeconds
    wait: float | None = None
    if min_ready > 0:
        now = client.clock.now()
        available = 0
        for ready_since in facts.ready_since():
            if ready_since is not None and ready_since + min_ready <= now:
                available += 1
            else:
                remaining = (ready_since or 0.0) + min_ready - now
                wait = remaining if wait is None else min(wait, remaining)
    status: dict = {"replicas": facts.active}
    if fully:
        status["fullyLabeledReplicas"] = fully
    if ready:
        status["readyReplicas"] = ready
    if available:
        status["availableReplicas"] = available
    status["observedGeneration"] = rs["metadata"].get("generation", 1)
    conditions = list(rs.get("status", {}).get("conditions") or [])
    failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
    if manage_error is not None and failure is None:
        reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
        conditions.append({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": client.now(),
                           "reason": reason, "message": manage_error.message})
    elif manage_error is None and failure is not None:
        conditions = [c for c in conditions if c.get("type") != "ReplicaFailure"]
    if conditions:
        status["conditions"] = conditions
    if rs.get("status") != status:
        rs["status"] = status
        try:
            client.update_status(rs)
        except StatusError:
            return 1.0
    return None if wait is None else max(wait, 0.001)
