"""Job controller (pkg/controller/job/job_controller.go, indexed_job_utils.go, backoff_utils.go)
plus the TTL-after-finished controller (pkg/controller/ttlafterfinished).

Counts owned Pods (active, succeeded, failed), creates up to parallelism
(bounded by the remaining completions), delays re-creation after failures
by 10s doubling up to 6m, fails the Job past backoffLimit or
activeDeadlineSeconds, and in v1.33 style records SuccessCriteriaMet /
FailureTarget before Complete / Failed. Indexed Jobs name Pods
``<job>-<index>-<5>``. Left out: the job-tracking finalizer and
uncounted-pods bookkeeping, podFailurePolicy, successPolicy,
backoffLimitPerIndex, podReplacementPolicy, managedBy.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import parse_rfc3339

DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 360.0
COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"


def backoff_delay(failures: int) -> float:
    """Delay before the next Pod after ``failures`` consecutive failures (0 when none)."""
    if failures <= 0:
        return 0.0
    return min(DEFAULT_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)


def _finished_at(pod: dict) -> float:
    latest = 0.0
    for status in pod.get("status", {}).get("containerStatuses") or []:
        finished = ((status.get("state") or {}).get("terminated") or {}).get("finishedAt")
        if finished:
            latest = max(latest, parse_rfc3339(finished))
    if not latest:
        for cond in pod.get("status", {}).get("conditions") or []:
            if cond.get("lastTransitionTime"):
                latest = max(latest, parse_rfc3339(cond["lastTransitionTime"]))
    return latest


def _cond(client: Client, type_: str, reason: str, message: str) -> dict:
    now = client.now()
    return {"type": type_, "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


class JobController:
    name = "job-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.ttl_client = client.for_component("ttl-after-finished-controller")
        self.watches = [for_("jobs"), map_to("pods", _util.owner_key("jobs", "Job"), metadata_keys=True)]

    def reconcile(self, key: ObjectKey) -> Result:
        job = self.client.try_get("jobs", key.name, key.namespace)
        if job is None:
            return Result()
        return Result(requeue_after=self.sync_job(job))

    def _pods(self, job: dict) -> list[dict]:
        return self.client.controlled_view("pods", objects.namespace(job) or "", objects.uid(job))

    def sync_job(self, job: dict) -> float | None:
        client = self.client
        spec = job.get("spec") or {}
        status = objects.clone(job.get("status") or {})
        now = client.clock.now()
        if _finished(status):
            return self._ttl(job, status)
        pods = self._pods(job)
        active = [p for p in pods if _util.is_pod_active(p)]
        succeeded_pods = [p for p in pods if p.get("status", {}).get("phase") == "Succeeded"]
        failed_pods = [p for p in pods if p.get("status", {}).get("phase") == "Failed"]
        succeeded, failed = len(succeeded_pods), len(failed_pods)
        parallelism = int(spec.get("parallelism", 1) if spec.get("parallelism") is not None else 1)
        completions = spec.get("completions")
        indexed = spec.get("completionMode") == "Indexed"
        backoff_limit = int(spec.get("backoffLimit", 6) if spec.get("backoffLimit") is not None else 6)
        if "startTime" not in status and not spec.get("suspend"):
            status["startTime"] = client.now()
        requeue: float | None = None
        finished_cond: tuple[str, str, str] | None = None
        deadline = spec.get("activeDeadlineSeconds")
        if failed > backoff_limit:
            finished_cond = ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        elif deadline is not None and status.get("startTime") and \
                parse_rfc3339(status["startTime"]) + int(deadline) <= now:
            finished_cond = ("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")
        elif deadline is not None and status.get("startTime"):
            requeue = parse_rfc3339(status["startTime"]) + int(deadline) - now
        done_indexes = sorted({int(objects.annotations(p).get(COMPLETION_INDEX, -1)) for p in succeeded_pods})
        if finished_cond is None:
            if indexed:
                complete = completions is not None and len([i for i in done_indexes if 0 <= i]) >= int(completions)
            elif completions is None:
                complete = succeeded > 0 and not active
            else:
                complete = succeeded >= int(completions)
            if complete:
                finished_cond = ("Complete", "CompletionsReached", "Reached expected number of succeeded pods")
        if finished_cond is not None:
            for pod in active:
                try:
                    client.delete("pods", objects.name(pod), objects.namespace(pod))
                    client.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
                except StatusError:
                    pass
            kind, reason, message = finished_cond
            interim = "SuccessCriteriaMet" if kind == "Complete" else "FailureTarget"
            conditions = status.setdefault("conditions", [])
            conditions.append(_cond(client, interim, reason, message))
            conditions.append(_cond(client, kind, reason, message))
            if kind == "Complete":
                status["completionTime"] = client.now()
                client.event(job, "Normal", "Completed", "Job completed")
            else:
                client.event(job, "Warning", reason, message)
            active = []
        elif spec.get("suspend"):
            for pod in active:
                try:
                    client.delete("pods", objects.name(pod), objects.namespace(pod))
                    client.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
                except StatusError:
                    pass
            active = []
        else:
            wait = self._backoff_wait(failed_pods, now)
            if wait > 0:
                requeue = wait if requeue is None else min(requeue, wait)
            else:
                active += self._manage(job, active, succeeded, parallelism, completions, indexed, done_indexes)
        status["active"] = len(active)
        status["ready"] = sum(1 for p in active if _util.is_pod_ready(p))
        status["succeeded"] = succeeded
        status["failed"] = failed
        status.setdefault("uncountedTerminatedPods", {})
        if indexed and done_indexes:
            status["completedIndexes"] = _compress(done_indexes)
        for field in ("active", "succeeded", "failed"):
            if not status[field]:
                status.pop(field)
        if status != (job.get("status") or {}):
            job["status"] = status
            job = client.update_status(job)
        if _finished(status):
            return self._ttl(job, status)
        return requeue

    def _backoff_wait(self, failed_pods: list[dict], now: float) -> float:
        if not failed_pods:
            return 0.0
        last = max(_finished_at(p) for p in failed_pods)
        return max(0.0, last + backoff_delay(len(failed_pods)) - now)

    def _manage(self, job: dict, active: list[dict], succeeded: int, parallelism: int,
                completions: int | None, indexed: bool, done_indexes: list[int]) -> list[dict]:
        if completions is None:
            wanted = 0 if succeeded > 0 else parallelism
        else:
            wanted = min(parallelism, int(completions) - succeeded)
        created: list[dict] = []
        if len(active) > wanted:
            for pod in sorted(active, key=lambda p: p["metadata"].get("creationTimestamp", ""),
                              reverse=True)[:len(active) - wanted]:
                try:
                    self.client.delete("pods", objects.name(pod), objects.namespace(pod))
                    self.client.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
                except StatusError:
                    pass
            return []
        missing = wanted - len(active)
        if indexed:
            busy = {int(objects.annotations(p).get(COMPLETION_INDEX, -1)) for p in active} | set(done_indexes)
            indexes = [i for i in range(int(completions or 0)) if i not in busy][:missing]
        else:
            indexes = [None] * max(0, missing)
        for index in indexes:
            pod = self._new_pod(job, index)
            try:
                made = self.client.create(pod)
            except StatusError as error:
                self.client.event(job, "Warning", "FailedCreate", f"Error creating: {error.message}")
                break
            self.client.event(job, "Normal", "SuccessfulCreate", f"Created pod: {objects.name(made)}")
            created.append(made)
        return created

    def _new_pod(self, job: dict, index: int | None) -> dict:
        name = objects.name(job)
        prefix = f"{name}-" if index is None else f"{name}-{index}-"
        pod = _util.pod_from_template(job["spec"].get("template") or {}, job, prefix)
        labels = pod["metadata"].setdefault("labels", {})
        for key, value in (("batch.kubernetes.io/controller-uid", objects.uid(job)),
                           ("batch.kubernetes.io/job-name", name), ("controller-uid", objects.uid(job)),
                           ("job-name", name)):
            labels.setdefault(key, value)
        if index is not None:
            pod["metadata"].setdefault("annotations", {})[COMPLETION_INDEX] = str(index)
            labels[COMPLETION_INDEX] = str(index)
            pod["spec"].setdefault("hostname", f"{name}-{index}")
        return pod

    def _ttl(self, job: dict, status: dict) -> float | None:
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None or objects.is_being_deleted(job):
            return None
        finished = next((c for c in status.get("conditions") or [] if c["type"] in ("Complete", "Failed")
                         and c.get("status") == "True"), None)
        if finished is None:
            return None
        expire = parse_rfc3339(status.get("completionTime") or finished["lastTransitionTime"]) + int(ttl)
        now = self.client.clock.now()
        if expire > now:
            return expire - now
        try:
            self.ttl_client.delete("jobs", objects.name(job), objects.namespace(job), propagation_policy="Foreground")
        except StatusError:
            pass
        return None


def _finished(status: dict) -> bool:
    return any(c["type"] in ("Complete", "Failed") and c.get("status") == "True"
               for c in status.get("conditions") or [])


def _compress(indexes: list[int]) -> str:
    """"1,3-5,7": how completedIndexes lists intervals."""
    parts: list[str] = []
    start = prev = None
    for i in indexes:
        if i < 0:
            continue
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = i
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ",".join(parts)

