"""The manager: routes watch events to controllers' queues and runs them until idle.

Mirrors controller-runtime's Manager with one worker per controller, run in a
fixed round-robin order (the order of the controller list), which is what
makes a cluster deterministic. Requeues become virtual-clock timers whose
payload is ``(controller name, key)``: plain data, so snapshots are copies.

``run_until_idle`` stops a livelock: after ``max_reconciles`` it raises
``SimulationStuck`` naming the hottest keys.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Sequence

from kubenb.api.store import Store
from kubenb.api.watch import WatchEvent
from kubenb.reconcile.controller import Controller, ObjectKey
from kubenb.reconcile.workqueue import WorkQueue
from kubenb.sim.clock import VirtualClock

# How far an event's previous version differs from the new one (None: a create or delete) ...
OLD_NONE = 0
OLD_SAME_METADATA = 1
OLD_OTHER_METADATA = 2
# ... and from which of those a watch's mapper must be asked about it too (see Watch).
ASK_OLD_NEVER = 3  # identity_keys: an update never changes what it reads
ASK_OLD_ALWAYS = OLD_SAME_METADATA
ASK_OLD_IF_METADATA_CHANGED = OLD_OTHER_METADATA  # metadata_keys

_MISSING = object()


def _same_metadata(obj: dict, old: dict) -> bool:
    """Whether apiVersion, kind and metadata are the same in both versions, resourceVersion aside."""
    if obj.get("kind") != old.get("kind") or obj.get("apiVersion") != old.get("apiVersion"):
        return False
    metadata, old_metadata = obj.get("metadata"), old.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(old_metadata, dict) or len(metadata) != len(old_metadata):
        return False
    for field, value in metadata.items():
        if field != "resourceVersion":
            old_value = old_metadata.get(field, _MISSING)
            if value is not old_value and value != old_value:  # a status write shares the stored values
                return False
    return True


class SimulationStuck(RuntimeError):
    """Controllers kept waking each other without converging."""


class Manager:
    def __init__(self, store: Store, clock: VirtualClock, controllers: Sequence[Controller], *,
                 max_reconciles: int = 500_000, strict: bool = True) -> None:
        self.clock = clock
        self.controllers: list[Controller] = list(controllers)
        self.queues: dict[str, WorkQueue] = {c.name: WorkQueue() for c in self.controllers}
        # resource -> (queue, keys_for, when the previous version needs asking too: ASK_OLD_*) per
        # watch, in controller order: an event is offered only to the watches of its own resource.
        self._routes: dict[str, list[tuple[WorkQueue, object, int]]] = {}
        # Watches that only see objects with one spec field value: resource -> field -> value -> routes.
        self._sharded: dict[str, dict[str, dict[str, list[tuple[WorkQueue, object, int]]]]] = {}
        # Resources some watch of which reads only metadata: their updates compare old and new metadata.
        self._metadata_watched: set[str] = set()
        for controller in self.controllers:
            self._add_routes(controller)
        self._by_name = {c.name: c for c in self.controllers}
        self.max_reconciles = max_reconciles
        self.strict = strict
        self.reconciles = 0
        self.errors: list[tuple[str, ObjectKey, str]] = []
        store.subscribe(self.on_event)

    def add_controller(self, controller: Controller) -> None:
        """Controllers added later (a kubelet for a new node) run after the existing ones."""
        self.controllers.append(controller)
        self.queues[controller.name] = WorkQueue()
        self._by_name[controller.name] = controller
        self._add_routes(controller)

    def _add_routes(self, controller: Controller) -> None:
        per_resource: dict[str, int] = {}
        for watch in controller.watches:
            per_resource[watch.resource] = per_resource.get(watch.resource, 0) + 1
        queue = self.queues[controller.name]
        for watch in controller.watches:
            ask_old = (ASK_OLD_NEVER if watch.identity_keys else
                       ASK_OLD_IF_METADATA_CHANGED if watch.metadata_keys else ASK_OLD_ALWAYS)
            route = (queue, watch.keys_for, ask_old)
            if ask_old == ASK_OLD_IF_METADATA_CHANGED:
                self._metadata_watched.add(watch.resource)
            # A controller's keys must keep their order in its queue: shard only its one watch of a resource.
            if watch.spec_field is not None and watch.spec_value is not None and per_resource[watch.resource] == 1:
                (self._sharded.setdefault(watch.resource, {}).setdefault(watch.spec_field, {})
                 .setdefault(watch.spec_value, []).append(route))
            else:
                self._routes.setdefault(watch.resource, []).append(route)

    def on_event(self, event: WatchEvent) -> None:
        # Called for every write in the cluster: the routing loop is inlined (no call per watch).
        # The previous version yields the same keys as the new one (added already, so adding them again
        # changes nothing) when the mapper reads nothing that differs between the two: its keys are
        # asked for only when that may not hold.
        obj = event.object
        old = event.old
        if old is None:
            old_differs = OLD_NONE
        elif event.resource in self._metadata_watched and _same_metadata(obj, old):
            old_differs = OLD_SAME_METADATA
        else:
            old_differs = OLD_OTHER_METADATA  # (or no watch asks about metadata)
        for queue, keys_for, ask_old in self._routes.get(event.resource, ()):
            for key in keys_for(obj):  # type: ignore[operator]
                queue.add(key)
            if old_differs >= ask_old:
                for key in keys_for(old):  # type: ignore[operator]
                    queue.add(key)
        sharded = self._sharded.get(event.resource)
        if sharded is None:
            return
        for spec_field, by_value in sharded.items():
            value = (obj.get("spec") or {}).get(spec_field)
            old_value = None if old is None else (old.get("spec") or {}).get(spec_field)
            for queue, keys_for, ask_old in by_value.get(value, ()) if isinstance(value, str) else ():
                for key in keys_for(obj):  # type: ignore[operator]
                    queue.add(key)
                if old_differs >= ask_old:
                    for key in keys_for(old):  # type: ignore[operator]
                        queue.add(key)
            if old_value != value and isinstance(old_value, str):
                for queue, keys_for, _ in by_value.get(old_value, ()):
                    for key in keys_for(old):  # type: ignore[operator]
                        queue.add(key)

    def enqueue(self, controller_name: str, key: ObjectKey) -> None:
        queue = self.queues.get(controller_name)
        if queue is not None:
            queue.add(key)

    def fire_due_timers(self) -> None:
        for payload in self.clock.pop_due():
            controller_name, key = payload  # type: ignore[misc]
            self.enqueue(controller_name, key)

    def busy(self) -> bool:
        return any(len(q) for q in self.queues.values())

    def run_until_idle(self) -> int:
        """Reconcile until every queue is empty; returns the number of reconciles done."""
        # Reconciling allocates many short-lived dicts and lists but makes almost no reference cycles
        # (objects are JSON-shaped trees, freed by reference counting), so the cyclic collector's
        # frequent young-generation passes cost about a tenth of a big scale-up and free next to
        # nothing: pause it for the loop. Re-enabling lets it run as usual afterwards.
        if not gc.isenabled():
            return self._run_until_idle()
        gc.disable()
        try:
            return self._run_until_idle()
        finally:
            gc.enable()

    def _run_until_idle(self) -> int:
        done = 0
        hot: Counter[tuple[str, ObjectKey]] = Counter()
        while True:
            progressed = False
            for controller in self.controllers:
                queue = self.queues[controller.name]
                # Drain what is queued now; new keys wait for the next round (fairness).
                for _ in range(len(queue)):
                    key = queue.pop()
                    progressed = True
                    done += 1
                    if done > self.max_reconciles:
                        worst = ", ".join(f"{n} {k.resource}/{k.name}" for (n, k), _ in hot.most_common(5))
                        raise SimulationStuck(
                            f"kubenb: the controllers did not settle after {self.max_reconciles} reconciles; "
                            f"busiest: {worst}")
                    if done > self.max_reconciles // 2:
                        hot[(controller.name, key)] += 1  # type: ignore[index]
                    self._reconcile(controller, key)  # type: ignore[arg-type]
            if not progressed:
                self.reconciles += done
                return done

    def _reconcile(self, controller: Controller, key: ObjectKey) -> None:
        try:
            result = controller.reconcile(key)
        except Exception as error:  # noqa: BLE001 - a controller bug must not kill the lesson
            if self.strict:
                raise
            self.errors.append((controller.name, key, repr(error)))
            self.clock.schedule_in(5.0, (controller.name, key))
            return
        if result is not None and result.requeue_after is not None:
            self.clock.schedule_in(result.requeue_after, (controller.name, key))

    def state(self) -> dict:
        return {name: q.state() for name, q in self.queues.items()}

    def set_state(self, state: dict) -> None:
        for name, keys in state.items():
            if name in self.queues:
                self.queues[name].set_state(keys)
