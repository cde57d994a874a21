"""The course as a student meets it: the index, then the Deployments, Services and Ingress notebooks run in JupyterLab.

Each notebook runs top to bottom (Run > Run All Cells), then: no cell shows an error; kubectl's
output is there as text; every graph is an SVG whose Pods, Services and Ingress rules are the
cluster's own (read from the API objects in the kernel, not through kubenb.viz); graphs drawn
early have been redrawn in place to the cluster's latest state; every quiz shows ✔. Then the
student breaks something by re-running an earlier cell, re-runs a quiz, and must see ✘ with
the reason. No JavaScript errors all along. One language each: Japanese and English both covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
POD = re.compile(r"^Pod/([^/]+)$")


@dataclass(frozen=True)
class Lesson:
    number: str  # the file is notebooks/<lang>/<number>-*.ipynb
    lang: str
    kubectl_says: str  # a line kubectl prints somewhere in the notebook
    graph_kinds: tuple[str, ...]  # each must be drawn at least once
    break_cell: str  # re-running the cell whose source holds this breaks the state a quiz checks...
    quiz_id: str  # ...and this quiz, run again, must fail
    explanation: str  # with this reason (a regex)
    scaled: str = ""  # a graph of this target, drawn before a later cell scales it, must show the new Pods


LESSONS = [
    Lesson("05", "en", "deployment.apps/my-dep scaled", ("deployment",), "scale --replicas=3 deployment/my-dep",
           "deployments-scale", r"✘\s*deployment/my-dep: spec.replicas is 3, expected 4",
           scaled="deployment/my-dep"),
    Lesson("06", "ja", "service/hello created", ("service",), "    app: helo\n", "services-selector",
           r"✘\s*service/hello-typo: セレクター app=helo に一致する Pod がありません"),
    Lesson("07", "en", "ingress.networking.k8s.io/fruits created", ("ingress",), "number: 8080",
           "ingress-routes",
           r"✘\s*no Ingress in namespace default routes fruits\.example\.com/cherry to service/apple"),
]


def lesson_path(lesson: Lesson) -> str | None:
    found = sorted((NOTEBOOKS / lesson.lang).glob(f"{lesson.number}-*.ipynb"))
    return f"notebooks/{lesson.lang}/{found[0].name}" if found else None


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def svg_node_titles(svg: str) -> list[str]:
    return [t.replace("&#45;", "-") for t in re.findall(r'class="node">\s*<title>([^<]*)</title>', svg)]


def node_set(graph: dict, prefix: str) -> list[str]:
    if prefix == "Pod/":
        return sorted(m[1] for m in map(POD.match, graph["nodes"]) if m)
    return sorted(n.removeprefix(prefix) for n in graph["nodes"] if n.startswith(prefix))


def test_course_index_links_every_notebook(open_notebook):
    nb = open_notebook("notebooks/index.ipynb")
    rendered = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown")
    expect(rendered.first).to_contain_text("Kubernetes")
    for lesson in LESSONS:
        path = lesson_path(lesson)
        if path is None:
            continue
        # JupyterLab resolves the relative link to /files/PATH?_xsrf=...
        expect(rendered.locator(f'a[href*="/{path}?"]')).to_have_count(1)
    # Following a link opens that notebook, as a student would from the index.
    target = lesson_path(LESSONS[1])
    rendered.locator(f'a[href*="/{target}?"]').click()
    nb.page.wait_for_function("(path) => window.jupyterapp.shell.currentWidget?.context?.path === path",
                              arg=target)
    nb.page.wait_for_timeout(500)
    nb.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:open', {path: 'notebooks/index.ipynb'})")
    nb.page.wait_for_function("() => window.jupyterapp.shell.currentWidget?.context?.path === 'notebooks/index.ipynb'")
    nb.screenshot("course-index")
    assert nb.console.errors == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.lang}-{lesson.number}")
def test_course_notebook(lesson: Lesson, open_notebook):
    path = lesson_path(lesson)
    if path is None:
        pytest.skip(f"the course has no notebook {lesson.lang}/{lesson.number}-*.ipynb yet")
    nb = open_notebook(path)
    nb.run_all()
    cells = nb.model()["cells"]
    code = [(i, c) for i, c in enumerate(cells) if c["cell_type"] == "code"]

    # Every cell ran, and none shows an error (kubectl's own error messages are stderr text, not errors),
    # except a quiz the notebook means to fail (tagged raises-exception, so Run All goes on past it).
    meant_to_fail = [i for i, c in code if "raises-exception" in c.get("metadata", {}).get("tags", [])]
    assert [i for i, _ in nb.errors_in_outputs()] == meant_to_fail
    assert [i for i, c in code if not c["execution_count"]] == []
    for i, _ in code:
        text = nb.stream_text(i)
        assert "Traceback" not in text and "kubenb: internal error" not in text, f"cell {i}: {text}"

    # kubectl's output is there, as text, where the student reads it.
    kubectl_cells = [i for i, c in code if re.match(r"\s*%%?kubectl\b", source(c))]
    assert kubectl_cells and all(nb.stream_text(i) for i in kubectl_cells)
    said = next(i for i, _ in code if lesson.kubectl_says in nb.stream_text(i))
    expect(nb.cell(said).locator(".jp-OutputArea-output").filter(has_text=lesson.kubectl_says).first).to_be_visible()

    # Every graph is an SVG holding what the cluster holds now.
    graph_cells = [i for i, c in code if re.search(r"^%kubenb graph\b", source(c), re.MULTILINE)]
    for i in graph_cells:
        expect(nb.cell(i).locator(".kubenb-graph svg").first).to_be_visible()
    graphs = nb.graphs()
    assert sorted({g["cell"] for g in graphs}) == graph_cells
    drawn_kinds = set()
    checked = changed = 0
    for graph in graphs:
        assert graph["visible"] and graph["nodes"], f"an empty graph in cell {graph['cell']}"
        drawn_kinds.add(graph["title"].split("/")[0])
        expected = nb.expected(graph["title"])
        if expected is None or not graph["title"].endswith(f" at {expected['now']}"):
            continue  # a kind not checked here, or one of the older graphs kubenb stops redrawing
        checked += 1
        assert node_set(graph, "Pod/") == expected["pods"], graph["title"]
        assert node_set(graph, "Service/") == expected["services"], graph["title"]
        assert ["rule/" + r for r in node_set(graph, "rule/")] == expected["rules"], graph["title"]
        first_drawing = next(o["data"]["image/svg+xml"] for o in cells[graph["cell"]]["outputs"]
                             if "image/svg+xml" in o.get("data", {}))
        if expected["now"] not in first_drawing.replace("&#45;", "-"):
            changed += 1  # redrawn in place since the cell displayed it
    assert set(lesson.graph_kinds) <= drawn_kinds
    assert checked >= 1
    assert changed >= 1, "no graph was redrawn after the cell that displayed it"

    if lesson.scaled:
        graph = next(g for g in graphs if g["title"].startswith(lesson.scaled + " "))
        first_drawing = next(o["data"]["image/svg+xml"] for o in cells[graph["cell"]]["outputs"]
                             if "image/svg+xml" in o.get("data", {}))
        first_pods = sorted(m[1] for m in map(POD.match, svg_node_titles(first_drawing)) if m)
        assert first_pods and node_set(graph, "Pod/") != first_pods, "the graph did not follow the scale"
        assert node_set(graph, "Pod/") == nb.expected(graph["title"])["pods"]

    # Every quiz passes when the notebook is followed, but those meant to fail, which say why.
    quiz_cells = [i for i, c in code if source(c).lstrip().startswith("%%quiz")]
    assert quiz_cells
    for i in quiz_cells:
        quiz = nb.cell(i).locator(".kubenb-quiz")
        expect(quiz).to_contain_text("✘" if i in meant_to_fail else "✔")
        expect(quiz).not_to_contain_text("✔" if i in meant_to_fail else "✘")
    for i in meant_to_fail:  # the explanation follows the mark
        expect(nb.cell(i).locator(".kubenb-quiz")).to_contain_text(re.compile(r"✘\s*\S.{10,}"))
    nb.screenshot(f"course-{lesson.lang}-{Path(path).stem}")

    # Break it as a student might (re-run an earlier cell), re-run the quiz: ✘ and why.
    if lesson.break_cell:
        broken = next(i for i, c in code if lesson.break_cell in source(c))
        quiz_cell = next(i for i in quiz_cells if f"id: {lesson.quiz_id}" in source(cells[i]))
        nb.run_cells(broken, broken + 1)
        nb.run_cells(quiz_cell, quiz_cell + 1)
        failed = nb.cell(quiz_cell).locator(".kubenb-quiz")
        expect(failed).to_contain_text(re.compile(lesson.explanation))
        # The failed test's one-line error, beside those meant to fail from the start.
        assert [i for i, _ in nb.errors_in_outputs()] == sorted({*meant_to_fail, quiz_cell})
        failed.screenshot(path=str(nb.screenshot_path(f"course-{lesson.lang}-{Path(path).stem}-quiz-fails")))
    assert nb.console.errors == []
