"""Every wait ends: a livelock stops with a kubenb error, and kubectl's waits end on quiet or timeout."""

from __future__ import annotations

import time

import pytest

from kubenb.reconcile import Result, SimulationStuck, for_


class _PingPong:
    """Rewrites its ConfigMap on every reconcile: each write wakes it again, forever."""

    name = "ping-pong"
    watches = [for_("configmaps")]

    def __init__(self, client):
        self.client = client

    def reconcile(self, key):
        cm = self.client.try_get("configmaps", key.name, key.namespace)
        if cm is not None and key.name == "ping":
            cm["data"] = {"n": str(int((cm.get("data") or {}).get("n", "0")) + 1)}
            self.client.update(cm)
        return Result()


class _Spinner:
    """Asks to run again right now, forever: timers at the same instant."""

    name = "spinner"
    watches = [for_("configmaps")]

    def reconcile(self, key):
        return Result(requeue_after=0.0) if key.name == "spin" else Result()


@pytest.mark.parametrize("controller, name", [(_PingPong, "ping"), (_Spinner, "spin")])
def test_a_livelock_stops_with_a_kubenb_error(cluster, controller, name):
    cluster.manager.max_reconciles = 5_000
    cluster.manager.add_controller(controller(cluster.client) if controller is _PingPong else controller())
    started = time.monotonic()
    outcome = cluster.kubectl(f"create configmap {name}")
    if outcome.exit_code == 0:  # the same-instant timers only spin once time is asked to pass
        with pytest.raises(SimulationStuck, match="^kubenb: "):
            cluster.advance(1)
    else:
        assert outcome.stdout == f"configmap/{name} created\n"
        assert outcome.stderr.startswith("kubenb: the controllers did not settle after 5000 reconciles; busiest: ")
        assert "ping-pong configmaps/ping" in outcome.stderr
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("command", [
    "get pods -w",
    "get pods -w --request-timeout=5s",
    "rollout status deployment/web --timeout=30s",
    "wait --for=condition=Ready pod/never --timeout=30s",
    "wait --for=delete pod -l app=web --timeout=20s",
    "logs -f deployment/web",
    "logs -f deployment/web --pod-running-timeout=5s",
])
def test_waits_end_on_quiet_or_timeout(cluster, command):
    cluster.kubectl("create deployment web --image=nginx:does-not-exist")  # never becomes ready
    started = time.monotonic()
    outcome = cluster.kubectl(command)
    assert time.monotonic() - started < 60
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert outcome.exit_code in (0, 1)
