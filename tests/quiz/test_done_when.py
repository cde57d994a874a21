"""The issue's scenario: nginx:latest with 1 replica against a quiz for 3 pinned replicas."""

from __future__ import annotations

import pytest

import kubenb.quiz as quiz
from tests.quiz.conftest import deployment

QUIZ = """
id: web
prompt: Run 3 replicas of nginx pinned to a version
wait: 60s
checks:
- rolled_out: deployment/web
  replicas: 3
- image_pinned: deployment/web
hints:
- Compare spec.replicas with the task.
- Use a version tag such as nginx:1.27.
"""


def test_latest_with_one_replica_fails_twice_then_fixing_passes(apply, grade):
    apply(deployment("nginx:latest", 1))
    result = grade(QUIZ)
    assert [c.passed for c in result.checks] == [False, False]
    assert result.checks[0].message == "deployment/web: spec.replicas is 1, expected 3"
    assert result.checks[1].message == ("deployment/web: container nginx uses image 'nginx:latest': the tag "
                                        "latest moves; pin a version such as nginx:1.27")
    assert result.score == 0 and not result.passed
    assert result.hints == ["Compare spec.replicas with the task."]
    with pytest.raises(quiz.QuizFailed) as failure:
        quiz.grading.raise_if_failed(result)
    assert str(failure.value) == "web: 0/2 points; deployment/web: spec.replicas is 1, expected 3"
    assert "\n" not in str(failure.value)

    apply(deployment("nginx:1.27", 3), wait=0)
    result = grade(QUIZ)  # the quiz's wait lets the rollout finish
    assert [c.passed for c in result.checks] == [True, True]
    assert result.checks[0].message == "deployment/web: rolled out, 3/3 ready, 3 updated, 3 available"
    assert result.score == 2 and result.passed and result.hints == []
    assert quiz.render_text(result) == (
        "web: 2/2 points - Run 3 replicas of nginx pinned to a version\n"
        "  ✔ deployment/web: rolled out, 3/3 ready, 3 updated, 3 available  [1/1]\n"
        "  ✔ deployment/web: every image is pinned (nginx:1.27)  [1/1]\n")


def test_hints_are_revealed_one_per_failed_attempt(apply, grade):
    apply(deployment("nginx:latest", 1))
    assert grade(QUIZ).hints == ["Compare spec.replicas with the task."]
    assert grade(QUIZ).hints == ["Compare spec.replicas with the task.", "Use a version tag such as nginx:1.27."]
    assert len(grade(QUIZ).hints) == 2


def test_image_typo_is_explained_from_pod_states(apply, grade):
    apply(deployment("ngnix:1.14", 3))
    result = grade("id: q\nchecks:\n- rolled_out: deployment/web\n")
    assert result.checks[0].message == ("deployment/web: 0/3 ready (3 updated, 0 available); 3 Pod(s) in "
                                        "ImagePullBackOff: image 'ngnix:1.14' not found")


def test_japanese_feedback(apply, grade):
    apply(deployment("nginx:latest", 1))
    result = grade(QUIZ, lang="ja")
    assert result.checks[0].message == "deployment/web: spec.replicas は 1 ですが、3 であるべきです"
    assert quiz.render_text(result).startswith("web: 0/2 点 - ")
