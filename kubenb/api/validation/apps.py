"""apps/v1 validation with upstream messages (pkg/apis/apps/validation/validation.go).

Deployments, ReplicaSets, DaemonSets and StatefulSets: selector present and
non-empty, template labels matching it, replica counts, strategies, the
immutable selector on update. Left out: rollback, StatefulSet ordinals and
volumeClaimTemplates rules.
"""

from __future__ import annotations

from kubenb.api import errors, selectors
from kubenb.api.errors import FieldError
from kubenb.api.validation import core, meta

IMMUTABLE = "field is immutable"


def _int_or_percent(value: object, path: str) -> list[FieldError]:
    if isinstance(value, str):
        if not value.endswith("%") or not value[:-1].isdigit():
            return [errors.invalid(path, value, "a valid percent string must be a numeric string followed by an "
                                   "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
        if int(value[:-1]) > 100:
            return [errors.invalid(path, value, "must not be greater than 100%")]
        return []
    return core._nonneg(value, path)


def _is_zero(value: object) -> bool:
    return value in (0, "0%")


def validate_selector_and_template(spec: dict, kind_word: str, restart_always: bool = True) -> list[FieldError]:
    """The shared part of ValidateDeploymentSpec / ReplicaSetSpec / DaemonSetSpec / StatefulSetSpec."""
    errs: list[FieldError] = []
    selector = spec.get("selector")
    parsed = None
    if not isinstance(selector, dict):
        errs.append(errors.required("spec.selector"))
    else:
        errs += validate_label_selector(selector, "spec.selector")
        if not (selector.get("matchLabels") or selector.get("matchExpressions")):
            errs.append(errors.invalid("spec.selector", errors.go_label_selector(selector),
                                       f"empty selector is invalid for {kind_word}"))
        else:
            try:
                parsed = selectors.from_label_selector(selector)
            except Exception:  # noqa: BLE001 - any conversion failure is "invalid label selector"
                errs.append(errors.invalid("spec.selector", errors.go_label_selector(selector),
                                           "invalid label selector"))
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(errors.required("spec.template"))
        return errs
    labels = (template.get("metadata") or {}).get("labels")
    if parsed is not None and not parsed.matches(labels or {}):
        errs.append(errors.invalid("spec.template.metadata.labels", errors.go_string_map(labels),
                                   "`selector` does not match template `labels`"))
    errs += core.validate_pod_template_spec(template, "spec.template")
    restart = (template.get("spec") or {}).get("restartPolicy")
    if restart_always and restart is not None and restart != "Always":
        errs.append(errors.not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    return errs


def validate_label_selector(selector: dict, path: str) -> list[FieldError]:
    """metav1validation.ValidateLabelSelector."""
    errs: list[FieldError] = []
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        if not isinstance(expr, dict):
            continue
        p = f"{path}.matchExpressions[{i}]"
        op = expr.get("operator")
        values = expr.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(errors.required(f"{p}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(errors.forbidden(f"{p}.values",
                                             "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(errors.invalid(f"{p}.operator", op, "not a valid selector operator"))
        key = expr.get("key") or ""
        for msg in __import__("kubenb.api.names", fromlist=["x"]).is_qualified_name(key):
            errs.append(errors.invalid(f"{p}.key", key, msg))
    errs += meta.validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    return errs


def _common_update(obj: dict, old: dict | None) -> list[FieldError]:
    if old is None:
        return []
    errs = meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    new_sel = (obj.get("spec") or {}).get("selector")
    old_sel = (old.get("spec") or {}).get("selector")
    if isinstance(new_sel, dict) and new_sel != old_sel:
        errs.append(errors.invalid("spec.selector", errors.go_label_selector(new_sel), IMMUTABLE))
    return errs


def validate_deployment(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs += core._nonneg(spec.get("replicas"), "spec.replicas")
    errs += validate_selector_and_template(spec, "deployment")
    strategy = spec.get("strategy") or {}
    stype = strategy.get("type")
    if stype not in (None, "Recreate", "RollingUpdate"):
        errs.append(errors.not_supported("spec.strategy.type", stype, ["Recreate", "RollingUpdate"]))
    if stype == "Recreate" and strategy.get("rollingUpdate") is not None:
        errs.append(errors.forbidden("spec.strategy.rollingUpdate",
                                     "may not be specified when strategy `type` is 'Recreate'"))
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict) and stype == "RollingUpdate":
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs += _int_or_percent(unavailable, "spec.strategy.rollingUpdate.maxUnavailable")
        errs += _int_or_percent(surge, "spec.strategy.rollingUpdate.maxSurge")
        if _is_zero(unavailable) and _is_zero(surge):
            errs.append(errors.invalid("spec.strategy.rollingUpdate.maxUnavailable", unavailable,
                                       "may not be 0 when `maxSurge` is 0"))
    errs += core._nonneg(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    errs += core._nonneg(spec.get("minReadySeconds"), "spec.minReadySeconds")
    pds = spec.get("progressDeadlineSeconds")
    if isinstance(pds, int) and not isinstance(pds, bool):
        errs += core._nonneg(pds, "spec.progressDeadlineSeconds")
        if pds <= (spec.get("minReadySeconds") or 0):
            errs.append(errors.invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    errs += _common_update(obj, old)
    return errs


def validate_replica_set(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs += core._nonneg(spec.get("replicas"), "spec.replicas")
    errs += core._nonneg(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += validate_selector_and_template(spec, "deployment")
    errs += _common_update(obj, old)
    return errs


def validate_daemon_set(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs += validate_selector_and_template(spec, "daemonset")
    strategy = spec.get("updateStrategy") or {}
    stype = strategy.get("type")
    if stype not in (None, "OnDelete", "RollingUpdate"):
        errs.append(errors.not_supported("spec.updateStrategy.type", stype, ["OnDelete", "RollingUpdate"]))
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict) and stype == "RollingUpdate":
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs += _int_or_percent(unavailable, "spec.updateStrategy.rollingUpdate.maxUnavailable")
        errs += _int_or_percent(surge, "spec.updateStrategy.rollingUpdate.maxSurge")
        if _is_zero(unavailable) and _is_zero(surge):
            errs.append(errors.invalid("spec.updateStrategy.rollingUpdate.maxUnavailable", unavailable,
                                       "cannot be 0 when maxSurge is 0"))
    errs += core._nonneg(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    errs += _common_update(obj, old)
    return errs


def validate_stateful_set(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_label)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    policy = spec.get("podManagementPolicy")
    if policy not in (None, "OrderedReady", "Parallel"):
        errs.append(errors.not_supported("spec.podManagementPolicy", policy, ["OrderedReady", "Parallel"]))
    errs += core._nonneg(spec.get("replicas"), "spec.replicas")
    errs += validate_selector_and_template(spec, "statefulset")
    errs += core._nonneg(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    if old is not None:
        errs += _common_update(obj, old)
    return errs
