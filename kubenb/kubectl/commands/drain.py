"""kubectl drain (pkg/cmd/drain/drain.go, k8s.io/kubectl/pkg/drain/filters.go): cordon, then evict.

Filters, in upstream order, decide which Pods may go: mirror (static) Pods
are skipped silently, DaemonSet Pods need ``--ignore-daemonsets``, Pods
without a controller need ``--force``, Pods with emptyDir need
``--delete-emptydir-data``; finished Pods are deleted without ceremony.
Then every Pod is evicted (``evicting pod ns/name``, ``pod/name evicted``)
and kubectl waits (virtual time) for them to be gone: ``node/x drained``.

Left out: PodDisruptionBudgets (evictions always succeed), ``--chunk-size``.
"""

from __future__ import annotations

from kubenb.api import errors, objects
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.commands.cordon import cordon_nodes, node_flags
from kubenb.kubectl.flags import Flag, parse_duration


def _classify(inv: Invocation, pods: list[dict]) -> tuple[list[dict], list[str], dict[str, list[str]]]:
    """(pods to delete, warnings, errors by message)."""
    deletable: list[dict] = []
    warnings: dict[str, list[str]] = {}
    problems: dict[str, list[str]] = {}
    for pod in pods:
        ref = f"{objects.namespace(pod)}/{objects.name(pod)}"
        if objects.annotations(pod).get("kubernetes.io/config.mirror"):
            continue
        finished = pod.get("status", {}).get("phase") in ("Succeeded", "Failed")
        controller = objects.controller_ref(pod)
        if controller is not None and controller.get("kind") == "DaemonSet" and not finished:
            if inv.flags["ignore-daemonsets"]:
                warnings.setdefault("ignoring DaemonSet-managed Pods", []).append(ref)
            else:
                problems.setdefault("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
                                    []).append(ref)
            continue
        if controller is None and not finished:
            if inv.flags["force"]:
                warnings.setdefault("deleting Pods that declare no controller", []).append(ref)
            else:
                problems.setdefault("cannot delete Pods that declare no controller (use --force to override)",
                                    []).append(ref)
                continue
        if any("emptyDir" in v for v in pod["spec"].get("volumes") or []) and not finished:
            if inv.flags["delete-emptydir-data"]:
                warnings.setdefault("deleting Pods with local storage", []).append(ref)
            else:
                problems.setdefault("cannot delete Pods with local storage (use --delete-emptydir-data to override)",
                                    []).append(ref)
                continue
        deletable.append(pod)
    return deletable, [f"{k}: {', '.join(v)}" for k, v in warnings.items()], problems


def run(inv: Invocation) -> int:
    nodes = cordon_nodes(inv, True, "drain")
    client = inv.client
    dry = inv.flags["dry-run"] not in ("", "none")
    failed = []
    for node in nodes:
        name = node["metadata"]["name"]
        pods = client.list("pods", field_selector=f"spec.nodeName={name}")
        if inv.flags["pod-selector"]:
            from kubenb.api import selectors

            chosen = selectors.parse(inv.flags["pod-selector"])
            pods = [p for p in pods if chosen.matches(objects.labels(p))]
        deletable, warnings, problems = _classify(inv, pods)
        if problems:
            text = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
            inv.err.write(f"error: unable to drain node \"{name}\" due to error: {text}, continuing command...\n")
            failed.append((name, text))
            continue
        for warning in warnings:
            inv.err.write(f"Warning: {warning}\n")
        for pod in deletable:
            if dry:
                inv.write(f"evicting pod {objects.namespace(pod)}/{objects.name(pod)} (dry run)\n")
                continue
            inv.write(f"evicting pod {objects.namespace(pod)}/{objects.name(pod)}\n")
            grace = inv.flags["grace-period"]
            try:
                client.delete("pods", objects.name(pod), objects.namespace(pod),
                              grace_period_seconds=None if grace < 0 else grace)
            except errors.StatusError as error:
                if error.reason != "NotFound":
                    raise
        timeout = inv.flags["timeout"] or 365 * 24 * 3600.0
        uids = {objects.uid(p) for p in deletable}

        def gone(pods_left: set[str] = uids) -> bool:
            return not any(objects.uid(p) in pods_left for p in client.list_view("pods"))

        if not dry and deletable and not inv.env.waiter.run_until(gone, timeout):
            raise KubectlError(f"drain did not complete within {parse_duration(str(int(timeout)) + 's'):.0f}s")
        for pod in deletable:
            if not dry:
                inv.write(f"pod/{objects.name(pod)} evicted\n")
        inv.write(f"node/{name} drained\n" if not dry else f"node/{name} drained (dry run)\n")
    if failed:
        inv.err.write("There are pending nodes to be drained:\n")
        for name, _ in failed:
            inv.err.write(f" {name}\n")
        for _, text in failed:
            inv.err.write(f"error: {text}\n")
        return 1
    return 0


COMMAND = Command(
    name="drain",
    short="Drain node in preparation for maintenance",
    usage="drain NODE",
    help="Drain node in preparation for maintenance.",
    examples="  # Drain node \"foo\", even if there are pods not managed by a replication controller, replica set, "
             "job, daemon set, or stateful set on it\n  kubectl drain foo --force",
    run=run,
    flags=node_flags() + [
        Flag("chunk-size", pflag.INT64, 500, usage="Return large lists in chunks rather than all at once."),
        Flag("delete-emptydir-data", pflag.BOOL, usage="Continue even if there are pods using emptyDir (local data "
             "that will be deleted when the node is drained)."),
        Flag("disable-eviction", pflag.BOOL, usage="Force drain to use delete, even if eviction is supported."),
        Flag("force", pflag.BOOL, usage="Continue even if there are pods that do not declare a controller."),
        Flag("grace-period", pflag.INT, -1, usage="Period of time in seconds given to each pod to terminate "
             "gracefully. If negative, the default value specified in the pod will be used."),
        Flag("ignore-daemonsets", pflag.BOOL, usage="Ignore DaemonSet-managed pods."),
        Flag("pod-selector", pflag.STRING, usage="Label selector to filter pods on the node"),
        Flag("skip-wait-for-delete-timeout", pflag.INT, 0, usage="If pod DeletionTimestamp older than N seconds, "
             "skip waiting for the pod.  Seconds must be greater than 0 to skip."),
        Flag("timeout", pflag.DURATION, 0.0, usage="The length of time to wait before giving up, zero means "
             "infinite"),
    ],
)
