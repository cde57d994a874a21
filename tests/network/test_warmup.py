"""A server that needs time to start (catalog warmupSeconds), with and without a readinessProbe.

Keycloak (a JVM server) refuses connections for ~21 s after its container starts. Without a
readinessProbe its Pod is Ready and an endpoint at once, so requests fail with curl's (7); with an
httpGet readinessProbe the Pod stays 0/1, endpoints exclude it, and the probe failures are
``Readiness probe failed: Get "http://IP:9000/health/ready": dial tcp IP:9000: connect: connection
refused`` events. Also notebook 11's section 8 cells, run as the notebook runs them.
"""

from __future__ import annotations

import re
import shlex

from kubenb import Cluster
from kubenb.jupyter.control import run_control
from kubenb.jupyter.session import Session
from tests.notebook_cells import code_of, notebook_11_cells, run_code_cell

NODE_URL = "http://172.18.0.3:30080/admin/master/console/"
REFUSED = "curl: (7) Failed to connect to 172.18.0.3 port 30080 after 0 ms: Couldn't connect to server"


def login_yaml(probe: bool) -> str:
    readiness = ("        readinessProbe:\n          httpGet:\n            path: /health/ready\n"
                 "            port: 9000\n") if probe else ""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: login
spec:
  replicas: 2
  selector:
    matchLabels:
      app: login
  template:
    metadata:
      labels:
        app: login
    spec:
      containers:
      - name: keycloak
        image: quay.io/keycloak/keycloak:26.2.5
        args: ["start-dev"]
        env:
        - name: KC_BOOTSTRAP_ADMIN_USERNAME
          value: admin
        - name: KC_HEALTH_ENABLED
          value: "true"
        ports:
        - containerPort: 8080
{readiness}---
apiVersion: v1
kind: Service
metadata:
  name: login
spec:
  type: NodePort
  selector:
    app: login
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080
"""


def run(cluster: Cluster, line: str) -> str:
    outcome = cluster.kubectl(shlex.split(line))
    return f"$ kubectl {line}\n{outcome.stdout}{outcome.stderr}"


def apply(cluster: Cluster, text: str) -> None:
    outcome = cluster.kubectl(["apply", "-f", "-"], stdin=text)
    assert outcome.exit_code == 0, outcome.stderr


def test_warming_server_refuses_then_logs_started_and_answers(cluster) -> None:
    apply(cluster, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kc\n  labels: {app: kc}\nspec:\n  containers:\n"
                   "  - name: keycloak\n    image: quay.io/keycloak/keycloak:26.2.5\n    args: [start-dev]\n---\n"
                   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n"
                   "    image: nginx:1.27.4\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: kc\nspec:\n"
                   "  selector: {app: kc}\n  ports: [{port: 80, targetPort: 8080}]\n")
    cluster.kubectl(["wait", "--for=condition=Ready", "pod/kc", "pod/client"])
    pod = cluster.client.get("pods", "kc", "default")
    ip = pod["status"]["podIP"]
    # No probe: Ready as soon as the container runs, while Keycloak is still starting.
    assert [c["type"] for c in pod["status"]["conditions"] if c["status"] == "True"].count("Ready") == 1
    early = cluster.kubectl(["exec", "client", "--", "curl", "-sS", f"http://{ip}:8080/admin/master/console/"])
    assert early.exit_code == 7
    assert early.stderr == (f"curl: (7) Failed to connect to {ip} port 8080 after 0 ms: Couldn't connect to server\n"
                            "command terminated with exit code 7\n")
    wget = cluster.kubectl(["exec", "client", "--", "wget", "-qO-", f"http://{ip}:8080/"])
    # Through the Service: curl names the Service's port, not the targetPort that refused.
    via = cluster.kubectl(["exec", "client", "--", "curl", "-sS", "http://kc/admin/master/console/"])
    assert via.stderr.startswith("curl: (7) Failed to connect to kc port 80 after 0 ms: Couldn't connect to server\n")
    assert f"wget: can't connect to remote host ({ip}): Connection refused" in wget.stderr
    cluster.advance(5)
    logs = cluster.kubectl(["logs", "kc"]).stdout
    assert "started in" not in logs and logs.startswith("Updating the configuration")
    cluster.advance(20)
    late = cluster.kubectl(["exec", "client", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                            f"http://{ip}:8080/admin/master/console/"])
    assert (late.stdout, late.exit_code) == ("200", 0)
    head = cluster.kubectl(["exec", "client", "--", "curl", "-sI", f"http://{ip}:8080/"]).stdout
    assert head.startswith("HTTP/1.1 302 Found\r\n") and f"Location: http://{ip}:8080/admin/\r\n" in head
    stamped = cluster.kubectl(["logs", "kc", "--timestamps"]).stdout.splitlines()
    started_at = pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
    started_line = next(line for line in stamped if "Listening on: http://0.0.0.0:8080" in line)
    # The "started" line comes warmupSeconds (21.4 s) after the container started.
    assert started_line.split(" ", 1)[0][:19] == _plus(started_at, 21)
    assert "Keycloak 26.2.5 on JVM (powered by Quarkus 3.20.1) started in" in started_line


def _plus(rfc3339: str, seconds: int) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def test_rollout_without_probe_sends_traffic_to_starting_pods(cluster, golden) -> None:
    apply(cluster, login_yaml(probe=False))
    cluster.advance(10)
    text = run(cluster, "rollout status deployment/login") + run(cluster, "get pods -l app=login")
    first = cluster.curl(NODE_URL, times=6)
    text += f"$ %kubenb curl --times 6 {NODE_URL}\n{first.stdout}"
    assert first.stdout.count(REFUSED) == 6 and first.exit_code == 0
    cluster.advance(30)
    warm = cluster.curl(NODE_URL, times=4)
    assert "4 of 4 requests answered, 0 failed" in warm.stdout
    # The strongest case: a rolling update. New Pods count as available at once, the old ones go,
    # and for the warm-up window every request fails.
    text += run(cluster, "rollout restart deployment/login") + run(cluster, "rollout status deployment/login")
    after = cluster.curl(NODE_URL, times=6)
    text += f"$ %kubenb curl --times 6 {NODE_URL}\n{after.stdout}"
    assert "0 of 6 requests answered, 6 failed" in after.stdout
    golden("network/warmup-no-probe", text)


def test_readiness_probe_keeps_starting_pods_out_of_the_endpoints(cluster, golden) -> None:
    apply(cluster, login_yaml(probe=False))
    cluster.advance(40)
    assert "6 of 6 requests answered" in cluster.curl(NODE_URL, times=6).stdout
    apply(cluster, login_yaml(probe=True))  # a rolling update that adds the probe
    cluster.advance(5)
    text = run(cluster, "get pods -l app=login")
    assert " 0/1 " in text
    slices = cluster.client.list("endpointslices", "default")
    new_pods = {p["metadata"]["name"] for p in cluster.client.list("pods", "default")
                if "readinessProbe" in p["spec"]["containers"][0]}
    for endpoint in [e for s in slices for e in s.get("endpoints") or []]:
        if endpoint.get("targetRef", {}).get("name") in new_pods:
            assert endpoint["conditions"]["ready"] is False
    during = cluster.curl(NODE_URL, times=6)
    assert "6 of 6 requests answered, 0 failed" in during.stdout  # the old Pods still serve
    text += run(cluster, "rollout status deployment/login") + run(cluster, "get pods -l app=login")
    after = cluster.curl(NODE_URL, times=6)
    text += f"$ %kubenb curl --times 6 {NODE_URL}\n{after.stdout}"
    assert "6 of 6 requests answered, 0 failed" in after.stdout
    text += run(cluster, "get events --field-selector reason=Unhealthy")
    pod = sorted(new_pods)[0]
    text += run(cluster, f"describe pod {pod}").split("Events:")[1]
    ip = cluster.client.get("pods", pod, "default")["status"]["podIP"]
    assert (f'Readiness probe failed: Get "http://{ip}:9000/health/ready": dial tcp {ip}:9000: connect: '
            "connection refused") in text
    golden("network/warmup-readiness-probe", text)


def test_tcp_socket_probe_fails_while_warming(cluster) -> None:
    apply(cluster, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kc\nspec:\n  containers:\n  - name: keycloak\n"
                   "    image: quay.io/keycloak/keycloak:26.2.5\n    args: [start-dev]\n    readinessProbe:\n"
                   "      tcpSocket:\n        port: 8080\n      periodSeconds: 5\n")
    cluster.advance(20)
    pod = cluster.client.get("pods", "kc", "default")
    assert pod["status"]["containerStatuses"][0]["ready"] is False
    ip = pod["status"]["podIP"]
    events = run(cluster, "get events --field-selector reason=Unhealthy")
    assert f"Readiness probe failed: dial tcp {ip}:8080: connect: connection refused" in events
    cluster.advance(15)
    assert cluster.client.get("pods", "kc", "default")["status"]["containerStatuses"][0]["ready"] is True


def test_kubenb_curl_times_option(capsys) -> None:
    session = Session()
    assert run_control(session, "curl --times 2 -s http://172.18.0.3:30080/") == 0
    out = capsys.readouterr().out
    # Nothing listens on the NodePort yet: the node refuses, and no Pod is named.
    assert out == (f"kubenb: request 1/2: {REFUSED}\nkubenb: request 2/2: {REFUSED}\n"
                   "kubenb: 0 of 2 requests answered, 2 failed\n")
    assert run_control(session, "lang ja") == 0
    capsys.readouterr()
    assert run_control(session, "curl --times 1 http://172.18.0.3:30080/") == 0
    assert capsys.readouterr().out == f"kubenb: リクエスト 1/1: {REFUSED}\nkubenb: 1 件中 0 件が応答、1 件が失敗\n"
    assert run_control(session, "curl --times 0 http://172.18.0.3:30080/") == 1
    assert capsys.readouterr().err == "kubenb: --times must be from 1 to 100\n"
    assert run_control(session, "curl --times x http://172.18.0.3:30080/") == 1
    assert capsys.readouterr().err == "kubenb: --times needs a number, not 'x'\n"
    assert run_control(session, "curl http://a --times") == 1
    assert capsys.readouterr().err == "kubenb: --times needs a number (e.g. --times 6)\n"
    assert run_control(session, "curl --times=2 http://a http://b") == 1
    assert capsys.readouterr().err == "kubenb: curl --times takes exactly one URL\n"


# --- notebook 11, section 8 -----------------------------------------------------------------------



def _section_8_cells() -> tuple[list[dict], int, int]:
    cells = notebook_11_cells()
    start = next(i for i, c in enumerate(cells) if "md" in c and "### See it go wrong: requests reach"
                 in c["md"]["en"])
    stop = next(i for i in range(start + 1, len(cells)) if "code" in cells[i] and "delete -f login.yaml"
                in cells[i]["code"])
    return cells, start, stop


def _run_section(session: Session, cells: list[dict], capsys) -> list[str]:
    outputs = []
    for cell in cells:
        if "code" not in cell:
            continue
        run_code_cell(session, cell["code"])
        captured = capsys.readouterr()
        outputs.append(f"--- {cell['code'].splitlines()[0]}\n{captured.out}{captured.err}")
    first_curl, second_curl = [o for o in outputs if o.startswith("--- %kubenb curl")]
    assert "0 of 6 requests answered, 6 failed" in first_curl
    assert "6 of 6 requests answered, 0 failed" in second_curl
    text = "".join(outputs)
    assert 'Readiness probe failed: Get "http://' in text
    assert 'deployment.apps "login" deleted' in text and 'service "login" deleted' in text
    assert session.cluster.client.try_get("deployments", "login", "default") is None
    return outputs


def test_notebook_section_8_cells_show_the_failure_and_the_fix(capsys, golden) -> None:
    """The section's cells as a student runs them (think time per kubectl cell), on a fresh cluster."""
    cells, start, stop = _section_8_cells()
    assert 4 <= stop - start + 1 <= 7
    session = Session()
    run_control(session, "reset --seed 0")
    capsys.readouterr()
    outputs = _run_section(session, cells[start:stop + 1], capsys)
    golden("notebooks/11-section-8-no-probes", "".join(outputs))


def test_notebook_11_runs_with_section_8_in_place(capsys) -> None:
    """The whole notebook (other sections change its state and names): the same outcomes, and the cells
    after section 8's demonstration still run without an error they did not mean to show."""
    cells, start, stop = _section_8_cells()
    session = Session()
    run_control(session, "reset --seed 0")
    for cell in cells[:start]:
        if "code" in cell:
            run_code_cell(session, code_of(cell))
    capsys.readouterr()
    _run_section(session, cells[start:stop + 1], capsys)
    for cell in cells[stop + 1:]:
        if "code" not in cell:
            continue
        code = cell["code"] if isinstance(cell["code"], str) else cell["code"]["en"]
        run_code_cell(session, code)
        err = capsys.readouterr().err
        if not cell.get("shows_error") and not cell.get("raises"):
            assert not ERROR_TEXT.search(err), (code, err)


ERROR_TEXT = re.compile(r"^(error: |Error from server|kubenb: internal error|kubenb: .* is not available yet)",
                        re.MULTILINE)  # as scripts/build_notebooks.py checks saved outputs
