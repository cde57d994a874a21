"""The course notebooks: built from their sources, and each runs top to bottom printing what it saved.

Each notebook is checked by nbval in its own pytest process (one kernel per notebook, as a student
runs it), with the sanitizer that hides only the machine-dependent Graphviz SVG. The Binder check
(a fresh virtual environment built only from binder/) is scripts/check_binder.sh, run by .ci/run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbval")
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SANITIZER = NOTEBOOKS / "nbval-sanitize.cfg"
COURSE = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.glob("[a-z][a-z]/*.ipynb"))


def load_builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_built_from_its_current_source():
    builder = load_builder()
    assert builder.stale(builder.load_sources()) == []


def test_both_languages_have_the_same_code_cells():
    for path in sorted((NOTEBOOKS / "en").glob("*.ipynb")):
        english = nbformat.read(path, as_version=4)
        japanese = nbformat.read(NOTEBOOKS / "ja" / path.name, as_version=4)
        code_en = [c.source for c in english.cells if c.cell_type == "code"]
        code_ja = [c.source for c in japanese.cells if c.cell_type == "code"]
        # The Japanese setup cell adds `%kubenb lang ja`; every other code cell is the same.
        assert code_ja[0] == code_en[0].replace("%load_ext kubenb", "%load_ext kubenb\n%kubenb lang ja")
        assert code_ja[1:] == code_en[1:], path.name


def test_saved_outputs_hold_no_unexpected_error():
    builder = load_builder()
    for name in COURSE:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                builder.check_outputs(cell)  # raises on an error the cell was not written to show


def test_source_mistakes_are_reported_by_file_and_cell(tmp_path):
    builder = load_builder()
    broken = tmp_path / "99-broken.yaml"
    broken.write_text("title: {en: A, ja: B}\ncells:\n  - md: {en: only English}\n", encoding="utf-8")
    with pytest.raises(builder.SourceError, match=r"99-broken.yaml cell 1: needs exactly the keys en, ja"):
        builder.load_source(broken)


def test_widget_ids_are_renumbered_the_same_way_every_time():
    builder = load_builder()
    nb = nbformat.v4.new_notebook()
    view = {"model_id": "0123456789abcdef0123456789abcdef", "version_major": 2, "version_minor": 0}
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "x"})])]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
        "0123456789abcdef0123456789abcdef": {"state": {"layout": "IPY_MODEL_fedcba9876543210fedcba9876543210"}},
        "fedcba9876543210fedcba9876543210": {"state": {}}}, "version_major": 2, "version_minor": 0}}
    first = builder.renumber_widgets(nb, "en/x.ipynb")
    second = builder.renumber_widgets(nb, "en/x.ipynb")
    assert first == second
    text = nbformat.writes(first)
    assert "0123456789abcdef" not in text and "fedcba9876543210" not in text
    new_id = first.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]
    state = first.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert new_id in state and state[new_id]["state"]["layout"].removeprefix("IPY_MODEL_") in state


@pytest.mark.slow
@pytest.mark.parametrize("name", COURSE)
def test_notebook_runs_and_prints_what_it_saved(name):
    env = dict(os.environ)
    # The kernel imports this checkout's kubenb even where it is not installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZER), str(NOTEBOOKS / name)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"nbval failed for {name}:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
