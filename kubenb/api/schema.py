"""Strict schema checks against the v1.33 OpenAPI schemas (placeholder until the schema work lands).

The full implementation reads the kubernetes-validate package's strict schema
set at run time and reports unknown and mistyped fields with the apiserver's
strict-decoding wording.
"""

from __future__ import annotations


def strict_errors(obj: dict) -> list[str]:
    """Messages such as 'unknown field "spec.replica"', in the order the decoder finds them."""
    return []
