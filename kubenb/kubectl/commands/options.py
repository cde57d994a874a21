"""kubectl options (kubectl ``pkg/cmd/options/options.go``): the global flags every command accepts.

Same layout as the real page (``    --flag=default:`` then a tab-indented line);
the descriptions are those kubenb keeps in ``cli.GLOBAL_FLAGS``.
"""

from __future__ import annotations

from kubenb.kubectl.cli import GLOBAL_FLAGS, Command, Invocation
from kubenb.kubectl.help import _default_text

# klog's --vmodule is a moduleSpec whose empty value prints as nothing (not '').
_BLANK_DEFAULT = ("vmodule",)


def options_text() -> str:
    lines = ["The following options can be passed to any command:", ""]
    for flag in sorted((f for f in GLOBAL_FLAGS if f.name != "help"), key=lambda f: f.name):
        short = f"-{flag.shorthand}, " if flag.shorthand else ""
        default = "" if flag.name in _BLANK_DEFAULT else _default_text(flag)
        lines += [f"    {short}--{flag.name}={default}:", f"\t{flag.usage}", ""]
    return "\n".join(lines) + "\n"


def run(inv: Invocation) -> int:
    inv.write(options_text())
    return 0


COMMAND = Command(
    name="options",
    short="Print the list of flags inherited by all commands",
    usage="options [flags]",
    help="Print the list of flags inherited by all commands",
    examples="  # Print flags inherited by all commands\n  kubectl options",
    run=run,
)
