"""Build the worked assignments' notebooks (run from the repository root: python3 notebooks/assignments/build.py).

- nbgrader/source/deploy-basics/deploy-basics.ipynb: the instructor's version (solutions, hidden tests);
  nbgrader/release/... is then made by `nbgrader generate_assignment deploy-basics` (see README.md);
- nbgrader/submitted/<student>/deploy-basics/deploy-basics.ipynb: the solution and three typical
  mistakes, made from the release version as a student would fill it in;
- otter/services-master.ipynb: the otter-grader master notebook, and otter/submissions/*.ipynb.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

HERE = Path(__file__).resolve().parent
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def deployment(image: str = "nginx:1.27", replicas: int = 3, requests: bool = True) -> str:
    resources = ("        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n"
                 if requests else "")
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n"
            "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
            f"        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: {image}\n"
            f"        ports:\n        - containerPort: 80\n{resources}")


def service(selector: str = "web", type_: str = "NodePort") -> str:
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: {type_}\n  selector:\n"
            f"    app: {selector}\n  ports:\n  - port: 80\n    targetPort: 80\n")


# --- nbgrader ---------------------------------------------------------------------------------------------


def nbg(cell, grade_id: str, *, solution=False, grade=False, locked=False, points=None, task=False):
    meta = {"schema_version": 3, "grade_id": grade_id, "solution": solution, "grade": grade,
            "locked": locked, "task": task}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


Q1 = """%%quiz
id: q1-deployment
prompt: Deployment web runs 3 ready replicas of nginx, pinned to a version.
points: 2
partial: false
wait: 60s
checks:
- rolled_out: deployment/web
  replicas: 3
- image_pinned: deployment/web
### BEGIN HIDDEN TESTS
- resources: deployment/web
  need: [requests.cpu, requests.memory]
### END HIDDEN TESTS
hints:
- Compare spec.replicas with what the task asks for.
- A tag such as nginx:1.27 pins the version; latest (or no tag) does not.
"""

Q2 = """%%quiz
id: q2-service
prompt: Service web (NodePort) sends traffic to the 3 Pods of deployment/web.
points: 2
partial: false
wait: 60s
checks:
- service: web
  type: NodePort
  endpoints: 3
hints:
- The Service's selector must equal the labels in the Pod template.
"""

Q3 = """%%quiz
id: q3-scheduler
prompt: Which control-plane component chooses the node a Pod runs on?
points: 1
checks:
- choice: answer_q3
  options: {a: kube-apiserver, b: kube-scheduler, c: kubelet, d: etcd}
### BEGIN HIDDEN TESTS
  correct: b
### END HIDDEN TESTS
"""


def nbgrader_source() -> nbformat.NotebookNode:
    cells = [
        nbg(new_markdown_cell("# Assignment: Deployments and Services\n\n"
                              "課題: Deployment と Service（Kubernetes Basics の講義より）。\n\n"
                              "Run the cells in order. Each `%%quiz` cell checks the cluster and shows what is "
                              "right or wrong; run it again after a fix."), "intro", locked=True),
        nbg(new_code_cell("%load_ext kubenb"), "setup", locked=True),
        nbg(new_markdown_cell("## 1. A Deployment (2 points)\n\nWrite a Deployment `web` that runs **3** "
                              "replicas of nginx with the image **pinned to a version** (not `latest`), "
                              "container port 80, and requests of `100m` CPU and `64Mi` memory."),
            "task1", locked=True),
        nbg(new_code_cell("%%manifest\n### BEGIN SOLUTION\n" + deployment() + "### END SOLUTION"),
            "deployment", solution=True),
        nbg(new_code_cell(Q1), "q1-deployment", grade=True, locked=True, points=2),
        nbg(new_markdown_cell("## 2. A Service (2 points)\n\nExpose the Pods of `web` with a Service `web` of "
                              "type **NodePort** on port 80."), "task2", locked=True),
        nbg(new_code_cell("%%manifest\n### BEGIN SOLUTION\n" + service() + "### END SOLUTION"),
            "service", solution=True),
        nbg(new_code_cell(Q2), "q2-service", grade=True, locked=True, points=2),
        nbg(new_markdown_cell("## 3. Concept (1 point)\n\nWhich control-plane component chooses the node a "
                              "new Pod runs on?\n\n- a: kube-apiserver\n- b: kube-scheduler\n- c: kubelet\n"
                              "- d: etcd\n\nSet `answer_q3` to the letter of your answer."), "task3", locked=True),
        nbg(new_code_cell("### BEGIN SOLUTION\nanswer_q3 = \"b\"\n### END SOLUTION"), "answer-q3",
            solution=True),
        nbg(new_code_cell(Q3), "q3-scheduler", grade=True, locked=True, points=1),
    ]
    return _notebook(cells, "deploy-basics")


def _notebook(cells: list, prefix: str) -> nbformat.NotebookNode:
    """A notebook with stable cell ids (a rebuild changes only what changed)."""
    for index, cell in enumerate(cells):
        cell["id"] = f"{prefix}-{index:02d}"
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    return nb


# What a student writes in each solution cell (by grade_id), for the prepared submissions.
SUBMISSIONS = {
    "solution": {"deployment": "%%manifest\n" + deployment(), "service": "%%manifest\n" + service(),
                 "answer-q3": 'answer_q3 = "b"'},
    # image: nginx:latest with 1 replica: q1 fails (replicas, not pinned), so does q2 (1 endpoint of 3).
    "latest-one-replica": {"deployment": "%%manifest\n" + deployment("nginx:latest", 1),
                           "service": "%%manifest\n" + service(), "answer-q3": 'answer_q3 = "b"'},
    # A selector that matches no Pod, and the API server as the scheduler.
    "selector-typo": {"deployment": "%%manifest\n" + deployment(), "service": "%%manifest\n" + service("webb"),
                      "answer-q3": 'answer_q3 = "a"'},
    # Everything visible passes, but the hidden check (resource requests) fails.
    "no-requests": {"deployment": "%%manifest\n" + deployment(requests=False),
                    "service": "%%manifest\n" + service(), "answer-q3": 'answer_q3 = "b"'},
}
EXPECTED_NBGRADER = {"solution": {"q1-deployment": 2, "q2-service": 2, "q3-scheduler": 1},
                     "latest-one-replica": {"q1-deployment": 0, "q2-service": 0, "q3-scheduler": 1},
                     "selector-typo": {"q1-deployment": 2, "q2-service": 0, "q3-scheduler": 0},
                     "no-requests": {"q1-deployment": 0, "q2-service": 2, "q3-scheduler": 1}}


def fill(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


# --- otter-grader ---------------------------------------------------------------------------------------------

OTTER_CONFIG = """# ASSIGNMENT CONFIG
init_cell: true
check_all_cell: false
export_cell: false
run_tests: false
generate: true
tests:
  files: false
"""


def otter_test(quiz: str, points: int, hidden: bool = False) -> nbformat.NotebookNode:
    head = f'""" # BEGIN TEST CONFIG\npoints: {points}\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
    return new_code_cell(head + "kubenb.quiz.check('''\n" + quiz.strip() + "\n''')")


OTTER_Q1_VISIBLE = """
id: q1-rollout
points: 1
wait: 60s
checks:
- rolled_out: deployment/web
  replicas: 3
"""
OTTER_Q1_HIDDEN = """
id: q1-pinned
points: 1
checks:
- image_pinned: deployment/web
"""
OTTER_Q2 = """
id: q2-endpoints
points: 2
wait: 60s
checks:
- service: web
  type: NodePort
  endpoints: 3
"""
OTTER_Q3 = """
id: q3-service-type
points: 1
checks:
- short_answer: answer_q3
  accept: [NodePort, "node ?port"]
"""


def otter_master() -> nbformat.NotebookNode:
    cells = [
        new_raw_cell(OTTER_CONFIG),
        new_markdown_cell("# Assignment: a Deployment behind a Service (otter-grader)\n\n"
                          "課題: Deployment を Service で公開する（Kubernetes Basics の講義より）。"),
        new_code_cell("%load_ext kubenb\nimport kubenb.quiz"),
        new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 2"),
        new_markdown_cell("**Question 1.** Write a Deployment `web` with 3 replicas of nginx pinned to a "
                          "version (not `latest`)."),
        new_raw_cell("# BEGIN SOLUTION"),
        new_code_cell("%%manifest\n# BEGIN SOLUTION\n" + deployment() + "# END SOLUTION"),
        new_raw_cell("# END SOLUTION"),
        new_raw_cell("# BEGIN TESTS"),
        otter_test(OTTER_Q1_VISIBLE, 1),
        otter_test(OTTER_Q1_HIDDEN, 1, hidden=True),
        new_raw_cell("# END TESTS"),
        new_raw_cell("# END QUESTION"),
        new_raw_cell("# BEGIN QUESTION\nname: q2\npoints: 2"),
        new_markdown_cell("**Question 2.** Expose it with a NodePort Service `web` on port 80."),
        new_raw_cell("# BEGIN SOLUTION"),
        new_code_cell("%%manifest\n# BEGIN SOLUTION\n" + service() + "# END SOLUTION"),
        new_raw_cell("# END SOLUTION"),
        new_raw_cell("# BEGIN TESTS"),
        otter_test(OTTER_Q2, 2),
        new_raw_cell("# END TESTS"),
        new_raw_cell("# END QUESTION"),
        new_raw_cell("# BEGIN QUESTION\nname: q3\npoints: 1"),
        new_markdown_cell("**Question 3.** Which Service type opens the same port on every node? "
                          "Set `answer_q3` to its name."),
        new_raw_cell("# BEGIN SOLUTION"),
        new_code_cell('answer_q3 = "NodePort"  # SOLUTION'),
        new_raw_cell("# END SOLUTION"),
        new_raw_cell("# BEGIN TESTS"),
        otter_test(OTTER_Q3, 1),
        new_raw_cell("# END TESTS"),
        new_raw_cell("# END QUESTION"),
    ]
    return _notebook(cells, "services")


# Answers per otter submission: the three solution cells in order.
OTTER_SUBMISSIONS = {
    "solution": ["%%manifest\n" + deployment(), "%%manifest\n" + service(), 'answer_q3 = "NodePort"'],
    "latest-one-replica": ["%%manifest\n" + deployment("nginx:latest", 1), "%%manifest\n" + service(),
                           'answer_q3 = "NodePort"'],
    "selector-typo": ["%%manifest\n" + deployment(), "%%manifest\n" + service("webb"),
                      'answer_q3 = "NodePort"'],
    "clusterip": ["%%manifest\n" + deployment("nginx:latest"), "%%manifest\n" + service(type_="ClusterIP"),
                  'answer_q3 = "LoadBalancer"'],
}
EXPECTED_OTTER = {"solution": {"q1": 2, "q2": 2, "q3": 1}, "latest-one-replica": {"q1": 0, "q2": 0, "q3": 1},
                  "selector-typo": {"q1": 2, "q2": 0, "q3": 1}, "clusterip": {"q1": 1, "q2": 0, "q3": 0}}
# The same scores per quiz id (what `kubenb grade` reports) for each otter submission.
EXPECTED_OTTER_QUIZZES = {
    name: {"q1-rollout": 1 if q["q1"] >= 1 else 0, "q1-pinned": 1 if q["q1"] == 2 else 0,
           "q2-endpoints": q["q2"], "q3-service-type": q["q3"]} for name, q in EXPECTED_OTTER.items()}


def otter_submission(student: nbformat.NotebookNode, answers: list[str]) -> nbformat.NotebookNode:
    """Fill the student notebook's solution cells (those otter stubbed out) in order."""
    nb = copy.deepcopy(student)
    slots = [c for c in nb.cells if c.cell_type == "code" and (
        c.source.startswith("%%manifest") or c.source.startswith("answer_q3"))]
    for cell, answer in zip(slots, answers, strict=True):
        cell.source = answer
    return nb


def otter_master_submission(answers: list[str]) -> nbformat.NotebookNode:
    """The master notebook with other answers (what `kubenb grade` runs: tests inline)."""
    return otter_submission(otter_master(), answers)


def main() -> int:
    source = HERE / "nbgrader" / "source" / "deploy-basics" / "deploy-basics.ipynb"
    source.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbgrader_source(), source)
    release = HERE / "nbgrader" / "release" / "deploy-basics" / "deploy-basics.ipynb"
    if release.exists():
        released = nbformat.read(release, as_version=4)
        for student, answers in SUBMISSIONS.items():
            path = HERE / "nbgrader" / "submitted" / student / "deploy-basics" / "deploy-basics.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(fill(released, answers), path)
    else:
        print("run nbgrader generate_assignment deploy-basics in nbgrader/, then this again", file=sys.stderr)
    master = HERE / "otter" / "services-master.ipynb"
    master.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(otter_master(), master)
    return 0


if __name__ == "__main__":
    sys.exit(main())
