"""The objects kubectl's generators build (kubectl ``pkg/cmd/create/create_*.go``, ``pkg/cmd/run/run.go``).

Keys are inserted in Go struct field order (``-o json`` shows that order);
empty optional fields are left out as ``omitempty`` leaves them out, and the
fields Go always prints (``creationTimestamp: null``, ``resources: {}``,
``status: {}``) are present.
"""

from __future__ import annotations

import re

from kubenb.kubectl.cli import KubectlError


def meta(name: str, *, labels: dict | None = None, annotations: dict | None = None, **extra: object) -> dict:
    result: dict = {"name": name, "creationTimestamp": None}
    if labels:
        result["labels"] = labels
    if annotations:
        result["annotations"] = annotations
    result.update(extra)
    return result


def container(name: str, image: str, *, command: list[str] | None = None, args: list[str] | None = None,
              ports: list[dict] | None = None, env: list[dict] | None = None, pull_policy: str = "",
              stdin: bool = False, stdin_once: bool = False, tty: bool = False) -> dict:
    result: dict = {"name": name, "image": image}
    if command:
        result["command"] = command
    if args:
        result["args"] = args
    if ports:
        result["ports"] = ports
    if env:
        result["env"] = env
    result["resources"] = {}
    if pull_policy:
        result["imagePullPolicy"] = pull_policy
    if stdin:
        result["stdin"] = True
    if stdin_once:
        result["stdinOnce"] = True
    if tty:
        result["tty"] = True
    return result


def container_name_for_image(image: str, random_suffix) -> str:  # noqa: ANN001 - callable() -> str
    """create deployment: the last path part of the image without tag/digest, DNS-safe."""
    name = image.split("/")[-1]
    if ":" in name:
        name = name.split(":")[0]
    if "@" in name:
        name = name.split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-") + "-" + random_suffix()
    return name


def deployment(name: str, images: list[str], command: list[str], replicas: int, port: int,
               random_suffix) -> dict:  # noqa: ANN001
    labels = {"app": name}
    containers = [container(container_name_for_image(image, random_suffix), image, command=command)
                  for image in images]
    if port >= 0 and containers:
        # ContainerPort's fields: name, hostPort, containerPort, protocol (omitempty except containerPort).
        rebuilt = {}
        for key, value in containers[0].items():
            if key == "resources":
                rebuilt["ports"] = [{"containerPort": port}]
            rebuilt[key] = value
        containers[0] = rebuilt
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": meta(name, labels=dict(labels)),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"creationTimestamp": None, "labels": dict(labels)},
                         "spec": {"containers": containers}},
            "strategy": {},
        },
        "status": {},
    }


# --- Services ------------------------------------------------------------------------------------------------

_PORT_NAME_CHARS = re.compile(r"^[-a-z0-9]+$")
_HAS_LETTER = re.compile(r"[a-z]")


def port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.match(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _HAS_LETTER.search(name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def parse_uint16(text: str) -> int:
    """strconv.ParseUint(text, 10, 16), with Go's error text."""
    if not re.fullmatch(r"[0-9]+", text.replace("_", "")) or "_" in text:
        raise KubectlError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    value = int(text)
    if value > 65535:
        raise KubectlError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return value


def go_atoi(text: str) -> int | None:
    """strconv.Atoi, or None where Go returns an error."""
    if re.fullmatch(r"[+-]?[0-9]+", text):
        value = int(text)
        if -(2 ** 63) <= value < 2 ** 63:
            return value
    return None


def parse_service_port(spec: str) -> tuple[int, int | str]:
    parts = spec.split(":")
    port = parse_uint16(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    number = go_atoi(target)
    if number is None:
        errs = port_name_errors(target)
        if errs:
            raise KubectlError(",".join(errs))
        return port, target
    if not 1 <= number <= 65535:
        raise KubectlError("must be between 1 and 65535, inclusive")
    return port, number


def service(name: str, service_type: str, tcp: list[str], *, cluster_ip: str = "", node_port: int = 0,
            external_name: str = "") -> dict:
    labels = {"app": name}
    ports = []
    for spec in tcp:
        port, target = parse_service_port(spec)
        entry: dict = {"name": spec.replace(":", "-"), "protocol": "TCP", "port": port, "targetPort": target}
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    spec_: dict = {}
    if ports:
        spec_["ports"] = ports
    spec_["selector"] = dict(labels)
    if cluster_ip:
        spec_["clusterIP"] = cluster_ip
    spec_["type"] = service_type
    if external_name:
        spec_["externalName"] = external_name
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta(name, labels=labels), "spec": spec_,
            "status": {"loadBalancer": {}}}


# --- Jobs ----------------------------------------------------------------------------------------------------

def job(name: str, image: str, command: list[str]) -> dict:
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta(name),
        "spec": {"template": {"metadata": {"creationTimestamp": None},
                              "spec": {"containers": [container(name, image, command=command)],
                                       "restartPolicy": "Never"}}},
        "status": {},
    }


def cronjob(name: str, image: str, schedule: str, restart: str, command: list[str]) -> dict:
    return {
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": meta(name),
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": meta(name),
                "spec": {"template": {"metadata": {"creationTimestamp": None},
                                      "spec": {"containers": [container(name, image, command=command)],
                                               "restartPolicy": restart or "OnFailure"}}},
            },
        },
        "status": {},
    }


# --- Ingress -------------------------------------------------------------------------------------------------

INGRESS_RULE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/[^,=\n]*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)"
                          r"(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?$", re.ASCII)


def _backend(service_ref: str) -> dict:
    parts = service_ref.split(":")
    port_text = parts[1]
    number = go_atoi(port_text)
    port = {"number": number} if number is not None and -(2 ** 31) <= number < 2 ** 31 else {"name": port_text}
    if port.get("number") == 0:
        port = {}
    return {"service": {"name": parts[0], "port": port}}


def ingress(name: str, rules: list[str], ingress_class: str, default_backend: str, annotations: list[str]) -> dict:
    if not default_backend and not rules:
        raise KubectlError("not enough information provided: every ingress has to either specify a default-backend "
                           "(which catches all traffic) or a list of rules (which catch specific paths)")
    for rule in rules:
        if not INGRESS_RULE.match(rule):
            raise KubectlError(f"rule {rule} is invalid and should be in format "
                               "host/path=svcname:svcport[,tls[=secret]]")
    for annotation in annotations:
        if "=" not in annotation:
            raise KubectlError(f"annotation {annotation} is invalid and should be in format key=[value]")
    if default_backend and len(default_backend.split(":")) != 2:
        raise KubectlError("default-backend should be in format servicename:serviceport")
    notes = {}
    for annotation in annotations:
        key, _, value = annotation.partition("=")
        notes[key] = value
    spec: dict = {}
    if ingress_class:
        spec["ingressClassName"] = ingress_class
    if default_backend:
        spec["defaultBackend"] = _backend(default_backend)
    tls: list[dict] = []
    seen_hosts: set[str] = set()
    for rule in rules:
        parts = rule.split(",")
        if len(parts) != 2:
            continue
        host = rule.split("/", 1)[0]
        secret_parts = parts[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        if host in seen_hosts:
            continue
        index = next((i for i, entry in enumerate(tls) if entry.get("secretName", "") == secret), -1)
        seen_hosts.add(host)
        if index > -1:
            tls[index].setdefault("hosts", []).append(host)
            continue
        entry: dict = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            tls.append(entry)
    if tls:
        spec["tls"] = tls
    built: list[dict] = []
    for rule in rules:
        without_tls = rule.split(",")[0]
        host, _, rest = without_tls.partition("/")
        path_part, _, service_ref = rest.partition("=")
        path = "/" + path_part
        path_type = "Exact"
        if path.endswith("*"):
            path_type = "Prefix"
            path = path[:-1]
        http_path = {"path": path, "pathType": path_type, "backend": _backend(service_ref.split("=")[0])}
        existing = next((r for r in built if r.get("host", "") == host), None)
        if existing is not None:
            existing["http"]["paths"].append(http_path)
            continue
        entry = {"host": host} if host else {}
        entry["http"] = {"paths": [http_path]}
        built.append(entry)
    if built:
        spec["rules"] = built
    return {"kind": "Ingress", "apiVersion": "networking.k8s.io/v1",
            "metadata": meta(name, annotations=notes or None), "spec": spec, "status": {"loadBalancer": {}}}
