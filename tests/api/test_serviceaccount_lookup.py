"""The ServiceAccount admission refuses a Pod naming an account that does not exist (Forbidden)."""

import pytest

from kubenb.api.errors import StatusError

NOT_FOUND = 'error looking up service account default/robot: serviceaccount "robot" not found'

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: robot
      containers: [{name: nginx, image: nginx:1.27}]
"""


def pod(name: str, account: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"serviceAccountName": account, "containers": [{"name": "c", "image": "nginx:1.27"}]}}


def test_a_pod_naming_a_missing_account_is_forbidden_and_not_stored(cluster):
    with pytest.raises(StatusError) as caught:
        cluster.client.create(pod("x", "robot"))
    assert caught.value.code == 403
    assert caught.value.message == f'pods "x" is forbidden: {NOT_FOUND}'
    assert cluster.client.try_get("pods", "x", "default") is None


def test_kubectl_prints_the_apiserver_error(cluster):
    cluster.files["p.yaml"] = ("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  serviceAccountName: robot\n"
                               "  containers: [{name: c, image: nginx:1.27}]\n")
    outcome = cluster.kubectl("apply -f p.yaml")
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert outcome.stderr == ('Error from server (Forbidden): error when creating "p.yaml": '
                              f'pods "x" is forbidden: {NOT_FOUND}\n')


def test_the_default_account_and_an_existing_one_are_accepted(cluster):
    cluster.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fresh"}})
    # The default account of a Namespace created this instant: upstream retries its lookup while the
    # ServiceAccount controller creates it, so the Pod is not refused.
    fresh = pod("a", "default")
    fresh["metadata"]["namespace"] = "fresh"
    cluster.client.create(fresh)
    cluster.kubectl("create serviceaccount robot")
    assert cluster.client.create(pod("b", "robot"))["spec"]["serviceAccountName"] == "robot"


def test_a_replicaset_reports_failed_create_with_the_generate_name_until_the_account_exists(cluster):
    cluster.files["d.yaml"] = DEPLOYMENT
    assert cluster.kubectl("apply -f d.yaml").exit_code == 0
    cluster.run_until(lambda: False, 60)
    [rs] = cluster.client.list("replicasets", "default")
    prefix = rs["metadata"]["name"] + "-"
    assert cluster.client.list("pods", "default") == []
    assert [c["reason"] for c in rs["status"]["conditions"] if c["type"] == "ReplicaFailure"] == ["FailedCreate"]
    failures = [e for e in cluster.client.list("events", "default") if e["reason"] == "FailedCreate"]
    # One aggregated event: the message names the generateName, as the apiserver's mutating admission sees it.
    assert [e["message"] for e in failures] == [f'Error creating: pods "{prefix}" is forbidden: {NOT_FOUND}']
    assert failures[0]["count"] > 1
    cluster.kubectl("create serviceaccount robot")
    cluster.run_until(lambda: len(cluster.client.list("pods", "default")) == 2, 1200)
    pods = cluster.client.list("pods", "default")
    assert len(pods) == 2 and all(p["spec"]["serviceAccountName"] == "robot" for p in pods)


def test_system_addons_run_as_their_own_accounts(cluster):
    names = [a["metadata"]["name"] for a in cluster.client.list("serviceaccounts", "kube-system")]
    assert names == ["coredns", "default", "kube-proxy"]
    running = [p for p in cluster.client.list("pods", "kube-system") if p["status"].get("phase") == "Running"]
    assert {p["spec"].get("serviceAccountName") for p in running} >= {"coredns", "kube-proxy"}
