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


class SimulationStuck(RuntimeError):
    """Controllers kept waking each other without converging."""


class Manager:
    def __init__(self, store: Store, clock: VirtualClock, controllers: Sequence[Controller], *,
                 max_reconciles: int = 500_000, strict: bool = True) -> None:
        self.clock = clock
        self.controllers: list[Controller] = list(controllers)
        self.queues: dict[str, WorkQueue] = {c.name: WorkQueue() for c in self.controllers}
        # resource -> (queue, keys_for, whether the previous version needs asking too) per watch, in
        # controller order: an event is offered only to the watches of its own resource.
        self._routes: dict[str, list[tuple[WorkQueue, object, bool]]] = {}
        # Watches that only see objects with one spec field value: resource -> field -> value -> routes.
        self._sharded: dict[str, dict[str, dict[str, list[tuple[WorkQueue, object, bool]]]]] = {}
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
            route = (queue, watch.keys_for, not watch.identity_keys)
            # A controller's keys must keep their order in its queue: shard only its one watch of a resource.
            if watch.spec_field is not None and watch.spec_value is not None and per_resource[watch.resource] == 1:
                (self._sharded.setdefault(watch.resource, {}).setdefault(watch.spec_field, {})
                 .setdefault(watch.spec_value, []).append(route))
            else:
                self._routes.setdefault(watch.resource, []).append(route)

    def on_event(self, event: WatchEvent) -> None:
        # Called for every write in the cluster: the routing loop is inlined (no call per watch).
        obj = event.object
        old = event.old
        for queue, keys_for, ask_old in self._routes.get(event.resource, ()):
            for key in keys_for(obj):  # type: ignore[operator]
                queue.add(key)
            if old is not None and ask_old:
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
                if old is not None and ask_old:
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
