"""kubectl api-resources (kubectl pkg/cmd/apiresources/apiresources.go).

Lists what kubenb's API server serves, in discovery order (core group first,
then groups as served, names sorted within a group). ``-o wide`` adds VERBS
and CATEGORIES; ``-o name`` prints ``plural[.group]``; ``--namespaced``,
``--api-group``, ``--verbs``, ``--categories``, ``--sort-by=name|kind``,
``--no-headers``.

Left out: ``--cached`` (there is no discovery cache to refresh).
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.table import render_rows


def run(inv: Invocation) -> int:
    flags = inv.flags
    output = flags["output"]
    if output not in ("", "wide", "name"):
        raise KubectlError(f"--output {output} is not available")
    sort_by = flags["sort-by"]
    if sort_by not in ("", "name", "kind"):
        raise KubectlError("--sort-by accepts only name or kind")
    inv.client  # noqa: B018 - needs a configured cluster, as discovery does
    types = list(resources.RESOURCE_TYPES)
    if flags.was_set("namespaced"):
        types = [t for t in types if t.namespaced == flags["namespaced"]]
    if flags["api-group"] or flags.was_set("api-group"):
        types = [t for t in types if t.group == flags["api-group"]]
    for verb in flags["verbs"]:
        types = [t for t in types if verb in t.verbs]
    for category in flags["categories"]:
        types = [t for t in types if category in t.categories]
    if sort_by == "name":
        types.sort(key=lambda t: t.plural)
    elif sort_by == "kind":
        types.sort(key=lambda t: t.kind)
    if output == "name":
        inv.write("".join(f"{t.plural}.{t.group}\n" if t.group else f"{t.plural}\n" for t in types))
        return 0
    rows = [] if flags["no-headers"] else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"] +
                                            (["VERBS", "CATEGORIES"] if output == "wide" else [])]
    for t in types:
        row = [t.plural, ",".join(t.short_names), t.api_version, "true" if t.namespaced else "false", t.kind]
        if output == "wide":
            row += [f"[{' '.join(sorted(t.verbs))}]", ",".join(t.categories)]
        rows.append(row)
    inv.write(render_rows(rows))
    return 0


COMMAND = Command(
    name="api-resources",
    short="Print the supported API resources on the server",
    usage="api-resources [flags]",
    help="Print the supported API resources on the server.",
    examples="  # Print the supported API resources\n  kubectl api-resources",
    run=run,
    flags=[
        Flag("api-group", pflag.STRING, usage="Limit to resources in the specified API group."),
        Flag("cached", pflag.BOOL, usage="Use the cached list of resources if available."),
        Flag("categories", pflag.STRING_SLICE, usage="Limit to resources that belong to the specified categories."),
        Flag("namespaced", pflag.BOOL, True, usage="If false, non-namespaced resources will be returned, otherwise "
             "returning namespaced resources by default."),
        Flag("no-headers", pflag.BOOL, usage="When using the default or custom-column output format, don't print "
             "headers (default print headers)."),
        Flag("output", pflag.STRING, shorthand="o", usage="Output format. One of: (wide, name)."),
        Flag("sort-by", pflag.STRING, usage="If non-empty, sort list of resources using specified field. The field "
             "can be either 'name' or 'kind'."),
        Flag("verbs", pflag.STRING_SLICE, usage="Limit to resources that support the specified verbs."),
    ],
)
