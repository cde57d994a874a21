"""The store: the one owner of object state (etcd plus the apiserver's registry).

Objects are kept per resource (plural) under ``(namespace, name)``; lists come
back sorted by that key, as etcd returns them. Each write bumps one global
resourceVersion, appends a control-plane trace entry and emits a
``WatchEvent`` to subscribers, in order.

Lists stay cheap at 10,000 Pods: each resource keeps its keys sorted (one list
over every namespace, one per namespace), updated by bisection on create and
delete, so a list neither sorts nor scans other namespaces. Beside each sorted
key list runs a list of the objects in the same order, updated in place by the
same bisection on every write, so a list is one list copy, not a dict lookup
per object. Components may add secondary indexes (``add_index``: a key
function over objects, as client-go's indexers), kept in step with every
write, delete and ``set_state``.

Left out: MVCC history (watches start from "now"), compaction, per-object
resourceVersion precondition beyond the latest version.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Hashable, Iterator
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
        # Sorted keys per resource: every namespace, and each namespace's names (derived from _objects).
        self._sorted_all: dict[str, list[tuple[str, str]]] = {}
        self._sorted_ns: dict[str, dict[str, list[str]]] = {}
        # The objects in the order of the sorted keys beside them (what ``items`` copies).
        self._listed_all: dict[str, list[dict]] = {}
        self._listed_ns: dict[str, dict[str, list[dict]]] = {}
        # Secondary indexes: (resource, index name) -> key function, and index key -> object keys.
        self._index_functions: dict[tuple[str, str], Callable[[dict], Hashable | None]] = {}
        self._indexes: dict[tuple[str, str], dict[Hashable, set[tuple[str, str]]]] = {}
        # Each stored object's current index key (None not kept): a write computes only the new one.
        self._index_keys: dict[tuple[str, str], dict[tuple[str, str], Hashable]] = {}
        # resource -> its (index name, key function) pairs: a write looks at its own resource's only.
        self._indexes_of: dict[str, list[tuple[str, Callable[[dict], Hashable | None]]]] = {}
        # by_index answers until a write changes that index key's members: the members' keys, sorted,
        # and their objects in that order (a write that keeps the members replaces its object in place).
        self._sorted_members: dict[tuple[str, str, Hashable], tuple[list[tuple[str, str]], list[dict]]] = {}
        self.resource_version = 0
        self._subscribers: list[Callable[[WatchEvent], None]] = []
        self.trace: deque[TraceEntry] = deque(maxlen=TRACE_LIMIT)
        self._trace_seq = 0

    # --- reads -------------------------------------------------------------
    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        bucket = self._objects.get(resource)  # no throwaway {} per read: this is the hottest read
        return None if bucket is None else bucket.get((namespace or "", name))

    def items(self, resource: str, namespace: str | None = None) -> list[dict]:
        """The objects sorted by (namespace, name): a new list (the objects themselves are read-only)."""
        if namespace is None:
            listed = self._listed_all.get(resource)
        else:
            listed = self._listed_ns.get(resource, {}).get(namespace)
        return list(listed) if listed else []

    def add_index(self, resource: str, index: str, key_of: Callable[[dict], Hashable | None]) -> None:
        """Keep ``key_of(obj)`` -> object keys for ``resource`` (None: not indexed); see ``by_index``."""
        self._index_functions[(resource, index)] = key_of
        self._indexes_of[resource] = [(name, fn) for (indexed, name), fn in self._index_functions.items()
                                      if indexed == resource]
        self._rebuild_index(resource, index)

    def has_index(self, resource: str, index: str) -> bool:
        return (resource, index) in self._index_functions

    def by_index(self, resource: str, index: str, key: Hashable) -> list[dict]:
        """The objects whose index key is ``key``, sorted by (namespace, name) like a list."""
        keys = self._indexes[(resource, index)].get(key)
        if not keys:
            return []
        members = self._sorted_members.get((resource, index, key))
        if members is None:
            sorted_keys = sorted(keys)
            bucket = self._objects[resource]
            members = self._sorted_members[(resource, index, key)] = (sorted_keys, [bucket[k] for k in sorted_keys])
        return list(members[1])

    def in_index(self, resource: str, index: str, key: Hashable) -> bool:
        """Whether some object's index key is ``key`` (``by_index`` without building the list)."""
        return bool(self._indexes[(resource, index)].get(key))

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
        key = (md.get("namespace") or "", md["name"])
        bucket = self._objects.get(resource)
        if bucket is None:
            bucket = self._objects[resource] = {}
        previous = bucket.get(key)
        bucket[key] = obj
        if previous is None:
            self._add_sorted(resource, key, obj)
        else:
            self._replace_listed(resource, key, obj)
        self._reindex(resource, key, previous, obj)
        self._emit(WatchEvent(ADDED if created else MODIFIED, resource, obj, rv, old))

    def remove(self, resource: str, namespace: str | None, name: str) -> dict | None:
        key = (namespace or "", name)
        obj = self._objects.get(resource, {}).pop(key, None)
        if obj is not None:
            self._remove_sorted(resource, key)
            self._reindex(resource, key, obj, None)
            rv = self.next_resource_version()
            self._emit(WatchEvent(DELETED, resource, obj, rv))
        return obj

    # --- derived structures (rebuilt from _objects on set_state) ---------------------------------------
    def _add_sorted(self, resource: str, key: tuple[str, str], obj: dict) -> None:
        keys = self._sorted_all.setdefault(resource, [])
        at = bisect_left(keys, key)
        keys.insert(at, key)
        self._listed_all.setdefault(resource, []).insert(at, obj)
        names = self._sorted_ns.setdefault(resource, {}).setdefault(key[0], [])
        at = bisect_left(names, key[1])
        names.insert(at, key[1])
        self._listed_ns.setdefault(resource, {}).setdefault(key[0], []).insert(at, obj)

    def _replace_listed(self, resource: str, key: tuple[str, str], obj: dict) -> None:
        self._listed_all[resource][bisect_left(self._sorted_all[resource], key)] = obj
        self._listed_ns[resource][key[0]][bisect_left(self._sorted_ns[resource][key[0]], key[1])] = obj

    def _remove_sorted(self, resource: str, key: tuple[str, str]) -> None:
        keys = self._sorted_all[resource]
        at = bisect_left(keys, key)
        del keys[at]
        del self._listed_all[resource][at]
        names = self._sorted_ns[resource][key[0]]
        at = bisect_left(names, key[1])
        del names[at]
        del self._listed_ns[resource][key[0]][at]
        if not names:
            del self._sorted_ns[resource][key[0]]
            del self._listed_ns[resource][key[0]]

    def _reindex(self, resource: str, key: tuple[str, str], before: dict | None, after: dict | None) -> None:
        for index, key_of in self._indexes_of.get(resource, ()):
            table = self._indexes[(resource, index)]
            current = self._index_keys[(resource, index)]
            old_key = None if before is None else current.get(key)  # key_of(before), kept from its write
            new_key = None if after is None else key_of(after)
            if new_key is None:
                current.pop(key, None)
            else:
                current[key] = new_key
            if old_key == new_key and before is not None and after is not None:
                members = None if new_key is None else self._sorted_members.get((resource, index, new_key))
                if members is not None:  # same members: the new version takes the old one's place
                    members[1][bisect_left(members[0], key)] = after
                continue
            if old_key is not None:
                holders = table.get(old_key)
                if holders is not None:
                    holders.discard(key)
                    self._sorted_members.pop((resource, index, old_key), None)
                    if not holders:
                        del table[old_key]
            if new_key is not None:
                table.setdefault(new_key, set()).add(key)
                self._sorted_members.pop((resource, index, new_key), None)

    def _rebuild_index(self, resource: str, index: str) -> None:
        key_of = self._index_functions[(resource, index)]
        self._sorted_members = {k: v for k, v in self._sorted_members.items() if k[:2] != (resource, index)}
        table: dict[Hashable, set[tuple[str, str]]] = {}
        current: dict[tuple[str, str], Hashable] = {}
        for key, obj in self._objects.get(resource, {}).items():
            index_key = key_of(obj)
            if index_key is not None:
                table.setdefault(index_key, set()).add(key)
                current[key] = index_key
        self._indexes[(resource, index)] = table
        self._index_keys[(resource, index)] = current

    def _rebuild_derived(self) -> None:
        self._sorted_all = {}
        self._sorted_ns = {}
        self._listed_all = {}
        self._listed_ns = {}
        for resource, bucket in self._objects.items():
            self._sorted_all[resource] = sorted(bucket)
            self._listed_all[resource] = [bucket[key] for key in self._sorted_all[resource]]
            per_namespace: dict[str, list[str]] = {}
            listed: dict[str, list[dict]] = {}
            for namespace, name in self._sorted_all[resource]:
                per_namespace.setdefault(namespace, []).append(name)
                listed.setdefault(namespace, []).append(bucket[(namespace, name)])
            self._sorted_ns[resource] = per_namespace
            self._listed_ns[resource] = listed
        for resource, index in self._index_functions:
            self._rebuild_index(resource, index)

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
        self._rebuild_derived()
        self.resource_version = state["rv"]
        self.trace = deque(state["trace"], maxlen=TRACE_LIMIT)
        self._trace_seq = state["trace_seq"]
