"""What a quiz is: its YAML form, the results of its checks, and the error a failing quiz raises.

A quiz (the body of a ``%%quiz`` cell, or the string/dict given to ``kubenb.quiz.check``)::

    id: q1
    prompt: Run 3 replicas of nginx, pinned to a version.
    points: 2            # the quiz's total; checks without points share it equally
    partial: true        # false: all checks must pass for any points (one nbgrader test cell)
    wait: 60s            # optional: let virtual time pass (like kubectl wait) until the checks pass
    checks:
    - rolled_out: deployment/web
      replicas: 3
    - image_pinned: deployment/web
      hidden: true       # graded, but shown only as "(hidden check)"
    - follows_practices: deployment/web
      avoid: [latest-tag, 4]   # the coach (%kubenb lint) finds none of these; without avoid: none at all
    hints:
    - Look at spec.replicas.
    - Use a tag such as nginx:1.27.

Each check is a mapping with exactly one check name (``checks.CHECKS``) whose
value is its target, plus that check's options and the common ``points``,
``hidden`` and ``namespace``. Mistakes in a quiz are the teacher's, so they
raise ``QuizError`` with a ``kubenb:`` message naming the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

COMMON_OPTIONS = ("points", "hidden", "namespace")


class QuizError(ValueError):
    """The quiz itself is malformed (a teacher's mistake)."""


class QuizFailed(AssertionError):
    """A quiz whose checks did not all pass: one line, so graders show one clear error."""

    def __init__(self, message: str, result: QuizResult | None = None) -> None:
        super().__init__(message)
        self.result = result

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"QuizFailed: {self}"]


@dataclass(frozen=True)
class CheckSpec:
    kind: str
    target: Any
    options: dict[str, Any]
    points: float
    hidden: bool = False
    namespace: str = "default"


@dataclass(frozen=True)
class Quiz:
    id: str
    prompt: str
    points: float
    checks: tuple[CheckSpec, ...]
    hints: tuple[str, ...] = ()
    partial: bool = True
    wait: float = 0.0


@dataclass
class CheckResult:
    kind: str
    passed: bool
    message: str
    points: float
    max_points: float
    hidden: bool = False
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.kind, "passed": self.passed, "message": self.message, "points": self.points,
                "max_points": self.max_points, "hidden": self.hidden, "evidence": list(self.evidence)}


@dataclass
class QuizResult:
    quiz: Quiz
    checks: list[CheckResult]
    score: float
    hints: list[str]  # the hints revealed so far (one more after each failed attempt)
    lang: str = "en"
    tampered: int = 0

    @property
    def passed(self) -> bool:
        return self.score >= self.quiz.points and all(c.passed for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.quiz.id, "prompt": self.quiz.prompt, "score": self.score,
                "max_score": self.quiz.points, "passed": self.passed, "tampered": self.tampered,
                "checks": [c.as_dict() for c in self.checks], "hints": list(self.hints)}


@dataclass
class Environment:
    """What checks read: the cluster's API client, its network, time, and the notebook's answers."""

    client: Any  # kubenb.api.Client
    request: Callable[..., Any] | None = None  # cluster.request(url, from_pod=..., method=...)
    wait: Callable[[Callable[[], bool], float], bool] | None = None  # cluster.run_until
    writes_behind_kubectl: Callable[[], int] = lambda: 0
    answers: Mapping[str, Any] = field(default_factory=dict)
    lang: str = "en"
    attempts: dict[str, int] = field(default_factory=dict)  # failed attempts per quiz id (hints)


def parse_duration(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", str(value))
    if not match:
        raise QuizError(f"kubenb: quiz: wait must be a duration such as 30s or 2m, not {value!r}")
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[match.group(2)]
    return float(match.group(1)) * scale


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise QuizError(f"kubenb: quiz: {what} must be a number of points (0 or more), not {value!r}")
    return float(value)


def parse(source: str | Mapping[str, Any], known_checks: Mapping[str, Any]) -> Quiz:
    """A Quiz from YAML text or a mapping; raises QuizError for a malformed quiz."""
    if isinstance(source, str):
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" on line {mark.line + 1}" if mark is not None else ""
            raise QuizError(f"kubenb: quiz: the YAML is broken{where}: "
                            f"{getattr(error, 'problem', None) or error}") from None
    else:
        data = dict(source)
    if not isinstance(data, dict):
        raise QuizError("kubenb: quiz: a quiz is a YAML mapping with id, checks and points")
    unknown = sorted(set(data) - {"id", "prompt", "points", "checks", "hints", "partial", "wait"})
    if unknown:
        raise QuizError(f"kubenb: quiz: unknown key {unknown[0]!r} (known: id, prompt, points, checks, hints, "
                        "partial, wait)")
    quiz_id = str(data.get("id") or "")
    if not quiz_id:
        raise QuizError("kubenb: quiz: the quiz needs an id (id: q1)")
    raw_checks = data.get("checks")
    if not isinstance(raw_checks, list) or not raw_checks:
        raise QuizError(f"kubenb: quiz {quiz_id}: checks must be a non-empty list")
    specs: list[tuple[str, Any, dict[str, Any], float | None, bool, str]] = []
    for index, raw in enumerate(raw_checks, 1):
        if not isinstance(raw, dict):
            raise QuizError(f"kubenb: quiz {quiz_id}: check {index} must be a mapping such as "
                            "{rolled_out: deployment/web}")
        kinds = [key for key in raw if key in known_checks]
        if len(kinds) != 1:
            names = ", ".join(sorted(known_checks))
            raise QuizError(f"kubenb: quiz {quiz_id}: check {index} must name exactly one check ({names})")
        kind = kinds[0]
        options = {k: v for k, v in raw.items() if k != kind and k not in COMMON_OPTIONS}
        allowed = set(getattr(known_checks[kind], "options", ()))
        extra = sorted(set(options) - allowed)
        if extra:
            raise QuizError(f"kubenb: quiz {quiz_id}: check {index} ({kind}) does not know {extra[0]!r} "
                            f"(it knows: {', '.join(sorted(allowed | set(COMMON_OPTIONS)))})")
        points = None if raw.get("points") is None else _number(raw["points"], f"check {index} points")
        specs.append((kind, raw[kind], options, points, bool(raw.get("hidden", False)),
                      str(raw.get("namespace") or "default")))
    given = sum(s[3] for s in specs if s[3] is not None)
    unpointed = [s for s in specs if s[3] is None]
    if data.get("points") is None:
        total = given + len(unpointed)  # a point per check by default
    else:
        total = _number(data["points"], "points")
    share = (total - given) / len(unpointed) if unpointed else 0.0
    if share < 0:
        raise QuizError(f"kubenb: quiz {quiz_id}: the checks' points add up to more than points: {total:g}")
    checks = tuple(CheckSpec(kind, target, options, share if points is None else points, hidden, ns)
                   for kind, target, options, points, hidden, ns in specs)
    if unpointed == [] and abs(given - total) > 1e-9:
        raise QuizError(f"kubenb: quiz {quiz_id}: the checks' points add up to {given:g}, not points: {total:g}")
    hints = data.get("hints") or []
    if not isinstance(hints, list):
        raise QuizError(f"kubenb: quiz {quiz_id}: hints must be a list of strings")
    return Quiz(quiz_id, str(data.get("prompt") or ""), total, checks, tuple(str(h) for h in hints),
                bool(data.get("partial", True)), parse_duration(data.get("wait", 0)))
