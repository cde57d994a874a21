"""Every feedback template exists in English and Japanese with the same placeholders."""

from __future__ import annotations

import string

from kubenb.quiz.messages import TEXTS


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_japanese_and_english_have_the_same_templates():
    assert TEXTS["en"].keys() == TEXTS["ja"].keys()
    for key, english in TEXTS["en"].items():
        assert _fields(english) == _fields(TEXTS["ja"][key]), key
        assert TEXTS["ja"][key] != english or key in (), key
