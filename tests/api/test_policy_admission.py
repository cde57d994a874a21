"""ResourceQuota and LimitRange admission (api/policy.py) and the quota controller's status."""

from __future__ import annotations

LIMITS = """
apiVersion: v1
kind: LimitRange
metadata: {name: lr, namespace: team}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 200m, memory: 128Mi}
    max: {cpu: "1"}
"""
BIG = """
apiVersion: v1
kind: Pod
metadata: {name: big, namespace: team}
spec:
  containers:
  - {name: app, image: nginx:1.27, resources: {limits: {cpu: "2", memory: 100Mi}}}
"""


def _setup(cluster) -> None:
    assert cluster.kubectl("create namespace team").exit_code == 0
    assert cluster.kubectl("create quota q --hard=pods=2,requests.cpu=1,limits.memory=1Gi -n team").exit_code == 0


def test_quota_needs_requests_then_counts_pods(cluster) -> None:
    _setup(cluster)
    refused = cluster.kubectl("run a --image=nginx:1.27 -n team")
    assert refused.stderr == ('Error from server (Forbidden): pods "a" is forbidden: failed quota: q: must specify '
                              "limits.memory for: a; requests.cpu for: a\n")
    assert cluster.kubectl("apply -f -", stdin=LIMITS).exit_code == 0
    assert cluster.kubectl("run a --image=nginx:1.27 -n team").exit_code == 0
    assert cluster.kubectl("run b --image=nginx:1.27 -n team").exit_code == 0
    full = cluster.kubectl("run c --image=nginx:1.27 -n team")
    assert full.stderr == ('Error from server (Forbidden): pods "c" is forbidden: exceeded quota: q, requested: '
                           "pods=1, used: pods=2, limited: pods=2\n")
    assert cluster.client.try_get("pods", "c", "team") is None
    annotations = cluster.client.get("pods", "a", "team")["metadata"]["annotations"]
    assert annotations["kubernetes.io/limit-ranger"] == ("LimitRanger plugin set: cpu, memory request for container "
                                                         "a; cpu, memory limit for container a")


def test_describe_quota_shows_usage(cluster, golden) -> None:
    _setup(cluster)
    cluster.kubectl("apply -f -", stdin=LIMITS)
    cluster.kubectl("run a --image=nginx:1.27 -n team")
    cluster.kubectl("run b --image=nginx:1.27 -n team")
    text = cluster.kubectl("describe quota q -n team").stdout + cluster.kubectl("describe limitrange lr -n team").stdout
    golden("kubectl/describe/quota-and-limitrange", text)
    assert "limits.memory  512Mi  1Gi" in text


def test_limit_range_maximum(cluster) -> None:
    _setup(cluster)
    cluster.kubectl("apply -f -", stdin=LIMITS)
    refused = cluster.kubectl("apply -f -", stdin=BIG)
    assert refused.stderr == ('Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: '
                              "maximum cpu usage per Container is 1, but limit is 2\n")
    assert refused.exit_code == 1


def test_secret_string_data_is_folded_into_data(cluster) -> None:
    manifest = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {user: admin}\ndata: {pw: aHVudGVyMg==}\n"
    assert cluster.kubectl("apply -f -", stdin=manifest).exit_code == 0
    secret = cluster.client.get("secrets", "s", "default")
    assert secret["data"] == {"pw": "aHVudGVyMg==", "user": "YWRtaW4="}
    assert "stringData" not in secret
