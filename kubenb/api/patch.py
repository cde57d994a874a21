"""Patches: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902 via jsonpatch).

Strategic merge follows k8s.io/apimachinery/pkg/util/strategicpatch: lists
with a patch merge key (containers by ``name``, ports by ``containerPort``,
...) merge element by element; ``$patch: delete`` and ``null`` remove.
Merge keys come from the schema (``x-kubernetes-patch-merge-key``) via
``api.schema`` (a list merges by key only when its patch strategy says
"merge"); the short built-in table serves untyped callers.
"""

from __future__ import annotations

from typing import Any

import jsonpatch

from kubenb.api import errors, objects, schema
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


def merge_key_for(type_info: tuple[str, str] | None, path: list[str], key: str) -> str | None:
    """The list's merge key: from the schema when the type is known, else the built-in table."""
    if type_info is not None:
        found = schema.patch_merge_key(type_info[0], type_info[1], [*path, key])
        strategy = schema.patch_strategy(type_info[0], type_info[1], [*path, key]) or ""
        if found is not None and "merge" in strategy.split(","):
            return found
        if schema.definition_name(*type_info) is not None:
            return None
    return MERGE_KEYS.get(key)


def strategic_merge_patch(target: Any, patch: Any, field: str = "", *,
                          type_info: tuple[str, str] | None = None, path: list[str] | None = None) -> Any:
    """Merge ``patch`` into ``target``; ``type_info`` is (apiVersion, kind) of the object patched."""
    path = path or []
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: v for k, v in patch.items() if k != "$patch"}
        result = objects.clone(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if key.startswith("$"):
                continue
            if value is None:
                result.pop(key, None)
                continue
            merge_key = merge_key_for(type_info, path, key) if isinstance(value, list) else None
            if merge_key is not None and isinstance(result.get(key), list):
                result[key] = _merge_list(result[key], value, merge_key, key, type_info, [*path, key])
            else:
                result[key] = strategic_merge_patch(result.get(key), value, key, type_info=type_info,
                                                    path=[*path, key])
        return result
    return objects.clone(patch)


def _merge_list(current: list, patch: list, merge_key: str, field: str,
                type_info: tuple[str, str] | None = None, path: list[str] | None = None) -> list:
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
            result[index] = strategic_merge_patch(result[index], item, field, type_info=type_info, path=path)
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
    type_info = (str(target.get("apiVersion", "")), str(target.get("kind", ""))) if isinstance(target, dict) else None
    return strategic_merge_patch(target, patch, type_info=type_info)
