"""The tiny shell of a ``%%kubectl`` cell (and of ``kubenb script``): cell text -> commands.

What it understands, as a terminal would:

- one command per line; a leading ``kubectl`` (or a ``$ `` prompt) is optional;
- ``#`` comments (whole lines, and after a word outside quotes), blank lines;
- a trailing ``\\`` continues the command on the next line;
- here-documents: ``kubectl apply -f - <<EOF`` ... ``EOF`` (also ``<<'EOF'``, ``<<-EOF``,
  and ``cat <<EOF | kubectl apply -f -``) become the command's stdin;
- ``-f -`` without a here-document reads the rest of the cell as stdin.

Left out: pipes other than ``cat <<EOF |``, variables, globbing, ``&&``/``;`` chains.
No IPython here, so the console command shares it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
CAT_PIPE = re.compile(r"^cat\s+<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2\s*\|\s*")


class CellSyntaxError(ValueError):
    """The cell cannot be split into commands (an unclosed quote or here-document)."""


@dataclass(frozen=True)
class ShellCommand:
    line: str  # the command as written (continuations joined), without a leading "kubectl"
    argv: list[str]
    stdin: str
    lineno: int  # 1-based line of the cell where the command starts


def _reads_stdin(argv: list[str]) -> bool:
    for i, word in enumerate(argv):
        if word in ("-f", "--filename") and i + 1 < len(argv) and argv[i + 1] == "-":
            return True
        if word in ("-f-", "--filename=-"):
            return True
    return False


def parse_commands(text: str) -> list[ShellCommand]:
    lines = text.splitlines()
    commands: list[ShellCommand] = []
    i = 0
    while i < len(lines):
        start = i
        raw = lines[i]
        i += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # Continuations: a line ending in a backslash goes on.
        while stripped.endswith("\\") and i < len(lines):
            stripped = stripped[:-1].rstrip() + " " + lines[i].strip()
            i += 1
        stripped = stripped.rstrip("\\").strip()
        if stripped.startswith("$ "):
            stripped = stripped[2:].strip()
        heredoc = None
        pipe = CAT_PIPE.match(stripped)
        if pipe:
            heredoc = pipe
            stripped = stripped[pipe.end():]
        else:
            heredoc = HEREDOC.search(stripped)
            if heredoc:
                stripped = (stripped[:heredoc.start()] + stripped[heredoc.end():]).strip()
        stdin = ""
        if heredoc:
            dash, _, word = heredoc.groups()
            body: list[str] = []
            while True:
                if i >= len(lines):
                    raise CellSyntaxError(f"line {start + 1}: here-document ended before its {word!r} line")
                current = lines[i]
                i += 1
                if (current.lstrip("\t") if dash else current).strip() == word:
                    break
                body.append(current.lstrip("\t") if dash else current)
            stdin = "\n".join(body) + ("\n" if body else "")
        try:
            argv = shlex.split(stripped, comments=True, posix=True)
        except ValueError as error:
            raise CellSyntaxError(f"line {start + 1}: {error}") from None
        if not argv:
            continue
        if argv[0] == "kubectl":
            argv = argv[1:]
            stripped = stripped[len("kubectl"):].strip()
        if not heredoc and _reads_stdin(argv):
            # No here-document: the rest of the cell is what the command reads.
            stdin = "\n".join(lines[i:]) + ("\n" if i < len(lines) else "")
            i = len(lines)
        commands.append(ShellCommand(stripped, argv, stdin, start + 1))
    return commands


DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$")


def parse_duration(text: str) -> float:
    """"30s", "2m", "1h30m", "1m30s" or a plain number of seconds -> seconds."""
    value = text.strip()
    try:
        seconds = float(value)
    except ValueError:
        match = DURATION.match(value)
        if not value or not match or not any(match.groups()):
            raise ValueError(f"kubenb: {text!r} is not a duration (try 30s, 2m, 1h30m)") from None
        hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds < 0 or seconds != seconds or seconds > 366 * 24 * 3600:
        raise ValueError(f"kubenb: {text!r} is out of range (0 to 366 days)")
    return seconds
