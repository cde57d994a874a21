"""kubectl annotate (pkg/cmd/annotate/annotate.go): label's logic on ``metadata.annotations``.

Same forms and flags as label (see label.py); the success word is always
``annotated``. Annotation values are free text (no label value rules).
"""

from __future__ import annotations

from kubenb.kubectl.cli import Command, Invocation
from kubenb.kubectl.commands.label import command_flags, run_updates


def run(inv: Invocation) -> int:
    return run_updates(inv, "annotations", "annotation")


COMMAND = Command(
    name="annotate",
    short="Update the annotations on a resource",
    usage="annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
    help="Update the annotations on one or more resources.",
    examples="  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n"
             "  kubectl annotate pods foo description='my frontend'",
    run=run,
    flags=command_flags("annotation"),
)
