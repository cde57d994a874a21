"""Namespace controller (pkg/controller/namespace/deletion/namespaced_resources_deleter.go).

A Namespace being deleted (``status.phase: Terminating``) has every object
in it deleted; its deletion conditions report what remains; when nothing
remains the ``kubernetes`` finalizer is dropped and the Namespace goes.
Left out: discovery failures (every type is known here) and the
per-group-version conditions' failure branches.
"""

from __future__ import annotations

from kubenb.api import Client, objects, resources
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, for_, map_to


class NamespaceController:
    name = "namespace-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.namespaced = [t for t in resources.RESOURCE_TYPES if t.namespaced and "delete" in t.verbs]
        self.watches = [for_("namespaces")] + [map_to(t.plural, self._namespace_key, identity_keys=True) for t in self.namespaced
                                               if t.plural != "events"]

    def _namespace_key(self, obj: dict) -> list[ObjectKey]:
        ns = objects.namespace(obj)
        if not ns:
            return []
        owner = self.client.store.get("namespaces", None, ns)
        if owner is None or not objects.is_being_deleted(owner):
            return []
        return [ObjectKey("namespaces", None, ns)]

    def reconcile(self, key: ObjectKey) -> Result:
        ns = self.client.try_get("namespaces", key.name)
        if ns is None or not objects.is_being_deleted(ns):
            return Result()
        remaining: list[tuple[str, int]] = []
        finalizers_left = False
        for rtype in self.namespaced:
            items = self.client.list_view(rtype.plural, key.name)
            if not items:
                continue
            for obj in list(items):
                if not objects.is_being_deleted(obj):
                    try:
                        self.client.delete(rtype, objects.name(obj), key.name, propagation_policy="Background")
                    except StatusError:
                        pass
            left = self.client.list_view(rtype.plural, key.name)
            if left:
                remaining.append((rtype.group_resource, len(left)))
                if any(o["metadata"].get("finalizers") for o in left):
                    finalizers_left = True
        self._set_conditions(ns, remaining, finalizers_left)
        if remaining:
            return Result()  # the remaining objects' deletions wake this key again
        ns = self.client.get("namespaces", key.name)
        ns.setdefault("spec", {})["finalizers"] = []
        self.client.update(ns)
        return Result()

    def _set_conditions(self, ns: dict, remaining: list[tuple[str, int]], finalizers_left: bool) -> None:
        now = self.client.now()

        def cond(type_: str, status: str, reason: str, message: str) -> dict:
            return {"type": type_, "status": status, "lastTransitionTime": now, "reason": reason, "message": message}

        if remaining:
            content = cond("NamespaceContentRemaining", "True", "SomeResourcesRemain", "Some resources are remaining: "
                           + ", ".join(f"{gr} has {n} resource instances" for gr, n in remaining))
        else:
            content = cond("NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed")
        if finalizers_left:
            fin = cond("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining")
        else:
            fin = cond("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
                       "All content-preserving finalizers finished")
        wanted = [
            cond("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
            cond("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                 "All legacy kube types successfully parsed"),
            cond("NamespaceDeletionContentFailure", "False", "ContentDeleted",
                 "All content successfully deleted, may be waiting on finalization"),
            content, fin,
        ]
        old = {c["type"]: c for c in (ns.get("status") or {}).get("conditions") or []}
        for c in wanted:
            prior = old.get(c["type"])
            if prior and prior.get("status") == c["status"] and prior.get("reason") == c["reason"] \
                    and prior.get("message") == c["message"]:
                c["lastTransitionTime"] = prior["lastTransitionTime"]
        if [old.get(c["type"]) for c in wanted] == wanted:
            return
        ns.setdefault("status", {})["conditions"] = wanted
        try:
            self.client.update_status(ns)
        except StatusError:
            pass
