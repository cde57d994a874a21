"""kubectl patch: --local cases compared with the real kubectl; server cases pinned by a golden file."""

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

LOCAL_CASES = [
    ["patch", "-f", "pod.yaml", "--local", "-p", '{"metadata":{"labels":{"x":"y"}}}', "-o", "yaml"],
    ["patch", "-f", "pod.yaml", "--local", "--type=merge", "-p", '{"spec":{"containers":[{"name":"b","image":"b"}]}}',
     "-o", "yaml"],
    ["patch", "-f", "pod.yaml", "--local", "--type=json", "-p",
     '[{"op":"replace","path":"/metadata/name","value":"z"}]'],
    ["patch", "-f", "pod.yaml", "--local", "-p", "{bad"],
    ["patch", "-f", "pod.yaml", "--local", "--type=foo", "-p", "{}"],
    ["patch", "pod", "x", "--local", "-p", "{}"],
    ["patch", "-f", "pod.yaml", "--local", "--type=json", "-p", "{}"],
    ["patch", "-f", "pod.yaml", "--local", "-p", '{"metadata":{"labels":{"app":"nginx"}}}'],
    ["patch", "-f", "pod.yaml", "--local", "-p", '{"spec":{"containers":[{"name":"nginx","image":"x"}]}}', "-o",
     "yaml"],
    ["patch", "-f", "pod.yaml", "--local", "--patch-file", "nope.json"],
    ["patch", "pod", "a"],
]


@pytest.mark.parametrize("argv", LOCAL_CASES, ids=[" ".join(c[3:]) for c in LOCAL_CASES])
def test_local_matches_real_kubectl(cluster, real_kubectl, tmp_path: Path, monkeypatch, argv: list[str]) -> None:
    cluster.files["pod.yaml"] = POD
    (tmp_path / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    real = real_kubectl(*argv)
    ours = cluster.kubectl(argv)
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


def test_patch_on_server(cluster, golden) -> None:
    cluster.files["pod.yaml"] = POD
    commands = [
        ["create", "-f", "pod.yaml"],
        ["patch", "pod", "nginx", "-p", '{"metadata":{"labels":{"tier":"fe"}}}'],
        ["patch", "pod", "nginx", "-p", '{"metadata":{"labels":{"tier":"fe"}}}'],
        ["patch", "pod/nginx", "--type=merge", "-p", '{"metadata":{"labels":{"tier":null}}}'],
        ["patch", "pod", "nginx", "--type=json", "-p", '[{"op":"add","path":"/metadata/labels/j","value":"1"}]'],
        ["patch", "pod", "nginx", "-p", '{"metadata":{"labels":{"d":"1"}}}', "--dry-run=server"],
        ["patch", "pod", "missing", "-p", "{}"],
        ["patch", "pod", "nginx", "-p", "metadata:\n  labels:\n    y: z\n", "-o", "name"],
    ]
    lines = []
    for argv in commands:
        out = cluster.kubectl(argv)
        lines.append(f"$ kubectl {' '.join(argv)}\n{out.stdout}{out.stderr}[exit {out.exit_code}]\n")
    golden("kubectl/patch-server", "".join(lines))
    # go-yaml reads the plain key y as a boolean, which sigs.k8s.io/yaml turns into the string "true".
    assert cluster.client.get("pods", "nginx", "default")["metadata"]["labels"] == {"app": "nginx", "j": "1",
                                                                                     "true": "z"}
