"""CrashLoopBackOff: lastState and the RESTARTS column name the latest termination, as the kubelet reports it."""

from kubenb.sim.clock import parse_rfc3339


def test_back_off_reports_the_termination_it_waits_after(cluster):
    cluster.kubectl(["run", "crash", "--image=busybox", "--", "sh", "-c", "exit 1"])
    seen = []
    for _ in range(90):
        cluster.advance(1)
        status = cluster.client.get("pods", "crash", "default")["status"]["containerStatuses"][0]
        if "terminated" in status["state"]:
            seen.append(status["state"]["terminated"]["finishedAt"])
        if "waiting" in status["state"] and status["state"]["waiting"]["reason"] == "CrashLoopBackOff":
            # The container that just exited is the one the back-off follows: its exit is lastState.
            assert status["lastState"]["terminated"]["finishedAt"] == seen[-1]
            assert status["lastState"]["terminated"]["exitCode"] == 1
    assert len(seen) >= 4
    row = cluster.kubectl("get pod crash --no-headers").stdout.split()
    restarts, ago = row[3], row[4]
    last = cluster.client.get("pods", "crash", "default")["status"]["containerStatuses"][0]["lastState"]
    assert ago == f"({round(cluster.clock.now() - parse_rfc3339(last['terminated']['finishedAt']))}s"
    assert int(restarts) == len(seen) - 1  # the run that is waiting to restart counts once it starts
