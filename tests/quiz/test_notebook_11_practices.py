"""Notebook 11's last quiz: follows_practices passes on the shop Deployment the notebook leaves behind.

Runs the notebook's code cells in order through the same functions the magics call (kubectl and
manifest cells think first, as in the kernel), and evaluates each %%quiz cell where it stands.
"""

from __future__ import annotations

import kubenb.quiz as quiz
from kubenb.jupyter.control import run_control
from kubenb.jupyter.session import Session
from tests.notebook_cells import notebook_11_cells, run_code_cell


def test_the_fixed_shop_follows_the_practices_at_the_end_of_the_notebook(capsys):
    cells = notebook_11_cells()
    session = Session()
    run_control(session, "reset --seed 0")
    answers: dict = {}
    results = {}
    for cell in cells:
        if "code" in cell:
            code = cell["code"] if isinstance(cell["code"], str) else cell["code"]["en"]
            result = run_code_cell(session, code, answers)
            if result is not None:
                results[result.quiz.id] = result
    capsys.readouterr()
    final = results["anti-patterns-practices"]
    assert final.passed, quiz.render_text(final)
    assert [c.message for c in final.checks] == ["deployment/shop: no anti-pattern found (checked: all)"]
    assert results["anti-patterns"].passed, quiz.render_text(results["anti-patterns"])
    # The check has teeth on this very object: a hand-made change is anti-pattern 7.
    session.cluster.kubectl("scale deployment shop --replicas=4")
    env = quiz.environment_for(session.cluster, {}, "en")
    again = quiz.evaluate(quiz.load(cells[-1]["code"].partition("\n")[2]), env)
    assert not again.passed
    assert again.checks[0].message.startswith("deployment/shop: Changed by hand with kubectl edit/patch "
                                              "(anti-pattern 7): ")
