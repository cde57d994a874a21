"""SeededRandom: the one random source of a cluster.

Mirrors the places where Kubernetes draws randomness: object uids
(k8s.io/apimachinery/pkg/util/uuid), ``generateName`` suffixes
(apiserver names.SimpleNameGenerator: 5 characters from
``utilrand.String``'s alphabet, which leaves out vowels and easily confused
characters so that no words are spelled) and load-balancing picks.
Everything is drawn from one ``random.Random(seed)`` so that a cluster is
repeatable and its state can be saved and restored.
"""

from __future__ import annotations

import random
import sys
from array import array

# k8s.io/apimachinery/pkg/util/rand: "bcdfghjklmnpqrstvwxz2456789"
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

# names.SimpleNameGenerator: maxNameLength 63, randomLength 5, maxGeneratedNameLength 58.
MAX_GENERATED_NAME_LENGTH = 63 - 5


HEX_DIGITS = "0123456789abcdef"
# uuid.UUID(version=4): variant bits 10 (RFC 4122) at bits 62-63, version 4 at bits 76-79.
_UUID_KEEP = ~((0xc000 << 48) | (0xf000 << 64)) & ((1 << 128) - 1)
_UUID_V4 = (0x8000 << 48) | (4 << 76)
_DIGIT_OF_TOP_BYTE = bytes(ord(HEX_DIGITS[byte >> 3]) if byte < 128 else 0 for byte in range(256))
_RETRIED_TOP_BYTES = bytes(range(128, 256))


class SeededRandom:
    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def string(self, length: int) -> str:
        choice = self._random.choice  # the same draws as a generator, without its frame per character
        return "".join([choice(NAME_ALPHABET) for _ in range(length)])

    def generate_name(self, base: str) -> str:
        """apiserver's SimpleNameGenerator.GenerateName."""
        if len(base) > MAX_GENERATED_NAME_LENGTH:
            base = base[:MAX_GENERATED_NAME_LENGTH]
        return base + self.string(5)

    def uid(self) -> str:
        # str(uuid.UUID(int=bits, version=4)) without building the UUID (every created object draws
        # one): the same version and variant bits, the same 8-4-4-4-12 grouping.
        bits = (self._random.getrandbits(128) & _UUID_KEEP) | _UUID_V4
        digits = f"{bits:032x}"
        return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"

    def hex(self, length: int) -> str:
        """``length`` hexadecimal digits, exactly as ``length`` calls of ``choice("0123456789abcdef")``.

        ``choice`` over 16 items draws 5 bits (one 32-bit Mersenne Twister word, its top 5 bits) and
        retries while they are 16 or more: a word gives the digit ``word >> 27`` when its top bit is
        clear. ``getrandbits(32 * n)`` returns the next n words, the first in the lowest bits, so
        the same words are drawn in bulk: never more words than digits still missing, so the
        generator ends where the one-by-one draws would have left it (``_HEX_IS_EXACT`` checks it).
        About twice as fast as ``choice`` per digit (a container id is 64 digits).
        """
        if _HEX_IS_EXACT:
            return _bulk_hex(self._random, length)
        choice = self._random.choice
        return "".join([choice(HEX_DIGITS) for _ in range(length)])

    def reservoir_pick(self, count: int) -> int:
        """The index (0 .. count-1) a reservoir sample of one keeps: draws exactly as the loop
        ``chosen = 0; for seen in 2..count: if randint(1, seen) == 1: chosen = seen - 1``.

        That loop is the scheduler's tie-break among ``count`` equally good nodes (upstream
        selectHost's one ``rand.Intn`` per tied node), ~100 draws per Pod on 100 nodes. Each
        ``randint(1, seen)`` is ``1 + _randbelow(seen)``: ``getrandbits(k)`` with ``k =
        seen.bit_length()``, retried while ``>= seen``; a ``getrandbits(k)`` of k <= 32 bits is one
        32-bit Mersenne Twister word, its top k bits. The same words are drawn in bulk (as ``hex``
        does): never more than the draws still missing, so the generator ends where the one-by-one
        draws would have left it (``_RESERVOIR_IS_EXACT`` checks it at import).
        """
        if _RESERVOIR_IS_EXACT and count <= _MAX_BULK_RESERVOIR:
            return _bulk_reservoir_pick(self._random, count)
        return _plain_reservoir_pick(self._random, count)

    def randint(self, low: int, high: int) -> int:
        return self._random.randint(low, high)

    def random(self) -> float:
        return self._random.random()

    def choice(self, items):  # noqa: ANN001, ANN201 - any sequence
        return self._random.choice(items)

    def shuffle(self, items: list) -> None:
        self._random.shuffle(items)

    def state(self) -> object:
        return self._random.getstate()

    def set_state(self, state: object) -> None:
        self._random.setstate(state)  # type: ignore[arg-type]


def _bulk_hex(rand: random.Random, length: int) -> str:
    # The words of getrandbits(32 * n) as little-endian bytes: each word's top byte is every fourth
    # byte from the fourth. A top byte under 128 (top bit clear) is the digit byte >> 3; the others
    # are retried, so translate drops them.
    digits = b""
    while len(digits) < length:
        missing = length - len(digits)
        top_bytes = rand.getrandbits(32 * missing).to_bytes(4 * missing, "little")[3::4]
        digits += top_bytes.translate(_DIGIT_OF_TOP_BYTE, _RETRIED_TOP_BYTES)
    return digits.decode("ascii")


# One draw per word only while a draw needs at most 32 bits (more than 2**32 tied nodes never occur).
_MAX_BULK_RESERVOIR = 1 << 31


def _plain_reservoir_pick(rand: random.Random, count: int) -> int:
    chosen = 0
    randint = rand.randint
    for seen in range(2, count + 1):
        if randint(1, seen) == 1:
            chosen = seen - 1
    return chosen


# Per ``seen`` (tied nodes so far), with k = seen.bit_length(): a 32-bit word is accepted as the
# draw ``word >> (32 - k)`` when below ``seen << (32 - k)``, and that draw is 0 (keep the latest
# node) when the word is below ``1 << (32 - k)``. Comparing the whole word against these bounds
# saves the shift and bit_length per word; the lists grow to the largest tie seen.
_ACCEPT_BELOW: list[int] = [0, 0]
_KEEP_BELOW: list[int] = [0, 0]


def _grow_reservoir_bounds(count: int) -> None:
    for seen in range(len(_ACCEPT_BELOW), count + 1):
        shift = 32 - seen.bit_length()
        _ACCEPT_BELOW.append(seen << shift)
        _KEEP_BELOW.append(1 << shift)


def _bulk_reservoir_pick(rand: random.Random, count: int) -> int:
    # A draw is retried (taking the next word) when it is ``seen`` or more, so a batch of words may
    # complete fewer draws than it has words: the loop then draws the still missing ones.
    if count >= len(_ACCEPT_BELOW):
        _grow_reservoir_bounds(count)
    accept_below, keep_below = _ACCEPT_BELOW, _KEEP_BELOW
    getrandbits = rand.getrandbits
    chosen = 0
    seen = 2
    while seen <= count:
        missing = count - seen + 1
        for word in array("I", getrandbits(32 * missing).to_bytes(4 * missing, sys.byteorder)):
            if word < accept_below[seen]:
                if word < keep_below[seen]:
                    chosen = seen - 1
                seen += 1
    return chosen


def _reservoir_matches_randint() -> bool:
    # ``reservoir_pick`` relies on how this Python's ``randint`` draws (CPython 3.11:
    # ``_randbelow_with_getrandbits``) and on 4-byte array words; otherwise it uses ``randint``.
    if array("I").itemsize != 4:
        return False
    bulk, one_by_one = random.Random(11), random.Random(11)
    same = all(_bulk_reservoir_pick(bulk, n) == _plain_reservoir_pick(one_by_one, n)
               for n in (2, 3, 5, 100, 100, 129, 7, 300))
    return same and bulk.getstate() == one_by_one.getstate()


def _hex_matches_choice() -> bool:
    # ``hex`` relies on how this Python's ``random.choice`` draws (CPython 3.11: 5-bit draws with
    # retries); should that ever change, it falls back to ``choice`` itself.
    bulk, one_by_one = random.Random(7), random.Random(7)
    same = all(_bulk_hex(bulk, n) == "".join([one_by_one.choice(HEX_DIGITS) for _ in range(n)])
               for n in (1, 64, 64, 13))
    return same and bulk.getstate() == one_by_one.getstate()


_HEX_IS_EXACT = _hex_matches_choice()
_RESERVOIR_IS_EXACT = _reservoir_matches_randint()
