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

from kubenb.api import Client, objects, resources
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_, map_to

BURST_REPLICAS = 500
# workqueue.DefaultControllerRateLimiter's per-item exponential back-off.
BACKOFF_BASE, BACKOFF_MAX = 0.005, 1000.0
PODS = resources.by_plural("pods")  # resolved once: this is the hottest path of a big scale-up


class ReplicaSetController:
    name = "replicaset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("replicasets"),
            map_to("pods", _util.orphan_matcher(self.client, "replicasets", "ReplicaSet")),
        ]
        self.failures: dict[ObjectKey, int] = {}  # failed syncs in a row, per ReplicaSet (back-off)

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_replica_set(self.client, key, self.failures)


def sync_replica_set(client: Client, key: ObjectKey, failures: dict[ObjectKey, int] | None = None) -> Result:
    rs = client.try_get("replicasets", key.name, key.namespace)
    if rs is None:
        if failures is not None:
            failures.pop(key, None)
        return Result()
    rs_uid = objects.uid(rs)
    # Claim looks at this ReplicaSet's Pods and the orphans only (Pods of other controllers are
    # skipped by claim anyway); both come from the store's controller index, merged back into name order.
    candidates = heapq.merge(client.controlled_view(PODS, key.namespace, rs_uid),
                             client.controlled_view(PODS, key.namespace, None), key=objects.name)
    active = [p for p in candidates if _util.is_pod_active(p)]
    # Owned pods being deleted are claimed too (they are counted nowhere but must not be adopted).
    pods = _util.claim(client, rs, active, "pods")
    requeue: float | None = None
    manage_error: StatusError | None = None
    diff = len(pods) - int(rs["spec"].get("replicas", 1))
    if not objects.is_being_deleted(rs):
        # Every Pod of the namespace matters only to rank scale-down victims (Pods per node).
        scale_down = diff > 0
        manage_error = manage_replicas(client, rs, pods, client.list_view(PODS, key.namespace) if scale_down else [])
        pods = [p for p in client.controlled_view(PODS, key.namespace, rs_uid) if _util.is_pod_active(p)]
    requeue = update_replica_set_status(client, rs, pods, manage_error, diff)
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
                              diff: int = 0) -> float | None:
    """calculateStatus + updateReplicaSetStatus; returns when a ready Pod becomes available."""
    min_ready = int(rs["spec"].get("minReadySeconds", 0) or 0)
    template_labels = objects.get_path(rs, "spec.template.metadata.labels") or {}
    now = client.clock.now()
    fully = ready = available = 0
    wait: float | None = None
    for pod in pods:
        labels = objects.labels(pod)
        if all(labels.get(k) == v for k, v in template_labels.items()):
            fully += 1
        if _util.is_pod_ready(pod):
            ready += 1
            if _util.is_pod_available(pod, min_ready, now):
                available += 1
            else:
                remaining = _util.pod_ready_since(pod) + min_ready - now
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
