"""The named checks a quiz can use, each a function ``(env, spec) -> CheckResult`` over the live cluster.

Each check compares desired state (the spec) with observed state (status), as
the matching controller or ``kubectl rollout status`` does, and on failure says
what differs plus the cluster's own evidence (``explain``). Upstream sources of
the rules: the Deployment rollout-status rule (kubectl ``DeploymentStatusViewer``:
observedGeneration, updated, available replicas), Pod readiness (the Ready
condition), Service endpoints (ready EndpointSlice addresses), Ingress rules
(host + path prefix/exact matching).

``follows_practices`` asks the anti-pattern coach (``kubenb.coach``, the
``%kubenb lint`` reviewer) about one live object; its feedback is the coach's
own finding text (what is wrong, why it hurts, how to fix it).

Concept questions (``choice``, ``short_answer``) read the student's answer
from a variable in the notebook (``env.answers``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kubenb import coach
from kubenb.api import podstatus, resources
from kubenb.coach.messages import MESSAGES as COACH_MESSAGES
from kubenb.coach.messages import ORDER as COACH_CODES
from kubenb.quiz import explain
from kubenb.quiz.messages import text
from kubenb.quiz.model import CheckResult, CheckSpec, Environment, QuizError

CheckFunction = Callable[[Environment, CheckSpec], tuple[bool, str, list[str]]]
CHECKS: dict[str, CheckFunction] = {}


def check(name: str, options: tuple[str, ...] = ()) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        function.options = options  # type: ignore[attr-defined]
        CHECKS[name] = function
        return function

    return register


def run_check(env: Environment, spec: CheckSpec) -> CheckResult:
    passed, message, evidence = CHECKS[spec.kind](env, spec)
    return CheckResult(spec.kind, passed, message, spec.points if passed else 0.0, spec.points, spec.hidden,
                       evidence)


# --- helpers ---------------------------------------------------------------------------------------------


def _ref(target: Any) -> tuple[Any, str, str]:
    """``deployment/web`` -> (ResourceType, name, "deployment/web")."""
    if not isinstance(target, str) or "/" not in target:
        raise QuizError(f"kubenb: quiz: {target!r} must be KIND/NAME, such as deployment/web")
    kind, name = target.split("/", 1)
    rtype = resources.resolve(kind)
    if rtype is None:
        raise QuizError(f"kubenb: quiz: unknown kind {kind!r} in {target!r}")
    return rtype, name, f"{rtype.kind.lower()}/{name}"


def _fetch(env: Environment, spec: CheckSpec) -> tuple[dict | None, str]:
    rtype, name, ref = _ref(spec.target)
    return env.client.try_get(rtype, name, spec.namespace), ref


def _missing(spec: CheckSpec, ref: str, lang: str) -> tuple[bool, str, list[str]]:
    return False, text(lang, "not_found", ref=ref, ns=spec.namespace), []


STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_MISSING = object()


def get_field(obj: Any, path: str) -> Any:
    """``spec.template.spec.containers[0].image`` (missing -> a sentinel)."""
    current = obj
    for key, index in STEP.findall(path):
        if key:
            if not isinstance(current, dict) or key not in current:
                return _MISSING
            current = current[key]
        else:
            i = int(index)
            if not isinstance(current, list) or i >= len(current):
                return _MISSING
            current = current[i]
    return current


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "exists":
        return (actual is not _MISSING) == bool(expected)
    if actual is _MISSING:
        return False
    try:
        if op == "==":
            return actual == expected or (not isinstance(actual, (dict, list)) and str(actual) == str(expected))
        if op == "!=":
            return actual != expected and str(actual) != str(expected)
        if op in (">", ">=", "<", "<="):
            a, b = float(actual), float(expected)
            return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]
        if op == "in":
            return actual in list(expected)
        if op == "matches":
            return re.fullmatch(str(expected), str(actual)) is not None
        if op == "contains":
            return expected in actual
    except (TypeError, ValueError):
        return False
    raise QuizError(f"kubenb: quiz: unknown comparison {op!r} (==, !=, >, >=, <, <=, in, matches, contains, exists)")


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        pod_spec = spec
    elif obj.get("kind") == "CronJob":
        pod_spec = (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec") or {}
    else:
        pod_spec = (spec.get("template") or {}).get("spec") or {}
    return list(pod_spec.get("containers") or [])


# --- cluster checks ----------------------------------------------------------------------------------------


@check("exists", ("fields",))
def check_exists(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """The object exists; ``fields: {path: value}`` or ``{path: {op: value}}`` must hold too."""
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    fields = spec.options.get("fields") or {}
    if not isinstance(fields, dict):
        raise QuizError("kubenb: quiz: fields must map a field path to a value or to {op: value}")
    verified = []
    for path, want in fields.items():
        comparisons = want.items() if isinstance(want, dict) and want and all(
            k in ("==", "!=", ">", ">=", "<", "<=", "in", "matches", "contains", "exists") for k in want) \
            else [("==", want)]
        for op, expected in comparisons:
            actual = get_field(obj, str(path))
            if not _compare(actual, op, expected):
                key = "field_missing" if actual is _MISSING else "field_bad"
                want_text = repr(expected) if op == "==" else f"{op} {expected!r}"
                return False, text(env.lang, key, ref=ref, path=path, want=want_text,
                                   actual=None if actual is _MISSING else actual), []
            verified.append(text(env.lang, "field_ok", ref=ref, path=path, actual=actual))
    return True, "; ".join(verified) if verified else text(env.lang, "exists_ok", ref=ref), []


@check("rolled_out", ("replicas",))
def check_rolled_out(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """A Deployment (or StatefulSet/DaemonSet) is rolled out: kubectl rollout status would say so."""
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    want_replicas = spec.options.get("replicas")
    status = obj.get("status") or {}
    generation = (obj.get("metadata") or {}).get("generation", 0)
    observed = status.get("observedGeneration", 0)
    if obj.get("kind") == "DaemonSet":
        want = status.get("desiredNumberScheduled", 0)
        updated = status.get("updatedNumberScheduled", 0)
        available = status.get("numberAvailable", 0)
        ready = status.get("numberReady", 0)
        total = want
    else:
        want = (obj.get("spec") or {}).get("replicas", 1)
        updated = status.get("updatedReplicas", 0)
        available = status.get("availableReplicas", 0)
        ready = status.get("readyReplicas", 0)
        total = status.get("replicas", 0)
    values = {"ref": ref, "want": want, "ready": ready, "updated": updated, "available": available}
    evidence = explain.pod_evidence(env.client, explain.pods_of(env.client, obj), env.lang)
    if want_replicas is not None and want != want_replicas:
        return False, text(env.lang, "replicas_bad", ref=ref, actual=want, expected=want_replicas), evidence
    if observed < generation:
        return False, text(env.lang, "rollout_stale", ref=ref, observed=observed, generation=generation), []
    done = updated >= want and total <= updated and available >= updated and ready >= want
    if not done:
        message = text(env.lang, "rollout_bad", **values)
        if evidence:
            message += "; " + "; ".join(evidence)
        return False, message, evidence
    return True, text(env.lang, "rollout_ok", **values), []


@check("pods_ready", ("count",))
def check_pods_ready(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """At least ``count`` Pods matching the label selector (the target) are Ready."""
    selector = str(spec.target)
    want = int(spec.options.get("count", 1))
    pods = [p for p in env.client.list("pods", spec.namespace, label_selector=selector)
            if not (p.get("metadata") or {}).get("deletionTimestamp")]
    ready = sum(1 for p in pods if podstatus.is_pod_ready(p))
    if ready >= want:
        return True, text(env.lang, "pods_ok", ready=ready, selector=selector), []
    evidence = explain.pod_evidence(env.client, pods, env.lang)
    message = text(env.lang, "pods_bad", ready=ready, want=want, selector=selector, total=len(pods))
    return False, message + ("; " + "; ".join(evidence) if evidence else ""), evidence


def _ready_endpoints(env: Environment, service: dict) -> int:
    md = service["metadata"]
    count = 0
    for endpoint_slice in env.client.list_view("endpointslices", md.get("namespace"),
                                               label_selector=f"kubernetes.io/service-name={md['name']}"):
        for endpoint in endpoint_slice.get("endpoints") or []:
            if (endpoint.get("conditions") or {}).get("ready") is not False:
                count += 1
    return count


@check("service", ("type", "endpoints"))
def check_service(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """A Service (target: its name) of ``type`` whose selector matches Pods, with ``endpoints`` ready."""
    name = str(spec.target).split("/", 1)[-1]
    service = env.client.try_get("services", name, spec.namespace)
    if service is None:
        return _missing(spec, f"service/{name}", env.lang)
    svc_spec = service.get("spec") or {}
    actual_type = svc_spec.get("type", "ClusterIP")
    want_type = spec.options.get("type")
    if want_type and actual_type != want_type:
        return False, text(env.lang, "svc_type", name=name, actual=actual_type, expected=want_type), []
    if not svc_spec.get("selector"):
        return False, text(env.lang, "svc_no_selector", name=name), []
    pods = explain.pods_of(env.client, service)
    selector = ",".join(f"{k}={v}" for k, v in sorted(svc_spec["selector"].items()))
    if not pods:
        return False, text(env.lang, "svc_no_pods", name=name, selector=selector), []
    endpoints = _ready_endpoints(env, service)
    want = int(spec.options.get("endpoints", 1))
    if endpoints < want:
        evidence = explain.pod_evidence(env.client, pods, env.lang)
        message = text(env.lang, "svc_endpoints", name=name, endpoints=endpoints, expected=want)
        return False, message + ("; " + "; ".join(evidence) if evidence else ""), evidence
    return True, text(env.lang, "svc_ok", name=name, type=actual_type, pods=len(pods), endpoints=endpoints), []


def _path_matches(rule_path: dict, path: str) -> bool:
    want = rule_path.get("path") or "/"
    kind = rule_path.get("pathType", "Prefix")
    if kind == "Exact":
        return path == want
    want = want.rstrip("/")
    return path.rstrip("/") == want or path.startswith(want + "/") or want == ""


@check("routes", ("to", "port"))
def check_routes(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """An Ingress routes ``host/path`` (the target) to Service ``to`` (optionally on ``port``)."""
    target = str(spec.target)
    host, slash, path = target.partition("/")
    path = slash + path if slash else "/"
    service = str(spec.options.get("to") or "")
    if not service:
        raise QuizError("kubenb: quiz: routes needs to: SERVICE")
    want_port = spec.options.get("port")
    for ingress in env.client.list_view("ingresses", spec.namespace):
        for rule in (ingress.get("spec") or {}).get("rules") or []:
            if rule.get("host", "") not in ("", host) and host:
                continue
            for rule_path in ((rule.get("http") or {}).get("paths") or []):
                if not _path_matches(rule_path, path):
                    continue
                backend = (rule_path.get("backend") or {}).get("service") or {}
                name = ingress["metadata"]["name"]
                port = backend.get("port") or {}
                if backend.get("name") != service:
                    return False, text(env.lang, "ing_other", name=name, host=host, path=path,
                                       actual=backend.get("name"), service=service), []
                if want_port is not None and want_port not in (port.get("number"), port.get("name")):
                    continue
                return True, text(env.lang, "ing_ok", name=name, host=host, path=path, service=service), []
    return False, text(env.lang, "ing_bad", ns=spec.namespace, host=host, path=path, service=service), []


@check("request", ("status", "body_contains", "from_pod", "method", "host"))
def check_request(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """A simulated HTTP request (from outside, or ``from_pod``) answers ``status`` / contains a text."""
    url = str(spec.target)
    method = str(spec.options.get("method", "GET"))
    if env.request is None:
        return False, text(env.lang, "req_unavailable"), []
    headers = {"Host": str(spec.options["host"])} if spec.options.get("host") else None
    response = env.request(url, from_pod=spec.options.get("from_pod"), namespace=spec.namespace,
                           method=method, headers=headers)
    want = int(spec.options.get("status", 200))
    if response.status is None:
        return False, text(env.lang, "req_error", method=method, url=url, code=response.error_code,
                           error=response.error), []
    if response.status != want:
        return False, text(env.lang, "req_status", method=method, url=url, actual=response.status,
                           expected=want), []
    body = spec.options.get("body_contains")
    if body is not None and str(body) not in (response.body or ""):
        return False, text(env.lang, "req_body", method=method, url=url, status=response.status,
                           expected=str(body)), []
    return True, text(env.lang, "req_ok", method=method, url=url, status=response.status), []


def image_pin_problem(image: str) -> str | None:
    """"latest" or "none" when an image reference is not pinned to a version (a digest pins too)."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "none"
    return "latest" if last.rsplit(":", 1)[1] == "latest" else None


@check("image_pinned")
def check_image_pinned(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """Every container's image names a version tag (not latest, not untagged) or a digest."""
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    images = []
    for container in _containers(obj):
        image = str(container.get("image", ""))
        problem = image_pin_problem(image)
        if problem is not None:
            why = text(env.lang, "pinned_latest" if problem == "latest" else "pinned_none")
            return False, text(env.lang, "pinned_bad", ref=ref, container=container.get("name"), image=image,
                               why=why), []
        images.append(image)
    return True, text(env.lang, "pinned_ok", ref=ref, images=", ".join(images)), []


@check("resources", ("need",))
def check_resources(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """Every container sets the resource fields in ``need`` (default requests and limits of cpu and memory)."""
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    need = list(spec.options.get("need") or ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"])
    for container in _containers(obj):
        for field_path in need:
            if get_field(container.get("resources") or {}, str(field_path)) is _MISSING:
                return False, text(env.lang, "resources_bad", ref=ref, container=container.get("name"),
                                   field=field_path), []
    return True, text(env.lang, "resources_ok", ref=ref, fields=", ".join(need)), []


@check("probes", ("kinds",))
def check_probes(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """Every container has the probes in ``kinds`` (default readinessProbe and livenessProbe)."""
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    kinds = [k if k.endswith("Probe") else f"{k}Probe"
             for k in (spec.options.get("kinds") or ["readiness", "liveness"])]
    for container in _containers(obj):
        for kind in kinds:
            if not container.get(kind):
                return False, text(env.lang, "probes_bad", ref=ref, container=container.get("name"), kind=kind), []
    return True, text(env.lang, "probes_ok", ref=ref, kinds=", ".join(kinds)), []


def _coach_codes(avoid: Any) -> list[str]:
    """``avoid``: coach codes (latest-tag ...) or the lecture's anti-pattern numbers (1-10); none: all."""
    if avoid is None:
        return list(COACH_CODES)
    items = avoid if isinstance(avoid, list) else [avoid]
    codes: list[str] = []
    for item in items:
        if (isinstance(item, int) and not isinstance(item, bool)) or str(item).isdigit():
            number = f"(anti-pattern {int(item)})"
            found = [c for c in COACH_CODES if COACH_MESSAGES[c]["en"]["title"].endswith(number)]
        else:
            found = [str(item)] if str(item) in COACH_CODES else []
        if not found:
            raise QuizError(f"kubenb: quiz: follows_practices: {item!r} is not an anti-pattern "
                            f"(1 to 10, or one of: {', '.join(COACH_CODES)})")
        codes += [c for c in found if c not in codes]
    return codes


def _one_line(words: str) -> str:
    return " ".join(words.split())


@check("follows_practices", ("avoid",))
def check_follows_practices(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """The anti-pattern coach finds none of ``avoid`` (default: all ten) in a live object."""
    codes = _coach_codes(spec.options.get("avoid"))
    obj, ref = _fetch(env, spec)
    if obj is None:
        return _missing(spec, ref, env.lang)
    obj.setdefault("kind", _ref(spec.target)[0].kind)
    findings = [f for f in coach.lint_objects([obj], lang=env.lang, client=env.client) if f.code in codes]
    if not findings:
        checked = text(env.lang, "practices_all") if spec.options.get("avoid") is None else ", ".join(codes)
        return True, text(env.lang, "practices_ok", ref=ref, checked=checked), []
    evidence = [finding.text(env.lang)[0] for finding in findings]
    title, risk, fix = findings[0].text(env.lang)
    message = text(env.lang, "practices_bad", ref=ref, title=title, risk=_one_line(risk))
    if len(findings) > 1:
        message += "; " + text(env.lang, "practices_more", count=len(findings) - 1, titles="; ".join(evidence[1:]))
    # The first line is the verdict (QuizFailed's one line); the coach's fix follows as the hint.
    message += "\n" + text(env.lang, "practices_fix", fix=fix)
    return False, message, evidence


# --- concept questions ---------------------------------------------------------------------------------------


def _answer(env: Environment, spec: CheckSpec) -> tuple[str, Any]:
    var = str(spec.target)
    return var, env.answers.get(var, _MISSING)


def _normal(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


@check("choice", ("options", "correct"))
def check_choice(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """Multiple choice: the variable named by the target holds the key of the right option.

    Without ``correct`` (a released notebook whose answer key is a hidden test) any listed option passes.
    """
    var, answer = _answer(env, spec)
    if answer is _MISSING or answer is None or answer is Ellipsis:
        return False, text(env.lang, "answer_missing", var=var), []
    options = spec.options.get("options") or {}
    correct = spec.options.get("correct")
    if correct is None and not options:
        raise QuizError("kubenb: quiz: choice needs options or correct")
    if options and _normal(answer) not in {_normal(k) for k in options}:
        return False, text(env.lang, "choice_invalid", var=var, answer=answer,
                           options=", ".join(str(k) for k in options)), []
    if correct is None:  # a released notebook: the right answer is in a hidden test
        return True, text(env.lang, "choice_answered", var=var, answer=answer), []
    correct_keys = {_normal(c) for c in (correct if isinstance(correct, list) else [correct])}
    if _normal(answer) in correct_keys:
        return True, text(env.lang, "choice_ok", var=var, answer=answer), []
    return False, text(env.lang, "choice_bad", var=var, answer=answer), []


@check("short_answer", ("accept",))
def check_short_answer(env: Environment, spec: CheckSpec) -> tuple[bool, str, list[str]]:
    """Short answer: accepted when it equals (case and spacing aside) or fully matches one of ``accept``."""
    var, answer = _answer(env, spec)
    if answer is _MISSING or answer is None or answer is Ellipsis or not str(answer).strip():
        return False, text(env.lang, "answer_missing", var=var), []
    accept = spec.options.get("accept") or []
    if not isinstance(accept, list) or not accept:
        raise QuizError("kubenb: quiz: short_answer needs accept: [answers or regular expressions]")
    given = _normal(answer)
    for pattern in accept:
        if given == _normal(pattern) or re.fullmatch(str(pattern), given, re.IGNORECASE):
            return True, text(env.lang, "short_ok", var=var), []
    return False, text(env.lang, "short_bad", var=var, answer=answer), []
