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

from kubenb.api import Client, objects, resources, selectors
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import parse_rfc3339

BURST_REPLICAS = 500
# workqueue.DefaultControllerRateLimiter's per-item exponential back-off.
BACKOFF_BASE, BACKOFF_MAX = 0.005, 1000.0
PODS = resources.by_plural("pods")  # resolved once: this is the hottest path of a big scale-up


class PodFacts:
    """What a sync reads from each of one ReplicaSet's Pods, remembered per stored Pod version.

    A sync looks at every Pod of its ReplicaSet, and a rolling update syncs it once per Pod change:
    reading each unchanged Pod again made a rollout quadratic. The store replaces an object on every
    write and never changes one in place, so a Pod seen before (the same object) has the same facts.
    """

    def __init__(self) -> None:
        self._template_labels: dict | None = None
        self._selector_spec: object = None
        self._selector: selectors.Selector | None = None
        self._known: dict[str, tuple[dict, bool, bool, float | None, bool, bool]] = {}
        self._seen: dict[str, tuple[dict, bool, bool, float | None, bool, bool]] = {}

    def begin(self, rs: dict) -> None:
        template_labels = objects.get_path(rs, "spec.template.metadata.labels") or {}
        selector_spec = objects.get_path(rs, "spec.selector")
        if template_labels != self._template_labels or selector_spec != self._selector_spec:
            self._template_labels = objects.clone(template_labels)
            self._selector_spec = objects.clone(selector_spec)
            self._selector = _util.selector_of(rs)
            self._known = {}
        self._seen = {}

    def selected(self, pod: dict) -> bool:
        """The ReplicaSet's selector matches the Pod's labels (claim's test)."""
        return self.of(pod)[5]

    def of(self, pod: dict) -> tuple[dict, bool, bool, float | None, bool, bool]:
        """(pod, active, ready, ready since, fully labeled, selected) for this version of the Pod."""
        uid = pod["metadata"].get("uid", "")
        facts = self._seen.get(uid) or self._known.get(uid)
        if facts is None or facts[0] is not pod:
            ready_condition = _util.condition(pod, "Ready")
            ready = ready_condition is not None and ready_condition.get("status") == "True"
            since_text = ready_condition.get("lastTransitionTime") if ready else None
            labels = objects.labels(pod)
            facts = (pod, _util.is_pod_active(pod), ready, parse_rfc3339(since_text) if since_text else None,
                     all(labels.get(k) == v for k, v in (self._template_labels or {}).items()),
                     self._selector is not None and self._selector.matches(labels))
        self._seen[uid] = facts
        return facts

    def end(self) -> None:
        """Forget the Pods this sync did not see (deleted, released)."""
        self._known, self._seen = self._seen, {}


class ReplicaSetController:
    name = "replicaset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("replicasets"),
            map_to("pods", _util.orphan_matcher(self.client, "replicasets", "ReplicaSet")),
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
    try:
        return _sync(client, key, rs, rs_uid, facts, failures)
    finally:
        facts.end()


def _sync(client: Client, key: ObjectKey, rs: dict, rs_uid: str, facts: PodFacts,
          failures: dict[ObjectKey, int] | None) -> Result:
    # Claim looks at this ReplicaSet's Pods and the orphans only (Pods of other controllers are
    # skipped by claim anyway); both come from the store's controller index, merged back into name order.
    candidates = heapq.merge(client.controlled_view(PODS, key.namespace, rs_uid),
                             client.controlled_view(PODS, key.namespace, None), key=objects.name)
    active = [p for p in candidates if facts.of(p)[1]]
    # Owned pods being deleted are claimed too (they are counted nowhere but must not be adopted).
    pods = _util.claim(client, rs, active, "pods", matches=facts.selected)
    requeue: float | None = None
    manage_error: StatusError | None = None
    diff = len(pods) - int(rs["spec"].get("replicas", 1))
    if not objects.is_being_deleted(rs):
        # Every Pod of the namespace matters only to rank scale-down victims (Pods per node).
        scale_down = diff > 0
        manage_error = manage_replicas(client, rs, pods, client.list_view(PODS, key.namespace) if scale_down else [])
        pods = [p for p in client.controlled_view(PODS, key.namespace, rs_uid) if facts.of(p)[1]]
    requeue = update_replica_set_status(client, rs, pods, manage_error, diff, facts)
    if failures is not None:
        if manage_error is None:
            failures.pop(key, None)
        else:
            count = failures.get(key, 0)
            failures[key] = count + 1
            backoff = min(BACKOFF_BASE * 2 ** count, BACKOFF_MAX)
            requeue = backoff if requeue is None else min(requeue, backoff)
    return Result(requeue_after=requeue)


def manage_replicas(client: Client, rs: dict, pods: list[dict], related: list[dict]) -> StatusError | None:
    """Create or delete the difference; the first refused create (or a refused delete), if any."""
    wanted = int(rs["spec"].get("replicas", 1))
    diff = len(pods) - wanted
    if diff < 0:
        count = min(-diff, BURST_REPLICAS)
        template = rs["spec"].get("template") or {}
        for _ in range(count):
            pod = _util.pod_from_template(template, rs)
            try:
                created = client.create(pod)
            except StatusError as error:
                client.event(rs, "Warning", "FailedCreate", f"Error creating: {error.message}")
                return error
            client.event(rs, "Normal", "SuccessfulCreate", f"Created pod: {objects.name(created)}")
    elif diff > 0:
        count = min(diff, BURST_REPLICAS)
        for pod in _util.get_pods_to_delete(pods, related, count):
            try:
                client.delete(PODS, objects.name(pod), objects.namespace(pod))
            except StatusError as error:
                if error.code != 404:  # already gone is what we wanted
                    return error
                continue
            client.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
    return None


def update_replica_set_status(client: Client, rs: dict, pods: list[dict], manage_error: StatusError | None = None,
                              diff: int = 0, facts: PodFacts | None = None) -> float | None:
    """calculateStatus + updateReplicaSetStatus; returns when a ready Pod becomes available."""
    min_ready = int(rs["spec"].get("minReadySeconds", 0) or 0)
    if facts is None:
        facts = PodFacts()
        facts.begin(rs)
    now = client.clock.now()
    fully = ready = available = 0
    wait: float | None = None
    for pod in pods:
        _, _, is_ready, ready_since, fully_labeled, _ = facts.of(pod)
        if fully_labeled:
            fully += 1
        if is_ready:
            ready += 1
            # podutil.IsPodAvailable: Ready for at least minReadySeconds.
            if min_ready <= 0 or (ready_since is not None and ready_since + min_ready <= now):
                available += 1
            else:
                remaining = (ready_since or 0.0) + min_ready - now
                wait = remaining if wait is None else min(wait, remaining)
    status: dict = {"replicas": len(pods)}
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
