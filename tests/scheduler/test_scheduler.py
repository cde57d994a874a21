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


def _failed_scheduling_count(cluster, name: str) -> int:
    return sum(e.get("count") or 1 for e in cluster.client.list("events", "default")
               if e["involvedObject"]["name"] == name and e["reason"] == "FailedScheduling")


def _assert_cache_matches_the_store(cluster) -> None:
    from kubenb.scheduler.scheduler import build_node_infos

    scheduler = cluster.scheduler
    scheduler._ensure_synced()
    fresh = build_node_infos(cluster.client)
    assert sorted(scheduler.infos) == sorted(fresh)
    # The cached name order follows nodes coming and going.
    assert scheduler._in_name_order(scheduler.infos) == [scheduler.infos[name] for name in sorted(fresh)]
    for name, info in fresh.items():
        kept = scheduler.infos[name]
        assert [p["metadata"]["uid"] for p in kept.pods] == [p["metadata"]["uid"] for p in info.pods]
        assert {k: v for k, v in kept.requested.items() if v} == {k: v for k, v in info.requested.items() if v}
        assert kept.non_zero_requested == info.non_zero_requested
        assert kept.by_controller == info.by_controller
        assert kept.min_priority == info.min_priority
        assert kept.node is cluster.client.store.get("nodes", None, name)


def test_the_scheduler_cache_follows_binds_deletions_and_node_changes(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=5")
    cluster.client.create(pod("solo", cpu="500m"))
    cluster.settle()
    _assert_cache_matches_the_store(cluster)
    cluster.kubectl("scale deployment web --replicas=2")
    cluster.kubectl("label node kubenb-worker disk=ssd")
    cluster.kubectl("cordon kubenb-worker2")
    cluster.client.delete("pods", "solo", "default")
    cluster.advance(40)
    _assert_cache_matches_the_store(cluster)


def test_a_restore_brings_the_scheduler_cache_and_queue_back(cluster):
    cluster.client.create(pod("a", cpu="3000m"))
    cluster.client.create(pod("b", cpu="3000m"))
    cluster.settle()
    cluster.client.create(pod("late", cpu="3000m"))
    cluster.settle()
    saved = cluster.snapshot()
    cluster.client.delete("pods", "b", "default")
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.advance(40)
    assert cluster.client.get("pods", "late", "default")["spec"].get("nodeName")
    cluster.restore(saved)
    _assert_cache_matches_the_store(cluster)
    cluster.settle()
    assert not cluster.client.get("pods", "late", "default")["spec"].get("nodeName")
    assert _failed_scheduling_count(cluster, "late") == 1
    # The restored queue still knows what rejected the Pod: freeing room retries it.
    cluster.client.delete("pods", "a", "default")
    cluster.advance(40)
    assert cluster.client.get("pods", "late", "default")["spec"].get("nodeName")
    _assert_cache_matches_the_store(cluster)


def test_only_events_that_may_help_retry_an_unschedulable_pod(cluster):
    # Rejected by NodeAffinity on the workers (and the control-plane taint): a Pod deletion cannot help it.
    cluster.client.create(pod("picky", nodeSelector={"disk": "ssd"}))
    cluster.client.create(pod("other"))
    cluster.settle()
    assert _failed_scheduling_count(cluster, "picky") == 1
    cluster.client.delete("pods", "other", "default")
    cluster.advance(40)
    assert _failed_scheduling_count(cluster, "picky") == 1
    # A label that does not make any node match is no reason either; one that does is.
    cluster.kubectl("label node kubenb-worker tier=web")
    assert _failed_scheduling_count(cluster, "picky") == 1
    cluster.kubectl("label node kubenb-worker2 disk=ssd")
    assert cluster.client.get("pods", "picky", "default")["spec"]["nodeName"] == "kubenb-worker2"


def test_a_pod_rejected_for_resources_is_retried_when_an_assigned_pod_is_deleted(cluster):
    cluster.client.create(pod("a", cpu="3000m"))
    cluster.client.create(pod("b", cpu="3000m"))
    cluster.settle()
    cluster.client.create(pod("late", cpu="3000m"))
    cluster.settle()
    assert _failed_scheduling_count(cluster, "late") == 1
    # A terminating Pod still holds its room (an assigned Pod's update is no reason to retry) ...
    cluster.client.delete("pods", "a", "default")
    assert _failed_scheduling_count(cluster, "late") == 1
    # ... its removal is.
    cluster.advance(40)
    assert cluster.client.get("pods", "late", "default")["spec"].get("nodeName")


def test_the_cached_node_order_follows_nodes_deleted_and_registered(cluster):
    scheduler = cluster.scheduler
    _assert_cache_matches_the_store(cluster)
    node = cluster.client.get("nodes", "kubenb-worker")
    cluster.client.delete("nodes", "kubenb-worker")
    _assert_cache_matches_the_store(cluster)
    assert "kubenb-worker" not in [info.name for info in scheduler._in_name_order(scheduler.infos)]
    node["metadata"] = {"name": "kubenb-a-worker", "labels": node["metadata"].get("labels") or {}}
    cluster.client.create(node)
    _assert_cache_matches_the_store(cluster)
    assert scheduler._in_name_order(scheduler.infos)[0].name == "kubenb-a-worker"
    cluster.client.create(pod("placed", cpu="100m"))
    cluster.settle()
    assert cluster.client.get("pods", "placed", "default")["spec"].get("nodeName") != "kubenb-worker"
