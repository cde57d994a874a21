"""Recreate (pkg/controller/deployment/recreate.go): all old Pods go before any new one is made."""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers import _util
from kubenb.controllers.deployment import progress, sync


def rollout_recreate(client: Client, d: dict, rss: list[dict]) -> float | None:
    d, new_rs, old_rss = sync.get_all_replica_sets_and_sync_revision(client, d, rss, False)
    all_rss = old_rss + ([new_rs] if new_rs else [])
    active_old = [rs for rs in old_rss if sync.spec_replicas(rs) > 0]
    if active_old:
        for rs in active_old:
            sync.scale_replica_set(client, d, rs, 0)
        return progress.sync_rollout_status(client, d, new_rs, _refresh(client, all_rss))
    if old_pods_running(client, d, old_rss):
        return progress.sync_rollout_status(client, d, new_rs, _refresh(client, all_rss))
    if new_rs is None:
        d, new_rs = sync.get_new_replica_set(client, d, rss, old_rss, True)
        all_rss = old_rss + ([new_rs] if new_rs else [])
    if new_rs is not None and sync.spec_replicas(new_rs) != sync.replicas(d):
        sync.scale_replica_set(client, d, new_rs, sync.replicas(d))
        return progress.sync_rollout_status(client, d, _refresh(client, [new_rs])[0], _refresh(client, all_rss))
    status = sync.calculate_status(client, d, new_rs, all_rss)
    if progress.deployment_complete(d, status):
        sync.cleanup_deployment(client, d, old_rss)
    return progress.sync_rollout_status(client, d, new_rs, _refresh(client, all_rss))


def _refresh(client: Client, rss: list[dict]) -> list[dict]:
    return [r for r in (client.try_get("replicasets", objects.name(rs), objects.namespace(rs)) for rs in rss)
            if r is not None]


def old_pods_running(client: Client, d: dict, old_rss: list[dict]) -> bool:
    """oldPodsRunning: any old Pod not yet Failed or Succeeded (terminating ones count)."""
    if any(int((rs.get("status") or {}).get("replicas", 0)) > 0 for rs in old_rss):
        return True
    # The old ReplicaSets' own Pods from the controller index, not every Pod of the namespace: a Recreate
    # Deployment is synced on each of its Pods' changes.
    namespace = objects.namespace(d) or ""
    old_pods = (pod for uid in sorted({objects.uid(rs) for rs in old_rss})
                for pod in client.controlled_view("pods", namespace, uid))
    for pod in old_pods:
        if pod.get("status", {}).get("phase") in ("Failed", "Succeeded"):
            continue
        if pod.get("status", {}).get("phase") == "Pending" and not pod["spec"].get("nodeName") \
                and not _util.is_pod_active(pod):
            continue
        return True
    return False
