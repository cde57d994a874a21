"""EndpointSlice and Endpoints controllers: what a v1.33 cluster writes for a Service and its Pods."""

from __future__ import annotations

import re

SERVICE_NAMED_PORT = """apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {tier: front}
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: web-port
"""

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: web}}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - name: web-port
      containerPort: 80
"""


def _setup(cluster, *names: str) -> None:
    cluster.kubectl(["apply", "-f", "-"], stdin=SERVICE_NAMED_PORT)
    for name in names:
        cluster.kubectl(["apply", "-f", "-"], stdin=POD.format(name=name))
    cluster.advance(30)


def _slices(cluster, service: str = "web") -> list[dict]:
    return cluster.client.list("endpointslices", "default", label_selector=f"kubernetes.io/service-name={service}")


def test_slice_shape_and_named_target_port(cluster):
    _setup(cluster, "a", "b")
    (slice_,) = _slices(cluster)
    assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", slice_["metadata"]["name"])
    assert slice_["metadata"]["labels"] == {"tier": "front", "kubernetes.io/service-name": "web",
                                            "endpointslice.kubernetes.io/managed-by":
                                                "endpointslice-controller.k8s.io"}
    owner = slice_["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == \
        ("Service", "web", True, True)
    assert slice_["addressType"] == "IPv4"
    assert slice_["ports"] == [{"name": "http", "port": 80, "protocol": "TCP"}]
    pods = {p["metadata"]["name"]: p for p in cluster.client.list("pods", "default")}
    assert [e["targetRef"]["name"] for e in slice_["endpoints"]] == ["a", "b"]
    first = slice_["endpoints"][0]
    assert first == {"addresses": [pods["a"]["status"]["podIP"]],
                     "conditions": {"ready": True, "serving": True, "terminating": False},
                     "nodeName": pods["a"]["spec"]["nodeName"],
                     "targetRef": {"kind": "Pod", "name": "a", "namespace": "default",
                                   "uid": pods["a"]["metadata"]["uid"]}}
    assert "endpoints.kubernetes.io/last-change-trigger-time" in slice_["metadata"]["annotations"]


def test_endpoints_object(cluster):
    _setup(cluster, "a")
    endpoints = cluster.client.get("endpoints", "web", "default")
    pod = cluster.client.get("pods", "a", "default")
    assert endpoints["metadata"]["labels"] == {"tier": "front"}
    ready_at = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")["lastTransitionTime"]
    assert endpoints["metadata"]["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": ready_at}
    assert endpoints["subsets"] == [{
        "addresses": [{"ip": pod["status"]["podIP"], "nodeName": pod["spec"]["nodeName"],
                       "targetRef": {"kind": "Pod", "name": "a", "namespace": "default",
                                     "uid": pod["metadata"]["uid"]}}],
        "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}]


def test_service_without_pods_has_an_empty_slice_and_no_subsets(cluster):
    _setup(cluster)
    (slice_,) = _slices(cluster)
    assert slice_["endpoints"] is None and slice_["ports"] is None
    assert "subsets" not in cluster.client.get("endpoints", "web", "default")
    assert cluster.kubectl("get endpointslices").stdout.splitlines()[2].split()[1:4] == ["IPv4", "<unset>",
                                                                                          "<unset>"]


def test_terminating_pod_is_serving_but_not_ready(cluster):
    _setup(cluster, "a", "b")
    cluster.client.delete("pods", "a", "default")
    cluster.settle()
    (slice_,) = _slices(cluster)
    conditions = {e["targetRef"]["name"]: e["conditions"] for e in slice_["endpoints"]}
    assert conditions["a"]["terminating"] is True and conditions["a"]["ready"] is False
    addresses = cluster.client.get("endpoints", "web", "default")["subsets"][0]
    assert [a["targetRef"]["name"] for a in addresses["addresses"]] == ["b"]
    assert "notReadyAddresses" not in addresses  # terminating Pods leave Endpoints at once


def test_kubernetes_service_points_at_the_api_server(cluster):
    endpoints = cluster.client.get("endpoints", "kubernetes", "default")
    assert endpoints["subsets"] == [{"addresses": [{"ip": "172.18.0.2"}],
                                     "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    slice_ = cluster.client.get("endpointslices", "kubernetes", "default")
    assert slice_["endpoints"] == [{"addresses": ["172.18.0.2"], "conditions": {"ready": True}}]
    assert slice_["ports"] == [{"name": "https", "port": 6443, "protocol": "TCP"}]


def test_service_without_selector_gets_no_endpoints(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin="apiVersion: v1\nkind: Service\nmetadata:\n  name: manual\n"
                                                "spec:\n  ports:\n  - port: 80\n")
    assert cluster.client.try_get("endpoints", "manual", "default") is None
    assert _slices(cluster, "manual") == []


def test_deleting_the_service_removes_its_endpoints(cluster):
    _setup(cluster, "a")
    cluster.kubectl("delete service web")
    cluster.settle()
    assert cluster.client.try_get("endpoints", "web", "default") is None
