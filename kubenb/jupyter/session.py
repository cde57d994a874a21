"""One kernel, one cluster: the notebook's session state (``kubenb.current()``).

Holds the current ``Cluster`` (made on first use, replaced by ``%kubenb reset``),
the think time each kubectl/manifest cell adds before it runs, the language of
kubenb's own messages, whether applies are followed by the coach's findings, and which control-plane trace entries the last command
produced (for ``%kubenb trace``). No IPython here: the console command uses it too.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubenb.cluster import Cluster
    from kubenb.kubectl import Outcome

DEFAULT_THINK_SECONDS = 10.0


@dataclass
class LastCommand:
    line: str
    first_seq: int  # trace entries with first_seq < seq <= last_seq belong to this command
    last_seq: int
    exit_code: int


@dataclass
class Session:
    cluster_options: dict[str, Any] = field(default_factory=lambda: {"seed": 0})
    think_seconds: float = DEFAULT_THINK_SECONDS
    lang: str = "en"
    last: LastCommand | None = None
    quiz_attempts: dict[str, int] = field(default_factory=dict)  # failed tries per quiz id (hints)
    # Lint on apply (%kubenb lint on|off); an instructor can turn it on for every kernel with the env var.
    lint_on_apply: bool = field(default_factory=lambda: os.environ.get("KUBENB_LINT_ON_APPLY", "").lower()
                                in ("1", "on", "true", "yes"))
    _cluster: Cluster | None = None
    _listeners: list[weakref.ReferenceType] = field(default_factory=list)

    @property
    def cluster(self) -> Cluster:
        if self._cluster is None:
            from kubenb.cluster import Cluster

            self._cluster = Cluster(**self.cluster_options)
        return self._cluster

    @property
    def started(self) -> bool:
        return self._cluster is not None

    def reset(self, **options: Any) -> Cluster:
        """A fresh cluster; graphs that follow the session redraw from it."""
        from kubenb.cluster import Cluster

        self.cluster_options = {"seed": 0, **options}
        self._cluster = Cluster(**self.cluster_options)
        self.last = None
        for ref in list(self._listeners):
            listener = ref()
            if listener is None:
                self._listeners.remove(ref)
            else:
                listener(self._cluster)
        return self._cluster

    def on_reset(self, listener: Callable[[Cluster], None]) -> None:
        """Call ``listener(new_cluster)`` after a reset (held weakly: a dropped widget stops listening)."""
        method_self = getattr(listener, "__self__", None)
        ref = weakref.WeakMethod(listener) if method_self is not None else weakref.ref(listener)
        self._listeners.append(ref)

    def kubectl(self, argv: list[str] | str, stdin: str = "", line: str | None = None) -> Outcome:
        """Run one kubectl command, remembering which trace entries it produced."""
        cluster = self.cluster
        before = _last_seq(cluster)
        outcome = cluster.kubectl(argv, stdin=stdin)
        text = line if line is not None else (argv if isinstance(argv, str) else " ".join(argv))
        self.last = LastCommand(text, before, _last_seq(cluster), outcome.exit_code)
        return outcome

    def think(self) -> None:
        if self.think_seconds > 0:
            self.cluster.advance(self.think_seconds)


def _last_seq(cluster: Cluster) -> int:
    trace = cluster.store.trace
    return trace[-1].seq if trace else 0


_session: Session | None = None


def get_session() -> Session:
    global _session
    if _session is None:
        _session = Session()
    return _session


def current() -> Cluster:
    """The kernel's cluster (created on first use)."""
    return get_session().cluster
