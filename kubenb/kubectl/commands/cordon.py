"""kubectl cordon / uncordon (pkg/cmd/drain/drain.go, cordon helper): set spec.unschedulable.

``node/x cordoned``, ``node/x already cordoned``; uncordon.py reuses ``cordon_nodes``.
Nodes come as NAME arguments or ``-l``; ``--dry-run`` appends `` (dry run)``.
"""

from __future__ import annotations

from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag


def selected_nodes(inv: Invocation, verb: str) -> list[dict]:
    client = inv.client
    selector = inv.flags["selector"]
    if not inv.args and not selector:
        raise KubectlError(f"USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples", raw=False)
    if selector:
        nodes = client.list("nodes", label_selector=selector)
        if not nodes:
            raise KubectlError("No resources found", raw=True)
        return nodes
    return [client.get("nodes", name.removeprefix("node/").removeprefix("nodes/")) for name in inv.args]


def cordon_nodes(inv: Invocation, desired: bool, verb: str) -> list[dict]:
    nodes = selected_nodes(inv, verb)
    dry = inv.flags["dry-run"] not in ("", "none")
    suffix = " (dry run)" if inv.flags["dry-run"] == "client" else " (server dry run)" if dry else ""
    done = "cordoned" if desired else "uncordoned"
    for node in nodes:
        name = node["metadata"]["name"]
        if bool(node.get("spec", {}).get("unschedulable")) == desired:
            inv.write(f"node/{name} already {done}{suffix}\n")
            continue
        if not dry:
            patch = {"spec": {"unschedulable": True if desired else None}}
            inv.client.patch("nodes", name, None, patch, "merge")
        inv.write(f"node/{name} {done}{suffix}\n")
    return nodes


def run(inv: Invocation) -> int:
    cordon_nodes(inv, True, "cordon")
    return 0


def node_flags() -> list[Flag]:
    return [
        Flag("dry-run", pflag.STRING, "none", no_opt_default="unchanged", usage='Must be "none", "server", or '
             '"client". If client strategy, only print the object that would be sent, without sending it. If server '
             "strategy, submit server-side request without persisting the resource."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on"),
    ]


COMMAND = Command(
    name="cordon",
    short="Mark node as unschedulable",
    usage="cordon NODE",
    help="Mark node as unschedulable.",
    examples="  # Mark node \"foo\" as unschedulable\n  kubectl cordon foo",
    run=run,
    flags=node_flags(),
)
