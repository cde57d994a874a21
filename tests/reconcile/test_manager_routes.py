"""Watches routed by a spec field (kubelets by spec.nodeName) wake the same keys as asking every watch."""

from __future__ import annotations

from kubenb.api import Store
from kubenb.reconcile import Manager, ObjectKey
from kubenb.reconcile.controller import Watch
from kubenb.sim.clock import VirtualClock


class _Node:
    def __init__(self, node: str, sharded: bool) -> None:
        self.name = f"kubelet/{node}"
        self.node = node
        extra = {"spec_field": "nodeName", "spec_value": node} if sharded else {}
        self.watches = [Watch("pods", self.keys, **extra)]

    def keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        if pod.get("spec", {}).get("nodeName") == self.node:
            return (ObjectKey("pods", pod["metadata"]["namespace"], pod["metadata"]["name"]),)
        return ()

    def reconcile(self, key: ObjectKey) -> None:
        return None


def _pod(name: str, node: str | None) -> dict:
    spec = {"nodeName": node} if node else {}
    return {"metadata": {"namespace": "default", "name": name}, "spec": spec}


def _queues_after_writes(sharded: bool) -> dict[str, list]:
    store = Store()
    manager = Manager(store, VirtualClock(0.0), [_Node(n, sharded) for n in ("a", "b", "c")])
    store.put("pods", _pod("p1", None), created=True)
    store.put("pods", _pod("p1", "a"), created=False, old=_pod("p1", None))  # bound to a
    store.put("pods", _pod("p2", "b"), created=True)
    store.put("pods", _pod("p2", "c"), created=False, old=_pod("p2", "b"))  # moved: both b and c hear
    store.remove("pods", "default", "p1")
    return manager.state()


def test_sharded_routes_enqueue_exactly_what_unsharded_routes_do():
    sharded = _queues_after_writes(True)
    assert sharded == _queues_after_writes(False)
    assert sharded["kubelet/a"] == [ObjectKey("pods", "default", "p1")]
    assert sharded["kubelet/b"] == [ObjectKey("pods", "default", "p2")]
    assert sharded["kubelet/c"] == [ObjectKey("pods", "default", "p2")]
