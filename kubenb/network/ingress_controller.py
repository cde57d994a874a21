"""ingress-nginx's status writer: publishes the controller's address on the Ingresses it serves.

Mirrors kubernetes/ingress-nginx internal/ingress/status (the status sync
loop) and the class filter of internal/ingress/controller/store: while an
ingress-nginx controller Pod is Running and Ready, every Ingress of an
IngressClass whose ``spec.controller`` is ``k8s.io/ingress-nginx`` (and, with
``--watch-ingress-without-class=true``, every Ingress without a class) gets
``status.loadBalancer.ingress``:

- ``--publish-status-address=localhost`` (kind's deploy manifest): ``hostname: localhost``
  (an IP there becomes ``ip``);
- ``--publish-service=ns/name``: that Service's load-balancer addresses;
- otherwise the InternalIP of the node the controller runs on.

The controller announces each Ingress with the event ``Sync`` / ``Scheduled
for sync`` and writes the address on its next status sync
(``STATUS_SYNC_SECONDS`` later). With no ready controller the addresses are
removed (``--update-status-on-shutdown``), and requests get no answer.

The request path (matching, proxying, 404/503) lives in network.http and
network.ingress. Left out: leader election between controller replicas,
the admission webhook, configuration reloads.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from kubenb.api import Client, objects
from kubenb.network import ingress
from kubenb.reconcile import ObjectKey, Result, for_, map_to
from kubenb.sim.clock import parse_rfc3339

INGRESS_NGINX_IMAGE = "registry.k8s.io/ingress-nginx/controller"
STATUS_SYNC_SECONDS = 20.0
EVENT_COMPONENT = "nginx-ingress-controller"


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _image_repo(image: str) -> str:
    ref = (image or "").split("@")[0]
    return ref.rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref


def _ready_since(pod: dict) -> float | None:
    if pod.get("status", {}).get("phase") != "Running" or objects.is_being_deleted(pod):
        return None
    for cond in pod.get("status", {}).get("conditions") or []:
        if cond.get("type") == "Ready" and cond.get("status") == "True":
            stamp = cond.get("lastTransitionTime")
            return parse_rfc3339(stamp) if stamp else 0.0
    return None


def controller_pods(client: Client) -> list[tuple[dict, dict, float]]:
    """(pod, controller container, ready since) for every Running+Ready ingress-nginx controller."""
    found = []
    for pod in client.list_view("pods"):
        for container in pod.get("spec", {}).get("containers") or []:
            if _image_repo(container.get("image", "")) == INGRESS_NGINX_IMAGE:
                since = _ready_since(pod)
                if since is not None:
                    found.append((pod, container, since))
                break
    return found


def _flag(container: dict, name: str) -> str | None:
    for arg in list(container.get("args") or []) + list(container.get("command") or []):
        if str(arg).startswith(name + "="):
            return str(arg).split("=", 1)[1]
    return None


def served_by_controller(client: Client, ing: dict, container: dict) -> bool:
    classes = set(ingress.classes_for_controller(client))
    wanted = _flag(container, "--ingress-class")
    cls = ingress.ingress_class_of(client, ing)
    if cls is None:
        return _flag(container, "--watch-ingress-without-class") == "true"
    return cls in classes or (wanted is not None and cls == wanted)


def published_addresses(client: Client, pod: dict, container: dict) -> list[dict]:
    status_address = _flag(container, "--publish-status-address")
    if status_address:
        return [{"ip": a} if _is_ip(a) else {"hostname": a} for a in status_address.split(",") if a]
    publish_service = _flag(container, "--publish-service")
    if publish_service and "/" in publish_service:
        ns, name = publish_service.replace("$(POD_NAMESPACE)", objects.namespace(pod) or "").split("/", 1)
        svc = client.try_get("services", name, ns)
        if svc is None:
            return []
        return [dict(entry) for entry in (svc.get("status", {}).get("loadBalancer") or {}).get("ingress") or []]
    node = client.try_get("nodes", pod.get("spec", {}).get("nodeName", ""))
    for address in (node or {}).get("status", {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return [{"ip": address["address"]}]
    return []


class IngressNginxController:
    name = EVENT_COMPONENT

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("ingresses"),
            map_to("pods", self._all_if_controller),
            map_to("ingressclasses", self._all_ingresses),
            map_to("services", self._all_ingresses),
        ]

    def _all_ingresses(self, _obj: dict) -> Iterable[ObjectKey]:
        return [ObjectKey("ingresses", objects.namespace(i), objects.name(i))
                for i in self.client.list_view("ingresses")]

    def _all_if_controller(self, pod: dict) -> Iterable[ObjectKey]:
        images = [_image_repo(c.get("image", "")) for c in pod.get("spec", {}).get("containers") or []]
        return self._all_ingresses(pod) if INGRESS_NGINX_IMAGE in images else ()

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_ingress_status(self.client, key)


def sync_ingress_status(client: Client, key: ObjectKey) -> Result:
    ing = client.try_get("ingresses", key.name, key.namespace)
    if ing is None:
        return Result()
    current = (ing.get("status", {}).get("loadBalancer") or {}).get("ingress") or []
    serving = [(pod, container, since) for pod, container, since in controller_pods(client)
               if served_by_controller(client, ing, container)]
    if not serving:
        if current:
            ing["status"]["loadBalancer"] = {}
            client.update_status(ing)
        return Result()
    pod, container, since = serving[0]
    announced = any(e.get("reason") == "Sync" and e.get("involvedObject", {}).get("uid") == objects.uid(ing)
                    for e in client.list_view("events", key.namespace))
    created = parse_rfc3339(ing["metadata"]["creationTimestamp"])
    due = max(created, since) + STATUS_SYNC_SECONDS
    if not announced and not current:
        client.event(ing, "Normal", "Sync", "Scheduled for sync")
    wanted = published_addresses(client, pod, container)
    now = client.clock.now()
    if now < due and not current:
        return Result(requeue_after=due - now)
    if current != wanted:
        ing.setdefault("status", {})["loadBalancer"] = {"ingress": wanted} if wanted else {}
        client.update_status(ing)
    return Result()
