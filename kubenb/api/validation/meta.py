"""Object metadata checks (k8s.io/apimachinery/pkg/api/validation/objectmeta.go, metav1 validation).

Name rules per kind, generateName, namespace, labels, annotations and the
update rules for metadata. Go iterates maps in random order; we sort keys so
the aggregate is deterministic. Left out: ownerReferences, finalizer names,
managedFields.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api import errors, names
from kubenb.api.errors import FieldError

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

NameFn = Callable[[str, bool], list[str]]


def _mask_trailing_dash(name: str) -> str:
    """A generateName prefix may end with '-': validate it as if it were alphanumeric."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-1] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    return names.is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    return names.is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    return names.is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


def validate_path_segment_name(name: str, prefix: bool) -> list[str]:
    """path.ValidatePathSegmentName (RBAC objects)."""
    if not prefix and name in (".", ".."):
        return [f"may not be '{name}'"]
    errs = []
    for bad in ("/", "%"):
        if bad in name:
            errs.append(f"may not contain '{bad}'")
    return errs


def validate_labels(labels: object, path: str) -> list[FieldError]:
    if not isinstance(labels, dict):
        return []
    errs: list[FieldError] = []
    for key in sorted(labels):
        for msg in names.is_qualified_name(key):
            errs.append(errors.invalid(path, key, msg))
        value = labels[key]
        for msg in names.is_valid_label_value(str(value) if value is not None else ""):
            errs.append(errors.invalid(path, value, msg))
    return errs


def validate_annotations(annotations: object, path: str) -> list[FieldError]:
    if not isinstance(annotations, dict):
        return []
    errs: list[FieldError] = []
    for key in sorted(annotations):
        for msg in names.is_qualified_name(key.lower()):
            errs.append(errors.invalid(path, key, msg))
    total = sum(len(k.encode()) + len(str(v or "").encode()) for k, v in annotations.items())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(errors.too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_object_meta(md: dict, namespaced: bool, name_fn: NameFn, path: str = "metadata") -> list[FieldError]:
    errs: list[FieldError] = []
    generate_name = md.get("generateName") or ""
    if generate_name:
        for msg in name_fn(generate_name, True):
            errs.append(errors.invalid(f"{path}.generateName", generate_name, msg))
    name = md.get("name") or ""
    if not name:
        errs.append(errors.required(f"{path}.name", "name or generateName is required"))
    else:
        for msg in name_fn(name, False):
            errs.append(errors.invalid(f"{path}.name", name, msg))
    if namespaced:
        ns = md.get("namespace") or ""
        if not ns:
            errs.append(errors.required(f"{path}.namespace"))
        else:
            for msg in names.is_dns1123_label(ns):
                errs.append(errors.invalid(f"{path}.namespace", ns, msg))
    elif md.get("namespace"):
        errs.append(errors.forbidden(f"{path}.namespace", "not allowed on this type"))
    generation = md.get("generation")
    if isinstance(generation, int) and generation < 0:
        errs.append(errors.invalid(f"{path}.generation", generation, "must be greater than or equal to 0"))
    errs += validate_labels(md.get("labels"), f"{path}.labels")
    errs += validate_annotations(md.get("annotations"), f"{path}.annotations")
    return errs


def validate_object_meta_update(new: dict, old: dict, path: str = "metadata") -> list[FieldError]:
    """ValidateObjectMetaUpdate: name, namespace, uid and creationTimestamp are fixed."""
    errs: list[FieldError] = []
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if new.get(key) != old.get(key):
            errs.append(errors.invalid(f"{path}.{key}", new.get(key), "field is immutable"))
    errs += validate_labels(new.get("labels"), f"{path}.labels")
    errs += validate_annotations(new.get("annotations"), f"{path}.annotations")
    return errs
