"""kubectl logs -f, exec, cordon, uncordon, taint, drain and top against the simulated nodes."""

from __future__ import annotations


def run(cluster, line: str):
    return cluster.kubectl(line)


def test_cordon_uncordon(cluster):
    assert run(cluster, "cordon kubenb-worker").stdout == "node/kubenb-worker cordoned\n"
    assert run(cluster, "cordon kubenb-worker").stdout == "node/kubenb-worker already cordoned\n"
    node = cluster.client.get("nodes", "kubenb-worker")
    assert node["spec"]["unschedulable"] is True
    assert {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}.items() <= node["spec"]["taints"][0].items()
    assert "Ready,SchedulingDisabled" in run(cluster, "get nodes").stdout
    assert run(cluster, "uncordon kubenb-worker").stdout == "node/kubenb-worker uncordoned\n"
    assert not cluster.client.get("nodes", "kubenb-worker")["spec"].get("taints")
    missing = run(cluster, "cordon")
    assert missing.stderr == "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n"


def test_taint_and_untaint(cluster):
    assert run(cluster, "taint nodes kubenb-worker app=blue:NoSchedule").stdout == "node/kubenb-worker tainted\n"
    again = run(cluster, "taint nodes kubenb-worker app=blue:NoSchedule")
    assert again.stderr == ("error: node kubenb-worker already has app taint(s) with same effect(s) and --overwrite "
                            "is false\n")
    assert run(cluster, "taint nodes kubenb-worker app:NoSchedule-").stdout == "node/kubenb-worker untainted\n"
    assert run(cluster, "taint nodes kubenb-worker app-").stderr == 'error: taint "app" not found\n'


def test_drain_needs_flags_then_evicts(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.advance(10)
    refused = run(cluster, "drain kubenb-worker")
    assert refused.exit_code == 1
    assert "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-" \
        in refused.stderr
    out = run(cluster, "drain kubenb-worker --ignore-daemonsets")
    assert out.exit_code == 0
    assert out.stdout.startswith("node/kubenb-worker already cordoned\nevicting pod ")
    assert out.stdout.endswith("node/kubenb-worker drained\n")
    assert out.stderr.startswith("Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-")
    remaining = [p for p in cluster.client.list("pods", None) if p["spec"].get("nodeName") == "kubenb-worker"]
    assert [p["metadata"]["name"][:10] for p in remaining] == ["kube-proxy"]


def test_top(cluster):
    cluster.kubectl("run nginx --image=nginx")
    cluster.advance(10)
    out = run(cluster, "top pods").stdout
    assert out == "NAME    CPU(cores)   MEMORY(bytes)   \nnginx   1m           3Mi             \n"
    nodes = run(cluster, "top nodes").stdout.splitlines()
    assert nodes[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    assert len(nodes) == 4


def test_logs_follow_until_the_container_ends(cluster):
    cluster.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "count"}, "spec": {
        "restartPolicy": "Never",
        "containers": [{"name": "c", "image": "busybox", "command": ["sh", "-c",
                                                                      "for i in 1 2 3; do echo $i; sleep 5; done"]}]}})
    cluster.advance(3)
    out = run(cluster, "logs -f count")
    assert out.stdout == "1\n2\n3\n"
    assert out.exit_code == 0


def test_exec_usage_errors(cluster):
    cluster.kubectl("run nginx --image=nginx")
    cluster.advance(10)
    assert run(cluster, "exec nginx").stderr == "error: you must specify at least one command for the container\n"
    assert run(cluster, "exec nginx -- printenv HOSTNAME").stdout == "nginx\n"
    assert run(cluster, "exec -it nginx -- ls /usr/share/nginx/html").stdout == "index.html\n"
