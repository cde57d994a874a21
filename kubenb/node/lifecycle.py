"""The container state machine the kubelet drives, as a table, plus the restart back-off.

States (ours) and what the container status shows for each:

======================  ====================================  =================================
state                   containerStatuses[].state             moves on when
======================  ====================================  =================================
waiting-pod             waiting ContainerCreating/PodInit...  the sandbox is up, earlier inits done
pulling                 waiting ContainerCreating             the pull finishes (or fails)
pull-failed             waiting ErrImagePull                  the next sync: ImagePullBackOff
pull-backoff            waiting ImagePullBackOff              the image back-off expires: pull
never-pull              waiting ErrImageNeverPull             never (the image must appear)
running                 running startedAt                     the process exits, is killed
exited                  terminated (reason, exitCode)         restart policy says restart
crash-backoff           waiting CrashLoopBackOff              the restart back-off expires
start-failed            terminated StartError, exit 128       restart policy (like exited)
======================  ====================================  =================================

Mirrors pkg/kubelet/kuberuntime (computePodActions, doBackOff) and
pkg/util/flowcontrol/backoff.go: the back-off starts at 10s, doubles to
300s, is measured from the container's finish time, and is forgotten when
the last back-off step is more than 600s old (a container that ran ten
minutes without trouble starts again from 10s). The first restart after a
crash is immediate.
"""

from __future__ import annotations

INITIAL_BACKOFF = 10.0
MAX_BACKOFF = 300.0

WAITING_REASONS = {
    "waiting-pod": "ContainerCreating",
    "pulling": "ContainerCreating",
    "pull-failed": "ErrImagePull",
    "pull-backoff": "ImagePullBackOff",
    "never-pull": "ErrImageNeverPull",
    "invalid-image": "InvalidImageName",
    "crash-backoff": "CrashLoopBackOff",
    "config-error": "CreateContainerConfigError",
}

TERMINATED_STATES = {"exited", "start-failed"}


def terminated_reason(exit_code: int, oom: bool = False) -> str:
    if oom:
        return "OOMKilled"
    return "Completed" if exit_code == 0 else "Error"


def should_restart(policy: str, exit_code: int) -> bool:
    """RestartPolicy: Always restarts every exit, OnFailure only non-zero ones, Never none."""
    if policy == "Always":
        return True
    if policy == "OnFailure":
        return exit_code != 0
    return False


def in_backoff(entry: dict | None, finished_at: float, now: float) -> bool:
    """flowcontrol.Backoff.IsInBackOffSince(key, finishedAt): now - finishedAt < current back-off."""
    if entry is None or finished_at - entry["updated"] > 2 * MAX_BACKOFF:
        return False
    return now - finished_at < entry["seconds"]


def next_backoff(entry: dict | None, event_time: float) -> dict:
    """flowcontrol.Backoff.Next: start at 10s, or double up to 300s; stale entries start over."""
    if entry is None or event_time - entry["updated"] > 2 * MAX_BACKOFF:
        return {"seconds": INITIAL_BACKOFF, "updated": event_time}
    return {"seconds": min(entry["seconds"] * 2, MAX_BACKOFF), "updated": event_time}


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String() of a value truncated to milliseconds ("2.3s", "312ms", "1m5.2s")."""
    millis = int(round(seconds * 1000))
    if millis == 0:
        return "0s"
    if millis < 1000:
        return f"{millis}ms"
    minutes, rest = divmod(millis, 60_000)
    hours, minutes = divmod(minutes, 60)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    text = f"{secs}s"
    if minutes or hours:
        text = f"{minutes}m" + text
    if hours:
        text = f"{hours}h" + text
    return text
