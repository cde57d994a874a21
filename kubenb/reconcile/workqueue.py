"""A stingy FIFO of keys (client-go util/workqueue): a key already waiting is not added twice.

Left out: rate limiting (virtual time makes retries explicit timers instead)
and the processing/dirty sets (there is one worker, so a key is never in
flight while it is added).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable


class WorkQueue:
    def __init__(self) -> None:
        self._queue: deque[Hashable] = deque()
        self._waiting: set[Hashable] = set()

    def add(self, key: Hashable) -> None:
        if key not in self._waiting:
            self._waiting.add(key)
            self._queue.append(key)

    def pop(self) -> Hashable:
        key = self._queue.popleft()
        self._waiting.discard(key)
        return key

    def __len__(self) -> int:
        return len(self._queue)

    def state(self) -> list[Hashable]:
        return list(self._queue)

    def set_state(self, keys: list[Hashable]) -> None:
        self._queue = deque(keys)
        self._waiting = set(keys)
