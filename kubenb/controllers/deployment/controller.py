"""DeploymentController (pkg/controller/deployment/deployment_controller.go syncDeployment).

Dispatch for one Deployment: claim its ReplicaSets; a Deployment being
deleted only gets its status synced; a paused one or a pure scaling event
is scaled (sync.go sync); otherwise the strategy runs (Recreate or
RollingUpdate).
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers import _util
from kubenb.controllers.deployment import progress, recreate, rolling, sync
from kubenb.reconcile import ObjectKey, Result, for_, map_to

# Store index: the namespace of each Recreate Deployment (None for the others).
RECREATE_INDEX = "deployment-controller/recreate-namespace"


def _recreate_namespace(d: dict) -> str | None:
    if not isinstance(d.get("spec"), dict) or sync.strategy_type(d) != "Recreate":
        return None
    return objects.namespace(d)


class DeploymentController:
    name = "deployment-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("deployments"),
            map_to("replicasets", _util.orphan_matcher(self.client, "deployments", "Deployment"), metadata_keys=True),
            map_to("pods", self._pod_deleted_keys, metadata_keys=True),
        ]
        if not self.client.store.has_index("deployments", RECREATE_INDEX):
            self.client.store.add_index("deployments", RECREATE_INDEX, _recreate_namespace)

    def _pod_deleted_keys(self, pod: dict) -> list[ObjectKey]:
        # Recreate waits for old Pods to vanish; a Pod's owner ReplicaSet leads to its Deployment.
        # Asked on every Pod write (the manager skips a status write's previous version: metadata only),
        # and only a Recreate Deployment cares: without one in the namespace, nothing to look up.
        store = self.client.store
        namespace = objects.namespace(pod)
        if not store.in_index("deployments", RECREATE_INDEX, namespace):
            return []
        ref = objects.controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return []
        rs = store.get("replicasets", namespace, ref["name"])
        if rs is None:
            return []
        owner = objects.controller_ref(rs)
        if owner is None or owner.get("kind") != "Deployment":
            return []
        d = store.get("deployments", namespace, owner["name"])
        if d is None or sync.strategy_type(d) != "Recreate":
            return []
        return [ObjectKey("deployments", namespace, owner["name"])]

    def reconcile(self, key: ObjectKey) -> Result:
        return Result(requeue_after=sync_deployment(self.client, key))


def sync_deployment(client: Client, key: ObjectKey) -> float | None:
    d = client.try_get("deployments", key.name, key.namespace)
    if d is None:
        return None
    if not (d["spec"].get("selector") or {}).get("matchLabels") and \
            not (d["spec"].get("selector") or {}).get("matchExpressions"):
        return None  # selects everything: upstream refuses and records SelectingAll
    rss = sync.get_replica_sets_for_deployment(client, d)
    if objects.is_being_deleted(d):
        new_rs = sync.find_new_replica_set(d, rss)
        progress.sync_deployment_status(client, d, new_rs, rss)
        return None
    d = progress.check_paused_conditions(client, d)
    if d["spec"].get("paused"):
        return sync_paused_or_scaled(client, d, rss)
    if sync.is_scaling_event(d, rss):
        return sync_paused_or_scaled(client, d, rss)
    if sync.strategy_type(d) == "Recreate":
        return recreate.rollout_recreate(client, d, rss)
    return rolling.rollout_rolling(client, d, rss)


def sync_paused_or_scaled(client: Client, d: dict, rss: list[dict]) -> None:
    """sync.go sync: scale the ReplicaSets to the Deployment's size; no new template is rolled out."""
    d, new_rs, old_rss = sync.get_all_replica_sets_and_sync_revision(client, d, rss, False)
    sync.scale(client, d, new_rs, old_rss)
    all_rss = [r for r in (client.try_get("replicasets", objects.name(rs), objects.namespace(rs))
                           for rs in old_rss + ([new_rs] if new_rs else [])) if r is not None]
    if d["spec"].get("paused"):
        sync.cleanup_deployment(client, d, [rs for rs in all_rss if new_rs is None
                                            or objects.uid(rs) != objects.uid(new_rs)])
    new_rs = next((r for r in all_rss if new_rs is not None and objects.uid(r) == objects.uid(new_rs)), None)
    progress.sync_deployment_status(client, d, new_rs, all_rss)
    return None
