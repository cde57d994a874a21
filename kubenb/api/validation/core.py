"""core/v1 validation with upstream messages (pkg/apis/core/validation/validation.go).

Pods (spec, containers, ports, resources, probes, restart/DNS policies, the
update rule), pod templates as workloads embed them, Services, ConfigMaps,
Secrets and Namespaces. Left out: volumes beyond names, security contexts,
affinity, topology spread, ephemeral containers, resize, Service IP families
and ClusterIP/NodePort allocation (the network layer's admission plugin).
"""

from __future__ import annotations

import re

from kubenb.api import errors, names, quantity
from kubenb.api.errors import FieldError
from kubenb.api.validation import meta

SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"]
SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
SESSION_AFFINITIES = ["ClientIP", "None"]
_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}

POD_UPDATE_FORBIDDEN = (
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
)


def _nonneg(value: object, path: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [errors.invalid(path, value, "must be greater than or equal to 0")]
    return []


def _positive(value: object, path: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        return [errors.invalid(path, value, "must be greater than 0")]
    return []


def _validate_ports(ports: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen_names: set[str] = set()
    for i, port in enumerate(ports if isinstance(ports, list) else []):
        if not isinstance(port, dict):
            continue
        p = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            for msg in names.is_valid_port_name(name):
                errs.append(errors.invalid(f"{p}.name", name, msg))
            if name in seen_names:
                errs.append(errors.duplicate(f"{p}.name", name))
            seen_names.add(name)
        container_port = port.get("containerPort") or 0
        if container_port == 0:
            errs.append(errors.required(f"{p}.containerPort"))
        else:
            for msg in names.is_valid_port_num(container_port):
                errs.append(errors.invalid(f"{p}.containerPort", container_port, msg))
        host_port = port.get("hostPort") or 0
        if host_port:
            for msg in names.is_valid_port_num(host_port):
                errs.append(errors.invalid(f"{p}.hostPort", host_port, msg))
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(errors.required(f"{p}.protocol"))
        elif protocol not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(errors.not_supported(f"{p}.protocol", protocol, SUPPORTED_PORT_PROTOCOLS))
    return errs


def _parse_quantity(value: object) -> quantity.Quantity | None:
    try:
        return quantity.parse(str(value))
    except quantity.QuantityError:
        return None


def validate_resource_requirements(resources: object, path: str) -> list[FieldError]:
    if not isinstance(resources, dict):
        return []
    errs: list[FieldError] = []
    limits = resources.get("limits") if isinstance(resources.get("limits"), dict) else {}
    requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
    for kind, values in (("limits", limits), ("requests", requests)):
        for name in sorted(values):
            q = _parse_quantity(values[name])
            if q is not None and q.value < 0:
                errs.append(errors.invalid(f"{path}.{kind}[{name}]", str(q), "must be greater than or equal to 0"))
    for name in sorted(requests):
        request = _parse_quantity(requests[name])
        limit = _parse_quantity(limits.get(name)) if name in limits else None
        if request is None or limit is None:
            continue
        overcommit = name in ("cpu", "memory", "ephemeral-storage") or "/" in name
        if request != limit and not overcommit:
            errs.append(errors.invalid(f"{path}.requests", str(request), f"must be equal to {name} limit of {limit}"))
        elif request > limit:
            errs.append(errors.invalid(f"{path}.requests", str(request),
                                       f"must be less than or equal to {name} limit of {limit}"))
    return errs


def _validate_probe(probe: object, path: str) -> list[FieldError]:
    if not isinstance(probe, dict):
        return []
    errs: list[FieldError] = []
    errs += _nonneg(probe.get("initialDelaySeconds"), f"{path}.initialDelaySeconds")
    errs += _nonneg(probe.get("timeoutSeconds"), f"{path}.timeoutSeconds")
    errs += _nonneg(probe.get("periodSeconds"), f"{path}.periodSeconds")
    errs += _nonneg(probe.get("successThreshold"), f"{path}.successThreshold")
    errs += _nonneg(probe.get("failureThreshold"), f"{path}.failureThreshold")
    handlers = [k for k in ("exec", "httpGet", "tcpSocket", "grpc") if probe.get(k) is not None]
    if not handlers:
        errs.append(errors.required(path, "must specify a handler type"))
    elif len(handlers) > 1:
        errs.append(errors.forbidden(f"{path}.{handlers[1]}", "may not specify more than 1 handler type"))
    http = probe.get("httpGet")
    if isinstance(http, dict):
        port = http.get("port")
        errs += _validate_port_num_or_name(port, f"{path}.httpGet.port")
        scheme = http.get("scheme")
        if scheme not in (None, "HTTP", "HTTPS"):
            errs.append(errors.not_supported(f"{path}.httpGet.scheme", scheme, ["HTTP", "HTTPS"]))
    tcp = probe.get("tcpSocket")
    if isinstance(tcp, dict):
        errs += _validate_port_num_or_name(tcp.get("port"), f"{path}.tcpSocket.port")
    return errs


def _validate_port_num_or_name(port: object, path: str) -> list[FieldError]:
    if isinstance(port, int) and not isinstance(port, bool):
        return [errors.invalid(path, port, m) for m in names.is_valid_port_num(port)]
    if isinstance(port, str):
        if not port:
            return [errors.required(path)]
        return [errors.invalid(path, port, m) for m in names.is_valid_port_name(port)]
    return []


def _validate_containers(containers: object, path: str, seen: set[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, container in enumerate(containers if isinstance(containers, list) else []):
        if not isinstance(container, dict):
            continue
        p = f"{path}[{i}]"
        name = container.get("name") or ""
        if not name:
            errs.append(errors.required(f"{p}.name"))
        else:
            for msg in names.is_dns1123_label(name):
                errs.append(errors.invalid(f"{p}.name", name, msg))
            if name in seen:
                errs.append(errors.duplicate(f"{p}.name", name))
            seen.add(name)
        image = container.get("image") or ""
        if not image:
            errs.append(errors.required(f"{p}.image"))
        elif image != image.strip():
            errs.append(errors.invalid(f"{p}.image", image, "must not have leading or trailing whitespace"))
        policy = container.get("imagePullPolicy")
        if policy is not None and policy not in PULL_POLICIES:
            errs.append(errors.not_supported(f"{p}.imagePullPolicy", policy, PULL_POLICIES))
        tm_policy = container.get("terminationMessagePolicy")
        if tm_policy is not None and tm_policy not in TERMINATION_MESSAGE_POLICIES:
            errs.append(errors.not_supported(f"{p}.terminationMessagePolicy", tm_policy,
                                             TERMINATION_MESSAGE_POLICIES))
        errs += _validate_ports(container.get("ports"), f"{p}.ports")
        for env_index, env in enumerate(container.get("env") or []):
            if isinstance(env, dict) and not env.get("name"):
                errs.append(errors.required(f"{p}.env[{env_index}].name"))
        errs += validate_resource_requirements(container.get("resources"), f"{p}.resources")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            errs += _validate_probe(container.get(probe), f"{p}.{probe}")
        # Liveness and startup probes must succeed once to count (successThreshold 1).
        for probe_name in ("livenessProbe", "startupProbe"):
            probe = container.get(probe_name)
            if isinstance(probe, dict) and isinstance(probe.get("successThreshold"), int) \
                    and probe["successThreshold"] != 1:
                errs.append(errors.invalid(f"{p}.{probe_name}.successThreshold", probe["successThreshold"],
                                           "must be 1"))
    return errs


def validate_pod_spec(spec: object, path: str) -> list[FieldError]:
    if not isinstance(spec, dict):
        return [errors.required(path)]
    errs: list[FieldError] = []
    volume_names: set[str] = set()
    for i, volume in enumerate(spec.get("volumes") or []):
        if not isinstance(volume, dict):
            continue
        name = volume.get("name") or ""
        vp = f"{path}.volumes[{i}].name"
        if not name:
            errs.append(errors.required(vp))
        else:
            for msg in names.is_dns1123_label(name):
                errs.append(errors.invalid(vp, name, msg))
            if name in volume_names:
                errs.append(errors.duplicate(vp, name))
            volume_names.add(name)
    seen: set[str] = set()
    containers = spec.get("containers")
    if not containers:
        errs.append(errors.required(f"{path}.containers"))
    errs += _validate_containers(spec.get("initContainers"), f"{path}.initContainers", seen)
    errs += _validate_containers(containers, f"{path}.containers", seen)
    restart = spec.get("restartPolicy")
    if restart is not None and restart not in RESTART_POLICIES:
        errs.append(errors.not_supported(f"{path}.restartPolicy", restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy")
    if dns is not None and dns not in DNS_POLICIES:
        errs.append(errors.not_supported(f"{path}.dnsPolicy", dns, DNS_POLICIES))
    errs += _nonneg(spec.get("terminationGracePeriodSeconds"), f"{path}.terminationGracePeriodSeconds")
    ads = spec.get("activeDeadlineSeconds")
    if isinstance(ads, int) and not isinstance(ads, bool) and ads <= 0:
        errs.append(errors.invalid(f"{path}.activeDeadlineSeconds", ads,
                                   "must be between 1 and 2147483647, inclusive"))
    node_selector = spec.get("nodeSelector")
    errs += meta.validate_labels(node_selector, f"{path}.nodeSelector")
    sa = spec.get("serviceAccountName")
    if sa:
        for msg in meta.name_is_dns_subdomain(sa, False):
            errs.append(errors.invalid(f"{path}.serviceAccountName", sa, msg))
    hostname = spec.get("hostname")
    if hostname:
        for msg in names.is_dns1123_label(hostname):
            errs.append(errors.invalid(f"{path}.hostname", hostname, msg))
    return errs


def validate_pod_template_spec(template: object, path: str) -> list[FieldError]:
    if not isinstance(template, dict):
        return [errors.required(path)]
    errs: list[FieldError] = []
    md = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    errs += meta.validate_labels(md.get("labels"), f"{path}.metadata.labels")
    errs += meta.validate_annotations(md.get("annotations"), f"{path}.metadata.annotations")
    errs += validate_pod_spec(template.get("spec"), f"{path}.spec")
    return errs


def _pod_spec_without_mutable(spec: dict, old: dict) -> dict:
    """The spec with the fields a pod update may change replaced by the old values."""
    munged = dict(spec)
    for key in ("containers", "initContainers"):
        new_list = spec.get(key)
        old_list = old.get(key)
        if isinstance(new_list, list) and isinstance(old_list, list) and len(new_list) == len(old_list):
            munged[key] = [
                {**c, "image": o.get("image")} if isinstance(c, dict) and isinstance(o, dict) else c
                for c, o in zip(new_list, old_list, strict=True)
            ]
    munged["activeDeadlineSeconds"] = old.get("activeDeadlineSeconds")
    if munged["activeDeadlineSeconds"] is None:
        munged.pop("activeDeadlineSeconds")
    new_tol = spec.get("tolerations") or []
    old_tol = old.get("tolerations") or []
    if all(t in new_tol for t in old_tol):
        munged["tolerations"] = old.get("tolerations")
        if munged["tolerations"] is None:
            munged.pop("tolerations")
    return munged


def validate_pod(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    errs += validate_pod_spec(obj.get("spec"), "spec")
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
        new_spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
        if _pod_spec_without_mutable(new_spec, old_spec) != old_spec and new_spec != old_spec:
            errs.append(errors.forbidden("spec", POD_UPDATE_FORBIDDEN))
    return errs


# --- Services ---------------------------------------------------------------------------------------

def validate_service(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns1035_label)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    svc_type = spec.get("type") or "ClusterIP"
    headless = spec.get("clusterIP") == "None"
    ports = spec.get("ports") or []
    if svc_type == "ExternalName":
        external = spec.get("externalName") or ""
        if not external:
            errs.append(errors.required("spec.externalName"))
        else:
            for msg in names.is_dns1123_subdomain(external.rstrip(".")):
                errs.append(errors.invalid("spec.externalName", external, msg))
    elif not ports and not headless:
        errs.append(errors.required("spec.ports"))
    if svc_type not in SERVICE_TYPES:
        errs.append(errors.not_supported("spec.type", svc_type, SERVICE_TYPES))
    affinity = spec.get("sessionAffinity")
    if affinity is not None and affinity not in SESSION_AFFINITIES:
        errs.append(errors.not_supported("spec.sessionAffinity", affinity, SESSION_AFFINITIES))
    port_names: set[str] = set()
    for i, port in enumerate(ports if isinstance(ports, list) else []):
        if not isinstance(port, dict):
            continue
        p = f"spec.ports[{i}]"
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(errors.required(f"{p}.name"))
        elif name:
            for msg in names.is_dns1123_label(name):
                errs.append(errors.invalid(f"{p}.name", name, msg))
            if name in port_names:
                errs.append(errors.duplicate(f"{p}.name", name))
            port_names.add(name)
        number = port.get("port")
        if not isinstance(number, int) or isinstance(number, bool) or number == 0:
            errs.append(errors.invalid(f"{p}.port", number or 0, "must be between 1 and 65535, inclusive"))
        else:
            for msg in names.is_valid_port_num(number):
                errs.append(errors.invalid(f"{p}.port", number, msg))
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(errors.required(f"{p}.protocol"))
        elif protocol not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(errors.not_supported(f"{p}.protocol", protocol, SUPPORTED_PORT_PROTOCOLS))
        errs += _validate_port_num_or_name(port.get("targetPort"), f"{p}.targetPort")
        if port.get("nodePort") and svc_type not in ("NodePort", "LoadBalancer"):
            errs.append(errors.forbidden(f"{p}.nodePort", "may not be used when `type` is 'ClusterIP'"))
    errs += meta.validate_labels(spec.get("selector"), "spec.selector")
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    return errs


# --- ConfigMaps, Secrets, Namespaces ---------------------------------------------------------------

_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
MAX_CONFIG_SIZE = 1024 * 1024


def is_config_map_key(key: str) -> list[str]:
    errs: list[str] = []
    if len(key) > names.DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(names.max_len_error(names.DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _CONFIG_KEY.fullmatch(key):
        errs.append(names.regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                      "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"))
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _validate_data_keys(obj: dict, fields: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for field_name in fields:
        data = obj.get(field_name)
        if not isinstance(data, dict):
            continue
        for key in sorted(data):
            for msg in is_config_map_key(key):
                errs.append(errors.invalid(f"{field_name}[{key}]", key, msg))
            if key in seen:
                errs.append(errors.invalid(f"{field_name}[{key}]", key,
                                           "duplicate of key present in data"))
            seen.add(key)
    return errs


def validate_config_map(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    errs += _validate_data_keys(obj, ("data", "binaryData"))
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
        if old.get("immutable") is True:
            if obj.get("immutable") is not True:
                errs.append(errors.forbidden("immutable", "field is immutable when `immutable` is set"))
            if obj.get("data") != old.get("data"):
                errs.append(errors.forbidden("data", "field is immutable when `immutable` is set"))
    return errs


def validate_secret(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    errs += _validate_data_keys(obj, ("data",))
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
        if obj.get("type") != old.get("type"):
            errs.append(errors.invalid("type", obj.get("type"), "field is immutable"))
    return errs


def validate_namespace(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), False, meta.name_is_dns_label)
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    return errs


def validate_generic(namespaced: bool, name_fn: meta.NameFn = meta.name_is_dns_subdomain):
    """Metadata-only validation for kinds without richer rules here."""
    def validator(obj: dict, old: dict | None) -> list[FieldError]:
        errs = meta.validate_object_meta(obj.get("metadata", {}), namespaced, name_fn)
        if old is not None:
            errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
        return errs
    return validator
