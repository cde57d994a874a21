"""Run a course notebook's code cells without a kernel, the way the kubenb magics run them.

Shared by the tests that replay notebook 11's sections: kubectl and manifest cells think first (as
in the kernel), ``%kubenb``/``%kubectl`` lines run in order, and ``%%quiz`` cells are evaluated
only when the caller keeps answers (otherwise they are skipped: quizzes do not change the cluster).
"""

from __future__ import annotations

from pathlib import Path

import yaml

import kubenb.quiz as quiz
from kubenb.jupyter.control import run_control
from kubenb.jupyter.extension import cell_thinks
from kubenb.jupyter.magics import run_cell_commands, run_manifest
from kubenb.jupyter.session import Session

NOTEBOOK_11 = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "11-anti-patterns.yaml"


def code_of(cell: dict) -> str | None:
    """A source cell's code (shared by both languages, or the English one)."""
    if "code" not in cell:
        return None
    return cell["code"] if isinstance(cell["code"], str) else cell["code"]["en"]


def notebook_11_cells() -> list[dict]:
    return yaml.safe_load(NOTEBOOK_11.read_text(encoding="utf-8"))["cells"]


def run_code_cell(session: Session, code: str, answers: dict | None = None) -> quiz.QuizResult | None:
    """Run one code cell; a ``%%quiz`` cell is evaluated (and its result returned) when ``answers`` is given."""
    if cell_thinks(code):
        session.think()
    first, _, body = code.partition("\n")
    if first.startswith("%%manifest"):
        run_manifest(session, first[len("%%manifest"):].strip(), body)
    elif first.startswith("%%kubectl"):
        run_cell_commands(session, body)
    elif first.startswith("%%quiz") and answers is not None:
        env = quiz.environment_for(session.cluster, answers, session.lang, session.quiz_attempts)
        return quiz.evaluate(quiz.load(body), env)
    elif first.startswith("%%"):
        return None
    else:
        for line in code.splitlines():
            if line.startswith("%kubenb "):
                run_control(session, line[len("%kubenb "):])
            elif line.startswith("%kubectl "):
                run_cell_commands(session, line[len("%kubectl "):])
            elif answers is not None and "=" in line and not line.startswith("%"):
                name, _, value = line.partition("=")
                answers[name.strip()] = yaml.safe_load(value)
    return None
