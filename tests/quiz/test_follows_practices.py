"""follows_practices: the anti-pattern coach as a quiz check, its feedback the coach's own text."""

from __future__ import annotations

import pytest

import kubenb.quiz as quiz
from kubenb.quiz.grading import failure_line, render_text
from tests.quiz.conftest import deployment

GOOD_EXTRA = ("        resources:\n          requests: {cpu: 100m, memory: 64Mi}\n"
              "          limits: {cpu: 200m, memory: 128Mi}\n"
              "        readinessProbe: {httpGet: {path: /, port: 80}}\n"
              "        livenessProbe: {httpGet: {path: /, port: 80}}\n")


def one(result):
    assert len(result.checks) == 1
    return result.checks[0]


def test_a_deployment_that_follows_the_practices_passes(apply, grade):
    apply(deployment("nginx:1.27", 2, GOOD_EXTRA))
    check = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n"))
    assert check.passed and check.message == "deployment/web: no anti-pattern found (checked: all)"
    listed = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: [latest-tag, 4, 8]\n"))
    assert listed.passed
    assert listed.message == "deployment/web: no anti-pattern found (checked: latest-tag, no-resources, no-probes)"


def test_failing_explains_with_the_coach_risk_and_fix(apply, grade):
    apply(deployment("nginx:latest", 2))
    result = grade("id: q\nchecks:\n- follows_practices: deployment/web\n")
    check = one(result)
    assert not check.passed and check.points == 0
    verdict, fix = check.message.split("\n", 1)
    assert verdict.startswith("deployment/web: No resource requests/limits (anti-pattern 4): Container nginx has "
                              "no requests and limits. The scheduler cannot reserve room")
    assert verdict.endswith("; 2 more: Image without a fixed tag (anti-pattern 5); No health checks (anti-pattern 8)")
    assert fix.startswith("Fix: Give every container requests and limits:\n  resources:\n")
    assert check.evidence == ["No resource requests/limits (anti-pattern 4)",
                              "Image without a fixed tag (anti-pattern 5)", "No health checks (anti-pattern 8)"]
    # Plain text: the fix is indented under its verdict; the grader's error stays one line.
    text = render_text(result)
    assert "  ✘ deployment/web: No resource requests/limits (anti-pattern 4): " in text
    assert "  [0/1]\n    Fix: Give every container requests and limits:\n      resources:\n" in text
    assert failure_line(result) == "q: 0/1 points; " + verdict
    with pytest.raises(quiz.QuizFailed) as failed:
        quiz.grading.raise_if_failed(result)
    assert "\n" not in str(failed.value)


def test_only_the_listed_anti_patterns_count(apply, grade):
    apply(deployment("nginx:latest", 1, GOOD_EXTRA))
    assert one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: [no-resources, 8]\n")).passed
    pinned = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: 5\n"))
    assert not pinned.passed
    assert pinned.message.startswith("deployment/web: Image without a fixed tag (anti-pattern 5): Container nginx "
                                     "runs nginx:latest")
    assert pinned.message.endswith("Fix: Use a unique, meaningful tag (a version, build date or commit hash), or a "
                                   "digest, and never change an image after it was deployed:\n  image: nginx:<version>")


def test_drift_is_the_seventh(cluster, apply, grade):
    apply(deployment("nginx:1.27", 2, GOOD_EXTRA))
    cluster.kubectl("scale deployment web --replicas=5")
    check = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: [7]\n"))
    assert not check.passed
    assert check.message.startswith("deployment/web: Changed by hand with kubectl edit/patch (anti-pattern 7): "
                                    "deployment/web no longer matches the configuration last applied from its "
                                    "manifest (configuration drift): spec.replicas: 2 (applied) -> 5 (live) ")


def test_japanese(apply, grade):
    apply(deployment("nginx", 1, GOOD_EXTRA))
    check = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n", lang="ja"))
    assert check.message.startswith("deployment/web: 固定されたタグのないイメージ（アンチパターン5）。コンテナ nginx は "
                                    "nginx を使っています。")
    assert "\n対策: バージョン・ビルド日時" in check.message
    apply(deployment("nginx:1.27", 1, GOOD_EXTRA))
    ok = one(grade("id: q\nchecks:\n- follows_practices: deployment/web\n", lang="ja"))
    assert ok.message == "deployment/web: アンチパターンは見つかりません（点検: すべて）"


def test_missing_object_and_unknown_anti_pattern(grade):
    assert one(grade("id: q\nchecks:\n- follows_practices: deployment/none\n")).message == (
        "deployment/none: not found in namespace default")
    with pytest.raises(quiz.QuizError, match=r"^kubenb: quiz: follows_practices: 'typo' is not an anti-pattern "):
        grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: [typo]\n")
    with pytest.raises(quiz.QuizError, match="is not an anti-pattern"):
        grade("id: q\nchecks:\n- follows_practices: deployment/web\n  avoid: [11]\n")
