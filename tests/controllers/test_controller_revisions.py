"""ControllerRevisions of DaemonSets and StatefulSets, and kubectl rollout history / undo over them."""

from __future__ import annotations

from kubenb.api import objects
from kubenb.controllers import history

DAEMONSET = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: nginx:1.27
"""

STATEFULSET = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 2
  serviceName: web
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


def run(cluster, line, stdin=""):
    outcome = cluster.kubectl(line, stdin=stdin)
    return outcome.stdout + outcome.stderr, outcome.exit_code


def session(cluster, lines):
    text = ""
    for line in lines:
        out, code = run(cluster, line)
        text += f"$ kubectl {line}\n{out}--- exit {code}\n"
        cluster.advance(60)
    return text


def revisions_of(cluster, owner):
    found = [r for r in cluster.client.list("controllerrevisions", "default")
             if (objects.controller_ref(r) or {}).get("name") == owner]
    return sorted(found, key=lambda r: r["revision"])


# --- hashing and encoding ---------------------------------------------------------------------------------

def test_fnv32_is_fnv1_not_fnv1a():
    # Reference vectors of FNV-1 (32 bit); FNV-1a of "a" would be 0xe40c292c.
    assert history.fnv32(b"") == 0x811C9DC5
    assert history.fnv32(b"a") == 0x050C5D7E
    assert history.fnv32(b"foobar") == 0x31F0B262


def test_go_json_sorts_keys_and_escapes_html():
    assert history.go_json({"b": 1, "a": {"d": None, "c": "<&>"}}) == \
        b'{"a":{"c":"\\u003c\\u0026\\u003e","d":null},"b":1}'


def test_revision_data_is_a_replace_patch_of_the_template():
    data = history.get_patch({"spec": {"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"x": 1}}}})
    assert data == {"spec": {"template": {"$patch": "replace", "metadata": {"creationTimestamp": None,
                                                                           "labels": {"a": "b"}},
                                          "spec": {"x": 1}}}}
    # The probe (collision count) is part of the hash.
    assert history.hash_controller_revision(data, 0) != history.hash_controller_revision(data, 1)


# --- DaemonSets --------------------------------------------------------------------------------------------

def test_daemonset_revisions_history_and_undo(cluster, golden):
    run(cluster, "apply -f -", DAEMONSET)
    cluster.advance(60)
    (first,) = revisions_of(cluster, "agent")
    hash_ = objects.labels(first)["controller-revision-hash"]
    assert objects.name(first) == f"agent-{hash_}" and first["revision"] == 1
    assert objects.labels(first)["app"] == "agent"
    assert first["data"]["spec"]["template"]["$patch"] == "replace"
    pods = [p for p in cluster.client.list("pods", "default")]
    assert pods and all(objects.labels(p)["controller-revision-hash"] == hash_ for p in pods)
    assert all(objects.labels(p)["pod-template-generation"] == "1" for p in pods)
    text = session(cluster, [
        "get controllerrevisions",
        "rollout history daemonset/agent",
        "rollout undo daemonset/agent",
        "annotate daemonset/agent kubernetes.io/change-cause='image 1.28'",
        "set image daemonset/agent agent=nginx:1.28",
        "rollout status daemonset/agent --timeout=5m",
        "get controllerrevisions",
        "rollout history daemonset/agent",
        "rollout history daemonset/agent --revision=1",
        "rollout history daemonset/agent --revision=9",
        "rollout undo daemonset/agent --to-revision=9",
        "rollout undo daemonset/agent --to-revision=2",
        "rollout undo daemonset/agent --dry-run=client",
        "rollout undo daemonset/agent",
        "rollout status daemonset/agent --timeout=5m",
        "get controllerrevisions",
        "rollout history daemonset/agent",
        "get pods -l app=agent -o jsonpath={.items[*].metadata.labels.controller-revision-hash}",
    ])
    golden("controllers/revisions-daemonset", text)
    # Undo reused revision 1's ControllerRevision under the next number, as constructHistory does.
    revs = revisions_of(cluster, "agent")
    assert [(objects.name(r), r["revision"]) for r in revs][-1] == (objects.name(first), 3)
    assert len(revs) == 2


def test_daemonset_history_limit_keeps_the_newest_unused_revisions(cluster):
    run(cluster, "apply -f -", DAEMONSET.replace("spec:\n  selector", "spec:\n  revisionHistoryLimit: 1\n  selector"))
    cluster.advance(30)
    for tag in ("1.28", "1.29", "1.30"):
        run(cluster, f"set image daemonset/agent agent=nginx:{tag}")
        cluster.advance(120)
    revs = revisions_of(cluster, "agent")
    # The current revision plus at most one old one no Pod runs.
    assert [r["revision"] for r in revs] == [3, 4]


def test_deleting_the_daemonset_collects_its_revisions(cluster):
    run(cluster, "apply -f -", DAEMONSET)
    cluster.advance(30)
    assert revisions_of(cluster, "agent")
    run(cluster, "delete daemonset agent")
    cluster.advance(30)
    assert revisions_of(cluster, "agent") == []


# --- StatefulSets ------------------------------------------------------------------------------------------

def test_statefulset_status_names_its_revisions(cluster, golden):
    run(cluster, "apply -f -", STATEFULSET)
    cluster.advance(120)
    (first,) = revisions_of(cluster, "web")
    status = cluster.client.get("statefulsets", "web", "default")["status"]
    assert status["currentRevision"] == status["updateRevision"] == objects.name(first)
    assert status["collisionCount"] == 0
    labels = objects.labels(cluster.client.get("pods", "web-1", "default"))
    assert labels["controller-revision-hash"] == objects.name(first)
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-1" and labels["apps.kubernetes.io/pod-index"] == "1"
    text = session(cluster, [
        "rollout history statefulset/web",
        "rollout undo statefulset/web",
        "set image statefulset/web nginx=nginx:1.28",
        "rollout status statefulset/web --timeout=5m",
        "get controllerrevisions",
        "rollout history statefulset/web --revision=2",
        "rollout undo statefulset/web --to-revision=2",
        "rollout undo statefulset/web",
        "rollout status statefulset/web --timeout=5m",
        "get controllerrevisions",
        "rollout history statefulset/web",
    ])
    golden("controllers/revisions-statefulset", text)
    status = cluster.client.get("statefulsets", "web", "default")["status"]
    assert status["updateRevision"] == status["currentRevision"] == objects.name(first)
    assert first["revision"] == 1 and revisions_of(cluster, "web")[-1]["revision"] == 3


def test_statefulset_pods_below_the_partition_keep_the_current_revision(cluster):
    run(cluster, "apply -f -", STATEFULSET)
    cluster.advance(120)
    (first,) = revisions_of(cluster, "web")
    cluster.client.mutate("statefulsets", "web", "default", lambda s: (
        s["spec"]["updateStrategy"].__setitem__("rollingUpdate", {"partition": 1}),
        s["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "nginx:1.28")))
    cluster.advance(120)
    update = revisions_of(cluster, "web")[-1]
    assert objects.labels(cluster.client.get("pods", "web-1", "default"))["controller-revision-hash"] == \
        objects.name(update)
    # A recreated Pod below the partition comes back from the current revision's template.
    run(cluster, "delete pod web-0")
    cluster.advance(120)
    pod = cluster.client.get("pods", "web-0", "default")
    assert objects.labels(pod)["controller-revision-hash"] == objects.name(first)
    assert pod["spec"]["containers"][0]["image"] == "nginx:1.27"
    status = cluster.client.get("statefulsets", "web", "default")["status"]
    assert (status["currentRevision"], status["updateRevision"]) == (objects.name(first), objects.name(update))


def test_history_with_output_prints_the_revision_objects(cluster):
    run(cluster, "apply -f -", DAEMONSET)
    cluster.advance(30)
    run(cluster, "set image daemonset/agent agent=nginx:1.28")
    cluster.advance(120)
    names = [f"controllerrevision.apps/{objects.name(r)}" for r in revisions_of(cluster, "agent")]
    assert run(cluster, "rollout history daemonset/agent -o name") == ("".join(n + "\n" for n in names), 0)
    out, code = run(cluster, "rollout history daemonset/agent -o yaml")
    assert code == 0 and out.count("kind: ControllerRevision") == 2 and out.count("---\n") == 1
    out, code = run(cluster, "rollout history daemonset/agent -o yaml --revision=2")
    assert code == 0 and "revision: 2\n" in out and "$patch: replace" in out
    assert run(cluster, "rollout history daemonset/agent -o name --revision=5") == (
        "error: unable to find the specified revision\n", 1)


# --- Deployments (DeploymentRollbacker's order of checks) ------------------------------------------------

def test_deployment_undo_checks_in_upstream_order(cluster):
    run(cluster, "create deployment web --image=nginx:1.27")
    cluster.advance(60)
    run(cluster, "set image deployment/web nginx=nginx:1.28")
    cluster.advance(120)
    out, code = run(cluster, "rollout undo deployment/web --dry-run=client")
    assert code == 0 and out.startswith("deployment.apps/web Pod Template:\n  Labels:  app=web\n")
    assert "pod-template-hash=" in out and "nginx:1.27" in out
    assert run(cluster, "rollout undo deployment/web --to-revision=-1") == (
        "error: unable to find specified revision -1 in history\n", 1)
    assert run(cluster, "rollout undo deployment/web --to-revision=2") == (
        "deployment.apps/web skipped rollback (current template already matches revision 2)\n", 0)
    run(cluster, "rollout pause deployment/web")
    assert run(cluster, "rollout undo deployment/web") == (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try "
        "again\n", 1)
    assert cluster.client.get("deployments", "web", "default")["spec"]["template"]["spec"]["containers"][0][
        "image"] == "nginx:1.28"
