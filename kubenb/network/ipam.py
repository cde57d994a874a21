"""Service address allocation: ClusterIPs, NodePorts and the Service fields the REST layer fills.

Mirrors kube-apiserver pkg/registry/core/service (storage/alloc.go:
allocClusterIPs, initNodePorts, patchAllocatedValues), the bitmap allocators
of pkg/registry/core/service/ipallocator and portallocator (a random free
value, first from the upper "dynamic" band, KEP-3070), and SetDefaults_Service.
Allocation happens at create time as an admission plugin so ``kubectl create
service nodeport`` prints its port at once. LoadBalancer addresses are the
cloud controller's (network/cloud.py).

What is allocated is read back from the Services in the store, so deleting a
Service releases its addresses with no bookkeeping, and a dry run allocates
without keeping anything. Left out: dual-stack allocation (the cluster is
single-stack IPv4, as a default kind cluster), the repair loops, and
``--service-node-port-range`` changes.
"""

from __future__ import annotations

import ipaddress

from kubenb.api import Client, errors
from kubenb.api.resources import ResourceType

# kind's default networking.serviceSubnet, passed to kube-apiserver as --service-cluster-ip-range
# (kubeadm alone would use 10.96.0.0/12; kind narrows it to a /16).
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/16")
NODE_PORT_MIN, NODE_PORT_MAX = 30000, 32767
NODE_PORT_RANGE = f"{NODE_PORT_MIN}-{NODE_PORT_MAX}"
NODE_PORT_SIZE = NODE_PORT_MAX - NODE_PORT_MIN + 1


def _static_band(size: int, *, minimum: int, maximum: int, divisor: int) -> int:
    """KEP-3070: the lower band kept for static values, min(max(minimum, size/divisor), maximum)."""
    return min(max(minimum, size // divisor), maximum)


# ipallocator: 16 <= size/16 <= 256; portallocator: 16 <= size/32 <= 128.
IP_STATIC_BAND = _static_band(SERVICE_CIDR.num_addresses - 2, minimum=16, maximum=256, divisor=16)
PORT_STATIC_BAND = _static_band(NODE_PORT_SIZE, minimum=16, maximum=128, divisor=32)


def _go_string_slice(values: list[str]) -> object:
    """field.Error prints a []string value as Go's %#v: []string{"10.0.0.5"}."""
    return _Raw("[]string{" + ", ".join(f'"{v}"' for v in values) + "}")


class _Raw:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type", "ClusterIP") != "ExternalName" and spec.get("clusterIP") != "None"


def needs_node_ports(spec: dict) -> bool:
    kind = spec.get("type", "ClusterIP")
    if kind == "NodePort":
        return True
    return kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False


# --- what is taken -------------------------------------------------------------------------------------

def used_cluster_ips(client: Client, skip: tuple[str | None, str] | None = None) -> set[str]:
    used: set[str] = set()
    for svc in client.list_view("services"):
        md = svc["metadata"]
        if skip is not None and (md.get("namespace"), md.get("name")) == skip:
            continue
        for ip in svc.get("spec", {}).get("clusterIPs") or [svc.get("spec", {}).get("clusterIP")]:
            if ip and ip != "None":
                used.add(ip)
    return used


def used_node_ports(client: Client, skip: tuple[str | None, str] | None = None) -> set[int]:
    used: set[int] = set()
    for svc in client.list_view("services"):
        md = svc["metadata"]
        if skip is not None and (md.get("namespace"), md.get("name")) == skip:
            continue
        spec = svc.get("spec", {})
        for port in spec.get("ports") or []:
            if port.get("nodePort"):
                used.add(int(port["nodePort"]))
        if spec.get("healthCheckNodePort"):
            used.add(int(spec["healthCheckNodePort"]))
    return used


# --- allocators ---------------------------------------------------------------------------------------

def allocate_cluster_ip(client: Client, used: set[str]) -> str:
    """A random free address, upper band first, then the static band (ipallocator AllocateNext)."""
    first = int(SERVICE_CIDR.network_address) + 1
    size = SERVICE_CIDR.num_addresses - 2  # no network, no broadcast address
    for low, high in ((IP_STATIC_BAND, size - 1), (0, IP_STATIC_BAND - 1)):
        span = high - low + 1
        start = client.rand.randint(0, span - 1)
        for step in range(span):
            candidate = str(ipaddress.ip_address(first + low + (start + step) % span))
            if candidate not in used:
                return candidate
    raise errors.internal("failed to allocate a serviceIP: range is full")


def allocate_node_port(client: Client, used: set[int]) -> int:
    for low, high in ((PORT_STATIC_BAND, NODE_PORT_SIZE - 1), (0, PORT_STATIC_BAND - 1)):
        span = high - low + 1
        start = client.rand.randint(0, span - 1)
        for step in range(span):
            candidate = NODE_PORT_MIN + low + (start + step) % span
            if candidate not in used:
                return candidate
    raise errors.internal("failed to allocate a nodePort: range is full")


# --- defaults the REST layer and SetDefaults_Service fill ------------------------------------------------

def set_service_defaults(spec: dict) -> None:
    kind = spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if spec["sessionAffinity"] == "ClientIP":
        config = spec.setdefault("sessionAffinityConfig", {}).setdefault("clientIP", {})
        config.setdefault("timeoutSeconds", 10800)
    for port in spec.get("ports") or []:
        port.setdefault("protocol", "TCP")
        if "targetPort" not in port or port["targetPort"] in (0, ""):
            port["targetPort"] = port.get("port")
    if kind != "ExternalName":
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if kind in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)


def _family_errors(spec: dict) -> list[errors.FieldError]:
    """A single-stack IPv4 cluster: what the registry refuses (alloc.go initIPFamilyFields)."""
    problems: list[errors.FieldError] = []
    policy = spec.get("ipFamilyPolicy")
    if policy == "RequireDualStack":
        problems.append(errors.invalid("spec.ipFamilyPolicy", "RequireDualStack",
                                       "this cluster is not configured for dual-stack services"))
    for index, family in enumerate(spec.get("ipFamilies") or []):
        if family == "IPv6":
            problems.append(errors.invalid(f"spec.ipFamilies[{index}]", "IPv6", "not configured on this cluster"))
    return problems


def _set_family_fields(spec: dict) -> None:
    if spec.get("type") == "ExternalName":
        return
    # PreferDualStack on a single-stack cluster keeps the policy and gets one family.
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec["ipFamilies"] = ["IPv4"]


def _ip_error(value: list[str], ip: str, detail: str) -> errors.FieldError:
    return errors.invalid("spec.clusterIPs", _go_string_slice(value), f"failed to allocate IP {ip}: {detail}")


# --- the admission plugin -----------------------------------------------------------------------------

def service_allocation_plugin(operation: str, rtype: ResourceType, obj: dict, old: dict | None,
                              client: object) -> None:
    """Fill clusterIP(s), ipFamilies and nodePorts on Service create and update (raises Invalid)."""
    if rtype.kind != "Service" or not isinstance(client, Client):
        return
    spec = obj.setdefault("spec", {})
    if operation == "CREATE":
        allocate_for_create(client, obj)
    elif operation == "UPDATE" and old is not None:
        allocate_for_update(client, obj, old)
    del spec  # obj was changed in place


def _raise(obj: dict, causes: list[errors.FieldError]) -> None:
    if causes:
        raise errors.invalid_object("Service", obj["metadata"].get("name", ""), causes)


def allocate_for_create(client: Client, obj: dict) -> None:
    spec = obj["spec"]
    set_service_defaults(spec)
    _raise(obj, _family_errors(spec))
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    if spec.get("clusterIPs") and not spec.get("clusterIP"):
        spec["clusterIP"] = spec["clusterIPs"][0]
    if spec["type"] == "ExternalName":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    elif spec.get("clusterIP") == "None":
        spec["clusterIPs"] = ["None"]
        _set_family_fields(spec)
    else:
        wanted = spec.get("clusterIP")
        if wanted:
            try:
                address = ipaddress.ip_address(wanted)
            except ValueError:
                address = None
            if address is None or address not in SERVICE_CIDR:
                _raise(obj, [_ip_error(spec["clusterIPs"], wanted, f"the provided IP ({wanted}) is not in the "
                                       f"valid range. The range of valid IPs is {SERVICE_CIDR}")])
            if wanted in used_cluster_ips(client):
                _raise(obj, [_ip_error(spec["clusterIPs"], wanted, "provided IP is already allocated")])
        else:
            ip = allocate_cluster_ip(client, used_cluster_ips(client))
            spec["clusterIP"] = ip
            spec["clusterIPs"] = [ip]
        _set_family_fields(spec)
    init_node_ports(client, obj, None)


def init_node_ports(client: Client, obj: dict, old: dict | None) -> None:
    """initNodePorts: validate given ports, then fill the missing ones (same port number → same nodePort)."""
    spec = obj["spec"]
    ports = spec.get("ports") or []
    if not needs_node_ports(spec):
        if spec.get("type") in ("ClusterIP", "ExternalName"):
            for port in ports:
                port.pop("nodePort", None)
        return
    md = obj["metadata"]
    used = used_node_ports(client, skip=(md.get("namespace"), md.get("name")))
    mine = {int(p["nodePort"]) for p in (old or {}).get("spec", {}).get("ports") or [] if p.get("nodePort")}
    causes: list[errors.FieldError] = []
    taken_here: dict[int, int] = {}  # nodePort -> service port that took it in this object
    for index, port in enumerate(ports):
        node_port = port.get("nodePort")
        if not node_port:
            continue
        path = f"spec.ports[{index}].nodePort"
        if not NODE_PORT_MIN <= int(node_port) <= NODE_PORT_MAX:
            causes.append(errors.invalid(path, int(node_port), "provided port is not in the valid range. "
                                         f"The range of valid ports is {NODE_PORT_RANGE}"))
        elif (int(node_port) in used and int(node_port) not in mine) or (
                int(node_port) in taken_here and taken_here[int(node_port)] != port.get("port")):
            causes.append(errors.invalid(path, int(node_port), "provided port is already allocated"))
        taken_here[int(node_port)] = port.get("port")
    _raise(obj, causes)
    used |= set(taken_here)
    by_port: dict[int, int] = {}
    for port in ports:
        if port.get("nodePort"):
            by_port.setdefault(port.get("port"), int(port["nodePort"]))
    for port in ports:
        if port.get("nodePort"):
            continue
        if port.get("port") in by_port:
            port["nodePort"] = by_port[port.get("port")]
            continue
        value = allocate_node_port(client, used)
        used.add(value)
        by_port[port.get("port")] = value
        port["nodePort"] = value


def allocate_for_update(client: Client, obj: dict, old: dict) -> None:
    """patchAllocatedValues: an update that omits allocated values keeps them; type changes allocate/release."""
    spec = obj["spec"]
    old_spec = old.get("spec", {})
    set_service_defaults(spec)
    _raise(obj, _family_errors(spec))
    if spec["type"] == "ExternalName":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
        spec.pop("ipFamilies", None)
        spec.pop("ipFamilyPolicy", None)
    else:
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
            spec["clusterIPs"] = list(old_spec.get("clusterIPs") or [old_spec["clusterIP"]])
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
        if old_spec.get("clusterIP") and spec.get("clusterIP") != old_spec.get("clusterIP"):
            _raise(obj, [errors.invalid("spec.clusterIPs[0]", spec.get("clusterIP", ""),
                                        "may not change once set")])
        if not spec.get("clusterIP"):  # ExternalName -> ClusterIP
            ip = allocate_cluster_ip(client, used_cluster_ips(client))
            spec["clusterIP"] = ip
            spec["clusterIPs"] = [ip]
        if spec.get("clusterIP") == "None":
            spec["clusterIPs"] = ["None"]
        spec.setdefault("ipFamilyPolicy", old_spec.get("ipFamilyPolicy", "SingleStack"))
        _set_family_fields(spec)
    if needs_node_ports(spec):
        # Ports the update left without a nodePort keep the one they had (matched by port and protocol).
        before = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                  for p in old_spec.get("ports") or [] if p.get("nodePort")}
        for port in spec.get("ports") or []:
            if not port.get("nodePort") and (port.get("port"), port.get("protocol", "TCP")) in before:
                port["nodePort"] = before[(port.get("port"), port.get("protocol", "TCP"))]
    init_node_ports(client, obj, old)


def install(client: Client) -> None:
    client.add_admission_plugin(service_allocation_plugin)
