"""The write pipeline every create and update passes, in the apiserver's order.

1. resolve the type (api.resources)             -> no matches for kind
2. namespace rules (exists, not terminating)     -> NotFound / Forbidden
3. strict schema check (api.schema)             -> BadRequest "strict decoding error"
4. defaults (api.defaults)                       -> what `-o yaml` shows
5. strategy (api.strategies)                     -> generation, status reset, immutable fields
6. semantic validation (api.validation)          -> Invalid with field causes
7. admission plugins (quota, limit ranges)       -> Forbidden
   (and kubenb's simulator limits, api.limits)    -> Forbidden "kubenb: ..."

Mirrors k8s.io/apiserver/pkg/registry/rest (BeforeCreate, BeforeUpdate) and
the default admission chain. Left out: webhooks, server-side apply.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api import defaults, errors, limits, schema, strategies, validation
from kubenb.api.resources import ResourceType

# Admission plugins: fn(operation, rtype, obj, old, client_view) -> None, raising StatusError to refuse.
# Registered by higher layers' wiring (cluster) or by api modules (quota).
AdmissionPlugin = Callable[[str, ResourceType, dict, dict | None, object], None]


def check_schema(rtype: ResourceType, obj: dict, *, on_update: bool = False) -> None:
    """The decoder's verdict: a type error fails alone; otherwise every unknown field is listed."""
    type_error, unknown = schema.check(obj)
    head = f"{rtype.kind} in version \"{rtype.version}\" cannot be handled as a {rtype.kind}: "
    if type_error is not None:
        raise errors.bad_request(head + type_error)
    if unknown:
        raise errors.bad_request(head + "strict decoding error: " + ", ".join(unknown))


def admit_create(rtype: ResourceType, obj: dict, *, trusted: bool = False, validate: bool = True) -> None:
    """Schema, defaults, strategy and validation for a new object (mutates obj).

    ``trusted``: a control-plane writer (api.Client._trusted), whose objects skip the strict decoder.
    ``validate=False``: an object built only from already validated ones (a trusted recorder's Event).
    """
    if not trusted:
        check_schema(rtype, obj)
    defaults.apply_defaults(rtype, obj)
    strategies.prepare_for_create(rtype, obj)
    if validate:
        raise_invalid(rtype, obj, validation.validate(rtype, obj, None))
    limits.check_workload(rtype, obj)


def admit_update(rtype: ResourceType, obj: dict, old: dict, *, subresource: str | None = None,
                 trusted: bool = False) -> None:
    if subresource is None:
        if not trusted:
            check_schema(rtype, obj, on_update=True)
        defaults.apply_defaults(rtype, obj)
    strategies.prepare_for_update(rtype, obj, old, subresource=subresource)
    # A status write carries the stored spec and metadata unchanged (prepare_for_update), and the
    # validators check spec and metadata only: for a trusted writer the result is known to be empty.
    if not (trusted and subresource == "status"):
        raise_invalid(rtype, obj, validation.validate(rtype, obj, old))
    limits.check_workload(rtype, obj)


def raise_invalid(rtype: ResourceType, obj: dict, causes: list[errors.FieldError]) -> None:
    if causes:
        name = obj.get("metadata", {}).get("name", "") or obj.get("metadata", {}).get("generateName", "")
        raise errors.invalid_object(rtype.kind, name, causes, rtype.group)
