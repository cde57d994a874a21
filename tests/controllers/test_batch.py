"""Job (completions, parallelism, back-off, deadlines, Indexed, TTL) and CronJob (names, schedule, policies)."""

from __future__ import annotations

import re

import pytest

from kubenb.api import objects
from kubenb.controllers.cronjob import job_name
from kubenb.controllers.job import backoff_delay
from kubenb.sim.clock import parse_rfc3339

# An unknown schedulerName keeps Pods unbound, so the real kubelets leave them to fake_kubelet.
MANUAL = "kubenb-test-manual"


def job(name="pi", **spec):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": "default"},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "schedulerName": MANUAL, "containers": [{"name": "c", "image": "busybox"}]}}, **spec}}


def job_pods(cluster, name="pi"):
    return [p for p in cluster.client.list("pods", "default") if objects.name(p).startswith(name + "-")]


def active(cluster, name="pi"):
    return [p for p in job_pods(cluster, name) if p["status"].get("phase") not in ("Succeeded", "Failed")]


def test_backoff_delays_double_up_to_six_minutes():
    assert [backoff_delay(n) for n in range(0, 8)] == [0, 10, 20, 40, 80, 160, 320, 360]


def test_completions_and_parallelism(cluster, fake_kubelet):
    cluster.client.create(job(completions=3, parallelism=2))
    cluster.settle()
    pods = active(cluster)
    assert len(pods) == 2
    assert all(re.fullmatch(r"pi-[bcdfghjklmnpqrstvwxz2456789]{5}", objects.name(p)) for p in pods)
    labels = objects.labels(pods[0])
    assert labels["batch.kubernetes.io/job-name"] == "pi" and labels["job-name"] == "pi"
    for p in pods:
        fake_kubelet.finish(objects.name(p))
    assert len(active(cluster)) == 1
    fake_kubelet.finish(objects.name(active(cluster)[0]))
    status = cluster.client.get("jobs", "pi", "default")["status"]
    assert status["succeeded"] == 3 and "active" not in status
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "CompletionsReached", "Reached expected number of succeeded pods")]
    assert status["completionTime"] == cluster.now


def test_failures_back_off_then_fail_the_job(cluster, fake_kubelet):
    cluster.client.create(job(backoffLimit=2))
    cluster.settle()
    created = []
    for expected_gap in (10, 20):
        [p] = active(cluster)
        fake_kubelet.finish(objects.name(p), exit_code=1)
        failed_at = cluster.clock.now()
        assert active(cluster) == []
        cluster.advance(expected_gap - 1)
        assert active(cluster) == []
        cluster.advance(1)
        [new] = active(cluster)
        created.append(parse_rfc3339(new["metadata"]["creationTimestamp"]) - failed_at)
    assert created == [10, 20]
    fake_kubelet.finish(objects.name(active(cluster)[0]), exit_code=1)
    status = cluster.client.get("jobs", "pi", "default")["status"]
    assert status["failed"] == 3
    assert [(c["type"], c["reason"]) for c in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded"), ("Failed", "BackoffLimitExceeded")]
    assert status["conditions"][-1]["message"] == "Job has reached the specified backoff limit"


def test_active_deadline(cluster):
    cluster.client.create(job(activeDeadlineSeconds=30))
    cluster.settle()
    cluster.advance(30)
    status = cluster.client.get("jobs", "pi", "default")["status"]
    assert status["conditions"][-1]["reason"] == "DeadlineExceeded"
    assert status["conditions"][-1]["message"] == "Job was active longer than specified deadline"
    assert active(cluster) == []


def test_indexed_pod_names(cluster):
    cluster.client.create(job(completions=3, parallelism=3, completionMode="Indexed"))
    cluster.settle()
    names = sorted(objects.name(p) for p in active(cluster))
    assert [n.rsplit("-", 1)[0] for n in names] == ["pi-0", "pi-1", "pi-2"]
    p = cluster.client.get("pods", names[1], "default")
    assert objects.annotations(p)["batch.kubernetes.io/job-completion-index"] == "1"
    assert p["spec"]["hostname"] == "pi-1"


def test_ttl_after_finished(cluster, fake_kubelet):
    cluster.client.create(job(ttlSecondsAfterFinished=60))
    cluster.settle()
    fake_kubelet.finish(objects.name(active(cluster)[0]))
    cluster.advance(59)
    assert cluster.client.try_get("jobs", "pi", "default") is not None
    cluster.advance(1)
    assert cluster.client.try_get("jobs", "pi", "default") is None


def cronjob(name="tick", schedule="*/5 * * * *", **spec):
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name, "namespace": "default"},
            "spec": {"schedule": schedule, **spec,
                     "jobTemplate": {"spec": {"template": {"spec": {
                         "restartPolicy": "Never", "schedulerName": MANUAL, "containers": [{"name": "c", "image": "busybox"}]}}}}}}


def jobs(cluster):
    return [objects.name(j) for j in cluster.client.list("jobs", "default")]


def test_job_name_is_minutes_since_epoch():
    assert job_name("cj", parse_rfc3339("2025-01-15T10:30:00Z")) == "cj-28948950"


def test_cronjob_fires_on_the_virtual_clock(cluster):
    cluster.client.create(cronjob())
    cluster.settle()
    assert jobs(cluster) == []
    cluster.advance(299)
    assert jobs(cluster) == []
    cluster.advance(1)  # 00:05:00
    assert jobs(cluster) == [job_name("tick", parse_rfc3339("2025-01-01T00:05:00Z"))]
    cj = cluster.client.get("cronjobs", "tick", "default")
    assert cj["status"]["lastScheduleTime"] == "2025-01-01T00:05:00Z"
    assert len(cj["status"]["active"]) == 1
    created = [e["message"] for e in cluster.client.list("events", "default") if e["reason"] == "SuccessfulCreate"
               and e["involvedObject"]["kind"] == "CronJob"]
    assert created == ["Created job tick-28928165"]


@pytest.mark.parametrize(("policy", "expected"), [
    ("Allow", ["tick-28928165", "tick-28928170"]),
    ("Forbid", ["tick-28928165"]),
    ("Replace", ["tick-28928170"]),
])
def test_concurrency_policy(cluster, policy, expected):
    cluster.client.create(cronjob(concurrencyPolicy=policy))
    cluster.advance(600)
    assert jobs(cluster) == expected


def test_suspend_and_history_limit(cluster, fake_kubelet):
    cluster.client.create(cronjob(schedule="* * * * *", successfulJobsHistoryLimit=1))
    for _ in range(3):
        cluster.advance(60)
        for p in active(cluster, "tick"):
            fake_kubelet.finish(objects.name(p))
    assert jobs(cluster) == ["tick-28928163"]
    cj = cluster.client.get("cronjobs", "tick", "default")
    assert cj["status"]["lastSuccessfulTime"] == cluster.now
    saw = [e["message"] for e in cluster.client.list("events", "default") if e["reason"] == "SawCompletedJob"]
    assert "Saw completed job: tick-28928163, condition: Complete" in saw
    cluster.client.mutate("cronjobs", "tick", "default", lambda c: c["spec"].__setitem__("suspend", True))
    cluster.advance(180)
    assert jobs(cluster) == ["tick-28928163"]


def test_starting_deadline_skips_missed_runs(cluster):
    cluster.client.create(cronjob(schedule="0 * * * *", startingDeadlineSeconds=10, suspend=True))
    cluster.advance(3615)  # 15 s after the 01:00 run, past the 10 s deadline
    cluster.client.mutate("cronjobs", "tick", "default", lambda c: c["spec"].__setitem__("suspend", False))
    cluster.advance(1)
    assert jobs(cluster) == []


def test_starting_deadline_still_runs_a_late_start_within_the_deadline(cluster):
    cluster.client.create(cronjob(schedule="0 * * * *", startingDeadlineSeconds=10, suspend=True))
    cluster.advance(3605)
    cluster.client.mutate("cronjobs", "tick", "default", lambda c: c["spec"].__setitem__("suspend", False))
    cluster.settle()
    assert jobs(cluster) == ["tick-28928220"]
