"""In JupyterLab: kubectl text, live graphs that redraw in place, and quiz feedback (fixtures/graph-and-quiz.ipynb).

The notebook: load kubenb (1), a Deployment x of 2 (2), get (3), a graph of it (4), a Service (5)
and its graph (6), scale to 4 (7), a quiz that passes (8), scale to 3 (9), the same quiz again,
which fails (10). The cells run in three steps so the graph of cell 4 can be watched changing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOTEBOOK = "fixtures/graph-and-quiz.ipynb"
DEPLOYMENT_GRAPH, SERVICE_GRAPH, SCALE_UP, QUIZ_OK, SCALE_DOWN, QUIZ_FAILS = 4, 6, 7, 8, 9, 10


POD = re.compile(r"^Pod/([^/]+)$")  # containers are drawn as Pod/NAME/container/C


def pods(graph: dict) -> list[str]:
    return sorted(m[1] for m in map(POD.match, graph["nodes"]) if m)


def graph_in(nb, cell: int) -> dict:
    found = [g for g in nb.graphs() if g["cell"] == cell]
    assert len(found) == 1, f"cell {cell} should show one graph, found {found}"
    return found[0]


def assert_graph_matches_cluster(nb, graph: dict) -> None:
    expected = nb.expected(graph["title"])
    assert graph["title"].endswith(f" at {expected['now']}"), "the graph is not redrawn to the cluster's time"
    assert pods(graph) == expected["pods"]
    assert sorted(n.removeprefix("Service/") for n in graph["nodes"] if n.startswith("Service/")) \
        == expected["services"]


def test_graphs_redraw_in_place_and_quizzes_give_feedback(open_notebook):
    nb = open_notebook(NOTEBOOK)
    page = nb.page

    # Step 1: up to the Service graph.
    nb.run_cells(0, SCALE_UP)
    expect(nb.cell(2).locator(".jp-OutputArea-output")).to_have_text("deployment.apps/x created")
    header = nb.cell(3).locator(".jp-OutputArea-output").first
    expect(header).to_contain_text(re.compile(r"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+x\s+2/2\s+2\s+2\s+10s"))
    assert re.search(r"^x-[0-9a-z]+-[0-9a-z]{5}\s+1/1\s+Running\s+0\s+10s$", nb.stream_text(3), re.MULTILINE)
    expect(nb.cell(DEPLOYMENT_GRAPH).locator(".kubenb-graph svg")).to_be_visible()
    before = graph_in(nb, DEPLOYMENT_GRAPH)
    assert before["title"].startswith("deployment/x -n default at ")
    assert "Deployment/x" in before["nodes"] and len(pods(before)) == 2
    assert_graph_matches_cluster(nb, before)
    service = graph_in(nb, SERVICE_GRAPH)
    assert "Service/x" in service["nodes"] and len(pods(service)) == 2
    assert_graph_matches_cluster(nb, service)
    # Mark the DOM element that shows the first graph: a redraw in place keeps it; a new output would not.
    page.evaluate(f"""() => {{
        const cell = window.jupyterapp.shell.currentWidget.content.widgets[{DEPLOYMENT_GRAPH}];
        cell.node.querySelector('.widget-html-content').kubenbProbe = 'drawn before the scale';
    }}""")
    nb.screenshot("graph-and-quiz-before-scale")

    # Step 2: scale to 4 in a later cell; the graph above redraws, and the quiz passes.
    nb.run_cells(SCALE_UP, SCALE_DOWN)
    expect(nb.cell(DEPLOYMENT_GRAPH).locator(".kubenb-graph svg g.node > title",
                                             has_text=POD)).to_have_count(4)
    after = graph_in(nb, DEPLOYMENT_GRAPH)
    assert after["title"] != before["title"]  # drawn at a later cluster time
    assert set(pods(before)) < set(pods(after))
    assert_graph_matches_cluster(nb, after)
    assert page.evaluate(f"""() => window.jupyterapp.shell.currentWidget.content.widgets[{DEPLOYMENT_GRAPH}]
        .node.querySelector('.widget-html-content').kubenbProbe""") == "drawn before the scale"
    assert len(nb.model()["cells"][DEPLOYMENT_GRAPH]["outputs"]) == 1
    assert_graph_matches_cluster(nb, graph_in(nb, SERVICE_GRAPH))
    assert len(pods(graph_in(nb, SERVICE_GRAPH))) == 4
    ok = nb.cell(QUIZ_OK).locator(".kubenb-quiz")
    expect(ok).to_be_visible()
    expect(ok).to_contain_text("scaled: 1/1 points")
    expect(ok).to_contain_text("✔")
    expect(ok).to_contain_text("deployment/x: rolled out, 4/4 ready")
    expect(ok).not_to_contain_text("✘")

    # Step 3: scale down to 3; the same quiz now fails and says why.
    nb.run_cells(SCALE_DOWN, QUIZ_FAILS + 1)
    expect(nb.cell(SCALE_DOWN).locator(".jp-OutputArea-output")).to_have_text("deployment.apps/x scaled")
    failed = nb.cell(QUIZ_FAILS).locator(".kubenb-quiz")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text("scaled-again: 0/1 points")
    expect(failed).to_contain_text("✘")
    expect(failed).to_contain_text("deployment/x: spec.replicas is 3, expected 4")
    expect(failed).not_to_contain_text("✔")
    assert_graph_matches_cluster(nb, graph_in(nb, DEPLOYMENT_GRAPH))

    # Every code cell ran; the only error output is the failing quiz's one line (what makes it a failed test).
    assert all(c["execution_count"] for _, c in nb.code_cells())
    assert nb.errors_in_outputs() == [(QUIZ_FAILS, "QuizFailed: scaled-again: 0/1 points; "
                                                   "deployment/x: spec.replicas is 3, expected 4")]
    expect(nb.cell(QUIZ_FAILS).locator(".jp-OutputArea-output")).not_to_contain_text(["Traceback"])
    nb.screenshot("graph-and-quiz")
    assert nb.console.errors == []
