"""End to end: the lecture's nginx Pod and my-dep Deployment come back with every v1.33 default."""

import yaml

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod
  labels:
    app: nginx
spec:
  containers:
  - name: nginx-container
    image: nginx:latest
    ports:
    - containerPort: 80
"""

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-dep
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
"""

CONTAINER_DEFAULTS = {"resources": {}, "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File"}
POD_SPEC_DEFAULTS = {"dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "restartPolicy": "Always",
                     "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30}


def test_lecture_pod(cluster):
    created = cluster.client.create(yaml.safe_load(POD))
    spec = created["spec"]
    spec.pop("nodeName", None)
    # The ServiceAccount admission plugin's token volume, mounted read-only in every container.
    volume = spec["volumes"][0]["name"]
    assert volume.startswith("kube-api-access-") and len(volume) == len("kube-api-access-") + 5
    assert spec == {
        "containers": [{"name": "nginx-container", "image": "nginx:latest", "imagePullPolicy": "Always",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}], **CONTAINER_DEFAULTS,
                        "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                          "name": volume, "readOnly": True}]}],
        "volumes": [{"name": volume, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                        "path": "namespace"}]}}]}}],
        **POD_SPEC_DEFAULTS,
        "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
        "serviceAccount": "default", "serviceAccountName": "default",
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
             "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
             "tolerationSeconds": 300}],
    }
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_lecture_deployment(cluster):
    created = cluster.client.create(yaml.safe_load(DEPLOYMENT))
    assert created["metadata"]["generation"] == 1
    assert created["spec"] == {
        "progressDeadlineSeconds": 600, "replicas": 3, "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "nginx"}},
        "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2", "imagePullPolicy": "IfNotPresent",
                                     "ports": [{"containerPort": 80, "protocol": "TCP"}], **CONTAINER_DEFAULTS}],
                     **POD_SPEC_DEFAULTS},
        },
    }
    assert created["status"] == {}


def test_job_gets_generated_selector_and_labels(cluster):
    job = cluster.client.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": {
        "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}}}})
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert job["spec"]["manualSelector"] is False
    expected = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
                "controller-uid": uid, "job-name": "pi"}
    assert job["spec"]["template"]["metadata"]["labels"] == expected
    assert job["metadata"]["labels"] == expected
