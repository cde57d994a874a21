"""The store: the one owner of object state (etcd plus the apiserver's registry).

Objects are kept per resource (plural) under ``(namespace, name)``; lists come
back sorted by that key, as etcd returns them. Each write bumps one global
resourceVersion, appends a control-plane trace entry and emits a
``WatchEvent`` to subscribers, in order.

Left out: MVCC history (watches start from "now"), compaction, per-object
resourceVersion precondition beyond the latest version.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kubenb.api.watch import ADDED, DELETED, MODIFIED, WatchEvent

TRACE_LIMIT = 20000


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One thing a component did through the API: the raw material of the architecture lesson."""

    seq: int
    time: float
    component: str  # "kube-apiserver", "deployment-controller", "kubelet/kubenb-worker", ...
    verb: str  # "create", "update", "update-status", "delete", "bind", ...
    resource: str
    namespace: str | None
    name: str
    detail: str = ""


class Store:
    def __init__(self) -> None:
        self._objects: dict[str, dict[tuple[str, str], dict]] = {}
        self.resource_version = 0
        self._subscribers: list[Callable[[WatchEvent], None]] = []
        self.trace: deque[TraceEntry] = deque(maxlen=TRACE_LIMIT)
        self._trace_seq = 0

    # --- reads -------------------------------------------------------------
    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        return self._objects.get(resource, {}).get((namespace or "", name))

    def items(self, resource: str, namespace: str | None = None) -> list[dict]:
        bucket = self._objects.get(resource, {})
        if namespace is None:
            keys = sorted(bucket)
        else:
            keys = sorted(k for k in bucket if k[0] == namespace)
        return [bucket[k] for k in keys]

    def count(self, resource: str) -> int:
        return len(self._objects.get(resource, {}))

    def resources(self) -> Iterator[str]:
        return iter(sorted(self._objects))

    # --- writes (the caller has already cloned and admitted the object) ------
    def next_resource_version(self) -> int:
        self.resource_version += 1
        return self.resource_version

    def put(self, resource: str, obj: dict, *, created: bool, old: dict | None = None) -> None:
        md = obj["metadata"]
        rv = self.next_resource_version()
        md["resourceVersion"] = str(rv)
        self._objects.setdefault(resource, {})[(md.get("namespace") or "", md["name"])] = obj
        self._emit(WatchEvent(ADDED if created else MODIFIED, resource, obj, rv, old))

    def remove(self, resource: str, namespace: str | None, name: str) -> dict | None:
        obj = self._objects.get(resource, {}).pop((namespace or "", name), None)
        if obj is not None:
            rv = self.next_resource_version()
            self._emit(WatchEvent(DELETED, resource, obj, rv))
        return obj

    def record(self, time: float, component: str, verb: str, resource: str, namespace: str | None,
               name: str, detail: str = "") -> None:
        self._trace_seq += 1
        self.trace.append(TraceEntry(self._trace_seq, time, component, verb, resource, namespace, name, detail))

    # --- watch ---------------------------------------------------------------
    def subscribe(self, callback: Callable[[WatchEvent], None]) -> None:
        self._subscribers.append(callback)

    def _emit(self, event: WatchEvent) -> None:
        for callback in self._subscribers:
            callback(event)

    # --- snapshots ---------------------------------------------------------------
    def state(self) -> dict:
        return {"objects": self._objects, "rv": self.resource_version,
                "trace": list(self.trace), "trace_seq": self._trace_seq}

    def set_state(self, state: dict) -> None:
        self._objects = state["objects"]
        self.resource_version = state["rv"]
        self.trace = deque(state["trace"], maxlen=TRACE_LIMIT)
        self._trace_seq = state["trace_seq"]
