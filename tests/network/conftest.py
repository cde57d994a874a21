"""A fake kubelet for network tests: Pods bound to a node, given an IP and a Ready condition by hand."""

from __future__ import annotations

import pytest

from kubenb import Cluster


def make_pod(cluster: Cluster, name: str, *, labels: dict | None = None, image: str = "nginx:1.27",
             node: str = "kubenb-worker", ip: str | None = None, ready: bool = True, namespace: str = "default",
             ports: list[dict] | None = None, args: list[str] | None = None, hostname: str | None = None,
             subdomain: str | None = None) -> dict:
    client = cluster.client.for_component("kubelet")
    container: dict = {"name": "main", "image": image}
    if ports:
        container["ports"] = ports
    if args:
        container["args"] = args
    spec: dict = {"nodeName": node, "containers": [container]}
    if hostname:
        spec["hostname"] = hostname
    if subdomain:
        spec["subdomain"] = subdomain
    pod = client.create({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
                         "spec": spec})
    set_ready(cluster, name, ready, namespace=namespace, ip=ip)
    return client.get("pods", name, namespace) if pod else pod


def set_ready(cluster: Cluster, name: str, ready: bool, *, namespace: str = "default", ip: str | None = None) -> None:
    client = cluster.client.for_component("kubelet")
    pod = client.get("pods", name, namespace)
    status = pod.setdefault("status", {})
    status["phase"] = "Running"
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False",
                             "lastTransitionTime": cluster.now, "lastProbeTime": None}]
    client.update_status(pod)
    cluster.settle()


@pytest.fixture
def pod_factory(cluster: Cluster):
    def make(name: str, **kwargs):
        return make_pod(cluster, name, **kwargs)

    return make
