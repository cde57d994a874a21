"""NodeAffinity (plugins/nodeaffinity): nodeSelector and required/preferred node affinity.

Filter: the node's labels must match spec.nodeSelector and one of the
requiredDuringSchedulingIgnoredDuringExecution terms (terms are ORed, the
expressions in a term ANDed). Score: the sum of the weights of matching
preferred terms, normalised to 0..100. Left out: matchFields other than
metadata.name.
"""

from __future__ import annotations

from kubenb.scheduler.framework import NodeInfo, Rejection

NAME = "NodeAffinity"
REASON = "node(s) didn't match Pod's node affinity/selector"


def _expression_matches(expression: dict, labels: dict[str, str]) -> bool:
    key = expression.get("key", "")
    operator = expression.get("operator")
    values = expression.get("values") or []
    present = key in labels
    value = labels.get(key, "")
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt"):
        try:
            left, right = int(value), int(values[0])
        except (ValueError, IndexError):
            return False
        return present and (left > right if operator == "Gt" else left < right)
    return False


def term_matches(term: dict, node: dict) -> bool:
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False  # an empty term matches no objects
    labels = node.get("metadata", {}).get("labels") or {}
    if not all(_expression_matches(e, labels) for e in expressions):
        return False
    name_labels = {"metadata.name": node.get("metadata", {}).get("name", "")}
    return all(_expression_matches(f, name_labels) for f in fields)


def matches(pod: dict, node: dict) -> bool:
    spec = pod.get("spec", {})
    labels = node.get("metadata", {}).get("labels") or {}
    for key, value in (spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution")
    if required:
        terms = required.get("nodeSelectorTerms") or []
        if not any(term_matches(t, node) for t in terms):
            return False
    return True


def has_required(pod: dict) -> bool:
    """PreFilter: a Pod without a nodeSelector or required node affinity passes every node (Skip)."""
    spec = pod.get("spec", {})
    return bool(spec.get("nodeSelector") or ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"))


def has_preferred(pod: dict) -> bool:
    """PreScore: a Pod without preferred node affinity scores 0 everywhere (Skip)."""
    return bool(((pod.get("spec", {}).get("affinity") or {}).get("nodeAffinity") or {}).get(
        "preferredDuringSchedulingIgnoredDuringExecution"))


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001
    return None if matches(pod, info.node) else Rejection((REASON,), plugin=NAME)


def scores(pod: dict, nodes: list[NodeInfo]) -> list[int] | None:
    """The matching preferred terms' weights, normalised to 0..100; None (PreScore Skip) without any."""
    preferred = ((pod.get("spec", {}).get("affinity") or {}).get("nodeAffinity") or {}).get(
        "preferredDuringSchedulingIgnoredDuringExecution") or []
    if not preferred:
        return None
    raw = [sum(int(p.get("weight", 0)) for p in preferred if term_matches(p.get("preference") or {}, info.node))
           for info in nodes]
    best = max(raw)
    if best == 0:
        return None
    return [value * 100 // best for value in raw]
