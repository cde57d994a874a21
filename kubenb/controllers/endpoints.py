"""Endpoints controller: Services with a selector + their Pods -> core/v1 Endpoints (deprecated in v1.33).

Mirrors kubernetes pkg/controller/endpoint/endpoints_controller.go
(syncService): Ready Pods go to ``subsets[].addresses``, the others to
``notReadyAddresses`` (terminating Pods are left out unless the Service
publishes not-ready addresses); subsets are repacked by port set and sorted
as endpoints.RepackSubsets does; the
``endpoints.kubernetes.io/last-change-trigger-time`` annotation records the
change that produced them. ``default/kubernetes`` is written as the API
server's reconciler writes it (172.18.0.2:6443).

Left out: the 1000-address truncation annotation and EndpointSlice mirroring.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers.endpointslice import (
    API_SERVER_IP,
    API_SERVER_PORT,
    HEADLESS_LABEL,
    TRIGGER_TIME,
    find_port,
    is_pod_ready,
    selected_pods,
    service_keys_for_pod,
    should_pod_be_in_endpoints,
    trigger_time,
)
from kubenb.reconcile import ObjectKey, Result, for_, map_to


class EndpointsController:
    name = "endpoint-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("services"),
            map_to("pods", service_keys_for_pod(self.client), metadata_keys=True),
            for_("endpoints"),
        ]

    def reconcile(self, key: ObjectKey) -> Result:
        if key.resource == "endpoints":
            key = ObjectKey("services", key.namespace, key.name)
        return sync_service(self.client, key)


def _address(pod: dict, svc: dict) -> dict:
    address: dict = {"ip": pod["status"]["podIP"]}
    spec = pod.get("spec", {})
    # Only Pods under this Service's subdomain publish their hostname (StatefulSet Pods).
    if spec.get("hostname") and spec.get("subdomain") == objects.name(svc):
        address["hostname"] = spec["hostname"]
    if spec.get("nodeName"):
        address["nodeName"] = spec["nodeName"]
    address["targetRef"] = {"kind": "Pod", "name": objects.name(pod), "namespace": objects.namespace(pod),
                            "uid": objects.uid(pod)}
    return address


def build_subsets(svc: dict, pods: list[dict]) -> list[dict]:
    publish_not_ready = bool(svc["spec"].get("publishNotReadyAddresses"))
    groups: dict[tuple, dict] = {}
    for pod in sorted(pods, key=objects.name):
        ports = []
        for sp in svc["spec"].get("ports") or []:
            number = find_port(pod, sp)
            if number is None:
                continue
            port: dict = {"port": number, "protocol": sp.get("protocol", "TCP")}
            if sp.get("name"):
                port = {"name": sp["name"], **port}
            ports.append(port)
        if not ports and svc["spec"].get("clusterIP") != "None":
            continue
        signature = tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
        subset = groups.setdefault(signature, {"addresses": [], "notReadyAddresses": [], "ports": ports})
        if is_pod_ready(pod) or publish_not_ready:
            subset["addresses"].append(_address(pod, svc))
        else:
            subset["notReadyAddresses"].append(_address(pod, svc))
    subsets = []
    for subset in groups.values():
        out: dict = {}
        # RepackSubsets sorts addresses by IP (as strings) and ports by name/number.
        if subset["addresses"]:
            out["addresses"] = sorted(subset["addresses"], key=lambda a: a["ip"])
        if subset["notReadyAddresses"]:
            out["notReadyAddresses"] = sorted(subset["notReadyAddresses"], key=lambda a: a["ip"])
        if subset["ports"]:
            out["ports"] = subset["ports"]
        subsets.append(out)
    return subsets


def sync_service(client: Client, key: ObjectKey) -> Result:
    svc = client.try_get("services", key.name, key.namespace)
    current = client.try_get("endpoints", key.name, key.namespace)
    if key.namespace == "default" and key.name == "kubernetes":
        if svc is not None and current is None:
            client.create({"apiVersion": "v1", "kind": "Endpoints",
                           "metadata": {"name": "kubernetes", "namespace": "default",
                                        "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
                           "subsets": [{"addresses": [{"ip": API_SERVER_IP}],
                                        "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}]}]})
        return Result()
    if svc is None:
        if current is not None and not objects.annotations(current).get("kubenb.dev/user-managed"):
            # The controller deletes the Endpoints of a deleted Service.
            client.delete("endpoints", key.name, key.namespace)
        return Result()
    spec = svc.get("spec", {})
    if not spec.get("selector") or spec.get("type") == "ExternalName":
        return Result()  # no selector: the user manages Endpoints by hand
    publish = bool(spec.get("publishNotReadyAddresses"))
    pods = [p for p in selected_pods(client, svc) if should_pod_be_in_endpoints(p, include_terminating=publish)]
    subsets = build_subsets(svc, pods)
    labels = dict(objects.labels(svc))
    if spec.get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    if current is not None:
        if (current.get("subsets") or []) == subsets and objects.labels(current) == labels:
            return Result()
        current["metadata"]["labels"] = labels
        current["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = trigger_time(svc, pods)
        if subsets:
            current["subsets"] = subsets
        else:
            current.pop("subsets", None)
        client.update(current)
        return Result()
    obj: dict = {"apiVersion": "v1", "kind": "Endpoints",
                 "metadata": {"name": key.name, "namespace": key.namespace, "labels": labels,
                              "annotations": {TRIGGER_TIME: trigger_time(svc, pods)}}}
    if subsets:
        obj["subsets"] = subsets
    client.create(obj)
    return Result()
