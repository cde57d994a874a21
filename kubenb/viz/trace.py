"""The control-plane trace of one command: who did what through the API server, in order.

Input is the store's trace (``api.store.TraceEntry``: time, component, verb,
resource, namespace, name, detail). Output is a plain-text table and a
sequence picture (SVG drawn here, one lifeline per component plus the API
server; each write is an arrow to the API server), so it needs no Graphviz.
This is kubenb's teaching view: Kubernetes itself has no such log (the closest
are audit logs and ``kubectl get events``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from kubenb.api.store import TraceEntry
from kubenb.sim.clock import format_rfc3339

API_SERVER = "kube-apiserver"


def _object(entry: TraceEntry) -> str:
    where = f"{entry.namespace}/" if entry.namespace else ""
    return f"{entry.resource}/{where}{entry.name}"


def trace_table(entries: Sequence[TraceEntry]) -> str:
    """Columns padded like kubectl's tables (widest cell plus three spaces)."""
    if not entries:
        return "kubenb: the last command made no change through the API server\n"
    start = entries[0].time
    rows = [["#", "TIME", "COMPONENT", "VERB", "OBJECT", "DETAIL"]]
    for index, entry in enumerate(entries, 1):
        offset = entry.time - start
        rows.append([str(index), f"+{offset:g}s", entry.component, entry.verb, _object(entry), entry.detail])
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[col] + 3) for col, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("".join(cells).rstrip())
    return f"kubenb: trace from {format_rfc3339(start)}\n" + "\n".join(lines) + "\n"


def sequence_svg(entries: Sequence[TraceEntry]) -> str:
    """A sequence diagram: lifelines left to right in order of first appearance, API server first."""
    components = [API_SERVER]
    for entry in entries:
        if entry.component not in components:
            components.append(entry.component)
    column = 170.0
    top = 50.0
    step = 26.0
    width = column * len(components) + 20
    height = top + step * (len(entries) + 1) + 10
    esc = html.escape
    x_of = {name: 10 + column * i + column / 2 for i, name in enumerate(components)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
           f'viewBox="0 0 {width:g} {height:g}" font-family="Helvetica,Arial,sans-serif" font-size="10">',
           '<defs><marker id="kubenb-seq-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>']
    for name, x in x_of.items():
        out.append(f'<g class="participant"><title>{esc(name)}</title>'
                   f'<rect x="{x - column / 2 + 6:g}" y="8" width="{column - 12:g}" height="24" rx="4" '
                   f'fill="#e8eaf6" stroke="#3949ab"/>'
                   f'<text x="{x:g}" y="24" text-anchor="middle">{esc(name)}</text>'
                   f'<line x1="{x:g}" y1="32" x2="{x:g}" y2="{height - 6:g}" stroke="#999" '
                   f'stroke-dasharray="4,3"/></g>')
    for index, entry in enumerate(entries):
        y = top + step * index
        x1 = x_of[entry.component]
        x2 = x_of[API_SERVER]
        label = f"{index + 1}. {entry.verb} {_object(entry)}"
        if x1 == x2:  # the API server acting on its own (a self-arrow)
            path = f"M{x1:g},{y:g} h30 v10 h-30"
            text_x = x1 + 34
            anchor = "start"
        else:
            path = f"M{x1:g},{y:g} L{x2:g},{y:g}"
            text_x = (x1 + x2) / 2
            anchor = "middle"
        out.append(f'<g class="message"><title>{esc(label)}</title>'
                   f'<path d="{path}" fill="none" stroke="#333" marker-end="url(#kubenb-seq-arrow)"/>'
                   f'<text x="{text_x:g}" y="{y - 3:g}" text-anchor="{anchor}">{esc(label)}</text></g>')
    out.append("</svg>\n")
    return "\n".join(out)
