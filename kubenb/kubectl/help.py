"""``--help`` pages laid out as cobra and kubectl's templates lay them out.

The layout (description, Examples:, Options: with ``--flag=default:`` and a
tab-indented usage line, Usage:, the options footer) is kubectl's. The
descriptions are kubenb's own short words, kept per command in its module.
"""

from __future__ import annotations

from kubenb.kubectl import flags as pflag
from kubenb.kubectl.flags import Flag


def _default_text(flag: Flag) -> str:
    value = flag.initial()
    if flag.type == pflag.BOOL:
        return "true" if value else "false"
    if flag.type in (pflag.STRING_ARRAY, pflag.STRING_SLICE):
        return "[" + ",".join(value) + "]"
    if flag.type == pflag.STRING_TO_STRING:
        # kubectl's map flags are cliflag.MapStringString, whose String() of an empty map is "" (shown "=:").
        return "" if not value else ",".join(f"{k}={v}" for k, v in value.items())
    if flag.type in (pflag.INT, pflag.INT64, pflag.INT32):
        return str(value)
    if flag.type == pflag.DURATION:
        return _go_duration(float(value))
    return f"'{value}'"


def _go_duration(seconds: float) -> str:
    if seconds == 0:
        return "0s"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}h"
    if hours or minutes:
        text += f"{minutes}m"
    return text + f"{secs}s"


def command_help(command, path: list[str], all_flags: list[Flag]) -> str:  # noqa: ANN001
    from kubenb.kubectl.cli import GLOBAL_FLAGS

    global_names = {f.name for f in GLOBAL_FLAGS}
    lines: list[str] = []
    if command.help:
        lines += [command.help.rstrip("\n"), ""]
    elif command.short:
        lines += [command.short, ""]
    if command.aliases:
        # cobra's NameAndAliases: the name, then each alias, comma-separated.
        lines += ["Aliases:", ", ".join([command.name, *command.aliases]), ""]
    if command.examples:
        lines += ["Examples:", command.examples.rstrip("\n"), ""]
    if command.subcommands and command.run is None:
        lines.append("Available Commands:")
        # cobra's NamePadding (the longest sibling name, at least 11) plus kubectl's three spaces.
        width = max(11, *(len(n) for n in command.subcommands))
        for name in sorted(command.subcommands):
            sub = command.subcommands[name]
            lines.append(f"  {name:<{width}}   {sub.short}".rstrip())
        lines.append("")
    own = [f for f in command.flags if not f.hidden and f.name not in global_names or f in command.flags]
    own = [f for f in own if not f.hidden and f.name != "help"]
    if own:
        lines.append("Options:")
        for flag in sorted(own, key=lambda f: f.name):
            short = f"-{flag.shorthand}, " if flag.shorthand else ""
            lines.append(f"    {short}--{flag.name}={_default_text(flag)}:")
            lines.append(f"\t{flag.usage}")
            lines.append("")
    usage = command.usage or " ".join(["kubectl", *path]) + " [flags] [options]"
    if not usage.startswith("kubectl"):
        usage = "kubectl " + usage
    lines += ["Usage:", f"  {usage}", ""]
    if command.subcommands and command.run is None:
        lines.append(f'Use "kubectl {" ".join(path)} <command> --help" for more information about a given command.')
    lines.append('Use "kubectl options" for a list of global command-line options (applies to all commands).')
    return "\n".join(lines) + "\n"
