"""Deployment conditions and progress (pkg/controller/deployment/progress.go, util/deployment_util.go).

SetDeploymentCondition keeps a condition untouched when status and reason
are unchanged, keeps lastTransitionTime when only the reason changes, and
otherwise moves it to the end, which is why a settled Deployment lists
Available before Progressing. Progress deadlines run on the virtual clock.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers import _util
from kubenb.controllers.deployment import sync
from kubenb.sim.clock import parse_rfc3339

AVAILABLE_MESSAGE = "Deployment has minimum availability."
UNAVAILABLE_MESSAGE = "Deployment does not have minimum availability."


def new_condition(client: Client, type_: str, status: str, reason: str, message: str) -> dict:
    now = client.now()
    return {"type": type_, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def set_deployment_condition(client: Client, status: dict, cond: dict) -> None:
    del client
    conditions = status.get("conditions") or []
    current = next((c for c in conditions if c["type"] == cond["type"]), None)
    if current is not None and current.get("status") == cond["status"] and current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond["lastTransitionTime"] = current["lastTransitionTime"]
    status["conditions"] = [c for c in conditions if c["type"] != cond["type"]] + [cond]


def remove_condition(status: dict, type_: str) -> None:
    conditions = [c for c in status.get("conditions") or [] if c["type"] != type_]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def set_available(client: Client, d: dict, status: dict, available: int) -> dict:
    if available >= sync.replicas(d) - sync.max_unavailable(d):
        cond = new_condition(client, "Available", "True", "MinimumReplicasAvailable", AVAILABLE_MESSAGE)
    else:
        cond = new_condition(client, "Available", "False", "MinimumReplicasUnavailable", UNAVAILABLE_MESSAGE)
    set_deployment_condition(client, status, cond)
    return status


def deployment_complete(d: dict, status: dict) -> bool:
    want = sync.replicas(d)
    return (status.get("updatedReplicas", 0) == want and status.get("replicas", 0) == want
            and status.get("availableReplicas", 0) == want
            and status.get("observedGeneration", 0) >= d["metadata"].get("generation", 1))


def deployment_progressing(d: dict, status: dict) -> bool:
    old = d.get("status") or {}
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = status.get("replicas", 0) - status.get("updatedReplicas", 0)
    return (status.get("updatedReplicas", 0) > old.get("updatedReplicas", 0) or new_old < old_old
            or status.get("readyReplicas", 0) > old.get("readyReplicas", 0)
            or status.get("availableReplicas", 0) > old.get("availableReplicas", 0))


def deployment_timed_out(client: Client, d: dict, status: dict) -> bool:
    if not sync.has_progress_deadline(d):
        return False
    cond = next((c for c in status.get("conditions") or [] if c["type"] == "Progressing"), None)
    if cond is None:
        return False
    if cond.get("reason") == "NewReplicaSetAvailable":
        return False
    if cond.get("reason") == "ProgressDeadlineExceeded":
        return True
    return parse_rfc3339(cond["lastUpdateTime"]) + sync.progress_deadline(d) < client.clock.now()


def sync_rollout_status(client: Client, d: dict, new_rs: dict | None, all_rss: list[dict]) -> float | None:
    """syncRolloutStatus; returns when to look again for a progress deadline."""
    status = sync.calculate_status(client, d, new_rs, all_rss)
    if not sync.has_progress_deadline(d):
        remove_condition(status, "Progressing")
    current = next((c for c in status.get("conditions") or [] if c["type"] == "Progressing"), None)
    complete = (status.get("replicas", 0) == status.get("updatedReplicas", 0) and current is not None
                and current.get("reason") == "NewReplicaSetAvailable")
    if sync.has_progress_deadline(d) and not complete:
        rs_name = objects.name(new_rs) if new_rs else ""
        if deployment_complete(d, status):
            msg = f'ReplicaSet "{rs_name}" has successfully progressed.' if new_rs else "Deployment has successfully progressed."
            set_deployment_condition(client, status, new_condition(
                client, "Progressing", "True", "NewReplicaSetAvailable", msg))
        elif deployment_progressing(d, status):
            msg = f'ReplicaSet "{rs_name}" is progressing.' if new_rs else "Deployment is progressing."
            cond = new_condition(client, "Progressing", "True", "ReplicaSetUpdated", msg)
            if current is not None and current.get("status") == "True":
                cond["lastTransitionTime"] = current["lastTransitionTime"]
            remove_condition(status, "Progressing")
            set_deployment_condition(client, status, cond)
        elif deployment_timed_out(client, d, status):
            msg = f'ReplicaSet "{rs_name}" has timed out progressing.' if new_rs else \
                f'Deployment "{objects.name(d)}" has timed out progressing.'
            set_deployment_condition(client, status, new_condition(
                client, "Progressing", "False", "ProgressDeadlineExceeded", msg))
    # A ReplicaSet's ReplicaFailure (Pods refused by a quota ...) becomes the Deployment's.
    failures = get_replica_failures(new_rs, all_rss)
    if failures:
        set_deployment_condition(client, status, failures[0])
    else:
        remove_condition(status, "ReplicaFailure")
    if status != (d.get("status") or {}):
        d["status"] = status
        d = client.update_status(d)
    return requeue_stuck_deployment(client, d, status)


def get_replica_failures(new_rs: dict | None, all_rss: list[dict]) -> list[dict]:
    """getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions first, else any old one's."""
    def of(rss: list[dict]) -> list[dict]:
        return [{"type": c["type"], "status": c.get("status", ""), "lastUpdateTime": c.get("lastTransitionTime"),
                 "lastTransitionTime": c.get("lastTransitionTime"), "reason": c.get("reason", ""),
                 "message": c.get("message", "")}
                for rs in rss for c in (rs.get("status") or {}).get("conditions") or []
                if c.get("type") == "ReplicaFailure"]

    return (of([new_rs]) if new_rs else []) or of([rs for rs in all_rss if rs])


def requeue_stuck_deployment(client: Client, d: dict, status: dict) -> float | None:
    cond = next((c for c in status.get("conditions") or [] if c["type"] == "Progressing"), None)
    if cond is None or not sync.has_progress_deadline(d) or deployment_complete(d, status):
        return None
    if cond.get("reason") in ("NewReplicaSetAvailable", "ProgressDeadlineExceeded", "DeploymentPaused"):
        return None
    after = parse_rfc3339(cond["lastUpdateTime"]) + sync.progress_deadline(d) - client.clock.now()
    return max(after, 0.0) + 1.0  # one second past the deadline, when DeploymentTimedOut says yes


def sync_deployment_status(client: Client, d: dict, new_rs: dict | None, all_rss: list[dict]) -> None:
    """syncDeploymentStatus: status only, no progress bookkeeping (paused and scaling syncs)."""
    status = sync.calculate_status(client, d, new_rs, all_rss)
    if status != (d.get("status") or {}):
        d["status"] = status
        client.update_status(d)


def check_paused_conditions(client: Client, d: dict) -> dict:
    if not sync.has_progress_deadline(d):
        return d
    cond = _util.condition(d, "Progressing")
    if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
        return d
    paused = bool(d["spec"].get("paused"))
    status = objects.clone(d.get("status") or {})
    if paused and (cond is None or cond.get("reason") != "DeploymentPaused"):
        set_deployment_condition(client, status, new_condition(
            client, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused"))
    elif not paused and cond is not None and cond.get("reason") == "DeploymentPaused":
        set_deployment_condition(client, status, new_condition(
            client, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed"))
    else:
        return d
    d["status"] = status
    return client.update_status(d)
