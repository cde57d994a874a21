"""Garbage collector (pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go).

Keeps an owner -> dependents graph from ownerReferences, fed by the
watches, and acts on three situations:

- every owner of an object is gone (or has another uid): the object is
  deleted (Background; Foreground when an owner was waiting for it);
  when only some owners are gone, the dangling references are removed;
- an owner carries ``foregroundDeletion``: its dependents are deleted in
  the foreground, and the finalizer goes once no dependent with
  ``blockOwnerDeletion: true`` remains;
- an owner carries ``orphan``: its dependents lose the reference to it,
  then the finalizer goes.

Left out: the virtual-node "absent owner" cache and the uid-only graph
nodes. The graph is rebuilt from the watches only, so a snapshot restore
that removes objects relies on the missing-owner check of each dependent.
"""

from __future__ import annotations

import functools

from kubenb.api import Client, objects, resources
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, map_to


@functools.lru_cache(maxsize=256)  # the type table is fixed; every observed write resolves its kind
def _type_of(api_version: str, kind: str) -> resources.ResourceType | None:
    return resources.for_api_version_kind(api_version, kind)


class GarbageCollector:
    name = "generic-garbage-collector"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self._uid_of: dict[ObjectKey, str] = {}
        self._dependents: dict[str, set[ObjectKey]] = {}
        self.watches = [map_to(t.plural, self._observe, metadata_keys=True) for t in resources.RESOURCE_TYPES
                        if "delete" in t.verbs and t.plural != "events"]

    def _observe(self, obj: dict) -> list[ObjectKey]:
        # Runs for every write of every object (for an update that changes metadata, for the previous
        # version too: metadata_keys): lookups kept to the minimum.
        rtype = _type_of(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if rtype is None:
            return []
        metadata = obj.get("metadata", {})
        namespace = metadata.get("namespace") if rtype.namespaced else None
        key = ObjectKey(rtype.plural, namespace, metadata.get("name", ""))
        self._uid_of[key] = metadata.get("uid", "")
        refs = metadata.get("ownerReferences")
        if not refs:
            return [key]
        dependents = self._dependents
        for ref in refs:
            owner_uid = ref.get("uid", "")
            known = dependents.get(owner_uid)
            if known is None:
                dependents[owner_uid] = {key}
            else:
                known.add(key)
        keys = [key]
        if metadata.get("deletionTimestamp") and set(metadata.get("finalizers") or []) & {"orphan", "foregroundDeletion"}:
            return keys
        for ref in refs:
            owner = self._owner_key(ref, namespace)
            if owner is not None:
                keys.append(owner)  # a foreground owner waits for this dependent
        return keys

    def _owner_key(self, ref: dict, namespace: str | None) -> ObjectKey | None:
        rtype = _type_of(ref.get("apiVersion", ""), ref.get("kind", ""))
        if rtype is None:
            return None
        return ObjectKey(rtype.plural, namespace if rtype.namespaced else None, ref.get("name", ""))

    def reconcile(self, key: ObjectKey) -> Result:
        obj = self.client.get_view(key.resource, key.name, key.namespace)  # read only: no copy
        uid = self._uid_of.get(key)
        if obj is None or objects.uid(obj) != uid:
            # The object is gone: its dependents may now be orphans (or garbage).
            for dependent in sorted(self._dependents.pop(uid or "", set())):
                self.attempt_to_delete_item(dependent)
            if obj is None:
                self._uid_of.pop(key, None)
                return Result()
            self._uid_of[key] = objects.uid(obj)
        self.attempt_to_delete_item(key)
        obj = self.client.get_view(key.resource, key.name, key.namespace)
        if obj is not None and objects.is_being_deleted(obj):
            obj = self.client.get(key.resource, key.name, key.namespace)  # a copy for the steps below
            finalizers = obj["metadata"].get("finalizers") or []
            if "orphan" in finalizers:
                self.orphan_dependents(obj, key)
            elif "foregroundDeletion" in finalizers:
                self.process_deleting_dependents(obj, key)
        return Result()

    def _live_dependents(self, owner: dict) -> list[tuple[ObjectKey, dict]]:
        owner_uid = objects.uid(owner)
        found: list[tuple[ObjectKey, dict]] = []
        for dep_key in sorted(self._dependents.get(owner_uid, set())):
            dep = self.client.try_get(dep_key.resource, dep_key.name, dep_key.namespace)
            if dep is None:
                continue
            if any(r.get("uid") == owner_uid for r in objects.owner_references(dep)):
                found.append((dep_key, dep))
        return found

    def attempt_to_delete_item(self, key: ObjectKey) -> None:
        obj = self.client.get_view(key.resource, key.name, key.namespace)  # read only: no copy
        if obj is None or not objects.owner_references(obj):
            return
        if objects.is_being_deleted(obj) and "foregroundDeletion" not in (obj["metadata"].get("finalizers") or []):
            return
        solid: list[dict] = []
        dangling: list[dict] = []
        waiting: list[dict] = []
        for ref in objects.owner_references(obj):
            owner_key = self._owner_key(ref, key.namespace)
            owner = None if owner_key is None else self.client.store.get(owner_key.resource, owner_key.namespace,
                                                                         owner_key.name)
            if owner is None or objects.uid(owner) != ref.get("uid"):
                dangling.append(ref)
            elif objects.is_being_deleted(owner) and "foregroundDeletion" in (owner["metadata"].get("finalizers") or []):
                waiting.append(ref)
            else:
                solid.append(ref)
        if solid:
            if dangling or waiting:
                self._drop_owner_refs(key, {r.get("uid") for r in dangling + waiting})
            return
        if objects.is_being_deleted(obj):
            return
        policy = "Foreground" if any(r.get("blockOwnerDeletion") for r in waiting) else "Background"
        try:
            self.client.delete(key.resource, key.name, key.namespace, propagation_policy=policy)
        except StatusError:
            pass

    def _drop_owner_refs(self, key: ObjectKey, uids: set) -> None:
        def drop(o: dict) -> None:
            refs = [r for r in o["metadata"].get("ownerReferences") or [] if r.get("uid") not in uids]
            if refs:
                o["metadata"]["ownerReferences"] = refs
            else:
                o["metadata"].pop("ownerReferences", None)

        try:
            self.client.mutate(key.resource, key.name, key.namespace, drop)
        except StatusError:
            pass

    def orphan_dependents(self, owner: dict, key: ObjectKey) -> None:
        owner_uid = objects.uid(owner)
        for dep_key, _ in self._live_dependents(owner):
            self._drop_owner_refs(dep_key, {owner_uid})
        self._remove_finalizer(key, "orphan")

    def process_deleting_dependents(self, owner: dict, key: ObjectKey) -> None:
        blocking = False
        for dep_key, dep in self._live_dependents(owner):
            ref = next(r for r in objects.owner_references(dep) if r.get("uid") == objects.uid(owner))
            if not objects.is_being_deleted(dep):
                self.attempt_to_delete_item(dep_key)
            if ref.get("blockOwnerDeletion") and self.client.store.get(dep_key.resource, dep_key.namespace,
                                                                        dep_key.name) is not None:
                blocking = True
        if not blocking:
            self._remove_finalizer(key, "foregroundDeletion")

    def _remove_finalizer(self, key: ObjectKey, finalizer: str) -> None:
        obj = self.client.try_get(key.resource, key.name, key.namespace)
        if obj is None or finalizer not in (obj["metadata"].get("finalizers") or []):
            return
        obj["metadata"]["finalizers"] = [f for f in obj["metadata"]["finalizers"] if f != finalizer]
        if not obj["metadata"]["finalizers"]:
            obj["metadata"].pop("finalizers")
        try:
            self.client.update(obj)
        except StatusError:
            pass
