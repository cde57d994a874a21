"""kubectl top pod|node (pkg/cmd/top, pkg/metricsutil/metrics_printer.go).

Columns as upstream: pods ``NAME CPU(cores) MEMORY(bytes)`` (``--containers``
adds POD first, ``-A`` NAMESPACE), nodes ``NAME CPU(cores) CPU(%)
MEMORY(bytes) MEMORY(%)``; cpu in millicores (``12m``), memory in Mi
(``45Mi``); every cell ends with a tab, so lines keep trailing padding as
kubectl's do. Usage comes from the simulated runtime (the metrics source
the cluster wires in as ``extras["metrics"]``: ``pod_metrics`` and
``node_metrics``), like metrics-server reading the kubelets.

Left out: ``--sort-by`` other than cpu/memory, ``--sum``, ``--use-protocol-buffers``.
"""

from __future__ import annotations

from kubenb.api import objects, quantity
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag


def _source(inv: Invocation):  # noqa: ANN202 - the metrics source protocol (pod_metrics, node_metrics)
    source = inv.env.extras.get("metrics")
    if source is None:
        cluster = inv.env.extras.get("cluster")
        source = getattr(cluster, "components", {}).get("kubelets") if cluster is not None else None
    if source is None:
        raise KubectlError("Metrics API not available")
    return source


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join("".join(cell.ljust(widths[i] + 3) for i, cell in enumerate(row)) + "\n" for row in rows)


def _mi(value: int) -> str:
    return f"{value // (1024 * 1024)}Mi"


def run_pods(inv: Invocation) -> int:
    source = _source(inv)
    client = inv.client
    all_ns = inv.flags["all-namespaces"]
    namespace = None if all_ns else inv.namespace
    if inv.args:
        pods = [client.get("pods", inv.args[0], namespace or inv.namespace)]
    else:
        pods = client.list("pods", namespace, label_selector=inv.flags["selector"])
    rows = []
    for pod in pods:
        usage = source.pod_metrics(objects.namespace(pod) or "default", objects.name(pod))
        if usage is None:
            if inv.args:
                raise KubectlError(f'Metrics not available for pod {objects.namespace(pod)}/{objects.name(pod)}, '
                                   f'age: {_age(client, pod)}')
            continue
        prefix = [objects.namespace(pod) or ""] if all_ns else []
        if inv.flags["containers"]:
            for name, values in usage.items():
                rows.append(prefix + [objects.name(pod), name, f"{values['cpu']}m", _mi(values["memory"])])
        else:
            rows.append(prefix + [objects.name(pod), f"{sum(v['cpu'] for v in usage.values())}m",
                                  _mi(sum(v["memory"] for v in usage.values()))])
    if not rows:
        inv.warn("No resources found" if all_ns else f"No resources found in {inv.namespace} namespace.")
        return 0
    sort = inv.flags["sort-by"]
    if sort in ("cpu", "memory"):
        column = -2 if sort == "cpu" else -1
        rows.sort(key=lambda r: -int(r[column].rstrip("mMi")))
    header = (["NAMESPACE"] if all_ns else []) + (["POD", "NAME"] if inv.flags["containers"] else ["NAME"])
    header += ["CPU(cores)", "MEMORY(bytes)"]
    if inv.flags["no-headers"]:
        inv.write(_table(rows))
    else:
        inv.write(_table([header, *rows]))
    return 0


def _age(client, pod: dict) -> str:  # noqa: ANN001
    from kubenb.sim.clock import parse_rfc3339

    seconds = int(client.clock.now() - parse_rfc3339(pod["metadata"]["creationTimestamp"]))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def run_nodes(inv: Invocation) -> int:
    source = _source(inv)
    client = inv.client
    nodes = [client.get("nodes", inv.args[0])] if inv.args else client.list("nodes",
                                                                            label_selector=inv.flags["selector"])
    rows = []
    for node in nodes:
        usage = source.node_metrics(objects.name(node))
        allocatable = node.get("status", {}).get("allocatable") or {}
        if usage is None:
            rows.append([objects.name(node), "<unknown>", "<unknown>", "<unknown>", "<unknown>"])
            continue
        cpu_total = quantity.parse(str(allocatable.get("cpu", "1"))).milli_value() or 1
        memory_total = quantity.parse(str(allocatable.get("memory", "1"))).int_value() or 1
        rows.append([objects.name(node), f"{usage['cpu']}m", f"{usage['cpu'] * 100 // cpu_total}%",
                     _mi(usage["memory"]), f"{usage['memory'] * 100 // memory_total}%"])
    header = ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    inv.write(_table(rows if inv.flags["no-headers"] else [header, *rows]))
    return 0


_COMMON = [
    Flag("no-headers", pflag.BOOL, usage="If present, print output without headers"),
    Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on"),
    Flag("sort-by", pflag.STRING, usage="If non-empty, sort pods list using specified field. The field can be "
         "either 'cpu' or 'memory'."),
    Flag("use-protocol-buffers", pflag.BOOL, True, usage="Enables using protocol-buffers to access Metrics API."),
    Flag("show-capacity", pflag.BOOL, usage="Print node resources based on Capacity instead of Allocatable(default) "
         "of the nodes."),
]

COMMAND = Command(
    name="top",
    short="Display resource (CPU/memory) usage",
    help="Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for "
         "nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the "
         "server.",
    subcommands={
        "pod": Command(name="pod", aliases=("pods", "po"), short="Display resource (CPU/memory) usage of pods",
                       usage="top pod [NAME | -l label]", run=run_pods, flags=_COMMON + [
                           Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested "
                                "object(s) across all namespaces."),
                           Flag("containers", pflag.BOOL, usage="If present, print usage of containers within a pod."),
                           Flag("field-selector", pflag.STRING, usage="Selector (field query) to filter on."),
                           Flag("sum", pflag.BOOL, usage="Print the sum of the resource usage")]),
        "node": Command(name="node", aliases=("nodes", "no"), short="Display resource (CPU/memory) usage of nodes",
                        usage="top node [NAME | -l label]", run=run_nodes, flags=list(_COMMON)),
    },
)
