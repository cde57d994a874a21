"""viz.graph: pictures built from objects written through a bare API client (no controllers running)."""

from __future__ import annotations

import pytest

from kubenb.api import Client, Store
from kubenb.cluster.bootstrap import node_object
from kubenb.sim.clock import VirtualClock
from kubenb.sim.rand import SeededRandom
from kubenb.viz import graph, styles


@pytest.fixture
def client() -> Client:
    api = Client(Store(), VirtualClock("2025-01-01T00:00:00Z"), SeededRandom(0))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    for index, name in enumerate(["kubenb-control-plane", "kubenb-worker", "kubenb-worker2"]):
        api.create(node_object(name, index, control_plane=index == 0, boot_time="2025-01-01T00:00:00Z"))
    return api


def running(name: str, ip: str, *, ready: bool = True, restarts: int = 0) -> dict:
    return {"phase": "Running", "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
            "containerStatuses": [{"name": "app", "ready": ready, "restartCount": restarts, "image": "nginx",
                                   "imageID": "", "containerID": "containerd://" + name,
                                   "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}}}]}


def waiting(reason: str, restarts: int = 0) -> dict:
    return {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}],
            "containerStatuses": [{"name": "app", "ready": False, "restartCount": restarts, "image": "nginx",
                                   "imageID": "", "state": {"waiting": {"reason": reason}}}]}


def make_pod(client: Client, name: str, status: dict, *, labels: dict | None = None, owner: dict | None = None,
             node: str = "kubenb-worker", image: str = "nginx:1.27") -> dict:
    metadata: dict = {"name": name, "namespace": "default", "labels": labels or {"app": "web"}}
    if owner is not None:
        metadata["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner["kind"],
                                        "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
                                        "controller": True, "blockOwnerDeletion": True}]
    pod = client.create({"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                         "spec": {"nodeName": node, "containers": [{"name": "app", "image": image}]}})
    pod["status"] = status
    return client.update_status(pod)


def make_deployment_in_rollout(client: Client) -> None:
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}
    deployment = client.create({"apiVersion": "apps/v1", "kind": "Deployment",
                                "metadata": {"name": "web", "namespace": "default"},
                                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                                         "template": template}})
    sets = []
    for revision, (suffix, replicas, ready) in enumerate([("old111", 1, 1), ("new222", 2, 0)], 1):
        rs = client.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
            "name": f"web-{suffix}", "namespace": "default",
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                 "uid": deployment["metadata"]["uid"], "controller": True}]},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}}, "template": template}})
        rs["status"] = {"replicas": replicas, "readyReplicas": ready}
        sets.append(client.update_status(rs))
    make_pod(client, "web-old111-aaaaa", running("a", "10.244.1.5"), owner=sets[0])
    make_pod(client, "web-new222-bbbbb", waiting("ContainerCreating"), owner=sets[1], node="kubenb-worker2",
             image="nginx:1.28")
    make_pod(client, "web-new222-ccccc", waiting("CrashLoopBackOff", restarts=3), owner=sets[1],
             image="nginx:1.28")


def test_deployment_shows_both_replicasets_during_a_rollout(client):
    make_deployment_in_rollout(client)
    picture = graph.build(client, "deploy/web")
    ids = [n.id for n in picture.nodes]
    assert "ReplicaSet/web-old111" in ids and "ReplicaSet/web-new222" in ids
    assert ("ReplicaSet/web-old111", "Pod/web-old111-aaaaa") in [(e.tail, e.head) for e in picture.edges]
    old = picture.node("ReplicaSet/web-old111")
    assert old.lines == ["ReplicaSet web-old111", "revision 1", "desired 1 / ready 1"]
    assert picture.node("Pod/web-old111-aaaaa").lines == [
        "Pod web-old111-aaaaa", "Running  1/1", "node: kubenb-worker", "IP: 10.244.1.5", "restarts: 0"]
    crash = picture.node("Pod/web-new222-ccccc")
    assert crash.lines[1:] == ["CrashLoopBackOff  0/1", "node: kubenb-worker", "IP: <none>", "restarts: 3"]
    assert crash.attrs["fillcolor"] == styles.RED[0]
    assert picture.node("Pod/web-new222-bbbbb").attrs["fillcolor"] == styles.AMBER[0]
    assert picture.node("Pod/web-new222-bbbbb/container/app").lines == ["app", "nginx:1.28"]
    dot = picture.to_dot()
    assert dot.startswith('digraph "deployment/web -n default at 2025-01-01T00:00:00Z" {')
    assert '"Deployment/web" -> "ReplicaSet/web-new222";' in dot


def test_deployment_graph_is_deterministic(client):
    make_deployment_in_rollout(client)
    assert graph.to_dot(client, "deployment/web") == graph.to_dot(client, "deployment/web")


def pod(status: dict, deleting: bool = False, spec: dict | None = None) -> dict:
    md = {"name": "p"}
    if deleting:
        md["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    return {"metadata": md, "spec": spec or {"containers": [{"name": "app"}]}, "status": status}


TERMINATED_OK = {"terminated": {"exitCode": 0, "reason": "Completed"}}


@pytest.mark.parametrize(("status", "spec", "deleting", "expected"), [
    ({"phase": "Pending"}, None, False, ("Pending", 0, 1, 0)),
    ({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
      "containerStatuses": [{"ready": True, "restartCount": 1, "state": {"running": {}}}]}, None, False,
     ("Running", 1, 1, 1)),
    ({"phase": "Succeeded", "containerStatuses": [{"ready": False, "state": TERMINATED_OK}]}, None, False,
     ("Completed", 0, 1, 0)),
    ({"phase": "Running", "containerStatuses": [{"ready": False, "state": {"terminated": {"exitCode": 1}}}]},
     None, False, ("ExitCode:1", 0, 1, 0)),
    ({"phase": "Running", "containerStatuses": [{"ready": True, "state": {"running": {}}}]}, None, True,
     ("Terminating", 1, 1, 0)),
    ({"phase": "Pending", "initContainerStatuses": [{"name": "init", "state": {"running": {}}}]},
     {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}]}, False, ("Init:0/1", 0, 1, 0)),
    ({"phase": "Pending", "initContainerStatuses": [
        {"name": "init", "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]},
     {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}]}, False,
     ("Init:CrashLoopBackOff", 0, 1, 2)),
    ({"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}], "containerStatuses": [
        {"ready": False, "state": TERMINATED_OK}, {"ready": True, "state": {"running": {}}}]},
     {"containers": [{"name": "a"}, {"name": "b"}]}, False, ("NotReady", 1, 2, 0)),
])
def test_pod_summary_matches_get_pods(status, spec, deleting, expected):
    summary = graph.pod_summary(pod(status, deleting, spec))
    assert (summary.status, summary.ready, summary.total, summary.restarts) == expected


def make_service(client: Client, type_: str, **spec: object) -> dict:
    body = {"type": type_, "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}], **spec}
    if type_ == "ExternalName":
        body = {"type": type_, "externalName": "example.com"}
    return client.create({"apiVersion": "v1", "kind": "Service",
                          "metadata": {"name": "web", "namespace": "default"}, "spec": body})


def test_clusterip_service_keeps_unready_pods_outside_the_endpoints(client):
    make_pod(client, "ready-pod", running("r", "10.244.1.7"))
    make_pod(client, "slow-pod", running("s", "10.244.2.8", ready=False))
    make_pod(client, "other", running("o", "10.244.2.9"), labels={"app": "other"})
    make_service(client, "ClusterIP", clusterIP="10.96.10.10")
    picture = graph.build(client, "svc/web")
    endpoints = next(g for g in picture.groups if g.id == "endpoints_web")
    assert endpoints.members == ["Pod/ready-pod"]
    edges = [(e.tail, e.head) for e in picture.edges]
    assert ("client/in-cluster", "Service/web") in edges
    assert ("Service/web", "Pod/ready-pod") in edges
    assert not any(head == "Pod/slow-pod" for _, head in edges)
    assert picture.node("Pod/slow-pod") is not None  # drawn, but outside the endpoints
    assert picture.node("Pod/other") is None  # not selected


def test_nodeport_route_goes_through_every_node(client):
    make_pod(client, "ready-pod", running("r", "10.244.1.7"))
    make_service(client, "NodePort", ports=[{"port": 80, "targetPort": 8080, "nodePort": 30080}])
    picture = graph.build(client, "service/web")
    edges = [(e.tail, e.head) for e in picture.edges]
    for index, node in enumerate(["kubenb-control-plane", "kubenb-worker", "kubenb-worker2"]):
        assert ("client/outside", f"NodePort/{node}") in edges
        assert (f"NodePort/{node}", "Service/web") in edges
        assert picture.node(f"NodePort/{node}").lines == [node, f"172.18.0.{index + 2}:30080"]
    assert ("Service/web", "Pod/ready-pod") in edges


def test_loadbalancer_route_and_pending_external_ip(client):
    make_service(client, "LoadBalancer", ports=[{"port": 80, "targetPort": 8080, "nodePort": 30080}])
    picture = graph.build(client, "service/web")
    assert picture.node("LoadBalancer/web").lines[0] == "external IP <pending>"
    edges = [(e.tail, e.head) for e in picture.edges]
    assert ("client/internet", "LoadBalancer/web") in edges
    # The control-plane node is excluded from external load balancers, as kind labels it.
    assert ("LoadBalancer/web", "NodePort/kubenb-worker") in edges
    assert ("LoadBalancer/web", "NodePort/kubenb-control-plane") not in edges
    assert picture.node("web/no-endpoints").lines == ["no ready endpoints:", "requests are refused"]


def test_externalname_is_a_cname(client):
    make_service(client, "ExternalName")
    picture = graph.build(client, "service/web")
    assert [(e.tail, e.head, e.label) for e in picture.edges] == [("Service/web", "CNAME/example.com",
                                                                   "DNS answers")]


def test_ingress_without_controller_says_rules_are_not_served(client):
    make_pod(client, "ready-pod", running("r", "10.244.1.7"))
    make_service(client, "ClusterIP")
    client.create({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                   "metadata": {"name": "site", "namespace": "default"},
                   "spec": {"rules": [{"host": "shop.example", "http": {"paths": [
                       {"path": "/cart", "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})
    picture = graph.build(client, "ing/site")
    warning = picture.node("no-ingress-controller")
    assert warning.lines == ["kubenb: no ingress controller is running:", "these rules are not served"]
    assert picture.node("rule/0/0").lines == ["shop.example/cart", "Prefix"]
    edges = [(e.tail, e.head) for e in picture.edges]
    assert ("Ingress/site", "rule/0/0") in edges
    assert ("rule/0/0", "Service/web") in edges
    assert ("Service/web", "Pod/ready-pod") in edges


def test_ingress_with_a_running_controller(client):
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ingress-nginx"}})
    controller = client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "ingress-nginx-controller-abc", "namespace": "ingress-nginx",
        "labels": {"app.kubernetes.io/name": "ingress-nginx"}},
        "spec": {"containers": [{"name": "app", "image": "ingress-nginx/controller"}]}})
    controller["status"] = running("c", "10.244.1.3")
    client.update_status(controller)
    client.create({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                   "metadata": {"name": "site", "namespace": "default"},
                   "spec": {"defaultBackend": {"service": {"name": "missing", "port": {"number": 80}}}}})
    picture = graph.build(client, "ingress/site")
    assert picture.node("no-ingress-controller") is None
    assert picture.node("ingress-controller") is not None
    assert picture.node("Service/missing").lines == ["Service missing", "not found"]


def test_cluster_picture_has_control_plane_and_nodes(cluster):
    picture = graph.build(cluster.client, "cluster")
    groups = {g.id: g for g in picture.groups}
    assert [m for m in groups["control_plane"].members] == [
        "component/kube-apiserver", "component/etcd", "component/kube-scheduler",
        "component/kube-controller-manager"]
    assert "Pod/kube-system/etcd-kubenb-control-plane" in groups["node_kubenb-control-plane"].members
    assert {"node_kubenb-worker", "node_kubenb-worker2"} <= set(groups)


def test_namespace_picture(client):
    make_deployment_in_rollout(client)
    make_service(client, "ClusterIP")
    make_pod(client, "loner", running("l", "10.244.2.2"), labels={"run": "loner"})
    picture = graph.build(client, "ns/default")
    ids = {n.id for n in picture.nodes}
    assert {"Deployment/web", "Service/web", "Pod/loner", "Pod/web-new222-ccccc"} <= ids
    assert not any(i.endswith("/container/app") for i in ids)  # namespace view leaves containers out


@pytest.mark.parametrize(("target", "message"), [
    ("pods/x", "kubenb: cannot draw 'pods/x': use cluster, deployment/NAME, service/NAME, ingress/NAME "
               "or namespace/NAME"),
    ("deployment", "kubenb: cannot draw 'deployment': use cluster, deployment/NAME, service/NAME, "
                   "ingress/NAME or namespace/NAME"),
    ("deployment/nope", 'kubenb: deployment "nope" not found in namespace "default"'),
    ("ns/nope", 'kubenb: namespace "nope" not found'),
])
def test_bad_targets_explain_themselves(client, target, message):
    with pytest.raises(graph.GraphError) as caught:
        graph.build(client, target)
    assert str(caught.value) == message
