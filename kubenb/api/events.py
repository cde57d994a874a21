"""EventRecorder: core/v1 Events as client-go's record package writes them.

An event is named ``<involved name>.<hex of the first occurrence's Unix
nanoseconds>`` and aggregated: the same (object, type, reason, message,
source) again raises ``count`` and ``lastTimestamp`` instead of adding a row,
which is what makes ``describe`` show ``(x3 over 2m)``.

Similar events (same object, type, reason and source, different messages)
go through the EventAggregator: while they keep coming less than 10 minutes
apart, the first 9 messages are events of their own and every further new
message lands in one event, ``(combined from similar events): <latest
message>``, whose count grows (a ReplicaSet refused by a quota, retrying with
back-off, shows 9 FailedCreate rows and one combined row). The state is read
back from the stored events (an index), so snapshots need nothing more.

Left out: the spam filter (25 events per object, then one per 5 minutes),
events.k8s.io/v1 series.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from kubenb.api import objects, resources
from kubenb.api.store import Store
from kubenb.sim.clock import VirtualClock, format_rfc3339, parse_rfc3339
from kubenb.sim.rand import SeededRandom

if TYPE_CHECKING:
    from kubenb.api.client import Client


AGGREGATION_INDEX = "aggregation"
SIMILAR_INDEX = "similar"
COMBINED_PREFIX = "(combined from similar events): "
MAX_SIMILAR_EVENTS = 10  # EventAggregator maxEvents
MAX_SIMILAR_INTERVAL = 600.0  # EventAggregator maxIntervalInSeconds


def _key(namespace: str, uid: object, field_path: object, reason: object, message: object, type_: object,
         source: object) -> Hashable | None:
    try:
        source_key = tuple(sorted(source.items())) if isinstance(source, dict) else source
        key = (namespace, uid, field_path, reason, message, type_, source_key)
        hash(key)
    except TypeError:
        return None  # an odd hand-made event (a list where a string belongs): never aggregated into
    return key


def aggregation_key(event: dict) -> Hashable | None:
    """What makes two events one row with a count: the object, type, reason, message and source."""
    involved = event.get("involvedObject")
    if not isinstance(involved, dict):
        return None
    namespace = (event.get("metadata") or {}).get("namespace") or ""
    return _key(namespace, involved.get("uid"), involved.get("fieldPath"), event.get("reason"),
                event.get("message"), event.get("type"), event.get("source"))


def _seconds(timestamp: object) -> float:
    try:
        return parse_rfc3339(str(timestamp)) if timestamp else 0.0
    except ValueError:
        return 0.0  # a hand-made event with an odd time: it starts no window


def similar_key(event: dict) -> Hashable | None:
    """EventAggregatorByReasonFunc without the message: the object, type, reason and source."""
    involved = event.get("involvedObject")
    if not isinstance(involved, dict):
        return None
    namespace = (event.get("metadata") or {}).get("namespace") or ""
    return _key(namespace, involved.get("uid"), None, event.get("reason"), None, event.get("type"),
                event.get("source"))


class EventRecorder:
    def __init__(self, store: Store, clock: VirtualClock, rand: SeededRandom) -> None:
        self._store = store
        self._clock = clock
        self._rand = rand
        self._nanos_seq = 0
        # The aggregation key -> events index, kept by the store through writes, deletes and restores,
        # so recording stays constant-time however many events a namespace holds.
        store.add_index("events", AGGREGATION_INDEX, aggregation_key)
        store.add_index("events", SIMILAR_INDEX, similar_key)

    def record(self, client: Client, involved: dict, type_: str, reason: str, message: str, *,
               host: str | None = None, field_path: str | None = None) -> None:
        md = involved.get("metadata", {})
        namespace = md.get("namespace") or "default"
        component = client.component.split("/")[0]
        source = {"component": component}
        if host:
            source["host"] = host
        reference = {
            "apiVersion": involved.get("apiVersion", ""),
            "kind": involved.get("kind", ""),
            "name": md.get("name", ""),
            "namespace": md.get("namespace", ""),
            "resourceVersion": md.get("resourceVersion", ""),
            "uid": md.get("uid", ""),
        }
        if not reference["namespace"]:
            reference.pop("namespace")
        if field_path:
            reference["fieldPath"] = field_path
        now = format_rfc3339(self._clock.now())
        # Aggregate into an existing event with the same key (the first by name, if several).
        key = _key(namespace, reference["uid"], reference.get("fieldPath"), reason, message, type_, source)
        for existing in self._store.by_index("events", AGGREGATION_INDEX, key):
            inv = existing["involvedObject"]
            if (inv.get("uid") == reference["uid"] and inv.get("fieldPath") == reference.get("fieldPath")
                    and existing.get("reason") == reason and existing.get("message") == message
                    and existing.get("type") == type_ and existing.get("source") == source):
                updated = objects.clone(existing)
                updated["count"] = int(existing.get("count", 1)) + 1
                updated["lastTimestamp"] = now
                updated["involvedObject"]["resourceVersion"] = reference["resourceVersion"]
                client.update(updated)
                return
        similar_events = self._store.by_index("events", SIMILAR_INDEX,
                                              _key(namespace, reference["uid"], None, reason, None, type_, source))
        if self._over_similar_limit(similar_events):
            combined = next((e for e in similar_events if str(e.get("message", "")).startswith(COMBINED_PREFIX)),
                            None)
            if combined is not None:
                updated = objects.clone(combined)
                updated["count"] = int(combined.get("count", 1)) + 1
                updated["lastTimestamp"] = now
                updated["message"] = COMBINED_PREFIX + message
                updated["involvedObject"]["resourceVersion"] = reference["resourceVersion"]
                client.update(updated)
                return
            message = COMBINED_PREFIX + message
        self._nanos_seq += 1
        nanos = int(self._clock.now() * 1_000_000_000) + self._nanos_seq
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{reference['name']}.{nanos:x}", "namespace": namespace},
            "involvedObject": reference,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component if component != "kubelet" else "kubelet",
            "reportingInstance": host or "",
        }
        if namespace and self._store.get("namespaces", None, namespace) is None:
            return  # the namespace is gone; the apiserver would refuse the event
        client.create_owned(event)  # built here, never read again: no copies

    def _over_similar_limit(self, similar_events: list[dict]) -> bool:
        """Whether a new message for these similar events is the aggregator's 10th (or later) in its window."""
        if not similar_events:
            return False
        latest = max(_seconds(e.get("lastTimestamp")) for e in similar_events)
        if self._clock.now() - latest > MAX_SIMILAR_INTERVAL:
            return False  # a quiet spell of 10 minutes starts the count again
        if any(str(e.get("message", "")).startswith(COMBINED_PREFIX) for e in similar_events):
            return True
        messages = {e.get("message") for e in similar_events}
        return len(messages) + 1 >= MAX_SIMILAR_EVENTS

    def state(self) -> int:
        return self._nanos_seq

    def set_state(self, state: int) -> None:
        self._nanos_seq = state


_ = resources  # the recorder writes core/v1 events only
