"""ReplicaSet controller (pkg/controller/replicaset/replica_set.go, replica_set_utils.go).

syncReplicaSet: claim Pods by selector (adopt orphans, release misfits),
create or delete the difference (at most ``BURST_REPLICAS`` per sync, as
upstream), then write status (replicas, fullyLabeledReplicas,
readyReplicas, availableReplicas, observedGeneration). Scale-down victims
follow ActivePodsWithRanks. Left out: expectations (a synchronous store
makes them moot), the ReplicaFailure condition and terminatingReplicas
(an alpha field in v1.33).
"""

from __future__ import annotations

import heapq

from kubenb.api import Client, objects, resources
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_, map_to

BURST_REPLICAS = 500
PODS = resources.by_plural("pods")  # resolved once: this is the hottest path of a big scale-up


class ReplicaSetController:
    name = "replicaset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("replicasets"),
            map_to("pods", _util.orphan_matcher(self.client, "replicasets", "ReplicaSet")),
        ]

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_replica_set(self.client, key)


def sync_replica_set(client: Client, key: ObjectKey) -> Result:
    rs = client.try_get("replicasets", key.name, key.namespace)
    if rs is None:
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
    if not objects.is_being_deleted(rs):
        # Every Pod of the namespace matters only to rank scale-down victims (Pods per node).
        scale_down = len(pods) > int(rs["spec"].get("replicas", 1))
        manage_replicas(client, rs, pods, client.list_view(PODS, key.namespace) if scale_down else [])
        pods = [p for p in client.controlled_view(PODS, key.namespace, rs_uid) if _util.is_pod_active(p)]
    requeue = update_replica_set_status(client, rs, pods)
    return Result(requeue_after=requeue)


def manage_replicas(client: Client, rs: dict, pods: list[dict], related: list[dict]) -> None:
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
                return
            client.event(rs, "Normal", "SuccessfulCreate", f"Created pod: {objects.name(created)}")
    elif diff > 0:
        count = min(diff, BURST_REPLICAS)
        for pod in _util.get_pods_to_delete(pods, related, count):
            try:
                client.delete(PODS, objects.name(pod), objects.namespace(pod))
            except StatusError:
                continue
            client.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")


def update_replica_set_status(client: Client, rs: dict, pods: list[dict]) -> float | None:
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
    conditions = rs.get("status", {}).get("conditions")
    if conditions:
        status["conditions"] = conditions
    if rs.get("status") != status:
        rs["status"] = status
        try:
            client.update_status(rs)
        except StatusError:
            return 1.0
    return None if wait is None else max(wait, 0.001)
