"""Ingress: classes, the default-class admission and how an ingress-nginx controller matches requests.

Mirrors three upstream pieces:

- plugin/pkg/admission/network/defaultingressclass: an Ingress created
  without ``spec.ingressClassName`` gets the IngressClass annotated
  ``ingressclass.kubernetes.io/is-default-class: "true"`` (the newest, when
  several are, and of those created in the same second the first by name;
  the documentation's "creation is refused" describes releases before v1.25);
- the host and path rules of kubernetes/website ``ingress.md`` (the
  "Examples" matching table): ``Exact`` compares the whole path, ``Prefix``
  compares ``/``-separated elements and ignores a trailing slash, the longest
  matching path wins and ``Exact`` beats ``Prefix`` on a tie; a host is exact
  or a wildcard ``*.foo.com`` that stands for exactly one label;
- ingress-nginx's merge of every Ingress of its class into nginx servers: a
  request goes to the server of its Host (exact names, then wildcards, then
  the catch-all server made of rules without a host); a path that matches
  nothing gets the Ingress's ``defaultBackend``, else the controller's 404.
  ``ImplementationSpecific`` paths are nginx ``location`` string prefixes
  there (``/foo`` also matches ``/foobar``).

Left out: regex paths and rewrite annotations, canaries, resource backends.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenb.api import Client, objects
from kubenb.api.resources import ResourceType

DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
NGINX_CONTROLLER = "k8s.io/ingress-nginx"


# --- IngressClass ---------------------------------------------------------------------------------------

def default_ingress_class(client: Client) -> dict | None:
    defaults = [c for c in client.list_view("ingressclasses")
                if objects.annotations(c).get(DEFAULT_CLASS_ANNOTATION) == "true"]
    if not defaults:
        return None
    # Several defaults (allowed since v1.25, kubernetes#110974): the plugin sorts newest first and, for
    # classes created in the same second, by name, then takes the first. RFC 3339 UTC strings sort by time.
    newest = max(c["metadata"].get("creationTimestamp", "") for c in defaults)
    return min((c for c in defaults if c["metadata"].get("creationTimestamp", "") == newest), key=objects.name)


def default_ingress_class_plugin(operation: str, rtype: ResourceType, obj: dict, old: dict | None,
                                 client: object) -> None:
    """Admission: fill spec.ingressClassName on create when a default class exists."""
    if operation != "CREATE" or rtype.kind != "Ingress" or not isinstance(client, Client):
        return
    spec = obj.setdefault("spec", {})
    if spec.get("ingressClassName") or objects.annotations(obj).get(LEGACY_CLASS_ANNOTATION):
        return
    default = default_ingress_class(client)
    if default is not None:
        spec["ingressClassName"] = objects.name(default)
    del old


def ingress_class_of(client: Client, ingress: dict) -> str | None:
    return (ingress.get("spec", {}).get("ingressClassName")
            or objects.annotations(ingress).get(LEGACY_CLASS_ANNOTATION))


def classes_for_controller(client: Client, controller: str = NGINX_CONTROLLER) -> list[str]:
    return [objects.name(c) for c in client.list_view("ingressclasses")
            if c.get("spec", {}).get("controller") == controller]


# --- matching -----------------------------------------------------------------------------------------

def host_matches(rule_host: str, host: str) -> bool:
    """Exact, or ``*.foo.com`` matching exactly one extra label (``bar.foo.com``, not ``foo.com``)."""
    host = host.lower()
    rule_host = rule_host.lower()
    if rule_host.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == rule_host[2:]
    return host == rule_host


def _elements(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def path_matches(path_type: str, rule_path: str, request_path: str) -> bool:
    if path_type == "Exact":
        return request_path == rule_path
    if path_type == "Prefix":
        wanted = _elements(rule_path)
        return _elements(request_path)[: len(wanted)] == wanted
    # ImplementationSpecific on ingress-nginx: an nginx prefix location, compared as strings.
    return request_path.startswith(rule_path or "/")


@dataclass(frozen=True)
class Match:
    ingress: dict | None
    backend: dict | None  # IngressBackend: {"service": {"name", "port": {"number"|"name"}}}
    host: str  # the rule host that matched ("" for a rule without host, "*" when none)
    path: str | None
    path_type: str | None
    reason: str  # "rule" | "defaultBackend" | "default-backend-404"


def _best_path(candidates: list[tuple[dict, dict]], request_path: str) -> tuple[dict, dict] | None:
    """Longest matching path; on equal length Exact before Prefix before ImplementationSpecific."""
    rank = {"Exact": 0, "Prefix": 1, "ImplementationSpecific": 2}
    matching = [(ing, p) for ing, p in candidates
                if path_matches(p.get("pathType", "ImplementationSpecific"), p.get("path", "/") or "/", request_path)]
    if not matching:
        return None
    matching.sort(key=lambda item: (-len((item[1].get("path") or "/").rstrip("/") or "/"),
                                    rank.get(item[1].get("pathType", ""), 3)))
    return matching[0]


def match_request(ingresses: list[dict], host: str, request_path: str) -> Match:
    """Which backend serves ``host`` + ``path`` among the Ingresses one controller serves."""
    host = (host or "").split(":")[0].lower()
    exact: list[tuple[dict, dict]] = []
    wildcard: list[tuple[dict, dict]] = []
    catch_all: list[tuple[dict, dict]] = []
    for ing in ingresses:
        for rule in ing.get("spec", {}).get("rules") or []:
            rule_host = rule.get("host") or ""
            target = None
            if not rule_host:
                target = catch_all
            elif not rule_host.startswith("*.") and host_matches(rule_host, host):
                target = exact
            elif rule_host.startswith("*.") and host_matches(rule_host, host):
                target = wildcard
            if target is None:
                continue
            target.extend((ing, p) for p in (rule.get("http") or {}).get("paths") or [])
            target.append((ing, {"__server__": True, "host": rule_host}))
    for server in (exact, wildcard, catch_all):
        if not server:
            continue
        paths = [(ing, p) for ing, p in server if "__server__" not in p]
        best = _best_path(paths, request_path)
        rule_host = next(p["host"] for _, p in server if "__server__" in p)
        if best is not None:
            ing, p = best
            return Match(ing, p.get("backend"), rule_host, p.get("path"), p.get("pathType"), "rule")
        # The host's server exists but no path matched: that Ingress's defaultBackend, else 404.
        for ing, _ in server:
            backend = ing.get("spec", {}).get("defaultBackend")
            if backend:
                return Match(ing, backend, rule_host, None, None, "defaultBackend")
        return Match(None, None, rule_host, None, None, "default-backend-404")
    for ing in ingresses:
        backend = ing.get("spec", {}).get("defaultBackend")
        if backend:
            return Match(ing, backend, "*", None, None, "defaultBackend")
    return Match(None, None, "*", None, None, "default-backend-404")


def tls_secret_for(client: Client, ingresses: list[dict], host: str) -> dict | None:
    host = (host or "").split(":")[0].lower()
    for ing in ingresses:
        for tls in ing.get("spec", {}).get("tls") or []:
            if any(host_matches(h, host) for h in tls.get("hosts") or []):
                secret = client.try_get("secrets", tls.get("secretName", ""), objects.namespace(ing))
                if secret is not None and secret.get("type") == "kubernetes.io/tls":
                    return secret
    return None


def install(client: Client) -> None:
    client.add_admission_plugin(default_ingress_class_plugin)

