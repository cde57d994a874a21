"""v1.33 defaulting: each SetDefaults_* value and the defaulting admission plugins."""

import pytest

from kubenb.api import defaults, resources


def default(obj):
    defaults.apply_defaults(resources.for_object(obj), obj)
    return obj


def pod_spec(**container):
    return {"containers": [{"name": "c", "image": "nginx", **container}]}


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.14.2", "IfNotPresent"),
    ("localhost:5000/app", "Always"), ("localhost:5000/app:v1", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
])
def test_image_pull_policy(image, policy):
    pod = default({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod_spec(image=image)})
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_pod_defaults():
    pod = default({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod_spec(
        ports=[{"containerPort": 80}],
        livenessProbe={"httpGet": {"port": 80}},
        resources={"limits": {"cpu": "0.5", "memory": "128Mi"}})})
    spec = pod["spec"]
    container = spec["containers"][0]
    assert {k: spec[k] for k in ("dnsPolicy", "restartPolicy", "schedulerName", "terminationGracePeriodSeconds",
                                 "securityContext", "serviceAccountName", "serviceAccount", "enableServiceLinks",
                                 "preemptionPolicy", "priority")} == {
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "terminationGracePeriodSeconds": 30, "securityContext": {}, "serviceAccountName": "default",
        "serviceAccount": "default", "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0}
    assert spec["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 300}]
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["terminationMessagePolicy"] == "File"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
                                          "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                                          "failureThreshold": 3}
    # requests default to limits; quantities come back canonical
    assert container["resources"] == {"limits": {"cpu": "500m", "memory": "128Mi"},
                                      "requests": {"cpu": "500m", "memory": "128Mi"}}


def test_existing_toleration_is_kept():
    spec = pod_spec()
    spec["tolerations"] = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": 10}]
    pod = default({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    assert [t["key"] for t in pod["spec"]["tolerations"]] == ["node.kubernetes.io/unreachable",
                                                             "node.kubernetes.io/not-ready"]
    assert pod["spec"]["tolerations"][0]["tolerationSeconds"] == 10


def template():
    return {"metadata": {"labels": {"app": "a"}}, "spec": pod_spec()}


def test_deployment_defaults():
    d = default({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                 "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": template()}})
    spec = d["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600
    assert spec["template"]["metadata"]["creationTimestamp"] is None
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert "tolerations" not in spec["template"]["spec"]  # admission plugins only touch pods


def test_recreate_has_no_rolling_update():
    d = default({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                 "spec": {"strategy": {"type": "Recreate"}, "template": template()}})
    assert d["spec"]["strategy"] == {"type": "Recreate"}


def test_daemon_set_and_stateful_set_defaults():
    ds = default({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"},
                  "spec": {"template": template()}})
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10
    sts = default({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
                   "spec": {"template": template()}})
    spec = sts["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert spec["replicas"] == 1 and spec["revisionHistoryLimit"] == 10


def test_job_and_cron_job_defaults():
    job = default({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                   "spec": {"template": {"spec": {**pod_spec(), "restartPolicy": "Never"}}}})
    spec = job["spec"]
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"], spec["completionMode"],
            spec["suspend"], spec["podReplacementPolicy"]) == (1, 1, 6, "NonIndexed", False, "TerminatingOrFailed")
    parallel = default({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                        "spec": {"parallelism": 3, "template": {"spec": pod_spec()}}})
    assert "completions" not in parallel["spec"]
    cj = default({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
                  "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec()}}}}})
    spec = cj["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"], spec["successfulJobsHistoryLimit"],
            spec["failedJobsHistoryLimit"]) == ("Allow", False, 3, 1)
    assert spec["jobTemplate"]["metadata"] == {"creationTimestamp": None}


def test_service_defaults():
    svc = default({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                   "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}})
    assert svc["spec"] == {"selector": {"app": "a"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                           "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                           "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}
    lb = default({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                  "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "targetPort": 8080}]}})
    assert lb["spec"]["externalTrafficPolicy"] == "Cluster"
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True
    assert lb["spec"]["ports"][0]["targetPort"] == 8080
    ext = default({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                   "spec": {"type": "ExternalName", "externalName": "example.com"}})
    assert "ipFamilies" not in ext["spec"]


def test_namespace_secret_pvc_defaults():
    ns = default({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["status"] == {"phase": "Active"}
    assert default({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})["type"] == "Opaque"
    pvc = default({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"}, "spec": {}})
    assert pvc["spec"]["volumeMode"] == "Filesystem"


def test_hpa_v2_defaults():
    hpa = default({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                   "spec": {"maxReplicas": 5, "behavior": {}}})
    spec = hpa["spec"]
    assert spec["minReplicas"] == 1
    assert spec["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    assert spec["behavior"]["scaleUp"]["policies"] == [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                                       {"type": "Percent", "value": 100, "periodSeconds": 15}]
    assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 300


def test_priority_class_preemption_policy_defaults_to_preempt_lower_priority(cluster):
    created = cluster.client.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                     "metadata": {"name": "high"}, "value": 1000})
    assert created["preemptionPolicy"] == "PreemptLowerPriority"
    kept = cluster.client.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                  "metadata": {"name": "polite"}, "value": 10, "preemptionPolicy": "Never"})
    assert kept["preemptionPolicy"] == "Never"
    # The system classes the cluster boots with were defaulted too, as `get pc -o wide` shows.
    wide = cluster.kubectl("get priorityclass system-cluster-critical -o wide").stdout.splitlines()
    assert wide[0].split() == ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
    assert wide[1].split()[-1] == "PreemptLowerPriority"
