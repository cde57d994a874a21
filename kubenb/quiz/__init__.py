"""Quizzes over the live cluster, with feedback that explains, and grading.

    import kubenb.quiz
    kubenb.quiz.check('''
    id: q1
    checks:
    - rolled_out: deployment/web
      replicas: 3
    - image_pinned: deployment/web
    ''')

``check`` evaluates a quiz against the notebook's cluster (or ``cluster=``),
shows the feedback, and raises ``QuizFailed`` (one line) when a check fails,
so the same call works as an nbgrader or otter-grader test. The ``%%quiz``
cell magic (``kubenb.jupyter``) does the same for a YAML cell.

- ``model``: the quiz format and results; ``checks``: the table of checks;
- ``explain``: evidence from the cluster; ``grading``: scores and score files;
- ``messages``: kubenb's words in English and Japanese.

The notebook layer registers how to find the kernel's cluster and how to show
results (``set_notebook_hooks``); this package imports no notebook code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from kubenb.quiz.grading import MIME_TYPE, evaluate, load, raise_if_failed, render_text
from kubenb.quiz.model import Environment, Quiz, QuizError, QuizFailed, QuizResult

__all__ = ["MIME_TYPE", "Environment", "Quiz", "QuizError", "QuizFailed", "QuizResult", "check",
           "environment_for", "evaluate", "load", "render_text", "set_notebook_hooks"]

# Set by kubenb.jupyter: () -> Environment for the kernel's cluster, and result -> None to display.
_environment_hook: Callable[[Mapping[str, Any]], Environment] | None = None
_show_hook: Callable[[QuizResult], None] | None = None


def set_notebook_hooks(environment: Callable[[Mapping[str, Any]], Environment],
                       show: Callable[[QuizResult], None]) -> None:
    global _environment_hook, _show_hook
    _environment_hook, _show_hook = environment, show


def environment_for(cluster: Any, answers: Mapping[str, Any] | None = None, lang: str = "en",
                    attempts: dict[str, int] | None = None) -> Environment:
    """An Environment over a ``kubenb.Cluster`` (duck-typed: client, request, run_until)."""
    return Environment(client=cluster.client, request=cluster.request, wait=cluster.run_until,
                       writes_behind_kubectl=cluster.writes_behind_kubectl, answers=answers or {}, lang=lang,
                       attempts=attempts if attempts is not None else {})


def check(quiz: str | Mapping[str, Any] | Quiz, *, cluster: Any = None, answers: Mapping[str, Any] | None = None,
          lang: str | None = None, show: bool = True) -> None:
    """Evaluate a quiz, show its feedback, raise QuizFailed when it does not fully pass.

    Returns nothing (so a test cell has no output to compare); ``evaluate`` gives the result.
    """
    parsed = quiz if isinstance(quiz, Quiz) else load(quiz)
    if answers is None:
        answers = sys._getframe(1).f_globals  # the notebook's variables, where concept answers live
    if cluster is not None:
        env = environment_for(cluster, answers, lang or "en")
    elif _environment_hook is not None:
        env = _environment_hook(answers)
    else:
        raise QuizError("kubenb: quiz: no cluster; run %load_ext kubenb first, or pass cluster=")
    if lang is not None:
        env.lang = lang
    result = evaluate(parsed, env)
    if show:
        if _show_hook is not None:
            _show_hook(result)
        else:
            sys.stdout.write(render_text(result))
    raise_if_failed(result)
