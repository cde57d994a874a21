"""Lint on apply: off by default (kubectl's bytes only); on, the coach's findings follow a successful apply."""

from __future__ import annotations

import pytest

from kubenb.jupyter import display
from kubenb.jupyter.control import run_control
from kubenb.jupyter.magics import applied_files, run_cell_commands, run_manifest
from kubenb.jupyter.session import Session

NAKED = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
GOOD = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n"
        "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
        "      containers:\n      - name: web\n        image: nginx:1.27\n        resources:\n"
        "          requests: {cpu: 100m, memory: 64Mi}\n          limits: {cpu: 200m, memory: 128Mi}\n"
        "        readinessProbe: {httpGet: {path: /, port: 80}}\n"
        "        livenessProbe: {httpGet: {path: /, port: 80}}\n")
CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_PASSWORD: hunter2\n"


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.delenv("KUBENB_LINT_ON_APPLY", raising=False)
    return Session(cluster_options={"seed": 0, "strict": True})


def test_off_by_default_the_cell_prints_only_what_kubectl_prints(fresh, capsys):
    assert fresh.lint_on_apply is False
    assert run_manifest(fresh, "", NAKED) == 0
    assert capsys.readouterr().out == "pod/p created\n"
    fresh.cluster.files["cm.yaml"] = CONFIG
    assert run_cell_commands(fresh, "kubectl apply -f cm.yaml") == 0
    assert capsys.readouterr().out == "configmap/app created\n"


def test_on_the_findings_follow_kubectl_output(fresh, capsys):
    assert run_control(fresh, "lint on") == 0
    assert capsys.readouterr().out.startswith("kubenb: lint on apply is on:")
    assert run_manifest(fresh, "", NAKED) == 0
    out = capsys.readouterr().out
    assert out.startswith("pod/p created\nkubenb lint: 4 finding(s) in pod-p.yaml\n\n1. No resource requests")
    assert "Naked Pod without a controller (anti-pattern 10) - pod/p" in out
    # The findings change neither the exit code nor the cluster.
    pod = fresh.cluster.client.get("pods", "p", "default")
    assert pod["spec"]["containers"][0]["image"] == "nginx"
    assert run_manifest(fresh, "", GOOD) == 0
    assert capsys.readouterr().out == ("deployment.apps/web created\n"
                                       "kubenb lint: no anti-patterns found in deployment-web.yaml\n")
    assert run_control(fresh, "lint off") == 0
    capsys.readouterr()
    assert run_manifest(fresh, "", NAKED) == 0
    assert capsys.readouterr().out == "pod/p unchanged\n"


def test_failed_apply_prints_no_lint_and_keeps_its_exit_code(fresh, capsys):
    run_control(fresh, "lint on")
    capsys.readouterr()
    broken = NAKED.replace("name: p\n", "name: P_bad\n")
    assert run_manifest(fresh, "", broken) == 1
    captured = capsys.readouterr()
    assert "kubenb lint" not in captured.out + captured.err
    assert run_cell_commands(fresh, "create -f nothing.yaml") == 1
    captured = capsys.readouterr()
    assert captured.err == 'error: the path "nothing.yaml" does not exist\n' and captured.out == ""
    run_manifest(fresh, "--no-apply", NAKED)
    capsys.readouterr()
    assert run_cell_commands(fresh, "create -f pod-p.yaml\ncreate -f pod-p.yaml") == 1
    captured = capsys.readouterr()
    assert captured.out.count("kubenb lint:") == 1  # the second create failed: AlreadyExists, no lint
    assert "AlreadyExists" in captured.err


def test_kubectl_apply_create_stdin_and_namespace(fresh, capsys):
    run_control(fresh, "lint on")
    fresh.cluster.kubectl("create namespace dev")
    capsys.readouterr()
    cell = f"apply -n dev -f - <<EOF\n{CONFIG}EOF\nget configmap app -n dev -o name\n"
    assert run_cell_commands(fresh, cell) == 0
    out = capsys.readouterr().out
    assert out.startswith("configmap/app created\nkubenb lint: 1 finding(s) in STDIN\n\n"
                          "1. Secret handled badly (anti-pattern 9) - configmap/app\n"
                          "   Why it hurts: ConfigMap app holds DB_PASSWORD in plain text.")
    assert out.endswith("configmap/app\n")  # get prints no lint
    assert out.count("kubenb lint:") == 1


def test_one_cell_flag_and_japanese(fresh, capsys):
    run_control(fresh, "lang ja")
    capsys.readouterr()
    assert run_manifest(fresh, "--lint", NAKED) == 0
    out = capsys.readouterr().out
    assert out.startswith("pod/p created\nkubenb lint: pod-p.yaml に 4 件の指摘\n")
    assert "コントローラーのない裸の Pod（アンチパターン10） - pod/p" in out
    run_control(fresh, "lint on")
    capsys.readouterr()
    assert run_manifest(fresh, "--no-lint", GOOD) == 0
    assert capsys.readouterr().out == "deployment.apps/web created\n"


def test_dry_run_is_linted_too(fresh, capsys):
    run_control(fresh, "lint on")
    capsys.readouterr()
    assert run_manifest(fresh, "--dry-run=client", NAKED) == 0
    out = capsys.readouterr().out
    assert out.startswith("pod/p created (dry run)\nkubenb lint: 4 finding(s)")
    assert fresh.cluster.client.try_get("pods", "p", "default") is None


def test_the_instructor_turns_it_on_with_an_environment_variable(monkeypatch):
    monkeypatch.setenv("KUBENB_LINT_ON_APPLY", "1")
    assert Session().lint_on_apply is True
    monkeypatch.setenv("KUBENB_LINT_ON_APPLY", "0")
    assert Session().lint_on_apply is False


@pytest.mark.parametrize(("argv", "expected"), [
    (["apply", "-f", "a.yaml"], (["a.yaml"], None)),
    (["create", "-f", "a.yaml", "-f", "b.yaml", "-n", "dev"], (["a.yaml", "b.yaml"], "dev")),
    (["-n", "dev", "apply", "--filename=a.yaml", "-o", "yaml"], (["a.yaml"], "dev")),
    (["apply", "-fa.yaml", "--namespace=x", "--server-side"], (["a.yaml"], "x")),
    (["apply", "view-last-applied", "-f", "a.yaml"], None),
    (["create", "deployment", "web", "--image=nginx"], None),
    (["delete", "-f", "a.yaml"], None),
    (["get", "pods"], None),
])
def test_which_commands_send_manifests(argv, expected):
    assert applied_files(argv) == expected


def test_the_block_is_its_own_display_in_html():
    shown = []
    display.lint("kubenb lint: no anti-patterns found in a.yaml", shown.append)
    bundle = shown[0]._repr_mimebundle_()
    assert bundle["text/plain"] == "kubenb lint: no anti-patterns found in a.yaml\n"
    assert bundle["text/html"].startswith('<pre class="kubenb-lint" style="border-left:4px solid')


def test_help_documents_it(fresh, capsys):
    run_control(fresh, "help")
    assert "%kubenb lint on|off" in capsys.readouterr().out


def test_through_ipython_the_block_follows_kubectl_output(ip, session, capsys):
    ip.run_line_magic("kubenb", "lint on")
    capsys.readouterr()
    ip.run_cell_magic("manifest", "", NAKED)
    out = capsys.readouterr().out
    assert out.startswith("pod/p created\nkubenb lint: 4 finding(s) in pod-p.yaml\n")
    ip.run_cell_magic("kubectl", "", "get pods -o name")
    assert capsys.readouterr().out == "pod/p\n"
