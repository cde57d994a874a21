"""Watch events: what the store emits after each write, in resourceVersion order.

Mirrors k8s.io/apimachinery/pkg/watch (Added, Modified, Deleted). Subscribers
must only enqueue work; they never write back from inside a notification.
"""

from __future__ import annotations

from dataclasses import dataclass

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: str
    resource: str  # plural, e.g. "pods"
    object: dict  # the object after the change (before, for DELETED); do not mutate
    resource_version: int
    old: dict | None = None  # the previous version for MODIFIED
