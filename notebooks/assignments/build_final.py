"""Build the course's final graded assignment (run from the repository root:
python3 notebooks/assignments/build_final.py).

- nbgrader/source/final-project/final-project.ipynb: the instructor's version (solutions between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION``, hidden checks between ``### BEGIN HIDDEN TESTS`` /
  ``### END HIDDEN TESTS``); ``nbgrader generate_assignment final-project`` (in nbgrader/) makes the
  student version in nbgrader/release/;
- nbgrader/submitted/<student>/final-project/final-project.ipynb: the solution and typical mistakes,
  made from the release version, with the scores each must get (EXPECTED).

The assignment covers notebooks 05-07: a Deployment, a Service in front of it and an Ingress
that routes to the Service, plus two concept questions. Every text is in English and Japanese.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
NAME = "final-project"
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def deployment(image: str = "hashicorp/http-echo:1.0", replicas: int = 3, label: str = "shop",
               requests: bool = True) -> str:
    resources = ("        resources:\n          requests:\n            cpu: 50m\n            memory: 32Mi\n"
                 if requests else "")
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n"
            f"  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {label}\n  template:\n"
            f"    metadata:\n      labels:\n        app: {label}\n    spec:\n      containers:\n"
            f"      - name: shop\n        image: {image}\n        args: [\"-text=welcome to the shop\"]\n"
            f"        ports:\n        - containerPort: 5678\n{resources}")


def service(selector: str = "shop", target_port: int = 5678) -> str:
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  selector:\n"
            f"    app: {selector}\n  ports:\n  - port: 80\n    targetPort: {target_port}\n")


def ingress(host: str = "shop.example.com", path_type: str = "Prefix", port: int = 80) -> str:
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n"
            f"  - host: {host}\n    http:\n      paths:\n      - path: /\n        pathType: {path_type}\n"
            "        backend:\n          service:\n            name: shop\n            port:\n"
            f"              number: {port}\n")


def nbg(cell, grade_id: str, *, solution=False, grade=False, locked=False, points=None):
    meta = {"schema_version": 3, "grade_id": grade_id, "solution": solution, "grade": grade,
            "locked": locked, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


Q1 = """%%quiz
id: q1-deployment
points: 3
partial: false
wait: 60s
checks:
- rolled_out: deployment/shop
  replicas: 3
- image_pinned: deployment/shop
### BEGIN HIDDEN TESTS
- resources: deployment/shop
  need: [requests.cpu, requests.memory]
### END HIDDEN TESTS
hints:
- spec.replicas, and a version tag on the image (hashicorp/http-echo:1.0).
"""

Q2 = """%%quiz
id: q2-service
points: 2
partial: false
wait: 60s
checks:
- service: shop
  type: ClusterIP
  endpoints: 3
- request: http://shop.default.svc.cluster.local
  from_pod: probe
  status: 200
  body_contains: welcome to the shop
hints:
- The selector must equal the Pod template's labels; targetPort is the port the container listens on.
"""

Q3 = """%%quiz
id: q3-ingress
points: 3
partial: false
wait: 60s
checks:
- routes: shop.example.com/
  to: shop
  port: 80
- request: http://localhost/cart
  host: shop.example.com
  status: 200
  body_contains: welcome to the shop
hints:
- pathType Prefix with path / matches every path of the host.
"""

Q4 = """%%quiz
id: q4-controller
points: 1
checks:
- choice: answer_q4
  options: {a: nothing more, b: an Ingress controller, c: a NodePort Service, d: a StatefulSet}
### BEGIN HIDDEN TESTS
  correct: b
### END HIDDEN TESTS
"""

Q5 = """%%quiz
id: q5-dns
points: 1
checks:
- short_answer: answer_q5
### BEGIN HIDDEN TESTS
  accept: [shop.default.svc.cluster.local, shop.default.svc.cluster.local.]
### END HIDDEN TESTS
"""

INTRO = """# Final assignment: Deployment, Service and Ingress / 最終課題: Deployment、Service、Ingress

Put a small web shop online in the simulated cluster: a **Deployment** runs it, a **Service** gives it
one stable address, and an **Ingress** routes `http://shop.example.com/` to it. Write each manifest in
the cell under its task, run it, then run the check cell below it (you may run a check as often as
you like; read its hints). 10 points in all.

シミュレートされたクラスタで小さな Web ショップを公開します。**Deployment** でショップを動かし、
**Service** で安定したアドレスを与え、**Ingress** で `http://shop.example.com/` をそこに振り分けます。
各課題の下のセルにマニフェストを書いて実行し、その下の確認セルを実行してください（確認は何度でも
実行できます。ヒントも読んでください）。合計 10 点です。"""

TASK1 = """## 1. Deployment (3 points) / Deployment（3 点）

Write a Deployment `shop` that runs **3** replicas of `hashicorp/http-echo` **pinned to version 1.0**,
with the argument `-text=welcome to the shop`, the label `app: shop` on its Pods, container port
5678, and resource requests of `50m` CPU and `32Mi` memory.

Deployment `shop` を書いてください。`hashicorp/http-echo` を **バージョン 1.0 に固定して** **3** レプリカ
動かし、引数は `-text=welcome to the shop`、Pod のラベルは `app: shop`、コンテナのポートは 5678、
リソースの requests は CPU `50m`、メモリ `32Mi` とします。"""

TASK2 = """## 2. Service (2 points) / Service（2 点）

Write a **ClusterIP** Service `shop` on port **80** that sends traffic to port 5678 of the shop's Pods.
The check calls `http://shop.default.svc.cluster.local` from the Pod `probe`.

ショップの Pod のポート 5678 にトラフィックを送る、ポート **80** の **ClusterIP** Service `shop` を
書いてください。確認では Pod `probe` から `http://shop.default.svc.cluster.local` を呼び出します。"""

TASK3 = """## 3. Ingress (3 points) / Ingress（3 点）

The ingress-nginx controller is installed (setup cell). Write an Ingress `shop` that sends **every path**
of the host `shop.example.com` to the Service `shop` on port 80.

ingress-nginx コントローラーは導入済みです（最初のセル）。ホスト `shop.example.com` の **すべてのパス** を
Service `shop` のポート 80 に送る Ingress `shop` を書いてください。"""

TASK4 = """## 4. Concept (1 point) / 概念（1 点）

An Ingress object has been created in a new cluster, but nothing is served and its `ADDRESS` stays
empty. What is missing?

新しいクラスタで Ingress オブジェクトを作りましたが、何も配信されず `ADDRESS` も空のままです。
何が足りないでしょう。

- a: nothing more / 何も足りない
- b: an Ingress controller / Ingress コントローラー
- c: a NodePort Service / NodePort の Service
- d: a StatefulSet / StatefulSet

Set `answer_q4` to the letter. / `answer_q4` に記号を入れてください。"""

TASK5 = """## 5. DNS (1 point) / DNS（1 点）

What is the full DNS name of the Service `shop` in the namespace `default`?
Set `answer_q5` to it (a string).

ネームスペース `default` の Service `shop` の完全な DNS 名は何でしょう。`answer_q5` に文字列で入れてください。"""


def source_notebook() -> nbformat.NotebookNode:
    cells = [
        nbg(new_markdown_cell(INTRO), "intro", locked=True),
        nbg(new_code_cell("%load_ext kubenb\n%kubenb addon enable ingress-nginx"), "setup", locked=True),
        nbg(new_code_cell("%%kubectl\nrun probe --image=busybox:1.36 -- sleep 36000"), "setup-probe", locked=True),
        nbg(new_markdown_cell(TASK1), "task1", locked=True),
        nbg(new_code_cell("%%manifest\n### BEGIN SOLUTION\n" + deployment() + "### END SOLUTION"),
            "deployment", solution=True),
        nbg(new_code_cell(Q1), "q1-deployment", grade=True, locked=True, points=3),
        nbg(new_markdown_cell(TASK2), "task2", locked=True),
        nbg(new_code_cell("%%manifest\n### BEGIN SOLUTION\n" + service() + "### END SOLUTION"),
            "service", solution=True),
        nbg(new_code_cell(Q2), "q2-service", grade=True, locked=True, points=2),
        nbg(new_markdown_cell(TASK3), "task3", locked=True),
        nbg(new_code_cell("%%manifest\n### BEGIN SOLUTION\n" + ingress() + "### END SOLUTION"),
            "ingress", solution=True),
        nbg(new_code_cell(Q3), "q3-ingress", grade=True, locked=True, points=3),
        nbg(new_markdown_cell(TASK4), "task4", locked=True),
        nbg(new_code_cell('### BEGIN SOLUTION\nanswer_q4 = "b"\n### END SOLUTION'), "answer-q4", solution=True),
        nbg(new_code_cell(Q4), "q4-controller", grade=True, locked=True, points=1),
        nbg(new_markdown_cell(TASK5), "task5", locked=True),
        nbg(new_code_cell('### BEGIN SOLUTION\nanswer_q5 = "shop.default.svc.cluster.local"\n### END SOLUTION'),
            "answer-q5", solution=True),
        nbg(new_code_cell(Q5), "q5-dns", grade=True, locked=True, points=1),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    return nb


# What a student writes in each solution cell (by grade_id), for the prepared submissions.
_RIGHT = {"deployment": "%%manifest\n" + deployment(), "service": "%%manifest\n" + service(),
          "ingress": "%%manifest\n" + ingress(), "answer-q4": 'answer_q4 = "b"',
          "answer-q5": 'answer_q5 = "shop.default.svc.cluster.local"'}
SUBMISSIONS = {
    "solution": dict(_RIGHT),
    # The image's latest tag; a Service sending to port 80 of the Pods (nothing listens there), so the
    # Service has endpoints but no answer, and neither does the Ingress.
    "latest-wrong-port": {**_RIGHT, "deployment": "%%manifest\n" + deployment("hashicorp/http-echo:latest"),
                          "service": "%%manifest\n" + service(target_port=80)},
    # Exact instead of Prefix: only "/" itself is routed, /cart is not; a short DNS name.
    "exact-path": {**_RIGHT, "ingress": "%%manifest\n" + ingress(path_type="Exact"), "answer-q5": 'answer_q5 = "shop"'},
    # No requests (the hidden check), a wrong host in the Ingress, and "nothing is missing".
    "no-requests-wrong-host": {**_RIGHT, "deployment": "%%manifest\n" + deployment(requests=False),
                               "ingress": "%%manifest\n" + ingress(host="shop.example.org"),
                               "answer-q4": 'answer_q4 = "a"'},
}
EXPECTED = {
    "solution": {"q1-deployment": 3, "q2-service": 2, "q3-ingress": 3, "q4-controller": 1, "q5-dns": 1},
    "latest-wrong-port": {"q1-deployment": 0, "q2-service": 0, "q3-ingress": 0, "q4-controller": 1, "q5-dns": 1},
    "exact-path": {"q1-deployment": 3, "q2-service": 2, "q3-ingress": 0, "q4-controller": 1, "q5-dns": 0},
    "no-requests-wrong-host": {"q1-deployment": 0, "q2-service": 2, "q3-ingress": 0, "q4-controller": 0,
                               "q5-dns": 1},
}


def fill(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def main() -> int:
    source = HERE / "nbgrader" / "source" / NAME / f"{NAME}.ipynb"
    source.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(), source)
    release = HERE / "nbgrader" / "release" / NAME / f"{NAME}.ipynb"
    if not release.exists():
        print(f"run `nbgrader generate_assignment {NAME}` in notebooks/assignments/nbgrader/, then this again",
              file=sys.stderr)
        return 0
    released = nbformat.read(release, as_version=4)
    for student, answers in SUBMISSIONS.items():
        path = HERE / "nbgrader" / "submitted" / student / NAME / f"{NAME}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill(released, answers), path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
