"""A pflag-compatible flag parser (github.com/spf13/pflag as cobra uses it in kubectl).

Why not argparse: kubectl's error texts come from pflag (``unknown flag:
--foo``, ``unknown shorthand flag: 'x' in -x``, ``flag needs an argument:
'n' in -n``, ``invalid argument "abc" for "--replicas" flag: ...``), flags may
appear anywhere (interspersed), ``--`` ends flags, and bool flags take
``--flag=false``. Matching those exactly is simpler with a small parser than
by bending argparse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

BOOL = "bool"
STRING = "string"
INT = "int"
INT64 = "int64"
INT32 = "int32"
DURATION = "duration"
STRING_ARRAY = "stringArray"  # repeatable, each value kept whole
STRING_SLICE = "strings"  # repeatable, values split on commas
STRING_TO_STRING = "stringToString"


class FlagError(Exception):
    """A flag error; the message is pflag's, kubectl adds 'error: ' and the usage hint."""


@dataclass(frozen=True, slots=True)
class Flag:
    name: str
    type: str = STRING
    default: Any = None
    shorthand: str = ""
    usage: str = ""
    no_opt_default: str | None = None  # value when given bare (bools: "true"; --dry-run: "unchanged")
    hidden: bool = False

    def initial(self) -> Any:
        if self.default is not None:
            return list(self.default) if isinstance(self.default, list | tuple) else self.default
        return {BOOL: False, STRING: "", INT: 0, INT64: 0, INT32: 0, DURATION: 0.0,
                STRING_ARRAY: [], STRING_SLICE: [], STRING_TO_STRING: {}}[self.type]


@dataclass
class Parsed:
    values: dict[str, Any]
    args: list[str]
    changed: set[str] = field(default_factory=set)
    dash_index: int = -1  # index in args where "--" was seen, or -1 (cobra's ArgsLenAtDash)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def was_set(self, name: str) -> bool:
        return name in self.changed


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration -> seconds."""
    original = text
    if text in ("0", "+0", "-0"):
        return 0.0
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if not text:
        raise ValueError(f'time: invalid duration "{original}"')
    total = 0.0
    pos = 0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if match is None:
            if re.fullmatch(r"\d+(?:\.\d*)?", text[pos:]):
                raise ValueError(f'time: missing unit in duration "{original}"')
            unit = re.match(r"[\d.]*([^\d.]*)", text[pos:])
            if unit and unit.group(1):
                raise ValueError(f'time: unknown unit "{unit.group(1)}" in duration "{original}"')
            raise ValueError(f'time: invalid duration "{original}"')
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    return sign * total


def _convert(flag: Flag, raw: str, current: Any) -> Any:
    kind = flag.type
    if kind == BOOL:
        lowered = raw
        if lowered in ("1", "t", "T", "true", "TRUE", "True"):
            return True
        if lowered in ("0", "f", "F", "false", "FALSE", "False"):
            return False
        raise ValueError(f'strconv.ParseBool: parsing "{raw}": invalid syntax')
    if kind in (INT, INT64, INT32):
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ValueError(f'strconv.ParseInt: parsing "{raw}": invalid syntax')
        value = int(raw)
        bits = 32 if kind == INT32 else 64
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError(f'strconv.ParseInt: parsing "{raw}": value out of range')
        return value
    if kind == DURATION:
        return parse_duration(raw)
    if kind == STRING_ARRAY:
        return [*current, raw]
    if kind == STRING_SLICE:
        return [*current, *([] if raw == "" else raw.split(","))]
    if kind == STRING_TO_STRING:
        result = dict(current)
        for pair in raw.split(","):
            key, sep, value = pair.partition("=")
            if not sep:
                raise ValueError(f"{pair} must be formatted as key=value")
            result[key] = value
        return result
    return raw


def parse(argv: list[str], flags: list[Flag]) -> Parsed:
    """Parse interspersed flags and positional arguments the way pflag does."""
    by_name = {f.name: f for f in flags}
    by_short = {f.shorthand: f for f in flags if f.shorthand}
    values = {f.name: f.initial() for f in flags}
    changed: set[str] = set()
    args: list[str] = []
    dash_index = -1
    i = 0

    def set_value(flag: Flag, raw: str, shown: str) -> None:
        try:
            values[flag.name] = _convert(flag, raw, values[flag.name] if flag.name in changed else
                                         ([] if flag.type in (STRING_ARRAY, STRING_SLICE) else
                                          {} if flag.type == STRING_TO_STRING else None))
        except ValueError as error:
            raise FlagError(f'invalid argument "{raw}" for "{shown}" flag: {error}') from None
        changed.add(flag.name)

    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "--":
            dash_index = len(args)
            args.extend(argv[i:])
            break
        if token.startswith("--") and len(token) > 2:
            body = token[2:]
            name, has_value, value = body.partition("=")
            flag = by_name.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}")
            # pflag names the flag as "-r, --replicas" in errors whenever it has a shorthand.
            long_shown = f"-{flag.shorthand}, --{name}" if flag.shorthand else f"--{name}"
            if has_value:
                set_value(flag, value, long_shown)
            elif flag.type == BOOL or flag.no_opt_default is not None:
                set_value(flag, flag.no_opt_default if flag.no_opt_default is not None else "true", long_shown)
            elif i < len(argv):
                set_value(flag, argv[i], long_shown)
                i += 1
            else:
                raise FlagError(f"flag needs an argument: --{name}")
            continue
        if token.startswith("-") and len(token) > 1 and token != "-":
            shorts = token[1:]
            j = 0
            while j < len(shorts):
                letter = shorts[j]
                flag = by_short.get(letter)
                if flag is None:
                    raise FlagError(f"unknown shorthand flag: '{letter}' in -{shorts}")
                rest = shorts[j + 1:]
                shown = f"-{letter}, --{flag.name}"
                if rest.startswith("="):
                    set_value(flag, rest[1:], shown)
                    break
                if flag.type == BOOL or flag.no_opt_default is not None:
                    set_value(flag, flag.no_opt_default if flag.no_opt_default is not None else "true", shown)
                    j += 1
                    continue
                if rest:
                    set_value(flag, rest, shown)
                    break
                if i < len(argv):
                    set_value(flag, argv[i], shown)
                    i += 1
                    break
                raise FlagError(f"flag needs an argument: '{letter}' in -{shorts}")
            continue
        args.append(token)
    return Parsed(values, args, changed, dash_index)
