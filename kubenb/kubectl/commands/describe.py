"""kubectl describe (kubectl pkg/cmd/describe/describe.go).

``describe TYPE``, ``describe TYPE NAME_PREFIX``, ``TYPE/NAME``, ``-l``,
``-A``, ``--show-events``. As upstream, a name that matches no object exactly
describes every object whose name starts with it; several descriptions are
separated by two blank lines.

Left out: ``-f``/``-k`` sources, ``--chunk-size`` paging.
"""

from __future__ import annotations

from kubenb.api import errors, selectors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, invalid_namespace
from kubenb.kubectl.commands.get import build_requests
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.describe import describe

_USAGE_ARGS = ("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete "
               "list of supported resources.\n")


def run(inv: Invocation) -> int:
    if inv.flags["filename"]:
        raise KubectlError("kubenb: describe -f is not supported yet; name the resources instead")
    if not inv.args:
        raise KubectlError(_USAGE_ARGS + "\nerror: Required resource not specified.\nSee 'kubectl describe -h' "
                           "for help and examples\n", raw=True)
    flags = inv.flags
    label_selector = flags["selector"]
    all_namespaces = flags["all-namespaces"]
    requests, _, single_item = build_requests(inv.args, "describe")
    if label_selector and any(r.names for r in requests):
        raise KubectlError("name cannot be provided when a selector is specified")
    if label_selector:
        try:
            selectors.parse(label_selector)
        except selectors.SelectorError as error:
            raise errors.bad_request(str(error)) from None
    client = inv.client
    namespace = None if all_namespaces else inv.namespace
    namespace_problem = invalid_namespace(namespace)
    found: list[dict] = []
    failures: list[str] = []
    for request in requests:
        rtype = request.rtype
        ns = namespace if rtype.namespaced else None
        if namespace_problem and rtype.namespaced:
            # Refused by client-go before sending, one error per request (see get's _failure_lines).
            failures += [namespace_problem] * len(request.names or [None])
            continue
        if request.names is None:
            found += client.list(rtype, ns, label_selector=label_selector)
            continue
        for name in request.names:
            obj = client.try_get(rtype, name, ns)
            if obj is not None:
                found.append(obj)
                continue
            # describe.go: no exact match, so describe every object whose name starts with it.
            matches = [o for o in client.list(rtype, ns) if o["metadata"]["name"].startswith(name)]
            if matches:
                found += matches
            else:
                failures.append(f'Error from server (NotFound): {rtype.group_resource} "{name}" not found')
    show_events = flags["show-events"]
    texts = [describe(client, obj, show_events=show_events) for obj in found]
    if texts:
        inv.write(texts[0] + "".join("\n\n" + t for t in texts[1:]))
    if len(failures) == 1 and failures[0] == namespace_problem and single_item:
        failures = [f"error: {namespace_problem}"]  # a lone item's error is not aggregated
    for line in failures:
        inv.err.write(line + "\n")
    if not found and not failures:
        namespaced = all(r.rtype.namespaced for r in requests) and not all_namespaces
        inv.err.write(f"No resources found in {inv.namespace} namespace.\n" if namespaced else "No resources found\n")
    return 1 if failures else 0


COMMAND = Command(
    name="describe",
    short="Show details of a specific resource or group of resources",
    usage="describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags]",
    help="Print a detailed description of the selected resources, including related resources such as events "
         "or controllers.",
    examples="  # Describe a node\n  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal\n\n"
             "  # Describe a pod\n  kubectl describe pods/nginx",
    run=run,
    flags=[
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested object(s) across "
             "all namespaces."),
        Flag("chunk-size", pflag.INT64, 500, usage="Return large lists in chunks rather than all at once."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files "
             "containing the resource to describe"),
        Flag("recursive", pflag.BOOL, shorthand="R", usage="Process the directory used in -f, --filename "
             "recursively."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
        Flag("show-events", pflag.BOOL, True, usage="If true, display events related to the described object."),
    ],
)
