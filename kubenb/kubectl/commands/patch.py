"""kubectl patch (pkg/cmd/patch/patch.go).

- ``--type strategic`` (default) | ``merge`` | ``json``; ``-p`` text (JSON
  or YAML, as kubectl converts YAML to JSON) or ``--patch-file``.
- ``patched`` / ``patched (no change)``; ``--dry-run``; ``-o yaml|json|name``.
- ``--local`` with ``-f`` patches the file's object and prints it, without
  the server; it also needs no namespace defaulting (the object is printed
  as written).
- The server applies the patch (``Client.patch`` → ``api.patch``), so
  strategic merge keys come from one place.

Left out: ``--subresource`` other than status and scale, ``--record``.
"""

from __future__ import annotations

import json
import os

import yaml

from kubenb.api import errors
from kubenb.api.patch import apply_patch
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.manifests import load_yaml


def _read_patch(inv: Invocation) -> object:
    text = inv.flags["patch"]
    patch_file = inv.flags["patch-file"]
    if text and patch_file:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if patch_file:
        if patch_file in inv.env.files:
            text = inv.env.files[patch_file]
        elif inv.env.read_disk and os.path.isfile(patch_file):
            with open(patch_file, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        else:
            raise KubectlError(f"unable to read patch file: open {patch_file}: no such file or directory")
    if not text:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(stripped)
        except ValueError:
            raise KubectlError("invalid JSON document") from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        raise KubectlError(f'unable to parse "{text}": yaml: {getattr(error, "problem", error)}') from None


def _check_patch_shape(patch: object, patch_type: str) -> None:
    if patch_type == "json" and not isinstance(patch, list):
        raise KubectlError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    if patch_type != "json" and not isinstance(patch, dict):
        raise KubectlError("invalid JSON document")


def run(inv: Invocation) -> int:
    flags = inv.flags
    patch_type = flags["type"]
    if patch_type not in ("json", "merge", "strategic"):
        raise KubectlError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    if flags["local"] and inv.args:
        raise KubectlError("cannot specify --local and server resources")
    patch = _read_patch(inv)
    _check_patch_shape(patch, patch_type)
    strategy = rb.dry_run_strategy(inv)
    output = flags["output"]
    selection = rb.select(inv, inv.args, filenames=flags["filename"], recursive=flags["recursive"],
                          list_kinds=False, local=flags["local"])
    report = rb.Errors()
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        try:
            if flags["local"] or strategy == "client":
                before = item.obj if flags["local"] else rb.Selection.fetch(inv.client, item)
                assert before is not None
                after = apply_patch(before, patch, patch_type, item.rtype)  # type: ignore[arg-type]
            else:
                before = rb.Selection.fetch(inv.client, item)
                after = inv.client.patch(item.rtype, item.name, item.namespace, patch, patch_type,  # type: ignore[arg-type]
                                         dry_run=strategy == "server")
        except errors.StatusError as error:
            if flags["local"] or strategy == "client":
                report.add(error.message)
            else:
                report.add_status(error)
            continue
        if isinstance(after, dict) and isinstance(after.get("metadata"), dict) and after["metadata"].get("name"):
            item.name = after["metadata"]["name"]
        changed = _without_rv(after) != _without_rv(before)
        word = "patched" if changed else "patched (no change)"
        rb.print_object(inv, item, after, word + rb.dry_run_suffix(strategy), output)
    return report.flush(inv)


def _without_rv(obj: object) -> object:
    if not isinstance(obj, dict):
        return obj
    copy = dict(obj)
    md = dict(copy.get("metadata") or {})
    md.pop("resourceVersion", None)
    copy["metadata"] = md
    return copy


COMMAND = Command(
    name="patch",
    short="Update fields of a resource",
    usage="patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
    help="Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.",
    examples="  # Partially update a node using a strategic merge patch, specifying the patch as JSON\n"
             "  kubectl patch node k8s-node-1 -p '{\"spec\":{\"unschedulable\":true}}'",
    run=run,
    flags=[
        *rb.filename_flags("identifying the resource to update"),
        rb.dry_run_flag(),
        Flag("local", pflag.BOOL, usage="If true, patch will operate on the content of the file, not the "
             "server-side resource."),
        rb.output_flag(),
        Flag("patch", pflag.STRING, shorthand="p", usage="The patch to be applied to the resource JSON file."),
        Flag("patch-file", pflag.STRING, usage="A file containing a patch to be applied to the resource."),
        Flag("type", pflag.STRING, "strategic", usage="The type of patch being provided; one of [json merge "
             "strategic]"),
        Flag("subresource", pflag.STRING, usage="If specified, patch will operate on the subresource of the "
             "requested object."),
        Flag("field-manager", pflag.STRING, "kubectl-patch", usage="Name of the manager used to track field "
             "ownership."),
    ],
)
