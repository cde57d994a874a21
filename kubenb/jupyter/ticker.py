"""The real-time ticker: virtual time follows the wall clock while the kernel is idle. Opt-in.

An asyncio task on the kernel's event loop advances the cluster by
``speed`` virtual seconds per real second, so live graphs animate (Pods
going from ContainerCreating to Running) without running a cell. Cells run on
the same loop, so the ticker only ever acts between cells, never during one.

It is off unless asked for (``%kubenb clock --realtime`` or the Controls play
button), and it refuses to start where a notebook is executed headless,
because its updates would make saved outputs depend on timing:

- ``NBGRADER_EXECUTION`` is set (nbgrader's autograder) or ``KUBENB_TICKER=off``;
- the kernel was asked to run this cell with stdin disabled: nbclient, nbconvert's
  ExecutePreprocessor (which nbgrader, otter-grader and papermill use) and nbval all send
  ``allow_stdin=False`` (nbclient/client.py sets ``kc.allow_stdin = False``, nbval's
  plugin passes ``allow_stdin=False``); JupyterLab, Notebook and VS Code allow stdin;
- there is no ipykernel or no running event loop (plain IPython, pytest).

The core stays synchronous: this module is the only place with asyncio.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from kubenb.jupyter.session import Session, get_session

TICK_REAL_SECONDS = 1.0


def headless_reason() -> str | None:
    """Why the ticker must not run here, or None when a person is at the notebook."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return "nbgrader is executing this notebook"
    if os.environ.get("KUBENB_TICKER", "").lower() in ("0", "off", "no", "false"):
        return "KUBENB_TICKER is off"
    try:
        from IPython import get_ipython
    except ImportError:
        return "no IPython kernel"
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return "no Jupyter kernel (plain IPython)"
    if not getattr(kernel, "_allow_stdin", False):
        return "the notebook is being executed headless (nbclient, nbval, nbconvert or a grader)"
    return None


class Ticker:
    def __init__(self, session: Session | None = None, speed: float = 1.0) -> None:
        self.session = session or get_session()
        self.speed = speed
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, speed: float | None = None) -> str | None:
        """Start ticking; returns None on success or the reason it did not start."""
        if speed is not None:
            self.speed = speed
        if self.running:
            return None
        reason = headless_reason()
        if reason:
            return reason
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return "no event loop"
        if not loop.is_running():
            return "the kernel's event loop is not running"
        self._task = loop.create_task(self._run())
        return None

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(TICK_REAL_SECONDS)
            try:
                self.session.cluster.advance(self.speed * TICK_REAL_SECONDS)
            except Exception:  # noqa: BLE001 - a broken tick stops the ticker, never the kernel
                self._task = None
                return


_ticker: Ticker | None = None


def get_ticker() -> Ticker:
    global _ticker
    if _ticker is None:
        _ticker = Ticker()
    return _ticker


def status() -> dict[str, Any]:
    ticker = get_ticker()
    return {"running": ticker.running, "speed": ticker.speed}
