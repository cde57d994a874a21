"""EndpointSlice controller: Services with a selector + their Pods -> discovery.k8s.io/v1 EndpointSlices.

Mirrors kubernetes pkg/controller/endpointslice (endpointslice_controller.go
syncService) and staging endpointslice/reconciler.go: every Pod that matches
the selector and has an IP becomes an endpoint with conditions ready
(Ready and not terminating), serving (Ready) and terminating
(deletionTimestamp set), nodeName, zone and a targetRef; a named targetPort
is looked up in the Pod's container ports. Slices are named
``<service>-<5 random>`` (generateName) and labelled
``kubernetes.io/service-name`` and ``endpointslice.kubernetes.io/managed-by``.
A Service with no Pods still gets one placeholder slice with no endpoints.

The ``default/kubernetes`` Service has no selector: its slice (named
``kubernetes``) is written as kube-apiserver's endpoint reconciler does,
pointing at the API server (172.18.0.2:6443).

Left out: the 100-endpoint slice limit and slice packing, topology hints,
IPv6 slices, EndpointSlice mirroring of hand-written Endpoints.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubenb.api import Client, objects
from kubenb.api.selectors import from_label_selector
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import format_rfc3339, parse_rfc3339

MANAGED_BY = "endpointslice-controller.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
HEADLESS_LABEL = "service.kubernetes.io/headless"
ZONE_LABEL = "topology.kubernetes.io/zone"

API_SERVER_IP = "172.18.0.2"
API_SERVER_PORT = 6443


# --- helpers shared with the Endpoints controller --------------------------------------------------------

def service_keys_for_pod(client: Client):  # noqa: ANN201 - a watch mapper
    """Map a Pod to the Services in its namespace whose selector it matches."""

    def keys(pod: dict) -> Iterable[ObjectKey]:
        labels = objects.labels(pod)
        if not labels:
            return ()  # a selector is never empty here, so it cannot match
        ns = objects.namespace(pod)
        found = []
        # Every Pod event asks: the store's list straight away (read only), without a client call's checks.
        for svc in client.store.items("services", ns):
            selector = svc.get("spec", {}).get("selector")
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                found.append(ObjectKey("services", ns, objects.name(svc)))
        return found

    return keys


def selected_pods(client: Client, svc: dict) -> list[dict]:
    selector = svc.get("spec", {}).get("selector")
    if not selector:
        return []
    matcher = from_label_selector({"matchLabels": selector})
    return [p for p in client.list_view("pods", objects.namespace(svc)) if matcher.matches(objects.labels(p))]


def should_pod_be_in_endpoints(pod: dict, *, include_terminating: bool) -> bool:
    """podutil.ShouldPodBeInEndpoints: has an IP, not finished, and (optionally) not terminating."""
    status = pod.get("status", {})
    if not status.get("podIP"):
        return False
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not include_terminating and objects.is_being_deleted(pod):
        return False
    return True


def is_pod_ready(pod: dict) -> bool:
    for cond in pod.get("status", {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def find_port(pod: dict, service_port: dict) -> int | None:
    """podutil.FindPort: a number is itself; a name is looked up among the Pod's container ports."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol", "TCP")
    for container in pod.get("spec", {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target and port.get("protocol", "TCP") == protocol:
                return int(port["containerPort"])
    return None


def trigger_time(svc: dict, pods: list[dict]) -> str:
    """The last change that made the endpoints what they are: the Service or a Pod becoming (un)ready."""
    times = [parse_rfc3339(svc["metadata"]["creationTimestamp"])]
    for pod in pods:
        times.append(parse_rfc3339(pod["metadata"]["creationTimestamp"]))
        for cond in pod.get("status", {}).get("conditions") or []:
            if cond.get("type") == "Ready" and cond.get("lastTransitionTime"):
                times.append(parse_rfc3339(cond["lastTransitionTime"]))
        if pod["metadata"].get("deletionTimestamp"):
            times.append(parse_rfc3339(pod["metadata"]["deletionTimestamp"]) -
                         float(pod["metadata"].get("deletionGracePeriodSeconds") or 0))
    return format_rfc3339(max(times))


def node_zone(client: Client, node_name: str | None) -> str | None:
    if not node_name:
        return None
    node = client.store.get("nodes", None, node_name)
    if node is None:
        return None
    return objects.labels(node).get(ZONE_LABEL)


def _same_set(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "metadata"} == {k: v for k, v in b.items() if k != "metadata"}


# --- the controller -----------------------------------------------------------------------------------

class EndpointSliceController:
    name = "endpointslice-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("services"),
            map_to("pods", service_keys_for_pod(self.client), metadata_keys=True),
            map_to("endpointslices", _slice_owner, metadata_keys=True),
        ]

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_service(self.client, key)


def _slice_owner(slice_: dict) -> Iterable[ObjectKey]:
    name = objects.labels(slice_).get(SERVICE_NAME_LABEL)
    return (ObjectKey("services", objects.namespace(slice_), name),) if name else ()


def _endpoint(client: Client, pod: dict, svc: dict) -> dict:
    terminating = objects.is_being_deleted(pod)
    ready = is_pod_ready(pod)
    endpoint: dict = {"addresses": [pod["status"]["podIP"]],
                      "conditions": {"ready": ready and not terminating, "serving": ready,
                                     "terminating": terminating}}
    spec = pod.get("spec", {})
    # Pods with hostname + subdomain == the Service name get a DNS name under it (StatefulSets).
    if spec.get("hostname") and spec.get("subdomain") == objects.name(svc):
        endpoint["hostname"] = spec["hostname"]
    if spec.get("nodeName"):
        endpoint["nodeName"] = spec["nodeName"]
    endpoint["targetRef"] = {"kind": "Pod", "name": objects.name(pod), "namespace": objects.namespace(pod),
                             "uid": objects.uid(pod)}
    zone = node_zone(client, spec.get("nodeName"))
    if zone:
        endpoint["zone"] = zone
    return endpoint


def desired_slices(client: Client, svc: dict) -> list[tuple[list[dict] | None, list[dict]]]:
    """(ports, endpoints) groups: Pods whose named ports resolve alike share a slice."""
    groups: dict[tuple, tuple[list[dict], list[dict]]] = {}
    pods = sorted((p for p in selected_pods(client, svc) if should_pod_be_in_endpoints(p, include_terminating=True)),
                  key=objects.name)
    for pod in pods:
        ports = []
        for sp in svc["spec"].get("ports") or []:
            number = find_port(pod, sp)
            if number is None:
                continue
            ports.append({"name": sp.get("name", ""), "port": number, "protocol": sp.get("protocol", "TCP")})
        signature = tuple((p["name"], p["port"], p["protocol"]) for p in ports)
        groups.setdefault(signature, (ports, []))[1].append(_endpoint(client, pod, svc))
    if not groups:
        return [(None, [])]
    return list(groups.values())


def sync_service(client: Client, key: ObjectKey) -> Result:
    svc = client.try_get("services", key.name, key.namespace)
    existing = [s for s in client.list_view("endpointslices", key.namespace,
                                            label_selector=f"{SERVICE_NAME_LABEL}={key.name}")
                if objects.labels(s).get(MANAGED_BY_LABEL) == MANAGED_BY]
    if svc is None or objects.is_being_deleted(svc):
        return Result()  # the garbage collector removes slices owned by a deleted Service
    if key.namespace == "default" and key.name == "kubernetes":
        sync_api_server_slice(client, svc)
        return Result()
    if not svc.get("spec", {}).get("selector") or svc["spec"].get("type") == "ExternalName":
        for old in existing:
            client.delete("endpointslices", objects.name(old), key.namespace)
        return Result()
    pods = [p for p in selected_pods(client, svc) if should_pod_be_in_endpoints(p, include_terminating=True)]
    labels = dict(objects.labels(svc))
    labels[SERVICE_NAME_LABEL] = key.name
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    if svc["spec"].get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    wanted = desired_slices(client, svc)
    existing = sorted(existing, key=objects.name)
    for index, (ports, endpoints) in enumerate(wanted):
        body = {"addressType": "IPv4", "endpoints": endpoints or None, "ports": ports}
        if index < len(existing):
            current = client.get("endpointslices", objects.name(existing[index]), key.namespace)
            if _same_set(current | {"apiVersion": None, "kind": None}, body | {"apiVersion": None, "kind": None}) \
                    and objects.labels(current) == labels:
                continue
            current.update(body)
            current["metadata"]["labels"] = labels
            current["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = trigger_time(svc, pods)
            client.update(current)
            continue
        client.create({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"generateName": f"{key.name}-", "namespace": key.namespace, "labels": labels,
                         "annotations": {TRIGGER_TIME: trigger_time(svc, pods)},
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": key.name,
                                              "uid": objects.uid(svc), "controller": True,
                                              "blockOwnerDeletion": True}]},
            **body,
        })
    for extra in existing[len(wanted):]:
        client.delete("endpointslices", objects.name(extra), key.namespace)
    return Result()


def sync_api_server_slice(client: Client, svc: dict) -> None:
    """kube-apiserver's reconciler: slice ``kubernetes`` -> the API server's address."""
    body = {"addressType": "IPv4",
            "endpoints": [{"addresses": [API_SERVER_IP], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}]}
    current = client.try_get("endpointslices", "kubernetes", "default")
    if current is not None:
        return
    client.create({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                   "metadata": {"name": "kubernetes", "namespace": "default",
                                "labels": {SERVICE_NAME_LABEL: "kubernetes"}},
                   **body})
    del svc
