"""A corpus of bad input: each gets kubectl's (or the API server's, or kubenb's own) error, exit code 1,
no traceback, and leaves the cluster exactly as it was."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from kubenb import Cluster
from kubenb.api import limits

REAL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"

_DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n"
           "  selector: {{matchLabels: {{app: web}}}}\n"
           "  template: {{metadata: {{labels: {{app: web}}}}, spec: {{containers: [{{name: a, image: nginx}}]}}}}\n")
_POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: a\n    image: nginx\n"

# name -> manifest text; run as `kubectl create -f <name>.yaml` and `kubectl apply -f <name>.yaml`.
MANIFESTS = {
    "tabs": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
    "bad-indentation": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n",
    "unclosed-quote": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\n',
    "alias-bomb": "".join(
        ["a: &a [" + ",".join(['"lol"'] * 9) + "]\n"]
        + [f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]),
    "empty": "",
    "comment-only": "# nothing here\n---\n# nor here\n",
    "scalar-document": "hello\n",
    "binary": "\x00\x01\x02\ufffd\x7f",
    "no-kind": "apiVersion: v1\nmetadata:\n  name: x\n",
    "wrong-apiversion-kind": "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n",
    "unknown-kind": "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n",
    "kind-number": "apiVersion: v1\nkind: 5\nmetadata:\n  name: x\n",
    "metadata-null": "apiVersion: batch/v1\nkind: CronJob\nmetadata: null\n",
    "namespace-list": "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: [a]\n",
    "metadata-list": "apiVersion: v1\nkind: Pod\nmetadata: [a, b]\n",
    "spec-list": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec: [a]\n",
    "unknown-field": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containerz: []\n",
    "mistyped-replicas": _DEPLOY.format(replicas="three"),
    "float-replicas": _DEPLOY.format(replicas="1.5"),
    "int64-replicas": _DEPLOY.format(replicas="99999999999999999999999"),
    "negative-replicas": _DEPLOY.format(replicas="-1"),
    "absurd-replicas": _DEPLOY.format(replicas="1000000000"),
    "yaml11-bool-name": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n",
    "yaml11-bool-data": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  answer: n\n",
    "label-number": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: 5}\n",
    "data-list": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [1]\n",
    "invalid-name": _POD.format(name="X_Y"),
    "invalid-label": _POD.format(name="x") .replace("  name: x\n", "  name: x\n  labels: {'a b': c}\n"),
    "invalid-quantity": _POD.format(name="x") + "    resources: {limits: {cpu: lots}}\n",
    "invalid-selector": _DEPLOY.format(replicas=1).replace("{matchLabels: {app: web}}",
                                                           "{matchExpressions: [{key: a, operator: Foo}]}"),
    "port-out-of-range": "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: [{port: 99999999}]\n",
    "null-container": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [null]\n",
    "string-container": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [abc]\n",
    "python-tag": "!!python/object/apply:os.system ['echo pwned']\n",
    "python-tag-in-object": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
                            "  a: !!python/object/apply:os.system ['echo pwned']\n",
    # A 3.2 MB request (JSON: the YAML scanner is slow on megabytes): the apiserver's 3 MiB body limit.
    "huge-request": json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                                "data": {"a": "x" * (limits.MAX_REQUEST_BODY_BYTES + 100)}}),
    # A 2 MB Secret fits the request limit but not etcd's 1.5 MiB.
    "huge-object": json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "big"},
                               "stringData": {"a": "x" * (2 * 1024 * 1024)}}),
}

# Client-side failures: the real kubectl (no server needed) must print the same bytes.
CLIENT_SIDE = ["tabs", "bad-indentation", "unclosed-quote", "alias-bomb", "empty", "comment-only",
               "yaml11-bool-name"]


@pytest.fixture(scope="module")
def shared_cluster() -> Cluster:
    return Cluster(seed=0, strict=True)


def _check_refused(cluster: Cluster, fingerprint, argv: list[str]):
    before = fingerprint(cluster)
    started = time.monotonic()
    outcome = cluster.kubectl(argv)
    assert time.monotonic() - started < 30, "a bad input must be refused quickly"
    assert outcome.exit_code == 1, outcome
    assert outcome.stdout == ""
    assert "Traceback" not in outcome.stderr
    assert fingerprint(cluster) == before, "a refused command changed the cluster"
    return outcome


@pytest.mark.parametrize("verb", ["create", "apply"])
@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_bad_manifest(shared_cluster, fingerprint, golden, name, verb):
    shared_cluster.files[f"{name}.yaml"] = MANIFESTS[name]
    outcome = _check_refused(shared_cluster, fingerprint, [verb, "-f", f"{name}.yaml"])
    stderr = outcome.stderr
    if len(stderr) > 4000:  # a huge value echoed back would make an unreadable golden
        stderr = stderr[:2000] + "...\n"
    golden(f"badinput/{verb}-{name}", stderr)


@pytest.mark.parametrize("name", CLIENT_SIDE)
def test_client_side_errors_match_real_kubectl(shared_cluster, tmp_path, name):
    if not Path(REAL).exists():
        pytest.skip("the real kubectl 1.33 is not installed here")
    (tmp_path / f"{name}.yaml").write_text(MANIFESTS[name])
    real = subprocess.run([REAL, "create", "-f", f"{name}.yaml", "--dry-run=client", "--validate=false",
                           "-o", "yaml"], capture_output=True, text=True, cwd=tmp_path, timeout=30,
                          env={"HOME": "/nonexistent", "KUBECONFIG": "/nonexistent/config", "PATH": "/usr/bin"})
    shared_cluster.files[f"{name}.yaml"] = MANIFESTS[name]
    ours = shared_cluster.kubectl(["create", "-f", f"{name}.yaml"])
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


def test_multi_document_file_applies_the_good_documents(cluster):
    cluster.files["mixed.yaml"] = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good1\n---\n"
                                   + _POD.format(name="BAD") + "---\n"
                                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good2\n")
    outcome = cluster.kubectl("apply -f mixed.yaml")
    assert outcome.exit_code == 1
    assert outcome.stdout == "configmap/good1 created\nconfigmap/good2 created\n"
    assert outcome.stderr.startswith('The Pod "BAD" is invalid: ')
    assert cluster.client.try_get("pods", "BAD", "default") is None
    assert cluster.client.try_get("configmaps", "good2", "default") is not None


# argv that kubectl refuses before talking to the server: compared with the real binary.
BAD_ARGV = [
    ["foo"],
    ["get", "pods", "--foo"],
    ["get", "pods", "-n"],
    ["scale", "--replicas=abc", "deploy/x"],
    ["get", "pods", "--replicas=-1"],
    ["create", "deployment"],
    ["run"],
    ["create", "-f"],
    ["logs"],
    ["get", "pods", "--chunk-size=x"],
    ["rollout", "frobnicate", "deploy/x"],
    ["config", "frob"],
    ["set", "frob", "x"],
]


@pytest.mark.parametrize("argv", BAD_ARGV, ids=" ".join)
def test_bad_argv_matches_real_kubectl(shared_cluster, fingerprint, real_kubectl, argv):
    ours = _check_refused(shared_cluster, fingerprint, argv)
    real = real_kubectl(*argv)
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


# Shell metacharacters are only characters: no shell ever sees them.
METACHARACTERS = [
    ["get", "pods", "x; rm -rf /"],
    ["get", "pods", "$(touch /tmp/kubenb-pwned)"],
    ["get", "pods", "`touch /tmp/kubenb-pwned`"],
    ["get", "pods", "-l", "app=web|cat /etc/passwd"],
    ["delete", "pod", "x && reboot"],
    ["logs", "a>b"],
    ["describe", "pod", "*"],
]


@pytest.mark.parametrize("argv", METACHARACTERS, ids=" ".join)
def test_shell_metacharacters_are_plain_text(shared_cluster, fingerprint, golden, argv):
    outcome = _check_refused(shared_cluster, fingerprint, argv)
    assert not Path("/tmp/kubenb-pwned").exists()
    golden("badinput/argv-" + "-".join("".join(ch if ch.isalnum() else "_" for ch in a) for a in argv),
           outcome.stderr)


def test_absurd_replicas_are_refused_by_every_route(cluster, fingerprint):
    cluster.kubectl("create deployment web --image=nginx")
    for argv in (["scale", "deployment", "web", "--replicas=1000000000"],
                 ["patch", "deployment", "web", "-p", '{"spec":{"replicas":1000000000}}'],
                 ["autoscale", "deployment", "web", "--max=1000000000"],
                 ["create", "job", "j", "--image=busybox", "--", "true"]):
        if argv[1] == "job":
            continue
        outcome = _check_refused(cluster, fingerprint, argv)
        assert "kubenb: " in outcome.stderr and str(limits.MAX_REPLICAS) in outcome.stderr


def test_the_pod_limit_is_a_failed_create_event_not_a_hang(cluster, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PODS", limits.MAX_PODS)
    pods = len(cluster.client.list_view("pods"))
    monkeypatch.setattr(limits, "MAX_PODS", pods + 2)
    outcome = cluster.kubectl("create deployment web --image=nginx --replicas=5")
    assert outcome.exit_code == 0
    assert len(cluster.client.list_view("pods")) == pods + 2
    events = cluster.kubectl("get events --field-selector reason=FailedCreate").stdout
    assert f"kubenb: this simulator holds at most {pods + 2} pods" in events
