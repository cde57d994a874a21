"""Helpers shared by the workload controllers (pkg/controller/controller_utils.go in miniature).

Mirrors GetPodFromTemplate, FilterActivePods, ActivePodsWithRanks, the
intstr fence-post arithmetic and ComputeHash. Left out: expectations (one
worker and a synchronous store make them unnecessary) and pod-deletion-cost
feature gates (always on, as in v1.33).
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Callable, Iterable

from kubenb.api import Client, objects, selectors
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey
from kubenb.sim.clock import parse_rfc3339

# SafeEncodeString alphabet (apimachinery pkg/util/rand): no vowels, no 0/1/3.
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in text)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: fnv-1a 32 over the template (+ collisionCount), decimal, safe-encoded.

    Go hashes a go-spew dump that cannot be reproduced here; a canonical JSON
    encoding keeps the shape and changes exactly when the template changes.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += int(collision_count & 0xFFFFFFFF).to_bytes(8, "little")
    return safe_encode(str(fnv32a(data)))


def scaled_value(value: int | str | None, total: int, round_up: bool, default: int | str = 0) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if value is None:
        value = default
    if isinstance(value, int):
        return value
    text = str(value)
    if text.endswith("%"):
        percent = int(text[:-1])
        exact = percent * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return int(text)


def selector_of(obj: dict) -> selectors.Selector:
    return selectors.from_label_selector(objects.get_path(obj, "spec.selector"))


def now(client: Client) -> float:
    return client.clock.now()


def seconds_since(client: Client, timestamp: str | None) -> float:
    if not timestamp:
        return 0.0
    return client.clock.now() - parse_rfc3339(timestamp)


# --- pods ---------------------------------------------------------------------------------------------

def pod_from_template(template: dict, owner: dict, generate_name: str | None = None) -> dict:
    """controller.GetPodFromTemplate: labels, annotations, finalizers and spec from the template."""
    tmeta = template.get("metadata") or {}
    metadata: dict = {"generateName": generate_name if generate_name is not None else objects.name(owner) + "-",
                      "namespace": objects.namespace(owner)}
    if tmeta.get("labels"):
        metadata["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        metadata["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        metadata["finalizers"] = list(tmeta["finalizers"])
    metadata["ownerReferences"] = [objects.new_controller_ref(owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": objects.clone(template.get("spec") or {})}


def is_pod_active(pod: dict) -> bool:
    """controller.IsPodActive: not finished and not being deleted."""
    phase = pod.get("status", {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not objects.is_being_deleted(pod)


def condition(obj: dict, type_: str) -> dict | None:
    for cond in obj.get("status", {}).get("conditions") or []:
        if cond.get("type") == type_:
            return cond
    return None


def is_pod_ready(pod: dict) -> bool:
    cond = condition(pod, "Ready")
    return cond is not None and cond.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now_seconds: float) -> bool:
    """podutil.IsPodAvailable: Ready for at least minReadySeconds."""
    cond = condition(pod, "Ready")
    if cond is None or cond.get("status") != "True":
        return False
    if min_ready_seconds <= 0:
        return True
    since = cond.get("lastTransitionTime")
    return bool(since) and parse_rfc3339(since) + min_ready_seconds <= now_seconds


def pod_ready_since(pod: dict) -> float:
    cond = condition(pod, "Ready")
    if cond and cond.get("status") == "True" and cond.get("lastTransitionTime"):
        return parse_rfc3339(cond["lastTransitionTime"])
    return 0.0


def restart_count(pod: dict) -> int:
    statuses = pod.get("status", {}).get("containerStatuses") or []
    return max([int(s.get("restartCount", 0)) for s in statuses] or [0])


_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_rank(pod: dict, pods_on_node: dict[str, int]) -> tuple:
    """ActivePodsWithRanks.Less as a sort key: the first pods in ascending order are deleted first."""
    node, head, tail = deletion_rank_parts(pod)
    return (*head, -pods_on_node.get(node, 0) if node else 0, *tail)


def deletion_rank_parts(pod: dict) -> tuple[str, tuple, tuple]:
    """``deletion_rank`` split around its one term that depends on the other Pods (the Pods on the same
    node): (node, the terms before it, the terms after it), so a caller can keep them per Pod version."""
    node = pod.get("spec", {}).get("nodeName") or ""
    ready = is_pod_ready(pod)
    cost = int(objects.annotations(pod).get("controller.kubernetes.io/pod-deletion-cost", "0") or 0)
    ready_since = pod_ready_since(pod) if ready else 0.0
    # Logarithmic scale-down buckets ready times by powers of two (of seconds since ready).
    bucket = -int(math.log2(max(1.0, ready_since))) if ready else 0
    created = parse_rfc3339(pod["metadata"]["creationTimestamp"]) if pod["metadata"].get("creationTimestamp") else 0
    head = (1 if node else 0, _PHASE_RANK.get(pod.get("status", {}).get("phase", "Pending"), 0), 1 if ready else 0,
            cost)
    return node, head, (bucket, -ready_since, -restart_count(pod), -created, objects.uid(pod))


def ranked(parts: tuple[str, tuple, tuple], pods_on_node: dict[str, int]) -> tuple:
    """The rank from its parts. Nested, as every Pod's head and tail have the same lengths, it orders
    exactly as the flat ``deletion_rank`` does, without building a flat tuple per comparison key."""
    node, head, tail = parts
    return (head, -pods_on_node.get(node, 0) if node else 0, tail)


def get_pods_to_delete(pods: list[dict], related: list[dict], diff: int,
                       rank_parts: Callable[[dict], tuple[str, tuple, tuple]] = deletion_rank_parts) -> list[dict]:
    """replicaset getPodsToDelete: rank only when some pods survive (``rank_parts``: a caller's cached
    ``deletion_rank_parts``)."""
    if diff >= len(pods):
        return list(pods)
    on_node: dict[str, int] = {}
    for pod in related:
        node = pod.get("spec", {}).get("nodeName")
        if node and is_pod_active(pod):
            on_node[node] = on_node.get(node, 0) + 1
    # nsmallest is sorted(...)[:diff] (stable too) without sorting the survivors.
    return heapq.nsmallest(diff, pods, key=lambda p: ranked(rank_parts(p), on_node))


# --- ownership ----------------------------------------------------------------------------------------

def claim_candidates(client: Client, resource: str, namespace: str, owner_uid: str) -> Iterable[dict]:
    """What ``claim`` can keep or adopt: the owner's objects and the orphans of the namespace, in name
    order, from the store's controller index (the objects of other controllers are skipped by claim)."""
    return heapq.merge(client.controlled_view(resource, namespace, owner_uid),
                       client.controlled_view(resource, namespace, None), key=objects.name)


def claim(client: Client, owner: dict, candidates: Iterable[dict], resource: str,
          matches: Callable[[dict], bool] | None = None) -> list[dict]:
    """ControllerRefManager.Claim*: keep owned matches, adopt orphans that match, release owned misfits."""
    selector = selector_of(owner)
    test = matches or (lambda obj: selector.matches(objects.labels(obj)))
    owner_uid = objects.uid(owner)
    claimed: list[dict] = []
    for obj in candidates:
        ref = objects.controller_ref(obj)
        if ref is not None:
            if ref.get("uid") != owner_uid:
                continue
            if test(obj) or objects.is_being_deleted(owner):
                claimed.append(obj)
                continue
            if objects.is_being_deleted(obj):
                continue
            _release(client, obj, resource, owner_uid)
            continue
        if objects.is_being_deleted(owner) or objects.is_being_deleted(obj) or not test(obj):
            continue
        try:
            adopted = client.mutate(resource, objects.name(obj), objects.namespace(obj),
                                    lambda o: o["metadata"].setdefault("ownerReferences", []).append(
                                        objects.new_controller_ref(owner)))
        except StatusError:
            continue
        claimed.append(adopted)
    return claimed


def _release(client: Client, obj: dict, resource: str, owner_uid: str) -> None:
    def drop(o: dict) -> None:
        refs = [r for r in o["metadata"].get("ownerReferences") or [] if r.get("uid") != owner_uid]
        if refs:
            o["metadata"]["ownerReferences"] = refs
        else:
            o["metadata"].pop("ownerReferences", None)

    try:
        client.mutate(resource, objects.name(obj), objects.namespace(obj), drop)
    except StatusError:
        pass


def owner_key(resource: str, kind: str) -> Callable[[dict], list[ObjectKey]]:
    """Watch mapper: the controlling owner of the given kind."""

    def keys(obj: dict) -> list[ObjectKey]:
        ref = objects.controller_ref(obj)
        if ref is None or ref.get("kind") != kind:
            return []
        return [ObjectKey(resource, objects.namespace(obj), ref["name"])]

    return keys


def orphan_matcher(client: Client, resource: str, kind: str) -> Callable[[dict], list[ObjectKey]]:
    """Watch mapper: the controlling owner, or for an orphan every owner whose selector matches it."""

    def keys(obj: dict) -> list[ObjectKey]:
        ref = objects.controller_ref(obj)
        if ref is not None:
            return [ObjectKey(resource, objects.namespace(obj), ref["name"])] if ref.get("kind") == kind else []
        ns = objects.namespace(obj)
        labels = objects.labels(obj)
        if not labels:
            return []
        return [ObjectKey(resource, ns, objects.name(o)) for o in client.list_view(resource, ns)
                if selector_of(o).matches(labels) and not selector_of(o).empty()]

    return keys


def set_condition(status: dict, cond: dict, *, keep_transition_on_same_status: bool = True) -> None:
    """Replace the condition of the same type; keep lastTransitionTime when the status is unchanged."""
    conditions = status.setdefault("conditions", [])
    for index, existing in enumerate(conditions):
        if existing.get("type") == cond["type"]:
            if keep_transition_on_same_status and existing.get("status") == cond.get("status") \
                    and "lastTransitionTime" in existing:
                cond["lastTransitionTime"] = existing["lastTransitionTime"]
            conditions[index] = cond
            return
    conditions.append(cond)
