"""The write path's cheaper copies: what a write hands back, and what it keeps, never aliases the caller's.

Status writes copy only the status, binds and deletes only the levels they change, the recorder's
count bumps hand their body over; a strict and a trusted (non-strict) cluster store the same thing.
"""

from __future__ import annotations

import pytest

from kubenb import Cluster


def _pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "x"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}


@pytest.fixture(params=[True, False], ids=["strict", "trusted"])
def any_cluster(request: pytest.FixtureRequest) -> Cluster:
    return Cluster(seed=0, strict=request.param)


def test_status_write_keeps_the_stored_spec_and_copies_the_body(any_cluster):
    client = any_cluster.client.for_component("kubelet/kubenb-worker")
    any_cluster.client.create(_pod("p"))
    stored = any_cluster.client.get_view("pods", "p", "default")
    body = any_cluster.client.get("pods", "p", "default")  # the caller's own copy
    body.update(spec={"containers": []}, status={"phase": "Running", "conditions": [{"type": "Ready"}]})
    result = client.update(body, subresource="status")
    body["status"]["conditions"].append({"type": "Mutated"})  # the caller's body stays its own
    body["metadata"]["labels"]["app"] = "changed"  # (the store's metadata is never the body's)
    result["status"]["phase"] = "Failed"  # and so does what came back
    result["metadata"]["labels"]["app"] = "changed"
    now = any_cluster.client.get_view("pods", "p", "default")
    assert now["status"] == {"phase": "Running", "conditions": [{"type": "Ready"}]}
    assert now["spec"]["containers"][0]["name"] == "c"  # a status write never changes spec
    assert now["metadata"]["labels"] == {"app": "x"}
    assert int(now["metadata"]["resourceVersion"]) > int(stored["metadata"]["resourceVersion"])
    client.update_owned({**now, "status": {"phase": "Running", "conditions": [{"type": "Ready"}]}},
                        subresource="status")
    assert any_cluster.client.get_view("pods", "p", "default") is now  # a no-op write stores nothing


def test_bind_and_graceful_delete_hand_back_copies_and_leave_old_versions_alone(any_cluster):
    any_cluster.client.create(_pod("p"))
    before = any_cluster.client.get_view("pods", "p", "default")
    bound = any_cluster.client.for_component("default-scheduler").bind("p", "default", "kubenb-worker")
    assert "nodeName" not in before["spec"] and not any(c["type"] == "PodScheduled"
                                                         for c in before["status"].get("conditions", []))
    bound["spec"]["containers"][0]["image"] = "changed"
    bound["metadata"]["labels"]["app"] = "changed"
    stored = any_cluster.client.get_view("pods", "p", "default")
    assert stored["spec"]["nodeName"] == "kubenb-worker"
    assert stored["spec"]["containers"][0]["image"] == "nginx:1.27" and stored["metadata"]["labels"] == {"app": "x"}
    deleted = any_cluster.client.delete("pods", "p", "default")
    assert deleted["metadata"]["deletionGracePeriodSeconds"] == 30
    assert "deletionTimestamp" not in stored["metadata"]  # the previous version is untouched
    deleted["metadata"]["labels"]["app"] = "changed"
    assert any_cluster.client.get_view("pods", "p", "default")["metadata"]["labels"] == {"app": "x"}


def test_namespace_delete_sets_terminating_on_a_new_version_only(any_cluster):
    any_cluster.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    before = any_cluster.client.get_view("namespaces", "team")
    result = any_cluster.client.delete("namespaces", "team")
    assert result["status"]["phase"] == "Terminating" and before["status"]["phase"] == "Active"
    again = any_cluster.client.delete("namespaces", "team")
    again["status"]["phase"] = "changed"
    assert any_cluster.client.get_view("namespaces", "team")["status"]["phase"] == "Terminating"


def test_aggregated_event_is_a_new_version_with_the_same_name(any_cluster):
    cm = any_cluster.client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    recorder = any_cluster.client.for_component("kubelet/kubenb-worker")
    recorder.event(cm, "Normal", "Poked", "poked", host="kubenb-worker")
    (first,) = [e for e in any_cluster.client.list_view("events", "default") if e["reason"] == "Poked"]
    any_cluster.clock.advance_to(any_cluster.clock.now() + 5)
    recorder.event(cm, "Normal", "Poked", "poked", host="kubenb-worker")
    (second,) = [e for e in any_cluster.client.list_view("events", "default") if e["reason"] == "Poked"]
    assert first["count"] == 1 and second["count"] == 2  # the handed-out version did not change
    assert second["metadata"]["name"] == first["metadata"]["name"]
    assert second["firstTimestamp"] == first["firstTimestamp"] != second["lastTimestamp"]
    assert second["metadata"] is not first["metadata"]
    assert int(second["metadata"]["resourceVersion"]) > int(first["metadata"]["resourceVersion"])
