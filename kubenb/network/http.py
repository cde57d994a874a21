"""One HTTP request through the simulated network: DNS -> Service -> endpoint -> Pod -> its server.

``request(client, state, url, source=...)`` follows a request the way the
packets would go on a kind cluster and returns a ``Response`` with the
status, headers and body the container's server answers (from the image
catalog ``kubenb/course/images.yaml``: ``ports`` and ``http``; a static web
server with a ``docroot``, nginx or httpd, answers from the files its
container has now: a ConfigMap mounted over the document root, an emptyDir
an init container filled, a file ``kubectl exec`` wrote), which Pod
served it and the route it took. Failures carry curl's error number and
text (``(6) Could not resolve host``, ``(7) ... Couldn't connect to server``,
``(28)`` when packets are dropped).

A server whose image has ``warmupSeconds`` (a JVM app such as Keycloak)
refuses connections until that long after its container started, even
though the container runs: without a readinessProbe its Pod is already an
endpoint, so requests sent to it fail with curl's ``(7)``.

Where a request can start (``Source``):

- a Pod: names go through the cluster DNS with the Pod's search path;
  ClusterIPs, Pod IPs, node IPs (NodePorts, hostPorts) and load-balancer IPs
  are reachable;
- ``outside``: the machine that runs kind. ``localhost`` reaches
  ``kubectl port-forward`` ports, and ports 80/443 reach hostPorts on the
  control-plane node (kind's extraPortMappings, used by ingress-nginx);
  node IPs and load-balancer IPs on the docker network are reachable;
  ClusterIPs and Pod IPs are not.

An ingress-nginx controller Pod answers port 80/443 itself: it matches the
Ingresses of its class (``network.ingress``) and proxies to a ready endpoint
of the backend Service, round robin, or answers 404 / 503 as ingress-nginx
does. Every request is appended to the bounded route log of
``NetworkState`` for widgets and quizzes.

Left out: real TCP (no keep-alive, no partial reads), HTTP/2, redirects,
request bodies, NetworkPolicies.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import posixpath
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import unquote, urlsplit

import yaml

from kubenb.api import Client, objects
from kubenb.course import image_digests
from kubenb.network import dns, ingress, ingress_controller, proxy

INGRESS_NGINX_IMAGE = "registry.k8s.io/ingress-nginx/controller"
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"

REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Temporarily Unavailable", 504: "Gateway Timeout"}

NGINX_ERROR_PAGE = ("<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
                    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                    "</body>\r\n</html>\r\n")

# Ports a server listens on when its arguments say so (catalog ``ports`` is the default).
_AGNHOST_DEFAULT_PORTS = {"netexec": 8080, "serve-hostname": 9376, "porter": 8080, "pause": None}


@dataclass(frozen=True)
class Source:
    kind: str  # "pod" | "outside" | "node"
    pod: dict | None = None
    node: str | None = None

    @property
    def ip(self) -> str:
        if self.kind == "pod" and self.pod is not None:
            return self.pod.get("status", {}).get("podIP") or "0.0.0.0"
        if self.kind == "outside":
            return "172.18.0.1"  # the docker bridge gateway, as seen from kind nodes
        return "0.0.0.0"

    def describe(self) -> str:
        if self.kind == "pod" and self.pod is not None:
            return f"pod {objects.namespace(self.pod)}/{objects.name(self.pod)}"
        if self.kind == "node":
            return f"node {self.node}"
        return "outside"


OUTSIDE = Source("outside")


@dataclass
class Response:
    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    served_by: str | None = None  # "namespace/pod"
    route: list[str] = field(default_factory=list)
    error_code: int = 0  # curl's exit code when no HTTP answer came back
    error: str = ""  # curl's message after "curl: (N) "
    resolved: str | None = None  # the IP connected to
    failure: str = ""  # "resolve" | "refused" | "timeout" | "tls"

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def reason(self) -> str:
        return REASONS.get(self.status or 0, "")


# --- image catalog -----------------------------------------------------------------------------------

@functools.cache
def _catalog() -> dict[str, dict]:
    text = resources.files("kubenb.course").joinpath("images.yaml").read_text()
    return yaml.safe_load(text) or {}


def image_repository(image: str) -> tuple[str, str]:
    """(repository, tag) normalised as containerd does: "nginx" -> docker.io/library/nginx, latest."""
    ref = (image or "").split("@")[0]
    name, tag = ref, "latest"
    if ":" in ref.rsplit("/", 1)[-1]:
        name, tag = ref.rsplit(":", 1)
    first = name.split("/", 1)[0]
    if "/" in name and ("." in first or ":" in first or first == "localhost"):
        return name, tag
    return "docker.io/" + (name if "/" in name else "library/" + name), tag


def catalog_entry(image: str) -> dict | None:
    return _catalog().get(image_repository(image)[0])


def _argv(container: dict, entry: dict | None) -> list[str]:
    command = container.get("command") or (entry or {}).get("entrypoint") or []
    args = container.get("args") if container.get("command") or container.get("args") else (entry or {}).get("cmd")
    return [str(a) for a in list(command) + list(args or [])]


def _flag(argv: list[str], *names: str) -> str | None:
    for index, arg in enumerate(argv):
        for name in names:
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
            if arg == name and index + 1 < len(argv):
                return argv[index + 1]
    return None


def listening_ports(container: dict) -> list[int]:
    """TCP ports the container's server listens on, from its image and arguments."""
    entry = catalog_entry(container.get("image", ""))
    if entry is None:
        return []
    repo = image_repository(container.get("image", ""))[0]
    argv = _argv(container, entry)
    env = {e.get("name"): e.get("value") for e in container.get("env") or [] if isinstance(e, dict)}
    if repo.endswith("hashicorp/http-echo"):
        listen = _flag(argv, "-listen", "--listen") or ":5678"
        return [int(listen.rsplit(":", 1)[-1])] if listen.rsplit(":", 1)[-1].isdigit() else [5678]
    if repo.endswith("google-samples/hello-app") and str(env.get("PORT") or "").isdigit():
        return [int(env["PORT"])]
    if repo.endswith("e2e-test-images/agnhost"):
        verb = next((a for a in argv[1:] if not a.startswith("-")), "pause") if argv else "pause"
        if verb not in _AGNHOST_DEFAULT_PORTS or _AGNHOST_DEFAULT_PORTS[verb] is None:
            return []
        port = _flag(argv, "--http-port", "--port")
        return [int(port)] if port and port.isdigit() else [_AGNHOST_DEFAULT_PORTS[verb]]  # type: ignore[list-item]
    return [int(p) for p in entry.get("ports") or []]


def _container_running(pod: dict, name: str) -> bool:
    for status in pod.get("status", {}).get("containerStatuses") or []:
        if status.get("name") == name:
            return bool((status.get("state") or {}).get("running"))
    # No container statuses yet: a Pod someone marked Running by hand (tests acting as kubelet).
    return pod.get("status", {}).get("phase") == "Running" and not pod.get("status", {}).get("containerStatuses")


def warming_up(pod: dict, container: dict, now: float) -> bool:
    """Whether the container's server is still starting at ``now`` (catalog ``warmupSeconds``).

    A JVM server (Keycloak, a Spring Boot app) binds its port only at the end of its start-up, so
    until then a connection is refused even though the container runs. The start is the status's
    ``startedAt`` (whole seconds, so the port may open up to a second before the "started" log line)."""
    warmup = float((catalog_entry(container.get("image", "")) or {}).get("warmupSeconds") or 0)
    if warmup <= 0:
        return False
    for status in pod.get("status", {}).get("containerStatuses") or []:
        if status.get("name") == container.get("name"):
            started = ((status.get("state") or {}).get("running") or {}).get("startedAt")
            if not started:
                return False
            moment = datetime.datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
            return now < moment.timestamp() + warmup
    return False


def running_container(pod: dict, container: dict) -> dict:
    """The container as its node runs it: ``image`` names the content the status's imageID digest has.

    A tag moved in the registry (``%kubenb registry push``) after this Pod's node pulled it still
    answers with what the node pulled; other Pods of the Deployment may answer with the new content."""
    for status in pod.get("status", {}).get("containerStatuses") or []:
        if status.get("name") == container.get("name"):
            digest = str(status.get("imageID") or "").rpartition("@")[2]
            content = image_digests.content_of(digest) if digest else None
            if content and content != container.get("image"):
                return {**container, "image": content}
    return container


def server_container(pod: dict, port: int, now: float | None = None) -> dict | None:
    """The running container whose server listens on ``port`` (None: connection refused).

    With ``now``, a server still warming up (``warming_up``) does not listen yet."""
    if pod.get("status", {}).get("phase") != "Running":
        return None
    for container in pod.get("spec", {}).get("containers") or []:
        container = running_container(pod, container)
        if port in listening_ports(container) and _container_running(pod, container.get("name", "")):
            if now is not None and warming_up(pod, container, now):
                return None
            return container
    return None


def _go_time(rfc3339: str) -> str:
    """Go's time.Time.String() for a UTC instant on a whole second (agnhost netexec prints it)."""
    return rfc3339.replace("T", " ").replace("Z", " +0000 UTC")


def _template(text: str, pod: dict, container: dict, entry: dict, now: str) -> str:
    if text.startswith("@"):
        text = (entry.get("files") or {}).get(text[1:], "")
    argv = _argv(container, entry)
    tag = image_repository(container.get("image", ""))[1]
    values = {
        "text": _flag(argv, "-text", "--text") or "",
        "hostname": objects.name(pod),
        "tag": tag,
        "date": _go_time(now) if image_repository(container.get("image", ""))[0].endswith("agnhost") else now,
        "ip": pod.get("status", {}).get("podIP", ""),
    }
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _clean_path(path: str) -> str:
    """The request path as a server maps it to a file: decoded, dot segments resolved, never above /."""
    parts: list[str] = []
    for part in unquote(path.split("?")[0]).split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/" + "/".join(parts) + ("/" if path.split("?")[0].endswith("/") and parts else "")


def _listing(path: str, names: list[str]) -> str:
    """Apache mod_autoindex's plain list (``Options Indexes`` without FancyIndexing) of a directory."""
    items = "".join(f'<li><a href="{name}"> {name}</a></li>\n' for name in names)
    parent = f'<li><a href="{posixpath.dirname(path.rstrip("/")).rstrip("/") + "/"}"> Parent Directory</a></li>\n' \
        if path != "/" else ""
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of '
            f'{path.rstrip("/") or "/"}</title>\n </head>\n <body>\n<h1>Index of {path.rstrip("/") or "/"}</h1>\n'
            f'<ul>{parent}{items}</ul>\n</body></html>\n')


def _from_docroot(entry: dict, files: dict[str, str], path: str) -> tuple[list, str | None] | None:
    """The answer of a static file server (catalog ``docroot``) for ``path`` from the container's files.

    Returns (answer, Content-Type) for a file, a directory's index file, a directory request without
    its trailing slash (redirect) or a directory without an index (``directory``: nginx's 403, httpd's
    listing); None when nothing is there (the caller answers from ``http``)."""
    docroot = entry["docroot"]
    root = str(docroot.get("path", "")).rstrip("/")
    clean = _clean_path(path)
    full = root + clean.rstrip("/") if clean != "/" else root
    types = docroot.get("types") or {}

    def typed(name: str) -> str | None:
        extension = name.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(name) else ""
        return types.get(extension, docroot.get("defaultType"))

    if not clean.endswith("/") and clean != "/" and full in files:
        return [200, files[full]], typed(full)
    prefix = full + "/"
    is_directory = full == root or any(p.startswith(prefix) for p in files)
    if not is_directory:
        return None
    if not clean.endswith("/"):
        return list(docroot.get("redirect") or [301, ""]), "text/html"
    index = prefix + str(docroot.get("index", "index.html"))
    if index in files:
        return [200, files[index]], typed(index)
    directory = docroot.get("directory") or [403, ""]
    if directory == "listing":
        names = sorted({p[len(prefix):].split("/")[0] + ("/" if "/" in p[len(prefix):] else "")
                        for p in files if p.startswith(prefix)})
        return [200, _listing(clean, names)], docroot.get("listingType", "text/html")
    return list(directory), "text/html"


def serve(pod: dict, container: dict, path: str, now: str, host: str = "",
          files: dict[str, str] | None = None) -> tuple[int, list[tuple[str, str]], str]:
    """What the container's server answers for GET ``path`` (catalog ``http``: path, else "*").

    A server with a catalog ``docroot`` answers from ``files``, the container's current file system
    (image files, volumes, what exec and the process wrote), when the kubelet gives them: the ``http``
    table then answers only the paths that are no file there ("*": the server's 404 page).
    An answer may carry a third item, extra headers (``Location: http://{{host}}/admin/`` for a
    redirect; ``host`` is the request's Host header, ``{{hostname_only}}`` the same without port,
    ``{{path}}`` the request path)."""
    entry = catalog_entry(container.get("image", "")) or {}
    table = entry.get("http") or {}
    answer = table.get(path.split("?")[0]) or table.get("*") or [404, "404 page not found\n"]
    repo = image_repository(container.get("image", ""))[0]
    if repo.endswith("e2e-test-images/agnhost") and "serve-hostname" in _argv(container, entry):
        answer = [200, "{{hostname}}"]  # serve-hostname answers its hostname on every path
    content_type: str | None = ""
    static = None
    if entry.get("docroot") and files is not None:
        static = _from_docroot(entry, files, path)
        if static is None:
            explicit = table.get(path.split("?")[0])
            served_file = explicit is not None and str(explicit[1]).startswith(
                "@" + str(entry["docroot"].get("path", "")).rstrip("/") + "/")
            answer = explicit if explicit is not None and not served_file else table.get("*") or answer
    if static is not None:
        answer, content_type = static
        body = str(answer[1]) if answer[0] == 200 else (
            _template(str(answer[1]), pod, container, entry, now).replace("{{host}}", host)
            .replace("{{hostname_only}}", host.split(":")[0]).replace("{{path}}", _clean_path(path)))
    else:
        body = _template(str(answer[1]), pod, container, entry, now)
    status = int(answer[0])
    docroot = entry.get("docroot") or {}
    if content_type == "":
        if status >= 300 and docroot.get("errorType"):
            content_type = str(docroot["errorType"])  # the server's own error and redirect pages
        else:
            content_type = "text/html" if body.lstrip().startswith("<") else "text/plain; charset=utf-8"
    extra: list[tuple[str, str]] = []
    if len(answer) > 2 and isinstance(answer[2], dict):
        for name, value in answer[2].items():
            value = str(value).replace("{{host}}", host).replace("{{hostname_only}}", host.split(":")[0])
            extra.append((str(name), value.replace("{{path}}", _clean_path(path))))
    length = ("Content-Length", str(len(body.encode())))
    typed = [("Content-Type", content_type)] if content_type else []
    if repo.endswith("library/httpd"):
        # Apache sends Date and Server first, then the handler's headers, the length before the type.
        return status, [("Date", _http_date(now)), ("Server", "Apache/2.4.63 (Unix)"), *extra, length, *typed], body
    headers: list[tuple[str, str]] = []
    if repo.endswith("library/nginx"):
        version = "1.27.4"
        headers.append(("Server", f"nginx/{version}"))
    headers.append(("Date", _http_date(now)))
    headers += [*typed, length]
    if repo.endswith("library/nginx"):
        headers += [*extra, ("Connection", "keep-alive")]  # nginx writes Location before Connection
    else:
        headers += extra
    return status, headers, body


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _http_date(rfc3339: str) -> str:
    moment = datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")
    return (f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year} "
            f"{moment:%H:%M:%S} GMT")


def access_log_time(rfc3339: str) -> str:
    moment = datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.day:02d}/{_MONTHS[moment.month - 1]}/{moment.year}:{moment:%H:%M:%S} +0000"


# --- addresses ------------------------------------------------------------------------------------------

def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def node_by_ip(client: Client, ip: str) -> dict | None:
    for node in client.list_view("nodes"):
        for address in node.get("status", {}).get("addresses") or []:
            if address.get("address") == ip and address.get("type") == "InternalIP":
                return node
    return None


def pod_by_ip(client: Client, ip: str) -> dict | None:
    for pod in client.list_view("pods"):
        if pod.get("status", {}).get("podIP") == ip and not pod.get("spec", {}).get("hostNetwork"):
            if pod.get("status", {}).get("phase") not in ("Succeeded", "Failed"):
                return pod
    return None


def host_port_pod(client: Client, node_name: str, port: int) -> dict | None:
    for pod in client.list_view("pods"):
        if pod.get("spec", {}).get("nodeName") != node_name or objects.is_being_deleted(pod):
            continue
        for container in pod.get("spec", {}).get("containers") or []:
            for cport in container.get("ports") or []:
                if int(cport.get("hostPort") or 0) == port:
                    return pod
    return None


def control_plane_node(client: Client) -> str | None:
    for node in client.list_view("nodes"):
        if CONTROL_PLANE_LABEL in objects.labels(node):
            return objects.name(node)
    return None


# --- the request ------------------------------------------------------------------------------------

@dataclass
class _Ctx:
    client: Client
    state: proxy.NetworkState
    source: Source
    host_header: str
    path: str
    scheme: str
    method: str
    user_agent: str
    route: list[str]
    insecure: bool = False
    peer_ip: str = ""  # the client address the server sees (nginx's $remote_addr)
    url_port: int = 0  # the port curl connected to: its errors name it, not a Service's targetPort


def _fail(ctx: _Ctx, host: str, port: int, failure: str, elapsed_ms: int = 0) -> Response:
    port = ctx.url_port or port
    if failure == "refused":
        code, message = 7, f"Failed to connect to {host} port {port} after {elapsed_ms} ms: Couldn't connect to server"
    elif failure == "timeout":
        code, message = 28, f"Failed to connect to {host} port {port} after 134912 ms: Couldn't connect to server"
    else:
        code, message = 6, f"Could not resolve host: {host}"
    return Response(route=ctx.route, error_code=code, error=message, failure=failure)


def request(client: Client, state: proxy.NetworkState, url: str, *, source: Source = OUTSIDE, method: str = "GET",
            headers: dict[str, str] | None = None, resolve: dict[tuple[str, int], str] | None = None,
            insecure: bool = False, user_agent: str = "curl/8.14.1") -> Response:
    """Send one request and record its route in ``state.routes``."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return Response(error_code=3, error="URL rejected: Port number was not a decimal number between 0 and 65535",
                        failure="url")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    header_host = (headers or {}).get("Host") or (parts.netloc.rsplit("@", 1)[-1])
    ctx = _Ctx(client, state, source, header_host, path, scheme, method, user_agent, [source.describe()],
               insecure=insecure, peer_ip=source.ip, url_port=port)
    response = _request(ctx, host, port, resolve or {})
    state.routes.append({"time": client.now(), "source": source.describe(), "url": url, "route": list(ctx.route),
                         "status": response.status, "served_by": response.served_by,
                         "error": response.error or None})
    return response


def _request(ctx: _Ctx, host: str, port: int, overrides: dict[tuple[str, int], str]) -> Response:
    client, source = ctx.client, ctx.source
    if (host, port) in overrides:
        ip = overrides[(host, port)]
    elif _is_ip(host):
        ip = host
    elif host == "localhost" or host.endswith(".localhost"):
        ip = "127.0.0.1"  # curl answers localhost names itself
    elif source.kind == "pod" and (source.pod or {}).get("spec", {}).get("dnsPolicy", "ClusterFirst") in (
            "ClusterFirst", "ClusterFirstWithHostNet"):
        answer = dns.resolve(client, host, objects.namespace(source.pod or {}))
        if answer is None or not answer.addresses:
            ctx.route.append(f"dns {host}: NXDOMAIN")
            return _fail(ctx, host, port, "resolve")
        ip = answer.addresses[0]
        ctx.route.append(f"dns {host} -> {ip}")
    else:
        ctx.route.append(f"dns {host}: not found")
        return _fail(ctx, host, port, "resolve")
    response = connect(ctx, ip, port, host)
    response.resolved = ip
    return response


def connect(ctx: _Ctx, ip: str, port: int, host: str) -> Response:
    """Open a connection to ip:port from the request's source and have the server answer."""
    client, source = ctx.client, ctx.source
    # Loopback: the Pod itself, or, outside, port-forwards and kind's port mappings.
    if ip.startswith("127.") or ip == "::1":
        if source.kind == "pod" and source.pod is not None:
            return _to_pod(ctx, source.pod, port, host)
        if source.kind == "outside":
            forward = ctx.state.forwards.get(port)
            if forward is not None:
                ns, pod_name, pod_port = forward
                pod = client.try_get("pods", pod_name, ns)
                ctx.route.append(f"port-forward 127.0.0.1:{port} -> {ns}/{pod_name}:{pod_port}")
                ctx.peer_ip = "127.0.0.1"  # the kubelet's stream enters the Pod's network namespace on loopback
                if pod is None:
                    return _fail(ctx, host, port, "refused")
                return _to_pod(ctx, pod, pod_port, host)
            control_plane = control_plane_node(client)
            if port in (80, 443) and control_plane:
                pod = host_port_pod(client, control_plane, port)
                if pod is not None:
                    ctx.route.append(f"node {control_plane} hostPort {port}")
                    return _to_pod(ctx, pod, port, host)
        return _fail(ctx, host, port, "refused")
    node = node_by_ip(client, ip)
    if node is not None:
        node_name = objects.name(node)
        found = proxy.service_for_node_port(client, port)
        if found is not None:
            svc, svc_port = found
            ctx.route.append(f"node {node_name} nodePort {port}")
            return _via_service(ctx, svc, svc_port, host, port, node=node_name, external=True)
        pod = host_port_pod(client, node_name, port)
        if pod is not None:
            ctx.route.append(f"node {node_name} hostPort {port}")
            return _to_pod(ctx, pod, port, host)
        ctx.route.append(f"node {node_name}: nothing on port {port}")
        return _fail(ctx, host, port, "refused")
    found_lb = proxy.service_for_load_balancer_ip(client, ip, port)
    if found_lb is not None:
        svc, svc_port = found_lb
        ctx.route.append(f"load balancer {ip}:{port}")
        return _via_service(ctx, svc, svc_port, host, port, node=None, external=True)
    in_cluster = source.kind in ("pod", "node")
    cluster_ip = proxy.service_for_cluster_ip(client, ip, port)
    if cluster_ip == "noport":
        return _fail(ctx, host, port, "timeout" if in_cluster else "timeout")
    if cluster_ip is not None and in_cluster:
        svc, svc_port = cluster_ip  # type: ignore[misc]
        src_node = (source.pod or {}).get("spec", {}).get("nodeName") if source.kind == "pod" else source.node
        return _via_service(ctx, svc, svc_port, host, port, node=src_node, external=False)
    pod = pod_by_ip(client, ip)
    if pod is not None and in_cluster:
        return _to_pod(ctx, pod, port, host)
    ctx.route.append(f"{ip}: no route")
    return _fail(ctx, host, port, "timeout")


def _via_service(ctx: _Ctx, svc: dict, svc_port: dict, host: str, port: int, *, node: str | None,
                 external: bool) -> Response:
    ns, name = objects.namespace(svc), objects.name(svc)
    ctx.route.append(f"service {ns}/{name}:{svc_port.get('port')}")
    if node is None:
        # A load balancer sends to the nodes that pass its health check: those with an endpoint
        # when externalTrafficPolicy is Local, any node otherwise.
        endpoints = proxy.usable_endpoints(proxy.endpoints_for(ctx.client, svc, svc_port))
        node = endpoints[0].node if endpoints else control_plane_node(ctx.client)
    pick = proxy.pick_endpoint(ctx.client, ctx.state, svc, svc_port, source_ip=ctx.source.ip, node=node,
                               external=external)
    if pick.endpoint is None:
        ctx.route.append(f"kube-proxy: {pick.reason}")
        return _fail(ctx, host, port, "refused" if pick.outcome == "refused" else "timeout")
    endpoint = pick.endpoint
    ctx.route.append(f"endpoint {endpoint.ip}:{endpoint.port}")
    pod = ctx.client.try_get("pods", endpoint.pod or "", endpoint.namespace) if endpoint.pod else None
    if pod is None:
        pod = pod_by_ip(ctx.client, endpoint.ip)
    if pod is None:
        return _fail(ctx, host, port, "refused")
    return _to_pod(ctx, pod, endpoint.port, host)


def _to_pod(ctx: _Ctx, pod: dict, port: int, host: str) -> Response:
    ns, name = objects.namespace(pod), objects.name(pod)
    ctx.route.append(f"pod {ns}/{name}:{port}")
    container = server_container(pod, port, ctx.client.clock.now())
    if container is None:
        if server_container(pod, port) is not None:
            ctx.route.append(f"{ns}/{name} still starting: port {port} not open yet")
        return _fail(ctx, host, port, "refused")
    now = ctx.client.now()
    if image_repository(container.get("image", ""))[0] == INGRESS_NGINX_IMAGE and port in (80, 443):
        return _ingress_nginx(ctx, pod, port, host)
    files = ctx.state.file_source(pod, container) if ctx.state.file_source is not None else None
    status, headers, body = serve(pod, container, ctx.path.split("?")[0], now, ctx.host_header, files)
    if ctx.method == "HEAD":
        body = ""
    response = Response(status, headers, body, served_by=f"{ns}/{name}", route=ctx.route)
    sink = ctx.state.log_sink
    if sink is not None and image_repository(container.get("image", ""))[0].endswith("library/nginx"):
        # nginx's "main" log format, as the official image writes it to stdout.
        line = (f'{ctx.peer_ip} - - [{access_log_time(now)}] "{ctx.method} {ctx.path} HTTP/1.1" {status} '
                f'{len(body.encode())} "-" "{ctx.user_agent}" "-"')
        sink(ns, name, container.get("name", ""), line)
    return response


def _ingress_nginx(ctx: _Ctx, controller_pod: dict, port: int, host: str) -> Response:
    """ingress-nginx: match the Ingresses of its classes, proxy to an endpoint of the backend."""
    client = ctx.client
    container = server_container(controller_pod, port) or {}
    served = [ing for ing in client.list_view("ingresses")
              if ingress_controller.served_by_controller(client, ing, container)]
    request_host = ctx.host_header.split(":")[0]
    if port == 443:
        # The certificate comes from the Ingress's TLS Secret for this host, else the controller's own
        # "Kubernetes Ingress Controller Fake Certificate"; both are self-signed here, so curl needs -k.
        secret = ingress.tls_secret_for(client, served, request_host)
        ctx.route.append(f"tls: secret {objects.namespace(secret)}/{objects.name(secret)}" if secret
                         else "tls: Kubernetes Ingress Controller Fake Certificate")
        if not ctx.insecure:
            return Response(route=ctx.route, error_code=60, failure="tls",
                            error="SSL certificate problem: self-signed certificate")
    match = ingress.match_request(served, request_host, ctx.path.split("?")[0])
    ns = objects.namespace(controller_pod)
    if match.backend is None or not match.backend.get("service"):
        ctx.route.append("ingress-nginx: default backend (404)")
        return _nginx_error(ctx, 404, f"{ns}/{objects.name(controller_pod)}")
    ing = match.ingress or {}
    ctx.route.append(f"ingress {objects.namespace(ing)}/{objects.name(ing)} host {match.host or '*'} path "
                     f"{match.path or '(default backend)'}")
    backend = match.backend["service"]
    svc = client.try_get("services", backend.get("name", ""), objects.namespace(ing))
    if svc is None:
        return _nginx_error(ctx, 503, f"{ns}/{objects.name(controller_pod)}")
    wanted = backend.get("port") or {}
    svc_port = next((p for p in svc.get("spec", {}).get("ports") or []
                     if ("number" in wanted and p.get("port") == wanted["number"])
                     or ("name" in wanted and p.get("name") == wanted["name"])), None)
    if svc_port is None:
        return _nginx_error(ctx, 503, f"{ns}/{objects.name(controller_pod)}")
    ctx.route.append(f"service {objects.namespace(svc)}/{objects.name(svc)}:{svc_port.get('port')}")
    endpoints = proxy.usable_endpoints(proxy.endpoints_for(client, svc, svc_port))
    if not endpoints:
        ctx.route.append("ingress-nginx: no endpoints (503)")
        return _nginx_error(ctx, 503, f"{ns}/{objects.name(controller_pod)}")
    # ingress-nginx balances over the endpoints itself (round robin), not through the ClusterIP.
    key = f"{objects.namespace(svc)}/{objects.name(svc)}:{svc_port.get('port')}"
    turn = ctx.state.ingress_round_robin.get(key, 0)
    ctx.state.ingress_round_robin[key] = turn + 1
    endpoint = endpoints[turn % len(endpoints)]
    ctx.route.append(f"endpoint {endpoint.ip}:{endpoint.port}")
    pod = client.try_get("pods", endpoint.pod or "", endpoint.namespace) if endpoint.pod else None
    if pod is None:
        return _nginx_error(ctx, 502, f"{ns}/{objects.name(controller_pod)}")
    ctx.peer_ip = controller_pod.get("status", {}).get("podIP") or ctx.peer_ip  # nginx proxies the request
    inner = _to_pod(ctx, pod, endpoint.port, host)
    if inner.status is None:
        return _nginx_error(ctx, 502, f"{ns}/{objects.name(controller_pod)}")
    return inner


def _nginx_error(ctx: _Ctx, code: int, served_by: str) -> Response:
    reason = REASONS.get(code, "")
    body = NGINX_ERROR_PAGE.format(code=code, reason=reason)
    headers = [("Date", _http_date(ctx.client.now())), ("Content-Type", "text/html"),
               ("Content-Length", str(len(body.encode()))), ("Connection", "keep-alive")]
    return Response(code, headers, body if ctx.method != "HEAD" else "", served_by=served_by, route=ctx.route)


