"""Usage errors of apply/delete/replace/diff/wait/patch/label, byte for byte against the real kubectl.

These fail before any server call in the real binary, so they can be compared here. The cluster
must be unchanged after each.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n"

CASES = [
    "apply", "apply -f pod.yaml extra", "apply -f pod.yaml -k dir", "apply -f nope.yaml",
    "apply -f pod.yaml --dry-run=bogus", "replace", "replace -f pod.yaml --force --dry-run=client", "diff",
    "delete", "delete pod a -l x=y", "delete pod/a pod", "delete pod a --all", "delete pod a --cascade=bad",
    "delete pod a --now --grace-period=3", "delete -f pod.yaml extra", "wait --for=foo pod/a",
    "wait --for=condition=Ready", "label pod", "label pod a", "annotate pod a", "patch pod a",
    "apply -f bad.yaml", "delete -f bad.yaml", "replace -f bad.yaml",
]


@pytest.mark.parametrize("command", CASES)
def test_usage_error_matches_real_kubectl(cluster, real_kubectl, tmp_path: Path, monkeypatch, command: str) -> None:
    bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  y: z: w\n"
    for name, text in (("pod.yaml", POD), ("bad.yaml", bad)):
        cluster.files[name] = text
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    before = json.dumps(cluster.client.list("pods"), sort_keys=True)
    real = real_kubectl(*command.split())
    ours = cluster.kubectl(command)
    # The real binary logs klog lines about its (absent) server and names itself kubectl.1.33.
    real_stderr = re.sub(r"(?m)^[EWI]\d{4} .*\n", "", real.stderr).replace("kubectl.1.33", "kubectl")
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real_stderr, real.returncode)
    assert json.dumps(cluster.client.list("pods"), sort_keys=True) == before
