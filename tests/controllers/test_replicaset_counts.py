"""ReplicaSet: the per-Pod-version facts and running status counts (replicaset.PodFacts) stay right.

Each test changes Pods the way a cluster does (readiness, labels, owners, deletion, a snapshot restore)
and checks the ReplicaSet's status against a count made from scratch over the stored Pods.
"""

from __future__ import annotations

from kubenb.api import objects
from kubenb.controllers import _util
from kubenb.controllers.replicaset import PodFacts

MANUAL = "kubenb-test-manual"  # an unknown scheduler keeps Pods unbound: only fake_kubelet moves them


def replicaset(name="rs", replicas=3, *, extra_labels=None, min_ready=0):
    labels = {"app": name, **(extra_labels or {})}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "minReadySeconds": min_ready, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"schedulerName": MANUAL, "containers": [{"name": "c", "image": "nginx"}]}}}}


def owned_pods(cluster, name):
    rs = cluster.client.get("replicasets", name, "default")
    return rs, [p for p in cluster.client.list("pods", "default")
                if (objects.controller_ref(p) or {}).get("uid") == objects.uid(rs) and _util.is_pod_active(p)]


def recount(cluster, name):
    """status.replicas/fullyLabeledReplicas/readyReplicas counted from scratch, and the stored ones."""
    rs, pods = owned_pods(cluster, name)
    template = rs["spec"]["template"]["metadata"]["labels"]
    expected = (len(pods), sum(all(objects.labels(p).get(k) == v for k, v in template.items()) for p in pods),
                sum(_util.is_pod_ready(p) for p in pods))
    status = rs.get("status", {})
    return expected, (status.get("replicas", 0), status.get("fullyLabeledReplicas", 0),
                      status.get("readyReplicas", 0))


def set_ready(fake_kubelet, pod_name, ready):
    fake_kubelet._set(fake_kubelet.client.get("pods", pod_name, "default"), "Running", ready)
    fake_kubelet.cluster.settle()


def pod_names(cluster, name):
    return [objects.name(p) for p in owned_pods(cluster, name)[1]]


def test_ready_count_follows_a_pod_becoming_unready_and_ready_again(cluster, fake_kubelet):
    cluster.client.create(replicaset())
    cluster.settle()
    fake_kubelet.ready_all()
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 3, 3)
    first = pod_names(cluster, "rs")[0]
    set_ready(fake_kubelet, first, False)
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 3, 2)
    set_ready(fake_kubelet, first, True)
    assert recount(cluster, "rs")[1] == (3, 3, 3)


def test_available_waits_for_min_ready_seconds_of_a_pod_ready_again(cluster, fake_kubelet):
    cluster.client.create(replicaset(min_ready=5))
    cluster.settle()
    fake_kubelet.ready_all()
    cluster.advance(5)
    assert cluster.client.get("replicasets", "rs", "default")["status"]["availableReplicas"] == 3
    first = pod_names(cluster, "rs")[0]
    set_ready(fake_kubelet, first, False)
    set_ready(fake_kubelet, first, True)
    assert cluster.client.get("replicasets", "rs", "default")["status"]["availableReplicas"] == 2
    cluster.advance(5)  # the requeue at the Pod's minReadySeconds deadline counts it again
    assert cluster.client.get("replicasets", "rs", "default")["status"]["availableReplicas"] == 3


def test_a_label_change_releases_the_pod_and_a_lost_template_label_counts_as_not_fully_labeled(cluster, fake_kubelet):
    cluster.client.create(replicaset(extra_labels={"tier": "web"}))
    cluster.settle()
    fake_kubelet.ready_all()
    first, second = pod_names(cluster, "rs")[:2]
    # Still selected, no longer carrying every template label: owned, not fully labeled.
    cluster.client.mutate("pods", second, "default", lambda p: p["metadata"]["labels"].pop("tier"))
    cluster.settle()
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 2, 3)
    # No longer selected: released, and a replacement (not ready) is created.
    cluster.client.mutate("pods", first, "default", lambda p: p["metadata"].__setitem__("labels", {"app": "other"}))
    cluster.settle()
    assert "ownerReferences" not in cluster.client.get("pods", first, "default")["metadata"]
    assert first not in pod_names(cluster, "rs")
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 2, 2)
    # Labelled back: the orphan is adopted and the ReplicaSet has one Pod too many.
    cluster.client.mutate("pods", first, "default",
                          lambda p: p["metadata"].__setitem__("labels", {"app": "rs", "tier": "web"}))
    cluster.settle()
    expected, stored = recount(cluster, "rs")
    assert stored == expected and stored[0] == 3


def test_template_label_change_recounts_fully_labeled(cluster, fake_kubelet):
    cluster.client.create(replicaset())
    cluster.settle()
    cluster.client.mutate("replicasets", "rs", "default",
                          lambda r: r["spec"]["template"]["metadata"]["labels"].__setitem__("tier", "web"))
    cluster.settle()
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 0, 0)


def test_a_pod_moving_to_another_owner_leaves_one_count_for_the_other(cluster, fake_kubelet):
    cluster.client.create(replicaset("a", 2))
    cluster.client.create(replicaset("b", 2))
    cluster.settle()
    fake_kubelet.ready_all()
    b = cluster.client.get("replicasets", "b", "default")
    moved = pod_names(cluster, "a")[0]

    def move(p):
        p["metadata"]["labels"] = {"app": "b"}
        p["metadata"]["ownerReferences"] = [objects.new_controller_ref(b)]

    cluster.client.mutate("pods", moved, "default", move)
    cluster.settle()
    assert moved not in pod_names(cluster, "a")
    for name in ("a", "b"):
        expected, stored = recount(cluster, name)
        assert stored == expected and stored[0] == 2


def test_deleted_pods_leave_the_counts(cluster, fake_kubelet):
    cluster.client.create(replicaset())
    cluster.settle()
    fake_kubelet.ready_all()
    for name in pod_names(cluster, "rs")[:2]:
        cluster.client.delete("pods", name, "default")
    cluster.settle()
    expected, stored = recount(cluster, "rs")
    assert stored == expected and stored[0] == 3


def test_counts_stay_right_across_a_snapshot_restore(cluster, fake_kubelet):
    cluster.client.create(replicaset())
    cluster.settle()
    fake_kubelet.ready_all()
    snapshot = cluster.snapshot()
    first, second = pod_names(cluster, "rs")[:2]
    set_ready(fake_kubelet, first, False)
    assert recount(cluster, "rs")[1] == (3, 3, 2)
    cluster.restore(snapshot)  # every Pod ready again, with no watch event telling the controller
    set_ready(fake_kubelet, second, False)
    expected, stored = recount(cluster, "rs")
    assert stored == expected == (3, 3, 2)


def test_refresh_reads_only_changed_pods_and_matches_a_fresh_count(cluster, fake_kubelet):
    cluster.client.create(replicaset())
    cluster.settle()
    fake_kubelet.ready_all()
    rs, pods = owned_pods(cluster, "rs")
    view = cluster.client.controlled_view("pods", "default", objects.uid(rs))
    facts = PodFacts()
    facts.begin(rs)
    facts.refresh(view)
    kept = facts.of(view[1])
    set_ready(fake_kubelet, objects.name(view[0]), False)
    view = cluster.client.controlled_view("pods", "default", objects.uid(rs))
    facts.refresh(view)
    assert facts.of(view[1]) is kept  # unchanged version: not read again
    fresh = PodFacts()
    fresh.begin(rs)
    fresh.refresh(view)
    assert (facts.active, facts.fully_labeled, facts.ready, facts.misfits) == \
        (fresh.active, fresh.fully_labeled, fresh.ready, fresh.misfits) == (3, 3, 2, 0)
