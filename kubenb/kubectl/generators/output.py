"""Printing and sending generated objects: kubectl's PrintFlags, dry-run strategy and create path.

Mirrors kubectl ``pkg/cmd/util/helpers.go`` (GetDryRunStrategy), cli-runtime
``pkg/genericclioptions/print_flags.go`` (-o json|yaml|name and the
``<kind>.<group>/<name> created`` line) and ``pkg/util/apply.go`` (the
last-applied annotation of ``--save-config``). jsonpath output goes through the
shared ``-o`` printer (kubenb.kubectl.printers.output), as every verb's does.
Left out: go-template output (kubenb says so clearly).
"""

from __future__ import annotations

import json
from typing import Any

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import InvalidNamespaceError, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers import output as shared_output
from kubenb.kubectl.printers.structured import to_yaml

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

ALLOWED_FORMATS = ("go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                   "templatefile,yaml")

DRY_RUN_USAGE = ('Must be "none", "server", or "client". If client strategy, only print the object that would be '
                 'sent, without sending it. If server strategy, submit server-side request without persisting '
                 'the resource.')


def print_flags() -> list[Flag]:
    return [
        Flag("allow-missing-template-keys", pflag.BOOL, True,
             usage="If true, ignore any errors in templates when a field or map key is missing in the template."),
        Flag("output", pflag.STRING, shorthand="o",
             usage=f"Output format. One of: ({ALLOWED_FORMATS})."),
        Flag("show-managed-fields", pflag.BOOL,
             usage="If true, keep the managedFields when printing objects in JSON or YAML format."),
        Flag("template", pflag.STRING, usage="Template string or path to template file to use when "
             "-o=go-template, -o=go-template-file."),
    ]


def dry_run_flag() -> Flag:
    return Flag("dry-run", pflag.STRING, "none", no_opt_default="unchanged", usage=DRY_RUN_USAGE)


def create_flags(field_manager: str = "kubectl-create", *, validate: bool = True, save_config: bool = True) -> list[Flag]:
    """The flags every ``kubectl create <generator>`` has besides its own."""
    result = [*print_flags(), dry_run_flag(),
              Flag("field-manager", pflag.STRING, field_manager,
                   usage="Name of the manager used to track field ownership.")]
    if save_config:
        result.append(Flag("save-config", pflag.BOOL, usage="If true, the configuration of current object will "
                           "be saved in its annotation."))
    if validate:
        result.append(Flag("validate", pflag.STRING, "strict", no_opt_default="strict",
                           usage='Must be one of: strict (or true), warn, ignore (or false).'))
    return result


def dry_run_strategy(inv: Invocation) -> str:
    """"none", "client" or "server" (GetDryRunStrategy, with its deprecation warnings)."""
    value = inv.flags.get("dry-run", "none")
    if value in ("1", "t", "T", "true", "TRUE", "True", "0", "f", "F", "false", "FALSE", "False"):
        truthy = value in ("1", "t", "T", "true", "TRUE", "True")
        line = 717 if truthy else 720
        replacement = "client" if truthy else "none"
        _klog_warning(inv, line, f"--dry-run={value} is deprecated (boolean value) and can be replaced with "
                                 f"--dry-run={replacement}.")
        return replacement
    if value == "unchanged":
        _klog_warning(inv, 703, "--dry-run is deprecated and can be replaced with --dry-run=client.")
        return "client"
    if value in ("client", "server", "none"):
        return value
    raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def _klog_warning(inv: Invocation, line: int, message: str) -> None:
    # klog's header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg. kubenb has no process id; 1 stands in.
    stamp = ""
    try:
        now = inv.client.now()  # 2025-01-01T00:00:00Z
        stamp = f"{now[5:7]}{now[8:10]} {now[11:19]}.000000"
    except KubectlError:
        stamp = "0101 00:00:00.000000"
    inv.warn(f"W{stamp}       1 helpers.go:{line}] {message}")


def check_output_format(inv: Invocation) -> str:
    output = inv.flags.get("output", "")
    if output in ("", "yaml", "json", "name"):
        return output
    try:
        shared_output.check_format(output, tuple(ALLOWED_FORMATS.split(",")))
    except shared_output.OutputError as error:
        raise KubectlError(str(error)) from None
    return output


def go_json(obj: Any, *, indent: int | None = 4) -> str:
    """encoding/json: keys in the order given (Go struct order), HTML characters escaped."""
    if indent is None:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def kind_prefix(obj: dict) -> str:
    """``deployment.apps`` / ``service``: the name printer's ``<kind>.<group>``."""
    group = obj.get("apiVersion", "").rpartition("/")[0]
    kind = obj.get("kind", "").lower()
    return f"{kind}.{group}" if group else kind


def print_object(inv: Invocation, obj: dict, operation: str, dry_run: str, *, sort_json: bool = False) -> None:
    """``sort_json``: the object is unstructured (read from a file), whose JSON keys Go sorts."""
    output = check_output_format(inv)
    if output == "yaml":
        inv.write(to_yaml(_for_print(inv, obj)))
    elif output == "json":
        shown = _for_print(inv, obj)
        inv.write(go_json(_sorted(shown) if sort_json else shown) + "\n")
    elif output == "name":
        inv.write(f"{kind_prefix(obj)}/{obj['metadata']['name']}\n")
    elif output:
        # jsonpath family: kubectl marshals the object to a map first, so keys print sorted either way.
        try:
            inv.write(shared_output.print_generic(output, _for_print(inv, obj), inv.env.files))
        except shared_output.OutputError as error:
            raise KubectlError(str(error)) from None
    else:
        suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
        inv.write(f"{kind_prefix(obj)}/{obj['metadata']['name']} {operation}{suffix}\n")


def _for_print(inv: Invocation, obj: dict) -> dict:
    if inv.flags.get("show-managed-fields") or "managedFields" not in obj.get("metadata", {}):
        return obj
    obj = dict(obj)
    obj["metadata"] = {k: v for k, v in obj["metadata"].items() if k != "managedFields"}
    return obj


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def add_last_applied(obj: dict, *, unstructured: bool = False) -> dict:
    """--save-config: the object's own compact JSON (without the annotation) stored in an annotation.

    Typed objects (generators) drop an empty annotations map (omitempty); unstructured ones (``-f``)
    keep ``"annotations":{}`` and sort their keys, as Go marshals a map.
    """
    if unstructured:
        metadata = dict(obj.get("metadata") or {})
        metadata["annotations"] = {k: v for k, v in (metadata.get("annotations") or {}).items() if k != LAST_APPLIED}
        text = go_json(_sorted({**obj, "metadata": metadata}), indent=None) + "\n"
        metadata["annotations"] = {**metadata["annotations"], LAST_APPLIED: text}
        return {**obj, "metadata": metadata}
    text = go_json(obj, indent=None) + "\n"
    metadata = obj["metadata"]
    rebuilt: dict = {}
    inserted = False
    for key, value in metadata.items():
        if key == "annotations":
            rebuilt[key] = {**value, LAST_APPLIED: text}
            inserted = True
            continue
        if not inserted and key in ("ownerReferences", "finalizers", "managedFields"):
            rebuilt["annotations"] = {LAST_APPLIED: text}
            inserted = True
        rebuilt[key] = value
    if not inserted:
        rebuilt["annotations"] = {LAST_APPLIED: text}
    return {**obj, "metadata": rebuilt}


def finish(inv: Invocation, obj: dict, *, wrap: str | None, operation: str = "created",
           namespace: bool = True) -> int:
    """Print (dry-run=client) or create on the server, then print; ``wrap`` is "failed to create X" or None.

    ``namespace``: whether the kind is namespaced (``-n`` then lands in metadata.namespace).
    """
    dry_run = dry_run_strategy(inv)
    check_output_format(inv)
    if namespace and inv.namespace_explicit:
        obj = {**obj, "metadata": _with_namespace(obj["metadata"], inv.namespace)}
    if inv.flags.get("save-config"):
        obj = add_last_applied(obj)
    if dry_run == "client":
        print_object(inv, obj, operation, dry_run)
        return 0
    sent = _server_copy(obj)
    try:
        created = inv.client.create(sent, namespace=inv.namespace if namespace else None,
                                    dry_run=dry_run == "server")
    except errors.StatusError as error:
        if wrap is None:
            raise
        raise KubectlError(f"{wrap}{error.status.get('message', '')}") from None
    except InvalidNamespaceError as error:
        if wrap is None:
            raise
        raise KubectlError(f"{wrap}{error.message}") from None
    print_object(inv, created, operation, dry_run)
    return 0


def _with_namespace(metadata: dict, namespace: str) -> dict:
    """Insert metadata.namespace where Go's ObjectMeta has it (after name/generateName)."""
    result: dict = {}
    for key, value in metadata.items():
        if key == "namespace":
            continue
        if key not in ("name", "generateName") and "namespace" not in result:
            result["namespace"] = namespace
        result[key] = value
    result.setdefault("namespace", namespace)
    return result


def _server_copy(obj: dict) -> dict:
    """What the API server decodes: a null creationTimestamp and empty status are nothing."""
    copy = json.loads(json.dumps(obj))
    copy.get("metadata", {}).pop("creationTimestamp", None)
    return copy
