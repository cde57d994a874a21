"""describePod, describeContainers and DescribePodTemplate (kubectl pkg/describe/describe.go).

Left out: ephemeral containers, topology spread constraints, seccomp
profiles, resize status.
"""

from __future__ import annotations

from kubenb.kubectl.printers.describe.writer import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    describe_volumes,
    get,
    go_bool,
    go_duration,
    labels_multiline,
    print_bool,
    tolerations_multiline,
    write_labels_annotations,
    write_name_namespace,
)
from kubenb.kubectl.printers.humanize import human_duration, rfc1123z, timestamp_seconds


def _ports(ports: list | None) -> str:
    parts = []
    for port in ports or []:
        text = f"{port.get('containerPort', 0)}/{port.get('protocol') or 'TCP'}"
        if port.get("name"):
            text += f" ({port['name']})"
        parts.append(text)
    return ", ".join(parts)


def _host_ports(ports: list | None) -> str:
    return ", ".join(f"{port.get('hostPort', 0)}/{port.get('protocol') or 'TCP'}" for port in ports or [])


def _probe(probe: dict) -> str:
    delay = go_duration(probe.get("initialDelaySeconds", 0))
    timeout = go_duration(probe.get("timeoutSeconds", 1))
    period = go_duration(probe.get("periodSeconds", 10))
    tail = (f"delay={delay} timeout={timeout} period={period} #success={probe.get('successThreshold', 1)} "
            f"#failure={probe.get('failureThreshold', 3)}")
    if "httpGet" in probe:
        http = probe["httpGet"]
        scheme = str(http.get("scheme") or "HTTP").lower()
        return f"http-get {scheme}://{http.get('host', '')}:{http.get('port', '')}{http.get('path', '')} {tail}"
    if "tcpSocket" in probe:
        return f"tcp-socket {get(probe, 'tcpSocket', 'host', default='')}:{get(probe, 'tcpSocket', 'port')} {tail}"
    if "exec" in probe:
        return f"exec [{' '.join(get(probe, 'exec', 'command', default=[]) or [])}] {tail}"
    if "grpc" in probe:
        return f"grpc <pod>:{get(probe, 'grpc', 'port')} {get(probe, 'grpc', 'service', default='')} {tail}"
    return f"unknown {tail}"


def _state(w: PrefixWriter, title: str, state: dict | None) -> None:
    state = state or {}
    if "running" in state:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(get(state, 'running', 'startedAt'))}\n")
    elif "terminated" in state:
        term = state["terminated"] or {}
        w.write(2, f"{title}:\tTerminated\n")
        if term.get("reason"):
            w.write(3, f"Reason:\t{term['reason']}\n")
        if term.get("message"):
            w.write(3, f"Message:\t{term['message']}\n")
        w.write(3, f"Exit Code:\t{term.get('exitCode', 0)}\n")
        if term.get("signal"):
            w.write(3, f"Signal:\t{term['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(term.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{rfc1123z(term.get('finishedAt'))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")
        reason = get(state, "waiting", "reason")
        if reason:
            w.write(3, f"Reason:\t{reason}\n")


def _env(w: PrefixWriter, container: dict) -> None:
    env_from = container.get("envFrom") or []
    if env_from:
        w.write(2, "Environment Variables from:\n")
        for source in env_from:
            kind, ref = ("ConfigMap", source["configMapRef"]) if "configMapRef" in source else \
                ("Secret", source.get("secretRef") or {})
            prefix = source.get("prefix")
            middle = f"{kind} with prefix '{prefix}'" if prefix else kind
            w.write(3, f"{ref.get('name', '')}\t{middle}\tOptional: {go_bool(ref.get('optional'))}\n")
    env = container.get("env") or []
    if not env:
        w.write(2, "Environment:\t<none>\n")
        return
    w.write(2, "Environment:\n")
    for var in env:
        name = var.get("name", "")
        source = var.get("valueFrom")
        if source is None:
            for index, text in enumerate(str(var.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{text}\n" if index == 0 else f"\t{text}\n")
        elif "fieldRef" in source:
            ref = source["fieldRef"]
            w.write(3, f"{name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif "resourceFieldRef" in source:
            ref = source["resourceFieldRef"]
            w.write(3, f"{name}:\t{ref.get('resource', '')} ({ref.get('containerName', '')})\n")
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
                       f"\tOptional: {go_bool(ref.get('optional'))}\n")
        elif "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                       f"\tOptional: {go_bool(ref.get('optional'))}\n")


def describe_containers(w: PrefixWriter, label: str, containers: list | None, statuses: list | None,
                        space: str = "") -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    if not containers:
        w.write(0, f"{space}{label}: <none>\n")
        return
    w.write(0, f"{space}{label}:\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        name_indent = " " if space else ""
        w.write(1, f"{name_indent}{container.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{container.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = _ports(container.get("ports"))
        w.write(2, f"Ports:\t{ports}\n" if "," in ports else f"Port:\t{ports or '<none>'}\n")
        host_ports = _host_ports(container.get("ports"))
        w.write(2, f"Host Ports:\t{host_ports}\n" if "," in host_ports else f"Host Port:\t{host_ports or '<none>'}\n")
        if container.get("restartPolicy"):
            w.write(2, f"Restart Policy:\t{container['restartPolicy']}\n")
        for key, title in (("command", "Command"), ("args", "Args")):
            if container.get(key):
                w.write(2, f"{title}:\n")
                for item in container[key]:
                    for text in str(item).split("\n"):
                        w.write(3, f"{text}\n")
        if status is not None:
            _state(w, "State", status.get("state"))
            if get(status, "lastState", "terminated") is not None:
                _state(w, "Last State", status.get("lastState"))
            w.write(2, f"Ready:\t{print_bool(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        resources = container.get("resources") or {}
        for key, title in (("limits", "Limits"), ("requests", "Requests")):
            if resources.get(key):
                w.write(2, f"{title}:\n")
                for name in sorted(resources[key]):
                    w.write(3, f"{name}:\t{resources[key][name]}\n")
        for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                           ("startupProbe", "Startup")):
            if container.get(key):
                w.write(2, f"{title}:\t{_probe(container[key])}\n")
        _env(w, container)
        mounts = sorted(container.get("volumeMounts") or [], key=lambda m: m.get("mountPath", ""))
        if not mounts:
            w.write(2, "Mounts:\t<none>\n")
            continue
        w.write(2, "Mounts:\n")
        for mount in mounts:
            flags = ["ro" if mount.get("readOnly") else "rw"]
            if mount.get("subPath"):
                flags.append(f'path="{mount["subPath"]}"')
            w.write(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n")


def qos_class(pod: dict) -> str:
    """GetPodQOS: BestEffort, Guaranteed or Burstable from requests and limits."""
    if get(pod, "status", "qosClass"):
        return str(pod["status"]["qosClass"])
    containers = (get(pod, "spec", "containers", default=[]) or []) + (get(pod, "spec", "initContainers",
                                                                             default=[]) or [])
    any_set = False
    guaranteed = True
    for container in containers:
        requests = get(container, "resources", "requests", default={}) or {}
        limits = get(container, "resources", "limits", default={}) or {}
        if requests or limits:
            any_set = True
        for resource in ("cpu", "memory"):
            if resource not in limits or (resource in requests and requests[resource] != limits[resource]):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def controlled_by(obj: dict) -> str:
    for ref in get(obj, "metadata", "ownerReferences", default=[]) or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def describe_pod(w: PrefixWriter, pod: dict, events: list | None, now: float) -> None:
    md = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    write_name_namespace(w, md)
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    write_labels_annotations(w, md)
    phase = status.get("phase") or "Pending"
    if md.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        until = timestamp_seconds(md["deletionTimestamp"])
        lasts = human_duration(until - now) if until is not None else "<unknown>"
        w.write(0, f"Status:\tTerminating (lasts {lasts})\n")
        w.write(0, f"Termination Grace Period:\t{md.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for entry in ips:
            w.write(1, f"IP:\t{entry.get('ip', '')}\n")
    owner = controlled_by(pod)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"))
    describe_containers(w, "Containers", spec.get("containers"), status.get("containerStatuses"))
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        for gate in spec["readinessGates"]:
            w.write(1, f"{gate.get('conditionType', '')} \t{conditions.get(gate.get('conditionType'), '<none>')} \n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in status["conditions"]:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"))
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    describe_events(w, events, now)


def describe_pod_template(w: PrefixWriter, template: dict | None) -> None:
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    md = template.get("metadata") or {}
    spec = template.get("spec") or {}
    labels_multiline(w, "  Labels", md.get("labels"))
    if md.get("annotations"):
        annotations_multiline(w, "  Annotations", md.get("annotations"))
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    describe_containers(w, "Containers", spec.get("containers"), None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
