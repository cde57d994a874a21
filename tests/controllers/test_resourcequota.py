"""ResourceQuota end to end: status.used after creates and deletes, the Forbidden texts, and
Deployments whose Pods a quota refuses (ReplicaFailure, FailedCreate, recovery when quota frees up).

Upstream: plugin/pkg/admission/resourcequota (checkRequest: every quota's constraints, then usage;
"exceeded quota: %s, requested: %s, used: %s, limited: %s" with sorted name=value lists),
pkg/quota/v1/evaluator/core (pods, services, persistentvolumeclaims), kubectl describe.go
(describeQuota) and printers.go (v1.33 columns NAME REQUEST LIMIT AGE, PR #129419).
"""

from __future__ import annotations

from kubenb.api import policy

QUOTA = ("create quota q -n team --hard=pods=3,requests.cpu=1,limits.cpu=2,requests.memory=1Gi,limits.memory=2Gi,"
         "services=2,services.nodeports=1,configmaps=3,persistentvolumeclaims=1,requests.storage=2Gi,"
         "count/deployments.apps=2")
POD = """apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: team}}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {{requests: {{cpu: {cpu}, memory: 256Mi}}, limits: {{cpu: 600m, memory: 512Mi}}}}
"""
PVC = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}, namespace: team}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 400m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
"""


def run(cluster, log: list[str], command: str, stdin: str = "") -> str:
    outcome = cluster.kubectl(command, stdin=stdin)
    log.append(f"$ kubectl {command}\n{outcome.stdout}{outcome.stderr}")
    return outcome.stdout + outcome.stderr


def test_usage_follows_creates_and_deletes(cluster, golden) -> None:
    log: list[str] = []
    run(cluster, log, "create namespace team")
    run(cluster, log, QUOTA)
    cluster.advance(5)
    table = run(cluster, log, "get quota -n team")
    assert table.splitlines()[0].split() == ["NAME", "REQUEST", "LIMIT", "AGE"]  # v1.33: AGE moved last
    run(cluster, log, "apply -f -", POD.format(name="a", cpu="300m"))
    run(cluster, log, "apply -f -", POD.format(name="b", cpu="300m"))
    run(cluster, log, "create configmap settings -n team --from-literal=MODE=prod")
    run(cluster, log, "create service nodeport front --tcp=80 -n team")
    run(cluster, log, "create service clusterip back --tcp=80 -n team")
    run(cluster, log, "apply -f -", PVC.format(name="data", size="1Gi"))
    cluster.advance(5)
    text = run(cluster, log, "describe quota q -n team")
    # kube-root-ca.crt is a ConfigMap of every namespace, so it counts too.
    for row in ("configmaps              2      3", "limits.cpu              1200m  2",
                "limits.memory           1Gi    2Gi", "persistentvolumeclaims  1      1",
                "pods                    2      3", "requests.cpu            600m   1",
                "requests.memory         512Mi  1Gi", "requests.storage        1Gi    2Gi",
                "services                2      2", "services.nodeports      1      1"):
        assert row in text, row
    run(cluster, log, "get quota -n team")
    run(cluster, log, "delete pod a -n team")
    run(cluster, log, "delete configmap settings -n team")
    run(cluster, log, "delete service front -n team")
    run(cluster, log, "delete pvc data -n team")
    cluster.advance(40)
    text = run(cluster, log, "describe quota q -n team")
    for row in ("configmaps              1      3", "pods                    1      3",
                "requests.cpu            300m   1", "requests.memory         256Mi  1Gi",
                "services                1      2", "services.nodeports      0      1",
                "persistentvolumeclaims  0      1", "requests.storage        0      2Gi"):
        assert row in text, row
    quota = cluster.client.get("resourcequotas", "q", "team")
    assert quota["status"]["hard"] == quota["spec"]["hard"]
    golden("controllers/resourcequota-usage", "".join(log))


def test_exceeded_quota_texts(cluster) -> None:
    log: list[str] = []
    run(cluster, log, "create namespace team")
    run(cluster, log, QUOTA)
    run(cluster, log, "apply -f -", POD.format(name="a", cpu="600m"))
    assert run(cluster, log, "apply -f -", POD.format(name="b", cpu="600m")) == (
        'Error from server (Forbidden): error when creating "STDIN": pods "b" is forbidden: exceeded quota: q, '
        "requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1\n")
    run(cluster, log, "create service nodeport one --tcp=80 -n team")
    assert run(cluster, log, "create service nodeport two --tcp=80,443 -n team") == (
        'error: failed to create NodePort service: services "two" is forbidden: exceeded quota: q, requested: '
        "services.nodeports=2, used: services.nodeports=1, limited: services.nodeports=1\n")
    assert run(cluster, log, "apply -f -", PVC.format(name="big", size="3Gi")) == (
        'Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "big" is forbidden: '
        "exceeded quota: q, requested: requests.storage=3Gi, used: requests.storage=0, limited: "
        "requests.storage=2Gi\n")
    run(cluster, log, "create quota few -n team --hard=pods=1,configmaps=1")
    # Several resources over: each list sorted by name, joined with commas.
    assert run(cluster, log, "create configmap extra -n team") == (
        'error: failed to create configmap: configmaps "extra" is forbidden: exceeded quota: few, requested: '
        "configmaps=1, used: configmaps=1, limited: configmaps=1\n")
    assert cluster.client.try_get("configmaps", "extra", "team") is None


def test_must_specify_names_every_container_and_checks_every_quota_first(cluster) -> None:
    log: list[str] = []
    run(cluster, log, "create namespace team")
    run(cluster, log, "create quota a-count -n team --hard=pods=0")
    run(cluster, log, "create quota b-compute -n team --hard=limits.cpu=2,limits.memory=2Gi,requests.cpu=1")
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: team}\nspec:\n"
           "  initContainers:\n  - {name: setup, image: busybox:1.36, resources: {limits: {cpu: 100m}}}\n"
           "  containers:\n  - {name: zeta, image: nginx:1.27}\n"
           "  - {name: app, image: nginx:1.27, resources: {limits: {memory: 64Mi}}}\n")
    # b-compute's constraints are checked before a-count's usage, though a-count comes first.
    assert run(cluster, log, "apply -f -", pod) == (
        'Error from server (Forbidden): error when creating "STDIN": pods "x" is forbidden: failed quota: '
        "b-compute: must specify limits.cpu for: app,zeta; limits.memory for: setup,zeta; "
        "requests.cpu for: app,zeta\n")
    assert run(cluster, log, "apply -f -", POD.format(name="late", cpu="100m")) == (
        'Error from server (Forbidden): error when creating "STDIN": pods "late" is forbidden: exceeded quota: '
        "a-count, requested: pods=1, used: pods=0, limited: pods=0\n")


def test_a_pod_counts_its_largest_init_container_and_a_finished_pod_frees_compute(cluster) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}}}],
        "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}},
                       {"name": "b", "resources": {"requests": {"cpu": "500m"}}}],
        "overhead": {"cpu": "100m"}}}
    usage = policy.object_usage("pods", "", pod)
    assert str(usage["requests.cpu"]) == "2100m" and str(usage["cpu"]) == "2100m"
    assert str(usage["requests.memory"]) == "1Gi" and str(usage["pods"]) == "1"
    pod["status"] = {"phase": "Succeeded"}
    assert {k: str(v) for k, v in policy.object_usage("pods", "", pod).items()} == {"count/pods": "1"}
    claim = {"spec": {"storageClassName": "standard", "resources": {"requests": {"storage": "5Gi"}}}}
    assert {k: str(v) for k, v in policy.object_usage("persistentvolumeclaims", "", claim).items()} == {
        "count/persistentvolumeclaims": "1", "persistentvolumeclaims": "1", "requests.storage": "5Gi",
        "standard.storageclass.storage.k8s.io/persistentvolumeclaims": "1",
        "standard.storageclass.storage.k8s.io/requests.storage": "5Gi"}


def test_describe_shows_used_in_the_format_of_hard(cluster) -> None:
    log: list[str] = []
    run(cluster, log, "create namespace team")
    run(cluster, log, "create quota q -n team --hard=requests.memory=2G,requests.cpu=1")
    run(cluster, log, "apply -f -", POD.format(name="a", cpu="250m"))
    text = run(cluster, log, "describe quota q -n team")
    assert "requests.memory  268435456  2G\n" in text  # 256Mi shown as an integer of hard's (decimal) format
    assert "requests.cpu     250m       1\n" in text


def test_refused_pods_of_a_deployment(cluster, golden) -> None:
    log: list[str] = []
    run(cluster, log, "create namespace team")
    run(cluster, log, "create quota q -n team --hard=pods=2")
    run(cluster, log, "apply -f -", DEPLOYMENT)
    cluster.advance(30)
    run(cluster, log, "get deployment,replicaset -n team")
    rs = cluster.client.list("replicasets", "team")[0]
    failure = [c for c in rs["status"]["conditions"] if c["type"] == "ReplicaFailure"]
    assert len(failure) == 1 and failure[0]["reason"] == "FailedCreate" and failure[0]["status"] == "True"
    assert failure[0]["message"].startswith(f'pods "{rs["metadata"]["name"]}-')
    assert failure[0]["message"].endswith('" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, '
                                          "limited: pods=2")
    deployment = cluster.client.get("deployments", "web", "team")
    types = [(c["type"], c["status"], c["reason"]) for c in deployment["status"]["conditions"]]
    assert types == [("Available", "False", "MinimumReplicasUnavailable"), ("ReplicaFailure", "True", "FailedCreate"),
                     ("Progressing", "True", "ReplicaSetUpdated")]
    text = run(cluster, log, "describe deployment web -n team")
    assert "  ReplicaFailure   True    FailedCreate\n" in text
    text = run(cluster, log, "describe replicaset -n team")
    assert "Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n" \
           "  ReplicaFailure   True    FailedCreate\n" in text
    events = [e for e in cluster.client.list("events", "team") if e["reason"] == "FailedCreate"]
    assert all(e["type"] == "Warning" and e["involvedObject"]["kind"] == "ReplicaSet" for e in events)
    # Retries with back-off: 9 events of their own, then the EventAggregator's combined one.
    plain = [e for e in events if e["message"].startswith('Error creating: pods "web-')]
    combined = [e for e in events if e["message"].startswith('(combined from similar events): Error creating: '
                                                             'pods "web-')]
    assert len(plain) == 9 and len(combined) == 1 and combined[0]["count"] > 1
    assert "FailedCreate      7s (x9 over 30s)  replicaset-controller  (combined from similar events): " in text
    # The controller keeps retrying with back-off, so raising the quota is enough.
    run(cluster, log, """patch quota q -n team -p '{"spec":{"hard":{"pods":"3"}}}'""")
    cluster.advance(1200)
    run(cluster, log, "get deployment web -n team")
    deployment = cluster.client.get("deployments", "web", "team")
    assert deployment["status"].get("readyReplicas") == 3
    assert "ReplicaFailure" not in [c["type"] for c in deployment["status"]["conditions"]]
    rs = cluster.client.get("replicasets", rs["metadata"]["name"], "team")
    assert "conditions" not in rs["status"]
    golden("controllers/resourcequota-deployment", "".join(log[:4] + log[-2:]))
