"""kube-scheduler: the default scheduler as a controller, its framework and plugins."""

from kubenb.scheduler.scheduler import Scheduler, explain, priority_admission

__all__ = ["Scheduler", "explain", "priority_admission"]
