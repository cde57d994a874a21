"""SetDefaults_* of the v1.33 API groups, as a table of kind -> defaulter (placeholder)."""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api.resources import ResourceType

DEFAULTERS: dict[str, Callable[[dict], None]] = {}


def apply_defaults(rtype: ResourceType, obj: dict) -> None:
    defaulter = DEFAULTERS.get(rtype.kind)
    if defaulter is not None:
        defaulter(obj)
