"""Watches routed by a spec field (kubelets by spec.nodeName) wake the same keys as asking every watch."""

from __future__ import annotations

from kubenb.api import Store
from kubenb.reconcile import Manager, ObjectKey
from kubenb.reconcile.controller import Watch, for_, map_to
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


class _Asked:
    """A controller that records which versions its watches were asked about."""

    def __init__(self) -> None:
        self.name = "asked"
        self.seen: list[tuple[str, str]] = []
        self.identity_seen: list[str] = []
        self.watches = [for_("pods"), Watch("pods", self.identity, identity_keys=True),
                        map_to("pods", self.owner_keys)]

    def identity(self, pod: dict) -> tuple[ObjectKey, ...]:
        self.identity_seen.append(pod.get("owner", ""))
        return (ObjectKey("pods", "default", pod["metadata"]["name"]),)

    def owner_keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        self.seen.append((pod["metadata"]["name"], pod.get("owner", "")))
        return (ObjectKey("owners", "default", pod["owner"]),) if pod.get("owner") else ()

    def reconcile(self, key: ObjectKey) -> None:
        return None


def test_identity_watches_skip_the_previous_version_and_mapped_watches_hear_both():
    store = Store()
    controller = _Asked()
    manager = Manager(store, VirtualClock(0.0), [controller])
    first = {**_pod("p1", None), "owner": "a"}
    store.put("pods", first, created=True)
    store.put("pods", {**_pod("p1", None), "owner": "b"}, created=False, old=first)  # adopted by b
    assert controller.seen == [("p1", "a"), ("p1", "b"), ("p1", "a")]  # the mapper heard old and new
    assert controller.identity_seen == ["a", "b"]  # an identity watch only the versions written
    assert manager.state()["asked"] == [ObjectKey("pods", "default", "p1"), ObjectKey("owners", "default", "a"),
                                        ObjectKey("owners", "default", "b")]


class _MetadataAsked:
    """A controller whose mapper promises to read only metadata (labels here)."""

    def __init__(self) -> None:
        self.name = "metadata-asked"
        self.seen: list[tuple[str, str]] = []
        self.watches = [map_to("pods", self.app_keys, metadata_keys=True)]

    def app_keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        app = pod["metadata"].get("labels", {}).get("app", "")
        self.seen.append((pod.get("status", {}).get("phase", ""), app))
        return (ObjectKey("services", "default", app),) if app else ()

    def reconcile(self, key: ObjectKey) -> None:
        return None


def _labelled(app: str, phase: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": "default", "name": "p1", "labels": {"app": app}},
            "status": {"phase": phase}}


def test_metadata_watches_hear_the_previous_version_only_when_its_metadata_differs():
    store = Store()
    controller = _MetadataAsked()
    manager = Manager(store, VirtualClock(0.0), [controller])
    first = _labelled("a", "Pending")
    store.put("pods", first, created=True)
    running = _labelled("a", "Running")  # a status write: only resourceVersion differs in the metadata
    store.put("pods", running, created=False, old=first)
    assert controller.seen == [("Pending", "a"), ("Running", "a")]
    relabelled = _labelled("b", "Running")
    store.put("pods", relabelled, created=False, old=running)
    assert controller.seen[2:] == [("Running", "b"), ("Running", "a")]  # new labels: the old version asked too
    assert manager.state()["metadata-asked"] == [ObjectKey("services", "default", "a"),
                                                 ObjectKey("services", "default", "b")]
