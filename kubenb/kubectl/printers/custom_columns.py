"""``-o custom-columns=HEADER:path,...`` and ``-o custom-columns-file=FILE``.

Mirrors kubectl ``pkg/cmd/get/customcolumn.go``: each spec is ``HEADER:PATH``
with a relaxed JSONPath; a cell prints every value found joined by ``,``
(``<none>`` when nothing is found); the table uses the same tabwriter as
``get``. The file form has a header line of names and a line of paths,
separated by whitespace.

Left out: nothing kubenb's objects need.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenb.kubectl.printers import jsonpath
from kubenb.kubectl.printers.table import render_rows


class CustomColumnsError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CustomColumn:
    header: str
    path: str  # a full template, "{.metadata.name}"


def parse_spec(spec: str) -> list[CustomColumn]:
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep or not header or not path:
            raise CustomColumnsError(f'unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>')
        columns.append(CustomColumn(header, _template(path)))
    return columns


def parse_file(text: str) -> list[CustomColumn]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 2:
        raise CustomColumnsError(f"unexpected lines in custom columns file: expected 2, got {len(lines)}")
    headers, paths = lines[0].split(), lines[1].split()
    if len(headers) != len(paths):
        raise CustomColumnsError(f"expected {len(headers)} paths, got {len(paths)}")
    return [CustomColumn(h, _template(p)) for h, p in zip(headers, paths, strict=True)]


def _template(path: str) -> str:
    template = jsonpath.relaxed(path)
    try:
        jsonpath.parse_template(template)
    except jsonpath.JSONPathError as error:
        raise CustomColumnsError(f"{error}") from None
    return template


def cell(column: CustomColumn, obj: dict) -> str:
    nodes = jsonpath.parse_template(column.path)
    values: list[str] = []
    for node in nodes:
        path = getattr(node, "path", None)
        if path is None:
            continue
        values += [jsonpath.format_value(v) for v in jsonpath._values(path, obj, obj)]
    return ",".join(values) if values else "<none>"


def render(columns: list[CustomColumn], objs: list[dict], *, headers: bool = True) -> str:
    rows = [[c.header for c in columns]] if headers else []
    rows += [[cell(c, obj) for c in columns] for obj in objs]
    return render_rows(rows)
