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

from kubenb.api import errors, names, objects


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

# --- the string parser, ported from labels.Lexer / labels.Parser -----------------------------------

_SPECIAL = "=!(),><"
_SYMBOLS = {"=": "=", "==": "==", "!": "!", "!=": "!=", "(": "(", ")": ")", ",": ",", ">": ">", "<": "<"}
_KEYWORDS = {"in": "in", "notin": "notin"}
_BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt"
_WHITESPACE = " \t\r\n"
IDENT, EOS, ERROR = "ident", "eos", "error"


def _lex(text: str) -> list[tuple[str, str]]:
    """Tokens as (kind, literal); kinds are the symbol itself, "in"/"notin", IDENT, EOS or ERROR."""
    tokens: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= end:
            tokens.append((EOS, ""))
            return tokens
        if text[pos] in _SPECIAL:
            buffer, last = "", None
            while pos < end and text[pos] in _SPECIAL:
                buffer += text[pos]
                if buffer in _SYMBOLS:
                    last = (_SYMBOLS[buffer], buffer)
                    pos += 1
                elif last is not None:
                    break
                else:
                    pos += 1
            if last is None:
                tokens.append((ERROR, f"error expected: keyword found '{buffer}'"))
                continue
            tokens.append(last)
            continue
        start = pos
        while pos < end and text[pos] not in _WHITESPACE and text[pos] not in _SPECIAL:
            pos += 1
        word = text[start:pos]
        tokens.append((_KEYWORDS.get(word, IDENT), word))


def _validate_key(key: str, path: str) -> None:
    errs = names.is_qualified_name(key)
    if errs:
        raise SelectorError(errors.invalid(path, key, "; ".join(errs)).message())


def _new_requirement(key: str, op: str, values: list[str]) -> Requirement:
    """labels.NewRequirement with the parser's nil path; raises the aggregated field errors."""
    problems: list[errors.FieldError] = []
    key_errs = names.is_qualified_name(key)
    if key_errs:
        problems.append(errors.invalid("key", key, "; ".join(key_errs)))
    if op in ("gt", "lt"):
        if len(values) != 1:
            problems.append(errors.invalid("values", errors.GoValue("[" + " ".join(values) + "]"),
                                           "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, value in enumerate(values):
            if not re.fullmatch(r"[+-]?[0-9]+", value) or not -(2**63) <= int(value) < 2**63:
                problems.append(errors.invalid(f"values[{i}]", value,
                                               "for 'Gt', 'Lt' operators, the value must be an integer"))
    for i, value in enumerate(values):
        value_errs = names.is_valid_label_value(value)
        if value_errs:
            problems.append(errors.invalid(f"values[{i}][{key}]", value, "; ".join(value_errs)))
    if problems:
        messages = [p.message() for p in problems]
        raise SelectorError(messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]")
    return Requirement(key, op, tuple(values))


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.position = 0

    def lookahead(self, values_context: bool = True) -> tuple[str, str]:
        kind, literal = self.tokens[min(self.position, len(self.tokens) - 1)]
        if values_context and kind in ("in", "notin"):
            kind = IDENT
        return kind, literal

    def consume(self, values_context: bool = True) -> tuple[str, str]:
        token = self.lookahead(values_context)
        self.position += 1
        return token

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            kind, literal = self.lookahead()
            if kind in (IDENT, "!"):
                try:
                    requirements.append(self.parse_requirement())
                except SelectorError as error:
                    raise SelectorError(f"unable to parse requirement: {error}") from None
                kind, literal = self.consume()
                if kind == EOS:
                    return requirements
                if kind == ",":
                    next_kind, next_literal = self.lookahead()
                    if next_kind not in (IDENT, "!"):
                        raise SelectorError(f"found '{next_literal}', expected: identifier after ','")
                else:
                    raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            elif kind == EOS:
                return requirements
            else:
                raise SelectorError(f"found '{literal}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        operator = ""
        kind, literal = self.consume()
        if kind == "!":
            operator = "!"
            kind, literal = self.consume()
        if kind != IDENT:
            raise SelectorError(f"found '{literal}', expected: identifier")
        _validate_key(literal, "<nil>")
        key = literal
        if self.lookahead()[0] in (EOS, ",") and operator != "!":
            operator = "exists"
        if operator in ("exists", "!"):
            return _new_requirement(key, operator, [])
        kind, literal = self.consume(values_context=False)
        ops = {"in": "in", "notin": "notin", "=": "=", "==": "==", "!=": "!=", ">": "gt", "<": "lt"}
        if kind not in ops:
            raise SelectorError(f"found '{literal}', expected: {_BINARY_OPERATORS}")
        operator = ops[kind]
        values = self.parse_values() if operator in ("in", "notin") else self.parse_exact_value()
        return _new_requirement(key, operator, sorted(set(values)))

    def parse_values(self) -> list[str]:
        kind, literal = self.consume()
        if kind != "(":
            raise SelectorError(f"found '{literal}' expected: '('")
        kind, literal = self.lookahead()
        if kind in (IDENT, ","):
            values = self.parse_identifiers_list()
            if self.consume()[0] != ")":
                raise SelectorError(f"found '{literal}', expected: ')'")
            return values
        if kind == ")":
            self.consume()
            return [""]
        raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> list[str]:
        values: list[str] = []
        while True:
            kind, literal = self.consume()
            if kind == IDENT:
                values.append(literal)
                next_kind, next_literal = self.lookahead()
                if next_kind == ",":
                    continue
                if next_kind == ")":
                    return values
                raise SelectorError(f"found '{next_literal}', expected: ',' or ')'")
            if kind == ",":
                if not values:
                    values.append("")
                next_kind, _ = self.lookahead()
                if next_kind == ")":
                    values.append("")
                    return values
                if next_kind == ",":
                    self.consume()
                    values.append("")
                continue
            raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def parse_exact_value(self) -> list[str]:
        kind, _ = self.lookahead()
        if kind in (EOS, ","):
            return [""]
        kind, literal = self.consume()
        if kind == IDENT:
            return [literal]
        raise SelectorError(f"found '{literal}', expected: identifier")


def parse(text: str) -> Selector:
    """labels.Parse: the string form; raises SelectorError with the upstream wording.

    Requirements come back sorted by key (stable), as upstream's String() prints them.
    """
    requirements = _Parser(text).parse()
    requirements.sort(key=lambda r: r.key)
    return Selector(tuple(requirements)) if requirements else EVERYTHING


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
    if path == "source" and obj.get("kind") == "Event":
        # EventToSelectableFields: source.component, else (an events.k8s.io event) reportingController.
        source = obj.get("source")
        component = source.get("component") if isinstance(source, dict) else None
        return str(component or obj.get("reportingComponent") or "")
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
