"""Namespace deletion, ServiceAccount ``default`` and ConfigMap ``kube-root-ca.crt``."""

from __future__ import annotations

from kubenb.api import objects


def test_new_namespace_gets_default_service_account_and_root_ca(cluster):
    cluster.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    cluster.settle()
    assert [objects.name(s) for s in cluster.client.list("serviceaccounts", "team")] == ["default"]
    cm = cluster.client.get("configmaps", "kube-root-ca.crt", "team")
    assert cm["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\n")
    cluster.client.delete("serviceaccounts", "default", "team")
    cluster.client.mutate("configmaps", "kube-root-ca.crt", "team", lambda c: c.__setitem__("data", {}))
    cluster.settle()
    assert cluster.client.try_get("serviceaccounts", "default", "team") is not None
    assert "ca.crt" in cluster.client.get("configmaps", "kube-root-ca.crt", "team")["data"]


def test_deleting_a_namespace_deletes_its_contents_then_itself(cluster):
    cluster.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    cluster.settle()
    cluster.client.create({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": "held", "namespace": "team", "finalizers": ["example.com/hold"]}})
    cluster.client.delete("namespaces", "team")
    cluster.settle()
    ns = cluster.client.get("namespaces", "team")
    assert ns["status"]["phase"] == "Terminating"
    conditions = {c["type"]: c for c in ns["status"]["conditions"]}
    assert conditions["NamespaceContentRemaining"]["message"] == \
        "Some resources are remaining: configmaps has 1 resource instances"
    assert conditions["NamespaceFinalizersRemaining"]["status"] == "True"
    assert [objects.name(c) for c in cluster.client.list("configmaps", "team")] == ["held"]
    cluster.client.mutate("configmaps", "held", "team", lambda c: c["metadata"].pop("finalizers"))
    cluster.settle()
    assert cluster.client.try_get("namespaces", "team") is None
