"""ReplicaSet: pod names, events, status, scale-down victim order, adoption and release."""

from __future__ import annotations

import re

from kubenb.api import objects
from kubenb.controllers import _util

# An unknown schedulerName keeps Pods unbound, so the real kubelets leave them to fake_kubelet.
MANUAL = "kubenb-test-manual"


def replicaset(name="rs", replicas=3, min_ready=0):
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "minReadySeconds": min_ready, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "nginx"}]}}}}


def pod(name, *, node="", phase="Pending", ready=False, ready_at="2025-01-01T00:00:00Z", created="2025-01-01T00:00:00Z",
        restarts=0, cost=None):
    p = {"metadata": {"name": name, "uid": name, "creationTimestamp": created}, "spec": {}, "status": {"phase": phase}}
    if node:
        p["spec"]["nodeName"] = node
    if ready:
        p["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}]
    if restarts:
        p["status"]["containerStatuses"] = [{"restartCount": restarts}]
    if cost is not None:
        p["metadata"]["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": str(cost)}
    return p


def test_victim_order_follows_active_pods_with_ranks():
    pods = [
        pod("ready-old", node="n1", phase="Running", ready=True, ready_at="2025-01-01T00:00:00Z"),
        pod("ready-new", node="n1", phase="Running", ready=True, ready_at="2025-01-01T01:00:00Z"),
        pod("running-not-ready", node="n1", phase="Running"),
        pod("pending-scheduled", node="n1"),
        pod("unscheduled"),
        pod("costly", node="n1", phase="Running", ready=True, cost=100),
        pod("restarty", node="n1", phase="Running", ready=True, ready_at="2025-01-01T00:00:00Z", restarts=4),
    ]
    order = [objects.name(p) for p in _util.get_pods_to_delete(pods, pods, len(pods) - 1)]
    assert order == ["unscheduled", "pending-scheduled", "running-not-ready", "ready-new", "restarty", "ready-old"]


def test_pods_on_crowded_nodes_go_first():
    pods = [pod("alone", node="n1", phase="Running", ready=True),
            pod("crowded-a", node="n2", phase="Running", ready=True),
            pod("crowded-b", node="n2", phase="Running", ready=True, created="2025-01-01T00:00:01Z")]
    assert [objects.name(p) for p in _util.get_pods_to_delete(pods, pods, 1)] == ["crowded-b"]


def test_create_scale_and_status(cluster, fake_kubelet):
    cluster.client.create(replicaset(min_ready=10))
    cluster.settle()
    pods = cluster.client.list("pods", "default")
    assert len(pods) == 3
    assert all(re.fullmatch(r"rs-[bcdfghjklmnpqrstvwxz2456789]{5}", objects.name(p)) for p in pods)
    fake_kubelet.ready_all()
    status = cluster.client.get("replicasets", "rs", "default")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "observedGeneration": 1}
    cluster.advance(10)
    status = cluster.client.get("replicasets", "rs", "default")["status"]
    assert status["availableReplicas"] == 3
    cluster.client.mutate("replicasets", "rs", "default", lambda r: r["spec"].__setitem__("replicas", 1))
    cluster.settle()
    assert len(cluster.client.list("pods", "default")) == 1
    deleted = [e["message"] for e in cluster.client.list("events", "default") if e["reason"] == "SuccessfulDelete"]
    assert len(deleted) == 2 and all(m.startswith("Deleted pod: rs-") for m in deleted)


def test_adopts_orphans_and_releases_relabelled_pods(cluster):
    cluster.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "namespace": "default",
                                                                          "labels": {"app": "rs"}},
                           "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "nginx"}]}})
    cluster.client.create(replicaset(replicas=2))
    cluster.settle()
    stray = cluster.client.get("pods", "stray", "default")
    assert objects.controller_ref(stray)["name"] == "rs"
    assert len(cluster.client.list("pods", "default")) == 2
    cluster.client.mutate("pods", "stray", "default", lambda p: p["metadata"].__setitem__("labels", {"app": "x"}))
    cluster.settle()
    assert "ownerReferences" not in cluster.client.get("pods", "stray", "default")["metadata"]
    assert len(cluster.client.list("pods", "default", label_selector="app=rs")) == 2
