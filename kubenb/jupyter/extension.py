"""``%load_ext kubenb``: register the magics and the think-time hook. Loading twice is silent.

The time model at the notebook edge: before a cell that runs kubectl
(``%kubectl``, ``%%kubectl`` or ``%%manifest``) the cluster clock moves by the
think time (default 10 s; ``%kubenb clock --think 0`` turns it off), the pause
a person takes between commands at a real terminal; the commands themselves
only settle. So ``apply`` in one cell and ``get pods`` in the next shows Running
Pods, and a re-run notebook prints the same thing.

Only those cells think, not every cell: plain Python cells (imports, quiz checks
reading the cluster) and ``%kubenb`` cells (``advance 30s`` must move exactly
30 s; ``reset`` starts afresh) must not change what the student just saw.

IPython's ``%load_ext`` says "already loaded" on a second call; a notebook
whose environment also auto-loads kubenb would print that line. So after each
cell kubenb takes itself off IPython's loaded list, and a second
``%load_ext kubenb`` just finds the magics already there (nothing printed).
The cost: ``%unload_ext kubenb`` reports "not loaded"; call
``kubenb.unload_ipython_extension(get_ipython())`` instead.
"""

from __future__ import annotations

import re
from typing import Any

from kubenb.jupyter.session import get_session

THINKING_CELL = re.compile(r"^\s*%%?(kubectl|manifest)\b", re.MULTILINE)

_loaded_into: dict[int, dict[str, Any]] = {}


def cell_thinks(source: str) -> bool:
    """Whether a cell is one a person types kubectl commands in (it moves the clock first)."""
    return bool(THINKING_CELL.search(source or ""))


def load_ipython_extension(ipython: Any) -> None:
    if id(ipython) in _loaded_into:
        return
    from kubenb.jupyter.magics import KubenbMagics
    from kubenb.jupyter.quizcell import install_hooks

    ipython.register_magics(KubenbMagics)
    install_hooks()  # kubenb.quiz.check(...) in Python cells uses the kernel's cluster

    def pre_run_cell(info: Any = None) -> None:
        source = getattr(info, "raw_cell", "") or ""
        if cell_thinks(source):
            try:
                get_session().think()
            except Exception as error:  # noqa: BLE001 - a hook must never break the cell
                from kubenb.jupyter import display

                display.report_internal_error(error)

    def post_run_cell(result: Any = None) -> None:
        # Stay off IPython's "loaded" set, so a second %load_ext kubenb is silent (see above).
        manager = getattr(ipython, "extension_manager", None)
        if manager is not None:
            manager.loaded.discard("kubenb")

    ipython.events.register("pre_run_cell", pre_run_cell)
    ipython.events.register("post_run_cell", post_run_cell)
    _loaded_into[id(ipython)] = {"pre_run_cell": pre_run_cell, "post_run_cell": post_run_cell}


def unload_ipython_extension(ipython: Any) -> None:
    hooks = _loaded_into.pop(id(ipython), None)
    if hooks is None:
        return
    for event, callback in hooks.items():
        try:
            ipython.events.unregister(event, callback)
        except ValueError:
            pass
    magics = ipython.magics_manager.magics
    for kind, names in (("line", ("kubectl", "kubenb")), ("cell", ("kubectl", "manifest", "quiz"))):
        for name in names:
            magics[kind].pop(name, None)
