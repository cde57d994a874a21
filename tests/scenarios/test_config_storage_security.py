"""Issue 8's "Done when", end to end through kubectl and %kubenb lint."""

from __future__ import annotations

from kubenb.cluster.core import transcript
from kubenb.jupyter.control import run_control
from kubenb.jupyter.session import Session

STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""


def test_statefulset_keeps_each_ordinals_data(cluster, golden) -> None:
    cluster.files["sts.yaml"] = STS
    text = transcript(cluster, ["kubectl apply -f sts.yaml"])
    cluster.advance(60)
    text += transcript(cluster, [
        "kubectl get pods,pvc",
        "kubectl exec db-0 -- sh -c 'echo zero > /data/who'",
        "kubectl exec db-1 -- sh -c 'echo one > /data/who'",
        "kubectl delete pod db-0",
    ])
    cluster.advance(60)
    text += transcript(cluster, ["kubectl get pods", "kubectl exec db-0 -- cat /data/who",
                                 "kubectl exec db-1 -- cat /data/who", "kubectl get pv"])
    golden("scenarios/statefulset-data", text)
    assert "$ kubectl exec db-0 -- cat /data/who\nzero\n" in text
    assert "$ kubectl exec db-1 -- cat /data/who\none\n" in text


def test_can_i_as_service_account(cluster, golden) -> None:
    text = transcript(cluster, [
        "kubectl create namespace dev",
        "kubectl create role pod-reader --verb=get --resource=pods -n dev",
        "kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=dev:default -n dev",
        "kubectl auth can-i create deployments --as=system:serviceaccount:dev:default",
        "kubectl auth can-i create deployments --as=system:serviceaccount:dev:default -n dev",
        "kubectl auth can-i get pods --as=system:serviceaccount:dev:default -n dev",
        "kubectl get pods -n dev --as=system:serviceaccount:dev:default",
    ])
    golden("scenarios/can-i", text)


def test_kubenb_lint_on_a_file_applied_then_patched(capsys, tmp_path) -> None:
    from tests.coach.test_coach import ALL_TEN

    path = tmp_path / "all-ten.yaml"
    path.write_text(ALL_TEN)
    session = Session()
    cluster = session.cluster
    assert cluster.kubectl(["apply", "-f", str(path)]).exit_code == 0
    assert cluster.kubectl("scale deployment web -n dev --replicas=4").exit_code == 0  # ad hoc: drift
    assert run_control(session, f"lint {path}") == 0
    out = capsys.readouterr().out
    for number in range(1, 11):
        assert f"(anti-pattern {number})" in out
    assert "spec.replicas: 2 (applied) -> 4 (live)" in out
    assert run_control(session, "lang ja") == 0
    assert run_control(session, "lint deployment/web -n dev") == 0
    assert "（アンチパターン7）" in capsys.readouterr().out
    assert run_control(session, "lint") == 1


def test_naked_pod_does_not_come_back_after_its_node_fails(cluster) -> None:
    """Anti-pattern 10's demonstration: the Deployment's Pod is replaced elsewhere, the naked Pod is not."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  nodeName: kubenb-worker\n"
           "  containers: [{name: c, image: nginx:1.27}]\n")
    assert cluster.kubectl("apply -f -", stdin=pod).exit_code == 0
    assert cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2").exit_code == 0
    cluster.advance(30)
    cluster.stop_node("kubenb-worker")
    cluster.advance(400)  # past the 300s not-ready toleration: the node's Pods are evicted
    pods = cluster.client.list("pods", "default")
    alive = [p["metadata"]["name"] for p in pods if not p["metadata"].get("deletionTimestamp")]
    assert "lonely" not in alive
    assert sum(1 for name in alive if name.startswith("web-")) == 2
    assert all(p["spec"]["nodeName"] == "kubenb-worker2" for p in pods if p["metadata"]["name"] in alive)
