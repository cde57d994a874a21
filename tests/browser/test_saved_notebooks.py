"""A notebook executed outside the browser (nbclient, as graders and `jupyter execute` do), then opened.

Trusted (``jupyter trust``, as Binder's postBuild does): JupyterLab rebuilds the graph widgets from
the saved widget state, so the saved graphs show before any cell runs. Untrusted (a notebook
someone downloaded): JupyterLab renders neither widgets nor SVG from it, and kubenb's text/plain
line must be what shows, not sanitized SVG debris (jupyter-stack.md 2.3).
"""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SOURCE = "graph-and-quiz.ipynb"
GRAPH_CELLS = {4: "deployment/x", 6: "service/x"}
QUIZ_OK, QUIZ_FAILS = 8, 10


@pytest.fixture(scope="module")
def executed(lab) -> nbformat.NotebookNode:
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(lab.root / "fixtures" / SOURCE, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(lab.root / "fixtures")}})
    client.execute(env=lab.env)  # the last quiz fails on purpose: its error output is saved too
    assert "application/vnd.jupyter.widget-state+json" in notebook.metadata["widgets"]
    return notebook


def saved_graph_nodes(notebook: nbformat.NotebookNode, index: int) -> list[str]:
    """The node titles of the graph widget's saved value (its final picture)."""
    output = next(o for o in notebook.cells[index].outputs if o.output_type == "display_data")
    model_id = output.data["application/vnd.jupyter.widget-view+json"]["model_id"]
    value = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"][model_id]["state"][
        "value"]
    return [re.sub(r"&#45;", "-", t) for t in re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]*)</title>',
                                                         value)]


def test_trusted_notebook_shows_saved_graphs_before_running(lab, executed, open_notebook):
    path = lab.root / "fixtures" / "executed-trusted.ipynb"
    nbformat.write(executed, path)
    lab.trust(path)
    nb = open_notebook("fixtures/executed-trusted.ipynb")
    for index in GRAPH_CELLS:
        expect(nb.cell(index).locator(".kubenb-graph svg")).to_be_visible()
    graphs = nb.graphs()
    assert [g["cell"] for g in graphs] == list(GRAPH_CELLS)
    for graph in graphs:
        assert graph["title"].startswith(GRAPH_CELLS[graph["cell"]] + " -n default at ")
        assert graph["nodes"] == saved_graph_nodes(executed, graph["cell"])
        assert any(re.fullmatch(r"Pod/x-[0-9a-z]+-[0-9a-z]{5}", n) for n in graph["nodes"])
    expect(nb.cell(QUIZ_OK).locator(".kubenb-quiz")).to_contain_text(re.compile(r"✔\s*deployment/x: rolled out"))
    expect(nb.cell(QUIZ_FAILS).locator(".kubenb-quiz")).to_contain_text(
        re.compile(r"✘\s*deployment/x: spec.replicas is 3, expected 4"))
    # Nothing ran in this browser session: the kernel has not loaded kubenb.
    assert nb.kernel_eval("", "'kubenb' in __import__('sys').modules") == "False"
    nb.screenshot("saved-trusted")
    assert nb.console.errors == []


def test_untrusted_notebook_shows_text_not_junk(lab, executed, open_notebook):
    copy = nbformat.from_dict(executed)  # deep copy
    # The trust database remembers content, not paths: a copy of the trusted file would count as trusted.
    copy.metadata["kubenb_browser_test"] = "a copy nobody trusted"
    nbformat.write(copy, lab.root / "fixtures" / "executed-untrusted.ipynb")
    nb = open_notebook("fixtures/executed-untrusted.ipynb")
    for index, target in GRAPH_CELLS.items():
        output = nb.cell(index).locator(".jp-OutputArea-output")
        expect(output).to_have_count(1)
        expect(output).to_have_text(re.compile(rf"^kubenb graph {target} at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"))
        expect(output.locator("svg, img")).to_have_count(0)
    # The quiz falls back to its (sanitized) HTML, which reads the same as the widget.
    expect(nb.cell(QUIZ_OK).locator(".jp-OutputArea-output").first).to_contain_text(
        re.compile(r"✔\s*deployment/x: rolled out"))
    body = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").inner_text()
    for junk in ("%3", "<svg", "Error displaying widget", "Loading widget", "&#45;", "No renderer"):
        assert junk not in body, f"an untrusted saved notebook shows {junk!r}"
    nb.screenshot("saved-untrusted")
    assert nb.console.errors == []
