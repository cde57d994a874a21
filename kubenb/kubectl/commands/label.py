"""kubectl label (pkg/cmd/label/label.go); annotate.py reuses it with annotation wording.

- ``key=value`` sets, ``key-`` removes; an existing different value needs
  ``--overwrite`` (``error: 'app' already has a value (nginx), and
  --overwrite is false``); removing a missing key is silently ``not labeled``.
- Messages: ``labeled``, ``unlabeled`` (only removals, no --overwrite: the
  object got shorter, as label.go compares), ``not labeled``; annotate
  always says ``annotated``.
- ``--local`` with ``-f`` changes only the printed copy; ``--list`` prints
  the current ``key=value`` pairs; ``--all``, ``-l``, ``-A``, ``--dry-run``,
  ``-o``.

The change is sent as a JSON merge patch on ``metadata.labels`` /
``metadata.annotations``, as kubectl does.

Left out: ``--resource-version`` preconditions, ``--field-selector``.
"""

from __future__ import annotations

import json
import re

from kubenb.api import errors, objects
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag

_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def parse_updates(args: list[str], what: str) -> tuple[list[str], dict[str, str], list[str]]:
    """Split args into resource words, key=value pairs and removed keys (label.go parseLabels)."""
    resources_args: list[str] = []
    pairs: dict[str, str] = {}
    removals: list[str] = []
    for arg in args:
        if "=" in arg:
            key, _, value = arg.partition("=")
            # Keys are checked by the API server (label.go checks only values).
            if what == "label" and not _LABEL_VALUE.match(value):
                raise KubectlError(f'invalid label value: "{arg}": a valid label must be an empty string or consist '
                                   "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                   "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
                                   "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
            if what == "label" and len(value) > 63:
                raise KubectlError(f'invalid label value: "{arg}": must be no more than 63 characters')
            pairs[key] = value
        elif arg.endswith("-") and len(arg) > 1:
            removals.append(arg[:-1])
        else:
            resources_args.append(arg)
    both = [key for key in removals if key in pairs]
    if both and what == "label":
        raise KubectlError("can not both modify and remove a label in the same command")
    if both:
        raise KubectlError(f"can not both modify and remove the following annotation(s) in the same command: "
                           f"{', '.join(both)}")
    return resources_args, pairs, removals


def _valid_key(key: str) -> bool:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253):
        return False
    return bool(name) and len(name) <= 63 and bool(_QUALIFIED_NAME.match(name))


def run_updates(inv: Invocation, field: str, word: str) -> int:
    """The body of label and annotate; ``field`` is "labels" or "annotations", ``word`` "label"/"annotation"."""
    flags = inv.flags
    resource_args, pairs, removals = parse_updates(inv.args, word)
    listing = flags["list"]
    if not pairs and not removals and not listing:
        raise KubectlError(f"at least one {word} update is required")
    if not resource_args and not flags["filename"]:
        raise UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if flags["local"] and not flags["filename"]:
        raise KubectlError("can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set")
    strategy = rb.dry_run_strategy(inv)
    output = flags["output"]
    if flags["local"]:
        selection = rb.select(inv, [], filenames=flags["filename"], recursive=flags["recursive"], local=True)
    else:
        selection = rb.select(inv, resource_args, filenames=flags["filename"], recursive=flags["recursive"],
                              selector=flags["selector"], all_=flags["all"],
                              all_namespaces=flags.get("all-namespaces", False), list_kinds=False)
    report = rb.Errors()
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        try:
            current = item.obj if flags["local"] else rb.Selection.fetch(inv.client, item)
        except errors.StatusError as error:
            report.add_status(error)
            continue
        assert current is not None
        existing = dict((current.get("metadata") or {}).get(field) or {})
        if listing:
            for key in sorted(existing):
                inv.write(f"{key}={existing[key]}\n")
            if not pairs and not removals:
                continue
        if not flags["overwrite"]:
            clash = next((k for k, v in pairs.items() if k in existing and existing[k] != v), None)
            if clash is not None:
                report.add(f"'{clash}' already has a value ({existing[clash]}), and --overwrite is false")
                continue
        updated = dict(existing)
        updated.update(pairs)
        for key in removals:
            updated.pop(key, None)  # a missing key is not an error (kubectl 1.33 says nothing)
        new_obj = objects.clone(current)
        md = new_obj.setdefault("metadata", {})
        if updated:
            md[field] = updated
        else:
            md.pop(field, None)
        if word == "annotation":
            message = "annotated"
        elif new_obj == current:
            message = "not labeled"
        elif not flags["overwrite"] and len(json.dumps(new_obj)) < len(json.dumps(current)):
            message = "unlabeled"
        else:
            message = "labeled"
        if flags["local"] or strategy == "client" or new_obj == current:
            result = new_obj
        else:
            patch = {"metadata": {field: {**pairs, **{k: None for k in removals if k in existing}}}}
            try:
                result = inv.client.patch(item.rtype, item.name, item.namespace, patch, "merge",
                                          dry_run=strategy == "server")
            except errors.StatusError as error:
                report.add_status(error)
                continue
        rb.print_object(inv, item, result, message + rb.dry_run_suffix(strategy), output)
    return report.flush(inv)


def command_flags(word: str) -> list[Flag]:
    return [
        Flag("all", pflag.BOOL, usage="Select all resources, in the namespace of the specified resource types"),
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If true, check the specified action in all "
             "namespaces."),
        rb.dry_run_flag(),
        Flag("field-selector", pflag.STRING, usage="Selector (field query) to filter on."),
        *rb.filename_flags(f"identifying the resource to update the {word}s"),
        Flag("list", pflag.BOOL, usage=f"If true, display the {word}s for a given resource."),
        Flag("local", pflag.BOOL, usage=f"If true, {word} will NOT contact api-server but run locally."),
        rb.output_flag(),
        Flag("overwrite", pflag.BOOL, usage=f"If true, allow {word}s to be overwritten, otherwise reject {word} "
             f"updates that overwrite existing {word}s."),
        Flag("resource-version", pflag.STRING, usage=f"If non-empty, the {word}s update will only succeed if this "
             "is the current resource-version for the object. Only valid when specifying a single resource."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
    ]


def run(inv: Invocation) -> int:
    return run_updates(inv, "labels", "label")


COMMAND = Command(
    name="label",
    short="Update the labels on a resource",
    usage="label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
    help="Update the labels on a resource.",
    examples="  # Update pod 'foo' with the label 'unhealthy' and the value 'true'\n"
             "  kubectl label pods foo unhealthy=true",
    run=run,
    flags=command_flags("label"),
)
