"""The course's final assignment (Deployment, Service, Ingress) grades as intended under nbgrader.

Quick: the committed source, release and prepared submissions are what build_final.py and nbgrader
make. Slow: nbgrader autograde of the prepared submissions gives the scores in build_final.EXPECTED.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "notebooks" / "assignments"
spec = importlib.util.spec_from_file_location("kubenb_final_build", ASSIGNMENTS / "build_final.py")
build_final = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_final)
NAME = build_final.NAME


def _sources(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells]


def test_committed_source_release_and_submissions_match_the_builder():
    source = ASSIGNMENTS / "nbgrader" / "source" / NAME / f"{NAME}.ipynb"
    assert _sources(source) == [c.source for c in build_final.source_notebook().cells]
    release = nbformat.read(ASSIGNMENTS / "nbgrader" / "release" / NAME / f"{NAME}.ipynb", 4)
    text = json.dumps([c.source for c in release.cells])
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert "correct: b" not in text and "shop.default.svc.cluster.local." not in text
    for student, answers in build_final.SUBMISSIONS.items():
        path = ASSIGNMENTS / "nbgrader" / "submitted" / student / NAME / f"{NAME}.ipynb"
        assert _sources(path) == [c.source for c in build_final.fill(release, answers).cells], student
    assert set(build_final.SUBMISSIONS) == set(build_final.EXPECTED)
    # Every graded cell's points add up to the 10 the introduction promises.
    points = [c.metadata["nbgrader"].get("points", 0) for c in release.cells if c.metadata["nbgrader"]["grade"]]
    assert sum(points) == 10


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nbgrader") is None, reason="nbgrader is not installed")
def test_nbgrader_autograde_gives_the_expected_scores(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ASSIGNMENTS / "nbgrader", course, ignore=shutil.ignore_patterns("gradebook.db"))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for argv in (["nbgrader", "generate_assignment", NAME, "--force"], ["nbgrader", "autograde", NAME, "--force"]):
        done = subprocess.run(argv, cwd=course, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
    assert _sources(course / "release" / NAME / f"{NAME}.ipynb") == _sources(
        ASSIGNMENTS / "nbgrader" / "release" / NAME / f"{NAME}.ipynb")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: {g.name: g.score for g in gradebook.find_submission(NAME, student).notebooks[0].grades}
                  for student in build_final.EXPECTED}
    assert scores == build_final.EXPECTED
