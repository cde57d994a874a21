"""The composition root: one simulated cluster (API server, controllers, scheduler, nodes, network)."""

from kubenb.cluster.core import Cluster, Snapshot, SnapshotError

__all__ = ["Cluster", "Snapshot", "SnapshotError"]
