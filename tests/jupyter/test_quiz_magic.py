"""%%quiz and kubenb.quiz.check in a notebook: feedback, one-line failure, nothing on stderr, tampering."""

from __future__ import annotations

import kubenb.quiz as quiz
from kubenb.jupyter.widgets.quiz import QuizView

DEPLOYMENT = ("%%manifest\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
              "  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n"
              "      labels: {{app: web}}\n    spec:\n      containers:\n      - name: nginx\n"
              "        image: {image}\n")
QUIZ = ("%%quiz\nid: q1\nwait: 60s\nchecks:\n- rolled_out: deployment/web\n  replicas: 3\n"
        "- image_pinned: deployment/web\nhints: [Look at spec.replicas.]\n")


def test_failing_quiz_is_one_error_line_and_no_stderr(ip, capsys):
    ip.run_cell(DEPLOYMENT.format(replicas=1, image="nginx:latest"))
    capsys.readouterr()
    result = ip.run_cell(QUIZ)
    out, err = capsys.readouterr()
    assert err == ""
    assert isinstance(result.error_in_exec, quiz.QuizFailed)
    assert result.error_in_exec._render_traceback_() == [
        "QuizFailed: q1: 0/2 points; deployment/web: spec.replicas is 1, expected 3"]
    assert "  ✘ deployment/web: spec.replicas is 1, expected 3  [0/1]\n" in out
    assert "  hint 1/1: Look at spec.replicas.\n" in out
    assert "Traceback" not in out

    ip.run_cell(DEPLOYMENT.format(replicas=3, image="nginx:1.27"))
    capsys.readouterr()
    result = ip.run_cell(QUIZ)
    out, err = capsys.readouterr()
    assert result.error_in_exec is None and err == ""
    assert "q1: 2/2 points\n  ✔ deployment/web: rolled out, 3/3 ready, 3 updated, 3 available  [1/1]\n" in out


def test_python_api_uses_the_kernel_cluster_and_notebook_variables(ip, capsys):
    ip.run_cell('import kubenb.quiz\nanswer = "b"')
    result = ip.run_cell("kubenb.quiz.check('id: c\\nchecks:\\n- choice: answer\\n  correct: b\\n')")
    assert result.error_in_exec is None and result.result is None
    assert "✔ answer: 'b' is right" in capsys.readouterr().out
    result = ip.run_cell("kubenb.quiz.check('id: c\\nchecks:\\n- choice: answer\\n  correct: a\\n')")
    assert isinstance(result.error_in_exec, quiz.QuizFailed)


def test_language_follows_kubenb_lang(ip, capsys):
    ip.run_line_magic("kubenb", "lang ja")
    ip.run_cell(QUIZ)
    out, err = capsys.readouterr()
    assert "✘ deployment/web: 名前空間 default に見つかりません" in out and err == ""


def test_writes_from_python_are_detected_but_magics_are_not(ip, session, capsys):
    ip.run_cell(DEPLOYMENT.format(replicas=3, image="nginx:1.27"))
    ip.run_cell("%kubectl scale deployment web --replicas=3")
    ip.run_cell(QUIZ)
    assert "q1: 2/2 points" in capsys.readouterr().out
    ip.run_cell("import kubenb\nkubenb.current().client.patch('deployments', 'web', 'default', "
                "{'spec': {'template': {'metadata': {'labels': {'app': 'web', 'x': 'y'}}}}})")
    result = ip.run_cell(QUIZ)
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, quiz.QuizFailed)
    assert "q1: 0/2 points" in out
    assert ("✘ the cluster was changed 1 time(s) from Python, not with kubectl or %%manifest; the quiz does "
            "not count such changes (start again with %kubenb reset)") in out
    # A client renamed "kubectl" does not hide the write either.
    session.cluster.client.for_component("kubectl").delete("deployments", "web", "default")
    assert session.cluster.writes_behind_kubectl() == 2


def test_malformed_quiz_is_one_kubenb_line(ip, capsys):
    result = ip.run_cell("%%quiz\nid: q\nchecks: nope\n")
    assert result.error_in_exec._render_traceback_() == ["kubenb: quiz q: checks must be a non-empty list"]
    assert capsys.readouterr().err == ""


def test_widget_bundle_has_plain_text_html_and_result(ip, session):
    env = quiz.environment_for(session.cluster)
    result = quiz.evaluate(quiz.load("id: q\npoints: 2\nchecks:\n- exists: namespace/default\n"), env)
    bundle = QuizView(result)._repr_mimebundle_()
    assert bundle["text/plain"] == "q: 2/2 points\n  ✔ namespace/default exists  [2/2]\n"
    assert "✔" in bundle["text/html"] and "namespace/default exists" in bundle["text/html"]
    assert bundle[quiz.MIME_TYPE]["score"] == 2 and bundle[quiz.MIME_TYPE]["passed"] is True
    assert "application/vnd.jupyter.widget-view+json" in bundle
