"""The store's sorted keys and secondary indexes stay in step with writes, deletes and restores."""

from __future__ import annotations

import pickle

from kubenb.api import Store
from kubenb.api.events import AGGREGATION_INDEX


def _obj(namespace: str, name: str, **extra: object) -> dict:
    return {"metadata": {"namespace": namespace, "name": name}, **extra}


def test_items_are_sorted_per_namespace_and_overall_through_creates_and_deletes():
    store = Store()
    for namespace, name in [("b", "z"), ("a", "m"), ("b", "a"), ("a", "b"), ("c", "q"), ("a", "z")]:
        store.put("pods", _obj(namespace, name), created=True)
    store.remove("pods", "a", "m")
    store.remove("pods", "c", "q")
    store.put("pods", _obj("b", "z", spec={"x": 1}), created=False)  # an update keeps one entry
    names = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in store.items("pods")]
    assert names == [("a", "b"), ("a", "z"), ("b", "a"), ("b", "z")]
    assert [o["metadata"]["name"] for o in store.items("pods", "b")] == ["a", "z"]
    assert store.items("pods", "b")[1]["spec"] == {"x": 1}
    assert store.items("pods", "c") == []
    assert store.items("services") == []


def test_index_follows_updates_deletes_and_set_state():
    store = Store()
    store.add_index("pods", "color", lambda o: o.get("color"))
    store.put("pods", _obj("ns", "p1", color="red"), created=True)
    store.put("pods", _obj("ns", "p2", color="red"), created=True)
    snapshot = pickle.loads(pickle.dumps(store.state()))
    store.put("pods", _obj("ns", "p1", color="blue"), created=False)
    store.remove("pods", "ns", "p2")
    assert [o["metadata"]["name"] for o in store.by_index("pods", "color", "blue")] == ["p1"]
    assert store.by_index("pods", "color", "red") == []
    store.set_state(snapshot)
    assert [o["metadata"]["name"] for o in store.by_index("pods", "color", "red")] == ["p1", "p2"]
    assert store.by_index("pods", "color", "blue") == []
    assert [o["metadata"]["name"] for o in store.items("pods", "ns")] == ["p1", "p2"]


def _events(cluster, reason: str) -> list[dict]:
    return [e for e in cluster.client.list_view("events", "default") if e.get("reason") == reason]


def test_event_aggregation_survives_restore_and_deletion(cluster):
    cm = cluster.client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    cluster.client.event(cm, "Normal", "Poked", "poked once")
    snapshot = cluster.snapshot()
    cluster.client.event(cm, "Normal", "Poked", "poked once")
    assert [e["count"] for e in _events(cluster, "Poked")] == [2]
    cluster.restore(snapshot)
    cluster.client.event(cm, "Normal", "Poked", "poked once")
    assert [e["count"] for e in _events(cluster, "Poked")] == [2]  # counted from the restored state
    (event,) = _events(cluster, "Poked")
    cluster.client.delete("events", event["metadata"]["name"], "default")
    cluster.client.event(cm, "Normal", "Poked", "poked once")
    assert [e["count"] for e in _events(cluster, "Poked")] == [1]  # a fresh row, not the deleted one
    cluster.client.event(cm, "Normal", "Poked", "poked twice")
    assert sorted(e["message"] for e in _events(cluster, "Poked")) == ["poked once", "poked twice"]
    assert cluster.store.has_index("events", AGGREGATION_INDEX)


def test_controlled_view_lists_a_controllers_pods_and_the_orphans(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
    cluster.kubectl("run solo --image=nginx:1.27")
    (rs,) = cluster.client.list_view("replicasets", "default")
    owned = cluster.client.controlled_view("pods", "default", rs["metadata"]["uid"])
    orphans = cluster.client.controlled_view("pods", "default", None)
    assert len(owned) == 3 and [p["metadata"]["name"] for p in owned] == sorted(p["metadata"]["name"] for p in owned)
    assert [p["metadata"]["name"] for p in orphans] == ["solo"]


def test_lists_and_index_answers_hand_out_the_latest_versions_and_fresh_lists():
    store = Store()
    store.add_index("pods", "color", lambda o: o.get("color"))
    for name in ("p3", "p1", "p2"):
        store.put("pods", _obj("ns", name, color="red", v=0), created=True)
    assert [o["metadata"]["name"] for o in store.by_index("pods", "color", "red")] == ["p1", "p2", "p3"]
    store.put("pods", _obj("ns", "p2", color="red", v=1), created=False)  # same members, new version
    assert [o["v"] for o in store.by_index("pods", "color", "red")] == [0, 1, 0]
    assert [o["v"] for o in store.items("pods")] == [0, 1, 0]
    assert [o["v"] for o in store.items("pods", "ns")] == [0, 1, 0]
    handed = store.items("pods")
    handed.clear()  # the caller's list is its own
    answer = store.by_index("pods", "color", "red")
    answer.pop()
    assert len(store.items("pods")) == 3 and len(store.by_index("pods", "color", "red")) == 3
    store.remove("pods", "ns", "p1")
    assert [o["metadata"]["name"] for o in store.items("pods", "ns")] == ["p2", "p3"]
    assert [o["metadata"]["name"] for o in store.by_index("pods", "color", "red")] == ["p2", "p3"]
    store.remove("pods", "ns", "p2")
    store.remove("pods", "ns", "p3")
    assert store.items("pods", "ns") == [] and store.items("pods") == []
