"""api.podstatus: one printPod reading shared by `kubectl get pods`, the graphs and the quiz."""

import pytest

from kubenb.api import podstatus
from kubenb.kubectl.printers.columns import pod_status_cells
from kubenb.viz import graph

SIDECAR_SPEC = {"initContainers": [{"name": "log", "restartPolicy": "Always"}], "containers": [{"name": "app"}]}
PODS = [
    {"spec": {"containers": [{"name": "a"}]}, "status": {}},
    {"spec": SIDECAR_SPEC, "status": {"phase": "Pending", "initContainerStatuses": [
        {"name": "log", "started": False, "state": {"waiting": {"reason": "PodInitializing"}}}]}},
    {"spec": SIDECAR_SPEC, "status": {
        "phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
        "initContainerStatuses": [{"name": "log", "started": True, "ready": True, "restartCount": 1,
                                   "lastState": {"terminated": {"finishedAt": "2025-01-01T00:00:30Z"}},
                                   "state": {"running": {}}}],
        "containerStatuses": [{"name": "app", "ready": True, "restartCount": 2, "state": {"running": {}},
                               "lastState": {"terminated": {"finishedAt": "2025-01-01T00:00:50Z"}}}]}},
]


@pytest.mark.parametrize("pod", PODS)
def test_get_pods_and_the_graph_read_a_pod_alike(pod):
    summary = podstatus.summarize(pod)
    ready, reason, _ = pod_status_cells(pod, 0.0)
    drawn = graph.pod_summary(pod)
    assert ready == f"{drawn.ready}/{drawn.total}" == f"{summary.ready}/{summary.total}"
    assert reason == drawn.status == summary.reason


def test_sidecars_count_in_total_before_they_start():
    assert podstatus.summarize(PODS[1]) == podstatus.PodStatusSummary("Init:0/1", 0, 2, 0, None)


def test_restarts_add_sidecars_and_keep_the_latest_termination():
    summary = podstatus.summarize(PODS[2])
    assert (summary.reason, summary.ready, summary.total, summary.restarts) == ("Running", 2, 2, 3)
    assert summary.last_restart == podstatus.parse_rfc3339("2025-01-01T00:00:50Z")
    assert pod_status_cells(PODS[2], summary.last_restart + 10)[2] == "3 (10s ago)"


def test_is_pod_ready_reads_the_ready_condition():
    assert podstatus.is_pod_ready(PODS[2]) and not podstatus.is_pod_ready(PODS[1])
