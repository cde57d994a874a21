"""Semantic validation with upstream messages, as a table of kind -> validator (placeholder)."""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api.errors import FieldError
from kubenb.api.resources import ResourceType

VALIDATORS: dict[str, Callable[[dict, dict | None], list[FieldError]]] = {}


def validate(rtype: ResourceType, obj: dict, old: dict | None) -> list[FieldError]:
    validator = VALIDATORS.get(rtype.kind)
    return validator(obj, old) if validator is not None else []
