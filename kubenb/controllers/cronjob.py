"""CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go).

On the virtual clock: finds the most recent unmet schedule time (croniter),
honours startingDeadlineSeconds, concurrencyPolicy (Allow, Forbid,
Replace) and suspend, creates Job ``<cronjob>-<scheduled minutes since
epoch>``, tracks active Jobs, lastScheduleTime / lastSuccessfulTime, trims
history, and requeues at the next schedule time. Left out: the
"too many missed start times" warning beyond counting, and time zones
other than UTC and fixed names croniter understands.
"""

from __future__ import annotations

import datetime as dt

from croniter import croniter

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import format_rfc3339, parse_rfc3339

SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def job_name(cronjob_name: str, scheduled: float) -> str:
    """getJobName: minutes since the epoch of the scheduled time."""
    return f"{cronjob_name}-{int(scheduled) // 60}"


def next_schedule_after(schedule: str, after: float) -> float:
    base = dt.datetime.fromtimestamp(after, tz=dt.UTC)
    return float(croniter(schedule, base).get_next(float))


def most_recent_schedule(schedule: str, earliest: float, now: float) -> tuple[float | None, int]:
    """mostRecentScheduleTime: the last schedule time in (earliest, now], and how many were missed."""
    latest: float | None = None
    missed = 0
    t = next_schedule_after(schedule, earliest)
    while t <= now:
        latest = t
        missed += 1
        if missed > 100:  # upstream stops counting too; jump straight to the latest
            base = dt.datetime.fromtimestamp(now, tz=dt.UTC)
            latest = float(croniter(schedule, base).get_prev(float))
            if next_schedule_after(schedule, latest) <= now:
                latest = next_schedule_after(schedule, latest)
            break
        t = next_schedule_after(schedule, t)
    return latest, missed


def _finished_type(job: dict) -> str | None:
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond["type"] in ("Complete", "Failed") and cond.get("status") == "True":
            return cond["type"]
    return None


class CronJobController:
    name = "cronjob-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("cronjobs"), map_to("jobs", self._owner, metadata_keys=True)]

    @staticmethod
    def _owner(job: dict) -> list[ObjectKey]:
        ref = objects.controller_ref(job)
        if ref is None or ref.get("kind") != "CronJob":
            return []
        return [ObjectKey("cronjobs", objects.namespace(job), ref["name"])]

    def reconcile(self, key: ObjectKey) -> Result:
        cj = self.client.try_get("cronjobs", key.name, key.namespace)
        if cj is None or objects.is_being_deleted(cj):
            return Result()
        return Result(requeue_after=self.sync_cronjob(cj))

    def sync_cronjob(self, cj: dict) -> float | None:
        client = self.client
        spec = cj.get("spec") or {}
        status = objects.clone(cj.get("status") or {})
        now = client.clock.now()
        ns = objects.namespace(cj)
        jobs = [j for j in client.list_view("jobs", ns) if (objects.controller_ref(j) or {}).get("uid") == objects.uid(cj)]
        active_refs = []
        for job in jobs:
            kind = _finished_type(job)
            was_active = any(r.get("uid") == objects.uid(job) for r in status.get("active") or [])
            if kind is None:
                active_refs.append({"apiVersion": "batch/v1", "kind": "Job", "name": objects.name(job),
                                    "namespace": ns, "resourceVersion": job["metadata"].get("resourceVersion"),
                                    "uid": objects.uid(job)})
            elif was_active:
                client.event(cj, "Normal", "SawCompletedJob", f"Saw completed job: {objects.name(job)}, condition: {kind}")
                if kind == "Complete":
                    done = (job.get("status") or {}).get("completionTime")
                    if done and (not status.get("lastSuccessfulTime")
                                 or parse_rfc3339(done) > parse_rfc3339(status["lastSuccessfulTime"])):
                        status["lastSuccessfulTime"] = done
        if active_refs:
            # keep the recorded refs of still-active jobs; new ones are appended below
            status["active"] = [_keep_rv(r, status.get("active")) for r in active_refs]
        else:
            status.pop("active", None)
        self._cleanup_history(cj, jobs)
        schedule = spec.get("schedule", "")
        if not croniter.is_valid(schedule):
            client.event(cj, "Warning", "UnparseableSchedule", f"unparseable schedule: \"{schedule}\"")
            return self._write(cj, status, None)
        earliest = parse_rfc3339(status.get("lastScheduleTime") or cj["metadata"]["creationTimestamp"])
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None:
            earliest = max(earliest, now - int(deadline))
        next_time = next_schedule_after(schedule, now)
        requeue = next_time - now
        if spec.get("suspend"):
            return self._write(cj, status, requeue)
        scheduled, _ = most_recent_schedule(schedule, earliest, now)
        if scheduled is None:
            return self._write(cj, status, requeue)
        if deadline is not None and scheduled + int(deadline) < now:
            return self._write(cj, status, requeue)
        name = job_name(objects.name(cj), scheduled)
        if any(objects.name(j) == name for j in jobs):
            return self._write(cj, status, requeue)
        policy = spec.get("concurrencyPolicy") or "Allow"
        if policy == "Forbid" and status.get("active"):
            return self._write(cj, status, requeue)
        if policy == "Replace":
            for ref in status.get("active") or []:
                try:
                    client.delete("jobs", ref["name"], ns, propagation_policy="Background")
                    client.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {ref['name']}")
                except StatusError:
                    pass
            status.pop("active", None)
        template = objects.clone(spec.get("jobTemplate") or {})
        tmeta = template.get("metadata") or {}
        job = {"apiVersion": "batch/v1", "kind": "Job",
               "metadata": {"name": name, "namespace": ns,
                            "labels": dict(tmeta.get("labels") or {}),
                            "annotations": {**(tmeta.get("annotations") or {}),
                                            SCHEDULED_TIMESTAMP: format_rfc3339(scheduled)},
                            "ownerReferences": [objects.new_controller_ref(cj)]},
               "spec": template.get("spec") or {}}
        if not job["metadata"]["labels"]:
            job["metadata"].pop("labels")
        try:
            made = client.create(job)
        except StatusError as error:
            client.event(cj, "Warning", "FailedCreate", f"Error creating job: {error.message}")
            return self._write(cj, status, requeue)
        client.event(cj, "Normal", "SuccessfulCreate", f"Created job {name}")
        status.setdefault("active", []).append({"apiVersion": "batch/v1", "kind": "Job", "name": name,
                                                "namespace": ns, "resourceVersion": made["metadata"]["resourceVersion"],
                                                "uid": objects.uid(made)})
        status["lastScheduleTime"] = format_rfc3339(scheduled)
        return self._write(cj, status, requeue)

    def _write(self, cj: dict, status: dict, requeue: float | None) -> float | None:
        if status != (cj.get("status") or {}):
            cj["status"] = status
            try:
                self.client.update_status(cj)
            except StatusError:
                return 1.0
        return requeue

    def _cleanup_history(self, cj: dict, jobs: list[dict]) -> None:
        spec = cj.get("spec") or {}
        for kind, field, default in (("Complete", "successfulJobsHistoryLimit", 3),
                                     ("Failed", "failedJobsHistoryLimit", 1)):
            limit = spec.get(field, default)
            if limit is None:
                continue
            done = [j for j in jobs if _finished_type(j) == kind and not objects.is_being_deleted(j)]
            done.sort(key=lambda j: ((j.get("status") or {}).get("startTime") or "", objects.name(j)))
            for job in done[:max(0, len(done) - int(limit))]:
                try:
                    self.client.delete("jobs", objects.name(job), objects.namespace(job), propagation_policy="Background")
                    self.client.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {objects.name(job)}")
                except StatusError:
                    pass


def _keep_rv(ref: dict, old: list[dict] | None) -> dict:
    for prior in old or []:
        if prior.get("uid") == ref["uid"]:
            return prior
    return ref
