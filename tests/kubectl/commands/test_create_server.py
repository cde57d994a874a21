"""create/run without --dry-run=client: objects reach the API server; errors wrapped as each generator wraps them."""

from __future__ import annotations

from kubenb import Cluster
from kubenb.cluster.core import transcript


def test_created_objects_and_wrapped_errors(golden) -> None:
    cluster = Cluster(seed=0, strict=True)
    cluster.files["web.yaml"] = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n")
    text = transcript(cluster, [
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment web2 --image=nginx --dry-run=server",
        "kubectl create namespace dev",
        "kubectl create namespace dev",
        "kubectl create configmap cfg --from-literal=a=1 -n dev",
        "kubectl create configmap cfg --from-literal=a=1 -n dev",
        "kubectl create secret generic s --from-literal=a=1",
        "kubectl create secret generic s --from-literal=a=1",
        "kubectl create service clusterip web --tcp=80",
        "kubectl create service clusterip web --tcp=80",
        "kubectl create job j --image=busybox -o name",
        "kubectl create job j --image=busybox",
        "kubectl run nginx --image=nginx",
        "kubectl run nginx --image=nginx",
        "kubectl create -f web.yaml",
        "kubectl create -f web.yaml",
        "kubectl create token default",
        "kubectl run nginx2 --image=nginx -it --rm",
    ])
    golden("kubectl/create/server-transcript", text)
    assert cluster.client.get("deployments", "web", "default")["spec"]["replicas"] == 1
    assert cluster.client.try_get("deployments", "web2", "default") is None
    assert cluster.client.get("configmaps", "cfg", "dev")["data"] == {"a": "1"}
    assert "creationTimestamp" in cluster.client.get("pods", "nginx", "default")["metadata"]


def test_save_config_annotation_reaches_the_server() -> None:
    cluster = Cluster(seed=0, strict=True)
    assert cluster.kubectl("create deployment web --image=nginx --save-config").ok
    notes = cluster.client.get("deployments", "web", "default")["metadata"]["annotations"]
    assert notes["kubectl.kubernetes.io/last-applied-configuration"].startswith('{"kind":"Deployment"')


def test_create_job_from_cronjob() -> None:
    cluster = Cluster(seed=0, strict=True)
    assert cluster.kubectl("create cronjob c --image=busybox --schedule='*/5 * * * *'").ok
    out = cluster.kubectl("create job manual --from=cronjob/c")
    assert out.stdout == "job.batch/manual created\n", out
    job = cluster.client.get("jobs", "manual", "default")
    assert job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"


def test_expose_a_deployment_from_the_server() -> None:
    cluster = Cluster(seed=0, strict=True)
    assert cluster.kubectl("create deployment web --image=nginx --port=80").ok
    out = cluster.kubectl("expose deployment web --port=8080 --target-port=80")
    assert (out.stdout, out.stderr, out.exit_code) == ("service/web exposed\n", "", 0)
    service = cluster.client.get("services", "web", "default")
    assert service["spec"]["selector"] == {"app": "web"}
    assert service["spec"]["ports"][0]["targetPort"] == 80
    missing = cluster.kubectl("expose deployment nope --port=80")
    assert missing.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    assert cluster.kubectl("expose deployment/web --port=80").stderr == \
        'Error from server (AlreadyExists): services "web" already exists\n'


def test_scale(golden) -> None:
    cluster = Cluster(seed=0, strict=True)
    text = transcript(cluster, [
        "kubectl create deployment web --image=nginx",
        "kubectl scale deployment web --replicas=3",
        "kubectl scale deploy/web --replicas=5 --current-replicas=2",
        "kubectl scale deploy/web --replicas=1 --current-replicas=3",
        "kubectl scale deploy web --replicas=4 --dry-run=client",
        "kubectl scale deploy web",
        "kubectl scale deploy web --replicas=-1",
        "kubectl scale deploy nope --replicas=1",
        "kubectl scale --replicas=2",
        "kubectl scale deploy --all --replicas=2 -o name",
    ])
    golden("kubectl/create/scale-transcript", text)
    assert cluster.client.get("deployments", "web", "default")["spec"]["replicas"] == 2


def test_set_image(golden) -> None:
    cluster = Cluster(seed=0, strict=True)
    text = transcript(cluster, [
        "kubectl create deployment web --image=nginx",
        "kubectl set image deployment/web nginx=nginx:1.27",
        "kubectl set image deployment web '*=nginx:1.28' -o name",
        "kubectl set image deployment/web nope=x",
        "kubectl set image deployment/web",
        "kubectl set image deployment/nope nginx=x",
    ])
    golden("kubectl/create/set-image-transcript", text)
    spec = cluster.client.get("deployments", "web", "default")["spec"]["template"]["spec"]
    assert spec["containers"][0]["image"] == "nginx:1.28"
