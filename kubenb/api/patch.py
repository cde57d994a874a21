"""Patches: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902 via jsonpatch).

Strategic merge follows k8s.io/apimachinery/pkg/util/strategicpatch: lists
with a patch merge key (containers by ``name``, ports by ``containerPort``,
...) merge element by element; ``$patch: delete`` and ``null`` remove.
Merge keys come from the schema (``x-kubernetes-patch-merge-key``) via
``api.schema``; a short built-in table covers the common ones until then.
"""

from __future__ import annotations

from typing import Any

import jsonpatch

from kubenb.api import errors, objects
from kubenb.api.resources import ResourceType

# Field name -> merge key, for lists that strategic merge patch merges by key.
MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "env": "name",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "conditions": "type",
    "tolerations": "key",
    "ownerReferences": "uid",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386."""
    if not isinstance(patch, dict):
        return objects.clone(patch)
    result = objects.clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: Any, patch: Any, field: str = "") -> Any:
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: v for k, v in patch.items() if k != "$patch"}
        result = objects.clone(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if key.startswith("$"):
                continue
            if value is None:
                result.pop(key, None)
            elif isinstance(value, list) and key in MERGE_KEYS and isinstance(result.get(key), list):
                result[key] = _merge_list(result[key], value, MERGE_KEYS[key], key)
            else:
                result[key] = strategic_merge_patch(result.get(key), value, key)
        return result
    return objects.clone(patch)


def _merge_list(current: list, patch: list, merge_key: str, field: str) -> list:
    result = [objects.clone(item) for item in current]
    for item in patch:
        if not isinstance(item, dict) or merge_key not in item:
            result.append(objects.clone(item))
            continue
        index = next((i for i, c in enumerate(result) if isinstance(c, dict) and c.get(merge_key) == item[merge_key]),
                     None)
        if item.get("$patch") == "delete":
            if index is not None:
                result.pop(index)
            continue
        if index is None:
            result.append({k: v for k, v in item.items() if not k.startswith("$")})
        else:
            result[index] = strategic_merge_patch(result[index], item, field)
    return result


def apply_patch(target: dict, patch: dict | list, patch_type: str, rtype: ResourceType | None = None) -> Any:
    if patch_type == "json":
        if not isinstance(patch, list):
            raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        try:
            return jsonpatch.apply_patch(target, patch)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as error:
            raise errors.internal(str(error)) from None
    if not isinstance(patch, dict):
        raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
    if patch_type == "merge":
        return merge_patch(target, patch)
    return strategic_merge_patch(target, patch)
