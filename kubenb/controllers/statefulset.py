"""StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go, stateful_set_utils.go).

Pods ``<set>-<ordinal>`` with hostname and subdomain (spec.serviceName),
labels ``statefulset.kubernetes.io/pod-name``, ``apps.kubernetes.io/pod-index``
and ``controller-revision-hash``; PVCs ``<claim>-<set>-<ordinal>`` from
volumeClaimTemplates. OrderedReady creates one Pod at a time, each Running
and Ready before the next, and deletes from the highest ordinal; Parallel
does all at once. RollingUpdate replaces Pods whose revision differs,
highest ordinal first, down to ``partition``, one at a time.
Each distinct template is a ControllerRevision ``<set>-<hash>``
(getStatefulSetRevisions, truncateHistory); status.currentRevision and
updateRevision name them, and Pods below the partition are created from the
current revision. Left out: PVC retention policy, maxUnavailable (alpha), minReadySeconds availability.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.controllers import _util, history
from kubenb.reconcile import ObjectKey, Result, for_, map_to

REVISION_LABEL = "controller-revision-hash"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"


def ordinal_of(sts: dict, pod: dict) -> int:
    prefix = objects.name(sts) + "-"
    tail = objects.name(pod)[len(prefix):] if objects.name(pod).startswith(prefix) else ""
    return int(tail) if tail.isdigit() else -1


class StatefulSetController:
    name = "statefulset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("statefulsets"), map_to("pods", _util.owner_key("statefulsets", "StatefulSet"), metadata_keys=True),
                        map_to("controllerrevisions", _util.owner_key("statefulsets", "StatefulSet"),
                               metadata_keys=True)]

    def reconcile(self, key: ObjectKey) -> Result:
        sts = self.client.try_get("statefulsets", key.name, key.namespace)
        if sts is None or objects.is_being_deleted(sts):
            return Result()
        self.update_stateful_set(sts)
        return Result()

    def _new_pod(self, sts: dict, ordinal: int, revision: str) -> dict:
        name = f"{objects.name(sts)}-{ordinal}"
        pod = _util.pod_from_template(sts["spec"].get("template") or {}, sts)
        md = pod["metadata"]
        md.pop("generateName")
        md["name"] = name
        labels = md.setdefault("labels", {})
        labels[REVISION_LABEL] = revision
        labels[POD_NAME_LABEL] = name
        labels[POD_INDEX_LABEL] = str(ordinal)
        pod["spec"]["hostname"] = name
        if sts["spec"].get("serviceName"):
            pod["spec"]["subdomain"] = sts["spec"]["serviceName"]
        volumes = pod["spec"].setdefault("volumes", [])
        for template in sts["spec"].get("volumeClaimTemplates") or []:
            claim = f"{objects.name(template)}-{name}"
            volumes[:] = [v for v in volumes if v.get("name") != objects.name(template)]
            volumes.append({"name": objects.name(template), "persistentVolumeClaim": {"claimName": claim}})
        if not volumes:
            pod["spec"].pop("volumes")
        return pod

    def _ensure_claims(self, sts: dict, pod_name: str) -> None:
        for template in sts["spec"].get("volumeClaimTemplates") or []:
            claim = f"{objects.name(template)}-{pod_name}"
            if self.client.try_get("persistentvolumeclaims", claim, objects.namespace(sts)) is not None:
                continue
            labels = dict(objects.get_path(sts, "spec.selector.matchLabels") or {})
            pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                   "metadata": {"name": claim, "namespace": objects.namespace(sts), "labels": labels or None},
                   "spec": objects.clone(template.get("spec") or {})}
            if not labels:
                pvc["metadata"].pop("labels")
            try:
                self.client.create(pvc)
                self.client.event(sts, "Normal", "SuccessfulCreate",
                                  f"create Claim {claim} Pod {pod_name} in StatefulSet {objects.name(sts)} success")
            except StatusError as error:
                self.client.event(sts, "Warning", "FailedCreate",
                                  f"create Claim {claim} for Pod {pod_name} in StatefulSet {objects.name(sts)} "
                                  f"failed error: {error.message}")

    def update_stateful_set(self, sts: dict) -> None:
        revisions = history.controlled_revisions(self.client, sts)
        current_rev, update_rev, collision_count = self.get_stateful_set_revisions(sts, revisions)
        self._sync_pods(sts, current_rev, update_rev)
        self._status(sts, objects.name(update_rev), objects.name(current_rev), collision_count)
        self.truncate_history(sts, revisions, current_rev, update_rev)

    # --- revisions (stateful_set_control.go) -----------------------------------------------------------

    def get_stateful_set_revisions(self, sts: dict, revisions: list[dict]) -> tuple[dict, dict, int]:
        """getStatefulSetRevisions: (current, update, collisionCount); creates or renumbers the update revision."""
        collision_count = int((sts.get("status") or {}).get("collisionCount") or 0)
        data = history.get_patch(sts)
        next_revision = int(revisions[-1].get("revision") or 0) + 1 if revisions else 1
        equal = [r for r in revisions if history.data_equal(r, data)]
        if equal and objects.name(equal[-1]) == objects.name(revisions[-1]):
            update_rev = revisions[-1]
        elif equal:
            update_rev = equal[-1]
            if int(update_rev.get("revision") or 0) != next_revision:
                update_rev = self.client.mutate("controllerrevisions", objects.name(update_rev),
                                                objects.namespace(update_rev),
                                                lambda r: r.__setitem__("revision", next_revision))
        else:
            update_rev, collision_count = self.create_controller_revision(sts, data, next_revision, collision_count)
        current_name = (sts.get("status") or {}).get("currentRevision")
        current_rev = next((r for r in revisions if objects.name(r) == current_name), None) or update_rev
        return current_rev, update_rev, collision_count

    def create_controller_revision(self, sts: dict, data: dict, revision: int, collision_count: int) -> tuple[dict, int]:
        """CreateControllerRevision: retry under a new name (collisionCount + 1) while a different revision owns it."""
        label_hash = history.hash_controller_revision(data, collision_count)
        while True:
            rev = history.new_controller_revision(sts, data, revision, label_hash, objects.annotations(sts))
            rev["metadata"]["name"] = history.controller_revision_name(
                objects.name(sts), history.hash_controller_revision(data, collision_count))
            try:
                return self.client.create(rev), collision_count
            except StatusError as error:
                if error.reason != "AlreadyExists":
                    raise
            existing = self.client.get("controllerrevisions", rev["metadata"]["name"], objects.namespace(sts))
            if history.data_equal(existing, data):
                return existing, collision_count
            collision_count += 1

    def truncate_history(self, sts: dict, revisions: list[dict], current_rev: dict, update_rev: dict) -> None:
        """truncateHistory: keep revisionHistoryLimit revisions besides those in use (current, update, Pods')."""
        live = {objects.name(current_rev), objects.name(update_rev)}
        live.update(objects.labels(p).get(REVISION_LABEL) for p in self._owned_pods(sts))
        old = [r for r in revisions if objects.name(r) not in live]
        limit = sts["spec"].get("revisionHistoryLimit")
        excess = len(old) - (10 if limit is None else int(limit))
        for rev in old[:max(0, excess)]:
            try:
                self.client.delete("controllerrevisions", objects.name(rev), objects.namespace(rev))
            except StatusError:
                pass

    def _owned_pods(self, sts: dict) -> list[dict]:
        return self.client.controlled_view("pods", objects.namespace(sts) or "", objects.uid(sts))

    # --- pods ------------------------------------------------------------------------------------------

    def _sync_pods(self, sts: dict, current_rev: dict, update_rev: dict) -> None:
        client = self.client
        ns = objects.namespace(sts)
        replicas = int(sts["spec"].get("replicas", 1) if sts["spec"].get("replicas") is not None else 1)
        parallel = sts["spec"].get("podManagementPolicy") == "Parallel"
        revision = objects.name(update_rev)
        current_set = history.apply_revision(sts, current_rev)
        strategy = sts["spec"].get("updateStrategy") or {}
        partition = None
        if (strategy.get("type") or "RollingUpdate") == "RollingUpdate":
            partition = int((strategy.get("rollingUpdate") or {}).get("partition", 0) or 0)
        pods = _util.claim(client, sts, _util.claim_candidates(client, "pods", ns or "", objects.uid(sts)), "pods",
                           lambda p: ordinal_of(sts, p) >= 0 and _util.selector_of(sts).matches(objects.labels(p)))
        by_ordinal = {ordinal_of(sts, p): p for p in pods}
        sts_name = objects.name(sts)
        # Create missing replicas (ordinal order) and replace failed ones.
        for ordinal in range(replicas):
            pod = by_ordinal.get(ordinal)
            if pod is not None and pod.get("status", {}).get("phase") in ("Failed", "Succeeded") \
                    and not objects.is_being_deleted(pod):
                client.delete("pods", objects.name(pod), ns)
                client.event(sts, "Normal", "SuccessfulDelete", f"delete Pod {objects.name(pod)} in StatefulSet {sts_name} successful")
                if not parallel:
                    return
                continue
            if pod is None:
                self._ensure_claims(sts, f"{sts_name}-{ordinal}")
                # newVersionedStatefulSetPod: ordinals below the partition stay at the current revision.
                if partition is not None and ordinal < partition:
                    made = client.create(self._new_pod(current_set, ordinal, objects.name(current_rev)))
                else:
                    made = client.create(self._new_pod(sts, ordinal, revision))
                client.event(sts, "Normal", "SuccessfulCreate", f"create Pod {objects.name(made)} in StatefulSet {sts_name} successful")
                if not parallel:
                    return
                continue
            if not parallel and (objects.is_being_deleted(pod) or not (
                    pod.get("status", {}).get("phase") == "Running" and _util.is_pod_ready(pod))):
                return
        # Scale down: highest ordinal first.
        for ordinal in sorted((o for o in by_ordinal if o >= replicas), reverse=True):
            pod = by_ordinal[ordinal]
            if objects.is_being_deleted(pod):
                if not parallel:
                    return
                continue
            client.delete("pods", objects.name(pod), ns)
            client.event(sts, "Normal", "SuccessfulDelete", f"delete Pod {objects.name(pod)} in StatefulSet {sts_name} successful")
            if not parallel:
                return
        # Rolling update: highest ordinal first, not below the partition, one at a time.
        if partition is not None:
            for ordinal in range(replicas - 1, partition - 1, -1):
                pod = by_ordinal.get(ordinal)
                if pod is None:
                    continue
                if objects.labels(pod).get(REVISION_LABEL) != revision:
                    if not objects.is_being_deleted(pod):
                        client.delete("pods", objects.name(pod), ns)
                        client.event(sts, "Normal", "SuccessfulDelete",
                                     f"delete Pod {objects.name(pod)} in StatefulSet {sts_name} successful")
                    break
                if not (pod.get("status", {}).get("phase") == "Running" and _util.is_pod_ready(pod)):
                    break

    def _status(self, sts: dict, revision: str, current_revision: str, collision_count: int) -> None:
        pods = self._owned_pods(sts)
        old = sts.get("status") or {}
        replicas = sum(1 for p in pods if not objects.is_being_deleted(p))
        updated = sum(1 for p in pods if objects.labels(p).get(REVISION_LABEL) == revision and not objects.is_being_deleted(p))
        ready = sum(1 for p in pods if _util.is_pod_ready(p) and not objects.is_being_deleted(p))
        want = int(sts["spec"].get("replicas", 1) if sts["spec"].get("replicas") is not None else 1)
        if updated == want and replicas == want:
            current_revision = revision
        current = sum(1 for p in pods if objects.labels(p).get(REVISION_LABEL) == current_revision and not objects.is_being_deleted(p))
        status = {"observedGeneration": sts["metadata"].get("generation", 1), "replicas": replicas,
                  "currentReplicas": current, "updatedReplicas": updated, "currentRevision": current_revision,
                  "updateRevision": revision, "collisionCount": collision_count}
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        for key in ("currentReplicas", "updatedReplicas"):
            if not status[key]:
                status.pop(key)
        if status != old:
            sts["status"] = status
            self.client.update_status(sts)
