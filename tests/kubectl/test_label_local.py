"""kubectl label/annotate --local: compared with the real kubectl (client-side only)."""

from __future__ import annotations

from pathlib import Path

import pytest

POD = """apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx
"""

CASES = [
    "label --local -f pod.yaml app=web -o yaml",
    "label --local -f pod.yaml app=web --overwrite -o yaml",
    "label --local -f pod.yaml app- -o name",
    "label --local -f pod.yaml tier=fe",
    "label --local -f pod.yaml nope-",
    "label pod nginx --local app=x",
    "annotate --local -f pod.yaml a=b",
    "annotate --local -f pod.yaml a=b -o json",
    "label --local -f pod.yaml --list",
    "label --local -f pod.yaml app=nginx",
    "label pod",
    "annotate pod a",
    "label --local -f pod.yaml a=b!",
    "label --local -f pod.yaml a=b a-",
    "label -f pod.yaml",
]


@pytest.mark.parametrize("command", CASES)
def test_local_matches_real_kubectl(cluster, real_kubectl, tmp_path: Path, monkeypatch, command: str) -> None:
    cluster.files["pod.yaml"] = POD
    (tmp_path / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    real = real_kubectl(*command.split())
    ours = cluster.kubectl(command)
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


def test_label_on_server(cluster, golden) -> None:
    cluster.files["pod.yaml"] = POD
    lines = []
    for command in ["create -f pod.yaml", "label pod nginx app=web", "label pod nginx app=web --overwrite",
                    "label pod nginx tier=fe env=dev", "label pod nginx env-", "label pod nginx env-",
                    "label pods -l app=web team=a", "label pod nginx --list", "annotate pod/nginx note=hi",
                    "label pod missing a=b", "label pod nginx a=b!"]:
        out = cluster.kubectl(command)
        lines.append(f"$ kubectl {command}\n{out.stdout}{out.stderr}[exit {out.exit_code}]\n")
    golden("kubectl/label-server", "".join(lines))
    assert cluster.client.get("pods", "nginx", "default")["metadata"]["labels"] == {
        "app": "web", "tier": "fe", "team": "a"}
