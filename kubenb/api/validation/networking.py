"""networking.k8s.io/v1 validation with upstream messages (pkg/apis/networking/validation/validation.go).

Ingress rules (hosts, paths, path types, backends), IngressClass names and
NetworkPolicy ports. Left out: TLS secret checks, resource backends, the
annotation-based class, NetworkPolicy peers' CIDRs.
"""

from __future__ import annotations

from kubenb.api import errors, names
from kubenb.api.errors import FieldError
from kubenb.api.validation import core, meta

PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]


def _validate_backend(backend: object, path: str) -> list[FieldError]:
    if not isinstance(backend, dict):
        return []
    errs: list[FieldError] = []
    service = backend.get("service")
    resource = backend.get("resource")
    if service is not None and resource is not None:
        errs.append(errors.invalid(path, "", "cannot set both resource and service backends"))
    elif service is None and resource is None:
        errs.append(errors.invalid(path, "", "resource or service backend is required"))
    if isinstance(service, dict):
        name = service.get("name") or ""
        if not name:
            errs.append(errors.required(f"{path}.service.name"))
        else:
            for msg in names.is_dns1035_label(name):
                errs.append(errors.invalid(f"{path}.service.name", name, msg))
        port = service.get("port")
        if not isinstance(port, dict) or (not port.get("name") and not port.get("number")):
            errs.append(errors.required(f"{path}.service.port", "port name or number is required"))
        elif port.get("name") and port.get("number"):
            errs.append(errors.invalid(f"{path}.service.port", port.get("name"),
                                       "cannot set both port name & port number"))
        elif port.get("name"):
            for msg in names.is_valid_port_name(port["name"]):
                errs.append(errors.invalid(f"{path}.service.port.name", port["name"], msg))
        else:
            for msg in names.is_valid_port_num(port["number"]):
                errs.append(errors.invalid(f"{path}.service.port.number", port["number"], msg))
    return errs


def validate_ingress(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    rules = spec.get("rules") or []
    if not rules and spec.get("defaultBackend") is None:
        errs.append(errors.invalid("spec.rules", rules, "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += _validate_backend(spec.get("defaultBackend"), "spec.defaultBackend")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        host = rule.get("host") or ""
        rp = f"spec.rules[{i}]"
        if host:
            if host.startswith("*."):
                for msg in names.is_dns1123_subdomain(host[2:]):
                    errs.append(errors.invalid(f"{rp}.host", host, msg))
            else:
                for msg in names.is_dns1123_subdomain(host):
                    errs.append(errors.invalid(f"{rp}.host", host, msg))
        http = rule.get("http")
        if not isinstance(http, dict):
            continue
        paths = http.get("paths") or []
        if not paths:
            errs.append(errors.required(f"{rp}.http.paths"))
        for j, item in enumerate(paths):
            if not isinstance(item, dict):
                continue
            pp = f"{rp}.http.paths[{j}]"
            path_type = item.get("pathType")
            path = item.get("path") or ""
            if path_type is None:
                errs.append(errors.required(f"{pp}.pathType", "pathType must be specified"))
            elif path_type not in PATH_TYPES:
                errs.append(errors.not_supported(f"{pp}.pathType", path_type, PATH_TYPES))
            elif path_type in ("Exact", "Prefix"):
                if not path.startswith("/"):
                    errs.append(errors.invalid(f"{pp}.path", path, "must be an absolute path"))
                else:
                    for bad in ("//", "/./", "/../", "%2f", "%2F"):
                        if bad in path:
                            errs.append(errors.invalid(f"{pp}.path", path, f"must not contain '{bad}'"))
                    for suffix in ("/..", "/."):
                        if path.endswith(suffix):
                            errs.append(errors.invalid(f"{pp}.path", path, f"cannot end with '{suffix}'"))
            elif path and not path.startswith("/"):
                errs.append(errors.invalid(f"{pp}.path", path, "must be an absolute path"))
            errs += _validate_backend(item.get("backend"), f"{pp}.backend")
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    return errs


def validate_network_policy(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    for direction in ("ingress", "egress"):
        for i, rule in enumerate(spec.get(direction) or []):
            for j, port in enumerate((rule or {}).get("ports") or []):
                if not isinstance(port, dict):
                    continue
                p = f"spec.{direction}[{i}].ports[{j}]"
                protocol = port.get("protocol")
                if protocol is not None and protocol not in core.SUPPORTED_PORT_PROTOCOLS:
                    errs.append(errors.not_supported(f"{p}.protocol", protocol, core.SUPPORTED_PORT_PROTOCOLS))
                if port.get("port") is not None:
                    errs += core._validate_port_num_or_name(port.get("port"), f"{p}.port")
    for i, policy_type in enumerate(spec.get("policyTypes") or []):
        if policy_type not in ("Ingress", "Egress"):
            errs.append(errors.not_supported(f"spec.policyTypes[{i}]", policy_type, ["Ingress", "Egress"]))
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    return errs
