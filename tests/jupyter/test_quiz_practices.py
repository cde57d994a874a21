"""A %%quiz cell with follows_practices under a grader: one QuizFailed line, the coach's fix in the feedback."""

from __future__ import annotations

import kubenb.quiz as quiz

DEPLOYMENT = ("%%manifest\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
              "  replicas: 1\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n"
              "      labels: {{app: web}}\n    spec:\n      containers:\n      - name: nginx\n"
              "        image: {image}\n        resources:\n          requests: {{cpu: 100m, memory: 64Mi}}\n"
              "          limits: {{cpu: 200m, memory: 128Mi}}\n"
              "        readinessProbe: {{httpGet: {{path: /, port: 80}}}}\n"
              "        livenessProbe: {{httpGet: {{path: /, port: 80}}}}\n")
QUIZ = "%%quiz\nid: practices\nchecks:\n- follows_practices: deployment/web\n"


def test_failing_then_fixed(ip, capsys):
    ip.run_cell(DEPLOYMENT.format(image="nginx:latest"))
    capsys.readouterr()
    result = ip.run_cell(QUIZ)
    out, err = capsys.readouterr()
    assert err == "" and isinstance(result.error_in_exec, quiz.QuizFailed)
    assert result.error_in_exec._render_traceback_() == [
        "QuizFailed: practices: 0/1 points; deployment/web: Image without a fixed tag (anti-pattern 5): Container "
        "nginx runs nginx:latest, which means \"whatever latest is when the node pulls\". A rescheduled Pod can "
        "start a different version than its siblings, and neither the cause of a failure nor a rollback target "
        "is clear."]
    assert "    Fix: Use a unique, meaningful tag" in out and "      image: nginx:<version>\n" in out
    data = result.error_in_exec.result.as_dict()
    assert data["score"] == 0 and data["checks"][0]["check"] == "follows_practices"

    ip.run_cell(DEPLOYMENT.format(image="nginx:1.27"))
    capsys.readouterr()
    result = ip.run_cell(QUIZ)
    out, err = capsys.readouterr()
    assert result.error_in_exec is None and err == ""
    assert "  ✔ deployment/web: no anti-pattern found (checked: all)  [1/1]\n" in out
