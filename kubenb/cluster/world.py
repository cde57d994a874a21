"""Several clusters side by side, as one machine running ``kind create cluster --name prod`` twice.

The cluster a session starts with is the primary. ``create_peer(primary,
"prod")`` builds another Cluster (its own API server, nodes and controllers,
seed derived from the primary's) that shares the primary's kubeconfig and
virtual files: its cluster, user and context ``prod`` are added to the
kubeconfig, so ``kubectl config get-contexts`` lists both and ``kubectl
config use-context prod`` (or ``--context prod``) talks to it. This is what
lets a course practise "production in its own cluster".

Time: every cluster keeps its own clock, and after any of them settles the
others are advanced to the same moment, so the world moves as one.
Left out: deleting a peer, per-cluster kubeconfig files, snapshots of peers
(a snapshot holds the primary only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.cluster import bootstrap

if TYPE_CHECKING:
    from kubenb.cluster.core import Cluster


def create_peer(primary: Cluster, name: str, *, workers: int = 2) -> Cluster:
    from kubenb.cluster.core import Cluster

    known = {entry.get("name") for entry in primary.kubeconfig.get("clusters") or []}
    if name == primary.name or name in primary.peers or name in known:
        raise ValueError(f"kubenb: a cluster named {name!r} already exists")
    if not name or not all(c.isalnum() or c == "-" for c in name) or not name[0].isalnum():
        raise ValueError(f"kubenb: {name!r} is not a valid cluster name (letters, digits and '-')")
    peer = Cluster(seed=primary.seed + 1000 * (len(primary.peers) + 1), workers=workers, start=primary.now,
                   cloud=primary.cloud, name=name, strict=primary.strict)
    # One kubeconfig for the whole machine: the peer's entries join the primary's, which stays current.
    entries = bootstrap.kubeconfig(name)
    for section in ("clusters", "contexts", "users"):
        primary.kubeconfig.setdefault(section, []).extend(entries[section])
    peer.kubeconfig = primary.kubeconfig
    peer.files = primary.files
    peer.peers = {primary.name: primary, **primary.peers}
    for other in primary.peers.values():
        other.peers[name] = peer
    primary.peers[name] = peer
    for cluster in (primary, *primary.peers.values()):
        cluster.on_settled(_keep_in_step(cluster))
    return peer


def _keep_in_step(cluster: Cluster):  # noqa: ANN202 - a settle hook
    def hook() -> None:
        if getattr(cluster, "_stepping", False):
            return
        now = cluster.clock.now()
        for other in cluster.peers.values():
            if getattr(other, "_stepping", False):
                continue
            cluster._stepping = True
            try:
                other.advance_to(max(now, other.clock.now()))  # settles it too (a kubectl write may have landed there)
            finally:
                cluster._stepping = False
    hook.kubenb_world = True  # type: ignore[attr-defined]
    if any(getattr(h, "kubenb_world", False) for h in cluster._settled_hooks):
        return lambda: None  # already in step
    return hook


def context_cluster(cluster: Cluster) -> Cluster:
    """The cluster the kubeconfig's current context points at (the waiter for kubectl wait/rollout)."""
    current = cluster.kubeconfig.get("current-context", "")
    for entry in cluster.kubeconfig.get("contexts") or []:
        if entry.get("name") == current:
            target = (entry.get("context") or {}).get("cluster", "")
            if target == cluster.name:
                return cluster
            return cluster.peers.get(target, cluster)
    return cluster
