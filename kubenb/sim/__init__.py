"""Discrete-event core: a virtual clock with data-only timers and one seeded random source.

Knows nothing about Kubernetes. Nothing here reads the wall clock or uses threads.
"""

from kubenb.sim.clock import VirtualClock, format_rfc3339, parse_rfc3339
from kubenb.sim.rand import SeededRandom

__all__ = ["SeededRandom", "VirtualClock", "format_rfc3339", "parse_rfc3339"]
