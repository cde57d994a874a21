"""kubectl expose (kubectl ``pkg/cmd/expose/expose.go`` with the service/v2 generator).

Reads the object (``TYPE NAME``, ``TYPE/NAME`` from the server, or ``-f``),
takes its selector, labels and container ports, and builds a Service:
several introspected ports are named ``port-1``, ``port-2``.... Prints
``service/NAME exposed``. Left out: --overrides, -k, --session-affinity
validation, --external-ip lists beyond one value.
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.generators import objects, output

_NO_RESOURCE = ("You must provide one or more resources by argument or filename.\n"
                "Example resource specifications include:\n"
                "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
_EXPOSABLE = ("Deployment", "ReplicaSet", "ReplicationController", "Service", "Pod")


def _targets(inv: Invocation) -> list[dict]:
    if inv.flags["filename"]:
        from kubenb.kubectl import manifests  # noqa: PLC0415 - keeps kubectl startup light

        return [obj for _source, obj in manifests.read_objects(inv, inv.flags["filename"],
                                                               recursive=inv.flags["recursive"], verb="expose")]
    args = list(inv.args)
    if not args:
        raise KubectlError(_NO_RESOURCE)
    if "/" in args[0]:
        kind_text, _, name = args[0].partition("/")
        names = [name, *args[1:]]
    else:
        kind_text, names = args[0], args[1:]
    rtype = resources.resolve(kind_text)
    if rtype is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{kind_text}"')
    if not names:
        raise KubectlError(_NO_RESOURCE)
    return [inv.client.get(rtype.plural, name, inv.namespace) for name in names]


def _selector(obj: dict) -> dict:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return dict((obj.get("metadata") or {}).get("labels") or {})
    if kind in ("Service", "ReplicationController"):
        return dict(spec.get("selector") or {})
    selector = spec.get("selector") or {}
    if selector.get("matchExpressions"):
        raise KubectlError(f"couldn't convert expressions - \"{selector['matchExpressions'][0].get('key')}\" to "
                           "map-based selector format")
    return dict(selector.get("matchLabels") or {})


def _container_ports(obj: dict) -> list[dict]:
    kind = obj.get("kind")
    if kind == "Service":
        return [{"containerPort": p.get("port"), "protocol": p.get("protocol", "TCP")}
                for p in (obj.get("spec") or {}).get("ports") or []]
    pod_spec = (obj.get("spec") or {}) if kind == "Pod" else \
        ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}
    return [port for c in pod_spec.get("containers") or [] for port in c.get("ports") or []]


def build_service(inv: Invocation, obj: dict) -> dict:
    kind = obj.get("kind", "")
    if kind not in _EXPOSABLE:
        raise KubectlError(f"cannot expose a {kind}")
    metadata = obj.get("metadata") or {}
    selector_text = inv.flags["selector"]
    selector = _parse_map(selector_text) if selector_text else _selector(obj)
    if not selector:
        raise KubectlError("couldn't retrieve selectors via --selector flag or introspection: the "
                           f"{kind} has no selector")
    labels = _parse_map(inv.flags["labels"]) if inv.flags["labels"] else dict(metadata.get("labels") or {})
    protocol = inv.flags["protocol"]
    target = inv.flags["target-port"]
    ports: list[dict] = []
    if inv.flags["port"]:
        for text in inv.flags["port"].split(","):
            number = objects.go_atoi(text)
            if number is None:
                raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax')
            ports.append({"protocol": protocol or "TCP", "port": number})
    else:
        found = _container_ports(obj)
        if not found:
            raise KubectlError("couldn't find port via --port flag or introspection")
        for port in found:
            ports.append({"protocol": protocol or port.get("protocol") or "TCP", "port": port["containerPort"]})
    if len(ports) > 1:
        ports = [{"name": f"port-{i}", **port} for i, port in enumerate(ports, 1)]
    for port in ports:
        if target:
            number = objects.go_atoi(target)
            port["targetPort"] = number if number is not None else target
        else:
            port["targetPort"] = port["port"]
    spec: dict = {"ports": ports, "selector": selector}
    if inv.flags["cluster-ip"]:
        spec["clusterIP"] = inv.flags["cluster-ip"]
    if inv.flags["type"]:
        spec["type"] = inv.flags["type"]
    if inv.flags["external-ip"]:
        spec["externalIPs"] = [inv.flags["external-ip"]]
    if inv.flags["session-affinity"]:
        spec["sessionAffinity"] = inv.flags["session-affinity"]
    if inv.flags["load-balancer-ip"]:
        spec["loadBalancerIP"] = inv.flags["load-balancer-ip"]
    name = inv.flags["name"] or metadata.get("name", "")
    return {"kind": "Service", "apiVersion": "v1", "metadata": objects.meta(name, labels=labels or None),
            "spec": spec, "status": {"loadBalancer": {}}}


def _parse_map(text: str) -> dict[str, str]:
    result = {}
    for pair in text.split(","):
        key, sep, value = pair.partition("=")
        if not sep:
            raise KubectlError(f"unexpected label spec: {pair}")
        result[key] = value
    return result


def run(inv: Invocation) -> int:
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    for obj in _targets(inv):
        service = build_service(inv, obj)
        code = output.finish(inv, service, wrap=None, operation="exposed")
        if code:
            return code
    del dry_run
    return 0


S, B = pflag.STRING, pflag.BOOL

COMMAND = Command(
    name="expose",
    short="Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    usage="expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] "
          "[--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    help="Expose a resource as a new Kubernetes service: its selector picks the pods the service sends traffic to.",
    examples="  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers "
             "on port 8000\n  kubectl expose deployment nginx --port=80 --target-port=8000",
    run=run,
    flags=[
        *output.print_flags(), output.dry_run_flag(),
        Flag("cluster-ip", S, usage="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set "
             "to 'None' to create a headless service."),
        Flag("external-ip", S, usage="Additional external IP address (not managed by Kubernetes) to accept for the "
             "service."),
        Flag("field-manager", S, "kubectl-expose", usage="Name of the manager used to track field ownership."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files identifying "
             "the resource to expose a service"),
        Flag("kustomize", S, shorthand="k", usage="Process the kustomization directory."),
        Flag("labels", S, shorthand="l", usage="Labels to apply to the service created by this call."),
        Flag("load-balancer-ip", S, usage="IP to assign to the LoadBalancer. If empty, an ephemeral IP will be "
             "created and used (cloud-provider specific)."),
        Flag("name", S, usage="The name for the newly created object."),
        Flag("override-type", S, "merge", usage="The method used to override the generated object: json, merge, "
             "or strategic."),
        Flag("overrides", S, usage="An inline JSON override for the generated object."),
        Flag("port", S, usage="The port that the service should serve on."),
        Flag("protocol", S, usage="The network protocol for the service to be created. Default is 'TCP'."),
        Flag("recursive", B, shorthand="R", usage="Process the directory used in -f, --filename recursively."),
        Flag("save-config", B, usage="If true, the configuration of current object will be saved in its "
             "annotation."),
        Flag("selector", S, usage="A label selector to use for this service. Only equality-based selector "
             "requirements are supported."),
        Flag("session-affinity", S, usage="If non-empty, set the session affinity for the service to this; legal "
             "values: 'None', 'ClientIP'"),
        Flag("target-port", S, usage="Name or number for the port on the container that the service should direct "
             "traffic to. Optional."),
        Flag("type", S, usage="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default "
             "is 'ClusterIP'."),
    ],
)
