"""Cluster: builds the API server, controllers, scheduler and nodes, and owns the time policy.

- ``settle()``: controllers run until idle; the clock does not move.
- ``advance(seconds)``: jump from timer to timer up to the target, settling
  after each, so image pulls finish, probes pass, back-offs expire and
  CronJobs fire in order.
- ``run_until(done, timeout)``: the ``Waiter`` kubectl gets for ``wait``,
  ``rollout status`` and ``get -w``; the only way kubectl lets time pass.
- ``snapshot()`` / ``restore()``: all state is plain data, so a snapshot is a copy.

The cluster is laid out like a multi-node kind cluster created a couple of
minutes before ``start``: by ``start`` every system Pod is Running.
"""

from __future__ import annotations

import pickle
import shlex
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from kubenb.api import Client, Store
from kubenb.cluster import addons, bootstrap, connections, world
from kubenb.controllers import default_controllers
from kubenb.kubectl import KubectlEnv, Outcome
from kubenb.kubectl import run as run_kubectl
from kubenb.node import NodeAgents
from kubenb.reconcile import Manager, SimulationStuck
from kubenb.scheduler import Scheduler, priority_admission
from kubenb.sim.clock import VirtualClock, format_rfc3339, parse_rfc3339
from kubenb.sim.rand import SeededRandom

# How long before ``start`` the cluster was created (kubeadm init, joins, system Pods up).
BOOT_SECONDS = 120.0


@dataclass(frozen=True)
class Snapshot:
    """Everything a cluster is, as bytes (pickle of plain data)."""

    data: bytes


# Bumped whenever the layout of the saved state changes: an old file is refused, never half-loaded.
SNAPSHOT_FORMAT = 1


class SnapshotError(ValueError):
    """A snapshot that cannot be restored (not kubenb's, another format, or damaged)."""


class _PlainDataUnpickler(pickle.Unpickler):
    """Loads only plain data and kubenb's own state classes: a snapshot can never run code.

    pickle would otherwise call any importable function a crafted file names (os.system...).
    """

    _ALLOWED = {("collections", "deque"), ("builtins", "set"), ("builtins", "frozenset"),
                ("builtins", "complex")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED or (module.startswith("kubenb.") and not name.startswith("_")):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise SnapshotError(f"kubenb: the snapshot names {module}.{name}, which is not cluster state")


def _load_state(data: bytes) -> dict:
    import io

    try:
        state = _PlainDataUnpickler(io.BytesIO(data)).load()
    except SnapshotError:
        raise
    except Exception as error:  # noqa: BLE001 - any damage in the bytes is one clear error
        raise SnapshotError(f"kubenb: the snapshot is damaged ({type(error).__name__})") from None
    if not isinstance(state, dict) or state.get("format") != SNAPSHOT_FORMAT:
        found = state.get("format") if isinstance(state, dict) else None
        raise SnapshotError(f"kubenb: the snapshot has format {found}, this kubenb reads format {SNAPSHOT_FORMAT}")
    return state


class Cluster:
    def __init__(self, *, seed: int = 0, workers: int = 2, start: str = "2025-01-01T00:00:00Z",
                 cloud: bool = True, name: str = "kubenb", strict: bool = False) -> None:
        if not isinstance(workers, int) or not 0 <= workers <= 100:
            raise ValueError("kubenb: workers must be a whole number from 0 to 100")
        self.name = name
        self.seed = seed
        self.strict = strict
        self.cloud = cloud
        self.clock = VirtualClock(parse_rfc3339(start) - BOOT_SECONDS)
        self.rand = SeededRandom(seed)
        self.store = Store()
        # Python code in a notebook acts as "python"; kubectl (and %%manifest) as "kubectl", so a
        # quiz can tell writes made behind kubectl's back (kubenb.quiz).
        self.client = Client(self.store, self.clock, self.rand, component="python")
        self.client.trust_components(not strict)  # strict (tests): control-plane writes take every check too
        self._kubectl_client = self.client.for_component("kubectl")
        self.kubectl_writes = 0  # writes kubectl and addons made through this object's methods
        self.files: MutableMapping[str, str] = {}
        self.kubeconfig: dict = bootstrap.kubeconfig(name)
        self.addons: dict[str, bool] = {}
        self._settled_hooks: list[Callable[[], None]] = []
        self.peers: dict[str, Cluster] = {}  # other clusters sharing this kubeconfig (kubenb.cluster.world)
        self.components: dict[str, Any] = {}
        self.manager = Manager(self.store, self.clock, [], strict=strict)
        # Control-plane controllers run as kube-controller-manager; each writes under its own name.
        for controller in default_controllers(self.client):
            self.manager.add_controller(controller)
        # kube-scheduler, and the kubelets (one per Node, started once the Nodes exist).
        self.scheduler = Scheduler(self.client)
        self.manager.add_controller(self.scheduler)
        self.client.add_admission_plugin(priority_admission)
        self.nodes = NodeAgents(self.client, self.manager)
        self.client.set_kubelet_connection(self.nodes)
        self.components["scheduler"] = self.scheduler
        self.components["kubelets"] = self.nodes
        self.components["registry"] = self.nodes.registry  # pushed tags travel with snapshots
        self.components["event-recorder"] = self.client.event_recorder
        for controller in self.manager.controllers:
            if controller.name == "node-lifecycle-controller":
                self.components["node-lifecycle"] = controller
            if controller.name == "horizontal-pod-autoscaler":
                controller.metrics = self.nodes  # Pod CPU usage, as metrics-server serves it
                self.components["horizontal-pod-autoscaler"] = controller
        connections.install(self)  # Service allocation, default IngressClass, ingress/LB controllers
        bootstrap.install(self, workers=workers)
        self.nodes.ensure_kubelets()
        connections.wire_exec(self)  # curl/wget/nslookup in exec, in front of the kubelets
        self.settle()
        self.advance_to(parse_rfc3339(start))

    # --- time ------------------------------------------------------------------------------------------
    @property
    def now(self) -> str:
        return format_rfc3339(self.clock.now())

    def settle(self) -> None:
        """Run controllers until idle. The clock does not move."""
        self.manager.fire_due_timers()
        self.manager.run_until_idle()
        for hook in list(self._settled_hooks):
            hook()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("kubenb: time only moves forward")
        self.advance_to(self.clock.now() + seconds)

    def advance_to(self, target: float) -> None:
        self.manager.run_until_idle()
        instant = _Instant(self)
        while True:
            due = self.clock.next_due()
            if due is None or due > target:
                break
            self.clock.advance_to(due)
            instant.tick()
            self.manager.fire_due_timers()
            self.manager.run_until_idle()
        self.clock.advance_to(target)
        self.settle()

    def run_until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Advance virtual time until ``done()`` holds or ``timeout`` seconds pass."""
        self.settle()
        if done():
            return True
        deadline = self.clock.now() + max(0.0, timeout)
        instant = _Instant(self)
        while True:
            due = self.clock.next_due()
            if due is None or due > deadline:
                self.advance_to(deadline)
                return done()
            self.clock.advance_to(due)
            instant.tick()
            self.manager.fire_due_timers()
            self.manager.run_until_idle()
            if done():
                self.settle()
                return True

    def on_settled(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` after every settle (the live graphs redraw from here)."""
        self._settled_hooks.append(hook)

    # --- nodes -------------------------------------------------------------------------------------------
    def stop_node(self, name: str) -> None:
        """The node's kubelet stops posting status (a crashed or unplugged machine)."""
        self.client.get("nodes", name)
        self.nodes.stop_node(name)
        for controller in self.manager.controllers:
            if hasattr(controller, "kubelet_stopped"):
                controller.kubelet_stopped(name)
        self.settle()

    def start_node(self, name: str) -> None:
        """The node's kubelet comes back and posts Ready again."""
        self.client.get("nodes", name)
        for controller in self.manager.controllers:
            if hasattr(controller, "kubelet_started"):
                controller.kubelet_started(name)
        self.nodes.start_node(name)
        self.settle()

    # --- image registry (kubenb.node.images.Registry) -------------------------------------------------
    def registry_push(self, source: str, target: str) -> tuple[str, str]:
        """``docker tag SOURCE TARGET && docker push TARGET``: move TARGET's tag to SOURCE's content.

        Returns (TARGET normalised, its digest); raises ValueError (a ``kubenb:`` message) for a bad
        name. Nodes notice only when they pull TARGET again (imagePullPolicy Always, or a node
        that does not have it yet)."""
        return self.nodes.registry.push(source, target)

    def registry_tags(self, repository: str = "") -> list[tuple[str, str, str]]:
        """(name:tag, digest, catalog content) of pushed tags, or of every tag of ``repository``."""
        return self.nodes.registry.tags(repository)

    # --- kubectl -------------------------------------------------------------------------------------
    def kubectl_env(self, stdin: str = "") -> KubectlEnv:
        clients = {self.name: self._kubectl_client, **{n: p._kubectl_client for n, p in self.peers.items()}}
        return KubectlEnv(clients=clients, kubeconfig=self.kubeconfig, files=self.files,
                          waiter=world.context_cluster(self) if self.peers else self, stdin=stdin, strict=self.strict,
                          extras={"cluster": self})

    def create_cluster(self, name: str, *, workers: int = 2) -> Cluster:
        """Another cluster beside this one, in the same kubeconfig (``%kubenb cluster create prod``)."""
        return world.create_peer(self, name, workers=workers)

    def kubectl(self, command: str | Sequence[str], *, stdin: str = "") -> Outcome:
        """Run one kubectl command (a leading "kubectl" is optional), then settle."""
        before = self._kubectl_write_count()
        outcome = run_kubectl(command, self.kubectl_env(stdin))
        try:
            self.settle()
        except SimulationStuck as error:  # the command ran; the controllers it woke never converge
            outcome = Outcome(outcome.stdout, f"{outcome.stderr}{error}\n", 1)
        self.kubectl_writes += self._kubectl_write_count() - before
        return outcome

    def _kubectl_write_count(self) -> int:
        return self.client.write_count("kubectl")

    def writes_behind_kubectl(self) -> int:
        """Writes made from Python (``cluster.client``, or a client named "kubectl" used directly)."""
        return self.client.write_count("python") + max(0, self._kubectl_write_count() - self.kubectl_writes)

    # --- snapshots ---------------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        state = {
            "format": SNAPSHOT_FORMAT,
            "clock": self.clock.state(),
            "rand": self.rand.state(),
            "store": self.store.state(),
            "manager": self.manager.state(),
            "files": dict(self.files),
            "kubeconfig": self.kubeconfig,
            "addons": self.addons,
            "components": {name: c.state() for name, c in self.components.items() if hasattr(c, "state")},
        }
        return Snapshot(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    def restore(self, snapshot: Snapshot) -> None:
        state = _load_state(snapshot.data)  # checked whole before anything changes
        self.clock.set_state(state["clock"])
        self.rand.set_state(state["rand"])
        self.store.set_state(state["store"])
        # Nodes the saved cluster had and this one lacks get their kubelet before the queues are restored.
        self.nodes.ensure_kubelets()
        self.manager.set_state(state["manager"])
        self.files.clear()
        self.files.update(state["files"])
        self.kubeconfig.clear()
        self.kubeconfig.update(state["kubeconfig"])
        self.addons.clear()
        self.addons.update(state["addons"])
        for name, component_state in state["components"].items():
            component = self.components.get(name)
            if component is not None and hasattr(component, "set_state"):
                component.set_state(component_state)

    # --- network (kubenb.cluster.connections, kubenb.cluster.addons) ---------------------------------
    def enable_addon(self, name: str) -> Outcome:
        """Install an addon (``ingress-nginx``), as kind's guides do; then settle."""
        return self._addon(addons.enable, name)

    def disable_addon(self, name: str) -> Outcome:
        return self._addon(addons.disable, name)

    def _addon(self, action: Callable[[Cluster, str], str], name: str) -> Outcome:
        before = self._kubectl_write_count()
        try:
            message = action(self, name)
        except ValueError as error:  # an unknown addon: a kubenb message, not a traceback
            return Outcome("", f"{error}\n", 1)
        finally:
            self.kubectl_writes += self._kubectl_write_count() - before
        self.settle()
        return Outcome(message + "\n", "", 0)

    def list_addons(self) -> str:
        return addons.list_addons(self)

    def request(self, url: str, *, from_pod: str | None = None, namespace: str = "default",
                method: str = "GET", headers: dict[str, str] | None = None) -> Any:
        """One HTTP request (``network.http.Response``) from outside, or from the Pod ``from_pod``."""
        return connections.request(self, url, from_pod=from_pod, namespace=namespace, method=method,
                                   headers=headers)

    def curl(self, args: str | Sequence[str], times: int | None = None, lang: str = "en") -> Outcome:
        """``curl ARGS`` from the machine that runs the cluster (localhost reaches port-forwards).

        ``times=N`` sends the request N times and prints one kubenb line per outcome (which Pod
        answered or refused it), as ``%kubenb curl --times N URL`` does (``lang``: "en" or "ja")."""
        argv = shlex.split(args) if isinstance(args, str) else list(args)
        stdout, stderr, code = connections.curl(self, argv, times, lang)
        return Outcome(stdout, stderr, code)

    def port_forward(self, local_port: int, namespace: str, pod: str, pod_port: int) -> None:
        """Remember a ``kubectl port-forward`` so that localhost:local_port reaches the Pod."""
        connections.add_port_forward(self, local_port, namespace, pod, pod_port)

    def __repr__(self) -> str:
        return f"<kubenb.Cluster {self.name!r} seed={self.seed} now={self.now}>"


class _Instant:
    """Counts timers fired without the clock moving: timers that keep re-arming at "now" are a livelock
    that would otherwise spin forever (each settle alone stays under the manager's limit)."""

    def __init__(self, cluster: Cluster) -> None:
        self.manager = cluster.manager
        self.clock = cluster.clock
        self.at = cluster.clock.now()
        self.count = 0

    def tick(self) -> None:
        now = self.clock.now()
        if now != self.at:
            self.at, self.count = now, 0
            return
        self.count += 1
        if self.count > self.manager.max_reconciles // 100:
            raise SimulationStuck(f"kubenb: timers kept firing at {format_rfc3339(now)} without the clock "
                                  f"moving ({self.count} times); the controllers are stuck")


def transcript(cluster: Cluster, lines: Sequence[str]) -> str:
    """``$ kubectl …`` followed by its output, for each command line (the ``kubenb script`` format)."""
    parts: list[str] = []
    for line in lines:
        argv = shlex.split(line)
        parts.append("$ " + line.strip() + "\n")
        outcome = cluster.kubectl(argv)
        parts.append(outcome.stdout + outcome.stderr)
    return "".join(parts)
