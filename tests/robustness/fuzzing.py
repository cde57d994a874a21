"""Hypothesis strategies for kubectl argv and manifests, shared by the CI test and benchmarks/fuzz_long.py."""

from __future__ import annotations

import traceback

import yaml
from hypothesis import strategies as st

VERBS = ["get", "describe", "create", "apply", "delete", "run", "expose", "scale", "logs", "exec", "label",
         "annotate", "patch", "rollout", "set", "wait", "top", "explain", "edit", "cordon", "uncordon",
         "drain", "taint", "autoscale", "config", "api-resources", "version", "events", "port-forward",
         "cp", "debug", "replace", "diff", "auth", "cluster-info", "help", "foo"]
WORDS = ["pods", "pod", "po", "deploy", "deployment", "svc", "service", "nodes", "ns", "all", "rs", "jobs",
         "cronjob", "configmap", "secret", "ingress", "hpa", "events", "pod/web", "deployment/web", "web",
         "nginx", "busybox", "kube-system", "default", "status", "history", "undo", "restart", "image",
         "--", "sh", "-c", "echo hi", "sleep", "10", "-1", "0", "1000000000", "1e9", "1.5", "nan", "x=y",
         "app=web", "app!=web", "app in (a,b)", "app=", "=", ",", "'", '"', "\\", "$(id)", ";", "|", "&&",
         "*", "?", "..", "/", "-", "\x00", "é", "名前", "\ufeff", " ", ""]
FLAGS = ["-n", "-A", "-o", "-l", "-f", "-w", "-c", "-it", "-p", "--replicas", "--image", "--port",
         "--timeout", "--for", "--all", "--force", "--grace-period", "--dry-run", "--selector", "--output",
         "--watch", "--follow", "--since", "--tail", "--previous", "--type", "--from-literal", "--record",
         "--to-revision", "--max", "--min", "--cpu-percent", "--overwrite", "--show-labels", "--sort-by",
         "--field-selector", "--namespace", "--bogus", "-h", "--help", "-v", "--server-side", "-R"]
VALUES = ["yaml", "json", "wide", "name", "jsonpath={.items[*].metadata.name}", "jsonpath={", "custom-columns=N:.x",
          "go-template={{.x}}", "condition=Ready", "delete", "0", "1", "-5", "30s", "1h", "bogus", "true", "client",
          "server", "none", "99999999999", "a.yaml", "-", "{}", "[]", '{"spec":{"replicas":2}}', "]]"]

argv = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(FLAGS), st.sampled_from(VALUES),
              st.builds(lambda f, v: f"{f}={v}", st.sampled_from(FLAGS), st.sampled_from(VALUES)),
              st.text(max_size=12)),
    max_size=6,
).flatmap(lambda rest: st.sampled_from(VERBS).map(lambda verb: [verb, *rest]))

KINDS = [("v1", "Pod"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Namespace"),
         ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"),
         ("batch/v1", "Job"), ("batch/v1", "CronJob"), ("networking.k8s.io/v1", "Ingress"),
         ("autoscaling/v2", "HorizontalPodAutoscaler"), ("v1", "Deployment"), ("v2", "Pod"), ("x/y", "Foo"), ("v1", "List")]
FIELDS = ["metadata", "name", "namespace", "labels", "annotations", "spec", "replicas", "selector", "matchLabels",
          "matchExpressions", "key", "operator", "values", "template", "containers", "image", "ports",
          "containerPort", "port", "targetPort", "protocol", "resources", "limits", "requests", "cpu", "memory",
          "data", "stringData", "type", "schedule", "jobTemplate", "rules", "host", "http", "paths", "backend",
          "service", "command", "args", "env", "value", "items", "status", "minReadySeconds", "strategy",
          "maxReplicas", "minReplicas", "completions", "parallelism", "restartPolicy", "nodeName",
          "volumes", "volumeMounts", "livenessProbe", "httpGet", "path", "initialDelaySeconds", "bogus"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from(["web", "nginx", "100m", "1Gi", "lots", "-1", "TCP", "Always", "a b", "", "80",
                                     "*/1 * * * *", "x" * 300]),
                    st.text(max_size=10))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), inner, max_size=4)), max_leaves=25)


@st.composite
def manifests(draw) -> str:
    api_version, kind = draw(st.sampled_from(KINDS))
    obj = {"apiVersion": api_version, "kind": kind,
           "metadata": draw(st.one_of(st.fixed_dictionaries({"name": st.sampled_from(["web", "x", "Bad_Name", ""])}),
                                      values))}
    extra = draw(st.dictionaries(st.sampled_from(FIELDS), values, max_size=3))
    obj.update(extra)
    text = yaml.safe_dump(obj, allow_unicode=True) if draw(st.booleans()) else __import__("json").dumps(obj)
    if draw(st.integers(0, 4)) == 0:  # damage the text
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["\t", ":", "- ", "'", "{", "&a *a", "\x00", "---\n"])) + text[cut:]
    return text


def run_one(cluster, command: list[str], files: dict[str, str] | None = None) -> str | None:
    """Run one kubectl command; the traceback text when kubenb crashed, else None."""
    for name, text in (files or {}).items():
        cluster.files[name] = text
    try:
        outcome = cluster.kubectl(command)
    except Exception:  # noqa: BLE001 - what the fuzzer looks for
        return traceback.format_exc()
    if "Traceback" in outcome.stdout + outcome.stderr:
        return outcome.stdout + outcome.stderr
    return None
