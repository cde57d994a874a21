"""How kubectl's output reaches the notebook: like a terminal.

An ``Outcome`` (stdout, stderr, exit code) is shown as two streams: stdout on
the cell's stdout stream and stderr on its stderr stream (Jupyter tints it),
exactly the bytes kubectl printed, nothing added. For Python code that wants a
displayable value, ``OutcomeView`` gives a mimebundle whose ``text/plain`` is
that same text.

kubenb's own messages (``kubenb: ...``) go to stdout when informative and to
stderr when they report a mistake. A user's mistake never shows a traceback:
``report_internal_error`` turns an unexpected exception into one stderr line.
"""

from __future__ import annotations

import html
import sys
from typing import Any

from kubenb.kubectl import Outcome


def show(outcome: Outcome) -> None:
    """Write an Outcome to the cell's streams, stdout first, as a terminal shows it."""
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
        sys.stdout.flush()
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
        sys.stderr.flush()


def info(message: str) -> None:
    sys.stdout.write(message if message.endswith("\n") else message + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(message if message.endswith("\n") else message + "\n")
    sys.stderr.flush()


def report_internal_error(exc: BaseException) -> None:
    error(f"kubenb: internal error: {type(exc).__name__}: {exc}")


def mimebundle(outcome: Outcome) -> dict[str, str]:
    """``text/plain``: what kubectl printed (stdout then stderr); ``text/html``: the same, stderr in red."""
    parts = [html.escape(outcome.stdout)]
    if outcome.stderr:
        parts.append(f'<span style="color:#c62828">{html.escape(outcome.stderr)}</span>')
    return {"text/plain": outcome.stdout + outcome.stderr,
            "text/html": '<pre class="kubenb-output">' + "".join(parts) + "</pre>"}


class OutcomeView:
    """Display an Outcome as a value: ``OutcomeView(cluster.kubectl("get pods"))``."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mimebundle(self.outcome)


class SVGView:
    """A static picture with a stable ``text/plain`` (for viewers and saved notebooks)."""

    def __init__(self, svg: str, text: str) -> None:
        self.svg = svg
        self.text = text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if self.svg.lstrip().startswith("<svg"):
            return {"image/svg+xml": self.svg, "text/plain": self.text}
        return {"text/html": self.svg, "text/plain": self.text}
