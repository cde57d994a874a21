"""Label and field selectors (k8s.io/apimachinery/pkg/labels, pkg/fields).

String forms as kubectl's ``-l`` and ``--field-selector`` take them:
``app=web``, ``app==web``, ``app!=web``, ``app in (a,b)``, ``app notin (a)``,
``app``, ``!app``, ``tier>1``; and LabelSelector dicts (matchLabels,
matchExpressions) as objects carry them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kubenb.api import objects


class SelectorError(ValueError):
    """A selector that does not parse; the message is the upstream one."""


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str  # "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        op = self.operator
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        if op in ("gt", "lt"):
            if self.key not in labels:
                return False
            try:
                have = int(labels[self.key])
            except ValueError:
                return False
            want = int(self.values[0])
            return have > want if op == "gt" else have < want
        return False

    def __str__(self) -> str:
        op = self.operator
        if op == "exists":
            return self.key
        if op == "!":
            return "!" + self.key
        if op in ("in", "notin"):
            return f"{self.key} {op} ({','.join(sorted(self.values))})"
        if op == "gt":
            return f"{self.key}>{self.values[0]}"
        if op == "lt":
            return f"{self.key}<{self.values[0]}"
        return f"{self.key}{op}{self.values[0]}"


@dataclass(frozen=True, slots=True)
class Selector:
    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False  # labels.Nothing(): matches no object

    def matches(self, labels: dict[str, str]) -> bool:
        if self.nothing:
            return False
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.requirements and not self.nothing

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


EVERYTHING = Selector()
NOTHING = Selector(nothing=True)

_TOKEN = re.compile(r"\s*(\(|\)|,|==|!=|=|!|>|<|in\b|notin\b|[^\s(),=!<>]+)")


def parse(text: str) -> Selector:
    """labels.Parse: the string form; raises SelectorError with the upstream wording."""
    text = text.strip()
    if not text:
        return EVERYTHING
    tokens = _tokenize(text)
    requirements: list[Requirement] = []
    i = 0

    def expect_values() -> tuple[tuple[str, ...], int]:
        nonlocal i
        if i >= len(tokens) or tokens[i] != "(":
            raise SelectorError(f"found '{tokens[i] if i < len(tokens) else ''}', expected: '('")
        i += 1
        values: list[str] = []
        while i < len(tokens) and tokens[i] != ")":
            if tokens[i] == ",":
                i += 1
                continue
            values.append(tokens[i])
            i += 1
        if i >= len(tokens):
            raise SelectorError("found '', expected: ')'")
        i += 1
        return tuple(values), i

    while i < len(tokens):
        token = tokens[i]
        if token == "!":
            i += 1
            if i >= len(tokens):
                raise SelectorError("found '', expected: identifier")
            requirements.append(Requirement(tokens[i], "!"))
            i += 1
        else:
            key = token
            _check_key(key)
            i += 1
            if i >= len(tokens) or tokens[i] == ",":
                requirements.append(Requirement(key, "exists"))
            else:
                op = tokens[i]
                i += 1
                if op in ("=", "==", "!="):
                    value = tokens[i] if i < len(tokens) and tokens[i] not in (",", "(", ")") else ""
                    if value:
                        i += 1
                    requirements.append(Requirement(key, op, (value,)))
                elif op in ("in", "notin"):
                    values, i = expect_values()
                    requirements.append(Requirement(key, op, values))
                elif op in (">", "<"):
                    value = tokens[i] if i < len(tokens) else ""
                    i += 1
                    if not re.fullmatch(r"-?\d+", value):
                        raise SelectorError(f"for 'Gt', 'Lt' operators, the value must be an integer")
                    requirements.append(Requirement(key, "gt" if op == ">" else "lt", (value,)))
                else:
                    raise SelectorError(f"found '{op}', expected: in, notin, =, ==, !=, gt, lt")
        if i < len(tokens):
            if tokens[i] != ",":
                raise SelectorError(f"found '{tokens[i]}', expected: ',' or 'end of string'")
            i += 1
            if i >= len(tokens):
                raise SelectorError("found '', expected: identifier after ','")
    return Selector(tuple(requirements))


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise SelectorError(f"unable to parse requirement: {text[pos:]}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")


def _check_key(key: str) -> None:
    name = key.rpartition("/")[2]
    if not name or len(name) > 63 or not _QUALIFIED.fullmatch(name):
        raise SelectorError(
            f"unable to parse requirement: values[0][{key}]: Invalid value: \"{key}\": name part must consist "
            "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )


def from_label_selector(selector: dict | None) -> Selector:
    """metav1.LabelSelectorAsSelector: None -> Nothing, {} -> Everything."""
    if selector is None:
        return NOTHING
    requirements = [Requirement(k, "=", (v,)) for k, v in sorted((selector.get("matchLabels") or {}).items())]
    op_names = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}
    for expression in selector.get("matchExpressions") or []:
        op = op_names.get(expression.get("operator", ""))
        if op is None:
            return NOTHING
        requirements.append(Requirement(expression["key"], op, tuple(expression.get("values") or ())))
    return Selector(tuple(requirements))


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: "<none>" for none/empty, else the string form."""
    if selector is None:
        return "<none>"
    text = str(from_label_selector(selector))
    if not text and not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return "<none>"
    return text or "<none>"


# --- field selectors ------------------------------------------------------------------------------

def parse_field_selector(text: str) -> Callable[[dict], bool]:
    """fields.ParseSelector: "metadata.name=x,status.phase!=Running" -> predicate over an object."""
    text = text.strip()
    if not text:
        return lambda obj: True
    checks: list[tuple[str, str, str]] = []
    for part in text.split(","):
        for op in ("!=", "==", "="):
            if op in part:
                key, _, value = part.partition(op)
                checks.append((key.strip(), "!=" if op == "!=" else "=", value.strip()))
                break
        else:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")

    def predicate(obj: dict) -> bool:
        for key, op, value in checks:
            have = field_value(obj, key)
            if (have == value) != (op == "="):
                return False
        return True

    return predicate


def field_value(obj: dict, path: str) -> str:
    value = objects.get_path(obj, path, "")
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# Fields each kind supports in field selectors (beyond metadata.name and metadata.namespace).
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
    "Event": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
              "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
              "reason", "reportingComponent", "source", "type"),
    "Secret": ("type",),
    "Node": ("spec.unschedulable",),
    "Namespace": ("status.phase",),
    "ReplicaSet": ("status.replicas",),
    "Job": ("status.successful",),
}
