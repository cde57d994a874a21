"""LimitRanger and ResourceQuota admission, and the usage a quota counts.

Mirrors plugin/pkg/admission/limitranger (defaults for containers that set
no requests/limits, recorded in the ``kubernetes.io/limit-ranger``
annotation; min/max per Container and Pod, refused as Forbidden) and
plugin/pkg/admission/resourcequota with pkg/quota/v1/evaluator/core
(usage of pods, compute resources, object counts and storage; a Pod
that lacks a request a quota tracks is refused with "must specify").
As upstream, every quota's constraints ("must specify") are checked before
any quota's usage ("exceeded quota"); a Pod's requests are the larger of its
containers' sum and its largest init container (resourcehelper.PodRequests)
plus its overhead; a finished Pod still counts in ``count/pods`` but no
longer in ``pods`` or compute resources; a claim also counts against its
StorageClass (``<class>.storageclass.storage.k8s.io/requests.storage``).
``namespace_usage`` is also what the resource quota controller writes to
``status.used``.
Left out: maxLimitRequestRatio, PersistentVolumeClaim LimitRanges, quota
scopes and scopeSelectors, extended resources, sidecar (restartable) init
containers, quota on update.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.api import quantity as quantities
from kubenb.api.resources import ResourceType

COMPUTE = ("cpu", "memory")
LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger"
# Quota names that count objects of one kind (the short forms are older than count/<resource>).
# The resources for which a quota makes every container state a request or limit (podEvaluator.Constraints).
CONSTRAINED = ("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/"
COUNTED = {"pods": "pods", "services": "services", "configmaps": "configmaps", "secrets": "secrets",
           "persistentvolumeclaims": "persistentvolumeclaims", "replicationcontrollers": "replicationcontrollers",
           "resourcequotas": "resourcequotas"}


def _q(text: object) -> quantities.Quantity:
    try:
        return quantities.parse(str(text))
    except (ValueError, TypeError):
        return quantities.parse("0")


def _add(total: quantities.Quantity, more: quantities.Quantity) -> quantities.Quantity:
    """Quantity.Add: a zero total takes the format of what is added (so memory stays 512Mi)."""
    if total.is_zero():
        return quantities.Quantity(more.value, more.format)
    return total + more


def _containers(pod: dict) -> list[dict]:
    return [c for c in (pod.get("spec") or {}).get("containers") or [] if isinstance(c, dict)]


def _init_containers(pod: dict) -> list[dict]:
    return [c for c in (pod.get("spec") or {}).get("initContainers") or [] if isinstance(c, dict)]


def pod_resources(pod: dict, kind: str) -> dict[str, quantities.Quantity]:
    """resourcehelper.PodRequests / PodLimits: the containers' sum, at least the largest init container,
    plus the Pod's overhead."""
    total: dict[str, quantities.Quantity] = {}
    for container in _containers(pod):
        for resource, value in ((container.get("resources") or {}).get(kind) or {}).items():
            total[resource] = _add(total.get(resource, _q(0)), _q(value))
    for container in _init_containers(pod):
        for resource, value in ((container.get("resources") or {}).get(kind) or {}).items():
            if resource not in total or _q(value) > total[resource]:
                total[resource] = _q(value)
    for resource, value in ((pod.get("spec") or {}).get("overhead") or {}).items():
        if resource in total:
            total[resource] = _add(total[resource], _q(value))
    return total


def missing_requirements(pod: dict, hard: dict) -> str:
    """podEvaluator.Constraints: "limits.cpu for: a,b; requests.memory for: a" ('' when nothing is missing)."""
    required = sorted(name for name in hard if name in CONSTRAINED)
    missing: dict[str, set[str]] = {}
    for container in _containers(pod) + _init_containers(pod):
        resources_ = container.get("resources") or {}
        stated = {f"requests.{r}" for r in resources_.get("requests") or {}}
        stated |= {r.split(".", 1)[1] for r in stated}
        stated |= {f"limits.{r}" for r in resources_.get("limits") or {}}
        for name in required:
            if name not in stated:
                missing.setdefault(name, set()).add(str(container.get("name", "")))
    return "; ".join(f"{name} for: {','.join(sorted(missing[name]))}" for name in sorted(missing))


# --- LimitRanger -----------------------------------------------------------------------------------------
def limit_ranger(operation: str, rtype: ResourceType, obj: dict, old: dict | None, client: object) -> None:
    if rtype.kind != "Pod" or operation != "CREATE":
        return
    namespace = obj["metadata"].get("namespace") or "default"
    ranges = list(client.list_view("limitranges", namespace))  # type: ignore[attr-defined]
    if not ranges:
        return
    set_requests: dict[str, list[str]] = {}
    set_limits: dict[str, list[str]] = {}
    problems: list[str] = []
    for limit_range in ranges:
        for item in (limit_range.get("spec") or {}).get("limits") or []:
            if item.get("type") != "Container":
                continue
            for container in _containers(obj):
                resources = container.setdefault("resources", {})
                for resource, value in (item.get("default") or {}).items():
                    if resource not in (resources.get("limits") or {}):
                        resources.setdefault("limits", {})[resource] = value
                        set_limits.setdefault(container.get("name", ""), []).append(resource)
                for resource, value in (item.get("defaultRequest") or {}).items():
                    if resource not in (resources.get("requests") or {}):
                        # A limit with no request requests the limit (the API default), unless a default says otherwise.
                        resources.setdefault("requests", {})[resource] = value
                        set_requests.setdefault(container.get("name", ""), []).append(resource)
                for resource in (item.get("default") or {}):
                    if resource not in (resources.get("requests") or {}) and resource not in (
                            item.get("defaultRequest") or {}):
                        resources.setdefault("requests", {})[resource] = resources["limits"][resource]
                        set_requests.setdefault(container.get("name", ""), []).append(resource)
                problems += _check_bounds(item, resources, "Container")
        for item in (limit_range.get("spec") or {}).get("limits") or []:
            if item.get("type") == "Pod":
                problems += _check_bounds(item, _pod_totals(obj), "Pod")
    notes = []
    for name in sorted(set(set_requests) | set(set_limits)):
        if set_requests.get(name):
            notes.append(f"{', '.join(sorted(set(set_requests[name])))} request for container {name}")
        if set_limits.get(name):
            notes.append(f"{', '.join(sorted(set(set_limits[name])))} limit for container {name}")
    if notes:
        obj["metadata"].setdefault("annotations", {})[LIMIT_RANGER_ANNOTATION] = \
            "LimitRanger plugin set: " + "; ".join(notes)
    if problems:
        detail = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        raise errors.forbidden_error(f'pods "{obj["metadata"].get("name", "")}" is forbidden: {detail}')


def _pod_totals(pod: dict) -> dict:
    totals: dict[str, dict[str, quantities.Quantity]] = {"requests": {}, "limits": {}}
    for container in _containers(pod):
        for kind in ("requests", "limits"):
            for resource, value in ((container.get("resources") or {}).get(kind) or {}).items():
                totals[kind][resource] = _add(totals[kind].get(resource, _q(0)), _q(value))
    return {kind: {r: str(v) for r, v in values.items()} for kind, values in totals.items()}


def _check_bounds(item: dict, resources: dict, scope: str) -> list[str]:
    problems = []
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    for resource, minimum in sorted((item.get("min") or {}).items()):
        if resource not in requests:
            problems.append(f"minimum {resource} usage per {scope} is {minimum}.  No request is specified")
        elif _q(requests[resource]) < _q(minimum):
            problems.append(f"minimum {resource} usage per {scope} is {minimum}, but request is {requests[resource]}")
    for resource, maximum in sorted((item.get("max") or {}).items()):
        if resource not in limits:
            problems.append(f"maximum {resource} usage per {scope} is {maximum}.  No limit is specified")
        elif _q(limits[resource]) > _q(maximum):
            problems.append(f"maximum {resource} usage per {scope} is {maximum}, but limit is {limits[resource]}")
    return problems


# --- ResourceQuota -----------------------------------------------------------------------------------------
def object_usage(plural: str, group: str, obj: dict) -> dict[str, quantities.Quantity]:
    """What one object adds to each quota resource name."""
    usage: dict[str, quantities.Quantity] = {}
    count_name = f"count/{plural}" + (f".{group}" if group else "")
    usage[count_name] = _q(1)
    if plural in COUNTED and not group:
        usage[COUNTED[plural]] = _q(1)
    if plural == "pods":
        if (obj.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            # Object counts track everything stored; "pods" and compute only Pods that can still run.
            usage.pop("pods", None)
            return usage
        for kind in ("requests", "limits"):
            for resource, value in pod_resources(obj, kind).items():
                usage[f"{kind}.{resource}"] = value
        for resource in (*COMPUTE, "ephemeral-storage"):
            if f"requests.{resource}" in usage:
                usage[resource] = usage[f"requests.{resource}"]
    elif plural == "services":
        service_type = (obj.get("spec") or {}).get("type") or "ClusterIP"
        if service_type in ("NodePort", "LoadBalancer"):
            usage["services.nodeports"] = _q(len((obj.get("spec") or {}).get("ports") or []))
        if service_type == "LoadBalancer":
            usage["services.loadbalancers"] = _q(1)
    elif plural == "persistentvolumeclaims":
        storage = (((obj.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
        if storage is not None:
            usage["requests.storage"] = _q(storage)
        storage_class = (obj.get("spec") or {}).get("storageClassName")
        if storage_class:
            usage[f"{storage_class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"] = _q(1)
            if storage is not None:
                usage[f"{storage_class}{STORAGE_CLASS_SUFFIX}requests.storage"] = _q(storage)
    return usage


def namespace_usage(client: object, namespace: str, names: list[str]) -> dict[str, quantities.Quantity]:
    """Usage of the given quota resource names over what the namespace holds now."""
    from kubenb.api import resources as registry

    totals = {name: _q(0) for name in names}
    plurals = {"pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers",
               "resourcequotas"}
    for name in names:
        if name.startswith("count/"):
            plurals.add(name[len("count/"):].split(".", 1)[0])
    for plural in sorted(plurals):
        rtype = registry.by_plural(plural)
        if rtype is None or not rtype.namespaced:
            continue
        for obj in client.list_view(plural, namespace):  # type: ignore[attr-defined]
            for key, value in object_usage(plural, rtype.group, obj).items():
                if key in totals:
                    totals[key] = _add(totals[key], value)
    return totals


def resource_quota(operation: str, rtype: ResourceType, obj: dict, old: dict | None, client: object) -> None:
    if operation != "CREATE" or not rtype.namespaced or rtype.kind == "Event":
        return
    namespace = obj["metadata"].get("namespace") or "default"
    quotas = list(client.list_view("resourcequotas", namespace))  # type: ignore[attr-defined]
    if not quotas:
        return
    added = object_usage(rtype.plural, rtype.group, obj)
    subject = f'{rtype.group_resource} "{obj["metadata"].get("name", "")}"'
    # Every quota's constraints first, then usage (checkRequest).
    if rtype.kind == "Pod":
        for quota in quotas:
            missing = missing_requirements(obj, (quota.get("spec") or {}).get("hard") or {})
            if missing:
                raise errors.forbidden_error(f"{subject} is forbidden: failed quota: {quota['metadata']['name']}: "
                                             f"must specify {missing}")
    for quota in quotas:
        hard = (quota.get("spec") or {}).get("hard") or {}
        quota_name = quota["metadata"]["name"]
        tracked = [name for name in sorted(hard) if name in added]
        if not tracked:
            continue
        used = namespace_usage(client, namespace, tracked)
        exceeded = [name for name in tracked if _add(used[name], added[name]) > _q(hard[name])]
        if exceeded:
            requested = ",".join(f"{n}={added[n]}" for n in exceeded)
            in_use = ",".join(f"{n}={used[n]}" for n in exceeded)
            limited = ",".join(f"{n}={hard[n]}" for n in exceeded)
            raise errors.forbidden_error(f"{subject} is forbidden: exceeded quota: {quota_name}, requested: "
                                         f"{requested}, used: {in_use}, limited: {limited}")
