"""Ingress matching (the docs' table), host wildcards, default class, and the ingress-nginx addon end to end."""

from __future__ import annotations

import pytest

from kubenb.network.ingress import host_matches, match_request


def _ingress(paths: list[tuple[str, str, str]], host: str | None = None, default: str | None = None) -> dict:
    rule: dict = {"http": {"paths": [{"path": p, "pathType": t, "backend": {"service": {"name": svc,
                                                                                          "port": {"number": 80}}}}
                                     for p, t, svc in paths]}}
    if host:
        rule["host"] = host
    spec: dict = {"rules": [rule]}
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    return {"metadata": {"name": "ing", "namespace": "default"}, "spec": spec}


def _served_by(ing: dict, path: str) -> str | None:
    match = match_request([ing], "example.com", path)
    return match.backend["service"]["name"] if match.backend else None


# kubernetes.io/docs/concepts/services-networking/ingress/#examples: (paths, request, matching path or None)
DOCS_TABLE = [
    ([("/", "Prefix")], ["/", "/anything/at/all"], "/"),
    ([("/foo", "Exact")], ["/foo"], "/foo"),
    ([("/foo", "Exact")], ["/bar"], None),
    ([("/foo", "Exact")], ["/foo/"], None),
    ([("/foo/", "Exact")], ["/foo"], None),
    ([("/foo", "Prefix")], ["/foo", "/foo/"], "/foo"),
    ([("/foo/", "Prefix")], ["/foo", "/foo/"], "/foo/"),
    ([("/aaa/bb", "Prefix")], ["/aaa/bbb"], None),
    ([("/aaa/bbb", "Prefix")], ["/aaa/bbb"], "/aaa/bbb"),
    ([("/aaa/bbb/", "Prefix")], ["/aaa/bbb"], "/aaa/bbb/"),
    ([("/aaa/bbb", "Prefix")], ["/aaa/bbb/"], "/aaa/bbb"),
    ([("/aaa/bbb", "Prefix")], ["/aaa/bbb/ccc"], "/aaa/bbb"),
    ([("/aaa/bbb", "Prefix")], ["/aaa/bbbxyz"], None),
    ([("/", "Prefix"), ("/aaa", "Prefix")], ["/aaa/ccc"], "/aaa"),
    ([("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")], ["/aaa/bbb"], "/aaa/bbb"),
    ([("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")], ["/ccc"], "/"),
    ([("/aaa", "Prefix")], ["/ccc"], None),
]


@pytest.mark.parametrize(("paths", "requests", "winner"), DOCS_TABLE)
def test_docs_matching_table(paths, requests, winner):
    # Each path gets its own backend, named after it, so the winner is visible; order in YAML must not matter.
    for ordering in (paths, list(reversed(paths))):
        ing = _ingress([(p, t, "svc" + p.replace("/", "-")) for p, t in ordering], default="fallback")
        for request in requests:
            expected = "fallback" if winner is None else "svc" + winner.replace("/", "-")
            assert _served_by(ing, request) == expected, (paths, request)


def test_docs_mixed_row_prefers_exact():
    ing = _ingress([("/foo", "Prefix", "prefix"), ("/foo", "Exact", "exact")])
    assert _served_by(ing, "/foo") == "exact"
    ing = _ingress([("/foo", "Exact", "exact"), ("/foo", "Prefix", "prefix")])
    assert _served_by(ing, "/foo") == "exact"
    assert _served_by(ing, "/foo/x") == "prefix"


def test_implementation_specific_is_an_nginx_string_prefix():
    ing = _ingress([("/foo", "ImplementationSpecific", "impl")])
    assert _served_by(ing, "/foobar") == "impl"


@pytest.mark.parametrize(("rule", "header", "matches"), [
    ("*.foo.com", "bar.foo.com", True),
    ("*.foo.com", "baz.bar.foo.com", False),
    ("*.foo.com", "foo.com", False),
    ("foo.bar.com", "foo.bar.com", True),
    ("foo.bar.com", "FOO.bar.com", True),
    ("foo.bar.com", "bar.com", False),
])
def test_host_wildcards_cover_one_label(rule, header, matches):
    assert host_matches(rule, header) is matches


def test_exact_host_beats_wildcard_and_catch_all():
    exact = _ingress([("/", "Prefix", "exact")], host="foo.bar.com")
    wildcard = _ingress([("/", "Prefix", "wild")], host="*.bar.com")
    anyhost = _ingress([("/", "Prefix", "any")])
    ingresses = [anyhost, wildcard, exact]
    assert match_request(ingresses, "foo.bar.com", "/").backend["service"]["name"] == "exact"
    assert match_request(ingresses, "baz.bar.com", "/").backend["service"]["name"] == "wild"
    assert match_request(ingresses, "other.org:80", "/").backend["service"]["name"] == "any"


def test_no_match_without_default_backend_is_the_controllers_404():
    match = match_request([_ingress([("/aaa", "Prefix", "a")])], "x", "/ccc")
    assert match.backend is None and match.reason == "default-backend-404"


INGRESS_CLASS = """apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: {name}
  annotations:
    ingressclass.kubernetes.io/is-default-class: "{default}"
spec:
  controller: example.com/{name}
"""


def test_default_ingress_class_is_filled_in_at_create(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin=INGRESS_CLASS.format(name="first", default="true"))
    cluster.kubectl("create ingress plain --rule=/=web:80")
    assert cluster.client.get("ingresses", "plain", "default")["spec"]["ingressClassName"] == "first"
    cluster.kubectl("create ingress chosen --class=other --rule=/=web:80")
    assert cluster.client.get("ingresses", "chosen", "default")["spec"]["ingressClassName"] == "other"


def test_several_default_classes_pick_the_newest_then_the_first_name(cluster):
    # v1.25+ (kubernetes#110974): no refusal; the newest default wins, a same-second tie goes by name.
    both = INGRESS_CLASS.format(name="zeta", default="true") + "---\n" + INGRESS_CLASS.format(name="alpha",
                                                                                          default="true")
    assert cluster.kubectl(["apply", "-f", "-"], stdin=both).exit_code == 0
    outcome = cluster.kubectl("create ingress tie --rule=/=web:80")
    assert outcome.exit_code == 0, outcome.stderr
    assert cluster.client.get("ingresses", "tie", "default")["spec"]["ingressClassName"] == "alpha"
    cluster.advance(5)
    cluster.kubectl(["apply", "-f", "-"], stdin=INGRESS_CLASS.format(name="middle", default="true"))
    cluster.kubectl("create ingress newest --rule=/=web:80")
    assert cluster.client.get("ingresses", "newest", "default")["spec"]["ingressClassName"] == "middle"


def test_no_default_class_leaves_the_class_empty(cluster):
    cluster.kubectl(["apply", "-f", "-"], stdin=INGRESS_CLASS.format(name="first", default="false"))
    cluster.kubectl("create ingress plain --rule=/=web:80")
    assert "ingressClassName" not in cluster.client.get("ingresses", "plain", "default")["spec"]


def _echo_app(cluster, name: str, text: str) -> None:
    cluster.kubectl(f"create deployment {name} --image=hashicorp/http-echo --port=5678 -- /http-echo -text={text}")
    cluster.kubectl(f"create service clusterip {name} --tcp=80:5678")


def test_without_a_controller_nothing_answers_and_address_stays_empty(cluster):
    _echo_app(cluster, "web", "hello")
    cluster.kubectl("create ingress web --rule=/=web:80")
    cluster.advance(60)
    assert "loadBalancer" not in cluster.client.get("ingresses", "web", "default").get("status", {}) or \
        not cluster.client.get("ingresses", "web", "default")["status"]["loadBalancer"]
    outcome = cluster.curl("localhost/")
    assert outcome.exit_code == 7
    assert outcome.stderr.endswith("curl: (7) Failed to connect to localhost port 80 after 0 ms: "
                                   "Couldn't connect to server\n")


def test_ingress_nginx_addon_publishes_localhost_and_routes(cluster):
    _echo_app(cluster, "foo", "foo")
    _echo_app(cluster, "bar", "bar")
    cluster.kubectl("create ingress web --class=nginx --rule=/foo=foo:80 --rule=/bar*=bar:80")
    cluster.enable_addon("ingress-nginx")
    assert cluster.client.get("ingressclasses", "nginx")["spec"]["controller"] == "k8s.io/ingress-nginx"
    cluster.advance(120)
    status = cluster.client.get("ingresses", "web", "default")["status"]
    assert status == {"loadBalancer": {"ingress": [{"hostname": "localhost"}]}}
    assert cluster.curl("-s localhost/foo").stdout == "foo\n"
    assert cluster.curl("-s localhost/bar/baz").stdout == "bar\n"
    miss = cluster.curl("-s localhost/foo/x")  # /foo is Exact
    assert miss.stdout.startswith("<html>\r\n<head><title>404 Not Found</title></head>")
    assert "<hr><center>nginx</center>" in miss.stdout
    # A backend without ready endpoints: ingress-nginx answers 503.
    cluster.kubectl("delete deployment bar")
    cluster.advance(60)
    response = cluster.request("http://localhost/bar")
    assert response.status == 503
    assert "503 Service Temporarily Unavailable" in response.body
    assert response.route[:2] == ["outside", "node kubenb-control-plane hostPort 80"]


def test_disabling_the_addon_removes_the_address(cluster):
    _echo_app(cluster, "web", "hello")
    cluster.kubectl("create ingress web --rule=/=web:80")
    cluster.enable_addon("ingress-nginx")
    cluster.advance(120)
    assert cluster.curl("-s localhost/").stdout == "hello\n"
    cluster.disable_addon("ingress-nginx")
    cluster.advance(60)
    assert not cluster.client.get("ingresses", "web", "default")["status"].get("loadBalancer")
    assert cluster.curl("-s localhost/").exit_code == 7


TLS = """apiVersion: v1
kind: Secret
metadata:
  name: foo-tls
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: secure
spec:
  ingressClassName: nginx
  tls:
  - hosts: [foo.example.com]
    secretName: foo-tls
  rules:
  - host: foo.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"""


def test_tls_uses_the_secret_and_curl_needs_insecure(cluster):
    _echo_app(cluster, "web", "secret-hello")
    cluster.kubectl(["apply", "-f", "-"], stdin=TLS)
    cluster.enable_addon("ingress-nginx")
    cluster.advance(120)
    refused = cluster.curl("-s -S https://foo.example.com --resolve foo.example.com:443:127.0.0.1")
    assert refused.exit_code == 60
    assert refused.stderr.startswith("curl: (60) SSL certificate problem: self-signed certificate\n")
    response = cluster.curl("-sk https://foo.example.com/ --resolve foo.example.com:443:127.0.0.1")
    assert response.stdout == "secret-hello\n"
    assert "tls: secret default/foo-tls" in cluster.components["network"].routes[-1]["route"]
