"""Startup, readiness and liveness probes on the virtual clock (pkg/kubelet/prober).

A probe runs at ``startedAt + initialDelaySeconds`` and then every
``periodSeconds``; ``successThreshold`` successes in a row make it pass,
``failureThreshold`` failures in a row make it fail. Startup gates the
other two; a failed liveness or startup probe kills the container
(``Container nginx failed liveness probe, will be restarted``); a failed
readiness probe only takes the container out of Ready. Every failed attempt
is a Warning ``Unhealthy`` event (aggregated into ``(x4 over 40s)``).

Outcomes come from the image catalog: an httpGet gets the status the
server answers for the path on that port (nginx: ``/`` 200, anything else
404), a tcpSocket succeeds on a listening port (a server with a catalog
``warmupSeconds`` refuses connections until then, as a JVM app does before it binds), an exec probe runs the
command in the container's filesystem as the process has left it at that
moment (``touch /tmp/healthy; sleep 30; rm /tmp/healthy``).

Once a probe's answer cannot change any more (a warmed-up server's HTTP
answers do not depend on time) and it passes, it stops ticking, so thousands of
ready Pods cost nothing while time advances. Left out: timeouts (answers are
instant), probe-level terminationGracePeriodSeconds, gRPC services other than
the health service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.node import images, runtime, shell

if TYPE_CHECKING:
    from kubenb.node.kubelet import Kubelet

KINDS = (("startupProbe", "Startup"), ("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"))


def _port_number(container: dict, port: object) -> int | None:
    if isinstance(port, int):
        return port
    text = str(port)
    if text.isdigit():
        return int(text)
    for entry in container.get("ports") or []:
        if entry.get("name") == text:
            return int(entry.get("containerPort", 0))
    return None


def outcome(kubelet: Kubelet, pod: dict, record: dict, container: dict, c: dict, probe: dict,
            when: float) -> tuple[bool, str, bool]:
    """(passed, failure message, stable: the answer cannot change later)."""
    ip = record.get("ip") or ""
    entry = images.lookup(images.running_image(c)) or {}
    server = kubelet.agents.runs_server(pod, container, c)
    listening = set(entry.get("ports") or []) if server else set()
    warming = server and when < float(c.get("started_at") or 0) + float(entry.get("warmupSeconds") or 0)
    if warming:
        listening = set()  # still starting: its ports refuse connections (catalog warmupSeconds)
    if "httpGet" in probe:
        get = probe["httpGet"]
        port = _port_number(container, get.get("port"))
        path = get.get("path") or "/"
        scheme = (get.get("scheme") or "HTTP").lower()
        host = get.get("host") or ip
        if port not in listening:
            return False, (f'Get "{scheme}://{host}:{port}{path}": dial tcp {host}:{port}: connect: '
                           "connection refused"), not warming
        code = answer_status(entry, path)
        if 200 <= code < 400:
            return True, "", True
        return False, f"HTTP probe failed with statuscode: {code}", True
    if "tcpSocket" in probe:
        port = _port_number(container, probe["tcpSocket"].get("port"))
        host = probe["tcpSocket"].get("host") or ip
        if port in listening:
            return True, "", True
        return False, f"dial tcp {host}:{port}: connect: connection refused", not warming
    if "grpc" in probe:
        port = probe["grpc"].get("port")
        if port in listening and entry.get("grpcHealth"):
            return True, "", True
        return False, (f'timeout: failed to connect service "{ip}:{port}" within 1s: context deadline '
                       "exceeded"), not warming
    if "exec" in probe:
        command = probe["exec"].get("command") or []
        stdout, stderr, code = shell.run_in_container(kubelet.agents, pod, container, c, command, when)
        stable = server
        if code == 0:
            return True, "", stable
        return False, (stdout + stderr).rstrip("\n") if (stdout + stderr) else "", stable
    return True, "", True


def answer_status(entry: dict, path: str) -> int:
    table = entry.get("http") or {}
    answer = table.get(path.split("?")[0]) or table.get("*") or [404, ""]
    return int(answer[0])


def run_probes(kubelet: Kubelet, pod: dict, record: dict, container: dict, c: dict, now: float,
               init: bool) -> tuple[float | None, bool]:
    """Run every probe tick due by ``now``; returns (next tick or None, whether the container was killed)."""
    if init:
        c["ready"] = False
        c["started"] = True
        return None, False
    deadlines = []
    started_at = c["started_at"]
    has_readiness = "readinessProbe" in container
    for field, label in KINDS:
        probe = container.get(field)
        if not probe:
            continue
        if field != "startupProbe" and not c["started"]:
            continue
        if field == "startupProbe" and c["started"]:
            continue
        state = c["probes"].setdefault(field, {
            "next": (started_at if field != "startupProbe" or True else now)
            + float(probe.get("initialDelaySeconds", 0) or 0),
            "successes": 0, "failures": 0, "steady": False})
        if field != "startupProbe" and "gated" not in state:
            # Liveness and readiness begin when the startup probe has passed.
            state["gated"] = True
            if "startupProbe" in container:
                state["next"] = max(state["next"], now)
        if state["steady"]:
            continue
        period = float(probe.get("periodSeconds", 10) or 10)
        success_threshold = int(probe.get("successThreshold", 1) or 1)
        failure_threshold = int(probe.get("failureThreshold", 3) or 3)
        while state["next"] <= now:
            tick = state["next"]
            state["next"] = tick + period
            passed, message, stable = outcome(kubelet, pod, record, container, c, probe, tick)
            if passed:
                state["successes"] += 1
                state["failures"] = 0
            else:
                state["failures"] += 1
                state["successes"] = 0
                kubelet.event(pod, "Warning", "Unhealthy", f"{label} probe failed: {message}", c["name"])
            if field == "readinessProbe":
                if passed and state["successes"] >= success_threshold:
                    c["ready"] = True
                elif not passed and state["failures"] >= failure_threshold:
                    c["ready"] = False
            elif field == "startupProbe":
                if passed:
                    c["started"] = True
                    return now, False  # liveness and readiness start now
                if state["failures"] >= failure_threshold:
                    kubelet.kill_container(pod, container, c, tick,
                                           f"Container {c['name']} failed startup probe, will be restarted", init)
                    return None, True
            elif field == "livenessProbe" and not passed and state["failures"] >= failure_threshold:
                kubelet.kill_container(pod, container, c, tick,
                                       f"Container {c['name']} failed liveness probe, will be restarted", init)
                return None, True
            if passed and stable and (field != "readinessProbe" or c["ready"]):
                state["steady"] = True
                break
        if not state["steady"]:
            deadlines.append(state["next"])
    if not has_readiness:
        c["ready"] = c["started"]
    return (min(deadlines) if deadlines else None), False


_ = runtime  # probes replay processes through shell.run_in_container
