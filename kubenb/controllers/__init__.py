"""kube-controller-manager: one module per controller, named after its resource.

``DEFAULT_CONTROLLERS`` lists factories in the order they run each round;
the order is part of what makes a cluster deterministic. A factory takes the
cluster's ``Client`` (its clock and random source come with it) and returns
a ``reconcile.Controller``.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api import Client
from kubenb.reconcile import Controller

ControllerFactory = Callable[[Client], Controller]


def default_controllers() -> list[ControllerFactory]:
    """The controllers a fresh cluster runs, in round order (imported here to keep import time low)."""
    return []
