"""kubenb: a faithful, deterministic Kubernetes cluster inside a Jupyter kernel, for teaching.

    >>> import kubenb
    >>> cluster = kubenb.Cluster(seed=0)
    >>> print(cluster.kubectl("get nodes").stdout)        # doctest: +SKIP

In a notebook: ``%load_ext kubenb``, then ``%%manifest`` and ``%%kubectl`` cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubenb._version import __version__

if TYPE_CHECKING:
    from kubenb.cluster import Cluster

__all__ = ["Cluster", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy: `import kubenb` stays cheap until a cluster is wanted.
    if name == "Cluster":
        from kubenb.cluster import Cluster

        return Cluster
    # Notebook helpers (kept out of __all__): the kernel's cluster, and a live graph of it.
    if name == "current":
        from kubenb.jupyter.session import current

        return current
    if name == "graph":
        from kubenb.jupyter.api import graph

        return graph
    raise AttributeError(f"module 'kubenb' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    from kubenb.jupyter.extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from kubenb.jupyter.extension import unload_ipython_extension as unload

    unload(ipython)
