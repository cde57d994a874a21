"""kube-proxy: where a packet to a Service address goes (ClusterIP, NodePort, LoadBalancer IP).

Mirrors kubernetes pkg/proxy (iptables mode: a random pick among the usable
endpoints, i.e. ``-m statistic --mode random``; ``sessionAffinity: ClientIP``
via the ``recent`` module with its timeout; ``internalTrafficPolicy`` and
``externalTrafficPolicy: Local`` keep traffic on the node and drop it where
that node has no endpoint; a Service with no endpoint at all is REJECTed, so
the client sees "connection refused" at once). Endpoints come from
EndpointSlices: ready ones, else (``ProxyTerminatingEndpoints``) the ones that
are still serving while terminating.

Picks draw from the cluster's seeded random source, so a notebook gives the
same spread every run. The affinity table is runtime state kept in
``NetworkState`` (kube-proxy keeps it in the kernel, not in the API).

Left out: IPVS and nftables modes, topology-aware routing, UDP/SCTP
behaviour, NetworkPolicies, hairpin NAT details.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from kubenb.api import Client, objects

ROUTE_LOG_SIZE = 200


@dataclass(frozen=True)
class Endpoint:
    ip: str
    port: int
    node: str | None
    pod: str | None  # name of the target Pod
    namespace: str | None
    ready: bool
    serving: bool
    terminating: bool


@dataclass(frozen=True)
class Pick:
    """The outcome of routing: an endpoint, or why there is none (``refused`` or ``dropped``)."""

    endpoint: Endpoint | None
    outcome: str  # "ok" | "refused" | "dropped"
    reason: str = ""


@dataclass
class NetworkState:
    """Runtime network state outside the API: affinity entries, port-forwards, the route log."""

    affinity: dict[tuple, tuple[str, int, float]] = field(default_factory=dict)
    forwards: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # local port -> (ns, pod, port)
    routes: deque = field(default_factory=lambda: deque(maxlen=ROUTE_LOG_SIZE))
    ingress_round_robin: dict[str, int] = field(default_factory=dict)
    # Where servers' access-log lines go: fn(namespace, pod, container, line); wired by the cluster to
    # the kubelet's log buffers. Not part of the saved state.
    log_sink: Callable[[str, str, str, str], None] | None = None
    # A running container's current files: fn(pod, container) -> {path: content} or None; wired by the
    # cluster to the kubelets (web servers answer from their document root). Not part of the saved state.
    file_source: Callable[[dict, dict], dict[str, str] | None] | None = None

    def state(self) -> dict:
        return {"affinity": dict(self.affinity), "forwards": dict(self.forwards), "routes": list(self.routes),
                "ingress_round_robin": dict(self.ingress_round_robin)}

    def set_state(self, state: dict) -> None:
        self.affinity = dict(state.get("affinity", {}))
        self.forwards = dict(state.get("forwards", {}))
        self.routes = deque(state.get("routes", []), maxlen=ROUTE_LOG_SIZE)
        self.ingress_round_robin = dict(state.get("ingress_round_robin", {}))


# --- lookups ------------------------------------------------------------------------------------------

def service_for_cluster_ip(client: Client, ip: str, port: int) -> tuple[dict, dict] | None | str:
    """(Service, its port) for ClusterIP:port; "noport" when the IP is a Service's but not the port."""
    for svc in client.list_view("services"):
        spec = svc.get("spec", {})
        if ip in (spec.get("clusterIPs") or [spec.get("clusterIP")]):
            for svc_port in spec.get("ports") or []:
                if int(svc_port.get("port", 0)) == port and svc_port.get("protocol", "TCP") == "TCP":
                    return svc, svc_port
            return "noport"
    return None


def service_for_node_port(client: Client, port: int) -> tuple[dict, dict] | None:
    for svc in client.list_view("services"):
        for svc_port in svc.get("spec", {}).get("ports") or []:
            if int(svc_port.get("nodePort") or 0) == port and svc_port.get("protocol", "TCP") == "TCP":
                return svc, svc_port
    return None


def service_for_load_balancer_ip(client: Client, ip: str, port: int) -> tuple[dict, dict] | None:
    for svc in client.list_view("services"):
        ingress = (svc.get("status", {}).get("loadBalancer") or {}).get("ingress") or []
        if any(entry.get("ip") == ip for entry in ingress) or ip in (svc.get("spec", {}).get("externalIPs") or []):
            for svc_port in svc.get("spec", {}).get("ports") or []:
                if int(svc_port.get("port", 0)) == port:
                    return svc, svc_port
    return None


def endpoints_for(client: Client, svc: dict, svc_port: dict) -> list[Endpoint]:
    """Every endpoint of the Service port, from its EndpointSlices, in slice order."""
    found: list[Endpoint] = []
    port_name = svc_port.get("name", "") or ""
    ns, name = objects.namespace(svc), objects.name(svc)
    for slice_ in client.list_view("endpointslices", ns, label_selector=f"kubernetes.io/service-name={name}"):
        number = None
        for port in slice_.get("ports") or []:
            if (port.get("name") or "") == port_name and port.get("protocol", "TCP") == svc_port.get("protocol", "TCP"):
                number = port.get("port")
        if number is None:
            continue
        for endpoint in slice_.get("endpoints") or []:
            conditions = endpoint.get("conditions") or {}
            ref = endpoint.get("targetRef") or {}
            for address in endpoint.get("addresses") or []:
                found.append(Endpoint(address, int(number), endpoint.get("nodeName"), ref.get("name"),
                                      ref.get("namespace"), conditions.get("ready") is not False,
                                      conditions.get("serving") is not False,
                                      bool(conditions.get("terminating"))))
    return found


def usable_endpoints(endpoints: list[Endpoint]) -> list[Endpoint]:
    """Ready endpoints; when none is ready, the terminating ones still serving (KEP-1669)."""
    ready = [e for e in endpoints if e.ready]
    if ready:
        return ready
    return [e for e in endpoints if e.serving and e.terminating]


# --- the decision -------------------------------------------------------------------------------------

def pick_endpoint(client: Client, state: NetworkState, svc: dict, svc_port: dict, *, source_ip: str,
                  node: str | None, external: bool) -> Pick:
    """Route one new connection to the Service port, as the proxy on ``node`` would.

    ``external``: the packet came in on a NodePort or LoadBalancer address
    (externalTrafficPolicy applies); otherwise it is cluster traffic
    (internalTrafficPolicy applies).
    """
    spec = svc.get("spec", {})
    all_endpoints = usable_endpoints(endpoints_for(client, svc, svc_port))
    if not all_endpoints:
        return Pick(None, "refused", "no endpoints")
    policy = spec.get("externalTrafficPolicy" if external else "internalTrafficPolicy", "Cluster")
    candidates = all_endpoints
    if policy == "Local":
        candidates = [e for e in all_endpoints if e.node == node]
        if not candidates:
            return Pick(None, "dropped", f"{'external' if external else 'internal'}TrafficPolicy=Local and no "
                                         f"endpoint on {node}")
    now = client.clock.now()
    key = (objects.namespace(svc), objects.name(svc), svc_port.get("name", "") or "", source_ip)
    if spec.get("sessionAffinity") == "ClientIP":
        remembered = state.affinity.get(key)
        if remembered is not None and remembered[2] > now:
            for endpoint in candidates:
                if (endpoint.ip, endpoint.port) == remembered[:2]:
                    timeout = (spec.get("sessionAffinityConfig") or {}).get("clientIP", {}).get("timeoutSeconds",
                                                                                                10800)
                    state.affinity[key] = (endpoint.ip, endpoint.port, now + float(timeout))
                    return Pick(endpoint, "ok", "sessionAffinity ClientIP")
    chosen = candidates[client.rand.randint(0, len(candidates) - 1)] if len(candidates) > 1 else candidates[0]
    if spec.get("sessionAffinity") == "ClientIP":
        timeout = (spec.get("sessionAffinityConfig") or {}).get("clientIP", {}).get("timeoutSeconds", 10800)
        state.affinity[key] = (chosen.ip, chosen.port, now + float(timeout))
    return Pick(chosen, "ok")
