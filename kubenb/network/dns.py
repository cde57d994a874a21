"""Cluster DNS as CoreDNS's kubernetes plugin answers it, plus the Pod-side resolver and ``nslookup``.

Mirrors coredns plugin/kubernetes (and the records listed in kubernetes/website
``dns-pod-service.md``):

- ``<svc>.<ns>.svc.cluster.local``: A record of the ClusterIP; headless
  Services answer the IPs of their ready endpoints; ExternalName Services a
  CNAME to ``spec.externalName``;
- ``<hostname>.<svc>.<ns>.svc.cluster.local``: an endpoint that has a hostname
  (StatefulSet Pods under their governing headless Service: ``web-0.nginx``);
- ``<a-b-c-d>.<ns>.pod.cluster.local``: ``pods insecure`` answers any well-formed
  address;
- anything else: NXDOMAIN (kubenb has no Internet upstream).

The resolver side follows the kubelet's resolv.conf for ``dnsPolicy:
ClusterFirst`` (nameserver 10.96.0.10, search ``<ns>.svc.cluster.local
svc.cluster.local cluster.local``, ``ndots:5``). Left out: SRV and PTR records,
AAAA, stub domains, ``dnsConfig`` overrides.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from kubenb.api import Client, objects

CLUSTER_DOMAIN = "cluster.local"
DNS_SERVICE_IP = "10.96.0.10"
NDOTS = 5


@dataclass(frozen=True)
class Answer:
    name: str  # the fully qualified name that answered
    addresses: tuple[str, ...] = ()
    cname: str | None = None
    tried: tuple[str, ...] = field(default=())  # names that got NXDOMAIN before this one


def search_path(namespace: str) -> list[str]:
    return [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]


def resolv_conf(namespace: str) -> str:
    """/etc/resolv.conf as the kubelet writes it for a ClusterFirst Pod."""
    return (f"search {' '.join(search_path(namespace))}\nnameserver {DNS_SERVICE_IP}\n"
            f"options ndots:{NDOTS}\n")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def service_endpoint_ips(client: Client, svc: dict, *, hostname: str | None = None) -> list[str]:
    """Ready endpoint addresses of a Service from its EndpointSlices (CoreDNS reads slices)."""
    found: list[str] = []
    ns, name = objects.namespace(svc), objects.name(svc)
    publish = bool(svc.get("spec", {}).get("publishNotReadyAddresses"))
    for slice_ in client.list_view("endpointslices", ns, label_selector=f"kubernetes.io/service-name={name}"):
        for endpoint in slice_.get("endpoints") or []:
            if hostname is not None and endpoint.get("hostname") != hostname:
                continue
            if not publish and not (endpoint.get("conditions") or {}).get("ready", True):
                continue
            for address in endpoint.get("addresses") or []:
                if address not in found:
                    found.append(address)
    return found


def resolve_fqdn(client: Client, fqdn: str) -> Answer | None:
    """One absolute name, as CoreDNS answers it; None is NXDOMAIN (or no records)."""
    name = fqdn.rstrip(".").lower()
    if _is_ip(name):
        return Answer(name, (name,))
    svc_suffix = f".svc.{CLUSTER_DOMAIN}"
    pod_suffix = f".pod.{CLUSTER_DOMAIN}"
    if name.endswith(svc_suffix):
        labels = name[: -len(svc_suffix)].split(".")
        if len(labels) == 2:
            svc_name, ns = labels
            svc = client.store.get("services", ns, svc_name)
            if svc is None:
                return None
            spec = svc.get("spec", {})
            if spec.get("type") == "ExternalName":
                target = str(spec.get("externalName", "")).rstrip(".")
                inner = resolve_fqdn(client, target) if target.endswith(CLUSTER_DOMAIN) else None
                return Answer(name, inner.addresses if inner else (), cname=target)
            if spec.get("clusterIP") == "None":
                ips = service_endpoint_ips(client, svc)
                return Answer(name, tuple(ips)) if ips else None
            return Answer(name, (spec["clusterIP"],)) if spec.get("clusterIP") else None
        if len(labels) == 3:
            host, svc_name, ns = labels
            svc = client.store.get("services", ns, svc_name)
            if svc is None:
                return None
            ips = service_endpoint_ips(client, svc, hostname=host)
            return Answer(name, tuple(ips)) if ips else None
        return None
    if name.endswith(pod_suffix):
        labels = name[: -len(pod_suffix)].split(".")
        if len(labels) == 2:
            dashed, ns = labels
            ip = dashed.replace("-", ".")
            if _is_ip(ip) and client.store.get("namespaces", None, ns) is not None:
                return Answer(name, (ip,))
        return None
    return None


def resolve(client: Client, name: str, namespace: str | None = None) -> Answer | None:
    """Resolve as a Pod's libc does: search domains first when the name has fewer than ndots dots."""
    name = name.strip()
    if not name:
        return None
    if _is_ip(name):
        return Answer(name, (name,))
    absolute = name.endswith(".")
    candidates: list[str] = []
    if namespace is not None and not absolute:
        expanded = [f"{name}.{domain}" for domain in search_path(namespace)]
        candidates = expanded + [name] if name.count(".") < NDOTS else [name] + expanded
    else:
        candidates = [name.rstrip(".")]
    tried: list[str] = []
    for candidate in candidates:
        answer = resolve_fqdn(client, candidate)
        if answer is not None:
            return Answer(answer.name, answer.addresses, answer.cname, tuple(tried))
        tried.append(candidate)
    return None


def nslookup(client: Client, pod: dict, argv: list[str]) -> tuple[str, str, int]:
    """busybox ``nslookup NAME [SERVER]`` run in ``pod``: (stdout, stderr, exit code)."""
    args = [a for a in argv[1:] if not a.startswith("-")]
    if not args:
        return "", ("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                    "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
                    "Query DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n"), 1
    name = args[0]
    server = args[1] if len(args) > 1 else DNS_SERVICE_IP
    header = f"Server:\t\t{server}\nAddress:\t{server}:53\n\n"
    if server != DNS_SERVICE_IP:
        return header, ";; connection timed out; no servers could be reached\n\n", 1
    answer = resolve(client, name, objects.namespace(pod))
    if answer is None:
        return header + f"** server can't find {name}: NXDOMAIN\n\n", "", 1
    lines = []
    if answer.cname:
        lines.append(f"{answer.name}\tcanonical name = {answer.cname}\n")
    for address in answer.addresses:
        lines.append(f"Name:\t{answer.cname or answer.name}\nAddress: {address}\n")
    return header + "".join(lines) + "\n", "", 0
