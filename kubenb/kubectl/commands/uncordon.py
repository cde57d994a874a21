"""kubectl uncordon (pkg/cmd/drain): clear spec.unschedulable; ``node/x uncordoned``."""

from __future__ import annotations

from kubenb.kubectl.cli import Command, Invocation
from kubenb.kubectl.commands.cordon import cordon_nodes, node_flags


def run(inv: Invocation) -> int:
    cordon_nodes(inv, False, "uncordon")
    return 0


COMMAND = Command(
    name="uncordon",
    short="Mark node as schedulable",
    usage="uncordon NODE",
    help="Mark node as schedulable.",
    examples="  # Mark node \"foo\" as schedulable\n  kubectl uncordon foo",
    run=run,
    flags=node_flags(),
)
