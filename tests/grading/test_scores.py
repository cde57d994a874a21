"""Score files: scores.json, scores.csv and Gradescope's results.json; `kubenb grade` argument errors."""

from __future__ import annotations

import json

from kubenb.__main__ import main
from kubenb.quiz import grading

QUESTIONS = {
    "q1": {"score": 0.0, "max_score": 2.0, "passed": False, "tampered": 0,
           "checks": [{"check": "rolled_out", "passed": False, "message": "deployment/web: spec.replicas is 1, "
                       "expected 3", "hidden": False},
                      {"check": "image_pinned", "passed": True, "message": "secret", "hidden": True}]},
    "q2": {"score": 1.0, "max_score": 1.0, "passed": True, "tampered": 0, "checks": []},
}


def test_scores_json_and_csv():
    json_text, csv_text = grading.write_scores({"a.ipynb": QUESTIONS})
    assert json.loads(json_text) == {"a.ipynb": {"total": 1.0, "max_total": 3.0, "questions": {
        "q1": {"score": 0.0, "max_score": 2.0, "passed": False, "tampered": 0},
        "q2": {"score": 1.0, "max_score": 1.0, "passed": True, "tampered": 0}}}}
    assert csv_text == ("notebook,question,score,max_score,passed,tampered\n"
                        "a.ipynb,q1,0,2,False,0\na.ipynb,q2,1,1,True,0\n")


def test_gradescope_results_hide_hidden_checks():
    results = grading.gradescope_results(QUESTIONS)
    assert results["score"] == 1.0
    assert results["tests"][0] == {"name": "q1", "score": 0.0, "max_score": 2.0, "status": "failed",
                                   "output": "✘ deployment/web: spec.replicas is 1, expected 3\n"
                                             "✔ (hidden check)", "visibility": "visible"}


def test_last_run_of_a_quiz_counts():
    first = {"id": "q1", "score": 0, "max_score": 2, "passed": False, "checks": []}
    second = {"id": "q1", "score": 2, "max_score": 2, "passed": True, "checks": []}
    assert grading.notebook_scores([first, second])["q1"]["score"] == 2.0


def test_grade_missing_notebook_is_one_kubenb_line(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nope.ipynb"), "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"kubenb: cannot read {tmp_path / 'nope.ipynb'}: no such file\n"


def test_grade_collects_quiz_outputs_and_names_tests_per_notebook(tmp_path, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from kubenb.jupyter import grade as grade_module

    def executed(path, timeout=300):
        score = 2 if "good" in str(path) else 0
        result = {"id": "q1", "score": score, "max_score": 2, "passed": score == 2, "tampered": 0, "checks": []}
        cell = new_code_cell("%%quiz", outputs=[new_output("display_data", data={
            "text/plain": "q1", grading.MIME_TYPE: result})])
        return new_notebook(cells=[cell, new_code_cell("x = 1")])

    monkeypatch.setattr(grade_module, "execute", executed)
    paths = [tmp_path / "good" / "hw.ipynb", tmp_path / "bad" / "hw.ipynb"]
    graded = grade_module.grade(paths, tmp_path / "out")
    assert {name: qs["q1"]["score"] for name, qs in graded.items()} == {str(paths[0]): 2.0, str(paths[1]): 0.0}
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert [(t["name"], t["score"]) for t in results["tests"]] == [(f"{paths[0]}:q1", 2.0), (f"{paths[1]}:q1", 0.0)]
    assert nbformat.validate(executed(paths[0])) is None
