"""kubectl apply (pkg/cmd/apply/apply.go, pkg/util/apply.go): client-side apply.

- The manifest is stored in ``kubectl.kubernetes.io/last-applied-configuration``
  as Go's ``json.Marshal`` writes it (compact, keys sorted, ``<>&`` escaped)
  plus a newline, as kubectl's encoder adds.
- A missing object is created (``created``); an existing one is patched
  with a three-way strategic merge patch computed from (last-applied,
  live, new): fields in the new manifest that differ from live are set,
  fields that were in last-applied but are gone from the manifest are
  deleted. An empty patch prints ``unchanged``.
- An object made without apply gets kubectl's warning and the annotation.
- ``--dry-run=client|server``, ``-o yaml|json|name``.

Left out: ``--prune``, server-side apply, ``edit-last-applied``/``view-last-applied``
sub-commands, ``$setElementOrder`` directives (list order follows the patch).
"""

from __future__ import annotations

import json

from kubenb.api import errors, objects
from kubenb.api.patch import merge_key_for
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, InvalidNamespaceError, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def go_json(value: object) -> str:
    """encoding/json Marshal: compact, map keys sorted, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def modified_configuration(obj: dict) -> tuple[dict, str]:
    """util.GetModifiedConfiguration(annotate=true): (object with the annotation, annotation text)."""
    base = objects.clone(obj)
    md = base.setdefault("metadata", {})
    annotations = dict(md.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    if annotations:
        md["annotations"] = annotations
    else:
        md.pop("annotations", None)
    text = go_json(base) + "\n"
    annotated = objects.clone(base)
    annotated["metadata"].setdefault("annotations", {})[LAST_APPLIED] = text
    return annotated, text


def _merge_key(type_info: tuple[str, str] | None, path: list[str], field: str, items: list) -> str | None:
    """The list's patch merge key, from the object's schema as the strategic merge patch reads it."""
    key = merge_key_for(type_info, path, field)
    if key and all(isinstance(i, dict) and key in i for i in items):
        return key
    return None


def three_way_patch(original: object, modified: object, current: object, *,
                    type_info: tuple[str, str] | None = None, path: list[str] | None = None) -> dict:
    """strategicpatch.CreateThreeWayMergePatch for maps: additions/changes from live, deletions from original.

    ``type_info`` is the object's (apiVersion, kind): list merge keys come from its schema
    (``ports`` merge on ``containerPort`` in a container but on ``port`` in a Service).
    """
    path = path or []
    if type_info is None and isinstance(modified, dict):
        type_info = (str(modified.get("apiVersion", "")), str(modified.get("kind", "")))
    patch: dict = {}
    original = original if isinstance(original, dict) else {}
    current = current if isinstance(current, dict) else {}
    for key, new in modified.items():  # type: ignore[union-attr]
        live = current.get(key)
        if isinstance(new, dict) and isinstance(live, dict):
            sub = three_way_patch(original.get(key), new, live, type_info=type_info, path=[*path, key])
            if sub:
                patch[key] = sub
        elif isinstance(new, list) and isinstance(live, list) and new != live:
            merge_key = _merge_key(type_info, path, key, new + live)
            if merge_key is None:
                patch[key] = new
            else:
                changes = _list_patch(original.get(key), new, live, merge_key, type_info, [*path, key])
                if changes:
                    patch[key] = changes
        elif key not in current or new != live:
            patch[key] = new
    for key in original:
        if key not in modified:  # type: ignore[operator]
            if key in current:
                patch[key] = None
        elif isinstance(original[key], list) and isinstance(modified[key], list):  # type: ignore[index]
            merge_key = _merge_key(type_info, path, key, original[key] + modified[key])  # type: ignore[index]
            if merge_key is not None:
                kept = {_hashable(i[merge_key]) for i in modified[key]}  # type: ignore[index]
                gone = [{merge_key: i[merge_key], "$patch": "delete"} for i in original[key]
                        if _hashable(i[merge_key]) not in kept]
                if gone:
                    patch.setdefault(key, [])
                    if isinstance(patch[key], list):
                        patch[key] = patch[key] + gone
    return patch


def _hashable(value: object) -> object:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def _list_patch(original: object, new: list, live: list, merge_key: str, type_info: tuple[str, str] | None,
                path: list[str]) -> list:
    originals = {_hashable(i[merge_key]): i for i in original} if isinstance(original, list) and all(
        isinstance(i, dict) and merge_key in i for i in original) else {}
    by_key = {_hashable(i[merge_key]): i for i in live}
    result = []
    for item in new:
        current = by_key.get(_hashable(item[merge_key]))
        if current is None:
            result.append(item)
            continue
        sub = three_way_patch(originals.get(_hashable(item[merge_key])), item, current, type_info=type_info,
                              path=path)
        if sub:
            sub[merge_key] = item[merge_key]
            result.append(sub)
    return result


def run(inv: Invocation) -> int:
    filenames = inv.flags["filename"]
    if inv.args:  # Complete rejects stray words before looking at -f/-k
        raise UsageError("Unexpected args: [" + " ".join(inv.args) + "]")
    if inv.flags.get("kustomize") and filenames:
        raise KubectlError("only one of -f or -k can be specified")
    if inv.flags.get("kustomize"):
        raise KubectlError("kubenb: kustomize (-k) is not simulated; use -f")
    if not filenames:
        raise KubectlError("must specify one of -f and -k")
    if inv.args:
        raise UsageError("Unexpected args: [" + " ".join(inv.args) + "]")
    if inv.flags.get("prune"):
        raise KubectlError("kubenb: --prune is not simulated; delete objects you removed with `kubectl delete`")
    if inv.flags.get("server-side"):
        raise KubectlError("kubenb: server-side apply is not simulated; drop --server-side")
    strategy = rb.dry_run_strategy(inv)
    output = inv.flags["output"]
    selection = rb.select(inv, [], filenames=filenames, recursive=inv.flags["recursive"],
                          validate=_validate_flag(inv))
    report = rb.Errors()
    client = inv.client
    seen_any = False
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        seen_any = True
        if not item.name:
            report.add(_nameless(item))
            continue
        try:
            _apply_one(inv, client, item, strategy, output)
        except InvalidNamespaceError as error:  # the first GET is refused before it is sent
            report.add(f"error when retrieving current configuration of:\n{_info_string(item)}\nfrom server for: "
                       f'"{item.source}": {error.message}')
        except errors.StatusError as error:
            report.add_status(error, source=item.source, verb=_verb_for(error))
    if not seen_any and not report:
        raise KubectlError("no objects passed to apply")
    return report.flush(inv)


def _verb_for(error: errors.StatusError) -> str:
    return getattr(error, "kubenb_verb", "applying patch")


def _info_string(info: rb.Info) -> str:
    """cli-runtime resource.Info.String(): the mapping, then the name and namespace."""
    rtype = info.rtype
    return (f'Resource: "{rtype.group}/{rtype.version}, Resource={rtype.plural}", GroupVersionKind: '
            f'"{rtype.group}/{rtype.version}, Kind={rtype.kind}"\n'
            f'Name: "{info.name}", Namespace: "{info.namespace or ""}"')


def _patch_verb(info: rb.Info, patch: dict) -> str:
    """apply.go wraps patch failures with the patch and resource.Info's String()."""
    return f"applying patch:\n{go_json(patch)}\nto:\n{_info_string(info)}\nfor:"


def _nameless(info: rb.Info) -> str:
    """applyOneObject on an object without a name: generateName is refused, otherwise the GET fails
    in client-go's request builder before anything reaches the server."""
    generate_name = ((info.obj or {}).get("metadata") or {}).get("generateName") or ""
    if generate_name:
        return f"from {generate_name}: cannot use generate name with apply"
    return (f"error when retrieving current configuration of:\n{_info_string(info)}\nfrom server for: "
            f'"{info.source}": resource name may not be empty')


def _validate_flag(inv: Invocation) -> bool:
    value = inv.flags.get("validate", "strict")
    return value not in ("false", "ignore")


def _apply_one(inv: Invocation, client, info: rb.Info, strategy: str, output: str) -> None:  # noqa: ANN001
    assert info.obj is not None
    annotated, _text = modified_configuration(info.obj)
    live = client.try_get(info.rtype, info.name, info.namespace) if info.name else None
    if live is None:
        try:
            if strategy == "client":
                result = annotated
            else:
                result = client.create(annotated, namespace=info.namespace, dry_run=strategy == "server")
        except errors.StatusError as error:
            error.kubenb_verb = "creating"  # type: ignore[attr-defined]
            raise
        rb.print_object(inv, info, result, "created" + rb.dry_run_suffix(strategy), output)
        return
    live_annotations = objects.annotations(live)
    original_text = live_annotations.get(LAST_APPLIED)
    if original_text is None:
        inv.warn(f"Warning: resource {info.rtype.plural}/{info.name} is missing the {LAST_APPLIED} annotation "
                 "which is required by kubectl apply. kubectl apply should only be used on resources created "
                 "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation "
                 "will be patched automatically.")
    try:
        original = json.loads(original_text) if original_text else {}
    except ValueError:
        original = {}
    patch = three_way_patch(original, annotated, live)
    if not patch:
        rb.print_object(inv, info, live, "unchanged" + rb.dry_run_suffix(strategy), output)
        return
    if strategy == "client":
        from kubenb.api.patch import apply_patch

        result = apply_patch(live, patch, "strategic", info.rtype)
    else:
        try:
            result = client.patch(info.rtype, info.name, info.namespace, patch, "strategic",
                                  dry_run=strategy == "server")
        except errors.StatusError as error:
            error.kubenb_verb = _patch_verb(info, patch)  # type: ignore[attr-defined]
            raise
    rb.print_object(inv, info, result, "configured" + rb.dry_run_suffix(strategy), output)


COMMAND = Command(
    name="apply",
    short="Apply a configuration to a resource by file name or stdin",
    usage="apply (-f FILENAME | -k DIRECTORY)",
    help="Apply a configuration to a resource by file name or stdin. The resource name must be specified. This "
         "resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially "
         "with either 'apply' or 'create --save-config'.",
    examples="  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json",
    run=run,
    flags=[
        *rb.filename_flags("that contains the configuration to apply"),
        rb.dry_run_flag(),
        rb.output_flag(),
        Flag("validate", pflag.STRING, "strict", no_opt_default="strict",
             usage="Must be one of: strict (or true), warn, ignore (or false)."),
        Flag("server-side", pflag.BOOL, usage="If true, apply runs in the server instead of the client."),
        Flag("force", pflag.BOOL, usage="If true, immediately remove resources from API and bypass graceful "
             "deletion."),
        Flag("prune", pflag.BOOL, usage="Automatically delete resource objects that do not appear in the configs."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
        Flag("overwrite", pflag.BOOL, True, usage="Automatically resolve conflicts between the modified and live "
             "configuration by using values from the modified configuration"),
        Flag("field-manager", pflag.STRING, "kubectl-client-side-apply", usage="Name of the manager used to track "
             "field ownership."),
        Flag("wait", pflag.BOOL, usage="If true, wait for resources to be gone before returning."),
        Flag("timeout", pflag.DURATION, 0.0, usage="The length of time to wait before giving up on a delete."),
        Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing objects in "
             "JSON or YAML format."),
    ],
)
