"""Cluster state -> a picture, as DOT text: what kubenb draws for ``%kubenb graph TARGET``.

Targets: ``deployment/NAME`` (Deployment -> ReplicaSets -> Pods -> containers),
``service/NAME`` (the route a request takes, by Service type), ``ingress/NAME``
(client -> ingress controller -> rules -> Services -> Pods), ``namespace/NAME``
and ``cluster`` (control plane and nodes with their Pods). Short names work as
in kubectl (deploy, svc, ing, ns).

Everything is read through an ``api.Client``; nothing here knows the cluster
object. Pod labels repeat the STATUS column of ``kubectl get pods`` (the
reason logic of printPod in kubectl's ``pkg/printers/internalversion/printers.go``),
because a picture that disagrees with ``get pods`` would teach the wrong thing.
Left out: ownership by StatefulSets, DaemonSets and Jobs (their Pods are drawn
under their node or namespace, without the owner chain).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kubenb.api import errors, objects, podstatus
from kubenb.api.client import Client
from kubenb.sim.clock import format_rfc3339
from kubenb.viz import styles, words


class GraphError(ValueError):
    """A target that cannot be drawn (unknown kind, missing object); the message is for the student."""


@dataclass
class Node:
    id: str
    kind: str
    lines: list[str]
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Edge:
    tail: str
    head: str
    label: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Group:
    """A DOT subgraph cluster: a box drawn around some nodes (a node, the endpoints, the control plane)."""

    id: str
    label: str
    members: list[str] = field(default_factory=list)
    style: str = "rounded"


@dataclass
class Graph:
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    rankdir: str = "LR"
    lang: str = "en"  # kubenb's own words on the picture (viz.words); Kubernetes' words stay as they are

    def add(self, node: Node) -> str:
        if all(n.id != node.id for n in self.nodes):
            self.nodes.append(node)
        return node.id

    def link(self, tail: str, head: str, label: str = "", **attrs: str) -> None:
        edge = Edge(tail, head, label, dict(attrs))
        if all((e.tail, e.head, e.label) != (tail, head, label) for e in self.edges):
            self.edges.append(edge)

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def to_dot(self) -> str:
        def say(text: str) -> str:
            return words.translate(text, self.lang)

        title = say(self.title)
        out = [f"digraph {_quote(title)} {{",
               f"  graph [rankdir={self.rankdir}, fontname={_quote(styles.FONT)}, fontsize=11, "
               f"labelloc=t, label={_quote(title)}, nodesep=0.25, ranksep=0.5];",
               f"  node [fontname={_quote(styles.FONT)}, fontsize=10];",
               f"  edge [fontname={_quote(styles.FONT)}, fontsize=9, color=\"#555555\"];"]
        grouped = {m for g in self.groups for m in g.members}
        for group in self.groups:
            out.append(f"  subgraph {_quote('cluster_' + group.id)} {{")
            out.append(f"    label={_quote(say(group.label))}; style={_quote(group.style)}; color=\"#999999\";")
            for member in group.members:
                node = self.node(member)
                if node is not None:
                    out.append("    " + _node_line(node, say))
            out.append("  }")
        for node in self.nodes:
            if node.id not in grouped:
                out.append("  " + _node_line(node, say))
        for edge in self.edges:
            attrs = dict(edge.attrs)
            if edge.label:
                attrs["label"] = say(edge.label)
            out.append(f"  {_quote(edge.tail)} -> {_quote(edge.head)}{_attr_list(attrs)};")
        out.append("}")
        return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attr_list(attrs: dict[str, str]) -> str:
    if not attrs:
        return ""
    return " [" + ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items()) + "]"


def _node_line(node: Node, say: Callable[[str], str]) -> str:
    attrs = styles.node_attrs(node.kind, **node.attrs)
    attrs["label"] = "\n".join(say(line) for line in node.lines)
    attrs["tooltip"] = node.id
    return f"{_quote(node.id)}{_attr_list(attrs)};"


# --- Pod status, as `kubectl get pods` prints it -----------------------------------------------------


@dataclass(frozen=True)
class PodSummary:
    status: str
    ready: int
    total: int
    restarts: int

    @property
    def is_ready(self) -> bool:
        return self.total > 0 and self.ready == self.total


def pod_summary(pod: dict) -> PodSummary:
    """The STATUS, READY and RESTARTS columns of ``kubectl get pods`` (printPod, in api.podstatus)."""
    summary = podstatus.summarize(pod)
    return PodSummary(summary.reason, summary.ready, summary.total, summary.restarts)


def pod_is_endpoint_ready(pod: dict) -> bool:
    """A Pod the EndpointSlice controller lists as ready: Ready condition true and not terminating."""
    return podstatus.is_pod_ready(pod) and not objects.is_being_deleted(pod)


# --- builders ---------------------------------------------------------------------------------------------

KIND_ALIASES = {
    "deployment": "deployment", "deployments": "deployment", "deploy": "deployment",
    "deployment.apps": "deployment",
    "service": "service", "services": "service", "svc": "service",
    "ingress": "ingress", "ingresses": "ingress", "ing": "ingress", "ingress.networking.k8s.io": "ingress",
    "namespace": "namespace", "namespaces": "namespace", "ns": "namespace",
}


def parse_target(target: str) -> tuple[str, str]:
    """"deploy/web" -> ("deployment", "web"); "cluster" -> ("cluster", "")."""
    text = target.strip()
    if text in ("cluster", ""):
        return "cluster", ""
    kind, sep, name = text.partition("/")
    canonical = KIND_ALIASES.get(kind.lower())
    if canonical is None or not sep or not name:
        raise GraphError(f"kubenb: cannot draw {text!r}: use cluster, deployment/NAME, service/NAME, "
                         "ingress/NAME or namespace/NAME")
    return canonical, name


def build(client: Client, target: str, namespace: str = "default", lang: str = "en") -> Graph:
    """The picture of ``target`` as a Graph (call ``.to_dot()`` for DOT text); ``lang`` is the language of
    kubenb's own words on it (``en`` or ``ja``)."""
    kind, name = parse_target(target)
    when = format_rfc3339(client.clock.now())
    if kind == "cluster":
        graph = Graph(f"cluster at {when}", rankdir="TB", lang=lang)
        _cluster(graph, client)
        return graph
    title_ns = "" if kind == "namespace" else f" -n {namespace}"
    graph = Graph(f"{kind}/{name}{title_ns} at {when}", lang=lang)
    try:
        if kind == "deployment":
            _deployment(graph, client, client.get("deployments", name, namespace))
        elif kind == "service":
            _service(graph, client, client.get("services", name, namespace))
        elif kind == "ingress":
            _ingress(graph, client, client.get("ingresses", name, namespace))
        else:
            client.get("namespaces", name)
            _namespace(graph, client, name)
    except errors.StatusError as error:
        if error.status.get("reason") == "NotFound":
            where = "" if kind == "namespace" else f' in namespace "{namespace}"'
            raise GraphError(f'kubenb: {kind} "{name}" not found{where}') from None
        raise
    return graph


def to_dot(client: Client, target: str, namespace: str = "default", lang: str = "en") -> str:
    return build(client, target, namespace, lang).to_dot()


def _pod_node(graph: Graph, pod: dict, *, qualified: bool = False) -> str:
    md = pod["metadata"]
    summary = pod_summary(pod)
    fill, border = styles.pod_colours(summary.status, summary.is_ready)
    status = pod.get("status") or {}
    spec = pod.get("spec") or {}
    lines = [f"Pod {md['name']}", f"{summary.status}  {summary.ready}/{summary.total}"]
    lines.append(f"node: {spec.get('nodeName') or '<none>'}")
    lines.append(f"IP: {status.get('podIP') or '<none>'}")
    lines.append(f"restarts: {summary.restarts}")
    attrs = {"fillcolor": fill, "color": border}
    if objects.is_being_deleted(pod):
        attrs["style"] = "rounded,filled,dashed"
    node_id = f"Pod/{md.get('namespace')}/{md['name']}" if qualified else f"Pod/{md['name']}"
    return graph.add(Node(node_id, "Pod", lines, attrs))


def _owned_by(items: Iterable[dict], owner: dict) -> list[dict]:
    uid = objects.uid(owner)
    return [o for o in items if (objects.controller_ref(o) or {}).get("uid") == uid]


def _revision(obj: dict) -> str:
    return objects.annotations(obj).get("deployment.kubernetes.io/revision", "?")


def _deployment(graph: Graph, client: Client, deployment: dict, *, containers: bool = True) -> str:
    ns = objects.namespace(deployment)
    spec = deployment.get("spec") or {}
    status = deployment.get("status") or {}
    desired = spec.get("replicas", 1)
    dep_id = graph.add(Node(f"Deployment/{objects.name(deployment)}", "Deployment", [
        f"Deployment {objects.name(deployment)}",
        f"ready {status.get('readyReplicas', 0)}/{desired}  up-to-date {status.get('updatedReplicas', 0)}",
        f"strategy {(spec.get('strategy') or {}).get('type', 'RollingUpdate')}",
    ]))
    replica_sets = _owned_by(client.list_view("replicasets", ns), deployment)
    replica_sets.sort(key=lambda rs: (_revision_number(rs), objects.name(rs)))
    newest = replica_sets[-1] if replica_sets else None
    pods = client.list_view("pods", ns)
    for rs in replica_sets:
        rs_spec = rs.get("spec") or {}
        rs_status = rs.get("status") or {}
        # Old ReplicaSets scaled to zero are history (`rollout history`); draw only live ones.
        if rs is not newest and not rs_spec.get("replicas") and not rs_status.get("replicas"):
            continue
        rs_id = graph.add(Node(f"ReplicaSet/{objects.name(rs)}", "ReplicaSet", [
            f"ReplicaSet {objects.name(rs)}",
            f"revision {_revision(rs)}",
            f"desired {rs_spec.get('replicas', 0)} / ready {rs_status.get('readyReplicas', 0)}",
        ], {} if rs is newest else {"style": "rounded,filled,dashed"}))
        graph.link(dep_id, rs_id)
        for pod in _owned_by(pods, rs):
            pod_id = _pod_node(graph, pod)
            graph.link(rs_id, pod_id)
            if containers:
                for container in (pod.get("spec") or {}).get("containers") or []:
                    c_id = graph.add(Node(f"{pod_id}/container/{container.get('name')}", "Container",
                                          [container.get("name", ""), container.get("image", "")]))
                    graph.link(pod_id, c_id, arrowhead="none", style="dotted")
    return dep_id


def _revision_number(rs: dict) -> int:
    try:
        return int(_revision(rs))
    except ValueError:
        return 0


def _selected_pods(client: Client, service: dict) -> list[dict]:
    selector = (service.get("spec") or {}).get("selector") or {}
    if not selector:
        return []
    return [p for p in client.list_view("pods", objects.namespace(service))
            if all(objects.labels(p).get(k) == v for k, v in selector.items())]


def _ports_text(service: dict, field_name: str = "port") -> str:
    ports = (service.get("spec") or {}).get("ports") or []
    return ",".join(str(p.get(field_name, "")) for p in ports if p.get(field_name) is not None) or "<none>"


def _target_ports(service: dict) -> str:
    ports = (service.get("spec") or {}).get("ports") or []
    return ",".join(str(p.get("targetPort", p.get("port", ""))) for p in ports) or "<none>"


def _service_backends(graph: Graph, client: Client, service: dict, entry: str) -> None:
    """Ready Pods inside an "endpoints" box, linked from ``entry``; unready Pods outside it, unlinked."""
    name = objects.name(service)
    pods = _selected_pods(client, service)
    endpoints = Group(f"endpoints_{name}", f"endpoints of {name}")
    target = _target_ports(service)
    for pod in pods:
        pod_id = _pod_node(graph, pod)
        if pod_is_endpoint_ready(pod) and (pod.get("status") or {}).get("podIP"):
            endpoints.members.append(pod_id)
            graph.link(entry, pod_id, f":{target}")
    if endpoints.members:
        graph.groups.append(endpoints)
    elif not (service.get("spec") or {}).get("selector"):
        graph.add(Node(f"{name}/no-selector", "Address",
                       ["no selector: endpoints are managed by hand"]))
        graph.link(entry, f"{name}/no-selector", style="dashed")
    else:
        graph.add(Node(f"{name}/no-endpoints", "Warning", ["no ready endpoints:", "requests are refused"]))
        graph.link(entry, f"{name}/no-endpoints", style="dashed")


def _service(graph: Graph, client: Client, service: dict) -> str:
    spec = service.get("spec") or {}
    name = objects.name(service)
    ns = objects.namespace(service)
    type_ = spec.get("type") or "ClusterIP"
    svc_id = f"Service/{name}"
    cluster_ip = spec.get("clusterIP") or "<none>"
    if type_ == "ExternalName":
        graph.add(Node(svc_id, "Service", [f"Service {name}", "type ExternalName",
                                           f"{name}.{ns}.svc.cluster.local"]))
        cname = graph.add(Node(f"CNAME/{spec.get('externalName', '')}", "Address",
                               [f"CNAME {spec.get('externalName', '')}"]))
        graph.link(svc_id, cname, "DNS answers")
        return svc_id
    graph.add(Node(svc_id, "Service", [f"Service {name}", f"type {type_}", f"ClusterIP {cluster_ip}",
                                       f"ports {_ports_text(service)}"]))
    if type_ == "ClusterIP":
        client_id = graph.add(Node("client/in-cluster", "Client", ["client Pod", "(inside the cluster)"]))
        label = f"{name}.{ns}.svc:{_ports_text(service)}" if cluster_ip != "None" else "DNS: Pod IPs"
        graph.link(client_id, svc_id, label)
        _service_backends(graph, client, service, svc_id)
        return svc_id
    node_ports = _ports_text(service, "nodePort")
    node_list = client.list_view("nodes")
    if type_ == "LoadBalancer":
        client_id = graph.add(Node("client/internet", "Client", ["client", "(outside the cluster)"]))
        ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        external = ",".join(i.get("ip") or i.get("hostname", "") for i in ingress) or "<pending>"
        lb_id = graph.add(Node(f"LoadBalancer/{name}", "Address", [f"external IP {external}",
                                                                    f"ports {_ports_text(service)}"]))
        graph.link(client_id, lb_id)
        entry = lb_id
    else:
        client_id = graph.add(Node("client/outside", "Client", ["client", "(outside the cluster)"]))
        entry = client_id
    for node in node_list:
        if "node.kubernetes.io/exclude-from-external-load-balancers" in objects.labels(node) \
                and type_ == "LoadBalancer":
            continue
        address = next((a.get("address") for a in (node.get("status") or {}).get("addresses") or []
                        if a.get("type") == "InternalIP"), objects.name(node))
        np_id = graph.add(Node(f"NodePort/{objects.name(node)}", "Node",
                               [objects.name(node), f"{address}:{node_ports}"]))
        graph.link(entry, np_id)
        graph.link(np_id, svc_id, "kube-proxy")
    _service_backends(graph, client, service, svc_id)
    return svc_id


def _ingress_controller_running(client: Client) -> bool:
    for pod in client.list_view("pods"):
        labels = objects.labels(pod)
        if labels.get("app.kubernetes.io/name") == "ingress-nginx" or \
                objects.name(pod).startswith("ingress-nginx-controller"):
            if pod_summary(pod).status == "Running":
                return True
    return False


def _ingress(graph: Graph, client: Client, ingress: dict) -> str:
    name = objects.name(ingress)
    ns = objects.namespace(ingress)
    spec = ingress.get("spec") or {}
    client_id = graph.add(Node("client/outside", "Client", ["client", "(outside the cluster)"]))
    ing_id = graph.add(Node(f"Ingress/{name}", "Ingress", [
        f"Ingress {name}", f"class {spec.get('ingressClassName') or '<none>'}"]))
    if _ingress_controller_running(client):
        ctl = graph.add(Node("ingress-controller", "Component", ["ingress controller", "ingress-nginx"]))
        graph.link(client_id, ctl, "HTTP")
        graph.link(ctl, ing_id, "reads rules")
    else:
        warn = graph.add(Node("no-ingress-controller", "Warning", [
            "kubenb: no ingress controller is running:", "these rules are not served"]))
        graph.link(client_id, warn, style="dashed")
        graph.link(warn, ing_id, style="dashed")

    def backend(rule_id: str, svc_backend: dict | None) -> None:
        if not svc_backend:
            return
        svc_name = svc_backend.get("name", "")
        port = svc_backend.get("port") or {}
        port_text = str(port.get("number") or port.get("name") or "")
        service = client.try_get("services", svc_name, ns)
        if service is None:
            missing = graph.add(Node(f"Service/{svc_name}", "Warning", [f"Service {svc_name}", "not found"]))
            graph.link(rule_id, missing, f":{port_text}", style="dashed")
            return
        graph.add(Node(f"Service/{svc_name}", "Service", [f"Service {svc_name}",
                                                          f"ClusterIP {(service.get('spec') or {}).get('clusterIP')}"]))
        graph.link(rule_id, f"Service/{svc_name}", f":{port_text}")
        _service_backends(graph, client, service, f"Service/{svc_name}")

    for index, rule in enumerate(spec.get("rules") or []):
        host = rule.get("host") or "*"
        for path_index, path in enumerate(((rule.get("http") or {}).get("paths")) or []):
            rule_id = graph.add(Node(f"rule/{index}/{path_index}", "Rule", [
                f"{host}{path.get('path', '/')}", path.get("pathType", "")]))
            graph.link(ing_id, rule_id)
            backend(rule_id, (path.get("backend") or {}).get("service"))
    default = (spec.get("defaultBackend") or {}).get("service")
    if default:
        rule_id = graph.add(Node("rule/default", "Rule", ["default backend", "(no rule matched)"]))
        graph.link(ing_id, rule_id)
        backend(rule_id, default)
    return ing_id


CONTROL_PLANE_COMPONENTS = ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager")


def _cluster(graph: Graph, client: Client) -> None:
    nodes = client.list_view("nodes")
    pods = client.list_view("pods")
    control = Group("control_plane", "control plane")
    for component in CONTROL_PLANE_COMPONENTS:
        running = [p for p in pods if objects.labels(p).get("component") == component]
        state = pod_summary(running[0]).status if running else "not running"
        control.members.append(graph.add(Node(f"component/{component}", "Component", [component, state])))
    graph.groups.append(control)
    graph.link("component/kube-apiserver", "component/etcd", "stores objects")
    graph.link("component/kube-scheduler", "component/kube-apiserver", "watches, binds")
    graph.link("component/kube-controller-manager", "component/kube-apiserver", "watches, writes")
    for node in nodes:
        node_name = objects.name(node)
        ready = "Ready" if podstatus.has_condition(node, "Ready") else "NotReady"
        if (node.get("spec") or {}).get("unschedulable"):
            ready += ",SchedulingDisabled"
        group = Group(f"node_{node_name}", f"{node_name} ({ready})")
        kubelet = graph.add(Node(f"kubelet/{node_name}", "Component", [f"kubelet {node_name}"]))
        group.members.append(kubelet)
        graph.link(kubelet, "component/kube-apiserver", style="dotted", arrowhead="none")
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName") == node_name:
                pod_id = _pod_node(graph, pod, qualified=True)
                group.members.append(pod_id)
                # Invisible: keeps a node's Pods below its kubelet in the layout.
                graph.link(kubelet, pod_id, style="invis")
        graph.groups.append(group)
    pending = Group("unscheduled", "not scheduled yet")
    for pod in pods:
        if not (pod.get("spec") or {}).get("nodeName"):
            pending.members.append(_pod_node(graph, pod, qualified=True))
    if pending.members:
        graph.groups.append(pending)


def _namespace(graph: Graph, client: Client, namespace: str) -> None:
    for deployment in client.list_view("deployments", namespace):
        _deployment(graph, client, deployment, containers=False)
    for service in client.list_view("services", namespace):
        name = objects.name(service)
        spec = service.get("spec") or {}
        svc_id = graph.add(Node(f"Service/{name}", "Service", [
            f"Service {name}", f"type {spec.get('type') or 'ClusterIP'}",
            f"ClusterIP {spec.get('clusterIP') or '<none>'}"]))
        for pod in _selected_pods(client, service):
            pod_id = _pod_node(graph, pod)
            if pod_is_endpoint_ready(pod):
                graph.link(svc_id, pod_id, style="dashed")
    for pod in client.list_view("pods", namespace):
        _pod_node(graph, pod)
