"""Kubelets and the simulated runtime: pulls, starts, crashes, probes, termination, logs, exec."""

from __future__ import annotations

from kubenb.sim.clock import parse_rfc3339


def create(cluster, name: str, containers: list[dict], **spec: object) -> None:
    cluster.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                           "spec": {"containers": containers, **spec}})
    cluster.settle()


def events(cluster, name: str) -> list[tuple[str, str]]:
    found = [e for e in cluster.client.list("events", "default") if e["involvedObject"]["name"] == name]
    # The scheduler's events (events.k8s.io) carry eventTime instead of firstTimestamp.
    found.sort(key=lambda e: (parse_rfc3339(e["firstTimestamp"] or e["eventTime"]), e["metadata"]["name"]))
    return [(e["reason"], e["message"]) for e in found]


def pod(cluster, name: str) -> dict:
    return cluster.client.get("pods", name, "default")


def status_column(cluster, name: str) -> str:
    line = cluster.kubectl(f"get pod {name} --no-headers").stdout
    return line.split()[2]


def test_system_pods_run_at_start(cluster):
    pods = cluster.client.list("pods", "kube-system")
    assert len(pods) == 9
    assert all(p["status"]["phase"] == "Running" for p in pods)
    assert all(s["ready"] for p in pods for s in p["status"]["containerStatuses"])


def test_pending_creating_running_with_the_kubelet_events(cluster):
    create(cluster, "nginx", [{"name": "nginx", "image": "nginx:1.14.2"}])
    assert status_column(cluster, "nginx") == "ContainerCreating"
    cluster.advance(5)
    assert status_column(cluster, "nginx") == "Running"
    node = pod(cluster, "nginx")["spec"]["nodeName"]
    assert events(cluster, "nginx") == [
        ("Scheduled", f"Successfully assigned default/nginx to {node}"),
        ("Pulling", 'Pulling image "nginx:1.14.2"'),
        ("Pulled", 'Successfully pulled image "nginx:1.14.2" in 2.3s (2.3s including waiting). '
                   "Image size: 72188133 bytes."),
        ("Created", "Created container: nginx"),
        ("Started", "Started container nginx"),
    ]
    status = pod(cluster, "nginx")["status"]
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    container = status["containerStatuses"][0]
    assert container["image"] == "docker.io/library/nginx:1.14.2"
    assert container["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert container["containerID"].startswith("containerd://") and len(container["containerID"]) == 13 + 64
    assert status["podIP"].startswith("10.244.") and status["qosClass"] == "BestEffort"


def test_second_pod_finds_the_image_on_the_node(cluster):
    create(cluster, "a", [{"name": "nginx", "image": "nginx:1.14.2"}], nodeName="kubenb-worker")
    cluster.advance(5)
    create(cluster, "b", [{"name": "nginx", "image": "nginx:1.14.2"}], nodeName="kubenb-worker")
    cluster.advance(2)
    assert ("Pulled", 'Container image "nginx:1.14.2" already present on machine') in events(cluster, "b")


def test_a_typo_in_the_image_backs_off(cluster):
    create(cluster, "typo", [{"name": "nginx", "image": "ngnix:1.14"}])
    cluster.advance(2)
    assert status_column(cluster, "typo") == "ErrImagePull"
    cluster.advance(2)
    assert status_column(cluster, "typo") == "ImagePullBackOff"
    reasons = events(cluster, "typo")
    assert ("Failed", 'Failed to pull image "ngnix:1.14": rpc error: code = NotFound desc = failed to pull and '
                      'unpack image "docker.io/library/ngnix:1.14": failed to resolve reference '
                      '"docker.io/library/ngnix:1.14": pull access denied, repository does not exist or may require '
                      "authorization: server message: insufficient_scope: authorization failed") in reasons
    assert ("Failed", "Error: ErrImagePull") in reasons
    assert ("BackOff", 'Back-off pulling image "ngnix:1.14"') in reasons
    assert ("Failed", "Error: ImagePullBackOff") in reasons


def test_crash_loop_back_off_doubles_to_five_minutes(cluster):
    create(cluster, "crash", [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "echo boom; exit 1"]}])
    starts: list[float] = []
    seen = -1
    for _ in range(2000):
        cluster.advance(1)
        status = pod(cluster, "crash")["status"]["containerStatuses"][0]
        if "running" in status["state"] or "terminated" in status["state"]:
            if status["restartCount"] != seen:
                seen = status["restartCount"]
                starts.append(parse_rfc3339((status["state"].get("running") or status["state"]["terminated"])
                                            ["startedAt"]))
        if seen >= 7:
            break
    gaps = [round(b - a) for a, b in zip(starts, starts[1:])]
    # Each run exits at once; the first restart follows the exit report (1s), then the back-off
    # counted from the exit: 10, 20, 40, ... 300s.
    assert gaps == [1, 10, 20, 40, 80, 160, 300]
    status = pod(cluster, "crash")["status"]["containerStatuses"][0]
    assert status["lastState"]["terminated"]["reason"] == "Error"
    assert status["lastState"]["terminated"]["exitCode"] == 1
    cluster.advance(2)
    assert status_column(cluster, "crash") == "CrashLoopBackOff"
    waiting = pod(cluster, "crash")["status"]["containerStatuses"][0]["state"]["waiting"]
    uid = pod(cluster, "crash")["metadata"]["uid"]
    assert waiting == {"reason": "CrashLoopBackOff",
                       "message": f"back-off 5m0s restarting failed container=c pod=crash_default({uid})"}
    assert cluster.kubectl("logs crash").stdout == "boom\n"
    assert cluster.kubectl("logs crash --previous").stdout == "boom\n"


def test_liveness_probe_failure_restarts(cluster):
    create(cluster, "live", [{"name": "nginx", "image": "nginx:1.27", "livenessProbe": {
        "httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5, "failureThreshold": 3}}])
    cluster.advance(20)
    status = pod(cluster, "live")["status"]["containerStatuses"][0]
    assert status["restartCount"] == 1
    reasons = events(cluster, "live")
    assert ("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404") in reasons
    assert ("Killing", "Container nginx failed liveness probe, will be restarted") in reasons
    assert status["lastState"]["terminated"]["reason"] == "Completed"


def test_exec_liveness_probe_from_the_docs(cluster):
    create(cluster, "liveness-exec", [{
        "name": "liveness", "image": "registry.k8s.io/busybox",
        "args": ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                          "periodSeconds": 5}}])
    cluster.advance(30)
    assert pod(cluster, "liveness-exec")["status"]["containerStatuses"][0]["restartCount"] == 0
    cluster.advance(20)
    assert pod(cluster, "liveness-exec")["status"]["containerStatuses"][0]["restartCount"] == 1
    assert ("Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory") \
        in events(cluster, "liveness-exec")


def test_readiness_probe_failure_keeps_the_pod_unready(cluster):
    create(cluster, "ready", [{"name": "nginx", "image": "nginx:1.27", "readinessProbe": {
        "httpGet": {"path": "/missing", "port": 80}, "periodSeconds": 10}}])
    cluster.advance(60)
    line = cluster.kubectl("get pod ready --no-headers").stdout.split()
    assert line[1:3] == ["0/1", "Running"]
    found = [e for e in cluster.client.list("events", "default") if e["reason"] == "Unhealthy"]
    assert found[0]["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 404"
    assert found[0]["count"] >= 5
    ready = [c for c in pod(cluster, "ready")["status"]["conditions"] if c["type"] == "Ready"][0]
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ContainersNotReady", "containers with unready status: [nginx]")


def test_readiness_probe_success(cluster):
    create(cluster, "ok", [{"name": "nginx", "image": "nginx:1.27", "readinessProbe": {
        "httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5, "periodSeconds": 10}}])
    cluster.advance(4)
    assert cluster.kubectl("get pod ok --no-headers").stdout.split()[1] == "0/1"
    cluster.advance(10)
    assert cluster.kubectl("get pod ok --no-headers").stdout.split()[1] == "1/1"


def test_job_style_pods_complete(cluster):
    create(cluster, "pi", [{"name": "pi", "image": "perl:5.34.0",
                            "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}], restartPolicy="Never")
    cluster.advance(60)
    assert status_column(cluster, "pi") == "Completed"
    status = pod(cluster, "pi")["status"]
    assert status["phase"] == "Succeeded"
    assert status["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    logs = cluster.kubectl("logs pi").stdout
    assert logs.startswith("3.14159265358979323846") and len(logs.strip()) == 2001
    create(cluster, "fail", [{"name": "c", "image": "busybox", "command": ["sh", "-c", "exit 2"]}],
           restartPolicy="Never")
    cluster.advance(10)
    assert status_column(cluster, "fail") == "Error"
    assert pod(cluster, "fail")["status"]["phase"] == "Failed"


def test_init_containers(cluster):
    create(cluster, "init", [{"name": "app", "image": "nginx:1.27"}],
           initContainers=[{"name": "wait", "image": "busybox:1.28", "command": ["sh", "-c", "sleep 20"]}])
    cluster.advance(5)
    assert status_column(cluster, "init") == "Init:0/1"
    cluster.advance(25)
    assert status_column(cluster, "init") in ("PodInitializing", "Running")
    cluster.advance(10)
    assert status_column(cluster, "init") == "Running"


def test_oom_killed(cluster):
    create(cluster, "mem", [{"name": "stress", "image": "polinux/stress",
                             "resources": {"limits": {"memory": "100Mi"}, "requests": {"memory": "50Mi"}},
                             "command": ["stress"], "args": ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]}])
    cluster.advance(10)
    status = pod(cluster, "mem")["status"]["containerStatuses"][0]
    terminated = status["lastState"].get("terminated") or status["state"].get("terminated")
    assert terminated["reason"] == "OOMKilled" and terminated["exitCode"] == 137


def test_graceful_deletion(cluster):
    create(cluster, "web", [{"name": "nginx", "image": "nginx:1.27"}])
    create(cluster, "sleeper", [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}])
    cluster.advance(10)
    cluster.client.delete("pods", "web", "default")
    cluster.client.delete("pods", "sleeper", "default")
    cluster.settle()
    assert status_column(cluster, "web") == "Terminating"
    assert ("Killing", "Stopping container nginx") in events(cluster, "web")
    cluster.advance(1)
    assert cluster.client.try_get("pods", "web", "default") is None  # nginx stops on SIGTERM
    cluster.advance(20)
    assert cluster.client.try_get("pods", "sleeper", "default") is not None  # sleep as PID 1 ignores SIGTERM
    cluster.advance(10)
    assert cluster.client.try_get("pods", "sleeper", "default") is None


def test_logs_and_exec(cluster):
    create(cluster, "counter", [{"name": "count", "image": "busybox:1.28", "command": [
        "/bin/sh", "-c", 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']}])
    cluster.advance(10)
    out = cluster.kubectl("logs counter --tail=2").stdout.splitlines()
    # pulled in 1.1s after a 0.6s sandbox: started at 00:00:01, one line a second
    assert out == ["7: Wed Jan  1 00:00:08 UTC 2025", "8: Wed Jan  1 00:00:09 UTC 2025"]
    assert cluster.kubectl("exec counter -- hostname").stdout == "counter\n"
    resolv = cluster.kubectl("exec counter -- cat /etc/resolv.conf").stdout
    assert resolv == ("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\n"
                      "options ndots:5\n")
    bad = cluster.kubectl("exec counter -- foo")
    assert bad.exit_code == 1
    assert 'exec: "foo": executable file not found in $PATH: unknown' in bad.stderr
    failed = cluster.kubectl(["exec", "counter", "--", "sh", "-c", "exit 3"])
    assert (failed.stderr, failed.exit_code) == ("command terminated with exit code 3\n", 3)


def test_logs_errors(cluster):
    create(cluster, "two", [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox", "command": ["sleep", "1d"]}])
    waiting = cluster.kubectl("logs two -c a")
    assert waiting.stderr == 'Error from server (BadRequest): container "a" in pod "two" is waiting to start: ' \
                             "ContainerCreating\n"
    cluster.advance(10)
    out = cluster.kubectl("logs two")
    assert out.stderr == 'Defaulted container "a" out of: a, b\n'
    assert cluster.kubectl("logs two -c nope").stderr == \
        "Error from server (BadRequest): container nope is not valid for pod two\n"


def test_node_stop_evicts_after_five_minutes(cluster):
    create(cluster, "naked", [{"name": "nginx", "image": "nginx"}], nodeName="kubenb-worker")
    cluster.advance(10)
    cluster.stop_node("kubenb-worker")
    cluster.advance(60)
    nodes = cluster.kubectl("get nodes --no-headers").stdout
    assert "kubenb-worker    NotReady" in nodes or "kubenb-worker    NotReady".replace("    ", "   ") in nodes \
        or any(line.split()[:2] == ["kubenb-worker", "NotReady"] for line in nodes.splitlines())
    assert not cluster.client.get("pods", "naked", "default")["metadata"].get("deletionTimestamp")
    cluster.advance(300)
    stuck = cluster.client.get("pods", "naked", "default")
    assert stuck["metadata"].get("deletionTimestamp")
    assert status_column(cluster, "naked") == "Terminating"
    evictions = [e for e in cluster.client.list("events", "default") if e["reason"] == "TaintManagerEviction"]
    assert evictions[0]["message"] == "Marking for deletion Pod default/naked"
    cluster.start_node("kubenb-worker")
    cluster.advance(5)
    assert cluster.client.try_get("pods", "naked", "default") is None
    assert not cluster.client.get("nodes", "kubenb-worker")["spec"].get("taints")


def test_snapshot_restores_runtime_state(cluster):
    create(cluster, "nginx", [{"name": "nginx", "image": "nginx"}])
    cluster.advance(10)
    snap = cluster.snapshot()
    cluster.client.delete("pods", "nginx", "default")
    cluster.advance(5)
    cluster.restore(snap)
    assert cluster.kubectl("logs nginx").stdout.startswith("/docker-entrypoint.sh")


def test_a_pull_retry_keeps_showing_image_pull_back_off(cluster):
    # The kubelet writes a Pod's status after each sync; while a retried pull runs inside a sync the
    # status still says ImagePullBackOff (never ContainerCreating again), until the retry fails.
    create(cluster, "typo2", [{"name": "nginx", "image": "nginx:1.161"}])
    cluster.advance(1)
    assert status_column(cluster, "typo2") == "ContainerCreating"  # the first pull
    seen = []
    for _ in range(150):
        cluster.advance(1)
        seen.append(status_column(cluster, "typo2"))
    assert set(seen) == {"ErrImagePull", "ImagePullBackOff"}
    assert seen.count("ErrImagePull") >= 3  # several retries happened in those 150 s


def test_pod_records_follow_deletions_and_snapshots(cluster):
    """forget and node_metrics read an index of the Pod records; it must follow a restored snapshot."""
    create(cluster, "keep", [{"name": "c", "image": "nginx:1.27"}])
    create(cluster, "gone", [{"name": "c", "image": "nginx:1.27"}])
    cluster.advance(30)
    agents = cluster.nodes
    node = pod(cluster, "gone")["spec"]["nodeName"]
    names = lambda: sorted(r["name"] for r in agents.data["pods"].values() if r["namespace"] == "default")  # noqa: E731
    before = agents.node_metrics(node)
    saved = cluster.snapshot()
    cluster.client.delete("pods", "gone", "default")
    cluster.advance(60)
    assert names() == ["keep"]
    assert agents.node_metrics(node)["memory"] < before["memory"]
    cluster.restore(saved)
    assert names() == ["gone", "keep"]
    assert agents.node_metrics(node) == before
    cluster.client.delete("pods", "gone", "default")
    cluster.advance(60)
    assert names() == ["keep"]
    # What is left is counted once: the same figure a scan of every record gives.
    scan = sum(sum(u["memory"] for u in (agents.pod_metrics(r["namespace"], r["name"]) or {}).values())
               for r in agents.data["pods"].values() if r["node"] == node)
    assert agents.node_metrics(node)["memory"] == 500 * 1024 * 1024 + scan


def test_log_template_dates_are_filled_per_placeholder():
    from kubenb.node import runtime

    process = runtime.Process(argv=["nginx"], env={}, start=0.0, hostname="web-1", image={}, files={}, ip="10.244.1.5")
    when = parse_rfc3339("2025-01-01T00:00:00Z") + 0.25
    line = "{{nginxdate}} | {{httpddate}} | {{redisdate}} | {{isodate}} | {{kcdate}} | {{date}} | {{ip}} {{nope}}"
    assert runtime.fill_template(line, process, when) == (
        "2025/01/01 00:00:00 | Wed Jan 01 00:00:00.250000 2025 | 01 Jan 2025 00:00:00.250 | "
        "2025-01-01T00:00:00.250000Z | 2025-01-01 00:00:00,250 | Wed Jan  1 00:00:00 UTC 2025 | 10.244.1.5 {{nope}}")
    # The cached whole-second part follows the clock to the next second.
    assert runtime.fill_template("{{klogdate}}", process, when + 1) == "0101 00:00:01.250000"


def test_the_kubelet_is_not_woken_by_its_own_status_writes(cluster, monkeypatch):
    from kubenb.node.kubelet import Kubelet

    synced: list[tuple[float, str]] = []
    reconcile = Kubelet.reconcile

    def counting(self, key):  # noqa: ANN001, ANN202
        if key.name == "nginx":
            synced.append((cluster.clock.now(), key.name))
        return reconcile(self, key)

    monkeypatch.setattr(Kubelet, "reconcile", counting)
    create(cluster, "nginx", [{"name": "nginx", "image": "nginx:1.14.2"}])
    cluster.advance(30)
    assert pod(cluster, "nginx")["status"]["phase"] == "Running"
    # Bound (sandbox starting), sandbox up (pull begins), pull done (container started): one sync each,
    # each writing a status whose own watch event wakes nobody.
    writes = [e for e in cluster.client.store.trace if e.name == "nginx" and e.verb == "update-status"]
    assert len(synced) == len(writes) == 3


def test_another_writers_status_change_still_wakes_the_kubelet(cluster):
    # A readiness gate is set by someone else's status write: the kubelet must see it to turn Ready.
    create(cluster, "gated", [{"name": "nginx", "image": "nginx:1.14.2"}],
           readinessGates=[{"conditionType": "example.com/ready"}])
    cluster.advance(30)
    ready = next(c for c in pod(cluster, "gated")["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "False"

    def gate_open(obj: dict) -> None:
        obj["status"]["conditions"].append({"type": "example.com/ready", "status": "True",
                                            "lastTransitionTime": cluster.client.now()})

    cluster.client.mutate("pods", "gated", "default", gate_open, subresource="status")
    cluster.settle()
    ready = next(c for c in pod(cluster, "gated")["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "True"
