"""SeededRandom's bulk draws (hex, reservoir_pick) draw exactly what the one-by-one calls drew.

Container ids and the scheduler's tie-breaks must not change.
"""

from __future__ import annotations

import random
import uuid

from kubenb.sim import rand as rand_module
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


def _reservoir_by_randint(rand: random.Random, count: int) -> int:
    # The scheduler's former tie-break loop: one randint per further tied node.
    chosen = 0
    for seen in range(2, count + 1):
        if rand.randint(1, seen) == 1:
            chosen = seen - 1
    return chosen


def test_reservoir_pick_equals_one_randint_per_tied_node_and_leaves_the_same_state():
    assert rand_module._RESERVOIR_IS_EXACT  # CPython 3.11: the bulk path is the one in use
    sizes = (2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1, 100, 255, 256, 257, 100)
    for seed in range(300):
        bulk, one_by_one = SeededRandom(seed), random.Random(seed)
        for count in sizes:
            assert bulk.reservoir_pick(count) == _reservoir_by_randint(one_by_one, count), (seed, count)
            assert bulk.hex(7) == "".join(one_by_one.choice(HEX_DIGITS) for _ in range(7))  # interleaved
        assert bulk.state() == one_by_one.getstate()
    big, reference = SeededRandom(1), random.Random(1)
    for count in (1000, 4097, 2, 70000):
        assert big.reservoir_pick(count) == _reservoir_by_randint(reference, count)
    assert big.state() == reference.getstate()


def test_reservoir_pick_picks_every_index_uniformly_enough():
    rand = SeededRandom(3)
    counts = [0] * 5
    for _ in range(5000):
        counts[rand.reservoir_pick(5)] += 1
    assert all(900 < seen < 1100 for seen in counts), counts  # 1000 expected each


def test_reservoir_pick_falls_back_to_randint_when_the_bulk_path_is_off(monkeypatch):
    monkeypatch.setattr(rand_module, "_RESERVOIR_IS_EXACT", False)
    plain, reference = SeededRandom(9), random.Random(9)
    assert [plain.reservoir_pick(n) for n in (2, 100, 33)] == [_reservoir_by_randint(reference, n) for n in (2, 100, 33)]
    assert plain.state() == reference.getstate()


class _Fixed:
    def __init__(self, bits: int) -> None:
        self.bits = bits

    def getrandbits(self, count: int) -> int:
        return self.bits


class _Wrapped(SeededRandom):
    def __init__(self, rand: random.Random) -> None:
        self._random = rand
