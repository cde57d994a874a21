"""Deployment controller: names, revisions, conditions, rolling and recreate step sequences."""

from __future__ import annotations

import re

import pytest

from kubenb.api import objects

# An unknown schedulerName keeps Pods unbound, so the real kubelets leave them to fake_kubelet.
MANUAL = "kubenb-test-manual"


def deployment(name="web", replicas=3, image="nginx:1.27", strategy=None, **spec):
    body = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": image}]}}, **spec},
    }
    if strategy is not None:
        body["spec"]["strategy"] = strategy
    return body


def rs_of(cluster, name="web"):
    return sorted(cluster.client.list("replicasets", "default"),
                  key=lambda r: int(objects.annotations(r)["deployment.kubernetes.io/revision"]))


def messages(cluster, reason):
    events = [e for e in cluster.client.list("events", "default") if e["reason"] == reason]
    events.sort(key=lambda e: (e.get("firstTimestamp") or "", int(e["metadata"]["resourceVersion"])))
    return [e["message"] for e in events]


def set_image(cluster, name, image):
    cluster.client.mutate("deployments", name, "default",
                          lambda d: d["spec"]["template"]["spec"]["containers"][0].__setitem__("image", image))
    cluster.settle()


def test_create_names_pods_after_the_replica_set(cluster):
    cluster.client.create(deployment())
    cluster.settle()
    [rs] = rs_of(cluster)
    rs_name = objects.name(rs)
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs_name == f"web-{pod_hash}"
    assert re.fullmatch(r"[456789bcdf]{6,10}", pod_hash)
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert objects.annotations(rs) == {"deployment.kubernetes.io/revision": "1",
                                       "deployment.kubernetes.io/desired-replicas": "3",
                                       "deployment.kubernetes.io/max-replicas": "4"}
    pods = cluster.client.list("pods", "default")
    assert len(pods) == 3
    for pod in pods:
        assert re.fullmatch(rf"{rs_name}-[bcdfghjklmnpqrstvwxz2456789]{{5}}", objects.name(pod))
        assert objects.controller_ref(pod)["name"] == rs_name
    assert messages(cluster, "ScalingReplicaSet") == [f"Scaled up replica set {rs_name} from 0 to 3"]
    assert sorted(messages(cluster, "SuccessfulCreate")) == sorted(f"Created pod: {objects.name(p)}" for p in pods)
    d = cluster.client.get("deployments", "web", "default")
    assert objects.annotations(d)["deployment.kubernetes.io/revision"] == "1"


def test_hash_is_stable_for_a_seed(cluster):
    from kubenb import Cluster

    cluster.client.create(deployment())
    cluster.settle()
    other = Cluster(seed=0, strict=True)
    other.client.create(deployment())
    other.settle()
    assert [objects.name(p) for p in cluster.client.list("pods", "default")] == \
        [objects.name(p) for p in other.client.list("pods", "default")]


def test_status_and_conditions_settle_in_upstream_order(cluster, fake_kubelet):
    cluster.client.create(deployment())
    cluster.settle()
    d = cluster.client.get("deployments", "web", "default")
    assert d["status"]["updatedReplicas"] == 3 and d["status"]["unavailableReplicas"] == 3
    avail = next(c for c in d["status"]["conditions"] if c["type"] == "Available")
    assert (avail["status"], avail["reason"]) == ("False", "MinimumReplicasUnavailable")
    fake_kubelet.ready_all()
    d = cluster.client.get("deployments", "web", "default")
    status = d["status"]
    assert {k: status.get(k) for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                       "availableReplicas")} == {
        "observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3}
    assert "unavailableReplicas" not in status
    rs_name = objects.name(rs_of(cluster)[0])
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{rs_name}" has successfully progressed.'),
    ]


def rollout_steps(cluster, fake_kubelet, limit=20):
    """After each settle, record (old replicas, new replicas); then the kubelet readies everything."""
    steps = []
    for _ in range(limit):
        rss = rs_of(cluster)
        new = rss[-1]["spec"]["replicas"]
        old = sum(r["spec"]["replicas"] for r in rss[:-1])
        steps.append((old, new))
        fake_kubelet.ready_all()
        if old == 0:
            break
    return steps


@pytest.mark.parametrize(("replicas", "strategy", "expected"), [
    (3, None, [(3, 1), (2, 2), (1, 3), (0, 3)]),
    (10, None, [(8, 5), (3, 10), (0, 10)]),
    (4, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": 0}},
     [(4, 2), (2, 4), (0, 4)]),
    (3, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
     [(2, 1), (1, 2), (0, 3)]),
    (3, {"type": "Recreate"}, [(0, 3)]),
])
def test_rollout_step_sequences(cluster, fake_kubelet, replicas, strategy, expected):
    cluster.client.create(deployment(replicas=replicas, strategy=strategy))
    cluster.settle()
    fake_kubelet.ready_all()
    set_image(cluster, "web", "nginx:1.28")
    assert rollout_steps(cluster, fake_kubelet) == expected
    d = cluster.client.get("deployments", "web", "default")
    assert objects.annotations(d)["deployment.kubernetes.io/revision"] == "2"
    assert d["status"]["conditions"][-1]["reason"] == "NewReplicaSetAvailable"
    assert len(cluster.client.list("pods", "default")) == replicas


def test_rolling_update_events_use_upstream_wording(cluster, fake_kubelet):
    cluster.client.create(deployment(replicas=3))
    cluster.settle()
    fake_kubelet.ready_all()
    first = objects.name(rs_of(cluster)[0])
    set_image(cluster, "web", "nginx:1.28")
    rollout_steps(cluster, fake_kubelet)
    second = objects.name(rs_of(cluster)[1])
    assert messages(cluster, "ScalingReplicaSet") == [
        f"Scaled up replica set {first} from 0 to 3",
        f"Scaled up replica set {second} from 0 to 1",
        f"Scaled down replica set {first} from 3 to 2",
        f"Scaled up replica set {second} from 1 to 2",
        f"Scaled down replica set {first} from 2 to 1",
        f"Scaled up replica set {second} from 2 to 3",
        f"Scaled down replica set {first} from 1 to 0",
    ]


def test_rollback_reuses_the_replica_set_with_a_new_revision(cluster, fake_kubelet):
    cluster.client.create(deployment(replicas=2))
    cluster.settle()
    fake_kubelet.ready_all()
    set_image(cluster, "web", "nginx:1.28")
    rollout_steps(cluster, fake_kubelet)
    set_image(cluster, "web", "nginx:1.27")
    rollout_steps(cluster, fake_kubelet)
    rss = rs_of(cluster)
    assert len(rss) == 2
    back = rss[-1]
    assert objects.annotations(back)["deployment.kubernetes.io/revision"] == "3"
    assert objects.annotations(back)["deployment.kubernetes.io/revision-history"] == "1"
    assert back["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_revision_history_limit_deletes_oldest(cluster, fake_kubelet):
    cluster.client.create(deployment(replicas=1, revisionHistoryLimit=1))
    cluster.settle()
    fake_kubelet.ready_all()
    for tag in ("1.28", "1.29", "1.30"):
        set_image(cluster, "web", f"nginx:{tag}")
        rollout_steps(cluster, fake_kubelet)
    revisions = [objects.annotations(r)["deployment.kubernetes.io/revision"] for r in rs_of(cluster)]
    assert revisions == ["3", "4"]


def test_scaling_event_scales_the_replica_set(cluster, fake_kubelet):
    cluster.client.create(deployment(replicas=2))
    cluster.settle()
    fake_kubelet.ready_all()
    cluster.client.mutate("deployments", "web", "default", lambda d: d["spec"].__setitem__("replicas", 5))
    cluster.settle()
    [rs] = rs_of(cluster)
    assert rs["spec"]["replicas"] == 5
    assert objects.annotations(rs)["deployment.kubernetes.io/desired-replicas"] == "5"
    assert f"Scaled up replica set {objects.name(rs)} from 2 to 5" in messages(cluster, "ScalingReplicaSet")


def test_paused_deployment_does_not_roll_out(cluster, fake_kubelet):
    cluster.client.create(deployment(replicas=2))
    cluster.settle()
    fake_kubelet.ready_all()
    cluster.client.mutate("deployments", "web", "default", lambda d: d["spec"].__setitem__("paused", True))
    cluster.settle()
    set_image(cluster, "web", "nginx:1.28")
    assert len(rs_of(cluster)) == 1
    d = cluster.client.get("deployments", "web", "default")
    prog = next(c for c in d["status"]["conditions"] if c["type"] == "Progressing")
    assert (prog["status"], prog["reason"], prog["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    cluster.client.mutate("deployments", "web", "default", lambda d: d["spec"].__setitem__("paused", False))
    cluster.settle()
    assert len(rs_of(cluster)) == 2


def test_progress_deadline_exceeded_on_the_virtual_clock(cluster):
    cluster.client.create(deployment(replicas=1, progressDeadlineSeconds=60))
    cluster.settle()
    cluster.advance(59)
    d = cluster.client.get("deployments", "web", "default")
    assert d["status"]["conditions"][-1]["reason"] == "ReplicaSetUpdated"
    cluster.advance(5)
    d = cluster.client.get("deployments", "web", "default")
    rs_name = objects.name(rs_of(cluster)[0])
    last = d["status"]["conditions"][-1]
    assert (last["type"], last["status"], last["reason"], last["message"]) == (
        "Progressing", "False", "ProgressDeadlineExceeded", f'ReplicaSet "{rs_name}" has timed out progressing.')
