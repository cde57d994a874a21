"""The fast paths of the printers and the manifest reader agree with the general ones they shortcut."""

from __future__ import annotations

import types

import pytest

from kubenb.kubectl import manifests
from kubenb.kubectl.printers import structured, table


def _python_render(rows: list[list[str]]) -> str:
    return table.format_cells("".join("\t".join(row) + "\n" for row in rows))


@pytest.mark.parametrize("rows", [
    [["NAME", "READY", "STATUS"], ["a", "1/1", "Running"], ["a-very-long-pod-name-123", "0/1", ""]],
    [["NAME", "X"], ["", ""], ["abcdefgh", "y"]],
    [["A", "B", "C", "D"], ["1", "", "3", ""]],
    [["A", "B"], ["x\ty", "z"]],  # a tab inside a cell: the general path
    [["A", "B"], ["only one"]],  # ragged rows: the general path
    [["A", "B", "C"], ["100%", "%s", "%-3d"], ["caf\u00e9", "\f", "x"]],  # % signs and form feeds are just text
])
def test_render_rows_matches_tabwriter(rows):
    assert table.render_rows(rows) == _python_render(rows)


def test_clean_cell_cuts_at_line_breaks():
    assert table.clean_cell("plain") == "plain"
    assert table.clean_cell("one\ntwo") == "one..."
    assert table.clean_cell("a\rb\nc") == "a..."
    assert table.clean_cell(None) == ""
    assert table.clean_cell(3) == "3"


POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web-1", "labels": {"app": "web", "tier": "80"}, "annotations": {"a": ""},
                 "creationTimestamp": "2025-01-01T00:00:00Z"},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                             "args": ["true", "yes", "1.5", "0x1F", "-", "a: b", "#x", "null", "~"]}],
             "enableServiceLinks": True, "priority": 0},
    "status": {"conditions": [{"type": "Ready", "status": "True", "message": "short message with spaces",
                               "lastProbeTime": None}], "phase": "Running"},
}


def test_c_emitter_writes_what_the_python_emitter_writes():
    assert structured._plain_enough(POD)
    assert structured.to_yaml(POD) == structured.to_yaml_python(POD)


@pytest.mark.parametrize("value", ["x " * 60, "tab\there", "caf\u00e9", "line\nbreak", "\U0001F600"])
def test_documents_the_c_emitter_could_write_differently_take_the_python_one(value):
    document = {"data": {"key": value}}
    assert not structured._plain_enough(document)
    assert structured.to_yaml(document) == structured.to_yaml_python(document)


MANIFESTS = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: y\n  b: '1'\n  c: 2025-01-01\n"
    "  d: \"quoted: yes\"\n  e: |\n    block\n    text\n  f: 0x10\n  g: ~\n  5: five\n  true: t\n",
    "a: [1, 2, {b: c}]\nd: {e: f}\n",
    "# only a comment\n",
    "",
    "<<: {a: 1}\nb: 2\n",  # a merge key: the general constructor
    "'80': x\n\"true\": y\nz: [1.5, null, 2025-01-01, ~]\n",  # quoted keys stay strings
]


@pytest.mark.parametrize("text", MANIFESTS)
def test_c_parser_reads_what_the_python_parser_reads(text):
    parsed, document = manifests._load_with_c_parser(text)
    assert parsed
    loader = manifests._Loader(text)
    try:
        node = loader.get_single_node()
        expected = None if node is None else manifests.json_keys(loader.construct_document(node))
    finally:
        loader.dispose()
    assert document == expected
    assert type(document) is type(expected)


@pytest.mark.parametrize("text", ["a: !foo b\n", "a: &x b\nc: *x\n", "a:\tb\n", "a: b\n  c: d\n", "k: \"\\t\"\n"])
def test_corner_cases_and_errors_take_the_python_parser(text):
    assert manifests._load_with_c_parser(text) == (False, None)


def test_pod_narrow_row_is_the_row_without_its_wide_cells():
    from kubenb.kubectl.printers import columns

    pods = [POD, {**POD, "metadata": {**POD["metadata"], "deletionTimestamp": "2025-01-01T00:00:30Z"}},
            {"metadata": None, "spec": {"containers": [{}]}}]
    for pod in pods:
        assert columns._pod_narrow_row(pod, 100.0) == columns._pod_row(pod, 100.0)[:5]
    narrow = columns.table("Pod", pods, 100.0)
    wide = columns.table("Pod", pods, 100.0, wide=True)
    assert [c.name for c in narrow[0]] == [c.name for c in wide[0]][:5]
    assert narrow[1] == [row[:5] for row in wide[1]]


@pytest.mark.parametrize("bad_cell", ["two\nlines", None, 7])
def test_get_cleans_every_cell_when_any_row_needs_it(cluster, monkeypatch, bad_cell):
    from kubenb.api import resources
    from kubenb.kubectl.commands import get
    from kubenb.kubectl.printers import columns

    rows = [["a", "x"], ["b", bad_cell]]
    monkeypatch.setattr(columns, "table", lambda kind, objs, now, wide=False: (
        [columns.Column("Name"), columns.Column("Note")], [list(r) for r in rows]))
    inv = types.SimpleNamespace(client=cluster.client,
                                flags={"label-columns": [], "show-labels": False, "no-headers": False})
    objs = [{"metadata": {"name": "a", "namespace": "n"}}, {"metadata": {"name": "b", "namespace": "n"}}]
    result = get.table_rows(inv, resources.resolve("pods"), objs, wide=False, with_kind=False, all_namespaces=True)
    assert result == [["NAMESPACE", "NAME", "NOTE"], ["n", "a", "x"], ["n", "b", table.clean_cell(bad_cell)]]
