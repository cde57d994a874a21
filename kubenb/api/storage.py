"""Storage admission: the DefaultStorageClass and StorageObjectInUseProtection plugins.

Mirrors plugin/pkg/admission/storage/storageclass/setdefault (a claim that
names no class gets the one annotated
``storageclass.kubernetes.io/is-default-class: "true"``) and
plugin/pkg/admission/storage/storageobjectinuseprotection (claims and
volumes get the ``kubernetes.io/pvc-protection`` / ``pv-protection``
finalizers, removed by the persistent volume controller once unused).
Left out: the beta default-class annotation, several defaults at once
(upstream picks the newest; here the first by name).
"""

from __future__ import annotations

from kubenb.api.resources import ResourceType

DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"


def default_storage_class(client: object) -> str | None:
    for storage_class in client.list_view("storageclasses"):  # type: ignore[attr-defined]
        if (storage_class.get("metadata", {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true":
            return storage_class["metadata"]["name"]
    return None


def storage_admission(operation: str, rtype: ResourceType, obj: dict, old: dict | None, client: object) -> None:
    if operation != "CREATE":
        return
    if rtype.kind == "PersistentVolumeClaim":
        spec = obj.setdefault("spec", {})
        if spec.get("storageClassName") is None:  # "" asks for no class at all, as upstream
            default = default_storage_class(client)
            if default is not None:
                spec["storageClassName"] = default
        _add_finalizer(obj, "kubernetes.io/pvc-protection")
    elif rtype.kind == "PersistentVolume":
        _add_finalizer(obj, "kubernetes.io/pv-protection")


def _add_finalizer(obj: dict, finalizer: str) -> None:
    finalizers = obj["metadata"].setdefault("finalizers", [])
    if finalizer not in finalizers:
        finalizers.append(finalizer)
