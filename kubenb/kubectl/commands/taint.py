"""kubectl taint (pkg/cmd/taint/taint.go, pkg/cmd/taint/utils.go parseTaints).

``kubectl taint nodes NAME key=value:Effect``, ``key:Effect``, removal with
a trailing ``-`` (``key:Effect-`` or ``key-`` for every effect), ``-l``,
``--all``, ``--overwrite``. Prints ``node/x tainted`` / ``node/x untainted``.
Left out: ``--dry-run=server`` differences, validation of label-syntax
details beyond the key and value shapes.
"""

from __future__ import annotations

import re

from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_KEY = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def parse_taint(spec: str) -> dict:
    """utils.parseTaint: key[=value]:effect."""
    key_value, sep, effect = spec.rpartition(":")
    if not sep:
        raise KubectlError(f"invalid taint spec: {spec}")
    if effect not in EFFECTS:
        raise KubectlError(f"invalid taint effect: {effect}, unsupported taint effect")
    key, _, value = key_value.partition("=")
    if not _KEY.match(key):
        raise KubectlError(f"invalid taint spec: {spec}, name part must consist of alphanumeric characters, '-', "
                           "'_' or '.', and must start and end with an alphanumeric character")
    if not _VALUE.match(value):
        raise KubectlError(f"invalid taint spec: {spec}, a valid label must be an empty string or consist of "
                           "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                           "character")
    taint = {"key": key, "effect": effect}
    if value:
        taint["value"] = value
    return taint


def run(inv: Invocation) -> int:
    args = list(inv.args)
    if not args:
        raise UsageError("at least one taint update is required")
    kind = args.pop(0)
    if kind not in ("node", "nodes", "no"):
        if kind.startswith("node/") or kind.startswith("nodes/"):
            args.insert(0, kind.split("/", 1)[1])
        else:
            raise KubectlError(f'invalid resource type {kind}, only node types are supported')
    names = [a for a in args if "=" not in a and ":" not in a and not a.endswith("-")]
    specs = [a for a in args if a not in names]
    if not specs:
        raise UsageError("at least one taint update is required")
    additions, removals = [], []
    for spec in specs:
        if spec.endswith("-"):
            body = spec[:-1]
            key, _, effect = body.partition(":")
            if effect and effect not in EFFECTS:
                raise KubectlError(f"invalid taint effect: {effect}, unsupported taint effect")
            removals.append({"key": key.partition("=")[0], "effect": effect})
        else:
            additions.append(parse_taint(spec))
    client = inv.client
    if inv.flags["all"]:
        nodes = client.list("nodes")
    elif inv.flags["selector"]:
        nodes = client.list("nodes", label_selector=inv.flags["selector"])
    else:
        if not names:
            raise UsageError("resource(s) were provided, but no name was specified")
        nodes = [client.get("nodes", name) for name in names]
    for node in nodes:
        name = node["metadata"]["name"]
        taints = list(node.get("spec", {}).get("taints") or [])
        for addition in additions:
            same = [t for t in taints if t["key"] == addition["key"] and t["effect"] == addition["effect"]]
            if same and not inv.flags["overwrite"]:
                raise KubectlError(f"node {name} already has {addition['key']} taint(s) with same effect(s) and "
                                   "--overwrite is false")
            taints = [t for t in taints if not (t["key"] == addition["key"] and t["effect"] == addition["effect"])]
            taints.append(addition)
        for removal in removals:
            kept = [t for t in taints if not (t["key"] == removal["key"]
                                             and (not removal["effect"] or t["effect"] == removal["effect"]))]
            if len(kept) == len(taints):
                text = removal["key"] + (":" + removal["effect"] if removal["effect"] else "")
                raise KubectlError(f'taint "{text}" not found')
            taints = kept
        client.patch("nodes", name, None, {"spec": {"taints": taints or None}}, "merge")
        operation = "untainted" if removals and not additions else "tainted"
        inv.write(f"node/{name} {operation}\n")
    return 0


COMMAND = Command(
    name="taint",
    short="Update the taints on one or more nodes",
    usage="taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
    help="Update the taints on one or more nodes.",
    examples="  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect "
             "'NoSchedule'\n  kubectl taint nodes foo dedicated=special-user:NoSchedule",
    run=run,
    flags=[
        Flag("all", pflag.BOOL, usage="Select all nodes in the cluster"),
        Flag("dry-run", pflag.STRING, "none", no_opt_default="unchanged", usage='Must be "none", "server", or '
             '"client".'),
        Flag("output", pflag.STRING, shorthand="o", usage="Output format."),
        Flag("overwrite", pflag.BOOL, usage="If true, allow taints to be overwritten, otherwise reject taint "
             "updates that overwrite existing taints."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on"),
        Flag("validate", pflag.STRING, "strict", no_opt_default="strict", usage="Must be one of: strict (or true), "
             "warn, ignore (or false)."),
    ],
)
