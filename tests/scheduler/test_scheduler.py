"""The default scheduler: binding, FailedScheduling messages, preemption, explain()."""

from __future__ import annotations

import pytest

from kubenb.api import StatusError
from kubenb.scheduler import explain
from kubenb.scheduler.framework import Rejection, fit_error_message


def pod(name: str, *, cpu: str | None = None, **spec_extra: object) -> dict:
    container: dict = {"name": "nginx", "image": "nginx:1.14.2"}
    if cpu:
        container["resources"] = {"requests": {"cpu": cpu}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [container], **spec_extra}}


def events_for(cluster, name: str) -> list[tuple[str, str, str]]:
    return [(e["type"], e["reason"], e["message"]) for e in cluster.client.list("events", "default")
            if e["involvedObject"]["name"] == name]


def test_a_pod_is_bound_to_a_worker_with_a_scheduled_event(cluster):
    cluster.client.create(pod("nginx"))
    cluster.settle()
    bound = cluster.client.get("pods", "nginx", "default")
    node = bound["spec"]["nodeName"]
    assert node in ("kubenb-worker", "kubenb-worker2")
    assert ("Normal", "Scheduled", f"Successfully assigned default/nginx to {node}") in events_for(cluster, "nginx")
    scheduled = [c for c in bound["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert scheduled[0]["status"] == "True"


def test_too_big_a_cpu_request_fails_with_the_upstream_message(cluster):
    cluster.client.create(pod("big", cpu="10"))
    cluster.settle()
    expected = ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
                "scheduling, 2 No preemption victims found for incoming pod..")
    assert events_for(cluster, "big") == [("Warning", "FailedScheduling", expected)]
    status = cluster.client.get("pods", "big", "default")["status"]
    condition = status["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"], condition["message"]) == (
        "PodScheduled", "False", "Unschedulable", expected)
    out = cluster.kubectl("get pods big")
    assert "Pending" in out.stdout


def test_an_unschedulable_pod_is_retried_when_a_node_changes(cluster):
    cluster.client.create(pod("big", cpu="3900m", nodeSelector={"disk": "ssd"}))
    cluster.settle()
    assert not cluster.client.get("pods", "big", "default")["spec"].get("nodeName")
    cluster.kubectl("label node kubenb-worker2 disk=ssd")
    assert cluster.client.get("pods", "big", "default")["spec"].get("nodeName") == "kubenb-worker2"


def test_node_selector_and_cordon_reasons():
    rejections = {"a": Rejection(("node(s) didn't match Pod's node affinity/selector",)),
                  "b": Rejection(("node(s) were unschedulable",)), "c": Rejection(("Insufficient cpu", "Insufficient memory"))}
    assert fit_error_message(3, rejections) == (
        "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match Pod's node "
        "affinity/selector, 1 node(s) were unschedulable.")


def test_cordoned_nodes_take_no_new_pods(cluster):
    cluster.kubectl("cordon kubenb-worker")
    cluster.kubectl("cordon kubenb-worker2")
    cluster.client.create(pod("p"))
    cluster.settle()
    message = events_for(cluster, "p")[0][2]
    assert message.startswith("0/3 nodes are available: 1 node(s) had untolerated taint "
                              "{node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable.")


def test_replicas_spread_over_workers(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=4")
    nodes = sorted(p["spec"]["nodeName"] for p in cluster.client.list("pods", "default"))
    assert nodes.count("kubenb-worker") == 2 and nodes.count("kubenb-worker2") == 2


def test_higher_priority_pod_preempts(cluster):
    client = cluster.client
    client.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                   "value": 1000})
    client.create(pod("low1", cpu="3500m"))
    client.create(pod("low2", cpu="3500m"))
    cluster.advance(5)
    high = pod("vip", cpu="3500m", priorityClassName="high")
    client.create(high)
    cluster.settle()
    vip = client.get("pods", "vip", "default")
    assert vip["spec"]["priority"] == 1000
    assert vip["status"].get("nominatedNodeName") in ("kubenb-worker", "kubenb-worker2")
    preempted = [e for e in client.list("events", "default") if e["reason"] == "Preempted"]
    assert len(preempted) == 1
    assert preempted[0]["message"] == f"Preempted by pod {vip['metadata']['uid']} on node " \
                                      f"{vip['status']['nominatedNodeName']}"
    cluster.advance(40)
    assert client.get("pods", "vip", "default")["spec"]["nodeName"] == vip["status"]["nominatedNodeName"]


def test_unknown_priority_class_is_refused(cluster):
    with pytest.raises(StatusError) as caught:
        cluster.client.create(pod("x", priorityClassName="nope"))
    assert caught.value.reason == "Forbidden"
    assert caught.value.message == 'pods "x" is forbidden: no PriorityClass with name nope was found'
    assert cluster.client.try_get("pods", "x", "default") is None


def test_explain_lists_each_node(cluster):
    result = explain(cluster.client, pod("big", cpu="10"))
    assert result == [
        ("kubenb-control-plane", False, ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"]),
        ("kubenb-worker", False, ["Insufficient cpu"]),
        ("kubenb-worker2", False, ["Insufficient cpu"]),
    ]


def test_node_info_counts_pods_per_controller_through_add_and_remove():
    from kubenb.scheduler.framework import NodeInfo
    from kubenb.scheduler.plugins import pod_topology_spread

    def pod(uid: str, owner: str | None) -> dict:
        refs = [{"kind": "ReplicaSet", "name": "rs", "uid": owner, "controller": True}] if owner else []
        return {"metadata": {"name": uid, "uid": uid, "ownerReferences": refs}, "spec": {"containers": []}}

    info = NodeInfo({"metadata": {"name": "n"}})
    for uid, owner in [("1", "rs-a"), ("2", "rs-a"), ("3", "rs-b"), ("4", None)]:
        info.add_pod(pod(uid, owner))
    assert pod_topology_spread._siblings_on(pod("x", "rs-a"), info) == 2
    info.remove_pod(pod("1", "rs-a"))
    assert pod_topology_spread._siblings_on(pod("x", "rs-a"), info) == 1
    assert pod_topology_spread._siblings_on(pod("x", "rs-b"), info) == 1
    assert pod_topology_spread._siblings_on(pod("x", None), info) == 0
