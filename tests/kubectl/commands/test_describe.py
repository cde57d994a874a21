"""kubectl describe per kind, checked against golden files (layout rules: kubernetes-facts.md 8.4)."""

import pytest

from tests.kubectl.commands.test_get import CONFIG, WEB, WEB_SVC, ZOO

JOB = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "default"},
       "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
           {"name": "pi", "image": "perl:5.34", "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(20)"]}]}}}}
CRON = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure", "containers": [{"name": "hello", "image": "busybox"}]}}}}}}
SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "default"},
          "type": "Opaque", "data": {"password": "czNjcjN0", "user": "YWRtaW4="}}
INGRESS = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "web", "namespace": "default"},
           "spec": {"ingressClassName": "nginx", "rules": [{"host": "web.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
ROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "reader", "namespace": "default"},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}
PROBED = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probed", "namespace": "zoo"},
          "spec": {"nodeName": "ghost-node", "containers": [{
              "name": "app", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"},
                                                         {"containerPort": 443}],
              "env": [{"name": "MODE", "value": "demo"},
                      {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
              "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
              "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
              "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
              "volumes": [{"name": "data", "emptyDir": {}}],
              "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                               "tolerationSeconds": 300}]}}


@pytest.fixture
def scenario(cluster):
    client = cluster.client
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "zoo"}})
    for pod in [*ZOO, PROBED]:
        status = pod.get("status")
        created = client.create({k: v for k, v in pod.items() if k != "status"})
        if status:
            created["status"] = status
            client.update_status(created)
    for obj in (WEB, WEB_SVC, CONFIG, JOB, CRON, SECRET, INGRESS, ROLE):
        client.create(obj)
    cluster.advance(60)
    return cluster


COMMANDS = {
    "deployment": "describe deployment web",
    "replicaset": "describe rs",
    "pod-running": "describe pods -l app=web",
    "pod-crashing": "describe pod crashing -n zoo",
    "pod-init": "describe pod init -n zoo",
    "pod-probed": "describe pod probed -n zoo",
    "service": "describe svc web",
    "service-kubernetes": "describe svc kubernetes",
    "node": "describe node kubenb-control-plane",
    "namespace": "describe ns default",
    "configmap": "describe cm settings",
    "secret": "describe secret db",
    "serviceaccount": "describe sa default",
    "job": "describe job pi",
    "cronjob": "describe cronjob hello",
    "ingress": "describe ingress web",
    "endpoints": "describe endpoints web",
    "endpointslice": "describe endpointslices -l kubernetes.io/service-name=web",
    "daemonset": "describe ds -n kube-system",
    "role": "describe role reader",
    "priorityclass": "describe priorityclass system-node-critical",
    "generic-controllerrevision": "describe controllerrevision -n kube-system",
    "prefix-match": "describe deploy we",
    "not-found": "describe pod nope",
    "no-events": "describe deploy web --show-events=false",
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_describe_golden(scenario, golden, name):
    outcome = scenario.kubectl(COMMANDS[name])
    golden(f"kubectl/describe/{name}", f"$ kubectl {COMMANDS[name]}\n{outcome.stdout}--- stderr\n{outcome.stderr}"
                                       f"--- exit {outcome.exit_code}\n")


def test_events_none_lines_up_with_the_block_above(scenario):
    text = scenario.kubectl("describe sa default").stdout
    assert text.endswith("Tokens:              <none>\nEvents:              <none>\n")


def test_events_table_is_flushed_separately(scenario):
    text = scenario.kubectl("describe deploy web").stdout
    assert "Events:\n  Type    Reason             Age   From                   Message\n" in text
    assert "  ----    ------             ----  ----                   -------\n" in text
