"""EventRecorder: core/v1 Events as client-go's record package writes them.

An event is named ``<involved name>.<hex of the first occurrence's Unix
nanoseconds>`` and aggregated: the same (object, type, reason, message,
source) again raises ``count`` and ``lastTimestamp`` instead of adding a row,
which is what makes ``describe`` show ``(x3 over 2m)``.

Left out: the spam filter and the similar-message aggregator (10 similar
events in 10 minutes), events.k8s.io/v1 series.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from kubenb.api import objects, resources
from kubenb.api.store import Store
from kubenb.sim.clock import VirtualClock, format_rfc3339
from kubenb.sim.rand import SeededRandom

if TYPE_CHECKING:
    from kubenb.api.client import Client


AGGREGATION_INDEX = "aggregation"


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


class EventRecorder:
    def __init__(self, store: Store, clock: VirtualClock, rand: SeededRandom) -> None:
        self._store = store
        self._clock = clock
        self._rand = rand
        self._nanos_seq = 0
        # The aggregation key -> events index, kept by the store through writes, deletes and restores,
        # so recording stays constant-time however many events a namespace holds.
        store.add_index("events", AGGREGATION_INDEX, aggregation_key)

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

    def state(self) -> int:
        return self._nanos_seq

    def set_state(self, state: int) -> None:
        self._nanos_seq = state


_ = resources  # the recorder writes core/v1 events only
