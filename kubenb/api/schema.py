"""Strict decoding against the v1.33 OpenAPI schemas, as the apiserver's JSON decoder reports it.

Mirrors two steps of k8s.io/apimachinery/pkg/runtime/serializer/json (via
sigs.k8s.io/json): unmarshalling into the Go types (a wrong JSON type fails the
whole request with ``json: cannot unmarshal <type> into Go struct field
<Struct>.<path> of type <gotype>``) and strict field checking (``unknown field
"spec.template.spec.containers[0].imagee"``, every unknown field collected).

The schemas are read lazily, at run time, from the installed
``kubernetes-validate`` package (the ``v1.33.0-local-strict`` set); nothing is
copied into this repo. The walk is a small hand-written interpreter over those
definitions rather than jsonschema's validator, because the apiserver's error
wording and order (keys in sorted order, as kubectl's YAML->JSON conversion
sends them; indexes in unknown-field paths but not in type-error paths) are
not what a JSON-schema validator reports; one compiled checker per kind is
cached. The same definitions give ``kubectl explain`` its descriptions and
strategic merge patch its list merge keys.

Left out: enum checks (the apiserver does those in validation, with its own
messages), Go named string types in type errors (we print ``string``), duplicate
JSON keys (YAML->dict loses them).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from typing import Any

from kubenb.api import quantity

SCHEMA_VERSION = "v1.33.0-local-strict"


@functools.cache
def _definitions() -> dict[str, dict]:
    # Locate the package without importing it: its import pulls in jsonschema's format checkers,
    # which compile dozens of grammars (seconds of start-up) that kubenb never uses.
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("kubernetes_validate")
    root = os.path.join(os.path.dirname(spec.origin), "kubernetes-json-schema", SCHEMA_VERSION)
    with open(os.path.join(root, "_definitions.json"), encoding="utf-8") as handle:
        return json.load(handle)["$defs"]


@functools.cache
def _gvk_index() -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, definition in _definitions().items():
        for gvk in definition.get("x-kubernetes-group-version-kind", ()):
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return index


def definition_name(api_version: str, kind: str) -> str | None:
    """The OpenAPI definition name for apiVersion/kind ("io.k8s.api.apps.v1.Deployment")."""
    group, _, version = api_version.rpartition("/")
    return _gvk_index().get((group, version, kind))


def definition(name: str) -> dict:
    return _definitions()[name]


def resolve(node: dict) -> tuple[dict, str | None]:
    """Follow a $ref; returns (schema, definition name or None)."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    return _definitions()[name], name


def _types(node: dict) -> set[str]:
    t = node.get("type")
    if t is None:
        return set()
    return {t} if isinstance(t, str) else set(t)


def go_type(node: dict) -> str:
    """The Go type name a decode error prints for a schema node (best effort from the schema)."""
    target, name = resolve(node)
    if name is not None:
        if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            return "intstr.IntOrString"
        if name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            return "resource.Quantity"
        parts = name.split(".")
        return f"{parts[-2]}.{parts[-1]}"
    types = _types(target)
    if "array" in types:
        return "[]" + go_type(target.get("items", {}))
    if "object" in types:
        extra = target.get("additionalProperties")
        if isinstance(extra, dict):
            return "map[string]" + go_type(extra)
        return "map[string]interface {}"
    if "integer" in types:
        return "int64" if target.get("format") == "int64" else "int32"
    if "number" in types:
        return "float64"
    if "boolean" in types:
        return "bool"
    if "string" in types:
        return "string"
    return "interface {}"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _go_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return json.dumps(value)


class _DecodeError(Exception):
    pass


class _Walker:
    """One pass over an object: collects unknown fields, stops at the first type error."""

    __slots__ = ("unknown", "type_error")

    def __init__(self) -> None:
        self.unknown: list[str] = []
        self.type_error: str | None = None

    def fail(self, value: Any, struct: str, go_path: str, node: dict, number_text: bool = False) -> None:
        kind = _json_type(value)
        if number_text:
            kind = "number " + _go_number(value)
        if self.type_error is None:
            self.type_error = (f"json: cannot unmarshal {kind} into Go struct field {struct}.{go_path} "
                               f"of type {go_type(node)}")

    def walk(self, value: Any, node: dict, path: str, struct: str, go_path: str) -> None:
        if value is None:
            return
        target, name = resolve(node)
        if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                self.fail(value, struct, go_path, node)
            return
        if name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                self.fail(value, struct, go_path, node)
            elif self.type_error is None:
                # Quantity.UnmarshalJSON parses while decoding: its error fails the request as is.
                try:
                    quantity.parse(value if isinstance(value, str) else _go_number(value))
                except quantity.QuantityError as error:
                    self.type_error = str(error)
            return
        types = _types(target)
        props = target.get("properties")
        if props is not None or ("object" in types and "additionalProperties" not in target):
            if not isinstance(value, dict):
                self.fail(value, struct, go_path, node)
                return
            if props is None:
                return  # free-form object (RawExtension, FieldsV1)
            own = name.rsplit(".", 1)[-1] if name else struct
            for key in sorted(value):
                child = props.get(key)
                sub_path = f"{path}.{key}" if path else key
                if child is None:
                    if target.get("additionalProperties") is False:
                        self.unknown.append(f'unknown field "{sub_path}"')
                    continue
                self.walk(value[key], child, sub_path, own, f"{go_path}.{key}" if go_path else key)
            return
        if "object" in types:
            if not isinstance(value, dict):
                self.fail(value, struct, go_path, node)
                return
            extra = target.get("additionalProperties")
            if isinstance(extra, dict):
                for key in sorted(value):
                    self.walk(value[key], extra, f"{path}[{key}]", struct, go_path)
            return
        if "array" in types:
            if not isinstance(value, list):
                self.fail(value, struct, go_path, node)
                return
            items = target.get("items", {})
            struct_items = resolve(items)[0].get("properties") is not None
            for index, item in enumerate(value):
                if item is None and struct_items:
                    value[index] = item = {}  # encoding/json decodes null into a zero struct, never a nil
                self.walk(item, items, f"{path}[{index}]", struct, go_path)
            return
        if "integer" in types:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, struct, go_path, node)
                return
            if isinstance(value, float) and not value.is_integer():
                self.fail(value, struct, go_path, node, number_text=True)
                return
            bits = 64 if target.get("format") == "int64" else 32
            if not -(2 ** (bits - 1)) <= int(value) < 2 ** (bits - 1):
                self.fail(value, struct, go_path, node, number_text=True)
            return
        if "number" in types:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, struct, go_path, node)
            return
        if "boolean" in types:
            if not isinstance(value, bool):
                self.fail(value, struct, go_path, node)
            return
        if "string" in types and not isinstance(value, str):
            self.fail(value, struct, go_path, node)


def check(obj: dict) -> tuple[str | None, list[str]]:
    """(decode error or None, unknown-field messages) for an object with apiVersion and kind."""
    name = definition_name(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if name is None:
        return None, []
    walker = _Walker()
    walker.walk(obj, {"$ref": "#/$defs/" + name}, "", name.rsplit(".", 1)[-1], "")
    return walker.type_error, walker.unknown


def strict_errors(obj: dict) -> list[str]:
    """Messages such as 'unknown field "spec.replica"', in the order the decoder finds them."""
    return check(obj)[1]


# --- schema navigation (explain, strategic merge patch) ----------------------------------------

def field_node(root_definition: str, path: list[str]) -> tuple[dict, dict] | None:
    """(the property node as written in its parent, the resolved schema) for a field path, or None.

    List items are stepped through transparently, as kubectl explain does.
    """
    node: dict = {"$ref": "#/$defs/" + root_definition}
    target, _ = resolve(node)
    for part in path:
        while "array" in _types(target) and "items" in target:
            target, _ = resolve(target["items"])
        props = target.get("properties") or {}
        if part not in props:
            extra = target.get("additionalProperties")
            if isinstance(extra, dict) and not props:
                node = extra
                target, _ = resolve(extra)
                continue
            return None
        node = props[part]
        target, _ = resolve(node)
    return node, target


@functools.cache
def _patch_info(root_definition: str, path: tuple[str, ...]) -> tuple[str | None, str | None]:
    found = field_node(root_definition, list(path))
    if found is None:
        return None, None
    node, _ = found
    return node.get("x-kubernetes-patch-merge-key"), node.get("x-kubernetes-patch-strategy")


def patch_merge_key(api_version: str, kind: str, path: list[str]) -> str | None:
    """x-kubernetes-patch-merge-key of the list at ``path`` (e.g. ["spec", "containers"] -> "name")."""
    name = definition_name(api_version, kind)
    return None if name is None else _patch_info(name, tuple(path))[0]


def patch_strategy(api_version: str, kind: str, path: list[str]) -> str | None:
    """x-kubernetes-patch-strategy ("merge", "retainKeys", "merge,retainKeys") of the field at ``path``."""
    name = definition_name(api_version, kind)
    return None if name is None else _patch_info(name, tuple(path))[1]


def description(api_version: str, kind: str, path: list[str]) -> str | None:
    name = definition_name(api_version, kind)
    if name is None:
        return None
    if not path:
        return definition(name).get("description", "")
    found = field_node(name, path)
    if found is None:
        return None
    node, target = found
    return node.get("description") or target.get("description", "")
