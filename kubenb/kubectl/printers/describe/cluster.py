"""Describers for Node, Namespace, ConfigMap, Secret, ServiceAccount, PVC, PV and the generic fallback
(kubectl pkg/describe/describe.go).

Left out: node resource allocation percentages for extended resources, PV
source kinds beyond hostPath/local.
"""

from __future__ import annotations

from kubenb.api import quantity
from kubenb.kubectl.printers.columns import node_roles
from kubenb.kubectl.printers.describe.writer import (
    PrefixWriter,
    describe_events,
    get,
    tolerations_multiline,
    write_labels_annotations,
    write_name_namespace,
)
from kubenb.kubectl.printers.humanize import rfc1123z, since


def _name_ns(w: PrefixWriter, obj: dict) -> None:
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)


def describe_namespace(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    write_labels_annotations(w, md)
    w.write(0, f"Status:\t{get(obj, 'status', 'phase', default='')}\n")
    quotas = client.list_view("resourcequotas", md.get("name"))
    if not quotas:
        w.write(0, "\nNo resource quota.\n")
    else:
        w.write(0, "\nResource Quotas\n")
        for quota in quotas:
            w.write(1, f"Name:\t{get(quota, 'metadata', 'name')}\n")
            w.write(1, "Resource\tUsed\tHard\n")
            w.write(1, "--------\t---\t---\n")
            hard = get(quota, "status", "hard", default={}) or {}
            used = get(quota, "status", "used", default={}) or {}
            for name in sorted(hard):
                w.write(1, f"{name}\t{used.get(name, '0')}\t{hard[name]}\n")
    limits = client.list_view("limitranges", md.get("name"))
    if not limits:
        w.write(0, "\nNo LimitRange resource.\n")
    else:
        w.write(0, "\nResource Limits\n")
        w.write(1, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
        w.write(1, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
        for limit_range in limits:
            for item in get(limit_range, "spec", "limits", default=[]) or []:
                resources = set()
                for key in ("min", "max", "default", "defaultRequest", "maxLimitRequestRatio"):
                    resources |= set((item.get(key) or {}).keys())
                for resource in sorted(resources):
                    cells = [str((item.get(key) or {}).get(resource, "-"))
                             for key in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
                    w.write(1, f"{item.get('type', '')}\t{resource}\t" + "\t".join(cells) + "\n")
    if events:
        describe_events(w, events, now)


def describe_config_map(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    _name_ns(w, obj)
    write_labels_annotations(w, md)
    w.write(0, "\nData\n====\n")
    for key in sorted(obj.get("data") or {}):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{obj['data'][key]}\n\n")
    w.write(0, "\nBinaryData\n====\n")
    for key in sorted(obj.get("binaryData") or {}):
        w.write(0, f"{key}: {len(obj['binaryData'][key]) * 3 // 4} bytes\n")
    w.write(0, "\n")
    describe_events(w, events, now)


def describe_secret(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    import base64

    md = obj.get("metadata") or {}
    _name_ns(w, obj)
    write_labels_annotations(w, md)
    w.write(0, f"\nType:\t{obj.get('type', '')}\n")
    w.write(0, "\nData\n====\n")
    for key in sorted(obj.get("data") or {}):
        try:
            size = len(base64.b64decode(str(obj["data"][key]), validate=False))
        except ValueError:
            size = 0
        w.write(0, f"{key}:\t{size} bytes\n")


def describe_service_account(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    _name_ns(w, obj)
    write_labels_annotations(w, md)
    pull = [s.get("name", "") for s in obj.get("imagePullSecrets") or []]
    mountable = [s.get("name", "") for s in obj.get("secrets") or []]
    for title, names in (("Image pull secrets", pull), ("Mountable secrets", mountable)):
        w.write(0, f"{title}:\t")
        if not names:
            w.line("<none>")
        for index, name in enumerate(names):
            w.write(0, f"{'' if index == 0 else chr(9)}{name}\n")
    w.write(0, "Tokens:\t<none>\n")
    describe_events(w, events, now)


def describe_node(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    roles = node_roles(obj)
    w.write(0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    write_labels_annotations(w, md)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}\n")
    taints = spec.get("taints") or []
    w.write(0, "Taints:\t")
    if not taints:
        w.line("<none>")
    for index, taint in enumerate(taints):
        text = str(taint.get("key", ""))
        if taint.get("value"):
            text += f"={taint['value']}"
        text += f":{taint.get('effect', '')}"
        w.write(0, f"{'' if index == 0 else chr(9)}{text}\n")
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    lease = client.try_get("leases", md.get("name", ""), "kube-node-lease")
    w.write(0, "Lease:\n")
    holder = get(lease, "spec", "holderIdentity", default="<unset>") if lease else "<unset>"
    renew = get(lease, "spec", "renewTime") if lease else None
    w.write(1, f"HolderIdentity:\t{holder}\n")
    w.write(1, "AcquireTime:\t<unset>\n")
    w.write(1, f"RenewTime:\t{rfc1123z(renew) if renew else '<unset>'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \t"
                       f"{rfc1123z(condition.get('lastHeartbeatTime'))} \t"
                       f"{rfc1123z(condition.get('lastTransitionTime'))} \t{condition.get('reason', '')} \t"
                       f"{condition.get('message', '')}\n")
    addresses = status.get("addresses") or []
    w.write(0, "Addresses:\n")
    for address in addresses:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in sorted(values):
                w.write(1, f"{name}:\t{values[name]}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for key, title in (("machineID", "Machine ID"), ("systemUUID", "System UUID"), ("bootID", "Boot ID"),
                       ("kernelVersion", "Kernel Version"), ("osImage", "OS Image"),
                       ("operatingSystem", "Operating System"), ("architecture", "Architecture"),
                       ("containerRuntimeVersion", "Container Runtime Version"),
                       ("kubeletVersion", "Kubelet Version"), ("kubeProxyVersion", "Kube-Proxy Version")):
        w.write(1, f"{title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
        w.write(0, f"PodCIDRs:\t{','.join(spec.get('podCIDRs') or [spec['podCIDR']])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    pods = [p for p in client.list_view("pods", None, field_selector=f"spec.nodeName={md.get('name', '')}")
            if get(p, "status", "phase") not in ("Succeeded", "Failed")]
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals: dict[tuple[str, str], quantity.Quantity] = {}
    for pod in pods:
        pmd = pod.get("metadata") or {}
        requests, limits = _pod_requests_and_limits(pod)
        cells = []
        for kind, values in (("requests", requests), ("limits", limits)):
            for resource in ("cpu", "memory"):
                amount = values.get(resource, _ZERO)
                totals[(kind, resource)] = totals.get((kind, resource), _ZERO) + amount
                cells.append((resource, amount))
        ordered = [cells[0], cells[2], cells[1], cells[3]]  # cpu req, cpu lim, mem req, mem lim
        text = "\t".join(f"{amount} ({_percent(amount, allocatable.get(resource), resource)}%)"
                         for resource, amount in ordered)
        w.write(1, f"{pmd.get('namespace', '')}\t{pmd.get('name', '')}\t\t{text}\t"
                   f"{since(pmd.get('creationTimestamp'), now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    extended = sorted(name for name in allocatable if name.startswith("hugepages-") or "/" in name)
    for resource in ("cpu", "memory", "ephemeral-storage", *extended):
        request = totals.get(("requests", resource), _ZERO)
        limit = totals.get(("limits", resource), _ZERO)
        w.write(1, f"{resource}\t{request} ({_percent(request, allocatable.get(resource), resource)}%)\t"
                   f"{limit} ({_percent(limit, allocatable.get(resource), resource)}%)\n")
    describe_events(w, events, now)


_ZERO = quantity.parse("0")


def _pod_requests_and_limits(pod: dict) -> tuple[dict, dict]:
    """resourcehelper.PodRequestsAndLimits: app containers summed, init containers as a floor."""
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    for container in get(pod, "spec", "containers", default=[]) or []:
        for target, key in ((requests, "requests"), (limits, "limits")):
            for name, value in (get(container, "resources", key, default={}) or {}).items():
                try:
                    target[name] = target.get(name, _ZERO) + quantity.parse(str(value))
                except quantity.QuantityError:
                    continue
    for container in get(pod, "spec", "initContainers", default=[]) or []:
        for target, key in ((requests, "requests"), (limits, "limits")):
            for name, value in (get(container, "resources", key, default={}) or {}).items():
                try:
                    amount = quantity.parse(str(value))
                except quantity.QuantityError:
                    continue
                if name not in target or target[name] < amount:
                    target[name] = amount
    return requests, limits


def _percent(amount: quantity.Quantity, capacity: object, resource: str) -> int:
    try:
        total = quantity.parse(str(capacity)) if capacity is not None else _ZERO
    except quantity.QuantityError:
        return 0
    if resource == "cpu":
        return int(amount.milli_value() / total.milli_value() * 100) if total.milli_value() else 0
    return int(amount.int_value() / total.int_value() * 100) if total.int_value() else 0


def describe_pvc(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    _name_ns(w, obj)
    w.write(0, f"StorageClass:\t{spec.get('storageClassName', '')}\n")
    phase = "Terminating" if md.get("deletionTimestamp") else status.get("phase", "")
    w.write(0, f"Status:\t{phase}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    write_labels_annotations(w, md)
    w.write(0, f"Finalizers:\t[{' '.join(md.get('finalizers') or [])}]\n")
    capacity = get(status, "capacity", "storage", default="") if spec.get("volumeName") else ""
    modes = ",".join({"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
                      "ReadWriteOncePod": "RWOP"}.get(m, m) for m in status.get("accessModes") or []) \
        if spec.get("volumeName") else ""
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    w.write(0, f"VolumeMode:\t{spec.get('volumeMode', 'Filesystem')}\n")
    users = [get(p, "metadata", "name") for p in client.list_view("pods", md.get("namespace"))
             if any(get(v, "persistentVolumeClaim", "claimName") == md.get("name")
                    for v in get(p, "spec", "volumes", default=[]) or [])]
    w.write(0, f"Used By:\t{users[0] if users else '<none>'}\n")
    for user in users[1:]:
        w.write(0, f"\t{user}\n")
    describe_events(w, events, now)


def describe_pv(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    write_labels_annotations(w, md)
    w.write(0, f"Finalizers:\t[{' '.join(md.get('finalizers') or [])}]\n")
    w.write(0, f"StorageClass:\t{spec.get('storageClassName', '')}\n")
    phase = "Terminating" if md.get("deletionTimestamp") else status.get("phase", "")
    w.write(0, f"Status:\t{phase}\n")
    claim = spec.get("claimRef")
    w.write(0, f"Claim:\t{claim.get('namespace', '') + '/' + claim.get('name', '') if claim else ''}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    modes = ",".join({"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
                      "ReadWriteOncePod": "RWOP"}.get(m, m) for m in spec.get("accessModes") or [])
    w.write(0, f"Access Modes:\t{modes}\n")
    w.write(0, f"VolumeMode:\t{spec.get('volumeMode', 'Filesystem')}\n")
    w.write(0, f"Capacity:\t{get(spec, 'capacity', 'storage', default='')}\n")
    w.write(0, "Node Affinity:\t<none>\n" if not spec.get("nodeAffinity") else "Node Affinity:\n")
    w.write(0, f"Message:\t{status.get('message', '')}\n")
    w.write(0, "Source:\n")
    if "hostPath" in spec:
        w.write(1, "Type:\tHostPath (bare host directory volume)\n")
        w.write(1, f"Path:\t{get(spec, 'hostPath', 'path', default='')}\n")
        w.write(1, f"HostPathType:\t{get(spec, 'hostPath', 'type', default='')}\n")
    elif "local" in spec:
        w.write(1, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n")
        w.write(1, f"Path:\t{get(spec, 'local', 'path', default='')}\n")
    describe_events(w, events, now)


def describe_priority_class(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    """describePriorityClass: value, globalDefault, preemptionPolicy, description, annotations on one line."""
    md = obj.get("metadata") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    w.write(0, f"Value:\t{go_value(obj.get('value', 0))}\n")
    w.write(0, f"GlobalDefault:\t{go_value(bool(obj.get('globalDefault')))}\n")
    w.write(0, f"PreemptionPolicy:\t{obj.get('preemptionPolicy') or '<none>'}\n")
    w.write(0, f"Description:\t{obj.get('description', '')}\n")
    annotations = md.get("annotations") or {}
    w.write(0, f"Annotations:\t{','.join(f'{k}={v}' for k, v in sorted(annotations.items())) or '<none>'}\n")
    describe_events(w, events, now)


def describe_generic(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    """genericDescriber: name, namespace, labels, annotations, then every other field (printUnstructuredContent)."""
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    _print_unstructured(w, 0, obj, "")
    describe_events(w, events, now)


# The paths genericDescriber leaves out (printed above, or managedFields).
_GENERIC_SKIPPED = frozenset({".metadata.managedFields", ".metadata.name", ".metadata.namespace",
                              ".metadata.labels", ".metadata.annotations"})


def _print_unstructured(w: PrefixWriter, level: int, content: dict, prefix: str) -> None:
    """printUnstructuredContent: fields sorted at every level, nested maps indented, scalars as Go's %v."""
    for field in sorted(content):
        path = f"{prefix}.{field}"
        if path in _GENERIC_SKIPPED:
            continue
        value = content[field]
        if isinstance(value, dict):
            w.write(level, f"{smart_label_for(field)}:\n")
            _print_unstructured(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label_for(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _print_unstructured(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_value(child)}\n")
        else:
            w.write(level, f"{smart_label_for(field)}:\t{go_value(value)}\n")


_ACRONYMS = frozenset({"API", "URL", "UID", "OSB", "GUID"})


def smart_label_for(field: str) -> str:
    """smartLabelFor: "apiVersion" -> "API Version"; a field with anything but letters and "-" stays as is."""
    if any(not (char.isalpha() or char == "-") for char in field):
        return field
    runs: list[list[str]] = []
    last_class = 0
    for char in field:  # fatih/camelcase.Split: runs of lower case, upper case and other characters
        char_class = 1 if char.islower() else 2 if char.isupper() else 4
        if char_class == last_class:
            runs[-1].append(char)
        else:
            runs.append([char])
        last_class = char_class
    for index in range(len(runs) - 1):  # "PDFL", "oader" -> "PDF", "Loader"
        if runs[index][0].isupper() and runs[index + 1][0].islower():
            runs[index + 1].insert(0, runs[index].pop())
    parts = ["".join(run) for run in runs if run]
    return " ".join(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:]
                    for part in parts if part != "_")


def go_value(value: object) -> str:
    """fmt's %v for a value decoded from JSON (nil, bool, int64, float64, string)."""
    if value is None:
        return "<nil>"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def _go_float(value: float) -> str:
    """%v of a float64 (strconv 'g', shortest): %e form when the exponent is < -4 or >= 6."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign = "-" if value < 0 else ""
    digits, _, exponent_text = f"{abs(value)!r}".replace("e", "E").partition("E")
    mantissa = digits.replace(".", "")
    point = digits.index(".") if "." in digits else len(digits)
    exponent = point - 1 + (int(exponent_text) if exponent_text else 0)
    significant = mantissa.lstrip("0")
    exponent -= len(mantissa) - len(significant)
    significant = significant.rstrip("0") or "0"
    if exponent < -4 or exponent >= 6:
        tail = f".{significant[1:]}" if len(significant) > 1 else ""
        return f"{sign}{significant[0]}{tail}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{significant}"
    if len(significant) <= exponent + 1:
        return f"{sign}{significant}{'0' * (exponent + 1 - len(significant))}"
    return f"{sign}{significant[:exponent + 1]}.{significant[exponent + 1:]}"


def describe_role(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    """describeRole / describeClusterRole: the rules as a PolicyRule table."""
    md = obj.get("metadata") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    write_labels_annotations(w, md)
    w.write(0, "PolicyRule:\n")
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(1, "---------\t-----------------\t--------------\t-----\n")
    rows = []
    for rule in obj.get("rules") or []:
        groups = rule.get("apiGroups") or [""]
        for resource in rule.get("resources") or []:
            for group in groups:
                rows.append((f"{resource}.{group}" if group else resource, rule))
        if rule.get("nonResourceURLs"):
            rows.append(("", rule))
    for resource, rule in sorted(rows, key=lambda item: item[0]):
        urls = " ".join(rule.get("nonResourceURLs") or [])
        names = " ".join(rule.get("resourceNames") or [])
        verbs = " ".join(rule.get("verbs") or [])
        w.write(1, f"{resource}\t[{urls}]\t[{names}]\t[{verbs}]\n")


def describe_role_binding(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    ref = obj.get("roleRef") or {}
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    write_labels_annotations(w, md)
    w.write(0, "Role:\n")
    w.write(1, f"Kind:\t{ref.get('kind', '')}\n")
    w.write(1, f"Name:\t{ref.get('name', '')}\n")
    w.write(0, "Subjects:\n")
    w.write(1, "Kind\tName\tNamespace\n")
    w.write(1, "----\t----\t---------\n")
    for subject in obj.get("subjects") or []:
        w.write(1, f"{subject.get('kind', '')}\t{subject.get('name', '')}\t{subject.get('namespace', '')}\n")


__all__ = ["describe_config_map", "describe_generic", "describe_namespace", "describe_node", "describe_pv",
           "describe_pvc", "describe_secret", "describe_service_account", "tolerations_multiline"]


def describe_resource_quota(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    """DescribeResourceQuota: status.hard against status.used, sorted by resource name; no events."""
    _name_ns(w, obj)
    spec = obj.get("spec") or {}
    if spec.get("scopes"):
        w.write(0, f"Scopes:\t{', '.join(sorted(spec['scopes']))}\n")
    w.write(0, "Resource\tUsed\tHard\n")
    w.write(0, "--------\t----\t----\n")
    hard = get(obj, "status", "hard", default={}) or {}
    used = get(obj, "status", "used", default={}) or {}
    for name in sorted(hard):
        w.write(0, f"{name}\t{_used_in_format_of_hard(used.get(name, '0'), hard[name])}\t{hard[name]}\n")


def _used_in_format_of_hard(used: str, hard: str) -> str:
    """describeQuota: a used quantity whose format differs from hard's is shown as its (rounded up)
    integer value in hard's format, e.g. used 512Mi against hard 2G prints 536870912."""
    try:
        used_q, hard_q = quantity.parse(str(used)), quantity.parse(str(hard))
    except ValueError:
        return str(used)
    if used_q.format == hard_q.format:
        return str(used)
    return str(quantity.from_int(used_q.int_value(), hard_q.format))


def describe_limit_range(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    """DescribeLimitRange: one row per type and resource, "-" where a bound is not set."""
    _name_ns(w, obj)
    w.write(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for item in get(obj, "spec", "limits", default=[]) or []:
        resources = set()
        for key in ("min", "max", "default", "defaultRequest", "maxLimitRequestRatio"):
            resources |= set((item.get(key) or {}).keys())
        for resource in sorted(resources):
            cells = [str((item.get(key) or {}).get(resource, "-"))
                     for key in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
            w.write(0, f"{item.get('type', '')}\t{resource}\t" + "\t".join(cells) + "\n")
