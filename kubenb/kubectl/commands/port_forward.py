"""kubectl port-forward (pkg/cmd/portforward/portforward.go): forward local ports to a Pod.

``TYPE/NAME`` is a Pod (the default type), or a Deployment, ReplicaSet,
StatefulSet or Service whose selector picks a running Pod; a Service port is
translated to its targetPort (a named targetPort through the Pod's container
ports), as ``translateServicePortToTargetPort`` does. kubectl prints
``Forwarding from 127.0.0.1:L -> R`` and ``Forwarding from [::1]:L -> R`` and
then holds the connection open until interrupted. A notebook cell cannot
hold it, so kubenb prints those lines, remembers the forward in the cluster
(``localhost:L`` then reaches the Pod, e.g. with ``%kubenb curl``) and
returns.

Left out: UDP, the ``Handling connection for L`` lines (they come from
traffic, which kubenb's curl does not print).
"""

from __future__ import annotations

from kubenb.api import objects
from kubenb.api.selectors import from_label_selector
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag

_TYPES = {
    "pod": "pods", "pods": "pods", "po": "pods",
    "deployment": "deployments", "deployments": "deployments", "deploy": "deployments",
    "replicaset": "replicasets", "replicasets": "replicasets", "rs": "replicasets",
    "statefulset": "statefulsets", "statefulsets": "statefulsets", "sts": "statefulsets",
    "service": "services", "services": "services", "svc": "services",
}
_GROUP_SUFFIXES = (".apps", ".v1.apps", ".v1", "")


def _resource(kind_text: str) -> str | None:
    base = kind_text.lower()
    for suffix in _GROUP_SUFFIXES:
        if suffix and base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return _TYPES.get(base)


def _pod_rank(pod: dict) -> tuple:
    """Prefer running, ready, older Pods (kubectl's ActivePods ordering, roughly)."""
    status = pod.get("status", {})
    running = status.get("phase") == "Running"
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    return (not running, not ready, pod["metadata"].get("creationTimestamp", ""), objects.name(pod))


def _pick_pod(inv: Invocation, selector: dict | None, namespace: str, what: str) -> dict:
    matcher = from_label_selector(selector or {})
    if not selector:
        raise KubectlError(f"cannot attach to {what}: selector is empty")
    pods = [p for p in inv.client.list("pods", namespace) if matcher.matches(objects.labels(p))
            and not objects.is_being_deleted(p)]
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    return sorted(pods, key=_pod_rank)[0]


def _split_port(text: str) -> tuple[str, str]:
    if ":" in text:
        local, remote = text.split(":", 1)
        return local, remote
    return text, text


def _container_port(pod: dict, name: str) -> int | None:
    for container in pod.get("spec", {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == name:
                return int(port["containerPort"])
    return None


def run(inv: Invocation) -> int:
    if len(inv.args) < 2:
        raise UsageError("TYPE/NAME and list of ports are required for port-forward")
    target, port_args = inv.args[0], inv.args[1:]
    namespace = inv.namespace
    client = inv.client
    if "/" in target:
        kind_text, name = target.split("/", 1)
        resource = _resource(kind_text)
        if resource is None:
            raise KubectlError(f'the server doesn\'t have a resource type "{kind_text}"')
    else:
        resource, name = "pods", target
    svc = None
    if resource == "pods":
        pod = client.get("pods", name, namespace)
    else:
        obj = client.get(resource, name, namespace)
        if resource == "services":
            svc = obj
            pod = _pick_pod(inv, {"matchLabels": obj.get("spec", {}).get("selector") or {}}, namespace,
                            f"service/{name}")
        else:
            pod = _pick_pod(inv, obj.get("spec", {}).get("selector"), namespace, f"{resource}/{name}")
    phase = pod.get("status", {}).get("phase")
    if phase != "Running":
        raise KubectlError(f"unable to forward port because pod is not running. Current status={phase}")
    forwards: list[tuple[int, int]] = []
    for text in port_args:
        local_text, remote_text = _split_port(text)
        remote: int | None
        if svc is not None:
            svc_port = next((p for p in svc["spec"].get("ports") or []
                             if str(p.get("port")) == remote_text or p.get("name") == remote_text), None)
            if svc_port is None:
                raise KubectlError(f"Service {objects.name(svc)} does not have a service port {remote_text}")
            target_port = svc_port.get("targetPort", svc_port.get("port"))
            remote = target_port if isinstance(target_port, int) else _container_port(pod, str(target_port))
            if remote is None:
                raise KubectlError(f"Pod '{objects.name(pod)}' does not have a named port '{target_port}'")
            if local_text == remote_text and ":" not in text:
                local_text = str(svc_port.get("port"))
        elif remote_text.isdigit():
            remote = int(remote_text)
        else:
            remote = _container_port(pod, remote_text)
            if remote is None:
                raise KubectlError(f"Pod '{objects.name(pod)}' does not have a named port '{remote_text}'")
            if local_text == remote_text:
                local_text = str(remote)
        if local_text == "":
            local = client.rand.randint(32768, 60999)
        elif local_text.isdigit() and 0 < int(local_text) < 65536:
            local = int(local_text)
        else:
            raise KubectlError(f"Error parsing local port '{local_text}': strconv.ParseUint: parsing "
                               f'"{local_text}": invalid syntax')
        forwards.append((local, remote))
    addresses = [a.strip() for a in (inv.flags["address"] or ["localhost"]) if a.strip()]
    for local, remote in forwards:
        for address in addresses:
            if address == "localhost":
                inv.write(f"Forwarding from 127.0.0.1:{local} -> {remote}\n")
                inv.write(f"Forwarding from [::1]:{local} -> {remote}\n")
            else:
                inv.write(f"Forwarding from {address}:{local} -> {remote}\n")
        register = getattr(inv.env.extras.get("cluster"), "port_forward", None)
        if callable(register):
            register(local, namespace, objects.name(pod), remote)
    return 0


COMMAND = Command(
    name="port-forward",
    short="Forward one or more local ports to a pod",
    usage="port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
    help="Forward one or more local ports to a pod. TYPE/NAME may name a pod (the default type), or a "
         "deployment, replica set, stateful set or service that selects one. (In kubenb the command returns at "
         "once and the forward stays registered, so localhost reaches the pod from %kubenb curl.)",
    examples=("  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in the pod\n"
              "  kubectl port-forward pod/mypod 5000 6000\n\n"
              "  # Listen on port 8888 locally, forwarding to 5000 in the pod\n"
              "  kubectl port-forward pod/mypod 8888:5000"),
    run=run,
    flags=[
        Flag("address", pflag.STRING_SLICE, ["localhost"], usage="Addresses to listen on (comma separated). Only "
             "accepts IP addresses or localhost as a value."),
        Flag("pod-running-timeout", pflag.DURATION, 60.0, usage="The length of time (like 5s, 2m, or 3h, higher "
             "than zero) to wait until at least one pod is running"),
    ],
)


