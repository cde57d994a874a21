"""The anti-pattern coach (kubenb/coach): each of the lecture's ten, in English and Japanese."""

from __future__ import annotations

import pytest

from kubenb import coach

ALL_TEN = """
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: dev}
data:
  DB_PASSWORD: hunter2
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: dev}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - {name: LOG_LEVEL, value: debug}
        - {name: DB_HOST, value: "db:5432"}
        command: ["sh", "-c", "nginx & php-fpm"]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: dev}
spec:
  containers:
  - name: debug
    image: busybox:latest
    command: ["sh", "-c", "sleep 3600"]
"""

GOOD = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27.3
        envFrom: [{configMapRef: {name: web-config}}]
        resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
        readinessProbe: {httpGet: {path: /, port: 80}}
        livenessProbe: {httpGet: {path: /, port: 80}}
"""


def test_manifest_with_all_ten_problems_reports_each() -> None:
    # Drift (the seventh) needs the live object: see test_the_seventh_is_drift_from_last_applied.
    findings = coach.lint_manifest(ALL_TEN)
    codes = {f.code for f in findings}
    assert codes == {"baked-config", "one-pipeline", "start-order", "no-resources", "latest-tag", "shared-cluster",
                     "no-probes", "plain-secret", "multi-process", "naked-pod"}
    text = coach.render(findings, source="all-ten.yaml")
    assert text.startswith("kubenb lint: ")
    for number in (1, 2, 3, 4, 5, 6, 8, 9, 10):
        assert f"(anti-pattern {number})" in text
    assert "Why it hurts:" in text and "Fix:" in text


def test_the_seventh_is_drift_from_last_applied(cluster) -> None:
    assert cluster.kubectl("apply -f -", stdin=GOOD).exit_code == 0
    assert coach.lint_live(cluster.client, "deployment/web") == []
    cluster.kubectl("scale deployment web --replicas=3")
    cluster.kubectl("set image deployment/web web=nginx:1.28.0")
    findings = coach.lint_live(cluster.client, "deployment/web")
    assert [f.code for f in findings] == ["drift"]
    diff = findings[0].values["diff"]
    assert "spec.template.spec.containers[name=web].image: nginx:1.27.3 (applied) -> nginx:1.28.0 (live)" in diff
    # The next apply overwrites the drift, as the finding warns.
    cluster.kubectl("apply -f -", stdin=GOOD)
    assert coach.lint_live(cluster.client, "deployment/web") == []


def test_a_clean_manifest_has_no_findings() -> None:
    assert coach.lint_manifest(GOOD) == []
    assert coach.render([], source="good.yaml") == "kubenb lint: no anti-patterns found in good.yaml\n"


def test_japanese(golden) -> None:
    findings = coach.lint_manifest(ALL_TEN, lang="ja")
    text = coach.render(findings, lang="ja", source="all-ten.yaml")
    assert "問題点:" in text and "対策:" in text and "（アンチパターン10）" in text
    golden("coach/all-ten-ja", text)


def test_english_golden(golden) -> None:
    golden("coach/all-ten-en", coach.render(coach.lint_manifest(ALL_TEN), source="all-ten.yaml"))


def test_lint_all_sees_namespaces_of_the_cluster(cluster) -> None:
    cluster.kubectl("create namespace production")
    cluster.kubectl("create namespace staging")
    codes = {f.code for f in coach.lint_all(cluster.client)}
    assert "shared-cluster" in codes


@pytest.mark.parametrize("script,expected", [
    ("nginx & php-fpm", "`nginx &`"),
    ("supervisord -n", "supervisord"),
    ("cmd 2>&1 && other", ""),
    ("until nc -z db 5432; do sleep 1; done; app", ""),
])
def test_multi_process_heuristic(script: str, expected: str) -> None:
    container = {"name": "c", "image": "x:1", "command": ["sh", "-c", script]}
    assert coach._several_processes(container) == expected


def test_bad_yaml_is_a_kubenb_error() -> None:
    with pytest.raises(ValueError, match="^kubenb: the manifest is not valid YAML"):
        coach.lint_manifest("a: [")
