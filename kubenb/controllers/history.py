"""ControllerRevision helpers (pkg/controller/history/controller_history.go, the getPatch functions of
pkg/controller/daemon/update.go and pkg/controller/statefulset/stateful_set_utils.go).

A revision's ``data`` is the patch ``{"spec":{"template":{..., "$patch":"replace"}}}`` that turns the
parent back into that revision; two revisions are equal when the JSON encodings of their data are
byte-equal. Revision names are ``<parent>-<hash>`` where the hash is FNV-1 (32 bit) over that JSON
plus the decimal collision count, safe-encoded. The JSON is Go's encoding/json of a map (sorted keys,
no spaces, ``<>&`` escaped). Left out: adopting orphaned revisions (kubenb never orphans them).
"""

from __future__ import annotations

import json

from kubenb.api import Client, objects
from kubenb.api.patch import strategic_merge_patch
from kubenb.controllers import _util
from kubenb.sim.clock import parse_rfc3339

HASH_LABEL = "controller-revision-hash"
# ControllerRevisionName keeps the name a valid DNS subdomain by cutting the prefix.
MAX_PREFIX = 223


def go_json(value: object) -> bytes:
    """encoding/json of decoded JSON: map keys sorted, compact, HTML characters escaped as Go does."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text.encode()


def fnv32(data: bytes) -> int:
    """hash/fnv New32 (FNV-1: multiply, then xor), which HashControllerRevision uses (not FNV-1a)."""
    value = 0x811C9DC5
    for byte in data:
        value = (value * 0x01000193) & 0xFFFFFFFF
        value ^= byte
    return value


def hash_controller_revision(data: dict, probe: int | None) -> str:
    raw = go_json(data)
    if probe is not None:
        raw += str(int(probe)).encode()
    return _util.safe_encode(str(fnv32(raw)))


def controller_revision_name(prefix: str, hash_: str) -> str:
    return f"{prefix[:MAX_PREFIX]}-{hash_}"


def get_patch(parent: dict) -> dict:
    """getPatch: the parent's spec.template with ``$patch: replace``, as the Go structs serialise it."""
    template = objects.clone(objects.get_path(parent, "spec.template") or {})
    metadata = template.setdefault("metadata", {})
    # metav1.Time is a struct, so an unset creationTimestamp still serialises (as null).
    metadata.setdefault("creationTimestamp", None)
    template.setdefault("spec", {})
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def data_equal(revision: dict, data: dict) -> bool:
    return go_json(revision.get("data")) == go_json(data)


def apply_revision(parent: dict, revision: dict) -> dict:
    """ApplyRevision / applyDaemonSetHistory: the parent with the revision's template patched in."""
    result = strategic_merge_patch(objects.clone(parent), objects.clone(revision.get("data") or {}))
    template = objects.get_path(result, "spec.template") or {}
    if (template.get("metadata") or {}).get("creationTimestamp", 0) is None:
        template["metadata"].pop("creationTimestamp")
    return result


def revision_sort_key(revision: dict) -> tuple:
    """byRevision.Less: revision number, then creation time, then name."""
    created = revision["metadata"].get("creationTimestamp")
    return (int(revision.get("revision") or 0), parse_rfc3339(created) if created else 0.0, objects.name(revision))


def controlled_revisions(client: Client, parent: dict) -> list[dict]:
    """ListControllerRevisions (owned ones only), matching the parent's selector, oldest revision first."""
    selector = _util.selector_of(parent)
    uid = objects.uid(parent)
    # list_view (no copies) to filter, then clone only the parent's own revisions for the caller.
    found = [objects.clone(r) for r in client.list_view("controllerrevisions", objects.namespace(parent))
             if (objects.controller_ref(r) or {}).get("uid") == uid and selector.matches(objects.labels(r))]
    return sorted(found, key=revision_sort_key)


def new_controller_revision(parent: dict, data: dict, revision: int, hash_: str, annotations: dict | None) -> dict:
    labels = dict(objects.get_path(parent, "spec.template.metadata.labels") or {})
    labels[HASH_LABEL] = hash_
    metadata: dict = {"name": controller_revision_name(objects.name(parent), hash_),
                      "namespace": objects.namespace(parent), "labels": labels,
                      "ownerReferences": [objects.new_controller_ref(parent)]}
    if annotations:
        metadata["annotations"] = dict(annotations)
    return {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": metadata,
            "data": data, "revision": revision}


def max_revision(revisions: list[dict]) -> int:
    return max([int(r.get("revision") or 0) for r in revisions] or [0])
