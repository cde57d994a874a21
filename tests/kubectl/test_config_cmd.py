"""kubectl config: every sub-command compared byte for byte with the real kubectl on the same kubeconfig."""

from __future__ import annotations

from pathlib import Path

KUBECONFIG = """apiVersion: v1
kind: Config
preferences: {}
current-context: kubenb
clusters:
- name: kubenb
  cluster:
    certificate-authority-data: DATA+OMITTED
    server: https://127.0.0.1:6443
contexts:
- name: kubenb
  context: {cluster: kubenb, user: kubenb, namespace: default}
- name: other
  context: {cluster: kubenb, user: bob}
users:
- name: kubenb
  user: {client-certificate-data: DATA+OMITTED, client-key-data: DATA+OMITTED}
"""

# Run in order: later commands see the changes of earlier ones.
SEQUENCE = [
    "view", "view --minify", "view -o json", "get-contexts", "get-contexts -o name", "get-contexts nope",
    "get-contexts other", "get-clusters", "get-users", "current-context", "use-context nope", "use-context other",
    "set-context --current --namespace=dev", "set-context newctx --cluster=kubenb --user=kubenb",
    "set-context other --namespace=x", "set-cluster c2 --server=https://1.2.3.4",
    "set-cluster kubenb --server=https://5.5.5.5", "set-credentials bob --token=abc", "view", "view --raw",
    "delete-context nope", "delete-context newctx", "delete-cluster nope", "delete-cluster c2", "delete-user nope",
    "delete-user bob", "rename-context other other2", "rename-context nope x", "rename-context other2 kubenb",
    "set contexts.kubenb.namespace kube-system", "set foo bar", "unset contexts.kubenb.namespace", "unset foo",
    "view", "set-context", "get-contexts a b", "view -o yaml --minify",
]


def _transcript(run) -> str:  # noqa: ANN001
    parts = []
    for command in SEQUENCE:
        stdout, stderr, code = run(command)
        parts.append(f"$ kubectl config {command} --kubeconfig kc\n{stdout}{stderr}[exit {code}]\n")
    return "".join(parts)


def test_config_matches_golden(cluster, golden) -> None:
    cluster.files["kc"] = KUBECONFIG

    def ours(command: str) -> tuple[str, str, int]:
        outcome = cluster.kubectl(f"config {command} --kubeconfig kc")
        return outcome.stdout, outcome.stderr, outcome.exit_code

    golden("kubectl/config-sequence", _transcript(ours))


def test_config_matches_real_kubectl(cluster, real_kubectl, tmp_path: Path) -> None:
    cluster.files["kc"] = KUBECONFIG
    (tmp_path / "kc").write_text(KUBECONFIG)
    for command in SEQUENCE:
        real = real_kubectl("config", *command.split(), "--kubeconfig", str(tmp_path / "kc"))
        ours = cluster.kubectl(f"config {command} --kubeconfig kc")
        assert ours.stdout == real.stdout.replace(str(tmp_path / "kc"), "kc"), command
        assert ours.stderr == real.stderr.replace(str(tmp_path / "kc"), "kc"), command
        assert ours.exit_code == real.returncode, command


def test_config_default_kubeconfig_use_context_changes_env(cluster) -> None:
    assert cluster.kubectl("config current-context").stdout == "kubenb\n"
    out = cluster.kubectl("config set-context --current --namespace=kube-system")
    assert out.stdout == 'Context "kubenb" modified.\n'
    assert cluster.kubeconfig["contexts"][0]["context"]["namespace"] == "kube-system"
    bad = cluster.kubectl("config use-context nope")
    assert (bad.stderr, bad.exit_code) == ('error: no context exists with the name: "nope"\n', 1)
