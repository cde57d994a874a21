"""controller-runtime in miniature: level-triggered controllers fed by a stingy work queue."""

from kubenb.reconcile.controller import Controller, ObjectKey, Result, Watch, for_, map_to, owns
from kubenb.reconcile.manager import Manager, SimulationStuck

__all__ = ["Controller", "Manager", "ObjectKey", "Result", "SimulationStuck", "Watch", "for_", "map_to", "owns"]
