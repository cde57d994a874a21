"""Durations and timestamps as kubectl prints them.

Mirrors k8s.io/apimachinery ``pkg/util/duration/duration.go`` (HumanDuration,
ShortHumanDuration) and the printers' ``translateTimestampSince`` /
``translateMicroTimestampSince``. All times are seconds on the virtual clock.

Left out: nothing the table or describe printers use.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import lru_cache

from kubenb.sim.clock import parse_rfc3339


def _trunc(value: float) -> int:
    """Go's int(float) conversion: toward zero."""
    return int(math.trunc(value))


def human_duration(seconds: float) -> str:
    """duration.HumanDuration: "70s", "3m10s", "179m", "7h59m", "47h", "7d23h", "729d", "7y364d", "9y"."""
    whole = _trunc(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """duration.ShortHumanDuration: one unit only ("59s", "59m", "23h", "364d", "2y")."""
    whole = _trunc(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


@lru_cache(maxsize=16384)
def _parse_timestamp(value: str) -> float | None:
    try:
        return parse_rfc3339(value)
    except ValueError:
        return None


def timestamp_seconds(value: object) -> float | None:
    """An RFC 3339 timestamp from an object as epoch seconds, or None when unset or unreadable."""
    if not value or not isinstance(value, str):
        return None
    # A table of 10,000 Pods holds a few hundred distinct creation times: parse each once.
    return _parse_timestamp(value)


@lru_cache(maxsize=16384)
def _since(value: str, now: float) -> str:
    moment = _parse_timestamp(value)
    if moment is None:
        return "<unknown>"
    return human_duration(now - moment)


def since(value: object, now: float) -> str:
    """translateTimestampSince: "<unknown>" when unset, else the HumanDuration of its age."""
    if not value or not isinstance(value, str):
        return "<unknown>"
    return _since(value, now)


def rfc1123z(value: object) -> str:
    """Go's time.RFC1123Z layout, as describe prints times: "Mon, 02 Jan 2006 15:04:05 +0000"."""
    moment = timestamp_seconds(value)
    if moment is None:
        return "<unknown>"
    return datetime.fromtimestamp(int(moment), tz=UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
