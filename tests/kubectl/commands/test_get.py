"""kubectl get: tables, decorations, formats and errors, checked against golden files.

The goldens were reviewed against kubernetes-facts.md sections 1 and 8 and printers.go (see the
report of the printers helper); outputs that only depend on kubectl's client side are also compared
with the real kubectl where possible (test_structured.py, test_jsonpath.py).
"""

import json

import pytest
import yaml

from kubenb.kubectl.printers.structured import to_yaml

WEB = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                                   "ports": [{"containerPort": 80}]}]}}},
}
WEB_SVC = {
    "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
    "spec": {"type": "NodePort", "selector": {"app": "web"},
             "ports": [{"port": 80, "targetPort": 80, "nodePort": 30080, "protocol": "TCP"}]},
}
CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "default"},
          "data": {"mode": "on", "port": "80", "motd": "hello\nworld\n"}}


def _ghost_pod(name: str, status: dict, **spec) -> dict:
    """A pod bound to a node no kubelet runs, so its hand-written status stays as written."""
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "zoo",
                                                            "labels": {"zoo": "yes", "tier": name.split("-")[0]}},
            "spec": {"nodeName": "ghost-node", "containers": [{"name": "c", "image": "busybox"}], **spec},
            "status": status}


ZOO = [
    _ghost_pod("creating", {"phase": "Pending", "containerStatuses": [
        {"name": "c", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
    _ghost_pod("crashing", {"phase": "Running", "containerStatuses": [
        {"name": "c", "ready": False, "restartCount": 5, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-01-01T00:00:30Z"}}}]}),
    _ghost_pod("done", {"phase": "Succeeded", "containerStatuses": [
        {"name": "c", "ready": False, "restartCount": 0, "state": {"terminated": {"exitCode": 0,
                                                                                  "reason": "Completed"}}}]}),
    _ghost_pod("failed", {"phase": "Failed", "containerStatuses": [
        {"name": "c", "ready": False, "restartCount": 0, "state": {"terminated": {"exitCode": 2, "reason": "Error"}}}]}),
    _ghost_pod("init", {"phase": "Pending", "initContainerStatuses": [
        {"name": "setup", "ready": False, "restartCount": 0, "state": {"running": {}}}]},
        initContainers=[{"name": "setup", "image": "busybox"}]),
    _ghost_pod("pulling", {"phase": "Pending", "containerStatuses": [
        {"name": "c", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}),
]


@pytest.fixture
def scenario(cluster):
    client = cluster.client
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "zoo"}})
    for pod in ZOO:
        status = pod["status"]
        created = client.create({k: v for k, v in pod.items() if k != "status"})
        created["status"] = status
        client.update_status(created)
    client.create(WEB)
    client.create(WEB_SVC)
    client.create(CONFIG)
    cluster.advance(60)
    return cluster


COMMANDS = {
    "get-nodes": "get nodes",
    "get-nodes-wide": "get nodes -o wide",
    "get-ns": "get ns",
    "get-pods-system": "get pods -n kube-system",
    "get-pods-A": "get pods -A",
    "get-all": "get all",
    "get-all-A": "get all -A",
    "get-deploy-rs-po": "get deploy,rs,po",
    "get-deploy-wide": "get deploy -o wide",
    "get-rs-wide": "get rs -o wide",
    "get-svc": "get svc",
    "get-svc-wide-A": "get svc -A -o wide",
    "get-zoo": "get pods -n zoo",
    "get-zoo-show-labels": "get pods -n zoo --show-labels",
    "get-zoo-L": "get pods -n zoo -L tier,zoo,missing",
    "get-zoo-no-headers": "get pods -n zoo --no-headers",
    "get-zoo-sort": "get pods -n zoo --sort-by=.status.phase",
    "get-zoo-selector": "get pods -n zoo -l 'tier in (done,failed)'",
    "get-zoo-field-selector": "get pods -n zoo --field-selector status.phase=Pending",
    "get-type-name": "get deployment/web svc/web",
    "get-show-kind": "get deploy --show-kind",
    "get-cm-sa": "get cm,sa",
    "get-name": "get all -o name",
    "get-custom-columns": "get pods -n zoo -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName",
    "get-jsonpath": "get pods -n zoo -o jsonpath={.items[*].metadata.name}",
    "get-jsonpath-range": 'get nodes -o jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.nodeInfo.kubeletVersion}{"\\n"}{end}',
    "get-endpoints": "get endpoints",
    "get-events": "get events",
    "err-no-type": "get",
    "err-unknown-type": "get foo",
    "err-not-found": "get pods nope",
    "err-some-found": "get deploy web nope",
    "err-name-and-selector": "get pods web -l app=web",
    "err-mixed-forms": "get pods pod/x",
    "err-output": "get pods -o foo",
    "err-empty": "get pods -n empty",
    "err-empty-cluster-scoped": "get pv",
    "err-selector": "get pods -l 'app in (a'",
    "err-watch-two-types": "get pods,svc -w",
    "err-A-with-name": "get pods x -A",
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_get_golden(scenario, golden, name):
    outcome = scenario.kubectl(COMMANDS[name])
    golden(f"kubectl/get/{name}", f"$ kubectl {COMMANDS[name]}\n{outcome.stdout}--- stderr\n{outcome.stderr}"
                                  f"--- exit {outcome.exit_code}\n")


def test_node_row_is_kind_like(cluster):
    lines = cluster.kubectl("get nodes").stdout.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert lines[1] == "kubenb-control-plane   Ready    control-plane   2m    v1.33.1"


def test_yaml_list_shape(scenario):
    outcome = scenario.kubectl("get cm settings -o yaml")
    single = yaml.safe_load(outcome.stdout)
    assert single["kind"] == "ConfigMap"
    listed = scenario.kubectl("get cm -o yaml").stdout
    assert listed.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n")
    assert listed.endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    document = json.loads(scenario.kubectl("get cm -o json").stdout)
    assert document["kind"] == "List" and len(document["items"]) == 2
    assert scenario.kubectl("get cm settings -o json").stdout.startswith('{\n    "apiVersion": "v1",\n')
    assert to_yaml(single) == outcome.stdout


def test_yaml_quotes_ambiguous_strings(scenario):
    text = scenario.kubectl("get cm settings -o yaml").stdout
    assert '  mode: "on"\n' in text and '  port: "80"\n' in text and "  motd: |\n    hello\n    world\n" in text
    assert 'creationTimestamp: "2025-01-01T00:00:00Z"' in text


def test_watch_prints_changes_until_quiet(cluster):
    cluster.client.create(WEB)
    outcome = cluster.kubectl("get deploy web -w")
    lines = outcome.stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert lines[-1].split()[:2] == ["web", "2/2"]
    assert len(lines) > 2
    assert outcome.stderr == "kubenb: stopped watching: no more changes within 60s of virtual time\n"
    assert outcome.exit_code == 0


def test_watch_only_skips_the_initial_list(cluster):
    outcome = cluster.kubectl("get ns --watch-only --request-timeout=5s")
    assert outcome.stdout == ""
    assert "within 5s" in outcome.stderr


def test_structured_output_of_missing_objects(scenario):
    # printGeneric: a single named object that is missing gives its error alone, no empty List.
    single = scenario.kubectl("get cm nothere -o yaml")
    assert (single.stdout, single.exit_code) == ("", 1)
    assert single.stderr == 'Error from server (NotFound): configmaps "nothere" not found\n'
    # Several names: the List of what was found, then the errors.
    several = scenario.kubectl("get cm settings nothere -o json")
    assert json.loads(several.stdout)["kind"] == "List" and several.exit_code == 1
    # --ignore-not-found with nothing found prints nothing at all.
    for command in ("get cm nothere -o yaml --ignore-not-found", "get secrets -n empty -o json --ignore-not-found"):
        assert scenario.kubectl(command).stdout == ""
