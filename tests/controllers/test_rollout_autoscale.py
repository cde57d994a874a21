"""kubectl rollout and autoscale against a cluster whose kubelets run Pods (skipped without them),
and the HPA's replica arithmetic."""

from __future__ import annotations

import importlib.util

import pytest

from kubenb.controllers.horizontalpodautoscaler import desired_replicas

HAS_KUBELET = importlib.util.find_spec("kubenb.node.kubelet") is not None
needs_kubelet = pytest.mark.skipif(not HAS_KUBELET, reason="kubenb.node.kubelet is not there yet")


def run(cluster, line):
    outcome = cluster.kubectl(line)
    return outcome.stdout + outcome.stderr, outcome.exit_code


@needs_kubelet
def test_rollout_status_history_undo(cluster):
    run(cluster, "create deployment my-dep --image=nginx --replicas=3")
    out, code = run(cluster, "rollout status deployment/my-dep")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == 'Waiting for deployment "my-dep" rollout to finish: 0 of 3 updated replicas are available...'
    assert lines[-1] == 'deployment "my-dep" successfully rolled out'
    assert all(line.startswith('Waiting for deployment "my-dep" rollout to finish: ') for line in lines[:-1])
    assert run(cluster, "rollout history deployment/my-dep") == (
        "deployment.apps/my-dep \nREVISION  CHANGE-CAUSE\n1         <none>\n\n", 0)
    cluster.client.mutate("deployments", "my-dep", "default", lambda d: (
        d["metadata"].setdefault("annotations", {}).__setitem__("kubernetes.io/change-cause", "image 1.28"),
        d["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "nginx:1.28")))
    cluster.settle()
    out, code = run(cluster, "rollout status deployment/my-dep --watch=false")
    assert code == 0 and out.startswith('Waiting for deployment "my-dep" rollout to finish: ')
    out, code = run(cluster, "rollout status deployment/my-dep --timeout=5m")
    assert out.endswith('deployment "my-dep" successfully rolled out\n')
    assert run(cluster, "rollout history deployment/my-dep") == (
        "deployment.apps/my-dep \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.28\n\n", 0)
    assert run(cluster, "rollout undo deployment/my-dep --to-revision=2") == (
        "deployment.apps/my-dep skipped rollback (current template already matches revision 2)\n", 0)
    assert run(cluster, "rollout undo deployment/my-dep --to-revision=7") == (
        "error: unable to find specified revision 7 in history\n", 1)
    assert run(cluster, "rollout undo deployment/my-dep") == ("deployment.apps/my-dep rolled back\n", 0)
    run(cluster, "rollout status deployment/my-dep")
    out, _ = run(cluster, "rollout history deployment/my-dep")
    assert out == "deployment.apps/my-dep \nREVISION  CHANGE-CAUSE\n2         image 1.28\n3         <none>\n\n"
    out, code = run(cluster, "rollout history deployment/my-dep --revision=2")
    assert code == 0 and out.startswith("deployment.apps/my-dep with revision #2\nPod Template:\n")
    assert "nginx:1.28" in out
    assert run(cluster, "rollout history deployment/my-dep --revision=9") == (
        "error: unable to find the specified revision\n", 1)


@needs_kubelet
def test_pause_resume_restart(cluster):
    run(cluster, "create deployment my-dep --image=nginx")
    assert run(cluster, "rollout pause deployment/my-dep") == ("deployment.apps/my-dep paused\n", 0)
    assert run(cluster, "rollout pause deployment/my-dep") == (
        'error: deployments.apps "my-dep" is already paused\n', 1)
    # The rollbacker looks for the previous revision before it looks at spec.paused.
    assert run(cluster, "rollout undo deployment/my-dep") == (
        'error: no rollout history found for deployment "my-dep"\n', 1)
    assert run(cluster, "rollout restart deployment/my-dep") == (
        'error: deployments.apps "my-dep" can\'t restart paused deployment (run rollout resume first)\n', 1)
    assert run(cluster, "rollout resume deployment/my-dep") == ("deployment.apps/my-dep resumed\n", 0)
    assert run(cluster, "rollout resume deployment/my-dep") == ('error: deployments.apps "my-dep" is not paused\n', 1)
    assert run(cluster, "rollout restart deployment/my-dep") == ("deployment.apps/my-dep restarted\n", 0)
    d = cluster.client.get("deployments", "my-dep", "default")
    assert d["spec"]["template"]["metadata"]["annotations"] == {"kubectl.kubernetes.io/restartedAt": cluster.now}
    assert run(cluster, "rollout pause daemonset/kube-proxy -n kube-system") == (
        'error: daemonsets.apps "kube-proxy" pausing is not supported\n', 1)


@needs_kubelet
def test_rollout_status_progress_deadline(cluster):
    run(cluster, "create deployment bad --image=nginx:does-not-exist")
    cluster.client.mutate("deployments", "bad", "default",
                          lambda d: d["spec"].__setitem__("progressDeadlineSeconds", 30))
    out, code = run(cluster, "rollout status deployment/bad")
    assert code == 1
    assert out.endswith('error: deployment "bad" exceeded its progress deadline\n')


def test_rollout_needs_a_resource(cluster):
    assert run(cluster, "rollout status") == ("error: required resource not specified\n", 1)
    assert run(cluster, "rollout status deployment/nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n', 1)


def test_autoscale_dry_run_and_validation(cluster):
    run(cluster, "create deployment web --image=nginx")
    out, code = run(cluster, "autoscale deployment web --min=2 --max=5 --cpu-percent=80 --dry-run=client -o yaml")
    assert code == 0
    assert out == (
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  creationTimestamp: null\n"
        "  name: web\nspec:\n  maxReplicas: 5\n  metrics:\n  - resource:\n      name: cpu\n      target:\n"
        "        averageUtilization: 80\n        type: Utilization\n    type: Resource\n  minReplicas: 2\n"
        "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\nstatus:\n"
        "  desiredReplicas: 0\n")
    assert run(cluster, "autoscale deployment web") == ('error: required flag(s) "max" not set\n', 1)
    assert run(cluster, "autoscale deployment web --max=2 --min=3") == (
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3\n", 1)
    assert run(cluster, "autoscale deployment web --max=3") == (
        "horizontalpodautoscaler.autoscaling/web autoscaled\n", 0)


def test_autoscale_missing_max_matches_real_kubectl(real_kubectl, cluster):
    real = real_kubectl("autoscale", "deployment", "web")
    ours = cluster.kubectl("autoscale deployment web")
    assert (ours.stderr, ours.exit_code) == (real.stderr, real.returncode)


def pod(name, cpu_request="100m", ready=True, phase="Running"):
    conditions = [{"type": "Ready", "status": "True" if ready else "False"}]
    return {"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "resources": {
        "requests": {"cpu": cpu_request}}}]}, "status": {"phase": phase, "conditions": conditions}}


@pytest.mark.parametrize(("usage", "target", "current", "expected"), [
    ({"a": 50, "b": 50}, 50, 2, (2, 50)),            # on target
    ({"a": 54, "b": 54}, 50, 2, (2, 54)),            # within the 10% tolerance
    ({"a": 100, "b": 100}, 50, 2, (4, 100)),         # ceil(2 * 100/50)
    ({"a": 90, "b": 80}, 50, 2, (4, 85)),            # ceil(2 * 85/50) = ceil(3.4)
    ({"a": 10, "b": 10}, 50, 2, (1, 10)),            # ceil(2 * 10/50) = ceil(0.4)
])
def test_hpa_replica_arithmetic(usage, target, current, expected):
    pods = [pod("a"), pod("b")]
    assert desired_replicas(current, target, pods, usage) == expected


def test_hpa_counts_missing_pods_against_the_move():
    pods = [pod("a"), pod("b"), pod("c")]
    # Scale-up: the Pod without metrics counts as 0%: (200+0)/2 pods... ratio with 3 Pods.
    assert desired_replicas(3, 50, pods, {"a": 100, "b": 100}) == (4, 100)
    # Scale-down: the missing Pod counts as 100% of its request, which cancels the move here.
    assert desired_replicas(3, 50, pods, {"a": 20, "b": 20}) == (3, 20)


@needs_kubelet
def test_statefulset_pods_start_in_order_with_real_kubelets(cluster):
    from kubenb.api import objects
    from kubenb.sim.clock import parse_rfc3339

    cluster.client.create({
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 3, "serviceName": "nginx", "selector": {"matchLabels": {"app": "nginx"}},
                 "template": {"metadata": {"labels": {"app": "nginx"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}})
    out, code = run(cluster, "rollout status statefulset/web")
    assert code == 0
    # rollingUpdate is defaulted (partition 0), so kubectl reports the partitioned form.
    assert out.splitlines()[-1] == "partitioned roll out complete: 3 new pods have been updated..."
    assert "Waiting for 1 pods to be ready..." in out.splitlines()
    pods = {objects.name(p): p for p in cluster.client.list("pods", "default")}
    created = [parse_rfc3339(pods[f"web-{i}"]["metadata"]["creationTimestamp"]) for i in range(3)]
    assert created[0] < created[1] < created[2]  # each waited for the previous one to be Ready
