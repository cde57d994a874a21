"""kubectl's JSONPath templates (``-o jsonpath=``, ``--sort-by``, custom columns).

Mirrors k8s.io/client-go ``util/jsonpath`` (parser.go, jsonpath.go) as kubectl
uses it: text outside ``{}`` is printed as is; inside, a field path
(``.items[*].metadata.name``, ``['a.b']``, ``[0]``, ``[1:3]``, ``[*]``, ``..name``,
filters ``[?(@.type=="Ready")]``), a quoted literal (``{"\\n"}``) or
``{range <path>}...{end}``. Several results of one action are joined by a
space; maps and lists print as compact JSON; missing keys print nothing
(kubectl turns AllowMissingKeys on).

Path evaluation is jsonpath-ng's (the ``ext`` parser, for filters): each
kubectl path is translated into jsonpath-ng syntax. The template layer is
written here because jsonpath-ng has no templates.

Left out: ``{.a,.b}`` unions inside one action and Go's ``{$}`` edge cases.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


class JSONPathError(ValueError):
    """A template that does not parse or cannot run; the message is client-go's."""


class JSONPathExecutionError(JSONPathError):
    """An error client-go reports while executing (kubectl says "error executing jsonpath")."""


@dataclass
class _Text:
    text: str


@dataclass
class _Field:
    path: str  # kubectl form, e.g. ".items[*].metadata.name" or "@.name"


@dataclass
class _Range:
    path: str
    body: list = field(default_factory=list)


def parse_template(template: str) -> list:
    """The template as a list of text, field and range nodes."""
    nodes: list = []
    stack: list[list] = [nodes]
    pos = 0
    while pos < len(template):
        start = template.find("{", pos)
        if start < 0:
            stack[-1].append(_Text(template[pos:]))
            break
        if start > pos:
            stack[-1].append(_Text(template[pos:start]))
        end = _find_action_end(template, start + 1)
        if end < 0:
            raise JSONPathError("unclosed action")
        action = template[start + 1:end].strip()
        pos = end + 1
        if action.startswith("range ") or action == "range":
            node = _Range(_check_path(action[5:].strip()))
            stack[-1].append(node)
            stack.append(node.body)
        elif action == "end":
            if len(stack) == 1:
                raise JSONPathExecutionError("not in range, nothing to end")
            stack.pop()
        elif action.startswith('"') or action.startswith("'"):
            stack[-1].append(_Text(_unquote(action)))
        elif action == "":
            continue
        else:
            stack[-1].append(_Field(_check_path(action)))
    return nodes


def _find_action_end(text: str, pos: int) -> int:
    quote = ""
    while pos < len(text):
        char = text[pos]
        if quote:
            if char == "\\":
                pos += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "}":
            return pos
        pos += 1
    return -1


def _unquote(text: str) -> str:
    if len(text) < 2 or text[-1] != text[0]:
        raise JSONPathError(f"unclosed quote: {text}")
    body = text[1:-1]
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError as error:
        raise JSONPathError(f"invalid syntax: {text}") from error


_SEGMENT = re.compile(
    r"""\.\.(?P<deep>[^.\[\]]+)            # ..name
      | \.(?P<name>(?:\\.|[^.\[\]\\])+)    # .name  (dots escaped as \.)
      | \[(?P<bracket>(?:'[^']*'|"[^"]*"|[^\]])*)\]   # [...]
    """,
    re.X,
)


def _check_path(path: str) -> str:
    if path.count("[") > path.count("]"):
        raise JSONPathError("unterminated array")
    if path.count("(") != path.count(")"):
        raise JSONPathError("unterminated filter")
    return path


def translate(path: str) -> str:
    """A kubectl field path as a jsonpath-ng expression ("$" or "@" rooted)."""
    text = path.strip()
    root = "$"
    if text.startswith("$") or text.startswith("@"):
        root, text = text[0], text[1:]
    parts = [root]
    pos = 0
    while pos < len(text):
        match = _SEGMENT.match(text, pos)
        if match is None:
            raise JSONPathError(f"unrecognized character in action: {text[pos:]!r}")
        pos = match.end()
        if match.group("deep") is not None:
            parts.append(f'.."{match.group("deep")}"' if match.group("deep") != "*" else "..*")
        elif match.group("name") is not None:
            name = match.group("name").replace("\\.", ".")
            parts.append(".*" if name == "*" else "." + json.dumps(name))
        else:
            inner = match.group("bracket").strip()
            if inner.startswith("'") or inner.startswith('"'):
                parts.append("." + json.dumps(inner[1:-1]))
            elif inner.startswith("?"):
                parts.append("[" + re.sub(r"'([^']*)'", lambda m: json.dumps(m.group(1)), inner) + "]")
            else:
                parts.append(f"[{inner}]")
    return "".join(parts)


def find(data: Any, path: str) -> list[Any]:
    """Every value at a kubectl field path (missing keys give nothing)."""
    expression = translate(path)
    if expression in ("$", "@"):
        return [data]
    # Imported on first use: jsonpath_ng (and its ply parser) costs ~20 ms, which a plain
    # ``kubectl get`` (that imports this module through the printers) should not pay.
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext import parse as jsonpath_parse

    try:
        compiled = jsonpath_parse(expression)
    except (JsonPathLexerError, JsonPathParserError, Exception) as error:  # noqa: BLE001 - parser raises plain Exception
        raise JSONPathError(f"invalid path {path!r}: {error}") from None
    return [match.value for match in compiled.find(data)]


def format_value(value: Any) -> str:
    """How client-go's jsonpath prints one result."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return go_json(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def go_json(value: Any) -> str:
    """encoding/json.Marshal: compact, keys sorted, <, > and & escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def execute(nodes: list, data: Any) -> str:
    out: list[str] = []
    _run(nodes, data, data, out)
    return "".join(out)


def _run(nodes: list, root: Any, current: Any, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Field):
            values = _values(node.path, root, current)
            out.append(" ".join(format_value(v) for v in values))
        else:
            for item in _values(node.path, root, current):
                _run(node.body, root, item, out)


def _values(path: str, root: Any, current: Any) -> list[Any]:
    text = path.strip()
    if text.startswith("@"):
        return find(current, text)
    if text.startswith("$"):
        return find(root, text)
    return find(current, "@" + text) if text else [current]


def render(template: str, data: Any) -> str:
    """Parse and run a template; JSONPathError carries client-go's message."""
    return execute(parse_template(template), data)


def relaxed(expression: str) -> str:
    """RelaxedJSONPathExpression: ".a.b" and "a.b" become "{.a.b}" (for --sort-by and custom columns)."""
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        return text
    if not text.startswith(".") and not text.startswith("["):
        text = "." + text
    return "{" + text + "}"
