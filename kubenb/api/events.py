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

kube-scheduler records through events.k8s.io/v1 instead (client-go
tools/events, ``record_v1``): read back through core/v1 such an event has
``eventTime`` (microseconds), null first/last timestamps, an empty
``source``, an ``action`` and ``reportingComponent/Instance``. Its
broadcaster keeps the events it wrote in memory, keyed by type, action,
reason, reporter, regarding and related objects (not the message: a repeat
with another message joins the first one's series). The second occurrence
patches ``series: {count: 2, lastObservedTime}``; later ones only count in
memory until a tick writes them: every 30 minutes (refreshExistingEventSeries)
and when a series has been idle for 6 minutes (finishSeries, which also
forgets singletons 6 minutes old). The ticks run on the virtual clock at the
broadcaster's start plus multiples of 6 and 30 minutes, and only while the
memory holds something.

Left out: the spam filter (25 events per object, then one per 5 minutes),
the v1 broadcaster's retries (kubenb's API server does not fail).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from kubenb.api import resources
from kubenb.api.store import Store
from kubenb.sim.clock import VirtualClock, format_rfc3339, format_rfc3339_micro, parse_rfc3339
from kubenb.sim.rand import SeededRandom

if TYPE_CHECKING:
    from kubenb.api.client import Client


AGGREGATION_INDEX = "aggregation"
SIMILAR_INDEX = "similar"
COMBINED_PREFIX = "(combined from similar events): "
MAX_SIMILAR_EVENTS = 10  # EventAggregator maxEvents
MAX_SIMILAR_INTERVAL = 600.0  # EventAggregator maxIntervalInSeconds
SERIES_FINISH_SECONDS = 360.0  # tools/events finishTime
SERIES_REFRESH_SECONDS = 1800.0  # tools/events refreshTime
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


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
        # The events.k8s.io broadcaster: its start (the ticks count from it), its memory of written
        # events (isomorphic key -> the event as last written or counted; entries are replaced, never
        # edited, so a snapshot's copy stays true), the time of the armed tick, and the timer payload
        # its owner (kube-scheduler) handles by calling ``series_tick``.
        self._broadcaster_start = clock.now()
        self._series_cache: dict[Hashable, dict] = {}
        self._next_tick: float | None = None
        self._tick_payload: Hashable | None = None
        self._reporting_host: str | None = None
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
        reference = _object_reference(involved)
        if field_path:
            reference["fieldPath"] = field_path
        now = format_rfc3339(self._clock.now())
        # Aggregate into an existing event with the same key (the first by name, if several). The keys
        # are built here as ``_key`` builds them (the source's items sorted: "component" < "host"),
        # without sorting the source: this runs for every event a kubelet or controller records.
        source_key = (("component", component), ("host", host)) if host else (("component", component),)
        path_key = reference.get("fieldPath")
        key: Hashable | None = (namespace, reference["uid"], path_key, reason, message, type_, source_key)
        similar: Hashable | None = (namespace, reference["uid"], None, reason, None, type_, source_key)
        try:
            hash(key)
        except TypeError:  # an odd involved object or message (unhashable): never aggregated into
            key = _key(namespace, reference["uid"], path_key, reason, message, type_, source)
            similar = _key(namespace, reference["uid"], None, reason, None, type_, source)
        for existing in self._store.by_index("events", AGGREGATION_INDEX, key):
            inv = existing["involvedObject"]
            if (inv.get("uid") == reference["uid"] and inv.get("fieldPath") == reference.get("fieldPath")
                    and existing.get("reason") == reason and existing.get("message") == message
                    and existing.get("type") == type_ and existing.get("source") == source):
                # The update copies its body before changing it: a shallow edit of the stored event will do.
                client.update_owned({**existing, "count": int(existing.get("count", 1)) + 1, "lastTimestamp": now,
                                     "involvedObject": {**inv, "resourceVersion": reference["resourceVersion"]}})
                return
        similar_events = self._store.by_index("events", SIMILAR_INDEX, similar)
        if self._over_similar_limit(similar_events):
            combined = next((e for e in similar_events if str(e.get("message", "")).startswith(COMBINED_PREFIX)),
                            None)
            if combined is not None:
                client.update_owned({
                    **combined, "count": int(combined.get("count", 1)) + 1, "lastTimestamp": now,
                    "message": COMBINED_PREFIX + message,
                    "involvedObject": {**combined["involvedObject"], "resourceVersion": reference["resourceVersion"]}})
                return
            message = COMBINED_PREFIX + message
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": self._event_name(reference, self._clock.now()), "namespace": namespace},
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

    # --- events.k8s.io/v1 (client-go tools/events) ---------------------------------------------------------
    def attach_series_timer(self, payload: Hashable) -> None:
        """Where the broadcaster's ticks go: a timer payload whose handler calls ``series_tick``."""
        self._tick_payload = payload

    def record_v1(self, client: Client, regarding: dict, type_: str, reason: str, action: str, note: str, *,
                  related: dict | None = None) -> None:
        """recorder.Eventf then recordToSink: a new event, a series' first patch, or a count in memory."""
        now = self._clock.now()
        controller = client.component.split("/")[0]
        instance = f"{controller}-{self._host()}"
        reference = _object_reference(regarding)
        related_reference = _object_reference(related) if related is not None else None
        key = (type_, action, reason, controller, instance, tuple(sorted(reference.items())),
               tuple(sorted(related_reference.items())) if related_reference is not None else None)
        cached = self._series_cache.get(key)
        if cached is not None:
            series = cached.get("series")
            count = int(series["count"]) + 1 if series else 2
            cached = {**cached, "series": {"count": count, "lastObservedTime": format_rfc3339_micro(now)}}
            self._series_cache[key] = cached
            if series is None:
                self._write_series(client, cached)  # the second occurrence is patched at once
            return
        namespace = reference.get("namespace") or "default"
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": self._event_name(reference, now), "namespace": namespace},
            "involvedObject": reference,
            "reason": reason,
            "message": note,
            "source": {},
            "firstTimestamp": None,
            "lastTimestamp": None,
            "type": type_,
            "eventTime": format_rfc3339_micro(now),
            "action": action,
            "reportingComponent": controller,
            "reportingInstance": instance,
        }
        if related_reference is not None:
            event["related"] = related_reference
        self._series_cache[key] = event
        self._arm_tick()
        if self._store.get("namespaces", None, namespace) is None:
            return  # the namespace is gone; the apiserver would refuse the event
        client.create_owned(_fresh_copy(event))

    def series_tick(self, client: Client) -> None:
        """The broadcaster's periodic work due now: refreshExistingEventSeries, then finishSeries."""
        now = self._clock.now()
        self._next_tick = None
        ticks = round((now - self._broadcaster_start) / SERIES_FINISH_SECONDS)
        if ticks % round(SERIES_REFRESH_SECONDS / SERIES_FINISH_SECONDS) == 0:
            for event in self._series_cache.values():
                if event.get("series"):
                    self._write_series(client, event)
        for key, event in list(self._series_cache.items()):
            series = event.get("series")
            seen = series["lastObservedTime"] if series else event["eventTime"]
            if parse_rfc3339(seen) < now - SERIES_FINISH_SECONDS:
                if series:
                    self._write_series(client, event)  # the final count
                del self._series_cache[key]
        self._arm_tick()

    def _arm_tick(self) -> None:
        """Set a timer for the next tick after now, while the broadcaster remembers anything."""
        if self._next_tick is not None or not self._series_cache or self._tick_payload is None:
            return
        elapsed = self._clock.now() - self._broadcaster_start
        self._next_tick = self._broadcaster_start + (int(elapsed // SERIES_FINISH_SECONDS) + 1) * SERIES_FINISH_SECONDS
        self._clock.schedule(self._next_tick, self._tick_payload)

    def _write_series(self, client: Client, event: dict) -> None:
        """recordEvent for a series: patch the series onto the stored event, or create it if it is gone."""
        md = event["metadata"]
        stored = self._store.get("events", md["namespace"], md["name"])
        if stored is None:
            if self._store.get("namespaces", None, md["namespace"]) is not None:
                client.create_owned(_fresh_copy(event))
            return
        if stored.get("series") != event["series"]:
            client.update_owned({**stored, "series": dict(event["series"])})

    def _host(self) -> str:
        """The scheduler's hostname: it runs on the (first) control-plane node."""
        if self._reporting_host is None:
            nodes = sorted(_name(n) for n in self._store.items("nodes")
                           if CONTROL_PLANE_LABEL in ((n.get("metadata") or {}).get("labels") or {}))
            if not nodes:
                return ""
            self._reporting_host = nodes[0]
        return self._reporting_host

    def _event_name(self, reference: dict, now: float) -> str:
        """``<object name>.<hex of the occurrence's Unix nanoseconds>``, made unique by a sequence (client-go
        names events by the time alone; on a virtual clock several share an instant)."""
        self._nanos_seq += 1
        return f"{reference['name']}.{int(now * 1_000_000_000) + self._nanos_seq:x}"

    def state(self) -> tuple:
        return (self._nanos_seq, dict(self._series_cache), self._next_tick, self._reporting_host,
                self._broadcaster_start)

    def set_state(self, state: tuple | int) -> None:
        if isinstance(state, int):  # a snapshot from before the events.k8s.io broadcaster: nothing remembered
            state = (state, {}, None, None, self._broadcaster_start)
        (self._nanos_seq, cache, self._next_tick, self._reporting_host, self._broadcaster_start) = state
        self._series_cache = dict(cache)


def _fresh_copy(event: dict) -> dict:
    """What a create sends: the remembered event with new dicts (the store keeps them; the memory keeps
    its own) and no server-set metadata (recordEvent clears the resourceVersion before a create)."""
    copy = {key: dict(value) if isinstance(value, dict) else value for key, value in event.items()}
    copy["metadata"] = {"name": event["metadata"]["name"], "namespace": event["metadata"]["namespace"]}
    return copy


def _name(obj: dict) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _object_reference(obj: dict) -> dict:
    """reference.GetReference: what a recorder says about an object (the caller adds any fieldPath)."""
    md = obj.get("metadata", {})
    reference = {
        "apiVersion": obj.get("apiVersion", ""),
        "kind": obj.get("kind", ""),
        "name": md.get("name", ""),
        "namespace": md.get("namespace", ""),
        "resourceVersion": md.get("resourceVersion", ""),
        "uid": md.get("uid", ""),
    }
    if not reference["namespace"]:
        reference.pop("namespace")
    return reference


_ = resources  # the recorder writes core/v1 events only
