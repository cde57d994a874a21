"""The cloud controller manager's service controller, as cloud-provider-kind plays it.

Mirrors k8s.io/cloud-provider controllers/service (syncLoadBalancerIfNeeded):
a Service of type LoadBalancer gets a load balancer and its address in
``status.loadBalancer.ingress[].ip`` (with ``ipMode: VIP``), announced by the
events ``EnsuringLoadBalancer`` then ``EnsuredLoadBalancer``; a Service that
stops being a LoadBalancer (or is deleted) gives its address back
(``DeletingLoadBalancer`` / ``DeletedLoadBalancer``). Addresses come from a
pool on kind's docker network, 172.18.255.200 up, as a MetalLB setup for kind
hands them out.

A cluster built with ``cloud=False`` runs no such controller: EXTERNAL-IP stays
``<pending>``, as on a bare kind or minikube without ``tunnel``.

Left out: the ``service.kubernetes.io/load-balancer-cleanup`` finalizer
dance, ``loadBalancerClass``, health-check node ports.
"""

from __future__ import annotations

import ipaddress

from kubenb.api import Client, objects
from kubenb.reconcile import ObjectKey, Result, for_

POOL_START = ipaddress.ip_address("172.18.255.200")
POOL_SIZE = 51  # 172.18.255.200-172.18.255.250


def load_balancer_ips(svc: dict) -> list[str]:
    return [entry["ip"] for entry in (svc.get("status", {}).get("loadBalancer") or {}).get("ingress") or []
            if entry.get("ip")]


class ServiceController:
    name = "service-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("services")]

    def reconcile(self, key: ObjectKey) -> Result:
        return sync_load_balancer_if_needed(self.client, key)


def _allocate(client: Client, svc: dict) -> str | None:
    used = {ip for other in client.list_view("services") for ip in load_balancer_ips(other)}
    wanted = svc.get("spec", {}).get("loadBalancerIP")
    if wanted and wanted not in used:
        return wanted
    for offset in range(POOL_SIZE):
        candidate = str(POOL_START + offset)
        if candidate not in used:
            return candidate
    return None


def sync_load_balancer_if_needed(client: Client, key: ObjectKey) -> Result:
    svc = client.try_get("services", key.name, key.namespace)
    if svc is None:
        return Result()
    wants_lb = svc.get("spec", {}).get("type") == "LoadBalancer" and not objects.is_being_deleted(svc)
    has = load_balancer_ips(svc)
    if wants_lb and not has:
        client.event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
        ip = _allocate(client, svc)
        if ip is None:
            client.event(svc, "Warning", "SyncLoadBalancerFailed",
                         "Error syncing load balancer: failed to ensure load balancer: no available IPs")
            return Result(requeue_after=60)
        svc.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": ip, "ipMode": "VIP"}]}
        client.update_status(svc)
        client.event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")
    elif not wants_lb and has:
        client.event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer")
        svc.setdefault("status", {})["loadBalancer"] = {}
        client.update_status(svc)
        client.event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer")
    return Result()
