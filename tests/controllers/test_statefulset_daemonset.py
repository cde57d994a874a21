"""StatefulSet ordering, identity and PVCs; DaemonSet placement and tolerations."""

from __future__ import annotations

import re

from kubenb.api import objects

# An unknown schedulerName keeps Pods unbound, so the real kubelets leave them to fake_kubelet.
MANUAL = "kubenb-test-manual"


def statefulset(replicas=3, **spec):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "serviceName": "nginx", "selector": {"matchLabels": {"app": "nginx"}},
                     "template": {"metadata": {"labels": {"app": "nginx"}},
                                  "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "nginx:1.27"}]}}, **spec}}


def names(cluster):
    return sorted(objects.name(p) for p in cluster.client.list("pods", "default") if not objects.is_being_deleted(p))


def test_ordered_ready_creates_one_at_a_time(cluster, fake_kubelet):
    claim = {"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                   "resources": {"requests": {"storage": "1Gi"}}}}
    cluster.client.create(statefulset(volumeClaimTemplates=[claim]))
    cluster.settle()
    seen = []
    for _ in range(4):
        seen.append(names(cluster))
        fake_kubelet.ready_all()
    assert seen == [["web-0"], ["web-0", "web-1"], ["web-0", "web-1", "web-2"], ["web-0", "web-1", "web-2"]]
    pod = cluster.client.get("pods", "web-1", "default")
    assert pod["spec"]["hostname"] == "web-1" and pod["spec"]["subdomain"] == "nginx"
    labels = objects.labels(pod)
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert labels["controller-revision-hash"].startswith("web-")
    # The claim's volume first; the ServiceAccount admission's token volume is appended after it.
    assert pod["spec"]["volumes"][0] == {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}
    assert [v["name"][:16] for v in pod["spec"]["volumes"][1:]] == ["kube-api-access-"]
    assert sorted(objects.name(c) for c in cluster.client.list("persistentvolumeclaims", "default")) == \
        ["www-web-0", "www-web-1", "www-web-2"]
    status = cluster.client.get("statefulsets", "web", "default")["status"]
    assert (status["replicas"], status["readyReplicas"], status["currentReplicas"]) == (3, 3, 3)


def test_scale_down_removes_the_highest_ordinal_first(cluster, fake_kubelet):
    cluster.client.create(statefulset())
    for _ in range(3):
        cluster.settle()
        fake_kubelet.ready_all()
    cluster.client.mutate("statefulsets", "web", "default", lambda s: s["spec"].__setitem__("replicas", 1))
    cluster.settle()
    assert names(cluster) == ["web-0"]
    deleted = [e["message"] for e in cluster.client.list("events", "default") if e["reason"] == "SuccessfulDelete"]
    assert sorted(deleted) == ["delete Pod web-1 in StatefulSet web successful",
                               "delete Pod web-2 in StatefulSet web successful"]


def test_parallel_creates_all_at_once(cluster):
    cluster.client.create(statefulset(podManagementPolicy="Parallel"))
    cluster.settle()
    assert names(cluster) == ["web-0", "web-1", "web-2"]


def test_rolling_update_goes_in_reverse_ordinal_order_down_to_the_partition(cluster, fake_kubelet):
    cluster.client.create(statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}))
    for _ in range(3):
        cluster.settle()
        fake_kubelet.ready_all()
    old = objects.labels(cluster.client.get("pods", "web-0", "default"))["controller-revision-hash"]
    cluster.client.mutate("statefulsets", "web", "default",
                          lambda s: s["spec"]["template"]["spec"]["containers"][0].__setitem__("image", "nginx:1.28"))
    order = []
    for _ in range(6):
        cluster.settle()
        revs = {n: objects.labels(cluster.client.get("pods", n, "default"))["controller-revision-hash"]
                for n in names(cluster)}
        updated = sorted(n for n, r in revs.items() if r != old)
        if updated not in order:
            order.append(updated)
        fake_kubelet.ready_all()
    assert order == [[], ["web-2"], ["web-1", "web-2"]] or order == [["web-2"], ["web-1", "web-2"]]
    assert objects.labels(cluster.client.get("pods", "web-0", "default"))["controller-revision-hash"] == old


def daemonset(**spec):
    template_spec = {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "fluentd"}], **spec}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": {"metadata": {"labels": {"app": "agent"}}, "spec": template_spec}}}


def placed_nodes(cluster):
    out = []
    for pod in cluster.client.list("pods", "default"):
        terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        out.append(terms["nodeSelectorTerms"][0]["matchFields"][0]["values"][0])
    return sorted(out)


def test_daemonset_one_pod_per_untainted_node(cluster):
    nodes = cluster.client.list("nodes")
    tainted = [objects.name(n) for n in nodes if (n.get("spec") or {}).get("taints")]
    cluster.client.create(daemonset())
    cluster.settle()
    pods = cluster.client.list("pods", "default")
    assert all(re.fullmatch(r"agent-[bcdfghjklmnpqrstvwxz2456789]{5}", objects.name(p)) for p in pods)
    assert placed_nodes(cluster) == sorted(objects.name(n) for n in nodes if objects.name(n) not in tainted)
    tolerations = pods[0]["spec"]["tolerations"]
    assert {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"} in tolerations
    status = cluster.client.get("daemonsets", "agent", "default")["status"]
    assert status["desiredNumberScheduled"] == len(nodes) - len(tainted)
    assert status["currentNumberScheduled"] == len(nodes) - len(tainted)


def test_daemonset_tolerating_everything_and_node_selector(cluster):
    nodes = cluster.client.list("nodes")
    cluster.client.create(daemonset(tolerations=[{"operator": "Exists"}]))
    cluster.settle()
    assert placed_nodes(cluster) == sorted(objects.name(n) for n in nodes)
    first = objects.name(nodes[0])
    cluster.client.mutate("daemonsets", "agent", "default", lambda d: d["spec"]["template"]["spec"].__setitem__(
        "nodeSelector", {"kubernetes.io/hostname": first}))
    cluster.settle()
    assert placed_nodes(cluster) == [first]
