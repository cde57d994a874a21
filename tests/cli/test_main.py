"""The kubenb console command."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kubenb import __version__
from kubenb.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"kubenb {__version__}\n"


def test_script_prints_a_transcript(tmp_path, capsys):
    script = tmp_path / "steps.txt"
    script.write_text("# set up\nkubectl version --client\ncreate namespace demo\n"
                      "apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nEOF\n"
                      "get ns demo -o name\n")
    assert main(["script", str(script)]) == 0
    assert capsys.readouterr().out == (
        "$ kubectl version --client\nClient Version: v1.33.1\nKustomize Version: v5.6.0\n"
        "$ kubectl create namespace demo\nnamespace/demo created\n"
        "$ kubectl apply -f -\n"
        "Warning: resource namespaces/demo is missing the kubectl.kubernetes.io/last-applied-configuration "
        "annotation which is required by kubectl apply. kubectl apply should only be used on resources created "
        "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\nnamespace/demo configured\n"
        "$ kubectl get ns demo -o name\nnamespace/demo\n")


def test_script_exit_code_is_the_last_commands(tmp_path, capsys):
    script = tmp_path / "bad.txt"
    script.write_text("version --client --bogus\n")
    assert main(["script", str(script)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("$ kubectl version --client --bogus\nerror: unknown flag: --bogus\n")


def test_script_missing_file(capsys):
    assert main(["script", "/nonexistent/steps.txt"]) == 1
    assert capsys.readouterr().err == "kubenb: cannot read /nonexistent/steps.txt: No such file or directory\n"


def test_shell_reads_lines(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("version --client\nkubenb advance 1m\nexit\nversion\n"))
    assert main(["shell"]) == 0
    assert capsys.readouterr().out == ("Client Version: v1.33.1\nKustomize Version: v5.6.0\n"
                                       "kubenb: the cluster clock reads 2025-01-01T00:01:00Z\n")


def test_python_dash_m(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kubenb", "--version"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert (done.returncode, done.stdout) == (0, f"kubenb {__version__}\n")
