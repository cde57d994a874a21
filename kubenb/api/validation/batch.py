"""batch/v1 validation with upstream messages (pkg/apis/batch/validation/validation.go).

Jobs (counts, restart policy, generated selector, completion mode) and
CronJobs (schedule in robfig/cron's standard syntax with its error texts,
TZ prefix, name length, history limits). Left out: pod failure and success
policies, the template-immutability rule on update (upstream prints the
whole template as a Go struct dump).
"""

from __future__ import annotations

import re

from kubenb.api import errors
from kubenb.api.errors import FieldError
from kubenb.api.validation import core, meta

JOB_RESTART_POLICIES = ["OnFailure", "Never"]
CRONJOB_NAME_MAX = 52

_CRON_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def _cron_number(text: str, names: dict[str, int]) -> int:
    if text.lower() in names:
        return names[text.lower()]
    if not re.fullmatch(r"[0-9]+", text):
        # robfig/cron mustParseInt: wraps strconv.Atoi's error.
        raise ValueError(f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def _cron_field(field: str, bounds: tuple[int, int], names: dict[str, int]) -> None:
    low, high = bounds
    for expr in field.split(","):
        range_and_step = expr.split("/")
        low_and_high = range_and_step[0].split("-")
        if low_and_high[0] in ("*", "?"):
            start, end = low, high
        else:
            start = _cron_number(low_and_high[0], names)
            end = start
            if len(low_and_high) == 2:
                end = _cron_number(low_and_high[1], names)
            elif len(low_and_high) > 2:
                raise ValueError(f"too many hyphens: {expr}")
        if len(range_and_step) == 2:
            step = _cron_number(range_and_step[1], names)
            if step <= 0:
                raise ValueError(f"step of range should be a positive number: {expr}")
        elif len(range_and_step) > 2:
            raise ValueError(f"too many slashes: {expr}")
        if start < low:
            raise ValueError(f"beginning of range ({start}) below minimum ({low}): {expr}")
        if end > high:
            raise ValueError(f"end of range ({end}) above maximum ({high}): {expr}")
        if start > end:
            raise ValueError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")


def parse_standard_cron(schedule: str) -> None:
    """robfig/cron ParseStandard: raises ValueError with its message."""
    if not schedule:
        raise ValueError("empty spec string")
    if schedule.startswith("@"):
        if schedule in _DESCRIPTORS or schedule.startswith("@every "):
            return
        raise ValueError(f"unrecognized descriptor: {schedule}")
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for field, bounds, names in zip(fields, _CRON_BOUNDS, ({}, {}, {}, _MONTHS, _DAYS), strict=True):
        _cron_field(field, bounds, names)


def validate_job_spec(spec: object, path: str, *, generated_selector: bool) -> list[FieldError]:
    if not isinstance(spec, dict):
        return [errors.required(path)]
    errs: list[FieldError] = []
    for key in ("parallelism", "completions", "backoffLimit"):
        errs += core._nonneg(spec.get(key), f"{path}.{key}")
    ads = spec.get("activeDeadlineSeconds")
    if isinstance(ads, int) and not isinstance(ads, bool) and ads <= 0:
        errs.append(errors.invalid(f"{path}.activeDeadlineSeconds", ads, "must be greater than or equal to 0"
                                   if ads < 0 else "must be greater than 0"))
    mode = spec.get("completionMode")
    if mode not in (None, "NonIndexed", "Indexed"):
        errs.append(errors.not_supported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(errors.required(f"{path}.completions", "when completion mode is Indexed"))
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(errors.required(f"{path}.template"))
        return errs
    if generated_selector or spec.get("selector") is not None:
        selector = spec.get("selector")
        if selector is None:
            errs.append(errors.required(f"{path}.selector"))
    errs += core.validate_pod_template_spec(template, f"{path}.template")
    restart = (template.get("spec") or {}).get("restartPolicy")
    if restart not in JOB_RESTART_POLICIES:
        errs.append(errors.not_supported(f"{path}.template.spec.restartPolicy", restart or "",
                                         JOB_RESTART_POLICIES))
    return errs


def validate_job(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, meta.name_is_dns_subdomain)
    errs += validate_job_spec(obj.get("spec"), "spec", generated_selector=True)
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
        new_spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
        for key in ("completions", "selector", "completionMode"):
            if key == "completions" and new_spec.get("completionMode") != "Indexed":
                if new_spec.get(key) != old_spec.get(key):
                    errs.append(errors.invalid(f"spec.{key}", new_spec.get(key), "field is immutable"))
                continue
            if key == "selector" and new_spec.get(key) != old_spec.get(key):
                errs.append(errors.invalid("spec.selector", errors.go_label_selector(new_spec.get(key) or {}),
                                           "field is immutable"))
            elif key == "completionMode" and new_spec.get(key) != old_spec.get(key):
                errs.append(errors.invalid("spec.completionMode", new_spec.get(key), "field is immutable"))
    return errs


def _cron_job_name(name: str, prefix: bool) -> list[str]:
    msgs = meta.name_is_dns_subdomain(name, prefix)
    if len(name) > CRONJOB_NAME_MAX:
        msgs.append(f"must be no more than {CRONJOB_NAME_MAX} characters")
    return msgs


def validate_cron_job(obj: dict, old: dict | None) -> list[FieldError]:
    errs = meta.validate_object_meta(obj.get("metadata", {}), True, _cron_job_name)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(errors.required("spec.schedule"))
    else:
        if "TZ" in schedule:
            errs.append(errors.invalid("spec.schedule", schedule,
                                       "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
        else:
            try:
                parse_standard_cron(schedule)
            except ValueError as error:
                errs.append(errors.invalid("spec.schedule", schedule, str(error)))
    policy = spec.get("concurrencyPolicy")
    if policy not in (None, "Allow", "Forbid", "Replace"):
        errs.append(errors.not_supported("spec.concurrencyPolicy", policy, ["Allow", "Forbid", "Replace"]))
    errs += core._nonneg(spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds")
    errs += core._nonneg(spec.get("successfulJobsHistoryLimit"), "spec.successfulJobsHistoryLimit")
    errs += core._nonneg(spec.get("failedJobsHistoryLimit"), "spec.failedJobsHistoryLimit")
    job_template = spec.get("jobTemplate")
    if not isinstance(job_template, dict):
        errs.append(errors.required("spec.jobTemplate"))
    else:
        errs += validate_job_spec(job_template.get("spec"), "spec.jobTemplate.spec", generated_selector=False)
    if old is not None:
        errs += meta.validate_object_meta_update(obj.get("metadata", {}), old.get("metadata", {}))
    return errs
