"""``-o yaml``, ``-o json`` and ``-o name`` as kubectl prints them.

- YAML: sigs.k8s.io/yaml (go-yaml v2 underneath): keys sorted, block style,
  lists not indented under their key, strings that would read back as another
  type double-quoted (``"80"``, ``"true"``, ``"2025-01-01T00:00:00Z"``, ``""``).
  PyYAML's SafeDumper single-quotes those, hence the representer below. Long
  plain or single-quoted strings fold at column 80 like go-yaml's emitter
  (both are ports of libyaml's emitter, so the folding points agree).
- JSON: encoding/json MarshalIndent with 4 spaces, keys sorted (objects read from the
  server are maps), HTML characters escaped as Go does.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

# Plain scalars that go-yaml v2's resolver reads back as something other than a string (resolve.go):
# the words of its resolve table, anything strconv.ParseInt(s, 0, 64) or ParseFloat accepts once
# underscores are dropped (it starts with a digit, a sign or a dot), 0b binaries, timestamps, and
# base-60 floats (encode.go isBase60Float).
_RESOLVE_WORDS = frozenset(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF ~ null Null NULL "
    ".nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF".split()
)
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")  # resolve.go yamlStyleFloat
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)


def _needs_quotes(value: str) -> bool:
    if value == "" or value in _RESOLVE_WORDS:
        return True
    if value[0] in "0123456789+-.":
        plain = value.replace("_", "")
        if _GO_INT.fullmatch(plain) or _GO_FLOAT.fullmatch(plain) or _TIMESTAMP.fullmatch(value):
            return True
        if plain.startswith(("0b", "-0b", "+0b")) and re.fullmatch(r"[-+]?0b[01]+", plain):
            return True
    return bool(_BASE60_FLOAT.fullmatch(value))


_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
            "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _go_printable(char: str) -> bool:
    """go-yaml's is_printable (yamlprivateh.go): BMP only, no BOM, no surrogates."""
    code = ord(char)
    return (code == 0x0A or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF))


class _KubectlDumper(yaml.SafeDumper):
    """SafeDumper already writes go-yaml's indentless sequences ("containers:\n- name: x").

    go-yaml does not resolve "=" (value) or "<<" (merge) when deciding to quote, and its
    double-quoted writer differs from PyYAML's (below).
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag not in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        r"""yaml_emitter_write_double_quoted_scalar: escapes what go-yaml deems unprintable
        (\U0001F600 for characters beyond the BMP), folds only at spaces past column 80.
        Its BOM check looks at the start of the whole string, so a leading BOM escapes every
        character after it, as go-yaml does."""
        self.write_indicator('"', True)
        leading_bom = text.startswith("\ufeff")
        spaces = False
        for index, char in enumerate(text):
            if not _go_printable(char) or leading_bom or char in "\n\r\x85\u2028\u2029\"\\":
                code = ord(char)
                escape = _ESCAPES.get(char)
                if escape is None:
                    escape = f"x{code:02X}" if code <= 0xFF else f"u{code:04X}" if code <= 0xFFFF else f"U{code:08X}"
                self.stream.write("\\" + escape)
                self.column += 1 + len(escape)
                spaces = False
            elif char == " ":
                if split and not spaces and self.column > self.best_width and 0 < index < len(text) - 1:
                    self.write_indent()
                    if text[index + 1] == " ":
                        self.stream.write("\\")
                        self.column += 1
                else:
                    self.stream.write(char)
                    self.column += 1
                spaces = True
            else:
                self.stream.write(char)
                self.column += 1
                spaces = False
        self.write_indicator('"', False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if not value.isascii() and any(ord(char) > 0xFFFF for char in value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _needs_quotes(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_none(dumper: yaml.SafeDumper, _value: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_KubectlDumper.add_representer(str, _represent_str)
_KubectlDumper.add_representer(type(None), _represent_none)


_FAST = getattr(yaml, "CSafeDumper", None)
if _FAST is not None:

    class _KubectlCDumper(_FAST):  # type: ignore[misc, valid-type]
        """The same resolvers and representers over libyaml's C emitter (go-yaml is a port of it).

        Used only for documents ``_plain_enough`` admits: there the two emitters cannot differ (no
        escapes, no folding, no block literals), and the C one is several times faster on big lists."""

        yaml_implicit_resolvers = _KubectlDumper.yaml_implicit_resolvers

    _KubectlCDumper.add_representer(str, _represent_str)
    _KubectlCDumper.add_representer(type(None), _represent_none)


def _plain_enough(obj: Any, depth: int = 0) -> bool:
    """Every string is printable ASCII without line breaks, and none with a space could reach the
    folding column (80): then the emitter has no escape, fold or literal block to write."""
    kind = type(obj)
    if kind is dict:
        for key, value in obj.items():
            if type(key) is not str or not _plain_string(key, depth, 0):
                return False
            if type(value) is str:
                if not _plain_string(value, depth, len(key)):
                    return False
            elif not _plain_enough(value, depth + 1):
                return False
        return True
    if kind is list:
        return all(_plain_string(item, depth, 0) if type(item) is str else _plain_enough(item, depth + 1)
                   for item in obj)
    return kind is str and _plain_string(obj, depth, 0) or kind in (int, bool, float) or obj is None


def _plain_string(text: str, depth: int, key_length: int) -> bool:
    if not (text.isascii() and text.isprintable()):
        return False
    # Indentation is at most 2 columns per level plus "- "; quotes and ": " add 4.
    return " " not in text or 2 * depth + 2 + key_length + len(text) + 4 < 80


def to_yaml(obj: Any) -> str:
    dumper = _KubectlCDumper if _FAST is not None and _plain_enough(obj) else _KubectlDumper
    return yaml.dump(obj, Dumper=dumper, default_flow_style=False, sort_keys=True, allow_unicode=True, width=80)


def to_yaml_python(obj: Any) -> str:
    """``to_yaml`` always through the Python emitter (tests compare the two)."""
    return yaml.dump(obj, Dumper=_KubectlDumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=80)


def to_json(obj: Any) -> str:
    """MarshalIndent of an unstructured object: map keys sorted; Go escapes <, >, &, U+2028 and U+2029."""
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text + "\n"
