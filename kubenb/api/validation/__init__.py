"""Semantic validation with upstream messages, as a table of kind -> validator.

Each validator mirrors the Validate*/Validate*Update pair of its API group
(pkg/apis/<group>/validation): ``validator(obj, old)`` returns field errors,
``old`` is None on create. The modules are split by group like upstream.
Kinds not listed get metadata-only validation.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api.errors import FieldError
from kubenb.api.resources import RESOURCE_TYPES, ResourceType
from kubenb.api.validation import apps, batch, core, meta, networking

VALIDATORS: dict[str, Callable[[dict, dict | None], list[FieldError]]] = {
    "Pod": core.validate_pod,
    "Service": core.validate_service,
    "ConfigMap": core.validate_config_map,
    "Secret": core.validate_secret,
    "Namespace": core.validate_namespace,
    "Deployment": apps.validate_deployment,
    "ReplicaSet": apps.validate_replica_set,
    "DaemonSet": apps.validate_daemon_set,
    "StatefulSet": apps.validate_stateful_set,
    "Job": batch.validate_job,
    "CronJob": batch.validate_cron_job,
    "Ingress": networking.validate_ingress,
    "NetworkPolicy": networking.validate_network_policy,
}

# Kinds whose names follow other rules than DNS-1123 subdomains.
_NAME_RULES: dict[str, meta.NameFn] = {
    "Role": meta.validate_path_segment_name,
    "RoleBinding": meta.validate_path_segment_name,
    "ClusterRole": meta.validate_path_segment_name,
    "ClusterRoleBinding": meta.validate_path_segment_name,
    "Event": lambda name, prefix: [],
}

for _t in RESOURCE_TYPES:
    if _t.kind not in VALIDATORS:
        VALIDATORS[_t.kind] = core.validate_generic(_t.namespaced, _NAME_RULES.get(_t.kind, meta.name_is_dns_subdomain))


def validate(rtype: ResourceType, obj: dict, old: dict | None) -> list[FieldError]:
    validator = VALIDATORS.get(rtype.kind)
    return validator(obj, old) if validator is not None else []
