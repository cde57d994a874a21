"""kubectl wait (pkg/cmd/wait/wait.go, condition.go, delete.go, json.go).

- ``--for=delete``: until the object (same uid) is gone; an object already
  gone counts as met and prints nothing.
- ``--for=condition=NAME[=VALUE]``: ``status.conditions[type=NAME].status``
  equals VALUE (default ``true``, case-insensitive), and when the condition
  carries ``observedGeneration`` it must be the object's generation.
- ``--for=jsonpath='{.status.phase}'=Running`` (or ``jsonpath={...}`` alone:
  the field exists); simple dotted paths with ``[n]`` indexes.
- ``--for=create``: until the object exists.
- ``--timeout`` (default 30s) in *virtual* time: the Waiter advances the
  cluster clock. On success ``<kind>/<name> condition met``; on timeout
  ``error: timed out waiting for the condition on <plural>/<name>``.

Left out: jsonpath filters and wildcards, ``--local``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _jsonpath_value(obj: object, expression: str) -> tuple[bool, object]:
    inner = expression.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner = inner[1:-1]
    if not inner.startswith("."):
        raise KubectlError(f"unrecognized condition: \"jsonpath={expression}\"")
    current: object = obj
    for match in _PATH_PART.finditer(inner):
        key, index = match.groups()
        if key is not None:
            if not isinstance(current, dict) or key not in current:
                return False, None
            current = current[key]
        else:
            if not isinstance(current, list) or int(index) >= len(current):
                return False, None
            current = current[int(index)]
    return True, current


def _format_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_condition(text: str) -> tuple[str, Callable[[dict | None], bool]]:
    """(kind of wait, test on the object or None when absent)."""
    if text == "delete":
        return "delete", lambda obj: obj is None
    if text == "create":
        return "create", lambda obj: obj is not None
    if text.startswith("condition="):
        spec = text[len("condition="):]
        name, sep, value = spec.partition("=")
        wanted = value if sep else "true"
        if not name:
            raise KubectlError(f'unrecognized condition: "{text}"')

        def has_condition(obj: dict | None) -> bool:
            if obj is None:
                return False
            generation = (obj.get("metadata") or {}).get("generation")
            for condition in (obj.get("status") or {}).get("conditions") or []:
                if str(condition.get("type", "")).lower() != name.lower():
                    continue
                observed = condition.get("observedGeneration")
                if observed is not None and generation is not None and observed != generation:
                    return False
                return str(condition.get("status", "")).lower() == wanted.lower()
            return False

        return "condition", has_condition
    if text.startswith("jsonpath="):
        spec = text[len("jsonpath="):]
        if spec.startswith("'") and "'" in spec[1:]:
            spec = spec[1:].replace("'", "", 1)
        if spec.startswith("{"):
            close = spec.find("}")
            if close < 0:
                raise KubectlError(f'unrecognized condition: "{text}"')
            expression, rest = spec[:close + 1], spec[close + 1:]
        else:
            # kubectl's relaxed JSONPath: "status.phase" means "{.status.phase}".
            path, sep, value = spec.partition("=")
            expression = "{" + (path if path.startswith(".") else "." + path) + "}"
            rest = sep + value
        if rest and not rest.startswith("="):
            raise KubectlError(f'unrecognized condition: "{text}"')
        wanted_value = rest[1:] if rest else None
        if rest == "=":
            raise KubectlError("jsonpath wait has to have a value after equal sign, like "
                               "--for=jsonpath='{.status.readyReplicas}'=3")
        _jsonpath_value({}, expression)  # reject malformed paths up front

        def matches(obj: dict | None) -> bool:
            if obj is None:
                return False
            found, value = _jsonpath_value(obj, expression)
            if not found:
                return False
            if wanted_value is None:
                return True
            if isinstance(value, dict | list):
                return False
            return _format_value(value) == wanted_value

        return "jsonpath", matches
    raise KubectlError(f'unrecognized condition: "{text}"')


def run(inv: Invocation) -> int:
    flags = inv.flags
    kind, test = parse_condition(flags["for"])
    timeout = flags["timeout"]
    if timeout < 0:
        timeout = 7 * 24 * 3600.0  # a negative timeout means "a week" in kubectl
    selection = rb.select(inv, inv.args, filenames=flags["filename"], recursive=flags["recursive"],
                          selector=flags["selector"], all_=flags["all"], all_namespaces=flags["all-namespaces"],
                          list_kinds=False)
    report = rb.Errors()
    client = inv.client
    infos = []
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
        else:
            infos.append(item)
    if selection.listed and not infos and not report:
        raise KubectlError("no matching resources found")
    for info in infos:
        first = client.try_get(info.rtype, info.name, info.namespace)
        if first is None and kind not in ("delete", "create"):
            report.add_status(errors.not_found(info.rtype.group_resource, info.name))
            continue
        if first is None and kind == "delete":
            continue
        uid = (first or {}).get("metadata", {}).get("uid")

        def current(info: rb.Info = info, uid: str | None = uid) -> dict | None:
            obj = client.try_get(info.rtype, info.name, info.namespace)
            if kind == "delete" and obj is not None and obj["metadata"].get("uid") != uid:
                return None  # a new object with the same name: the one we waited for is gone
            return obj

        if inv.env.waiter.run_until(lambda current=current: test(current()), timeout):
            inv.write(f"{info.ref} condition met\n")
        else:
            report.add(f"timed out waiting for the condition on {info.rtype.plural}/{info.name}")
    return report.flush(inv)


COMMAND = Command(
    name="wait",
    short="Experimental: Wait for a specific condition on one or many resources",
    usage="wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
          "[--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
    help="Experimental: Wait for a specific condition on one or many resources. In kubenb the waiting happens in "
         "virtual time: the cluster clock moves forward until the condition holds or the timeout passes.",
    examples="  # Wait for the pod \"busybox1\" to contain the status condition of type \"Ready\"\n"
             "  kubectl wait --for=condition=Ready pod/busybox1",
    run=run,
    flags=[
        Flag("all", pflag.BOOL, usage="Select all resources in the namespace of the specified resource types"),
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested object(s) across "
             "all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        Flag("field-selector", pflag.STRING, usage="Selector (field query) to filter on."),
        *rb.filename_flags("identifying the resource."),
        Flag("for", pflag.STRING, usage="The condition to wait on: [create|delete|condition=condition-name[="
             "condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]."),
        Flag("local", pflag.BOOL, usage="If true, annotation will NOT contact api-server but run locally."),
        rb.output_flag(),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
        Flag("timeout", pflag.DURATION, 30.0, usage="The length of time to wait before giving up.  Zero means "
             "check once and don't wait, negative means wait for a week."),
    ],
)
