"""The anti-pattern coach: ``%kubenb lint`` over manifests and live objects.

Checks the ten anti-patterns of the course's lecture ("Kubernetes
アンチパターンとベストプラクティス") and says, in kubenb's own words and in
the session's language, which practice a finding breaks, why it hurts and
how to fix it. Not a Kubernetes tool: every line it prints starts with or
sits under ``kubenb lint:``.

- ``lint_manifest(text)``: the objects of a YAML/JSON manifest (plus, given
  a client, their live counterparts for drift);
- ``lint_applied(texts, namespace=...)``: what one ``kubectl apply/create -f`` sent (lint on apply);
- ``lint_live(client, "TYPE/NAME")`` and ``lint_all(client)``: objects in
  the cluster, including drift from their last-applied configuration and
  production/non-production namespaces side by side;
- ``render(findings, lang, source)``: the text.

Heuristics are deliberately simple and explained in each check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from kubenb.api import Client, objects, resources
from kubenb.coach.messages import MESSAGES, ORDER, WORDS

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
                  "ReplicationController")
# Objects that describe the platform rather than one application.
INFRA_KINDS = ("Namespace", "StorageClass", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "Role",
               "RoleBinding", "ResourceQuota", "LimitRange", "IngressClass", "CustomResourceDefinition",
               "PriorityClass", "NetworkPolicy", "Node")
SECRET_WORDS = re.compile(r"(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)", re.I)
DEPENDENCY_NAME = re.compile(r"(_HOST|_URL|_URI|_ADDR|_ADDRESS|_ENDPOINT|_SERVICE)$", re.I)
PRODUCTION = re.compile(r"^(prod|production|prd|live)(-|$)|-(prod|production|prd)$")
NON_PRODUCTION = re.compile(r"^(dev|develop|development|test|testing|stg|stage|staging|qa|sandbox)(-|$)|"
                            r"-(dev|test|stg|staging|qa)$")
SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease", "local-path-storage", "ingress-nginx")


@dataclass
class Finding:
    code: str  # a key of messages.MESSAGES
    target: str  # kind/name the finding is about
    values: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> tuple[str, str, str]:
        entry = MESSAGES[self.code].get(lang) or MESSAGES[self.code]["en"]
        values = _Defaults(self.values)
        return (entry["title"], entry["risk"].format_map(values), entry["fix"].format_map(values))


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


# --- pod templates ---------------------------------------------------------------------------------------
def pod_spec_of(obj: dict) -> dict | None:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")) or None
    if kind in WORKLOAD_KINDS:
        return ((spec.get("template") or {}).get("spec")) or None
    return None


def _containers(spec: dict) -> list[dict]:
    return [c for c in spec.get("containers") or [] if isinstance(c, dict)]


def _target(obj: dict) -> str:
    return f"{str(obj.get('kind', '')).lower()}/{(obj.get('metadata') or {}).get('name', '')}"


def check_object(obj: dict, lang: str = "en") -> list[Finding]:
    """Every per-object finding for one object (the cluster-wide ones are in check_set)."""
    words = WORDS.get(lang, WORDS["en"])
    findings: list[Finding] = []
    target = _target(obj)
    name = (obj.get("metadata") or {}).get("name", "")
    kind = obj.get("kind")
    if kind == "ConfigMap":
        keys = [k for k in (obj.get("data") or {}) if SECRET_WORDS.search(k)]
        if keys:
            findings.append(Finding("plain-secret", target, {"where": f"ConfigMap {name}", "names": ", ".join(keys),
                                                             "first": keys[0], "workload": name}))
        return findings
    spec = pod_spec_of(obj)
    if spec is None:
        return findings
    long_running = kind not in ("Job", "CronJob") and not (
        kind == "Pod" and (spec.get("restartPolicy") or "Always") != "Always")
    if kind == "Pod" and not objects.controller_ref(obj):
        image = (_containers(spec) or [{}])[0].get("image", "IMAGE")
        findings.append(Finding("naked-pod", target, {"name": name, "image": image}))
    for container in _containers(spec):
        cname = container.get("name", "")
        literal = [e for e in container.get("env") or [] if isinstance(e, dict) and "valueFrom" not in e]
        secret_literals = [e["name"] for e in literal if SECRET_WORDS.search(str(e.get("name", "")))]
        config_literals = [e for e in literal if not SECRET_WORDS.search(str(e.get("name", "")))]
        if config_literals:
            names = ", ".join(str(e.get("name")) for e in config_literals)
            pairs = " ".join(f"--from-literal={e.get('name')}={e.get('value', '')}" for e in config_literals)
            findings.append(Finding("baked-config", target, {"container": cname, "names": names,
                                                            "workload": name, "literals": pairs}))
        if secret_literals:
            findings.append(Finding("plain-secret", target, {
                "where": f"{target} (container {cname}, env)", "names": ", ".join(secret_literals),
                "first": secret_literals[0], "workload": name}))
        resources_ = container.get("resources") or {}
        missing = [words[k] for k in ("requests", "limits") if not resources_.get(k)]
        if missing:
            findings.append(Finding("no-resources", target, {"container": cname,
                                                            "missing": words["and"].join(missing)}))
        image = str(container.get("image", ""))
        if image and "@" not in image:
            last = image.rsplit("/", 1)[-1]
            tag = last.split(":", 1)[1] if ":" in last else ""
            if tag in ("", "latest"):
                repository = image if not tag else image[: -len(":" + tag)]
                findings.append(Finding("latest-tag", target, {"container": cname, "image": image,
                                                              "repository": repository}))
        if long_running:
            missing = [words[k] for k, key in (("liveness", "livenessProbe"), ("readiness", "readinessProbe"))
                       if not container.get(key)]
            if missing:
                port = ((container.get("ports") or [{}])[0]).get("containerPort", 8080)
                findings.append(Finding("no-probes", target, {"container": cname,
                                                             "missing": words["and"].join(missing),
                                                             "port": str(port)}))
        dependency = _dependency(container)
        if dependency and not spec.get("initContainers") and not container.get("startupProbe"):
            short = re.split(r"[:/.]", dependency.split("://", 1)[-1])[0] or "dependency"
            findings.append(Finding("start-order", target, {"container": cname, "dependency": dependency,
                                                           "short": short}))
        evidence = _several_processes(container)
        if evidence:
            findings.append(Finding("multi-process", target, {"container": cname, "evidence": evidence}))
    return findings


def _script(container: dict) -> str:
    """What the container runs as one line; for ``sh -c SCRIPT`` the script itself."""
    argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash") and argv[1] == "-c":
        return " ".join(argv[2:])
    return " ".join(argv)


def _dependency(container: dict) -> str:
    """A Service the container reaches at start: a *_HOST/*_URL variable, or a connection in its script.

    A script that loops (until/while) or says retry is taken as waiting properly.
    """
    for item in container.get("env") or []:
        if isinstance(item, dict) and DEPENDENCY_NAME.search(str(item.get("name", ""))) and item.get("value"):
            return str(item["value"])
    script = _script(container)
    if re.search(r"\b(until|while|retry)\b", script):
        return ""
    for pattern in (r"\b(?:psql|mysql|redis-cli|pg_isready)\b[^;&|]*?-h\s*([a-z][a-z0-9.-]*)",
                    r"\b(?:curl|wget)\b[^;&|]*?https?://([a-z][a-z0-9.-]*(?::\d+)?)",
                    r"\bnc\b[^;&|]*?\s([a-z][a-z0-9.-]*)\s+\d+"):
        match = re.search(pattern, script)
        if match:
            return match.group(1)
    return ""


def _several_processes(container: dict) -> str:
    """Evidence of more than one long-lived process: a process supervisor, or commands sent to the background."""
    script = _script(container)
    supervisor = re.search(r"\b(supervisord|pm2|runsvdir|s6-svscan)\b", script)
    if supervisor:
        return supervisor.group(1)
    parts = re.split(r"(&&|\|\||;|(?<![>&])&(?![&>]))", script)
    backgrounded = [parts[i - 1].strip().split()[0] for i in range(1, len(parts))
                    if parts[i] == "&" and parts[i - 1].strip()]
    if backgrounded:
        return "`" + " & ".join(b.rsplit("/", 1)[-1] + " &" for b in backgrounded) + "`"
    return ""


def check_set(objs: list[dict], namespaces: list[str] | None = None) -> list[Finding]:
    """Findings about a set of objects together: one pipeline for app and infra; prod next to non-prod."""
    findings: list[Finding] = []
    infra = sorted({f"{o.get('kind')}/{(o.get('metadata') or {}).get('name', '')}" for o in objs
                    if o.get("kind") in INFRA_KINDS})
    app = sorted({f"{o.get('kind')}/{(o.get('metadata') or {}).get('name', '')}" for o in objs
                  if o.get("kind") in WORKLOAD_KINDS})
    if infra and app:
        findings.append(Finding("one-pipeline", "manifest", {"infra": ", ".join(infra), "app": ", ".join(app)}))
    names = set(namespaces or [])
    for o in objs:
        md = o.get("metadata") or {}
        if o.get("kind") == "Namespace":
            names.add(str(md.get("name", "")))
        elif md.get("namespace"):
            names.add(str(md["namespace"]))
    production = sorted(n for n in names if PRODUCTION.search(n))
    other = sorted(n for n in names if NON_PRODUCTION.search(n))
    if production and other:
        findings.append(Finding("shared-cluster", "cluster", {"production": ", ".join(production),
                                                             "other": ", ".join(other)}))
    return findings


# --- drift ---------------------------------------------------------------------------------------------------
def drift(live: dict) -> list[str]:
    """Fields whose live value differs from the last-applied configuration: "path: applied -> live"."""
    text = objects.annotations(live).get(LAST_APPLIED)
    if not text:
        return []
    try:
        applied = json.loads(text)
    except ValueError:
        return []
    lines: list[str] = []
    _compare(applied, live, "", lines)
    return lines


def _show(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True) if not isinstance(value, str) else value


def _compare(applied: object, live: object, path: str, lines: list[str]) -> None:
    if isinstance(applied, dict) and isinstance(live, dict):
        for key in applied:
            # status is the server's; a Secret's stringData is folded into data and never read back.
            if path == "" and key in ("status", "stringData") or path == ".metadata" and key in ("annotations",):
                continue
            _compare(applied[key], live.get(key), f"{path}.{key}", lines)
        return
    if isinstance(applied, list) and isinstance(live, list) and applied and all(
            isinstance(x, dict) and "name" in x for x in applied):
        by_name = {x.get("name"): x for x in live if isinstance(x, dict)}
        for item in applied:
            _compare(item, by_name.get(item["name"]), f"{path}[name={item['name']}]", lines)
        return
    if applied != live:
        lines.append(f"  {path.lstrip('.')}: {_show(applied)} (applied) -> {_show(live)} (live)")


# --- entry points ----------------------------------------------------------------------------------------------
def parse_manifest(text: str) -> list[dict]:
    """The objects of a YAML/JSON manifest (List items flattened); raises ValueError with a kubenb message."""
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as error:
        raise ValueError(f"kubenb: the manifest is not valid YAML: {error}") from None
    found: list[dict] = []
    for doc in documents:
        if isinstance(doc, dict) and doc.get("kind") == "List":
            found += [i for i in doc.get("items") or [] if isinstance(i, dict)]
        elif isinstance(doc, dict):
            found.append(doc)
    return found


def lint_objects(objs: list[dict], *, lang: str = "en", client: Client | None = None,
                 namespaces: list[str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for obj in objs:
        findings += check_object(obj, lang)
        if client is not None:
            live = _live_for(client, obj)
            if live is not None:
                lines = drift(live)
                if lines:
                    findings.append(Finding("drift", _target(live), {"target": _target(live),
                                                                      "diff": "\n".join(lines)}))
    findings += check_set(objs, namespaces)
    return sorted(findings, key=lambda f: ORDER.index(f.code))


def _live_for(client: Client, obj: dict) -> dict | None:
    rtype = resources.for_object(obj)
    md = obj.get("metadata") or {}
    if rtype is None or not md.get("name"):
        return None
    return client.try_get(rtype, str(md["name"]), (md.get("namespace") or "default") if rtype.namespaced else None)


def lint_manifest(text: str, *, lang: str = "en", client: Client | None = None) -> list[Finding]:
    return lint_objects(parse_manifest(text), lang=lang, client=client)


def lint_applied(texts: list[str], *, lang: str = "en", client: Client | None = None,
                 namespace: str | None = None) -> list[Finding]:
    """Lint on apply: the objects of the manifests one apply/create just sent (objects without a
    namespace take the command's ``-n``, as kubectl does); unparsable text is skipped (kubectl
    already reported it)."""
    objs: list[dict] = []
    for text in texts:
        try:
            found = parse_manifest(text)
        except ValueError:
            continue
        for obj in found:
            md = obj.get("metadata")
            rtype = resources.for_object(obj)
            if namespace and isinstance(md, dict) and not md.get("namespace") and (rtype is None or rtype.namespaced):
                obj = {**obj, "metadata": {**md, "namespace": namespace}}
            objs.append(obj)
    return lint_objects(objs, lang=lang, client=client)


def lint_live(client: Client, target: str, *, namespace: str = "default", lang: str = "en") -> list[Finding]:
    kind, _, name = target.partition("/")
    rtype = resources.resolve(kind)
    if rtype is None or not name:
        raise ValueError(f"kubenb: lint takes FILE, TYPE/NAME or --all, not {target!r}")
    obj = client.get(rtype, name, namespace if rtype.namespaced else None)
    obj.setdefault("kind", rtype.kind)
    return lint_objects([obj], lang=lang, client=client)


def lint_all(client: Client, *, lang: str = "en") -> list[Finding]:
    """Every workload, ConfigMap and the namespaces of the cluster, outside the system namespaces."""
    objs: list[dict] = []
    for plural in ("pods", "deployments", "statefulsets", "daemonsets", "jobs", "cronjobs", "configmaps"):
        for obj in client.list(plural):
            if objects.namespace(obj) in SYSTEM_NAMESPACES:
                continue
            if plural == "pods" and objects.controller_ref(obj):
                continue  # its controller is linted instead
            if plural == "configmaps" and objects.name(obj) == "kube-root-ca.crt":
                continue
            obj.setdefault("kind", resources.by_plural(plural).kind)
            objs.append(obj)
    namespaces = [objects.name(n) for n in client.list("namespaces")]
    return lint_objects(objs, lang=lang, client=client, namespaces=namespaces)


def render(findings: list[Finding], *, lang: str = "en", source: str = "") -> str:
    words = WORDS.get(lang, WORDS["en"])
    if not findings:
        return words["clean"].format(source=source) + "\n"
    out = [words["header"].format(count=len(findings), source=source)]
    for number, finding in enumerate(findings, 1):
        title, risk, fix = finding.text(lang)
        out.append("")
        out.append(f"{number}. {title} - {finding.target}")
        out.append(f"   {words['risk']}: " + risk.replace("\n", "\n   "))
        out.append(f"   {words['fix']}: " + fix.replace("\n", "\n   "))
    return "\n".join(out) + "\n"
