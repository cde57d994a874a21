"""kube-scheduler's events go through events.k8s.io/v1 (client-go tools/events): their core/v1 shape,
the series written at the second occurrence, the 30-minute refresh, the 6-minute finish, snapshots."""

from kubenb.scheduler.scheduler import EVENT_BROADCASTER_KEY
from kubenb.sim.clock import parse_rfc3339

BIG = """apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers: [{name: big, image: nginx, resources: {requests: {cpu: "100"}}}]
"""


def scheduler_events(cluster, name: str, reason: str = "FailedScheduling") -> list[dict]:
    events = [e for e in cluster.client.list("events", "default")
              if e["involvedObject"]["name"] == name and e["reason"] == reason]
    return sorted(events, key=lambda e: e["eventTime"])


def at(cluster, clock_text: str) -> None:
    cluster.advance_to(parse_rfc3339(clock_text))


def test_scheduler_events_have_the_events_v1_shape(cluster):
    cluster.kubectl(["run", "web", "--image=nginx"])
    cluster.kubectl(["apply", "-f", "-"], stdin=BIG)
    cluster.advance(1)
    scheduled, = scheduler_events(cluster, "web", "Scheduled")
    failed, = scheduler_events(cluster, "big")
    for event, action in ((scheduled, "Binding"), (failed, "Scheduling")):
        assert event["action"] == action
        assert event["eventTime"] == "2025-01-01T00:00:00.000000Z"
        assert event["firstTimestamp"] is None and event["lastTimestamp"] is None
        assert event["source"] == {}
        assert "count" not in event and "series" not in event
        assert event["reportingComponent"] == "default-scheduler"
        assert event["reportingInstance"] == "default-scheduler-kubenb-control-plane"
        assert "fieldPath" not in event["involvedObject"]
        assert event["metadata"]["name"].startswith(event["involvedObject"]["name"] + ".")
    yaml = cluster.kubectl(["get", "events", scheduled["metadata"]["name"], "-o", "yaml"]).stdout
    assert 'eventTime: "2025-01-01T00:00:00.000000Z"\nfirstTimestamp: null\n' in yaml
    assert "lastTimestamp: null\n" in yaml and "source: {}\n" in yaml and "count:" not in yaml
    wide = cluster.kubectl(["get", "events", "-o", "wide"]).stdout
    assert "default-scheduler, default-scheduler-kubenb-control-plane" in wide
    # Other components keep the core/v1 record shape.
    kubelet = [e for e in cluster.client.list("events", "default") if e["source"].get("component") == "kubelet"]
    assert kubelet and all(e["count"] == 1 and e["eventTime"] is None for e in kubelet)


def test_the_second_isomorphic_failure_writes_a_series_and_later_ones_wait_for_the_refresh(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin=BIG)
    # 00:00 first failure; its status write changes the Pod's resourceVersion, so the 00:05 retry is
    # about another object version: a second event. From then on the retries are isomorphic.
    at(cluster, "2025-01-01T00:09:00Z")
    first, second = scheduler_events(cluster, "big")
    assert "series" not in second
    assert first["involvedObject"]["resourceVersion"] != second["involvedObject"]["resourceVersion"]
    at(cluster, "2025-01-01T00:10:01Z")
    _, second = scheduler_events(cluster, "big")
    assert second["series"] == {"count": 2, "lastObservedTime": "2025-01-01T00:10:00.000000Z"}
    written_at = second["metadata"]["resourceVersion"]
    # 00:15, 00:20 and 00:25 only count in the broadcaster's memory...
    at(cluster, "2025-01-01T00:27:59Z")
    _, second = scheduler_events(cluster, "big")
    assert second["series"]["count"] == 2 and second["metadata"]["resourceVersion"] == written_at
    # ...until the refresh tick, 30 minutes after the scheduler started (boot, 23:58).
    at(cluster, "2025-01-01T00:28:00Z")
    _, second = scheduler_events(cluster, "big")
    assert second["series"] == {"count": 5, "lastObservedTime": "2025-01-01T00:25:00.000000Z"}
    assert second["eventTime"] == "2025-01-01T00:05:00.000000Z"
    describe = cluster.kubectl(["describe", "pod", "big"]).stdout
    assert "FailedScheduling  3m (x5 over 23m)  default-scheduler  0/3 nodes are available" in describe
    wide = cluster.kubectl(["get", "events", "--field-selector", "involvedObject.name=big"]).stdout
    assert [line.split()[0] for line in wide.splitlines()[1:]] == ["28m", "3m"]


def test_an_idle_series_is_finished_with_its_final_count(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin=BIG)
    at(cluster, "2025-01-01T00:17:00Z")  # failures at 00:10 (written) and 00:15 (in memory)
    cluster.kubectl(["delete", "pod", "big"])
    at(cluster, "2025-01-01T00:21:59Z")
    assert scheduler_events(cluster, "big")[1]["series"]["count"] == 2
    at(cluster, "2025-01-01T00:22:00Z")  # the finish tick: idle since 00:15, more than 6 minutes
    assert scheduler_events(cluster, "big")[1]["series"] == {
        "count": 3, "lastObservedTime": "2025-01-01T00:15:00.000000Z"}
    # With nothing left to remember (the singletons are forgotten too), the broadcaster arms no more ticks.
    at(cluster, "2025-01-01T00:40:00Z")
    assert cluster.client.event_recorder.state()[1] == {}
    assert all(payload[1] != EVENT_BROADCASTER_KEY for _, _, payload in cluster.clock.state()[1])


def test_a_restore_brings_back_the_broadcasters_memory(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin=BIG)
    at(cluster, "2025-01-01T00:12:00Z")
    saved = cluster.snapshot()
    at(cluster, "2025-01-01T00:30:00Z")
    straight = cluster.kubectl(["get", "events", "-o", "yaml"]).stdout
    assert scheduler_events(cluster, "big")[1]["series"]["count"] == 5
    cluster.restore(saved)
    assert scheduler_events(cluster, "big")[1]["series"]["count"] == 2
    at(cluster, "2025-01-01T00:30:00Z")
    assert cluster.kubectl(["get", "events", "-o", "yaml"]).stdout == straight


def test_preempted_names_the_preemptor_as_related(cluster):
    client = cluster.client
    client.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                   "value": 1000})
    for name in ("low1", "low2"):
        client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [
            {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "3500m"}}}]}})
    cluster.advance(5)
    client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "vip"}, "spec": {
        "priorityClassName": "high",
        "containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "3500m"}}}]}})
    cluster.settle()
    preempted = [e for e in client.list("events", "default") if e["reason"] == "Preempted"]
    assert len(preempted) == 1
    event = preempted[0]
    vip = client.get("pods", "vip", "default")
    assert event["action"] == "Preempting" and event["source"] == {}
    assert event["related"]["kind"] == "Pod" and event["related"]["name"] == "vip"
    assert event["related"]["uid"] == vip["metadata"]["uid"]


def test_listing_scheduler_events_by_source_and_sorting_them_by_last_timestamp(cluster):
    cluster.kubectl(["run", "web", "--image=nginx"])
    cluster.advance(30)
    by_source = cluster.kubectl(["get", "events", "--field-selector", "source=default-scheduler"]).stdout
    assert [line.split()[2] for line in by_source.splitlines()[1:]] == ["Scheduled"]
    by_kubelet = cluster.kubectl(["get", "events", "--field-selector", "source=kubelet"]).stdout
    assert "Pulling" in by_kubelet and "Scheduled" not in by_kubelet
    # A null lastTimestamp is Go's zero time: the scheduler's event sorts first.
    ordered = cluster.kubectl(["get", "events", "--sort-by=.lastTimestamp"]).stdout
    assert ordered.splitlines()[1].split()[2] == "Scheduled"
