"""resource.Quantity, ported by hand (k8s.io/apimachinery/pkg/api/resource: quantity.go, suffix.go, amount.go).

A Quantity is an exact rational value plus the format class of the suffix it
was written with (DecimalSI, BinarySI, DecimalExponent). ``parse`` follows
upstream's scanner so the same inputs fail with the same error text;
``str()`` is upstream's canonical form (what the API server stores and
printers show). Left out: the int64 fast path (an optimisation only),
``RoundUp`` to other scales, and the protobuf/JSON marshalling helpers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
ERR_FORMAT_EMPTY = "quantities must contain at least one digit"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_NANO = Fraction(1, 10**9)
_MAX_INT64 = 2**63 - 1
_SUFFIX_CHARS = "eEinumkKMGTP"

# suffix -> (base, exponent)
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT = {v: k for k, v in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_EXPONENT = {v: k for k, v in _BINARY_SUFFIXES.items()}


class QuantityError(ValueError):
    """A parse failure; ``str()`` is upstream's error text."""


@functools.total_ordering
@dataclass(frozen=True)
class Quantity:
    value: Fraction
    format: str = DECIMAL_SI

    def __str__(self) -> str:
        return canonical_string(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.value == other.value

    def __lt__(self, other: Quantity) -> bool:
        return self.value < other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def cmp(self, other: Quantity) -> int:
        """Quantity.Cmp: -1, 0 or 1."""
        return (self.value > other.value) - (self.value < other.value)

    def is_zero(self) -> bool:
        return self.value == 0

    def int_value(self) -> int:
        """Quantity.Value(): rounded up (away from zero) to an integer."""
        return _round_away(self.value, 1)

    def milli_value(self) -> int:
        """Quantity.MilliValue(): the value in thousandths, rounded up."""
        return _round_away(self.value * 1000, 1)

    def __add__(self, other: Quantity) -> Quantity:
        # Quantity.Add: a zero quantity takes the format of what is added to it (so summing "70Mi"
        # onto a zero prints "70Mi", as kubectl describe node's totals do).
        return Quantity(self.value + other.value, other.format if self.value == 0 else self.format)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.value - other.value, other.format if self.value == 0 else self.format)


def _round_away(value: Fraction, step: int) -> int:
    if value >= 0:
        return -((-value.numerator * step) // value.denominator) if step == 1 else -(-value // step)
    return -_round_away(-value, step)


def _scan(text: str) -> tuple[bool, str, str, str, str]:
    """parseQuantityString: (positive, value, num, denom, suffix); raises the format error."""
    positive = True
    pos = 0
    end = len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] != "-"
        pos += 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    start = pos
    while pos < end and text[pos].isascii() and text[pos].isdigit():
        pos += 1
    num = text[start:pos] or "0"
    if pos >= end:
        return positive, text, num, "", ""
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos].isascii() and text[pos].isdigit():
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos >= end:
        return positive, value, num, denom, text[suffix_start:]
    if text[pos] in "+-":
        pos += 1
    while pos < end and text[pos].isascii() and text[pos].isdigit():
        pos += 1
    if pos >= end:
        return positive, value, num, denom, text[suffix_start:]
    raise QuantityError(ERR_FORMAT_WRONG)


def _interpret(suffix: str) -> tuple[int, int, str] | None:
    """suffixHandler.interpret: (base, exponent, format) or None."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if body.isdigit():
            return 10, int(digits), DECIMAL_EXPONENT
    return None


def _to_fraction(value: str) -> Fraction:
    """inf.Dec.SetString over the numeric part (sign, digits, optional fraction)."""
    text = value
    sign = 1
    if text[:1] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    whole, _, frac = text.partition(".")
    if not (whole or frac) or not (whole + frac).isdigit():
        raise QuantityError(ERR_NUMERIC)
    return sign * Fraction(int(whole + frac or "0"), 10 ** len(frac))


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Quantity:
    """resource.ParseQuantity (memoised: manifests repeat the same few quantities; results are immutable)."""
    if not text:
        raise QuantityError(ERR_FORMAT_EMPTY)
    positive, value, _num, _denom, suffix = _scan(text)
    interpreted = _interpret(suffix)
    if interpreted is None:
        raise QuantityError(ERR_SUFFIX)
    base, exponent, fmt = interpreted
    amount = abs(_to_fraction(value)) if value not in ("0",) else Fraction(0)
    amount *= Fraction(base) ** exponent
    if amount != 0:
        # Round up to a whole number of nanounits: asking for a little gets a little.
        amount = Fraction(_round_away(amount / _NANO, 1)) * _NANO
    if fmt == BINARY_SI and amount > _MAX_INT64:
        amount = Fraction(_MAX_INT64)
    if fmt == BINARY_SI and 0 < amount < 1:
        fmt = DECIMAL_SI
    if not positive:
        amount = -amount
    return Quantity(amount, fmt)


def must_parse(text: str) -> Quantity:
    return parse(text)


def from_milli(milli: int, fmt: str = DECIMAL_SI) -> Quantity:
    return Quantity(Fraction(milli, 1000), fmt)


def from_int(value: int, fmt: str = DECIMAL_SI) -> Quantity:
    return Quantity(Fraction(value), fmt)


def canonical_string(q: Quantity) -> str:
    """Quantity.String() via CanonicalizeBytes."""
    value = q.value
    if value == 0:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI:
        if -1024 < value < 1024 or value.denominator != 1:
            fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        mantissa = value.numerator
        power = 0
        while mantissa % 1024 == 0 and power < 6:
            mantissa //= 1024
            power += 1
        return f"{mantissa}{_BINARY_BY_EXPONENT.get(power * 10, '')}"
    # Decimal: mantissa * 10^exponent with the largest exponent, lowered to a multiple of 3.
    exponent = 0
    while (value * 10 ** -exponent).denominator != 1:
        exponent -= 1  # stored values are multiples of 10^-9, so this stops by -9
    mantissa = int(value * 10 ** -exponent)
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    while exponent % 3 != 0:
        mantissa *= 10
        exponent -= 1
    if fmt == DECIMAL_EXPONENT:
        return f"{mantissa}" + (f"e{exponent}" if exponent else "")
    while exponent > 18:
        mantissa *= 1000
        exponent -= 3
    return f"{mantissa}{_DECIMAL_BY_EXPONENT[exponent]}"


def canonicalize(text: str) -> str:
    return str(parse(text))
