"""Garbage collector: Background, Foreground (blockOwnerDeletion) and Orphan propagation."""

from __future__ import annotations

from kubenb.api import objects

# An unknown schedulerName keeps Pods unbound, so the real kubelets leave them to fake_kubelet.
MANUAL = "kubenb-test-manual"


def configmap(name, owner=None, finalizers=None, block=True):
    md = {"name": name, "namespace": "default"}
    if owner is not None:
        md["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap", "name": objects.name(owner),
                                  "uid": objects.uid(owner), "blockOwnerDeletion": block}]
    if finalizers:
        md["finalizers"] = finalizers
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": md, "data": {}}


def names(cluster):
    return [objects.name(c) for c in cluster.client.list("configmaps", "default") if objects.name(c) != "kube-root-ca.crt"]


def test_background_deletes_dependents_after_the_owner(cluster):
    owner = cluster.client.create(configmap("owner"))
    child = cluster.client.create(configmap("child", owner))
    cluster.client.create(configmap("grandchild", child))
    cluster.settle()
    cluster.client.delete("configmaps", "owner", "default", propagation_policy="Background")
    cluster.settle()
    assert names(cluster) == []


def test_foreground_waits_for_blocking_dependents(cluster):
    owner = cluster.client.create(configmap("owner"))
    cluster.client.create(configmap("held", owner, finalizers=["example.com/hold"]))
    cluster.settle()
    cluster.client.delete("configmaps", "owner", "default", propagation_policy="Foreground")
    cluster.settle()
    current = cluster.client.get("configmaps", "owner", "default")
    assert current["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert current["metadata"].get("deletionTimestamp")
    held = cluster.client.get("configmaps", "held", "default")
    assert held["metadata"].get("deletionTimestamp")
    cluster.client.mutate("configmaps", "held", "default", lambda c: c["metadata"].pop("finalizers"))
    cluster.settle()
    assert names(cluster) == []


def test_foreground_does_not_wait_for_non_blocking_dependents(cluster):
    owner = cluster.client.create(configmap("owner"))
    cluster.client.create(configmap("loose", owner, finalizers=["example.com/hold"], block=False))
    cluster.settle()
    cluster.client.delete("configmaps", "owner", "default", propagation_policy="Foreground")
    cluster.settle()
    assert names(cluster) == ["loose"]


def test_orphan_keeps_dependents_and_strips_the_reference(cluster):
    owner = cluster.client.create(configmap("owner"))
    cluster.client.create(configmap("child", owner))
    cluster.settle()
    cluster.client.delete("configmaps", "owner", "default", propagation_policy="Orphan")
    cluster.settle()
    assert names(cluster) == ["child"]
    assert "ownerReferences" not in cluster.client.get("configmaps", "child", "default")["metadata"]


def test_dependent_with_a_surviving_owner_loses_only_the_dangling_reference(cluster):
    a = cluster.client.create(configmap("a"))
    b = cluster.client.create(configmap("b"))
    child = configmap("child", a)
    child["metadata"]["ownerReferences"].append({"apiVersion": "v1", "kind": "ConfigMap", "name": "b",
                                                 "uid": objects.uid(b)})
    cluster.client.create(child)
    cluster.settle()
    cluster.client.delete("configmaps", "a", "default")
    cluster.settle()
    refs = cluster.client.get("configmaps", "child", "default")["metadata"]["ownerReferences"]
    assert [r["name"] for r in refs] == ["b"]


def test_deleting_a_deployment_removes_replica_sets_and_pods(cluster):
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "nginx"}]}}}}
    cluster.client.create(body)
    cluster.settle()
    cluster.client.delete("deployments", "web", "default", propagation_policy="Orphan")
    cluster.settle()
    [rs] = cluster.client.list("replicasets", "default")
    assert "ownerReferences" not in rs["metadata"]
    assert len(cluster.client.list("pods", "default")) == 2
    cluster.client.delete("replicasets", objects.name(rs), "default")
    cluster.settle()
    assert cluster.client.list("pods", "default") == []
