"""How kubectl's output reaches the notebook: like a terminal.

An ``Outcome`` (stdout, stderr, exit code) is shown as two streams: stdout on
the cell's stdout stream and stderr on its stderr stream (Jupyter tints it),
exactly the bytes kubectl printed, nothing added. For Python code that wants a
displayable value, ``OutcomeView`` gives a mimebundle whose ``text/plain`` is
that same text.

kubenb's own messages (``kubenb: ...``) go to stdout when informative and to
stderr when they report a mistake. The coach's findings after an apply (lint on
apply) come after kubectl's output as their own block: ``LintView``, amber-edged
in HTML, the same ``kubenb lint:`` text as plain text. A user's mistake never shows a traceback:
``report_internal_error`` turns an unexpected exception into one stderr line.
"""

from __future__ import annotations

import html
import sys
from typing import Any

from kubenb.kubectl import Outcome


def split_stderr(stderr: str) -> tuple[str, str]:
    """(warnings kubectl prints before its output, the rest of stderr).

    An Outcome keeps the two streams apart, not how they interleaved. kubectl prints the
    server's ``Warning: ...`` lines as the response arrives, before the result it prints on
    stdout; errors come after whatever output was already printed.
    """
    lines = stderr.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].startswith("Warning: "):
        count += 1
    return "".join(lines[:count]), "".join(lines[count:])


def terminal_text(outcome: Outcome) -> str:
    """Both streams in the order a terminal would show them."""
    warnings, rest = split_stderr(outcome.stderr)
    return warnings + outcome.stdout + rest


def show(outcome: Outcome) -> None:
    """Write an Outcome to the cell's streams in terminal order (see split_stderr)."""
    warnings, rest = split_stderr(outcome.stderr)
    for stream, text in ((sys.stderr, warnings), (sys.stdout, outcome.stdout), (sys.stderr, rest)):
        if text:
            stream.write(text)
            stream.flush()


def info(message: str) -> None:
    sys.stdout.write(message if message.endswith("\n") else message + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(message if message.endswith("\n") else message + "\n")
    sys.stderr.flush()


def report_internal_error(exc: BaseException) -> None:
    error(f"kubenb: internal error: {type(exc).__name__}: {exc}")


def mimebundle(outcome: Outcome) -> dict[str, str]:
    """``text/plain``: what kubectl printed (terminal order); ``text/html``: stdout, then stderr in red."""
    parts = [html.escape(outcome.stdout)]
    if outcome.stderr:
        parts.append(f'<span style="color:#c62828">{html.escape(outcome.stderr)}</span>')
    return {"text/plain": terminal_text(outcome),
            "text/html": '<pre class="kubenb-output">' + "".join(parts) + "</pre>"}


class OutcomeView:
    """Display an Outcome as a value: ``OutcomeView(cluster.kubectl("get pods"))``."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mimebundle(self.outcome)


LINT_COLOR = "#b26a00"  # amber: advice, neither kubectl's output (plain) nor an error (red)


class LintView:
    """The coach's findings after an apply: its own block, never mistaken for kubectl's output."""

    def __init__(self, text: str) -> None:
        self.text = text if text.endswith("\n") else text + "\n"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text,
                "text/html": f'<pre class="kubenb-lint" style="border-left:4px solid {LINT_COLOR};'
                             f'padding:4px 8px;margin:4px 0;color:{LINT_COLOR};white-space:pre-wrap">'
                             f"{html.escape(self.text)}</pre>"}


def lint(text: str, show: Any = None) -> None:
    """Show a lint block: as a LintView through ``show`` (IPython's display), else as stdout text."""
    sys.stdout.flush()
    sys.stderr.flush()
    if show is None:
        info(text)
    else:
        show(LintView(text))


class SVGView:
    """A static picture with a stable ``text/plain`` (for viewers and saved notebooks)."""

    def __init__(self, svg: str, text: str) -> None:
        self.svg = svg
        self.text = text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if self.svg.lstrip().startswith("<svg"):
            return {"image/svg+xml": self.svg, "text/plain": self.text}
        return {"text/html": self.svg, "text/plain": self.text}
