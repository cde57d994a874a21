"""ClusterGraph: a live picture of part of the cluster, as a core ``ipywidgets.HTML`` holding SVG.

The SVG is made in the kernel (``viz.graph`` -> DOT -> ``viz.render``), so the
widget works in every front end that has core widgets. It redraws from the
cluster's "settled" hook, at most once per settle and only when the cluster
changed (a new resourceVersion or a moved clock); the picture's title carries
the cluster time. kubenb's own words on it follow ``%kubenb lang`` (viz.words).

Saved notebooks: besides the widget view, the mimebundle has a stable
``text/plain`` (``kubenb graph deployment/web at <time>``) and the SVG as
``image/svg+xml``, which GitHub, nbviewer and nbval use when the widget state
is absent (see jupyter-stack.md sections 1.4 and 2.3).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import ipywidgets

from kubenb.jupyter.session import get_session
from kubenb.viz import graph as vizgraph
from kubenb.viz import render

if TYPE_CHECKING:
    from kubenb.cluster import Cluster


# Every graph displayed stays alive (the widget registry holds it), and each live one redraws after
# every command; so only the newest few stay live, and older ones keep their last picture.
MAX_LIVE_GRAPHS = 8
_live: list[weakref.ReferenceType] = []


def _register_live(widget: ClusterGraph) -> None:
    _live[:] = [ref for ref in _live if ref() is not None]
    _live.append(weakref.ref(widget))
    while len(_live) > MAX_LIVE_GRAPHS:
        oldest = _live.pop(0)()
        if oldest is not None:
            oldest.live = False


class ClusterGraph(ipywidgets.HTML):
    """``ClusterGraph(target="deployment/web")``; ``cluster=None`` follows ``kubenb.current()``."""

    def __init__(self, target: str = "cluster", namespace: str = "default", cluster: Cluster | None = None,
                 **kwargs: Any) -> None:
        vizgraph.parse_target(target)  # a bad target fails here, before any widget exists
        super().__init__(**kwargs)
        self.target = target
        self.namespace = namespace
        self.follows_session = cluster is None
        self.renders = 0
        self._drawn_state: tuple[int, float, str] | None = None
        self.svg = ""
        self.error = ""
        self.live = True  # False: frozen (see MAX_LIVE_GRAPHS); refresh(force=True) still redraws
        self._cluster: Cluster | None = None
        self._bind(cluster if cluster is not None else get_session().cluster)
        if self.follows_session:
            get_session().on_reset(self._bind)
        _register_live(self)

    @property
    def cluster(self) -> Cluster:
        assert self._cluster is not None
        return self._cluster

    def _bind(self, cluster: Cluster) -> None:
        self._cluster = cluster
        self._drawn_state = None
        widget_ref = weakref.ref(self)
        bound_to = weakref.ref(cluster)

        def on_settled() -> None:
            widget = widget_ref()
            # A dropped widget, or one since rebound to a newer cluster, ignores this cluster.
            if widget is not None and widget.live and widget._cluster is bound_to():
                widget.refresh()

        cluster.on_settled(on_settled)
        self.refresh()

    def _state(self) -> tuple[int, float, str]:
        return self.cluster.store.resource_version, self.cluster.clock.now(), get_session().lang

    def refresh(self, force: bool = False) -> bool:
        """Redraw if the cluster changed since the last drawing; True when it redrew."""
        state = self._state()
        if not force and state == self._drawn_state:
            return False
        self._drawn_state = state
        try:
            picture = vizgraph.build(self.cluster.client, self.target, self.namespace, get_session().lang)
        except vizgraph.GraphError as error:
            self.error = str(error)
            self.svg = ""
            self.value = f'<pre class="kubenb-graph-error">{_escape(self.error)}</pre>'
        else:
            self.error = ""
            self.svg = render.render_svg(picture)
            self.value = f'<div class="kubenb-graph">{self.svg}</div>'
        self.renders += 1
        return True

    @property
    def summary(self) -> str:
        return f"kubenb graph {self.target} at {self.cluster.now}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.error or self.summary
        if self.svg.lstrip().startswith("<svg"):
            bundle["image/svg+xml"] = self.svg
        return bundle


def _escape(text: str) -> str:
    import html

    return html.escape(text)
