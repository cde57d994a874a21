"""``%%quiz``: a YAML quiz checked against the kernel's cluster, shown as a QuizView.

The cell's body is a quiz (``kubenb.quiz.model``). A passing quiz shows its
feedback and nothing else; a failing one shows it and then raises
``QuizFailed``, one line without a traceback: the error output that makes the
cell a failed test under nbgrader and otter-grader. Nothing goes to stderr.
A malformed quiz (the teacher's mistake) is one ``kubenb: quiz: ...`` error.

``install_hooks`` lets ``kubenb.quiz.check(...)`` in Python cells use the same
cluster, language, hint counter and display.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from IPython.display import display as ipy_display

import kubenb.quiz as quiz
from kubenb.jupyter.session import Session, get_session


def environment(session: Session, answers: Mapping[str, Any]) -> quiz.Environment:
    return quiz.environment_for(session.cluster, answers, session.lang, session.quiz_attempts)


def show(result: quiz.QuizResult) -> None:
    from kubenb.jupyter.widgets.quiz import QuizView

    ipy_display(QuizView(result))


def install_hooks() -> None:
    quiz.set_notebook_hooks(lambda answers: environment(get_session(), answers), show)


class QuizCellError(Exception):
    """A malformed quiz: shown as one line (``kubenb: quiz: ...``), like QuizFailed."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def run_quiz_cell(session: Session, cell: str, answers: Mapping[str, Any]) -> None:
    try:
        parsed = quiz.load(cell)
    except quiz.QuizError as error:
        raise QuizCellError(str(error)) from None
    result = quiz.evaluate(parsed, environment(session, answers))
    show(result)
    quiz.grading.raise_if_failed(result)
