"""Node-pressure eviction for memory: MemoryPressure, its taint, one eviction per housekeeping pass."""

from __future__ import annotations

import pytest

from kubenb.node import eviction
from kubenb.sim.clock import parse_rfc3339

WORKER = "kubenb-worker"
MESSAGE = ("The node was low on resource: memory. Threshold quantity: 100Mi, available: 74704Ki. "
           "Container stress was using 7424976Ki, request is 0, has larger consumption of memory. ")

NEIGHBOUR = f"""apiVersion: v1
kind: Pod
metadata:
  name: neighbour
spec:
  nodeSelector:
    kubernetes.io/hostname: {WORKER}
  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {{cpu: 100m, memory: 64Mi}}
      limits: {{memory: 128Mi}}
"""


def hog(limits: str = "") -> str:
    resources = f"\n        resources:\n          limits: {{memory: {limits}}}" if limits else ""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: hog
spec:
  replicas: 1
  selector:
    matchLabels: {{app: hog}}
  template:
    metadata:
      labels: {{app: hog}}
    spec:
      nodeSelector:
        kubernetes.io/hostname: {WORKER}
      containers:
      - name: stress
        image: polinux/stress
        command: [stress, --vm, "1", --vm-bytes, 7250M]{resources}
"""


def apply(cluster, text: str) -> None:
    outcome = cluster.kubectl("apply -f -", stdin=text)
    assert outcome.exit_code == 0, outcome.stderr


def hog_pods(cluster) -> list[dict]:
    pods = cluster.client.list("pods", "default", label_selector="app=hog")
    return sorted(pods, key=lambda p: p["metadata"]["creationTimestamp"])


def condition(node: dict, type_: str) -> dict:
    return next(c for c in node["status"]["conditions"] if c["type"] == type_)


def events(cluster, kind: str, name: str) -> list[tuple[str, str, str]]:
    found = [e for e in cluster.client.list("events", "default")
             if e["involvedObject"]["kind"] == kind and e["involvedObject"]["name"] == name]
    # The scheduler's events (events.k8s.io) carry eventTime instead of firstTimestamp.
    found.sort(key=lambda e: (parse_rfc3339(e["firstTimestamp"] or e["eventTime"]), e["metadata"]["name"]))
    return [(e["type"], e["reason"], e["message"]) for e in found]


@pytest.fixture
def evicted(cluster):
    """A BestEffort hog next to a Burstable neighbour on one worker, 12s later."""
    apply(cluster, NEIGHBOUR + "---\n" + hog())
    cluster.advance(12)
    return cluster


def test_the_hog_is_evicted_not_its_neighbour(evicted):
    first = hog_pods(evicted)[0]
    status = first["status"]
    assert (status["phase"], status["reason"], status["message"]) == ("Failed", "Evicted", MESSAGE)
    target = next(c for c in status["conditions"] if c["type"] == "DisruptionTarget")
    assert (target["status"], target["reason"], target["message"]) == ("True", "TerminationByKubelet", MESSAGE)
    terminated = status["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (137, "Error")
    name = first["metadata"]["name"]
    assert events(evicted, "Pod", name)[-2:] == [("Warning", "Evicted", MESSAGE),
                                                 ("Normal", "Killing", "Stopping container stress")]
    neighbour = evicted.client.get("pods", "neighbour", "default")
    assert neighbour["status"]["phase"] == "Running"
    assert "reason" not in neighbour["status"]


def test_memory_pressure_condition_taint_and_node_events(evicted):
    node = evicted.client.get("nodes", WORKER)
    pressure = condition(node, "MemoryPressure")
    assert (pressure["status"], pressure["reason"], pressure["message"]) == (
        "True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available")
    assert {"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"}.items() <= \
        next(t for t in node["spec"]["taints"] if t["key"] == "node.kubernetes.io/memory-pressure").items()
    assert events(evicted, "Node", WORKER) == [
        ("Normal", "NodeHasInsufficientMemory", f"Node {WORKER} status is now: NodeHasInsufficientMemory"),
        ("Warning", "EvictionThresholdMet", "Attempting to reclaim memory")]
    other = evicted.client.get("nodes", "kubenb-worker2")
    assert condition(other, "MemoryPressure")["status"] == "False"


def test_the_replacement_waits_for_the_tainted_node(evicted, golden):
    pods = hog_pods(evicted)
    assert len(pods) == 2
    replacement = pods[1]
    assert replacement["status"]["phase"] == "Pending"
    assert "nodeName" not in replacement["spec"]
    scheduling = events(evicted, "Pod", replacement["metadata"]["name"])
    assert scheduling[-1][1] == "FailedScheduling"
    assert "1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }" in scheduling[-1][2]
    rs = evicted.client.list("replicasets", "default")[0]
    assert rs["status"]["replicas"] == 1  # the evicted Pod is Failed: no longer counted
    golden("node/eviction-get-pods", evicted.kubectl("get pods -o wide").stdout)
    name = pods[0]["metadata"]["name"]
    golden("node/eviction-describe-pod", evicted.kubectl(f"describe pod {name}").stdout)
    golden("node/eviction-describe-node", evicted.kubectl(f"describe node {WORKER}").stdout)


def test_pressure_clears_after_the_transition_period_and_the_cycle_repeats(evicted):
    evicted.advance(eviction.PRESSURE_TRANSITION_PERIOD - 12)  # 5m after the threshold was last met
    node = evicted.client.get("nodes", WORKER)
    assert condition(node, "MemoryPressure")["status"] == "True"
    evicted.advance(10)
    node = evicted.client.get("nodes", WORKER)
    assert condition(node, "MemoryPressure")["status"] == "False"
    assert not any(t["key"] == "node.kubernetes.io/memory-pressure" for t in node["spec"].get("taints") or [])
    assert events(evicted, "Node", WORKER)[-1][1] == "NodeHasSufficientMemory"
    replacement = hog_pods(evicted)[1]
    assert replacement["spec"]["nodeName"] == WORKER  # scheduled again: it grows, and is evicted again
    evicted.advance(20)
    assert hog_pods(evicted)[1]["status"]["reason"] == "Evicted"


def test_a_best_effort_pod_bound_to_a_node_under_pressure_is_rejected(evicted):
    evicted.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "late"},
                           "spec": {"nodeName": WORKER, "containers": [{"name": "web", "image": "nginx:1.27"}]}})
    evicted.settle()
    status = evicted.client.get("pods", "late", "default")["status"]
    assert (status["phase"], status["reason"], status["message"]) == (
        "Failed", "Evicted", "Pod was rejected: The node had condition: [MemoryPressure]. ")
    assert events(evicted, "Pod", "late") == [("Warning", "Evicted", "The node had condition: [MemoryPressure]. ")]
    assert evicted.kubectl("get pod late --no-headers").stdout.split()[2] == "Evicted"
    evicted.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "burstable"},
                           "spec": {"nodeName": WORKER, "containers": [
                               {"name": "web", "image": "nginx:1.27", "resources": {"requests": {"memory": "16Mi"}}}]}})
    evicted.advance(5)
    assert evicted.client.get("pods", "burstable", "default")["status"]["phase"] == "Running"


def test_with_a_memory_limit_only_the_hog_is_oom_killed(cluster):
    apply(cluster, NEIGHBOUR + "---\n" + hog(limits="512Mi"))
    cluster.advance(60)
    first = hog_pods(cluster)[0]
    assert len(hog_pods(cluster)) == 1
    status = first["status"]
    assert status["phase"] == "Running" and "reason" not in status
    container = status["containerStatuses"][0]
    assert container["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert container["lastState"]["terminated"]["exitCode"] == 137
    assert container["restartCount"] >= 2
    node = cluster.client.get("nodes", WORKER)
    assert condition(node, "MemoryPressure")["status"] == "False"
    assert not node["spec"].get("taints")
    assert not [e for e in events(cluster, "Node", WORKER) if e[1] == "EvictionThresholdMet"]
    assert cluster.client.get("pods", "neighbour", "default")["status"]["phase"] == "Running"


def test_ranking_prefers_usage_above_requests_then_priority():
    def pod(name: str, request: str | None, priority: int = 0) -> dict:
        resources = {"requests": {"memory": request}} if request else {}
        return {"metadata": {"name": name, "uid": name},
                "spec": {"priority": priority, "containers": [{"name": "c", "resources": resources}]}}

    usage = {"under": 50 << 20, "over-big": 900 << 20, "over-small": 200 << 20, "over-high": 4000 << 20}
    pods = [pod("under", "100Mi"), pod("over-high", None, priority=1000), pod("over-small", "10Mi"),
            pod("over-big", "100Mi")]

    class Stub(eviction.EvictionManager):
        def __init__(self) -> None:
            pass

        def pod_stats(self, pod: dict) -> dict[str, int] | None:
            return {"c": usage[pod["metadata"]["name"]]}

    ranked = [p["metadata"]["name"] for p, _ in Stub().rank_memory_pressure(pods)]
    assert ranked == ["over-big", "over-small", "over-high", "under"]
    assert eviction.binary_quantity(7424976 * 1024) == "7424976Ki"
    assert eviction.binary_quantity(100 << 20) == "100Mi"


def run_section(cells: list[str]) -> None:
    """Run notebook code cells as the kernel does: kubectl/manifest cells think 10s first."""
    from kubenb.jupyter.control import run_control
    from kubenb.jupyter.extension import cell_thinks
    from kubenb.jupyter.magics import run_cell_commands, run_manifest
    from kubenb.jupyter.session import Session

    session = Session()
    assert run_control(session, "reset --seed 0") == 0
    for cell in cells:
        if cell_thinks(cell):
            session.think()
        first, _, body = cell.partition("\n")
        print(f"### {first}")
        if first.startswith("%%kubectl"):
            assert run_cell_commands(session, body) == 0
        elif first.startswith("%%manifest"):
            assert run_manifest(session, first.removeprefix("%%manifest").strip(), body) == 0
        else:
            for line in cell.splitlines():
                assert run_control(session, line.removeprefix("%kubenb").strip()) == 0


def test_notebook_11_section_4_cells(capsys, golden):
    from pathlib import Path

    import yaml

    source = yaml.safe_load((Path(__file__).parents[2] / "notebooks/src/11-anti-patterns.yaml").read_text())
    cells = [c["code"] for c in source["cells"] if str(c.get("id", "")).startswith("11-limits-")]
    assert len(cells) == 6
    run_section(cells)
    text = capsys.readouterr().out
    golden("node/eviction-notebook-11", text)
    parts = text.split("### %%kubectl\n")
    evicted, fixed = parts[1], parts[2]
    assert "The node was low on resource: memory." in evicted
    assert "untolerated taint {node.kubernetes.io/memory-pressure: }" in evicted
    assert "OOMKilled" in fixed or "CrashLoopBackOff" in fixed
    assert fixed.count("EvictionThresholdMet") == 1  # the first hog's, 5m ago; none since
    assert "NodeHasSufficientMemory" in fixed
    neighbour = next(line for line in fixed.splitlines() if line.startswith("neighbour "))
    assert neighbour.split()[1:3] == ["1/1", "Running"]
    assert text.rstrip().endswith('pod "neighbour" deleted')
