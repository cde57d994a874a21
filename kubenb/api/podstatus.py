"""A Pod's STATUS, READY and RESTARTS as ``kubectl get pods`` shows them, and whether it is Ready.

Mirrors pkg/printers/internalversion/printers.go printPod (v1.33): the reason shown in STATUS
(Init:N/M, Init:<reason>, the last container's waiting/terminated reason, Completed turned back into
Running/NotReady while a container still runs, Terminating, Unknown for a lost node), the ready count
over all containers plus restartable (sidecar) init containers, and the restart count with the time of
the latest termination; and pkg/api/v1/pod IsPodReady. Kept below kubectl, viz and quiz so they all read
a Pod the same way; formatting ("3 (2m ago)") stays with the kubectl printers.
"""

from __future__ import annotations

from typing import NamedTuple

from kubenb.sim.clock import parse_rfc3339


class PodStatusSummary(NamedTuple):
    # A NamedTuple rather than a frozen dataclass: `kubectl get pods` builds one per Pod, and a tuple is
    # built three times faster (10,000 Pods in one listing).
    reason: str  # the STATUS column
    ready: int
    total: int
    restarts: int
    last_restart: float | None  # epoch seconds of the latest counted termination, None when unknown

    @property
    def is_ready(self) -> bool:
        """Every container counted by READY is ready (READY shows n/n)."""
        return self.total > 0 and self.ready == self.total


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _seconds(value: object) -> float | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_rfc3339(value)
    except ValueError:
        return None


def _later(current: float | None, candidate: object) -> float | None:
    moment = _seconds(candidate)
    if moment is None:
        return current
    return moment if current is None or moment > current else current


def _last_terminated(container: dict) -> dict | None:
    last = container.get("lastState")
    return last.get("terminated") if isinstance(last, dict) else None


def has_condition(pod: dict, kind: str) -> bool:
    """The object (a Pod, or a Node) has condition ``kind`` with status True."""
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def is_pod_ready(pod: dict) -> bool:
    """IsPodReady: the Ready condition is True."""
    return has_condition(pod, "Ready")


def is_restartable_init(container: dict | None) -> bool:
    """A sidecar: an init container with restartPolicy Always."""
    return bool(container) and container.get("restartPolicy") == "Always"


def summarize(pod: dict) -> PodStatusSummary:
    """printPod's reason, ready/total and restarts (with the latest termination time)."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: float | None = None
    last_restartable_restart: float | None = None
    # The apiserver's pod strategy sets phase Pending on create; a pod written without status reads so too.
    phase = status.get("phase") or "Pending"
    status_reason = status.get("reason")
    reason = status_reason or phase
    for condition in status.get("conditions") or ():
        # "in" before the lookup: most conditions carry no reason, and this loop runs for every listed Pod.
        if "reason" in condition and condition["reason"] == "SchedulingGated" \
                and condition.get("type") == "PodScheduled":
            reason = "SchedulingGated"
    init_containers = spec.get("initContainers")
    init_specs = {c.get("name"): c for c in init_containers} if init_containers else {}
    if init_specs:
        total += sum(1 for c in init_specs.values() if is_restartable_init(c))
    init_count = len(init_containers or ())

    initializing = False
    for index, container in enumerate(status.get("initContainerStatuses") or ()):
        restarts += _int(container.get("restartCount"))
        last = _last_terminated(container)
        if last is not None:
            last_restart = _later(last_restart, last.get("finishedAt"))
        restartable = is_restartable_init(init_specs.get(container.get("name")))
        if restartable:
            restartable_restarts += _int(container.get("restartCount"))
            if last is not None:
                last_restartable_restart = _later(last_restartable_restart, last.get("finishedAt"))
        state = container.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated is not None and _int(terminated.get("exitCode")) == 0:
            continue
        if restartable and container.get("started"):
            if container.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if _int(terminated.get("signal")):
                    reason = f"Init:Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(terminated.get('exitCode'))}"
            else:
                reason = "Init:" + str(terminated["reason"])
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + str(waiting["reason"])
        else:
            reason = f"Init:{index}/{init_count}"
        initializing = True
        break

    if not initializing or has_condition(pod, "Initialized"):
        restarts = restartable_restarts
        last_restart = last_restartable_restart
        has_running = False
        for container in reversed(status.get("containerStatuses") or ()):
            count = container.get("restartCount")
            restarts += count if type(count) is int else _int(count)
            # _last_terminated inlined (one call per container of every listed Pod); an empty lastState,
            # the usual case, has nothing to read.
            last = container.get("lastState")
            last = last.get("terminated") if last and isinstance(last, dict) else None
            if last is not None:
                last_restart = _later(last_restart, last.get("finishedAt"))
            state = container.get("state") or {}
            if "waiting" not in state and "terminated" not in state:  # running (or empty): no reason to take
                if container.get("ready") and state.get("running") is not None:
                    has_running = True
                    ready += 1
                continue
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = str(waiting["reason"])
            elif terminated is not None and terminated.get("reason"):
                reason = str(terminated["reason"])
            elif terminated is not None:
                if _int(terminated.get("signal")):
                    reason = f"Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(terminated.get('exitCode'))}"
            elif container.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if has_condition(pod, "Ready") else "NotReady"

    deleting = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
    if deleting and status_reason == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return PodStatusSummary(reason, ready, total, restarts, last_restart)
