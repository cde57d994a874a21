"""apply, delete, replace, diff, wait, edit, proxy, cluster-info against a fresh cluster (transcripts in goldens).

Controllers are not assumed: the tests look at the objects the commands write.
"""

from __future__ import annotations

import json

import pytest

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-dep
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  a: "1"
  b: "2"
"""


def _transcript(cluster, commands: list[str]) -> str:  # noqa: ANN001
    parts = []
    for command in commands:
        out = cluster.kubectl(command)
        parts.append(f"$ kubectl {command}\n{out.stdout}{out.stderr}[exit {out.exit_code}]\n")
    return "".join(parts)


def _state(cluster) -> str:  # noqa: ANN001
    return json.dumps({r: cluster.client.list(r) for r in ("deployments", "configmaps", "pods")}, sort_keys=True)


def test_apply_created_unchanged_configured(cluster, golden) -> None:
    cluster.files["dep.yaml"] = DEPLOYMENT + "---\n" + CONFIGMAP
    first = _transcript(cluster, ["apply -f dep.yaml", "apply -f dep.yaml"])
    cluster.files["dep.yaml"] = (DEPLOYMENT.replace("replicas: 2", "replicas: 3") + "---\n"
                                 + CONFIGMAP.replace('  b: "2"\n', ""))
    second = _transcript(cluster, ["apply -f dep.yaml", "apply -f dep.yaml --dry-run=client",
                                   "apply -f dep.yaml -o name"])
    golden("kubectl/apply-lifecycle", first + second)
    deployment = cluster.client.get("deployments", "my-dep", "default")
    assert deployment["spec"]["replicas"] == 3
    last = deployment["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert last.endswith("}\n") and '"replicas":3' in last and ": " not in last
    # The field removed from the manifest is removed from the live object (three-way merge).
    assert cluster.client.get("configmaps", "cfg", "default")["data"] == {"a": "1"}


def test_apply_keeps_fields_set_by_others(cluster) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    cluster.kubectl("apply -f cm.yaml")
    cluster.kubectl(["patch", "cm", "cfg", "-p", '{"data":{"other":"x"}}'])
    out = cluster.kubectl("apply -f cm.yaml")
    assert out.stdout == "configmap/cfg unchanged\n"
    assert cluster.client.get("configmaps", "cfg", "default")["data"] == {"a": "1", "b": "2", "other": "x"}


def test_apply_on_object_created_without_annotation_warns(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    text = _transcript(cluster, ["create -f cm.yaml", "apply -f cm.yaml"])
    golden("kubectl/apply-missing-annotation", text)
    assert "Warning: resource configmaps/cfg is missing the kubectl.kubernetes.io/last-applied-configuration" in text


def test_apply_errors_leave_cluster_unchanged(cluster, golden) -> None:
    cluster.files["ns.yaml"] = CONFIGMAP.replace("name: cfg", "name: cfg\n  namespace: a")
    cluster.files["bad.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  y: z: w\n"
    cluster.files["foo.yaml"] = "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n"
    cluster.files["multi.yaml"] = CONFIGMAP + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  x: y: z\n"
    cluster.files["empty.yaml"] = "# nothing\n"
    before = _state(cluster)
    text = _transcript(cluster, ["apply -f ns.yaml -n b", "apply -f bad.yaml", "apply -f foo.yaml", "apply",
                                 "apply -f nope.yaml", "apply -f empty.yaml", "apply -f ns.yaml",
                                 "apply -f bad.yaml --dry-run=bogus"])
    assert _state(cluster) == before
    text += _transcript(cluster, ["apply -f multi.yaml"])
    golden("kubectl/apply-errors", text)
    assert [c["metadata"]["name"] for c in cluster.client.list("configmaps", "default")
            if c["metadata"]["name"] in ("cfg", "b")] == ["cfg"]


def test_delete_forms(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    cluster.files["dep.yaml"] = DEPLOYMENT
    text = _transcript(cluster, [
        "apply -f cm.yaml", "apply -f dep.yaml", "delete -f cm.yaml", "delete configmap cfg",
        "delete configmap cfg --ignore-not-found", "delete deploy/my-dep --dry-run=client",
        "delete deployments -l app=web", "delete configmaps -l app=none", "delete", "delete pod",
        "delete pod a -l x=y", "delete pod/a pod", "delete pod a --cascade=bad", "delete pod a --now --grace-period=3",
        "delete pods --all",
    ])
    golden("kubectl/delete-forms", text)
    assert cluster.client.try_get("deployments", "my-dep", "default") is None


def test_delete_cascade_and_force(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    text = _transcript(cluster, ["apply -f cm.yaml", "delete cm cfg --cascade=false",
                                 "apply -f cm.yaml", "delete cm cfg --force --grace-period=0",
                                 "apply -f cm.yaml", "delete cm cfg -o name"])
    golden("kubectl/delete-cascade-force", text)


def test_replace_and_diff(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    text = _transcript(cluster, ["diff -f cm.yaml", "replace -f cm.yaml", "apply -f cm.yaml", "diff -f cm.yaml"])
    cluster.files["cm.yaml"] = CONFIGMAP.replace('  b: "2"', '  c: "3"')
    text += _transcript(cluster, ["diff -f cm.yaml", "replace -f cm.yaml", "replace -f cm.yaml --force", "replace",
                                  "diff"])
    golden("kubectl/replace-diff", text)
    assert cluster.client.get("configmaps", "cfg", "default")["data"] == {"a": "1", "c": "3"}


def test_diff_exit_codes(cluster) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    assert cluster.kubectl("diff -f cm.yaml").exit_code == 1
    cluster.kubectl("apply -f cm.yaml")
    assert cluster.kubectl("diff -f cm.yaml").exit_code == 0
    assert cluster.kubectl("diff -f nope.yaml").exit_code == 2


def test_wait_in_virtual_time(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    cluster.kubectl("apply -f cm.yaml")
    start = cluster.clock.now()
    text = _transcript(cluster, [
        "wait --for=jsonpath={.data.a}=1 cm/cfg",
        "wait --for=jsonpath={.data.a}=2 cm/cfg --timeout=5s",
        "wait --for=condition=Available deploy/missing",
        "wait --for=foo cm/cfg",
        "wait --for=jsonpath={.data.a}= cm/cfg",
        "wait --for=create cm/cfg",
    ])
    assert cluster.clock.now() - start == pytest.approx(5.0)
    cluster.kubectl("delete cm cfg")
    text += _transcript(cluster, ["wait --for=delete cm/cfg"])
    golden("kubectl/wait", text)


def test_edit_proxy_cluster_info(cluster, golden) -> None:
    before = _state(cluster)
    text = _transcript(cluster, ["edit deploy coredns -n kube-system", "edit pod nope", "proxy", "proxy --port=8011",
                                 "cluster-info"])
    assert _state(cluster) == before
    golden("kubectl/edit-proxy-cluster-info", text)


def test_apply_patch_error_is_wrapped_like_kubectl(cluster, golden) -> None:
    cluster.files["cm.yaml"] = CONFIGMAP
    cluster.kubectl("apply -f cm.yaml")
    before = _state(cluster)
    cluster.files["cm.yaml"] = CONFIGMAP + "bogus: 1\n"
    out = cluster.kubectl("apply -f cm.yaml")
    assert out.exit_code == 1 and _state(cluster) == before
    assert out.stderr.startswith("Error from server (BadRequest): error when applying patch:\n{")
    assert 'to:\nResource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\n' in out.stderr
    assert 'Name: "cfg", Namespace: "default"\nfor: "cm.yaml": ' in out.stderr


def test_apply_from_stdin(cluster) -> None:
    out = cluster.kubectl("apply -f -", stdin=CONFIGMAP)
    assert (out.stdout, out.exit_code) == ("configmap/cfg created\n", 0)
    bad = cluster.kubectl("apply -f -", stdin="a: b: c\n")
    assert bad.stderr == ("error: error parsing STDIN: error converting YAML to JSON: yaml: mapping values "
                          "are not allowed in this context\n")


def test_apply_refuses_generate_name(cluster):
    # applyOneObject: apply needs a name to compare with; generateName only works with create.
    cluster.files["gen.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: cm-\n"
    outcome = cluster.kubectl("apply -f gen.yaml")
    assert (outcome.stdout, outcome.stderr, outcome.exit_code) == (
        "", "error: from cm-: cannot use generate name with apply\n", 1)
    assert cluster.kubectl("create -f gen.yaml").stdout.startswith("configmap/cm-")


def test_apply_merges_service_ports_on_their_schema_key(cluster):
    # Service ports merge on `port` (x-kubernetes-patch-merge-key), not a container's containerPort:
    # re-applying is "unchanged", and a port removed from the file is removed from the live object.
    two_ports = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
                 "  ports:\n  - {name: http, port: 80}\n  - {name: https, port: 443}\n")
    cluster.files["svc.yaml"] = two_ports
    assert cluster.kubectl("apply -f svc.yaml").stdout == "service/web created\n"
    assert cluster.kubectl("apply -f svc.yaml").stdout == "service/web unchanged\n"
    cluster.files["svc.yaml"] = two_ports.replace("  - {name: https, port: 443}\n", "")
    assert cluster.kubectl("apply -f svc.yaml").stdout == "service/web configured\n"
    ports = cluster.client.get("services", "web", "default")["spec"]["ports"]
    assert [(p["name"], p["port"], p["targetPort"]) for p in ports] == [("http", 80, 80)]
