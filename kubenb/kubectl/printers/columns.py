"""Per-kind table columns: a port of the server-side printers.

Mirrors kubernetes/kubernetes ``pkg/printers/internalversion/printers.go``
(v1.33): the column names and priorities of every handler and the cell logic
of printPod, printDeployment, printService, printNode, printJob, ... Since
kubectl 1.11 the API server builds these tables, so here the "server" is this
module and ``kubectl get`` only lays the cells out.

A printer returns every cell of a row (wide ones included); ``Column.priority``
1 marks the cells only ``-o wide`` shows. Kinds without a handler get the
apiserver's default table (``NAME  CREATED AT``, staging/src/k8s.io/apiserver
``pkg/registry/rest/table.go``).

Left out: kinds kubenb does not serve (CSR, DRA, storage version migration...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kubenb.api import podstatus, selectors
from kubenb.kubectl.printers.humanize import human_duration, since, timestamp_seconds


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    priority: int = 0

    @property
    def header(self) -> str:
        return self.name.upper()


Printer = Callable[[dict, float], list[str]]


@dataclass(frozen=True, slots=True)
class KindPrinter:
    columns: tuple[Column, ...]
    row: Printer
    # The priority-0 cells alone, for kinds listed by the thousand (Pods): a plain `get` then skips
    # computing the wide cells it would cut off.
    narrow_row: Printer | None = None


def _c(*specs: str) -> tuple[Column, ...]:
    """Column specs; a leading "+" marks a wide-only (priority 1) column."""
    return tuple(Column(s[1:], 1) if s.startswith("+") else Column(s) for s in specs)


def _get(obj: dict, *path: str, default=None):
    current = obj
    for key in path:
        if not isinstance(current, dict):
            return default
        current = current.get(key)
        if current is None:
            return default
    return current


def _name(obj: dict) -> str:
    return str(_get(obj, "metadata", "name", default=""))


def _age(obj: dict, now: float) -> str:
    return since(_get(obj, "metadata", "creationTimestamp"), now)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _labels_string(labels: dict | None) -> str:
    """labels.Set(...).String(): sorted "k=v,k=v", empty string when none."""
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items()))


def _none_if_empty(text: str) -> str:
    return text if text else "<none>"


def _containers_images(pod_spec: dict | None) -> tuple[str, str]:
    containers = (pod_spec or {}).get("containers") or []
    return (",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers))


def _template_spec(obj: dict) -> dict:
    return _get(obj, "spec", "template", "spec", default={}) or {}


def _selector(obj: dict) -> str:
    return selectors.format_label_selector(_get(obj, "spec", "selector"))


# --- Pod -------------------------------------------------------------------------------------------

def pod_status_cells(pod: dict, now: float) -> tuple[str, str, str]:
    """printPod's READY, STATUS and RESTARTS cells (the logic lives in api.podstatus)."""
    summary = podstatus.summarize(pod)
    restarts_cell = str(summary.restarts)
    if summary.restarts != 0 and summary.last_restart is not None:
        restarts_cell = f"{summary.restarts} ({human_duration(now - summary.last_restart)} ago)"
    return f"{summary.ready}/{summary.total}", summary.reason, restarts_cell


def _pod_narrow_row(pod: dict, now: float) -> list[str]:
    ready, reason, restarts = pod_status_cells(pod, now)
    metadata = pod.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    name = metadata.get("name")
    return [str("" if name is None else name), ready, reason, restarts, since(metadata.get("creationTimestamp"), now)]


def _pod_row(pod: dict, now: float) -> list[str]:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ips = status.get("podIPs") or []
    pod_ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gates_cell = "<none>"
    if gates:
        true_count = 0
        for gate in gates:
            for condition in status.get("conditions") or []:
                if condition.get("type") == gate.get("conditionType"):
                    true_count += condition.get("status") == "True"
                    break
        gates_cell = f"{true_count}/{len(gates)}"
    return [*_pod_narrow_row(pod, now), pod_ip, spec.get("nodeName") or "<none>",
            status.get("nominatedNodeName") or "<none>", gates_cell]


# --- workloads -------------------------------------------------------------------------------------

def _replicaset_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_template_spec(obj))
    status = obj.get("status") or {}
    return [_name(obj), str(_int(_get(obj, "spec", "replicas"))), str(_int(status.get("replicas"))),
            str(_int(status.get("readyReplicas"))), _age(obj, now), containers, images, _selector(obj)]


def _replication_controller_row(obj: dict, now: float) -> list[str]:
    row = _replicaset_row(obj, now)
    row[-1] = _none_if_empty(_labels_string(_get(obj, "spec", "selector")))
    return row


def _deployment_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_template_spec(obj))
    status = obj.get("status") or {}
    desired = _int(_get(obj, "spec", "replicas"))
    return [_name(obj), f"{_int(status.get('readyReplicas'))}/{desired}", str(_int(status.get("updatedReplicas"))),
            str(_int(status.get("availableReplicas"))), _age(obj, now), containers, images, _selector(obj)]


def _statefulset_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_template_spec(obj))
    status = obj.get("status") or {}
    return [_name(obj), f"{_int(status.get('readyReplicas'))}/{_int(_get(obj, 'spec', 'replicas'))}",
            _age(obj, now), containers, images]


def _daemonset_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_template_spec(obj))
    status = obj.get("status") or {}
    node_selector = _none_if_empty(_labels_string(_template_spec(obj).get("nodeSelector")))
    return [_name(obj), str(_int(status.get("desiredNumberScheduled"))), str(_int(status.get("currentNumberScheduled"))),
            str(_int(status.get("numberReady"))), str(_int(status.get("updatedNumberScheduled"))),
            str(_int(status.get("numberAvailable"))), node_selector, _age(obj, now), containers, images,
            _selector(obj)]


def _job_status(obj: dict) -> str:
    conditions = _get(obj, "status", "conditions", default=[]) or []

    def true(kind: str) -> bool:
        return any(c.get("type") == kind and c.get("status") == "True" for c in conditions)

    if true("Complete"):
        return "Complete"
    if true("Failed"):
        return "Failed"
    if _get(obj, "metadata", "deletionTimestamp"):
        return "Terminating"
    if true("Suspended"):
        return "Suspended"
    if true("FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_template_spec(obj))
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec['completions'])}"
    else:
        parallelism = _int(spec.get("parallelism")) if spec.get("parallelism") is not None else 0
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    duration = ""
    start = timestamp_seconds(status.get("startTime"))
    if start is not None:
        end = timestamp_seconds(status.get("completionTime"))
        duration = human_duration((end if end is not None else now) - start)
    return [_name(obj), _job_status(obj), completions, duration, _age(obj, now), containers, images,
            _selector(obj)]


def _cronjob_row(obj: dict, now: float) -> list[str]:
    spec = obj.get("spec") or {}
    job_spec = _get(spec, "jobTemplate", "spec", "template", "spec", default={}) or {}
    containers, images = _containers_images(job_spec)
    last = _get(obj, "status", "lastScheduleTime")
    last_cell = since(last, now) if last else "<none>"
    suspend = spec.get("suspend")
    suspend_cell = "<unset>" if suspend is None else ("True" if suspend else "False")
    selector = selectors.format_label_selector(_get(spec, "jobTemplate", "spec", "selector"))
    return [_name(obj), str(spec.get("schedule", "")), spec.get("timeZone") or "<none>", suspend_cell,
            str(len(_get(obj, "status", "active", default=[]) or [])), last_cell, _age(obj, now),
            containers, images, selector]


def _hpa_targets(obj: dict) -> str:
    metrics = _get(obj, "spec", "metrics", default=[]) or []
    current = _get(obj, "status", "currentMetrics", default=[]) or []
    if not metrics:
        return "<none>"
    parts: list[str] = []
    for index, metric in enumerate(metrics):
        kind = metric.get("type")
        status = current[index] if index < len(current) and current[index].get("type") == kind else {}
        if kind == "Resource" or kind == "ContainerResource":
            key = "resource" if kind == "Resource" else "containerResource"
            target = _get(metric, key, "target", default={}) or {}
            name = _get(metric, key, "name", default="")
            now_value = _get(status, key, "current", default={}) or {}
            if target.get("averageUtilization") is not None:
                have = now_value.get("averageUtilization")
                have_text = f"{have}%" if have is not None else "<unknown>"
                parts.append(f"{name}: {have_text}/{target['averageUtilization']}%")
            else:
                have = now_value.get("averageValue")
                parts.append(f"{name}: {have if have is not None else '<unknown>'}/{target.get('averageValue')}")
        else:
            key = {"Pods": "pods", "Object": "object", "External": "external"}.get(str(kind), "")
            target = _get(metric, key, "target", default={}) or {}
            now_value = _get(status, key, "current", default={}) or {}
            if target.get("averageValue") is not None:
                have = now_value.get("averageValue")
                suffix = " (avg)" if kind in ("Object", "External") else ""
                parts.append(f"{have if have is not None else '<unknown>'}/{target['averageValue']}{suffix}")
            else:
                have = now_value.get("value")
                parts.append(f"{have if have is not None else '<unknown>'}/{target.get('value')}")
    if len(parts) > 2:
        return ", ".join(parts[:2]) + f" + {len(parts) - 2} more..."
    return ", ".join(parts)


def _hpa_row(obj: dict, now: float) -> list[str]:
    spec = obj.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    min_pods = spec.get("minReplicas")
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _hpa_targets(obj),
            "<unset>" if min_pods is None else str(min_pods), str(_int(spec.get("maxReplicas"))),
            str(_int(_get(obj, "status", "currentReplicas"))), _age(obj, now)]


# --- networking ------------------------------------------------------------------------------------

def _load_balancer_addresses(obj: dict) -> list[str]:
    found: list[str] = []
    for ingress in _get(obj, "status", "loadBalancer", "ingress", default=[]) or []:
        value = ingress.get("ip") or ingress.get("hostname") or ""
        if value and value not in found:
            found.append(value)
    return sorted(found)


def _service_external_ip(obj: dict, wide: bool) -> str:
    spec = obj.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = list(spec.get("externalIPs") or [])
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        addresses = ",".join(_load_balancer_addresses(obj))
        if not wide and len(addresses) > 16:
            addresses = addresses[:13] + "..."
        result = ",".join([a for a in [addresses] if a] + external)
        return result or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def _service_ports(obj: dict) -> str:
    ports = _get(obj, "spec", "ports", default=[]) or []
    if not ports:
        return "<none>"
    parts = []
    for port in ports:
        protocol = port.get("protocol") or "TCP"
        if _int(port.get("nodePort")) > 0:
            parts.append(f"{port.get('port')}:{port.get('nodePort')}/{protocol}")
        else:
            parts.append(f"{port.get('port')}/{protocol}")
    return ",".join(parts)


def _service_row_for(wide: bool) -> Printer:
    def row(obj: dict, now: float) -> list[str]:
        spec = obj.get("spec") or {}
        cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
        cluster_ip = cluster_ips[0] if cluster_ips else "<none>"
        if (spec.get("type") == "ExternalName"):
            cluster_ip = cluster_ip if cluster_ips else "<none>"
        return [_name(obj), spec.get("type") or "ClusterIP", cluster_ip, _service_external_ip(obj, wide),
                _service_ports(obj), _age(obj, now), _none_if_empty(_labels_string(spec.get("selector")))]
    return row


def _ingress_row_for(wide: bool) -> Printer:
    def row(obj: dict, now: float) -> list[str]:
        spec = obj.get("spec") or {}
        rules = spec.get("rules") or []
        hosts = [r["host"] for r in rules if r.get("host")]
        if not hosts:
            hosts_cell = "*"
        elif len(rules) > 3:
            hosts_cell = ",".join(hosts[:3]) + f" + {len(rules) - 3} more..."
        else:
            hosts_cell = ",".join(hosts[:3])
        address = ",".join(_load_balancer_addresses(obj))
        if not wide and len(address) > 16:
            address = address[:13] + "..."
        ports = "80, 443" if spec.get("tls") else "80"
        return [_name(obj), spec.get("ingressClassName") or "<none>", hosts_cell, address, ports, _age(obj, now)]
    return row


def _ingress_class_row(obj: dict, now: float) -> list[str]:
    params = _get(obj, "spec", "parameters")
    params_cell = "<none>"
    if params:
        group = params.get("apiGroup")
        kind = f"{params.get('kind', '')}.{group}" if group else str(params.get("kind", ""))
        params_cell = f"{kind}/{params.get('name', '')}"
    return [_name(obj), str(_get(obj, "spec", "controller", default="")), params_cell, _age(obj, now)]


def _endpoints_row(obj: dict, now: float) -> list[str]:
    subsets = obj.get("subsets") or []
    if not subsets:
        return [_name(obj), "<none>", _age(obj, now)]
    entries: list[str] = []
    total = 0
    for subset in subsets:
        ports = subset.get("ports") or []
        for address in subset.get("addresses") or []:
            if not ports:
                total += 1
                if len(entries) < 3:
                    entries.append(str(address.get("ip", "")))
            for port in ports:
                total += 1
                if len(entries) < 3:
                    entries.append(f"{address.get('ip', '')}:{port.get('port')}")
    cell = ",".join(entries)
    if total > 3:
        cell += f" + {total - 3} more..."
    return [_name(obj), cell, _age(obj, now)]


def _endpointslice_row(obj: dict, now: float) -> list[str]:
    ports = obj.get("ports") or []
    port_cells: list[str] = []
    for port in ports[:3]:
        if port.get("port") is not None:
            port_cells.append(str(port["port"]))
        elif port.get("name"):
            port_cells.append(str(port["name"]))
        else:
            port_cells.append("*")
    ports_cell = ",".join(port_cells) if ports else "<unset>"
    if len(ports) > 3:
        ports_cell += f" + {len(ports) - 3} more..."
    addresses = [a for e in obj.get("endpoints") or [] for a in e.get("addresses") or []]
    endpoints_cell = ",".join(addresses[:3]) if addresses else "<unset>"
    if len(addresses) > 3:
        endpoints_cell += f" + {len(addresses) - 3} more..."
    return [_name(obj), str(obj.get("addressType", "")), ports_cell, endpoints_cell, _age(obj, now)]


def _network_policy_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), selectors.format_label_selector(_get(obj, "spec", "podSelector", default={})),
            _age(obj, now)]


# --- cluster -----------------------------------------------------------------------------------------

def node_roles(obj: dict) -> list[str]:
    roles: set[str] = set()
    for key, value in (_get(obj, "metadata", "labels", default={}) or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def node_status(obj: dict) -> str:
    statuses = []
    conditions = _get(obj, "status", "conditions", default=[]) or []
    ready = [c for c in conditions if c.get("type") == "Ready"]
    if not ready:
        statuses.append("Unknown")
    elif ready[0].get("status") == "True":
        statuses.append("Ready")
    else:
        statuses.append("NotReady")
    if _get(obj, "spec", "unschedulable"):
        statuses.append("SchedulingDisabled")
    return ",".join(statuses)


def _node_row(obj: dict, now: float) -> list[str]:
    info = _get(obj, "status", "nodeInfo", default={}) or {}
    addresses = _get(obj, "status", "addresses", default=[]) or []

    def address(kind: str) -> str:
        for entry in addresses:
            if entry.get("type") == kind:
                return str(entry.get("address", ""))
        return "<none>"

    return [_name(obj), node_status(obj), ",".join(node_roles(obj)) or "<none>", _age(obj, now),
            str(info.get("kubeletVersion", "")), address("InternalIP"), address("ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


def _namespace_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(_get(obj, "status", "phase", default="")), _age(obj, now)]


def _configmap_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(len(obj.get("data") or {}) + len(obj.get("binaryData") or {})), _age(obj, now)]


def _secret_row(obj: dict, now: float) -> list[str]:
    count = len(obj.get("data") or {}) + len(obj.get("stringData") or {})
    return [_name(obj), str(obj.get("type", "")), str(count), _age(obj, now)]


def _service_account_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(len(obj.get("secrets") or [])), _age(obj, now)]


def _event_row(obj: dict, now: float) -> list[str]:
    involved = obj.get("involvedObject") or {}
    first = obj.get("firstTimestamp") or obj.get("eventTime")
    last = obj.get("lastTimestamp") or first
    series = obj.get("series")
    count = _int(obj.get("count"))
    if isinstance(series, dict):  # an events.k8s.io series: its last observation wins over lastTimestamp
        last = series.get("lastObservedTime")
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    source = obj.get("source") or {}
    component = source.get("component") or obj.get("reportingComponent") or ""
    host = source.get("host") or obj.get("reportingInstance") or ""
    source_cell = f"{component}, {host}" if host else component
    kind = str(involved.get("kind", "")).lower()
    message = str(obj.get("message", "")).strip()
    return [since(last, now), str(obj.get("type", "")), str(obj.get("reason", "")),
            f"{kind}/{involved.get('name', '')}", str(involved.get("fieldPath", "")), source_cell, message,
            since(first, now), str(count), _name(obj)]


_ACCESS_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
                 "ReadWriteOncePod": "RWOP"}


def _access_modes(modes: list | None) -> str:
    return ",".join(_ACCESS_MODES.get(m, m) for m in modes or [])


def _pv_row(obj: dict, now: float) -> list[str]:
    spec = obj.get("spec") or {}
    claim = spec.get("claimRef") or {}
    claim_cell = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    phase = str(_get(obj, "status", "phase", default=""))
    if _get(obj, "metadata", "deletionTimestamp"):
        phase = "Terminating"
    return [_name(obj), str(_get(spec, "capacity", "storage", default="")), _access_modes(spec.get("accessModes")),
            str(spec.get("persistentVolumeReclaimPolicy", "")), phase, claim_cell,
            str(spec.get("storageClassName", "")), spec.get("volumeAttributesClassName") or "<unset>",
            str(_get(obj, "status", "reason", default="")), _age(obj, now), str(spec.get("volumeMode") or "")]


def _pvc_row(obj: dict, now: float) -> list[str]:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    phase = str(status.get("phase", ""))
    if _get(obj, "metadata", "deletionTimestamp"):
        phase = "Terminating"
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = _access_modes(status.get("accessModes"))
        capacity = str(_get(status, "capacity", "storage", default=""))
    return [_name(obj), phase, str(spec.get("volumeName", "")), capacity, modes,
            str(spec.get("storageClassName") or ""), spec.get("volumeAttributesClassName") or "<unset>",
            _age(obj, now), str(spec.get("volumeMode") or "")]


def _storage_class_row(obj: dict, now: float) -> list[str]:
    name = _name(obj)
    annotations = _get(obj, "metadata", "annotations", default={}) or {}
    if annotations.get("storageclass.kubernetes.io/is-default-class") == "true" or \
            annotations.get("storageclass.beta.kubernetes.io/is-default-class") == "true":
        name += " (default)"
    expansion = obj.get("allowVolumeExpansion")
    return [name, str(obj.get("provisioner", "")), str(obj.get("reclaimPolicy") or "Delete"),
            str(obj.get("volumeBindingMode") or "Immediate"), "true" if expansion else "false", _age(obj, now)]


def _priority_class_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(_int(obj.get("value"))), "true" if obj.get("globalDefault") else "false",
            _age(obj, now), str(obj.get("preemptionPolicy") or "")]


def _binding_row(obj: dict, now: float) -> list[str]:
    ref = obj.get("roleRef") or {}
    users, groups, service_accounts = [], [], []
    for subject in obj.get("subjects") or []:
        kind = subject.get("kind")
        if kind == "User":
            users.append(subject.get("name", ""))
        elif kind == "Group":
            groups.append(subject.get("name", ""))
        elif kind == "ServiceAccount":
            service_accounts.append(f"{subject.get('namespace', '')}/{subject.get('name', '')}")
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now), ", ".join(users),
            ", ".join(groups), ", ".join(service_accounts)]


def _resource_quota_row(obj: dict, now: float) -> list[str]:
    hard = _get(obj, "status", "hard", default={}) or {}
    used = _get(obj, "status", "used", default={}) or {}
    requests, limits = [], []
    for name in sorted(hard):
        text = f"{name}: {used.get(name, '0')}/{hard[name]}"
        (limits if name.startswith("limits.") else requests).append(text)
    return [_name(obj), ", ".join(requests), ", ".join(limits), _age(obj, now)]


def _pdb_row(obj: dict, now: float) -> list[str]:
    spec = obj.get("spec") or {}
    min_available = spec.get("minAvailable")
    max_unavailable = spec.get("maxUnavailable")
    return [_name(obj), "N/A" if min_available is None else str(min_available),
            "N/A" if max_unavailable is None else str(max_unavailable),
            str(_int(_get(obj, "status", "disruptionsAllowed"))), _age(obj, now)]


def _lease_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(_get(obj, "spec", "holderIdentity", default="")), _age(obj, now)]


def _controller_revision_row(obj: dict, now: float) -> list[str]:
    controller = "<none>"
    for ref in _get(obj, "metadata", "ownerReferences", default=[]) or []:
        if ref.get("controller"):
            group = str(ref.get("apiVersion", "")).rpartition("/")[0]
            kind = str(ref.get("kind", "")).lower()
            controller = f"{kind}.{group}/{ref.get('name', '')}" if group else f"{kind}/{ref.get('name', '')}"
    return [_name(obj), controller, str(_int(obj.get("revision"))), _age(obj, now)]


def _pod_template_row(obj: dict, now: float) -> list[str]:
    containers, images = _containers_images(_get(obj, "template", "spec", default={}))
    return [_name(obj), containers, images, _none_if_empty(_labels_string(_get(obj, "template", "metadata",
                                                                                "labels")))]


def _component_status_row(obj: dict, now: float) -> list[str]:
    status, message, error = "Unknown", "", ""
    for condition in obj.get("conditions") or []:
        if condition.get("type") == "Healthy":
            status = "Healthy" if condition.get("status") == "True" else "Unhealthy"
            message = condition.get("message", "")
            error = condition.get("error", "")
    return [_name(obj), status, message, error]


def _default_row(obj: dict, now: float) -> list[str]:
    return [_name(obj), str(_get(obj, "metadata", "creationTimestamp", default=""))]


DEFAULT = KindPrinter(_c("Name", "Created At"), _default_row)

_WORKLOAD_WIDE = ("+Containers", "+Images", "+Selector")

PRINTERS: dict[str, KindPrinter] = {
    "Pod": KindPrinter(_c("Name", "Ready", "Status", "Restarts", "Age", "+IP", "+Node", "+Nominated Node",
                          "+Readiness Gates"), _pod_row, _pod_narrow_row),
    "ReplicaSet": KindPrinter(_c("Name", "Desired", "Current", "Ready", "Age", *_WORKLOAD_WIDE), _replicaset_row),
    "ReplicationController": KindPrinter(_c("Name", "Desired", "Current", "Ready", "Age", *_WORKLOAD_WIDE),
                                         _replication_controller_row),
    "Deployment": KindPrinter(_c("Name", "Ready", "Up-to-date", "Available", "Age", *_WORKLOAD_WIDE),
                              _deployment_row),
    "StatefulSet": KindPrinter(_c("Name", "Ready", "Age", "+Containers", "+Images"), _statefulset_row),
    "DaemonSet": KindPrinter(_c("Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector",
                                "Age", *_WORKLOAD_WIDE), _daemonset_row),
    "Job": KindPrinter(_c("Name", "Status", "Completions", "Duration", "Age", *_WORKLOAD_WIDE), _job_row),
    "CronJob": KindPrinter(_c("Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age",
                              *_WORKLOAD_WIDE), _cronjob_row),
    "HorizontalPodAutoscaler": KindPrinter(_c("Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
                                              "Age"), _hpa_row),
    "Service": KindPrinter(_c("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "+Selector"),
                           _service_row_for(False)),
    "Ingress": KindPrinter(_c("Name", "Class", "Hosts", "Address", "Ports", "Age"), _ingress_row_for(False)),
    "IngressClass": KindPrinter(_c("Name", "Controller", "Parameters", "Age"), _ingress_class_row),
    "Endpoints": KindPrinter(_c("Name", "Endpoints", "Age"), _endpoints_row),
    "EndpointSlice": KindPrinter(_c("Name", "AddressType", "Ports", "Endpoints", "Age"), _endpointslice_row),
    "NetworkPolicy": KindPrinter(_c("Name", "Pod-Selector", "Age"), _network_policy_row),
    "Node": KindPrinter(_c("Name", "Status", "Roles", "Age", "Version", "+Internal-IP", "+External-IP",
                           "+OS-Image", "+Kernel-Version", "+Container-Runtime"), _node_row),
    "Namespace": KindPrinter(_c("Name", "Status", "Age"), _namespace_row),
    "ConfigMap": KindPrinter(_c("Name", "Data", "Age"), _configmap_row),
    "Secret": KindPrinter(_c("Name", "Type", "Data", "Age"), _secret_row),
    "ServiceAccount": KindPrinter(_c("Name", "Secrets", "Age"), _service_account_row),
    "Event": KindPrinter(_c("Last Seen", "Type", "Reason", "Object", "+Subobject", "+Source", "Message",
                            "+First Seen", "+Count", "+Name"), _event_row),
    "PersistentVolume": KindPrinter(_c("Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                                       "StorageClass", "VolumeAttributesClass", "Reason", "Age", "+VolumeMode"),
                                    _pv_row),
    "PersistentVolumeClaim": KindPrinter(_c("Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                                            "VolumeAttributesClass", "Age", "+VolumeMode"), _pvc_row),
    "StorageClass": KindPrinter(_c("Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                                   "AllowVolumeExpansion", "Age"), _storage_class_row),
    "PriorityClass": KindPrinter(_c("Name", "Value", "Global-Default", "Age", "+PreemptionPolicy"),
                                 _priority_class_row),
    "RoleBinding": KindPrinter(_c("Name", "Role", "Age", "+Users", "+Groups", "+ServiceAccounts"), _binding_row),
    "ClusterRoleBinding": KindPrinter(_c("Name", "Role", "Age", "+Users", "+Groups", "+ServiceAccounts"),
                                      _binding_row),
    "ResourceQuota": KindPrinter(_c("Name", "Request", "Limit", "Age"), _resource_quota_row),
    "PodDisruptionBudget": KindPrinter(_c("Name", "Min Available", "Max Unavailable", "Allowed Disruptions",
                                          "Age"), _pdb_row),
    "Lease": KindPrinter(_c("Name", "Holder", "Age"), _lease_row),
    "ControllerRevision": KindPrinter(_c("Name", "Controller", "Revision", "Age"), _controller_revision_row),
    "PodTemplate": KindPrinter(_c("Name", "Containers", "Images", "Pod Labels"), _pod_template_row),
    "ComponentStatus": KindPrinter(_c("Name", "Status", "Message", "Error"), _component_status_row),
}

# Printers whose cells depend on -o wide (cut addresses to 13 chars + "..." unless wide).
_WIDE_VARIANTS: dict[str, Printer] = {
    "Service": _service_row_for(True),
    "Ingress": _ingress_row_for(True),
}


def printer_for(kind: str) -> KindPrinter:
    return PRINTERS.get(kind, DEFAULT)


def table(kind: str, objs: list[dict], now: float, *, wide: bool = False) -> tuple[list[Column], list[list[str]]]:
    """The columns and rows the server would send for these objects (wide ones only with ``wide``)."""
    printer = printer_for(kind)
    row_function = _WIDE_VARIANTS.get(kind, printer.row) if wide else printer.row
    keep = [i for i, column in enumerate(printer.columns) if wide or column.priority == 0]
    columns = [printer.columns[i] for i in keep]
    if not wide and printer.narrow_row is not None:
        narrow_row = printer.narrow_row
        return columns, [narrow_row(obj, now) for obj in objs]
    count = len(keep)
    if keep == list(range(count)):  # the kept columns lead (most kinds): a slice per row
        rows = []
        for obj in objs:
            cells = row_function(obj, now)
            rows.append(cells[:count] if len(cells) >= count else cells + [""] * (count - len(cells)))
        return columns, rows
    rows = []
    for obj in objs:
        cells = row_function(obj, now)
        rows.append([cells[i] if i < len(cells) else "" for i in keep])
    return columns, rows
