"""kubectl get (kubectl pkg/cmd/get/get.go, cli-runtime pkg/printers/tableprinter.go).

- Arguments as the resource builder reads them: ``TYPE[,TYPE...] [NAME...]``,
  ``TYPE/NAME ...``, ``all`` (the "all" category); kind prefixes
  (``deployment.apps/web``) when several types were asked for or
  ``--show-kind``; one header per block, blocks separated by a blank line.
- Tables from kubectl/printers/columns.py, with ``-A`` (NAMESPACE),
  ``--show-labels``, ``-L``, ``--no-headers``, ``--sort-by``; other ``-o``
  formats from printers/output.py.
- ``-w`` / ``--watch-only``: kubenb lets virtual time pass through the
  Waiter and prints a row each time a watched object changes, as kubectl
  does with remembered column widths. A real watch never ends; here it ends
  when nothing changes any more before the bound, which is
  ``--request-timeout`` when given, else 60 virtual seconds
  (``WATCH_BOUND_SECONDS``); kubenb then says so on stderr. Changes that
  happen within one settle are seen as one (the last state).

Left out: ``-f``/``-k`` sources, ``--raw``, ``--chunk-size`` (no paging),
``--output-watch-events``, go-template.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from kubenb.api import errors, objects, resources, selectors
from kubenb.api.resources import ResourceType
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, invalid_namespace
from kubenb.kubectl.flags import Flag, parse_duration
from kubenb.kubectl.printers import columns as printer_columns
from kubenb.kubectl.printers import custom_columns, jsonpath
from kubenb.kubectl.printers.output import (
    OutputError,
    as_list,
    check_format,
    custom_columns_for,
    name_line,
    print_generic,
    split_format,
)
from kubenb.kubectl.printers.table import clean_cell, render_rows

WATCH_BOUND_SECONDS = 60.0

_NO_TYPE = ('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
            'supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" '
            "for a detailed description of that resource (e.g. kubectl explain pods).\n"
            "See 'kubectl get -h' for help and examples\n")


class _Request:
    """One visit of the resource builder: a type and either names or a list."""

    def __init__(self, rtype: ResourceType, names: list[str] | None) -> None:
        self.rtype = rtype
        self.names = names


def resolve_type(text: str) -> ResourceType:
    rtype = resources.resolve(text)
    if rtype is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{text}"')
    return rtype


def build_requests(args: list[str], command: str = "get") -> tuple[list[_Request], bool, bool]:
    """(requests, several types asked for, a single item implied) from the arguments."""
    if any("/" in arg for arg in args):
        if not all("/" in arg for arg in args):
            raise KubectlError("there is no need to specify a resource type as a separate argument when passing "
                               f"arguments in resource/name form (e.g. 'kubectl {command} resource/<resource_name>' "
                               f"instead of 'kubectl {command} resource resource/<resource_name>'")
        requests = []
        for arg in args:
            kind, _, name = arg.partition("/")
            if not name:
                raise KubectlError("arguments in resource/name form must have a single resource and name")
            rtype = resolve_type(kind)
            requests.append(_Request(rtype, [name]))
        several = len({r.rtype for r in requests}) > 1
        return requests, several, len(requests) == 1
    type_words = [w for w in args[0].split(",") if w]
    names = args[1:]
    types: list[ResourceType] = []
    several = args[0] == "all" or len(type_words) > 1
    for word in type_words:
        if word == "all" or resources.resolve(word) is None and resources.in_category(word):
            types += [t for t in resources.in_category(word) if t not in types]
            continue
        rtype = resolve_type(word)
        if rtype not in types:
            types.append(rtype)
    requests = [_Request(t, list(names) if names else None) for t in types]
    return requests, several, len(names) == 1 and len(types) == 1


def run(inv: Invocation) -> int:
    flags = inv.flags
    if flags["filename"] or flags["raw"]:
        raise KubectlError("kubenb: get -f/--raw is not supported yet; name the resources instead")
    if not inv.args:
        raise KubectlError(_NO_TYPE, raw=True)
    output = flags["output"]
    if output:
        try:
            check_format(output)
        except OutputError as error:
            raise KubectlError(str(error)) from None
    label_selector = flags["selector"]
    field_selector = flags["field-selector"]
    all_namespaces = flags["all-namespaces"]
    watch = flags["watch"] or flags["watch-only"]
    requests, several, single_item = build_requests(inv.args)
    if any(r.names for r in requests):
        if label_selector:
            raise KubectlError("name cannot be provided when a selector is specified")
        if all_namespaces:
            raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    if watch and len({r.rtype for r in requests}) > 1:
        raise KubectlError("you may only specify a single resource type")
    if label_selector:
        try:
            selectors.parse(label_selector)
        except selectors.SelectorError as error:
            raise errors.bad_request(str(error)) from None
    client = inv.client
    namespace = None if all_namespaces else inv.namespace
    namespace_problem = invalid_namespace(namespace)
    if namespace_problem and watch and requests[0].rtype.namespaced:
        raise KubectlError(namespace_problem)
    if any(r.rtype.kind == "Endpoints" for r in requests):
        # The 1.33 apiserver answers every v1 Endpoints request with this warning header.
        inv.err.write("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n")
    found: list[tuple[ResourceType, dict]] = []
    failures: list[str] = []
    plain_failures = 0  # failures that are not API errors (an invalid namespace): see _failure_lines
    for request in requests:
        rtype = request.rtype
        ns = namespace if rtype.namespaced else None
        if namespace_problem and rtype.namespaced:
            # client-go refuses each request in this namespace before sending it (one per name).
            failures += [namespace_problem] * len(request.names or [None])
            plain_failures += len(request.names or [None])
            continue
        if request.names is not None:
            for name in request.names:
                try:
                    found.append((rtype, client.get(rtype, name, ns if rtype.namespaced else None)))
                except errors.StatusError as error:
                    if flags["ignore-not-found"] and error.reason == "NotFound":
                        continue
                    failures.append(_status_line(error))
            continue
        _check_field_selector(rtype, field_selector)
        try:
            # Printing only reads: no copy of every object (10,000 Pods cost more to clone than to print).
            items = client.list_view(rtype, ns, label_selector=label_selector, field_selector=field_selector)
        except selectors.SelectorError as error:
            raise errors.bad_request(str(error)) from None
        found += [(rtype, obj) for obj in items]
    if flags["sort-by"]:
        found = _sort(found, flags["sort-by"])
    with_kind = several or flags["show-kind"] or len(_distinct_types(found)) > 1
    code = 0
    if not flags["watch-only"]:
        with _collector_paused():
            _print(inv, found, output, with_kind=with_kind, single_item=single_item, all_namespaces=all_namespaces)
    generic = bool(output) and split_format(output)[0] not in ("wide", "custom-columns", "custom-columns-file")
    for line in _failure_lines(failures, plain_failures, single=single_item or generic):
        inv.err.write(line + "\n")
        code = 1
    if not found and not failures and not flags["ignore-not-found"] and not watch and \
            (not output or split_format(output)[0] == "wide"):
        namespaced = all(r.rtype.namespaced for r in requests) and not all_namespaces
        inv.err.write(f"No resources found in {inv.namespace} namespace.\n" if namespaced else
                      "No resources found\n")
    if watch:
        _watch(inv, requests[0].rtype, namespace, found, output, label_selector, field_selector, with_kind)
    return code


def _failure_lines(failures: list[str], plain: int, *, single: bool) -> list[str]:
    """How kubectl's CheckErr prints get's errors: an aggregate prints one bare line per error, and a
    lone error that is not an API error gets "error: ". A single named item (and printGeneric, which
    flattens the aggregate) leaves one error alone; a list's visit keeps even one error aggregated."""
    if single and len(failures) == 1 and plain == 1:
        return [f"error: {failures[0]}"]
    return failures


def _distinct_types(found: list[tuple[ResourceType, dict]]) -> list[ResourceType]:
    distinct: list[ResourceType] = []
    for rtype, _ in found:
        # Entries of one request share its type object: an identity test skips most comparisons.
        if not distinct or (rtype is not distinct[-1] and rtype not in distinct):
            distinct.append(rtype)
    return distinct


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Printing 10,000 Pods allocates a row (or YAML nodes) per object, none of them cyclic garbage;
    each allocation burst would trigger the cycle collector over the whole cluster's heap, which costs
    more than the printing itself. Output does not depend on it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _status_line(error: errors.StatusError) -> str:
    reason = error.reason
    return f"Error from server ({reason}): {error.message}" if reason else f"Error from server: {error.message}"


def _check_field_selector(rtype: ResourceType, text: str) -> None:
    if not text:
        return
    allowed = {"metadata.name", "metadata.namespace", *selectors.SUPPORTED_FIELDS.get(rtype.kind, ())}
    for part in text.split(","):
        for op in ("!=", "==", "="):
            if op in part:
                key = part.partition(op)[0].strip()
                if key not in allowed:
                    raise errors.bad_request(f'Unable to find "{_gvr(rtype)}" that match label selector "", '
                                             f'field selector "{text}": field label not supported: {key}')
                break
        else:
            raise errors.bad_request(f"invalid selector: '{text}'; can't understand '{part}'")


def _gvr(rtype: ResourceType) -> str:
    return f"{rtype.group}/{rtype.version}, Resource={rtype.plural}"


def _sort(found: list[tuple[ResourceType, dict]], expression: str) -> list[tuple[ResourceType, dict]]:
    template = jsonpath.relaxed(expression)
    try:
        nodes = jsonpath.parse_template(template)
    except jsonpath.JSONPathError as error:
        raise KubectlError(f"error parsing jsonpath {template}, {error}") from None
    path = next((n.path for n in nodes if hasattr(n, "path")), "")

    def key(entry: tuple[ResourceType, dict]):
        values = jsonpath._values(path, entry[1], entry[1]) if path else []
        if not values:
            return (0, 0, "")
        value = values[0]
        if value is None:
            return (0, 0, "")  # a null time (an events.k8s.io event's lastTimestamp) is Go's zero time: first
        if isinstance(value, bool):
            return (1, int(value), "")
        if isinstance(value, (int, float)):
            return (1, value, "")
        return (2, 0, value if isinstance(value, str) else jsonpath.format_value(value))

    if found and not any(jsonpath._values(path, obj, obj) for _, obj in found):
        raise KubectlError(f'couldn\'t find any field with path "{template}" in the list of objects')
    return sorted(found, key=key)


def _print(inv: Invocation, found: list[tuple[ResourceType, dict]], output: str, *, with_kind: bool,
           single_item: bool, all_namespaces: bool) -> None:
    name, _ = split_format(output)
    if output and name not in ("wide", "custom-columns", "custom-columns-file"):
        if name == "name":
            inv.write("".join(name_line(rtype, obj) for rtype, obj in found))
            return
        if not found and (single_item or inv.flags["ignore-not-found"]):
            # printGeneric: a failed single item returns its error alone; --ignore-not-found with
            # nothing found prints nothing at all (not an empty List).
            return
        document = found[0][1] if single_item and len(found) == 1 else as_list([obj for _, obj in found])
        try:
            inv.write(print_generic(output, document, inv.env.files))
        except OutputError as error:
            raise KubectlError(str(error)) from None
        return
    if name in ("custom-columns", "custom-columns-file"):
        try:
            spec = custom_columns_for(output, inv.env.files)
        except OutputError as error:
            raise KubectlError(str(error)) from None
        inv.write(custom_columns.render(spec, [obj for _, obj in found], headers=not inv.flags["no-headers"]))
        return
    blocks: list[tuple[ResourceType, list[dict]]] = []
    if found and all(entry[0] is found[0][0] for entry in found):  # one type (most gets): one block
        blocks.append((found[0][0], [obj for _, obj in found]))
    for rtype, obj in found if not blocks else ():
        if blocks and blocks[-1][0] == rtype:
            blocks[-1][1].append(obj)
        else:
            blocks.append((rtype, [obj]))
    texts = []
    for rtype, objs in blocks:
        rows = table_rows(inv, rtype, objs, wide=name == "wide", with_kind=with_kind,
                          all_namespaces=all_namespaces)
        texts.append(render_rows(rows))
    separator = "" if inv.flags["no-headers"] else "\n"
    inv.write(separator.join(t for t in texts if t))


def table_rows(inv: Invocation, rtype: ResourceType, objs: list[dict], *, wide: bool, with_kind: bool,
               all_namespaces: bool, headers: bool | None = None) -> list[list[str]]:
    """Header (unless --no-headers) and rows for one block, decorated as tableprinter does."""
    now = inv.client.clock.now()
    columns, rows = printer_columns.table(rtype.kind, objs, now, wide=wide)
    label_keys = [k for k in inv.flags["label-columns"] if k]
    show_labels = inv.flags["show-labels"]
    with_namespace = all_namespaces and rtype.namespaced
    header = [c.header for c in columns]
    header += [key.rpartition("/")[2].upper() for key in label_keys]
    if show_labels:
        header.append("LABELS")
    if with_namespace:
        header.insert(0, "NAMESPACE")
    result = [] if (inv.flags["no-headers"] if headers is None else not headers) else [header]
    kind_prefix = with_kind and columns and columns[0].name == "Name"
    # Cells are nearly always strings without line breaks: one scan of them all (in C) stands in for a
    # clean_cell call per cell (50,000 calls for 10,000 Pods); anything else takes the per-cell path.
    try:
        joined = "".join(map("".join, rows))
        clean = "\n" not in joined and "\r" not in joined and "\f" not in joined
    except TypeError:  # a cell that is not a string
        clean = False
    if clean and not kind_prefix and not label_keys and not show_labels:
        # The plain `get` (-A or not) of many objects: the rows as they are, behind their namespace.
        if len(objs) != len(rows):
            raise ValueError("a row per object")
        if with_namespace:
            return result + [[str(obj.get("metadata", {}).get("namespace", "")), *cells]
                             for obj, cells in zip(objs, rows)]
        return result + rows
    for obj, cells in zip(objs, rows, strict=True):
        if not clean:
            cells = [clean_cell(c) for c in cells]
        if kind_prefix and cells:
            cells[0] = f"{rtype.kind_prefix}/{cells[0]}"
        if label_keys or show_labels:
            labels = objects.labels(obj)
            cells += [labels.get(key, "") for key in label_keys]
            if show_labels:
                cells.append(",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>")
        if with_namespace:
            cells.insert(0, str(obj.get("metadata", {}).get("namespace", "")))
        result.append(cells)
    return result


def _watch(inv: Invocation, rtype: ResourceType, namespace: str | None, found: list[tuple[ResourceType, dict]],
           output: str, label_selector: str, field_selector: str, with_kind: bool) -> None:
    client = inv.client
    ns = namespace if rtype.namespaced else None
    timeout_text = inv.flags.get("request-timeout") or "0"
    try:
        bound = parse_duration(timeout_text) if timeout_text not in ("0", "") else 0.0
    except ValueError:
        bound = 0.0
    bound = bound or WATCH_BOUND_SECONDS
    deadline = client.clock.now() + bound
    name = split_format(output)[0]
    widths: list[int] = []
    if not inv.flags["watch-only"] and (not output or name == "wide") and found:
        widths = _widths(table_rows(inv, rtype, [o for _, o in found], wide=name == "wide", with_kind=with_kind,
                                    all_namespaces=namespace is None))
    header_printed = bool(found) and not inv.flags["watch-only"]

    def snapshot() -> dict[tuple, dict]:
        items = client.list_view(rtype, ns, label_selector=label_selector, field_selector=field_selector)
        return {(o["metadata"].get("namespace"), o["metadata"]["name"]): o for o in items}

    known = {(o["metadata"].get("namespace"), o["metadata"]["name"]): o["metadata"].get("resourceVersion")
             for _, o in found}
    if inv.flags["watch-only"]:
        known = {key: obj["metadata"].get("resourceVersion") for key, obj in snapshot().items()}
    last_seen = {key: obj for key, obj in snapshot().items()}

    def changed() -> bool:
        current = snapshot()
        return {k: o["metadata"].get("resourceVersion") for k, o in current.items()} != known

    while client.clock.now() < deadline:
        if not inv.env.waiter.run_until(changed, deadline - client.clock.now()):
            break
        current = snapshot()
        batch: list[dict] = []
        for key in sorted(set(current) | set(known), key=lambda k: (k[0] or "", k[1])):
            if key in current and known.get(key) != current[key]["metadata"].get("resourceVersion"):
                batch.append(objects.clone(current[key]))
            elif key not in current and key in known:
                batch.append(objects.clone(last_seen.get(key, {})))
        known = {k: o["metadata"].get("resourceVersion") for k, o in current.items()}
        last_seen = {k: objects.clone(o) for k, o in current.items()}
        batch = [o for o in batch if o]
        if not batch:
            continue
        if output and name not in ("wide", "custom-columns", "custom-columns-file"):
            for obj in batch:
                if name == "name":
                    inv.write(name_line(rtype, obj))
                else:
                    try:
                        inv.write(print_generic(output, obj, inv.env.files))
                    except OutputError as error:
                        raise KubectlError(str(error)) from None
            continue
        rows = table_rows(inv, rtype, batch, wide=name == "wide", with_kind=with_kind,
                          all_namespaces=namespace is None, headers=not header_printed)
        header_printed = True
        widths = _merge_widths(widths, _widths(rows))
        inv.write(_format_with_widths(rows, widths))
    inv.err.write(f"kubenb: stopped watching: no more changes within {bound:g}s of virtual time\n")


def _widths(rows: list[list[str]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            width = max(6, len(cell) + 3)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return widths


def _merge_widths(old: list[int], new: list[int]) -> list[int]:
    """liggitt/tabwriter's RememberWidths: a column never shrinks while watching."""
    return [max(old[i] if i < len(old) else 0, new[i] if i < len(new) else 0) for i in range(max(len(old), len(new)))]


def _format_with_widths(rows: list[list[str]], widths: list[int]) -> str:
    lines = []
    for row in rows:
        parts = [cell.ljust(widths[i]) if i < len(row) - 1 and i < len(widths) else cell
                 for i, cell in enumerate(row)]
        lines.append("".join(parts))
    return "".join(line + "\n" for line in lines)


COMMAND = Command(
    name="get",
    short="Display one or many resources",
    usage="get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
          "jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] "
          "[NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
    help="Display one or many resources as a table, or in the format chosen with -o.",
    examples="  # List all pods in ps output format\n  kubectl get pods\n\n"
             "  # List all pods in ps output format with more information (such as node name)\n"
             "  kubectl get pods -o wide",
    run=run,
    flags=[
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested object(s) across "
             "all namespaces."),
        Flag("allow-missing-template-keys", pflag.BOOL, True, usage="If true, ignore any errors in templates when a "
             "field or map key is missing in the template."),
        Flag("chunk-size", pflag.INT64, 500, usage="Return large lists in chunks rather than all at once."),
        Flag("field-selector", pflag.STRING, usage="Selector (field query) to filter on."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files."),
        Flag("ignore-not-found", pflag.BOOL, usage="If set to true, suppresses NotFound error for specific objects "
             "that do not exist."),
        Flag("label-columns", pflag.STRING_SLICE, shorthand="L", usage="Accepts a comma separated list of labels "
             "that are going to be presented as columns."),
        Flag("no-headers", pflag.BOOL, usage="When using the default or custom-column output format, don't print "
             "headers (default print headers)."),
        Flag("output", pflag.STRING, shorthand="o", usage="Output format."),
        Flag("output-watch-events", pflag.BOOL, usage="Output watch event objects when --watch or --watch-only is "
             "used."),
        Flag("raw", pflag.STRING, usage="Raw URI to request from the server."),
        Flag("recursive", pflag.BOOL, shorthand="R", usage="Process the directory used in -f, --filename "
             "recursively."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
        Flag("server-print", pflag.BOOL, True, usage="If true, have the server return the appropriate table "
             "output."),
        Flag("show-kind", pflag.BOOL, usage="If present, list the resource type for the requested object(s)."),
        Flag("show-labels", pflag.BOOL, usage="When printing, show all labels as the last column."),
        Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing objects in "
             "JSON or YAML format."),
        Flag("sort-by", pflag.STRING, usage="If non-empty, sort list types using this field specification."),
        Flag("subresource", pflag.STRING, usage="If specified, gets the subresource of the requested object."),
        Flag("template", pflag.STRING, usage="Template string or path to template file to use."),
        Flag("watch", pflag.BOOL, shorthand="w", usage="After listing/getting the requested object, watch for "
             "changes."),
        Flag("watch-only", pflag.BOOL, usage="Watch for changes to the requested object(s), without "
             "listing/getting first."),
    ],
)
