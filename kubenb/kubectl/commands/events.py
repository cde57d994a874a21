"""kubectl events (kubectl pkg/cmd/events/events.go and event_printer.go).

Rows ``LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`` (``NAMESPACE`` first with
``-A``), sorted oldest first by last timestamp; OBJECT is ``Kind/name``; the
age is ``<last> (x<count> over <first>)`` for repeated events. ``--for
TYPE/NAME`` keeps the events of one object, ``--types`` filters by type.
``-w`` lets virtual time pass like ``get -w`` (bounded the same way).

Left out: ``-o`` yaml/json of the event list beyond what get offers.
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.commands.get import WATCH_BOUND_SECONDS
from kubenb.kubectl.flags import Flag, parse_duration
from kubenb.kubectl.printers.describe.writer import _event_sort_key
from kubenb.kubectl.printers.humanize import since
from kubenb.kubectl.printers.output import OutputError, as_list, print_generic
from kubenb.kubectl.printers.table import render_rows


def _interval(event: dict, now: float) -> str:
    first = since(event.get("eventTime"), now) if event.get("eventTime") else since(event.get("firstTimestamp"), now)
    series = event.get("series")
    count = int(event.get("count") or 0)
    if series:
        return f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
    if count > 1:
        return f"{since(event.get('lastTimestamp'), now)} (x{count} over {first})"
    return first


def _row(event: dict, now: float, all_namespaces: bool) -> list[str]:
    involved = event.get("involvedObject") or {}
    row = [_interval(event, now), str(event.get("type", "")), str(event.get("reason", "")),
           f"{involved.get('kind', '')}/{involved.get('name', '')}", str(event.get("message", "")).strip()]
    return [str(event.get("metadata", {}).get("namespace", "")), *row] if all_namespaces else row


def run(inv: Invocation) -> int:
    flags = inv.flags
    all_namespaces = flags["all-namespaces"]
    types = [t.strip() for t in flags["types"] if t.strip()]
    for kind in types:
        if kind.lower() not in ("normal", "warning"):
            raise KubectlError("valid --types are Normal or Warning")
    wanted_types = {t.lower() for t in types}
    for_kind = for_name = ""
    if flags["for"]:
        kind_text, sep, for_name = flags["for"].partition("/")
        rtype = resources.resolve(kind_text)
        if not sep or not for_name:
            raise KubectlError("--for must be in resource/name form")
        if rtype is None:
            raise KubectlError(f'the server doesn\'t have a resource type "{kind_text}"')
        for_kind = rtype.kind
    client = inv.client
    namespace = None if all_namespaces else inv.namespace

    def selected() -> list[dict]:
        items = []
        for event in client.list("events", namespace):
            involved = event.get("involvedObject") or {}
            if wanted_types and str(event.get("type", "")).lower() not in wanted_types:
                continue
            if for_kind and (involved.get("kind") != for_kind or involved.get("name") != for_name):
                continue
            items.append(event)
        return sorted(items, key=_event_sort_key)

    events = selected()
    now = client.clock.now()
    output = flags["output"]
    if output:
        try:
            inv.write(print_generic(output, as_list(events), inv.env.files))
        except OutputError as error:
            raise KubectlError(str(error)) from None
        return 0
    header = (["NAMESPACE"] if all_namespaces else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    rows = [] if flags["no-headers"] else [header]
    rows += [_row(e, now, all_namespaces) for e in events]
    if events:
        inv.write(render_rows(rows))
    elif not flags["watch"]:
        inv.err.write(f"No events found in {inv.namespace} namespace.\n" if not all_namespaces else
                      "No events found.\n")
    if flags["watch"]:
        timeout_text = flags.get("request-timeout") or "0"
        try:
            bound = parse_duration(timeout_text) if timeout_text not in ("0", "") else 0.0
        except ValueError:
            bound = 0.0
        bound = bound or WATCH_BOUND_SECONDS
        deadline = client.clock.now() + bound
        seen = {(e["metadata"].get("namespace"), e["metadata"]["name"], e["metadata"].get("resourceVersion"))
                for e in events}

        def fresh() -> list[dict]:
            return [e for e in selected() if (e["metadata"].get("namespace"), e["metadata"]["name"],
                                               e["metadata"].get("resourceVersion")) not in seen]

        while client.clock.now() < deadline:
            if not inv.env.waiter.run_until(lambda: bool(fresh()), deadline - client.clock.now()):
                break
            batch = fresh()
            seen |= {(e["metadata"].get("namespace"), e["metadata"]["name"], e["metadata"].get("resourceVersion"))
                     for e in batch}
            now = client.clock.now()
            inv.write(render_rows([_row(e, now, all_namespaces) for e in batch]))
        inv.err.write(f"kubenb: stopped watching: no more changes within {bound:g}s of virtual time\n")
    return 0


COMMAND = Command(
    name="events",
    short="List events",
    usage="events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
          "jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]",
    help="Display events, oldest first.",
    examples="  # List recent events in the default namespace\n  kubectl events",
    run=run,
    flags=[
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested object(s) across "
             "all namespaces."),
        Flag("allow-missing-template-keys", pflag.BOOL, True, usage="If true, ignore any errors in templates when a "
             "field or map key is missing in the template."),
        Flag("chunk-size", pflag.INT64, 500, usage="Return large lists in chunks rather than all at once."),
        Flag("for", pflag.STRING, usage="Filter events to only those pertaining to the specified resource."),
        Flag("no-headers", pflag.BOOL, usage="When using the default output format, don't print headers."),
        Flag("output", pflag.STRING, shorthand="o", usage="Output format."),
        Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing objects in "
             "JSON or YAML format."),
        Flag("template", pflag.STRING, usage="Template string or path to template file to use."),
        Flag("types", pflag.STRING_SLICE, usage="Output only events of given types."),
        Flag("watch", pflag.BOOL, shorthand="w", usage="After listing the requested events, watch for more events."),
    ],
)
