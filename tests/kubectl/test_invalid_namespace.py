"""-n values that cannot be a URL path segment are refused by kubectl itself (client-go's request builder).

Each transcript line was compared byte for byte with kubectl 1.33 against a stub API server (the real binary
needs a server to get that far): same stdout, stderr and exit code.
"""

from __future__ import annotations

import pytest

from kubenb.kubectl.cli import invalid_namespace

COMMANDS = [
    "get pods", "get pods x", "get pods x y", "get pods,deploy", "get pods -o yaml", "get pods,deploy -o yaml",
    "get pods x -o yaml", "get pods -o name", "get pods -w", "describe pods", "describe pod x",
    "describe pods x y", "delete pod x", "create configmap x", "create secret generic x --from-literal=a=b",
    "run x --image=nginx", "scale deploy x --replicas=1", "apply -f cm.yaml", "create -f cm.yaml",
    "delete -f cm.yaml", "replace -f cm.yaml", "logs deploy/x", "label pod x a=b", "rollout undo deploy/x",
    "set image deploy/x a=b", "events",
]


def test_commands_refuse_a_namespace_with_a_slash(cluster, golden):
    cluster.files["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    before = cluster.client.store.resource_version
    parts = []
    for command in COMMANDS:
        out = cluster.kubectl(f"{command} -n ../../etc")
        parts.append(f"$ kubectl {command} -n ../../etc\n{out.stdout}{out.stderr}[exit {out.exit_code}]\n")
    assert cluster.client.store.resource_version == before  # nothing was sent, so nothing was written
    golden("kubectl/invalid-namespace", "".join(parts))


def test_what_still_works_with_an_invalid_namespace(cluster):
    # Cluster-scoped requests ignore -n (NamespaceIfScoped); -A drops it; client-side dry runs send nothing.
    assert cluster.kubectl("get nodes -n ../../etc").exit_code == 0
    assert cluster.kubectl("get pods -A -n ../../etc").exit_code == 0
    out = cluster.kubectl("create configmap x -n a/b --dry-run=client -o yaml")
    assert out.exit_code == 0 and "namespace: a/b" in out.stdout


@pytest.mark.parametrize(("namespace", "message"), [
    (".", "invalid namespace \".\": [may not be '.']"),
    ("..", "invalid namespace \"..\": [may not be '..']"),
    ("x%y", "invalid namespace \"x%y\": [may not contain '%']"),
    ("a/b%", "invalid namespace \"a/b%\": [may not contain '/' may not contain '%']"),
    ("a..b", None), ("UPPER", None), ("a b", None), ("", None),
])
def test_path_segment_rules(namespace, message):
    assert invalid_namespace(namespace) == message
