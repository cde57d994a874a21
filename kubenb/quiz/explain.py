"""The cluster's own evidence for why a check fails: Pod container states and Warning events.

Mirrors what a person reads in ``kubectl describe`` (container State/Reason,
the Events table) and condenses it into one clause, such as
``2 Pods in ImagePullBackOff: image "ngnix:1.14" not found``. Only facts the
cluster recorded are quoted; nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kubenb.api import objects, selectors
from kubenb.quiz.messages import text

NOT_FOUND = re.compile(r"NotFound|not found|repository does not exist|manifest unknown")


def _container_problem(pod: dict) -> tuple[str, str] | None:
    """(reason, detail) of a Pod's first unhappy container, as kubectl's STATUS column would name it."""
    status = pod.get("status") or {}
    for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        state = cs.get("state") or {}
        waiting = state.get("waiting")
        if waiting and waiting.get("reason") not in (None, "ContainerCreating", "PodInitializing"):
            return waiting["reason"], waiting.get("message", "") + "\x00" + cs.get("image", "")
        terminated = state.get("terminated")
        if terminated and terminated.get("reason") not in (None, "Completed"):
            return terminated["reason"], "\x00" + cs.get("image", "")
        if not cs.get("ready") and state.get("running") and (cs.get("restartCount") or 0) == 0:
            return "Running (not Ready)", "\x00"
    if status.get("phase") == "Pending" and not (pod.get("spec") or {}).get("nodeName"):
        return "Pending (not scheduled)", "\x00"
    return None


def pod_evidence(client: Any, pods: list[dict], lang: str) -> list[str]:
    """Clauses such as ``2 Pod(s) in ImagePullBackOff: image 'ngnix:1.14' not found``."""
    reasons: Counter[str] = Counter()
    details: dict[str, tuple[str, dict]] = {}
    for pod in pods:
        if (pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        problem = _container_problem(pod)
        if problem is None:
            continue
        reason, detail = problem
        reasons[reason] += 1
        details.setdefault(reason, (detail, pod))
    clauses = []
    for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        clause = text(lang, "evidence_pods", count=count, reason=reason)
        detail, example = details[reason]
        message, _, image = detail.partition("\x00")
        if reason in ("ErrImagePull", "ImagePullBackOff") and NOT_FOUND.search(message):
            clause += ": " + text(lang, "evidence_image", image=image)
        elif reason.startswith("Pending"):
            events = warning_events(client, example)
            if events:
                clause += ": " + events[-1]
        clauses.append(clause)
    return clauses


def warning_events(client: Any, obj: dict) -> list[str]:
    """``Reason: message`` of the Warning events about ``obj``, oldest first."""
    md = obj.get("metadata") or {}
    found = []
    for event in client.list_view("events", md.get("namespace")):
        involved = event.get("involvedObject") or {}
        if involved.get("uid") == md.get("uid") or (involved.get("name") == md.get("name")
                                                     and involved.get("kind") == obj.get("kind")):
            if event.get("type") == "Warning":
                found.append(f"{event.get('reason')}: {event.get('message')}")
    return found


def pods_of(client: Any, workload: dict) -> list[dict]:
    """The Pods a workload's label selector (or a Service's plain selector map) matches, in its namespace."""
    spec = workload.get("spec") or {}
    selector = spec.get("selector")
    namespace = (workload.get("metadata") or {}).get("namespace")
    if not isinstance(selector, dict) or not selector:
        return []
    if workload.get("kind") == "Service":
        selector = {"matchLabels": selector}
    matcher = selectors.from_label_selector(selector)
    return [objects.clone(p) for p in client.list_view("pods", namespace)
            if matcher.matches((p.get("metadata") or {}).get("labels") or {})]
