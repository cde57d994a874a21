"""resource.Quantity parsing, canonical form and errors (upstream quantity_test.go cases)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubenb.api import quantity

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


@pytest.mark.parametrize(("text", "canonical"), [
    ("0", "0"), ("0.1", "100m"), ("1.5", "1500m"), ("1000M", "1G"), ("8.1k", "8100"), ("1.01E", "1010P"),
    ("1e14", "100e12"), ("1.2e3", "1200"), ("1e3", "1e3"), ("1E6", "1e6"), ("1536Mi", "1536Mi"),
    ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"), ("1000Ki", "1000Ki"), ("129M", "129M"),
    ("0.1n", "1n"), ("3.001n", "4n"), ("-1.5", "-1500m"), (".5", "500m"), ("1.", "1"), ("1.G", "1G"),
    ("1.5Ki", "1536"), ("500m", "500m"), ("2", "2"), ("100Mi", "100Mi"),
])
def test_canonical_form(text, canonical):
    assert str(quantity.parse(text)) == canonical


@pytest.mark.parametrize(("text", "message"), [
    ("1gb", FORMAT_ERROR), ("1GB", FORMAT_ERROR), ("1KiB", FORMAT_ERROR), (" 1", FORMAT_ERROR),
    ("1 ", FORMAT_ERROR), ("1.1.M", FORMAT_ERROR),
    ("1K", "unable to parse quantity's suffix"), ("1ki", "unable to parse quantity's suffix"),
    ("0.1mi", "unable to parse quantity's suffix"), ("1i", "unable to parse quantity's suffix"),
    ("1e", "unable to parse quantity's suffix"),
    ("", "quantities must contain at least one digit"),
])
def test_parse_errors(text, message):
    with pytest.raises(quantity.QuantityError) as error:
        quantity.parse(text)
    assert str(error.value) == message


def test_compare_and_derived_values():
    assert quantity.parse("1") == quantity.parse("1000m")
    assert quantity.parse("500m") < quantity.parse("1")
    assert quantity.parse("1Gi").int_value() == 1024**3
    assert quantity.parse("0.5").milli_value() == 500
    assert quantity.parse("1n").milli_value() == 1  # rounds up
    assert quantity.parse("1.5Gi").cmp(quantity.parse("1536Mi")) == 0


@given(st.integers(min_value=-(10**15), max_value=10**15),
       st.sampled_from(["", "m", "k", "M", "G", "Ki", "Mi", "Gi", "e3", "n", "u"]))
def test_canonical_round_trip(number, suffix):
    first = quantity.parse(f"{number}{suffix}")
    again = quantity.parse(str(first))
    assert again.value == first.value
    assert str(again) == str(first)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=9))
def test_decimal_values_are_exact(whole, decimals):
    text = f"{whole}.{'5' * decimals}" if decimals else str(whole)
    q = quantity.parse(text)
    assert q.value == Fraction(text) if decimals else q.value == whole


def test_adding_onto_zero_keeps_the_added_format():
    # resource.Quantity.Add/Sub: a zero receiver takes the other's format (describe node sums requests so).
    zero = quantity.parse("0")
    assert str(zero + quantity.parse("70Mi")) == "70Mi"
    assert str(zero + quantity.parse("70Mi") + quantity.parse("100Mi")) == "170Mi"
    assert str(zero - quantity.parse("1Gi")) == "-1Gi"
    assert str(quantity.parse("1") + quantity.parse("1Ki")) == "1025"
