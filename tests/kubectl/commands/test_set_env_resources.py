"""kubectl set env / set resources (and -o jsonpath on generators) against the real kubectl 1.33.1.

``--local -f`` cases run client-side in the real binary, so each is compared byte for byte where
the binary exists and pinned in tests/golden/kubectl/set/<case>.txt for machines without it.
The server cases (set env/resources on live deployments) pin kubenb's transcript.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from pathlib import Path

import pytest

from kubenb import Cluster

FIXTURES = Path("/tmp/kubenb-set-fixtures")
F = str(FIXTURES)
POD = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: app
    image: nginx
    env:
    - name: A
      value: "1"
    - name: CM
      valueFrom:
        configMapKeyRef: {name: cfg, key: k}
    - name: S
      valueFrom:
        secretKeyRef: {name: sec, key: pw}
    - name: F
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
  - name: side
    image: busybox
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - env:
        - name: B
          value: "1"
        image: nginx
        name: nginx
        resources: {}
status: {}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports:
  - port: 80
"""
FILES = {"pod.yaml": POD, "dep.yaml": DEPLOYMENT, "svc.yaml": SERVICE}

L = "--local"
CASES = [
    f"set env -f {F}/pod.yaml {L} --list",
    f"set env -f {F}/pod.yaml {L} --list -c a* B=2 A-",
    f"set env -f {F}/pod.yaml {L} -c zz B=2",
    f"set env -f {F}/pod.yaml {L} --overwrite=false A=2",
    f"set env -f {F}/pod.yaml {L} 1A=2",
    f"set env -f {F}/pod.yaml {L} A=2 A-",
    f"set env -f {F}/pod.yaml {L} --keys=x",
    f"set env -f {F}/pod.yaml {L} --list -o yaml",
    "set env --local",
    "set env deploy/x A=1 deploy/y",
    "set env deploy/x --local A=1",
    f"set env -f {F}/pod.yaml {L}",
    f"set env -f {F}/pod.yaml {L} A=1",
    f"set env -f {F}/pod.yaml {L} ZZ-",
    f"set env -f {F}/pod.yaml {L} --prefix=P_ -e Q=1 -o jsonpath={{.spec.containers[*].env[*].name}}",
    f"set env -f {F}/pod.yaml {L} --dry-run=server A=3",
    f"set env -f {F}/pod.yaml {L} --from=configmap/cfg",
    f"set env -f {F}/dep.yaml {L} --list",
    f"set env -f {F}/dep.yaml {L} C=2 --dry-run=client",
    f"set env -f {F}/dep.yaml {L} C=2 -o name",
    f"set env -f {F}/dep.yaml {L} B- -o yaml",
    f"set env -f {F}/dep.yaml {L} --overwrite=false B=2",
    f"set env -f {F}/svc.yaml {L} A=1",
    f"set env -f {F}/svc.yaml -f {F}/dep.yaml {L} --overwrite=false B=2",
    f"set env -f {F}/pod.yaml {L} -o wide A=1",
    "set env --all -l a=b deploy",
    f"set resources -f {F}/pod.yaml {L} -c side --limits=cpu=200m",
    f"set resources -f {F}/pod.yaml {L}",
    f"set resources -f {F}/pod.yaml {L} -c zz --limits=cpu=1",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=abc",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=1,",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=1 --requests=cpu=2",
    "set resources deploy/x --local --limits=cpu=1",
    "set resources --limits=cpu=1",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=0.5 -o jsonpath={{.spec.containers[0].resources}}",
    f"set resources -f {F}/pod.yaml {L} --limits=cpu=1 --dry-run=client",
    f"set resources -f {F}/dep.yaml {L} --limits=memory=1Gi,cpu=1500m -o yaml",
    f"set resources -f {F}/svc.yaml -f {F}/pod.yaml {L} -c zz --limits=cpu=1",
    f"set image -f {F}/svc.yaml {L} a=b",
    # -o jsonpath on generators goes through the shared -o printer
    "create deployment x --image=y --dry-run=client -o jsonpath={.spec}",
    """create deployment x --image=y --dry-run=client -o 'jsonpath={.metadata.name}{"\\n"}'""",
    "create deployment x --image=y --dry-run=client -o jsonpath={.foo}",
    "create deployment x --image=y --dry-run=client -o jsonpath={.foo",
    "create deployment x --image=y --dry-run=client -o jsonpath",
    "create deployment x --image=y --dry-run=client -o jsonpath-as-json={.metadata.name}",
    "create deployment x --image=y --dry-run=client -o custom-columns=N:.metadata.name",
    "create configmap c --from-literal=a=b --dry-run=client -o jsonpath={.data}",
    # group commands without a (known) subcommand: help on stderr and exit 1, Aliases:, padding, hints
    "create service", "create svc", "create service foo", "create service --help", "create secret foo",
    "set", "set foo", "set --help", "auth", "auth foo", "top", "top foo", "config foo", "rollout foo",
    "create foo", "apply foo bar",
]


def _slug(command: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]+", "-", command.replace(F, "F")).strip("-")
    return f"{text[:70]}-{hashlib.sha1(command.encode()).hexdigest()[:6]}"


def _render(argv: list[str], stdout: str, stderr: str, code: int) -> str:
    return f"$ kubectl {shlex.join(argv)}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"


@pytest.fixture(scope="module", autouse=True)
def fixtures() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        (FIXTURES / name).write_text(content)


@pytest.mark.parametrize("command", CASES, ids=_slug)
def test_set_matches_real_kubectl(command: str, golden, request: pytest.FixtureRequest) -> None:
    argv = shlex.split(command)
    ours = Cluster(seed=0, strict=True).kubectl(argv)
    rendered = _render(argv, ours.stdout, ours.stderr, ours.exit_code)
    try:
        real = request.getfixturevalue("real_kubectl")
    except pytest.skip.Exception:
        real = None
    if real is not None:
        done = real(*argv)
        assert rendered == _render(argv, done.stdout, done.stderr, done.returncode)
    golden(f"kubectl/set/{_slug(command)}", rendered)


def test_set_env_and_resources_on_the_server(golden) -> None:
    cluster = Cluster(seed=0, strict=True)
    lines: list[str] = []

    def k(command: str, stdin: str = "") -> None:
        done = cluster.kubectl(command, stdin=stdin)
        lines.append(_render(shlex.split(command), done.stdout, done.stderr, done.exit_code))

    k("create deployment web --image=nginx")
    k("create configmap cfg --from-literal=a-key=1 --from-literal=B=2")
    k("create secret generic sec --from-literal=pw=x")
    k("set env deployment/web MODE=prod")
    k("set env deployment/web MODE=prod")  # no change: nothing printed
    k("set env deployment/web --from=configmap/cfg --prefix=APP_")
    k("set env deployment/web --from=secret/sec --keys=pw")
    k("set env deployment/web --from=configmap/nope")
    k("set env deployment web --list")
    k("set env deployment/web MODE- -o jsonpath={.spec.template.spec.containers[0].env[*].name}")
    k("set env deployment/nope A=1")
    k("set env deployment/web --overwrite=false APP_B=3")
    k("set env deployment/web -e - --dry-run=client -o jsonpath={.spec.template.spec.containers[0].env[-2:]}",
      stdin="X=1 # comment\nY=2\n")
    k("set env svc/kubernetes A=1")
    k("set resources deployment/web --limits=cpu=200m --requests=cpu=100m,memory=64Mi")
    k("set resources deployment/web --limits=cpu=200m")  # no change
    k("set resources deployment/web --limits=cpu=100m --requests=cpu=200m")
    k("set resources deployment/web -c nope --limits=cpu=1")
    k("get deploy web -o jsonpath={.spec.template.spec.containers[0].resources}")
    text = "\n".join(lines)
    assert "deployment.apps/web env updated" in text
    assert "deployment.apps/web resource requirements updated" in text
    pods = cluster.kubectl("get pods -o jsonpath={.items[*].spec.containers[0].env[*].name}").stdout
    assert "APP_A_KEY" in pods and "MODE" not in pods.split()[-1:]
    golden("kubectl/set/server-transcript", text)
