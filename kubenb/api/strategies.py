"""Per-kind REST strategies: what create and update may change (pkg/registry/*/strategy.go).

- Kinds with a status subresource drop ``status`` on create and keep the old
  status on a main-resource update; a status update keeps the old spec.
- ``metadata.generation`` starts at 1 and grows when anything but metadata and
  status changes (for kinds that track it).

- Pods start with status ``{phase: Pending, qosClass: ...}`` (podStrategy.PrepareForCreate).
- Jobs get their generated selector and uid labels (jobStrategy, generateSelector).

Left out: per-field immutability (that lives in api.validation), the
status-update rules for metadata (labels/annotations may change upstream).
"""

from __future__ import annotations

import base64

from kubenb.api import defaults, quantity
from kubenb.api.resources import ResourceType

# Kinds served with a /status subresource (status is reset on create, kept on update).
STATUS_SUBRESOURCE = {
    "Pod", "Node", "Namespace", "Service", "ReplicaSet", "Deployment", "DaemonSet", "StatefulSet",
    "Job", "CronJob", "HorizontalPodAutoscaler", "Ingress", "PersistentVolume", "PersistentVolumeClaim",
    "ResourceQuota", "PodDisruptionBudget", "ReplicationController",
}

# Kinds whose strategy keeps metadata.generation.
TRACKS_GENERATION = {
    "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob", "Ingress",
    "PodDisruptionBudget", "HorizontalPodAutoscaler", "ReplicationController", "Service", "NetworkPolicy",
    "Pod",
}

# Kinds whose status a create keeps (the apiserver's PrepareForCreate does not reset these).
_KEEPS_STATUS_ON_CREATE = {"Node", "Namespace", "PersistentVolume", "PersistentVolumeClaim"}


def _quantity_or_none(value: object) -> quantity.Quantity | None:
    try:
        return quantity.parse(str(value))
    except quantity.QuantityError:
        return None


def get_pod_qos(pod: dict) -> str:
    """qos.GetPodQOS: Guaranteed, Burstable or BestEffort from the containers' cpu/memory."""
    spec = pod.get("spec") or {}
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    guaranteed = True
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for container in containers:
        resources = (container or {}).get("resources") or {}
        container_limits = set()
        for kind, into in (("requests", requests), ("limits", limits)):
            for name, value in (resources.get(kind) or {}).items():
                if name not in ("cpu", "memory"):
                    continue
                q = _quantity_or_none(value)
                if q is None or q.is_zero():
                    continue
                into[name] = into[name] + q if name in into else q
                if kind == "limits":
                    container_limits.add(name)
        if container_limits != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(n) == requests.get(n) for n in requests) and set(requests) <= set(limits):
        return "Guaranteed"
    return "Burstable"


def merge_secret_string_data(obj: dict) -> None:
    """Secret stringData is write-only: the v1 conversion folds it into data (base64), stringData winning."""
    string_data = obj.pop("stringData", None)
    if not isinstance(string_data, dict) or not string_data:
        return
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    for key, value in string_data.items():
        data[key] = base64.b64encode(str(value).encode("utf-8")).decode("ascii")
    obj["data"] = data


def prepare_for_create(rtype: ResourceType, obj: dict) -> None:
    kind = rtype.kind
    if kind == "Secret":
        merge_secret_string_data(obj)
    if kind in STATUS_SUBRESOURCE and kind not in _KEEPS_STATUS_ON_CREATE:
        obj["status"] = {}
    if kind == "Pod":
        obj["status"] = {"phase": "Pending", "qosClass": get_pod_qos(obj)}
    if kind == "Job":
        defaults.generate_job_selector(obj)
    if kind in TRACKS_GENERATION:
        obj["metadata"]["generation"] = 1
    else:
        obj["metadata"].pop("generation", None)


def _spec_part(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


def prepare_for_update(rtype: ResourceType, obj: dict, old: dict, *, subresource: str | None) -> None:
    kind = rtype.kind
    if subresource == "status":
        # A status write changes status (and, upstream, some metadata); never spec.
        for key in list(obj):
            if key not in ("metadata", "status", "apiVersion", "kind"):
                obj.pop(key)
        for key, value in old.items():
            if key not in ("metadata", "status"):
                obj[key] = value
        obj["metadata"]["generation"] = old["metadata"].get("generation")
        if obj["metadata"]["generation"] is None:
            obj["metadata"].pop("generation")
        return
    if kind == "Secret":
        merge_secret_string_data(obj)
    if kind in STATUS_SUBRESOURCE:
        if "status" in old:
            obj["status"] = old["status"]
        else:
            obj.pop("status", None)
    if kind in TRACKS_GENERATION:
        generation = old["metadata"].get("generation", 1)
        if _spec_part(obj) != _spec_part(old):
            generation += 1
        elif kind != "Pod" and (obj["metadata"].get("deletionTimestamp") and
                                not old["metadata"].get("deletionTimestamp")):
            generation += 1
        obj["metadata"]["generation"] = generation
