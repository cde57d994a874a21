"""Running a quiz and scoring it; the plain-text feedback; score files for graders.

``evaluate`` runs every check (after an optional ``wait`` of virtual time,
like ``kubectl wait``), adds up points (all or nothing when ``partial: false``),
reveals one more hint per failed attempt, and voids the score when the cluster
was changed from Python behind kubectl's back. ``raise_if_failed`` turns a
failing result into one ``QuizFailed`` line: an error output, which is how
nbgrader (0 points for the cell), otter-grader and pytest see a failed test.

``render_text`` is the plain-text form of the feedback; the widget shows the
same lines. Score files: ``write_scores`` (JSON and CSV, one row per notebook
and question) and ``gradescope_results`` (Gradescope's ``results.json``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from kubenb.quiz import checks
from kubenb.quiz.messages import text
from kubenb.quiz.model import CheckResult, Environment, Quiz, QuizFailed, QuizResult, parse

MIME_TYPE = "application/vnd.kubenb.quiz+json"  # the machine-readable result in a cell's output


def load(source: str | Mapping[str, Any]) -> Quiz:
    return parse(source, checks.CHECKS)


def evaluate(quiz: Quiz, env: Environment) -> QuizResult:
    def run_all() -> list[CheckResult]:
        return [checks.run_check(env, spec) for spec in quiz.checks]

    results = run_all()
    if quiz.wait > 0 and env.wait is not None and not all(r.passed for r in results):
        env.wait(lambda: all(r.passed for r in run_all()), quiz.wait)
        results = run_all()
    score = sum(r.points for r in results)
    if not quiz.partial and not all(r.passed for r in results):
        score = 0.0
    tampered = env.writes_behind_kubectl()
    if tampered:
        score = 0.0
        results.append(CheckResult("integrity", False, text(env.lang, "tamper", count=tampered), 0.0, 0.0))
    passed = all(r.passed for r in results)
    if not passed:
        env.attempts[quiz.id] = env.attempts.get(quiz.id, 0) + 1
    # One more hint per failed attempt; none once the quiz passes.
    shown = 0 if passed else min(env.attempts.get(quiz.id, 0), len(quiz.hints))
    return QuizResult(quiz, results, round(score, 6), list(quiz.hints[:shown]), env.lang, tampered)


def check_lines(result: QuizResult) -> list[tuple[bool, str, str]]:
    """(passed, message, points) per check as a student sees it (hidden checks masked)."""
    lines = []
    for check in result.checks:
        message = text(result.lang, "hidden") if check.hidden else check.message
        points = f"{check.points:g}/{check.max_points:g}" if check.max_points else ""
        lines.append((check.passed, message, points))
    return lines


def render_text(result: QuizResult) -> str:
    quiz = result.quiz
    out = [text(result.lang, "summary", id=quiz.id, score=result.score, points=quiz.points)
           + (f" - {quiz.prompt}" if quiz.prompt else "")]
    for passed, message, points in check_lines(result):
        # A message's first line is the verdict; further lines (a coach's fix) are indented under it.
        first, *more = message.split("\n")
        out.append(f"  {'✔' if passed else '✘'} {first}" + (f"  [{points}]" if points else ""))
        out += [f"    {line}" for line in more]
    for n, hint in enumerate(result.hints, 1):
        out.append("  " + text(result.lang, "hint", n=n, total=len(quiz.hints), text=hint))
    return "\n".join(out) + "\n"


def failure_line(result: QuizResult) -> str:
    first = next((m.split("\n", 1)[0] for passed, m, _ in check_lines(result) if not passed), "")
    return text(result.lang, "failed", id=result.quiz.id, score=result.score, points=result.quiz.points,
                first=first)


def raise_if_failed(result: QuizResult) -> None:
    if not result.passed:
        raise QuizFailed(failure_line(result), result)


# --- score files -----------------------------------------------------------------------------------------


def notebook_scores(quiz_outputs: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-question scores from a notebook's quiz results (the last run of each id counts)."""
    scores: dict[str, dict[str, Any]] = {}
    for result in quiz_outputs:
        scores[str(result["id"])] = {"score": float(result["score"]), "max_score": float(result["max_score"]),
                                     "passed": bool(result["passed"]), "tampered": int(result.get("tampered", 0)),
                                     "checks": list(result.get("checks", []))}
    return scores


def write_scores(graded: Mapping[str, Mapping[str, dict[str, Any]]]) -> tuple[str, str]:
    """(JSON text, CSV text) for {notebook: {question: score dict}}."""
    data = {nb: {"total": sum(q["score"] for q in qs.values()),
                 "max_total": sum(q["max_score"] for q in qs.values()),
                 "questions": {qid: {k: v for k, v in q.items() if k != "checks"} for qid, q in qs.items()}}
            for nb, qs in graded.items()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["notebook", "question", "score", "max_score", "passed", "tampered"])
    for nb, qs in graded.items():
        for qid, q in qs.items():
            writer.writerow([nb, qid, f"{q['score']:g}", f"{q['max_score']:g}", q["passed"], q["tampered"]])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", buffer.getvalue()


def gradescope_results(questions: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Gradescope's results.json for one submission: a test per question, hidden checks not described."""
    tests = []
    for qid, q in questions.items():
        lines = []
        for c in q.get("checks", []):
            message = "(hidden check)" if c.get("hidden") else c.get("message", "")
            lines.append(f"{'✔' if c.get('passed') else '✘'} {message}")
        tests.append({"name": qid, "score": q["score"], "max_score": q["max_score"],
                      "status": "passed" if q["passed"] else "failed", "output": "\n".join(lines),
                      "visibility": "visible"})
    return {"score": sum(q["score"] for q in questions.values()), "tests": tests}
