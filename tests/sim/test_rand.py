"""SeededRandom.hex draws exactly what one choice per digit drew (container ids must not change)."""

from __future__ import annotations

import random
import uuid

from kubenb.sim.rand import HEX_DIGITS, NAME_ALPHABET, SeededRandom


def test_hex_equals_one_choice_per_digit_and_leaves_the_generator_in_the_same_state():
    for seed in range(300):
        bulk, one_by_one = SeededRandom(seed), random.Random(seed)
        for length in (64, 64, 1, 5, 0, 100, 64):
            assert bulk.hex(length) == "".join(one_by_one.choice(HEX_DIGITS) for _ in range(length))
            assert bulk.uid() == _Wrapped(one_by_one).uid()  # interleaved draws agree too
        assert bulk.state() == one_by_one.getstate()


def test_uid_and_string_are_the_uuid_module_and_choice_draws():
    for seed in range(300):
        ours, theirs = SeededRandom(seed), random.Random(seed)
        for _ in range(10):
            assert ours.uid() == str(uuid.UUID(int=theirs.getrandbits(128), version=4))
            assert ours.string(5) == "".join(theirs.choice(NAME_ALPHABET) for _ in range(5))
    extremes = _Wrapped(random.Random(0))
    for bits in (0, (1 << 128) - 1, 0x5555 << 60, 0xAAAA << 70):
        extremes._random = _Fixed(bits)  # type: ignore[assignment]
        assert extremes.uid() == str(uuid.UUID(int=bits, version=4))


class _Fixed:
    def __init__(self, bits: int) -> None:
        self.bits = bits

    def getrandbits(self, count: int) -> int:
        return self.bits


class _Wrapped(SeededRandom):
    def __init__(self, rand: random.Random) -> None:
        self._random = rand
