"""Helpers for quiz tests: apply manifests through kubectl (as a student would) and build quizzes."""

from __future__ import annotations

import pytest

import kubenb.quiz as quiz


def deployment(image: str = "nginx:1.27", replicas: int = 3, extra: str = "") -> str:
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n"
            "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
            f"    spec:\n      containers:\n      - name: nginx\n        image: {image}\n{extra}")


@pytest.fixture
def apply(cluster):
    def run(text: str, wait: float = 60.0) -> None:
        cluster.files["x.yaml"] = text
        outcome = cluster.kubectl("apply -f x.yaml")
        assert outcome.exit_code == 0, outcome.stderr
        cluster.advance(wait)

    return run


@pytest.fixture
def grade(cluster):
    """grade(quiz_yaml, answers=None, lang="en") -> QuizResult over the test's cluster."""
    attempts: dict[str, int] = {}

    def run(text: str, answers: dict | None = None, lang: str = "en") -> quiz.QuizResult:
        env = quiz.environment_for(cluster, answers or {}, lang, attempts)
        return quiz.evaluate(quiz.load(text), env)

    return run
