"""QuizView: a quiz result as a widget (✔/✘ per check with points, hints), with an identical plain text.

A core ``ipywidgets.HTML`` (works wherever widgets do); its mimebundle adds
``text/plain`` (``kubenb.quiz.render_text``: the same lines, same meaning),
``text/html`` for viewers without widgets, and the machine-readable result
(``application/vnd.kubenb.quiz+json``) that ``kubenb grade`` collects.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets

from kubenb.quiz import MIME_TYPE, QuizResult, render_text
from kubenb.quiz.grading import check_lines
from kubenb.quiz.messages import text

OK_COLOR, FAIL_COLOR = "#2e7d32", "#c62828"


def result_html(result: QuizResult) -> str:
    quiz = result.quiz
    color = OK_COLOR if result.passed else FAIL_COLOR
    head = html.escape(text(result.lang, "summary", id=quiz.id, score=result.score, points=quiz.points))
    prompt = f' <span style="font-weight:normal">{html.escape(quiz.prompt)}</span>' if quiz.prompt else ""
    rows = []
    for passed, message, points in check_lines(result):
        mark = f'<span style="color:{OK_COLOR if passed else FAIL_COLOR}">{"✔" if passed else "✘"}</span>'
        # Cells need their own padding: JupyterLab's output area resets table cell spacing.
        wrap = ";white-space:pre-wrap" if "\n" in message else ""  # a coach's fix under its verdict
        rows.append(f'<tr><td style="padding:1px 6px 1px 0">{mark}</td>'
                    f'<td style="padding:1px 12px 1px 0{wrap}">{html.escape(message)}</td>'
                    f'<td style="text-align:right;white-space:nowrap;padding:1px 0">{html.escape(points)}</td></tr>')
    hints = "".join(f'<li>{html.escape(text(result.lang, "hint", n=n, total=len(quiz.hints), text=h))}</li>'
                    for n, h in enumerate(result.hints, 1))
    return (f'<div class="kubenb-quiz" style="border-left:4px solid {color};padding:4px 8px">'
            f'<div style="font-weight:bold;color:{color}">{head}{prompt}</div>'
            f'<table style="border-collapse:collapse">{"".join(rows)}</table>'
            + (f'<ul style="margin:4px 0">{hints}</ul>' if hints else "") + "</div>")


class QuizView(ipywidgets.HTML):
    def __init__(self, result: QuizResult, **kwargs: Any) -> None:
        super().__init__(value=result_html(result), **kwargs)
        self.result = result

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = render_text(self.result)
        bundle["text/html"] = result_html(self.result)
        bundle[MIME_TYPE] = self.result.as_dict()
        return bundle
