"""A notebook run twice in a real kernel (nbclient) prints the same thing both times."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]

CELLS = [
    "%load_ext kubenb",
    "%load_ext kubenb",  # twice: silent
    "%%manifest\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
    "%%kubectl\n# what is there?\nget namespaces\nkubectl get ns demo -o name\n",
    "%kubectl get pods --bogus",
    "%kubenb advance 30s",
    "%kubenb trace",
    "%kubenb graph namespace/demo",
    "import kubenb\nkubenb.current().now",
]


def run_once() -> list[list[dict]]:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = []
    for cell in notebook.cells:
        cleaned = []
        for output in cell.outputs:
            output = dict(output)
            output.pop("execution_count", None)
            if "data" in output:
                # Widget model ids are random by design (nbval ignores them too).
                output["data"] = {k: v for k, v in output["data"].items()
                                  if k != "application/vnd.jupyter.widget-view+json"}
                output.pop("metadata", None)
            cleaned.append(output)
        outputs.append(cleaned)
    return outputs


@pytest.mark.slow
def test_notebook_outputs_repeat_exactly():
    started = time.monotonic()
    first = run_once()
    second = run_once()
    assert first == second
    assert first[1] == []  # loading twice printed nothing
    assert first[2] == [{"output_type": "stream", "name": "stdout", "text": "namespace/demo created\n"}]
    assert first[3][-1]["text"].endswith("namespace/demo\n")
    assert first[4][0]["name"] == "stderr" and first[4][0]["text"].startswith("error: unknown flag: --bogus")
    assert "error" not in [o["output_type"] for cell in first for o in cell]
    graph = next(o for o in first[7] if o["output_type"] == "display_data")
    assert graph["data"]["text/plain"].startswith("kubenb graph namespace/demo at 2025-01-01T00:01:00Z")
    assert graph["data"]["image/svg+xml"].startswith("<svg")
    # Think time: three kubectl/manifest cells (10 s each) and advance 30s.
    assert first[8][0]["data"]["text/plain"] == "'2025-01-01T00:01:00Z'"
    assert time.monotonic() - started < 120
