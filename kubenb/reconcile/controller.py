"""The controller contract: watches map events to keys; ``reconcile(key)`` converges one object.

Mirrors sigs.k8s.io/controller-runtime (``Reconciler``, ``Result``,
``builder.For/Owns/Watches``): a reconcile reads the current state, acts,
and says when it wants to look again. It must be idempotent; it never sees
the event that woke it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from kubenb.api import objects


@dataclass(frozen=True, slots=True, order=True)
class ObjectKey:
    resource: str  # plural, e.g. "replicasets"
    namespace: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Result:
    requeue_after: float | None = None  # virtual seconds


DONE = Result()


@dataclass(frozen=True, slots=True)
class Watch:
    resource: str
    keys_for: Callable[[dict], Iterable[ObjectKey]]
    # A promise that ``keys_for`` yields nothing unless ``obj["spec"][spec_field] == spec_value`` (a
    # kubelet and its node's Pods), so the manager can route by that value instead of asking every watch.
    spec_field: str | None = None
    spec_value: str | None = None
    # A promise that ``keys_for`` reads only the object's namespace and name, which an update never
    # changes: the previous version of a changed object yields the same keys, so it is not asked.
    identity_keys: bool = False
    # A weaker promise: ``keys_for`` reads only the object's apiVersion, kind and metadata (and other
    # objects in the store), so the previous version is asked only when its metadata differs besides
    # resourceVersion. Most updates are status writes, which keep the metadata as it was.
    metadata_keys: bool = False


class Controller(Protocol):
    name: str  # event source component, e.g. "replicaset-controller"
    watches: Sequence[Watch]

    def reconcile(self, key: ObjectKey) -> Result: ...


def for_(resource: str) -> Watch:
    """Reconcile the object itself."""

    def keys(obj: dict) -> Iterable[ObjectKey]:
        return (ObjectKey(resource, objects.namespace(obj), objects.name(obj)),)

    return Watch(resource, keys, identity_keys=True)


def owns(resource: str, owner_resource: str, owner_kind: str) -> Watch:
    """Reconcile the controlling owner of a changed object (Pods -> their ReplicaSet)."""

    def keys(obj: dict) -> Iterable[ObjectKey]:
        ref = objects.controller_ref(obj)
        if ref is None or ref.get("kind") != owner_kind:
            return ()
        return (ObjectKey(owner_resource, objects.namespace(obj), ref["name"]),)

    return Watch(resource, keys, metadata_keys=True)


def map_to(resource: str, mapper: Callable[[dict], Iterable[ObjectKey]], *, identity_keys: bool = False,
           metadata_keys: bool = False) -> Watch:
    """Reconcile what ``mapper`` names; ``identity_keys``: it reads only namespace and name,
    ``metadata_keys``: only apiVersion, kind and metadata (see Watch)."""
    return Watch(resource, mapper, identity_keys=identity_keys, metadata_keys=metadata_keys)


def by_name(controllers: Sequence[Controller]) -> dict[str, Controller]:
    return {c.name: c for c in controllers}
