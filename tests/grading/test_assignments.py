"""The worked assignments really grade: nbgrader autograde, otter-grader and `kubenb grade` agree.

The notebook runs (fresh kernels) are slow, so they are marked ``slow``; the quick tests check the
committed notebooks are what the builder and nbgrader produce.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "notebooks" / "assignments"
spec = importlib.util.spec_from_file_location("kubenb_assignment_build", ASSIGNMENTS / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(list(argv), cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _kubenb_grade(paths: list[Path], outdir: Path) -> dict:
    _run(sys.executable, "-m", "kubenb", "grade", *map(str, paths), "-o", str(outdir), cwd=outdir.parent)
    return json.loads((outdir / "scores.json").read_text())


def _sources(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells]


# --- quick: the committed notebooks are current ------------------------------------------------------------


def test_committed_source_and_submissions_match_the_builder():
    source = ASSIGNMENTS / "nbgrader" / "source" / "deploy-basics" / "deploy-basics.ipynb"
    assert _sources(source) == [c.source for c in build.nbgrader_source().cells]
    release = nbformat.read(ASSIGNMENTS / "nbgrader" / "release" / "deploy-basics" / "deploy-basics.ipynb", 4)
    assert "BEGIN HIDDEN TESTS" not in json.dumps([c.source for c in release.cells])
    assert "BEGIN SOLUTION" not in json.dumps([c.source for c in release.cells])
    for student, answers in build.SUBMISSIONS.items():
        path = ASSIGNMENTS / "nbgrader" / "submitted" / student / "deploy-basics" / "deploy-basics.ipynb"
        assert _sources(path) == [c.source for c in build.fill(release, answers).cells], student
    master = ASSIGNMENTS / "otter" / "services-master.ipynb"
    assert _sources(master) == [c.source for c in build.otter_master().cells]


# --- slow: real graders ------------------------------------------------------------------------------------------


needs_nbgrader = pytest.mark.skipif(shutil.which("nbgrader") is None, reason="nbgrader is not installed")
needs_otter = pytest.mark.skipif(shutil.which("otter") is None, reason="otter-grader is not installed")


@pytest.fixture
def course(tmp_path):
    """A copy of the nbgrader course with its release generated again (and the gradebook made)."""
    course = tmp_path / "course"
    shutil.copytree(ASSIGNMENTS / "nbgrader", course, ignore=shutil.ignore_patterns("gradebook.db"))
    shutil.rmtree(course / "release")
    _run("nbgrader", "generate_assignment", "deploy-basics", "--force", cwd=course)
    return course


@pytest.mark.slow
@needs_nbgrader
def test_nbgrader_release_autograde_and_kubenb_grade_agree(course):
    generated = course / "release" / "deploy-basics" / "deploy-basics.ipynb"
    committed = ASSIGNMENTS / "nbgrader" / "release" / "deploy-basics" / "deploy-basics.ipynb"
    assert _sources(generated) == _sources(committed)
    _run("nbgrader", "autograde", "deploy-basics", "--force", cwd=course)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        nbgrader_scores = {
            student: {g.name: g.score for g in gradebook.find_submission("deploy-basics", student).notebooks[0].grades}
            for student in build.EXPECTED_NBGRADER}
    assert nbgrader_scores == build.EXPECTED_NBGRADER
    # The failing test cells carry one QuizFailed line each, and nothing went to stderr.
    autograded = course / "autograded" / "latest-one-replica" / "deploy-basics" / "deploy-basics.ipynb"
    outputs = [o for c in nbformat.read(autograded, 4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    errors = [o["traceback"] for o in outputs if o["output_type"] == "error"]
    assert errors == [["QuizFailed: q1-deployment: 0/2 points; deployment/web: spec.replicas is 1, expected 3"],
                      ["QuizFailed: q2-service: 0/2 points; service/web: 1 ready endpoints, expected 3"]]
    # kubenb grade runs the same (autograded, hidden tests restored) notebooks again.
    paths = [course / "autograded" / s / "deploy-basics" / "deploy-basics.ipynb" for s in build.EXPECTED_NBGRADER]
    scores = _kubenb_grade(paths, course / "kubenb-grades")
    assert {Path(nb).parts[-3]: {q: v["score"] for q, v in data["questions"].items()}
            for nb, data in scores.items()} == build.EXPECTED_NBGRADER
    assert (course / "kubenb-grades" / "scores.csv").read_text().startswith(
        "notebook,question,score,max_score,passed,tampered\n")
    gradescope = json.loads((course / "kubenb-grades" / "results.json").read_text())
    assert gradescope["score"] == sum(sum(q.values()) for q in build.EXPECTED_NBGRADER.values())


@pytest.mark.slow
@needs_nbgrader
def test_nbgrader_validate(course):
    good = course / "submitted" / "solution" / "deploy-basics" / "deploy-basics.ipynb"
    bad = course / "submitted" / "latest-one-replica" / "deploy-basics" / "deploy-basics.ipynb"
    assert "Success! Your notebook passes all the tests." in _run("nbgrader", "validate", str(good),
                                                                   cwd=course).stdout
    out = _run("nbgrader", "validate", str(bad), cwd=course).stdout
    assert "VALIDATION FAILED" in out and "QuizFailed: q1-deployment: 0/2 points" in out


@pytest.mark.slow
@needs_otter
def test_otter_assign_run_and_kubenb_grade_agree(tmp_path):
    shutil.copy(ASSIGNMENTS / "otter" / "services-master.ipynb", tmp_path)
    _run("otter", "assign", "services-master.ipynb", "dist", cwd=tmp_path)
    student = nbformat.read(tmp_path / "dist" / "student" / "services-master.ipynb", 4)
    assert "q1-pinned" not in json.dumps(student.metadata["otter"])  # the hidden test stays out
    (autograder,) = (tmp_path / "dist" / "autograder").glob("*.zip")
    otter_scores = {}
    masters = []
    for name, answers in build.OTTER_SUBMISSIONS.items():
        submission = tmp_path / f"{name}.ipynb"
        nbformat.write(build.otter_submission(student, answers), submission)
        outdir = tmp_path / f"otter-{name}"
        outdir.mkdir()
        _run("otter", "run", "-a", str(autograder), "-o", str(outdir), str(submission), cwd=tmp_path)
        results = json.loads((outdir / "results.json").read_text())
        otter_scores[name] = {t["name"]: t["score"] for t in results["tests"] if "score" in t}
        master = tmp_path / "masters" / f"{name}.ipynb"
        master.parent.mkdir(exist_ok=True)
        nbformat.write(build.otter_master_submission(answers), master)
        masters.append(master)
    assert otter_scores == build.EXPECTED_OTTER
    scores = _kubenb_grade(masters, tmp_path / "kubenb-grades")
    assert {Path(nb).stem: {q: v["score"] for q, v in data["questions"].items()}
            for nb, data in scores.items()} == build.EXPECTED_OTTER_QUIZZES
