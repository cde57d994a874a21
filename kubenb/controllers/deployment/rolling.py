"""RollingUpdate (pkg/controller/deployment/rolling.go).

Each sync either grows the new ReplicaSet (within replicas + maxSurge),
or shrinks old ones (unhealthy replicas first, then oldest first, never
below replicas - maxUnavailable available Pods), then records progress.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers.deployment import progress, sync


def rollout_rolling(client: Client, d: dict, rss: list[dict]) -> float | None:
    d, new_rs, old_rss = sync.get_all_replica_sets_and_sync_revision(client, d, rss, True)
    all_rss = old_rss + ([new_rs] if new_rs else [])
    if reconcile_new_replica_set(client, d, all_rss, new_rs):
        return progress.sync_rollout_status(client, d, _fresh(client, new_rs), _fresh_all(client, all_rss))
    all_rss = _fresh_all(client, all_rss)
    new_rs = _fresh(client, new_rs)
    old_rss = [rs for rs in all_rss if new_rs is None or objects.uid(rs) != objects.uid(new_rs)]
    if reconcile_old_replica_sets(client, d, all_rss, old_rss, new_rs):
        return progress.sync_rollout_status(client, d, _fresh(client, new_rs), _fresh_all(client, all_rss))
    all_rss = _fresh_all(client, all_rss)
    status = sync.calculate_status(client, d, new_rs, all_rss)
    if progress.deployment_complete(d, status):
        sync.cleanup_deployment(client, d, old_rss)
    return progress.sync_rollout_status(client, d, new_rs, _fresh_all(client, all_rss))


def _fresh(client: Client, rs: dict | None) -> dict | None:
    if rs is None:
        return None
    return client.try_get("replicasets", objects.name(rs), objects.namespace(rs))


def _fresh_all(client: Client, rss: list[dict]) -> list[dict]:
    return [r for r in (_fresh(client, rs) for rs in rss) if r is not None]


def reconcile_new_replica_set(client: Client, d: dict, all_rss: list[dict], new_rs: dict | None) -> bool:
    if new_rs is None:
        return False
    want = sync.replicas(d)
    current = sync.spec_replicas(new_rs)
    if current == want:
        return False
    if current > want:
        sync.scale_replica_set(client, d, new_rs, want)
        return True
    new_count = sync.new_rs_new_replicas(d, all_rss, new_rs)
    if new_count == current:
        return False
    sync.scale_replica_set(client, d, new_rs, new_count)
    return True


def reconcile_old_replica_sets(client: Client, d: dict, all_rss: list[dict], old_rss: list[dict],
                               new_rs: dict | None) -> bool:
    old_pods = sum(sync.spec_replicas(rs) for rs in old_rss)
    if old_pods == 0:
        return False
    all_pods = sum(sync.spec_replicas(rs) for rs in all_rss)
    min_available = sync.replicas(d) - sync.max_unavailable(d)
    new_unavailable = 0
    if new_rs is not None:
        new_unavailable = sync.spec_replicas(new_rs) - int((new_rs.get("status") or {}).get("availableReplicas", 0))
    max_scaled_down = all_pods - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False
    old_rss, cleaned = cleanup_unhealthy_replicas(client, d, old_rss, max_scaled_down)
    all_rss = old_rss + ([new_rs] if new_rs else [])
    scaled = scale_down_old_replica_sets_for_rolling_update(client, d, all_rss, old_rss)
    return cleaned + scaled > 0


def cleanup_unhealthy_replicas(client: Client, d: dict, old_rss: list[dict],
                               max_cleanup: int) -> tuple[list[dict], int]:
    total = 0
    result: list[dict] = []
    for rs in sync.by_creation(old_rss):
        size = sync.spec_replicas(rs)
        available = int((rs.get("status") or {}).get("availableReplicas", 0))
        if total >= max_cleanup or size == 0 or size == available:
            result.append(rs)
            continue
        count = min(max_cleanup - total, size - available)
        rs = sync.scale_replica_set(client, d, rs, size - count)
        total += count
        result.append(rs)
    return result, total


def scale_down_old_replica_sets_for_rolling_update(client: Client, d: dict, all_rss: list[dict],
                                                   old_rss: list[dict]) -> int:
    min_available = sync.replicas(d) - sync.max_unavailable(d)
    available = sum(int((rs.get("status") or {}).get("availableReplicas", 0)) for rs in all_rss)
    if available <= min_available:
        return 0
    budget = available - min_available
    total = 0
    for rs in sync.by_creation(old_rss):
        if total >= budget:
            break
        size = sync.spec_replicas(rs)
        if size == 0:
            continue
        count = min(size, budget - total)
        sync.scale_replica_set(client, d, rs, size - count)
        total += count
    return total
