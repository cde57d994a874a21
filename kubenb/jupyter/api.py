"""Notebook helpers reachable from ``kubenb`` itself: ``kubenb.graph(...)`` (``kubenb.current()`` is in session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubenb.cluster import Cluster
    from kubenb.jupyter.widgets.cluster_graph import ClusterGraph


def graph(target: str = "cluster", namespace: str = "default", cluster: Cluster | None = None) -> ClusterGraph:
    """A live picture: ``kubenb.graph("deployment/web")`` (redraws after every command)."""
    from kubenb.jupyter.widgets.cluster_graph import ClusterGraph

    return ClusterGraph(target, namespace, cluster=cluster)
