"""Shared Deployment mechanics (pkg/controller/deployment/sync.go and util/deployment_util.go).

ReplicaSet discovery and claiming, the new ReplicaSet (pod-template-hash,
revision annotations, collisionCount), scaling with ScalingReplicaSet
events, proportional scaling, history cleanup and calculateStatus.
Left out: the ReplicaFailure condition and the deprecated
``deprecated.deployment.rollback.to`` rollback annotation (kubectl undo
patches the template itself since apps/v1).
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.controllers import _util

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
DEFAULT_HASH_LABEL = "pod-template-hash"
SKIP_COPY = {LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO}
MAX_INT32 = 2**31 - 1


# --- spec accessors with the apps/v1 defaults ------------------------------------------------------

def replicas(d: dict) -> int:
    value = d["spec"].get("replicas")
    return 1 if value is None else int(value)


def strategy_type(d: dict) -> str:
    return (d["spec"].get("strategy") or {}).get("type") or "RollingUpdate"


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None, desired: int) -> tuple[int, int]:
    """deploymentutil.ResolveFenceposts: surge rounds up, unavailable down, never both zero."""
    surge = _util.scaled_value(max_surge, desired, True, "25%")
    unavailable = _util.scaled_value(max_unavailable, desired, False, "25%")
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling(d: dict) -> dict:
    return (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(d: dict) -> int:
    if strategy_type(d) != "RollingUpdate":
        return 0
    surge, _ = resolve_fenceposts(_rolling(d).get("maxSurge"), _rolling(d).get("maxUnavailable"), replicas(d))
    return surge


def max_unavailable(d: dict) -> int:
    if strategy_type(d) != "RollingUpdate" or replicas(d) == 0:
        return 0
    _, unavailable = resolve_fenceposts(_rolling(d).get("maxSurge"), _rolling(d).get("maxUnavailable"), replicas(d))
    return min(unavailable, replicas(d))


def progress_deadline(d: dict) -> int:
    value = d["spec"].get("progressDeadlineSeconds")
    return 600 if value is None else int(value)


def has_progress_deadline(d: dict) -> bool:
    return progress_deadline(d) != MAX_INT32


def revision_of(obj: dict) -> int:
    try:
        return int(objects.annotations(obj).get(REVISION, "0"))
    except ValueError:
        return 0


def spec_replicas(rs: dict | None) -> int:
    return 0 if rs is None else int(rs["spec"].get("replicas", 1))


def by_creation(rss: list[dict]) -> list[dict]:
    """controller.ReplicaSetsByCreationTimestamp: oldest first, then by name."""
    return sorted(rss, key=lambda r: (r["metadata"].get("creationTimestamp", ""), objects.name(r)))


def template_without_hash(template: dict) -> dict:
    clean = objects.clone(template)
    labels = (clean.get("metadata") or {}).get("labels")
    if labels is not None:
        labels.pop(DEFAULT_HASH_LABEL, None)
        if not labels:
            clean["metadata"].pop("labels")
    if clean.get("metadata") == {}:
        clean.pop("metadata")
    return clean


def equal_ignore_hash(a: dict, b: dict) -> bool:
    return template_without_hash(a) == template_without_hash(b)


# --- ReplicaSets of a Deployment ------------------------------------------------------------------

def get_replica_sets_for_deployment(client: Client, d: dict) -> list[dict]:
    candidates = client.list_view("replicasets", objects.namespace(d))
    # claim hands back the store's own dicts for ReplicaSets it already owns; this sync edits them.
    return [objects.clone(rs) for rs in _util.claim(client, d, candidates, "replicasets")]


def find_new_replica_set(d: dict, rss: list[dict]) -> dict | None:
    for rs in by_creation(rss):
        if equal_ignore_hash(rs["spec"].get("template") or {}, d["spec"].get("template") or {}):
            return rs
    return None


def find_old_replica_sets(new_rs: dict | None, rss: list[dict]) -> list[dict]:
    new_uid = objects.uid(new_rs) if new_rs else None
    return [rs for rs in rss if objects.uid(rs) != new_uid]


def max_revision(rss: list[dict]) -> int:
    return max([revision_of(rs) for rs in rss] or [0])


def copy_deployment_annotations(d: dict, rs: dict) -> bool:
    """copyDeploymentAnnotationsToReplicaSet: the Deployment's own annotations, minus the controller's."""
    changed = False
    annotations = rs["metadata"].setdefault("annotations", {})
    for key, value in objects.annotations(d).items():
        if key in SKIP_COPY:
            continue
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def set_replicas_annotations(rs: dict, desired: int, max_replicas_value: int) -> bool:
    annotations = rs["metadata"].setdefault("annotations", {})
    wanted = {DESIRED_REPLICAS: str(desired), MAX_REPLICAS: str(max_replicas_value)}
    if all(annotations.get(k) == v for k, v in wanted.items()):
        return False
    annotations.update(wanted)
    return True


def set_new_replica_set_annotations(d: dict, rs: dict, new_revision: int, exists: bool) -> bool:
    """deploymentutil.SetNewReplicaSetAnnotations."""
    changed = copy_deployment_annotations(d, rs)
    annotations = rs["metadata"].setdefault("annotations", {})
    old = annotations.get(REVISION, "")
    try:
        old_number = int(old) if old else 0
    except ValueError:
        old_number = 0
    if old_number < new_revision:
        annotations[REVISION] = str(new_revision)
        changed = True
        if old:
            history = annotations.get(REVISION_HISTORY)
            annotations[REVISION_HISTORY] = old if not history else history + "," + old
    if not exists and set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)):
        changed = True
    return changed


def scale_replica_set(client: Client, d: dict, rs: dict, new_size: int) -> dict:
    """scaleReplicaSetAndRecordEvent + scaleReplicaSet."""
    old_size = spec_replicas(rs)
    size_changed = old_size != new_size
    annotations_changed = set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d))
    if not size_changed and not annotations_changed:
        return rs
    rs["spec"]["replicas"] = new_size
    rs = client.update(rs)
    if size_changed:
        direction = "up" if new_size > old_size else "down"
        client.event(d, "Normal", "ScalingReplicaSet",
                     f"Scaled {direction} replica set {objects.name(rs)} from {old_size} to {new_size}")
    return rs


def new_rs_new_replicas(d: dict, all_rss: list[dict], new_rs: dict | None) -> int:
    """deploymentutil.NewRSNewReplicas."""
    if strategy_type(d) == "Recreate":
        return replicas(d)
    current = spec_replicas(new_rs)
    surge = max_surge(d)
    pods = sum(spec_replicas(rs) for rs in all_rss)
    max_total = replicas(d) + surge
    if pods >= max_total:
        return current
    scale_up = min(max_total - pods, replicas(d) - current)
    return current + scale_up


def get_new_replica_set(client: Client, d: dict, rss: list[dict], old_rss: list[dict],
                        create: bool) -> tuple[dict, dict | None]:
    """getNewReplicaSet: the ReplicaSet of the current template, created when asked. Returns (d, rs)."""
    from kubenb.controllers.deployment import progress

    existing = find_new_replica_set(d, rss)
    new_revision = max_revision(old_rss) + 1
    if existing is not None:
        rs = objects.clone(existing)
        changed = set_new_replica_set_annotations(d, rs, new_revision, True)
        min_ready = d["spec"].get("minReadySeconds", 0)
        if rs["spec"].get("minReadySeconds", 0) != min_ready:
            rs["spec"]["minReadySeconds"] = min_ready
            changed = True
        if changed:
            rs = client.update(rs)
        d = set_deployment_revision(client, d, objects.annotations(rs).get(REVISION, ""))
        if has_progress_deadline(d) and _util.condition(d, "Progressing") is None:
            status = objects.clone(d.get("status") or {})
            progress.set_deployment_condition(client, status, progress.new_condition(
                client, "Progressing", "True", "FoundNewReplicaSet", f'Found new replica set "{objects.name(rs)}"'))
            d["status"] = status
            d = client.update_status(d)
        return d, rs
    if not create:
        return d, None
    collision = (d.get("status") or {}).get("collisionCount")
    template = objects.clone(d["spec"].get("template") or {})
    pod_hash = _util.compute_hash(template, collision)
    template.setdefault("metadata", {}).setdefault("labels", {})[DEFAULT_HASH_LABEL] = pod_hash
    selector = objects.clone(d["spec"].get("selector") or {})
    selector.setdefault("matchLabels", {})[DEFAULT_HASH_LABEL] = pod_hash
    rs: dict = {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": f"{objects.name(d)}-{pod_hash}", "namespace": objects.namespace(d),
                     "labels": dict(template["metadata"]["labels"]),
                     "ownerReferences": [objects.new_controller_ref(d)]},
        "spec": {"replicas": 0, "minReadySeconds": d["spec"].get("minReadySeconds", 0),
                 "selector": selector, "template": template},
    }
    new_count = new_rs_new_replicas(d, old_rss, None)
    rs["spec"]["replicas"] = new_count
    set_new_replica_set_annotations(d, rs, new_revision, False)
    try:
        created = client.create(rs)
    except StatusError as error:
        if error.reason != "AlreadyExists":
            raise
        clash = client.try_get("replicasets", objects.name(rs), objects.namespace(d))
        if clash is not None and objects.controller_ref(clash) and \
                objects.controller_ref(clash).get("uid") == objects.uid(d) and \
                equal_ignore_hash(clash["spec"]["template"], d["spec"]["template"]):
            return d, clash
        # A hash collision: bump collisionCount so the next attempt hashes differently.
        status = objects.clone(d.get("status") or {})
        status["collisionCount"] = int(status.get("collisionCount", 0)) + 1
        d["status"] = status
        d = client.update_status(d)
        return get_new_replica_set(client, d, rss, old_rss, create)
    if new_count > 0:
        client.event(d, "Normal", "ScalingReplicaSet",
                     f"Scaled up replica set {objects.name(created)} from 0 to {new_count}")
    d = set_deployment_revision(client, d, objects.annotations(created).get(REVISION, ""))
    if has_progress_deadline(d):
        status = objects.clone(d.get("status") or {})
        progress.set_deployment_condition(client, status, progress.new_condition(
            client, "Progressing", "True", "NewReplicaSetCreated", f'Created new replica set "{objects.name(created)}"'))
        d["status"] = status
        d = client.update_status(d)
    return d, created


def set_deployment_revision(client: Client, d: dict, revision: str) -> dict:
    if not revision or objects.annotations(d).get(REVISION) == revision:
        return d
    d["metadata"].setdefault("annotations", {})[REVISION] = revision
    status = d.get("status")
    d = client.update(d)
    if status is not None:
        d["status"] = status  # keep what this sync computed so far
    return d


def get_all_replica_sets_and_sync_revision(client: Client, d: dict, rss: list[dict],
                                          create: bool) -> tuple[dict, dict | None, list[dict]]:
    new_rs = find_new_replica_set(d, rss)
    old_rss = find_old_replica_sets(new_rs, rss)
    d, new_rs = get_new_replica_set(client, d, rss, old_rss, create)
    return d, new_rs, old_rss


# --- scaling (sync.go scale) ----------------------------------------------------------------------

def is_scaling_event(d: dict, rss: list[dict]) -> bool:
    for rs in rss:
        if spec_replicas(rs) <= 0:
            continue
        desired = objects.annotations(rs).get(DESIRED_REPLICAS)
        if desired is None:
            continue
        if desired != str(replicas(d)):
            return True
    return False


def is_saturated(d: dict, rs: dict | None) -> bool:
    if rs is None:
        return False
    desired = objects.annotations(rs).get(DESIRED_REPLICAS)
    return (desired == str(replicas(d)) and spec_replicas(rs) == replicas(d)
            and int((rs.get("status") or {}).get("availableReplicas", 0)) == replicas(d))


def scale(client: Client, d: dict, new_rs: dict | None, old_rss: list[dict]) -> None:
    """sync.go scale: one active ReplicaSet takes the new size; several share it proportionally."""
    active = [rs for rs in ([new_rs] if new_rs else []) + old_rss if spec_replicas(rs) > 0]
    if len(active) <= 1:
        target = active[0] if active else (new_rs or (by_creation(old_rss)[-1] if old_rss else None))
        if target is not None and spec_replicas(target) != replicas(d):
            scale_replica_set(client, d, target, replicas(d))
        elif target is not None:
            scale_replica_set(client, d, target, replicas(d))  # refreshes the annotations only
        return
    if is_saturated(d, new_rs):
        for rs in old_rss:
            if spec_replicas(rs) > 0:
                scale_replica_set(client, d, rs, 0)
        return
    if strategy_type(d) != "RollingUpdate":
        return
    all_rss = active
    allowed = replicas(d) + max_surge(d)
    current = sum(spec_replicas(rs) for rs in all_rss)
    to_add = allowed - current
    # ReplicaSetsBySizeNewer when growing (larger, then newer first); BySizeOlder when shrinking.
    order = sorted(all_rss, key=lambda r: (r["metadata"].get("creationTimestamp", ""), objects.name(r)),
                   reverse=to_add > 0)
    order.sort(key=lambda r: -spec_replicas(r))
    added = 0
    sizes: dict[str, int] = {}
    for rs in order:
        name = objects.name(rs)
        size = spec_replicas(rs)
        if to_add == 0:
            sizes[name] = size
            continue
        try:
            annotated = int(objects.annotations(rs).get(MAX_REPLICAS, "0"))
        except ValueError:
            annotated = 0
        if annotated <= 0:
            proportion = 0
        else:
            fraction = round(size * allowed / annotated) - size
            remaining = to_add - added
            proportion = min(fraction, remaining) if to_add > 0 else max(fraction, remaining)
        sizes[name] = size + proportion
        added += proportion
    leftover = to_add - added
    if order and leftover:
        first = objects.name(order[0])
        sizes[first] = max(0, sizes[first] + leftover)
    for rs in order:
        scale_replica_set(client, d, rs, max(0, sizes[objects.name(rs)]))


# --- history cleanup ------------------------------------------------------------------------------

def cleanup_deployment(client: Client, d: dict, old_rss: list[dict]) -> None:
    limit = d["spec"].get("revisionHistoryLimit", 10)
    if limit is None:
        return
    alive = [rs for rs in old_rss if not objects.is_being_deleted(rs)]
    diff = len(alive) - int(limit)
    if diff <= 0:
        return
    alive.sort(key=lambda r: (revision_of(r), r["metadata"].get("creationTimestamp", ""), objects.name(r)))
    for rs in alive[:diff]:
        status = rs.get("status") or {}
        if status.get("replicas", 0) != 0 or spec_replicas(rs) != 0 or \
                rs["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
            continue
        try:
            client.delete("replicasets", objects.name(rs), objects.namespace(rs))
        except StatusError:
            continue


# --- status ----------------------------------------------------------------------------------------

def calculate_status(client: Client, d: dict, new_rs: dict | None, all_rss: list[dict]) -> dict:
    from kubenb.controllers.deployment import progress

    def total(field: str, rss: list[dict]) -> int:
        return sum(int((rs.get("status") or {}).get(field, 0)) for rs in rss)

    available = total("availableReplicas", all_rss)
    spec_total = sum(spec_replicas(rs) for rs in all_rss)
    unavailable = max(0, spec_total - available)
    old = d.get("status") or {}
    status: dict = {"observedGeneration": d["metadata"].get("generation", 1)}
    values = {
        "replicas": total("replicas", all_rss),
        "updatedReplicas": total("replicas", [new_rs] if new_rs else []),
        "readyReplicas": total("readyReplicas", all_rss),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    for key, value in values.items():
        if value:
            status[key] = value
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if old.get("conditions"):
        status["conditions"] = objects.clone(old["conditions"])
    return progress.set_available(client, d, status, available)
