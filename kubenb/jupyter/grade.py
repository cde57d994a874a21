"""``kubenb grade NOTEBOOK...``: run notebooks in a fresh kernel and score their quizzes.

Each notebook is executed top to bottom by nbclient in a new ``python3``
kernel (errors do not stop it, as with nbgrader and otter), in its own
folder, with this kubenb importable. Every quiz cell (``%%quiz`` or
``kubenb.quiz.check``) leaves its result in its output
(``application/vnd.kubenb.quiz+json``); the last run of each quiz id counts.
Writes ``scores.json``, ``scores.csv`` and Gradescope's ``results.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kubenb.quiz import grading

KERNEL = "python3"


def _kubenb_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def execute(path: Path, timeout: int = 300) -> Any:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = _kubenb_root() + (os.pathsep + env_path if env_path else "")
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            os.environ.pop("PYTHONPATH", None)
    return nb


def quiz_results(nb: Any) -> list[dict[str, Any]]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if grading.MIME_TYPE in data:
                value = data[grading.MIME_TYPE]
                found.append(json.loads(value) if isinstance(value, str) else dict(value))
    return found


def grade(paths: list[Path], outdir: Path, timeout: int = 300) -> dict[str, dict[str, dict[str, Any]]]:
    graded: dict[str, dict[str, dict[str, Any]]] = {}
    for path in paths:
        graded[str(path)] = grading.notebook_scores(quiz_results(execute(path, timeout)))
    outdir.mkdir(parents=True, exist_ok=True)
    json_text, csv_text = grading.write_scores(graded)
    (outdir / "scores.json").write_text(json_text, encoding="utf-8")
    (outdir / "scores.csv").write_text(csv_text, encoding="utf-8")
    questions: dict[str, dict[str, Any]] = {}
    for nb_name, qs in graded.items():
        for qid, q in qs.items():
            questions[qid if len(graded) == 1 else f"{nb_name}:{qid}"] = q
    (outdir / "results.json").write_text(json.dumps(grading.gradescope_results(questions), indent=2,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")
    return graded
