"""VirtualClock: the single source of "now" for a cluster.

Time is a float of seconds since the Unix epoch and moves only when asked
(``advance_to``). Timers are plain data, ``(when, seq, payload)``, kept in a
heap, so a snapshot of the clock is a copy of a list. ``seq`` breaks ties in
the order timers were scheduled, as SimPy does, which keeps runs repeatable.

Left out: processes/coroutines (they cannot be snapshotted) and real time.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable
from datetime import UTC, datetime

_seconds_by_text: dict[str, float] = {}


def parse_rfc3339(text: str) -> float:
    """"2025-01-01T00:00:00Z" -> seconds since the epoch."""
    # Cached by content: controllers re-read the same timestamps (readiness, deletion) at every sync.
    if not isinstance(text, str):
        return _parse_rfc3339(text)  # fails as it always did
    seconds = _seconds_by_text.get(text)
    if seconds is None:
        seconds = _parse_rfc3339(text)
        if len(_seconds_by_text) > 4096:
            _seconds_by_text.clear()
        _seconds_by_text[text] = seconds
    return seconds


def _parse_rfc3339(text: str) -> float:
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


_rfc3339_by_second: dict[int, str] = {}


def format_rfc3339(seconds: float) -> str:
    """Seconds since the epoch -> "2025-01-01T00:00:00Z" (whole seconds, as metav1.Time)."""
    # Cached by whole (virtual) second: a busy cluster stamps thousands of objects within one second.
    whole = int(seconds)
    text = _rfc3339_by_second.get(whole)
    if text is None:
        if len(_rfc3339_by_second) > 4096:
            _rfc3339_by_second.clear()
        text = _rfc3339_by_second[whole] = datetime.fromtimestamp(whole, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text


def format_rfc3339_micro(seconds: float) -> str:
    """metav1.MicroTime form used by events.k8s.io: "2025-01-01T00:00:00.000000Z"."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class VirtualClock:
    """A clock that jumps from timer to timer."""

    def __init__(self, start: float | str = "2025-01-01T00:00:00Z") -> None:
        self._now = parse_rfc3339(start) if isinstance(start, str) else float(start)
        self._timers: list[tuple[float, int, Hashable]] = []
        self._seq = 0

    def now(self) -> float:
        return self._now

    def rfc3339(self) -> str:
        return format_rfc3339(self._now)

    def schedule(self, when: float, payload: Hashable) -> None:
        """Fire ``payload`` once the clock reaches ``when`` (never in the past)."""
        self._seq += 1
        heapq.heappush(self._timers, (max(when, self._now), self._seq, payload))

    def schedule_in(self, delay: float, payload: Hashable) -> None:
        self.schedule(self._now + max(0.0, delay), payload)

    def next_due(self) -> float | None:
        return self._timers[0][0] if self._timers else None

    def pop_due(self) -> list[Hashable]:
        """Remove and return the payloads of every timer due at or before now."""
        due = []
        while self._timers and self._timers[0][0] <= self._now:
            due.append(heapq.heappop(self._timers)[2])
        return due

    def advance_to(self, when: float) -> None:
        if when > self._now:
            self._now = when

    def pending(self) -> int:
        return len(self._timers)

    # Snapshots are plain data.
    def state(self) -> tuple[float, list[tuple[float, int, Hashable]], int]:
        return (self._now, list(self._timers), self._seq)

    def set_state(self, state: tuple[float, list[tuple[float, int, Hashable]], int]) -> None:
        self._now, timers, self._seq = state
        self._timers = list(timers)
        heapq.heapify(self._timers)
