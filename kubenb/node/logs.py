"""Per-container log buffers (what ``kubectl logs`` reads through the kubelet).

Mirrors the kubelet's container log files as the CRI writes them: the
current container's log, plus the previous instance's (``--previous``), and
the reader's options (``tail``, ``timestamps`` in RFC 3339 with
nanoseconds). A container's own output is replayed from its process (see
runtime.py); lines others add (an access log line for each request the
network helper sends) are kept per container instance.
Left out: ``--since``/``--limit-bytes`` (handled by kubectl), log rotation.
"""

from __future__ import annotations

from datetime import UTC, datetime


def format_timestamp(seconds: float) -> str:
    """RFC3339Nano as the kubelet writes it: 2025-01-01T00:00:01.234567890Z."""
    moment = datetime.fromtimestamp(int(seconds), tz=UTC)
    nanos = int(round((seconds - int(seconds)) * 1_000_000)) * 1000  # float seconds hold microseconds
    if nanos >= 1_000_000_000:
        nanos = 999_999_000
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{nanos:09d}Z"


def render(lines: list[tuple[float, str]], *, tail: int | None = None, timestamps: bool = False,
           since: float | None = None) -> str:
    selected = [entry for entry in lines if since is None or entry[0] >= since]
    if tail is not None and tail >= 0:
        selected = selected[-tail:] if tail else []
    if timestamps:
        return "".join(f"{format_timestamp(t)} {line}\n" for t, line in selected)
    return "".join(f"{line}\n" for _, line in selected)
