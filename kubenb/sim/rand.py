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
import uuid

# k8s.io/apimachinery/pkg/util/rand: "bcdfghjklmnpqrstvwxz2456789"
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

# names.SimpleNameGenerator: maxNameLength 63, randomLength 5, maxGeneratedNameLength 58.
MAX_GENERATED_NAME_LENGTH = 63 - 5


class SeededRandom:
    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def string(self, length: int) -> str:
        return "".join(self._random.choice(NAME_ALPHABET) for _ in range(length))

    def generate_name(self, base: str) -> str:
        """apiserver's SimpleNameGenerator.GenerateName."""
        if len(base) > MAX_GENERATED_NAME_LENGTH:
            base = base[:MAX_GENERATED_NAME_LENGTH]
        return base + self.string(5)

    def uid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

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
