"""Static web servers answer from the container's files (catalog ``docroot``), not only the catalog.

The teaching demo: a ConfigMap with index.html mounted over nginx's /usr/share/nginx/html, an emptyDir
an init container filled, a file ``kubectl exec`` wrote; then curl/wget through the Service shows it.
A missing path gives nginx's 404 page, a directory without index.html nginx's 403 (autoindex off),
a directory asked without its slash a 301 to the slashed path; httpd answers with its own pages.
"""

from __future__ import annotations

from kubenb import Cluster
from kubenb.network import http

NGINX_403 = ("<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1>"
             "</center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n")
NGINX_404 = ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1>"
             "</center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n")

CLIENT = """apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
"""


def web(image: str = "nginx:1.27", root: str = "/usr/share/nginx/html", volume: str = "", mount: bool = True,
        init: str = "") -> str:
    mounts = f"    volumeMounts: [{{name: site, mountPath: {root}}}]\n" if mount else ""
    volumes = f"  volumes: [{{name: site, {volume}}}]\n" if volume else ""
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: web, labels: {{app: web}}}}
spec:
{init}  containers:
  - name: server
    image: {image}
{mounts}{volumes}---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80}}]
---
{CLIENT}"""


SITE = """apiVersion: v1
kind: ConfigMap
metadata: {name: site}
data:
  index.html: "<h1>Hello from a ConfigMap</h1>\\n"
  notes.txt: "plain text\\n"
  data.json: '{"ok": true}'
---
"""


def start(cluster: Cluster, text: str) -> None:
    outcome = cluster.kubectl(["apply", "-f", "-"], stdin=text)
    assert outcome.exit_code == 0, outcome.stderr
    ready = cluster.kubectl(["wait", "--for=condition=Ready", "pod/web", "pod/client"])
    assert ready.exit_code == 0, ready.stderr


def fetch(cluster: Cluster, *args: str) -> str:
    outcome = cluster.kubectl(["exec", "client", "--", *args])
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def visible(text: str) -> str:
    """curl -i output with its CRs shown (golden files are read with universal newlines)."""
    return text.replace("\r\n", "\\r\n")


def headers(text: str) -> dict[str, str]:
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
    return dict(line.split(": ", 1) for line in head)


def test_configmap_over_nginx_docroot_is_served(cluster: Cluster, golden) -> None:
    start(cluster, SITE + web(volume="configMap: {name: site}"))
    assert fetch(cluster, "wget", "-qO-", "http://web") == "<h1>Hello from a ConfigMap</h1>\n"
    assert fetch(cluster, "curl", "-s", "http://web/index.html") == "<h1>Hello from a ConfigMap</h1>\n"
    text = fetch(cluster, "curl", "-si", "http://web/notes.txt")
    assert text.startswith("HTTP/1.1 200 OK\r\n") and text.endswith("\r\n\r\nplain text\n")
    assert headers(text)["Content-Type"] == "text/plain" and headers(text)["Content-Length"] == "11"
    json_headers = headers(fetch(cluster, "curl", "-si", "http://web/data.json"))
    assert json_headers["Content-Type"] == "application/json" and json_headers["Content-Length"] == "12"
    assert headers(fetch(cluster, "curl", "-si", "http://web/"))["Content-Type"] == "text/html"
    # The image's own welcome page is hidden by the volume mounted over its directory.
    missing = fetch(cluster, "curl", "-si", "http://web/nope.html")
    assert missing.startswith("HTTP/1.1 404 Not Found\r\n") and missing.endswith(NGINX_404)
    golden("network/docroot-nginx-configmap", visible(fetch(cluster, "curl", "-si", "http://web/")))


def test_nginx_directory_without_index_is_forbidden(cluster: Cluster) -> None:
    config = SITE.replace('  index.html: "<h1>Hello from a ConfigMap</h1>\\n"\n', "")
    start(cluster, config + web(volume="configMap: {name: site}"))
    text = fetch(cluster, "curl", "-si", "http://web/")
    assert text.startswith("HTTP/1.1 403 Forbidden\r\n") and text.endswith(NGINX_403)
    assert headers(text)["Content-Length"] == str(len(NGINX_403))
    outcome = cluster.kubectl(["exec", "client", "--", "wget", "-qO-", "http://web/"])
    assert outcome.exit_code == 1 and "403 Forbidden" in outcome.stderr


def test_emptydir_filled_by_init_container_and_subdirectories(cluster: Cluster, golden) -> None:
    init = ("  initContainers:\n  - name: fill\n    image: busybox:1.36\n    command: [sh, -c, \"mkdir -p /work/docs /work/img; echo made by init"
            " > /work/index.html; echo docs > /work/docs/index.html; echo img > /work/img/a.txt\"]\n"
            "    volumeMounts: [{name: site, mountPath: /work}]\n")
    start(cluster, web(volume="emptyDir: {}", init=init))
    assert fetch(cluster, "curl", "-s", "http://web/") == "made by init\n"
    assert fetch(cluster, "curl", "-s", "http://web/docs/") == "docs\n"
    moved = fetch(cluster, "curl", "-si", "http://web/docs")
    assert moved.startswith("HTTP/1.1 301 Moved Permanently\r\n")
    assert headers(moved)["Location"] == "http://web/docs/"
    assert fetch(cluster, "curl", "-si", "http://web/img/").startswith("HTTP/1.1 403 Forbidden\r\n")
    assert fetch(cluster, "curl", "-s", "http://web/img/../docs/index.html") == "docs\n"
    golden("network/docroot-nginx-redirect", visible(moved))


def test_exec_write_to_the_container_layer_is_served(cluster: Cluster) -> None:
    start(cluster, web(mount=False))
    assert "Welcome to nginx!" in fetch(cluster, "curl", "-s", "http://web/")
    wrote = cluster.kubectl(["exec", "web", "--", "sh", "-c", "echo hello > /usr/share/nginx/html/index.html"])
    assert wrote.exit_code == 0, wrote.stderr
    assert fetch(cluster, "wget", "-qO-", "http://web") == "hello\n"
    assert cluster.kubectl(["exec", "web", "--", "cat", "/usr/share/nginx/html/index.html"]).stdout == "hello\n"
    assert cluster.curl(["-s", "http://localhost:8080/"]).exit_code != 0  # no port-forward: refused
    cluster.kubectl(["exec", "web", "--", "rm", "/usr/share/nginx/html/index.html"])
    assert fetch(cluster, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://web/") == "403"


def test_httpd_serves_its_htdocs_with_its_own_pages(cluster: Cluster, golden) -> None:
    start(cluster, SITE.replace("index.html", "page.html") + web(
        image="httpd:2.4", root="/usr/local/apache2/htdocs", volume="configMap: {name: site}"))
    assert fetch(cluster, "curl", "-s", "http://web/page.html") == "<h1>Hello from a ConfigMap</h1>\n"
    missing = fetch(cluster, "curl", "-si", "http://web/nope")
    assert missing.startswith("HTTP/1.1 404 Not Found\r\n")
    assert "<p>The requested URL was not found on this server.</p>" in missing
    golden("network/docroot-httpd-listing", visible(fetch(cluster, "curl", "-si", "http://web/")))


def test_catalog_answers_stay_for_paths_that_are_no_files() -> None:
    pod = {"metadata": {"name": "web"}, "status": {"podIP": "10.244.1.5"}}
    container = {"name": "server", "image": "nginx:1.27"}
    now = "2025-01-01T00:00:00Z"
    # No kubelet files (a Pod marked Running by hand): the catalog's answers.
    assert "Welcome to nginx!" in http.serve(pod, container, "/", now)[2]
    files = {"/usr/share/nginx/html/index.html": "mine\n"}
    assert http.serve(pod, container, "/", now, "web", files)[2] == "mine\n"
    assert http.serve(pod, container, "/%69ndex.html", now, "web", files)[2] == "mine\n"
    status, head, _ = http.serve(pod, container, "/dir", now, "localhost:8080",
                                 {"/usr/share/nginx/html/dir/x.bin": "x"})
    assert status == 301 and ("Location", "http://localhost/dir/") in head
    status, head, _ = http.serve(pod, container, "/dir/x.bin", now, "web", {"/usr/share/nginx/html/dir/x.bin": "x"})
    assert status == 200 and ("Content-Type", "application/octet-stream") in head
    echo = {"name": "echo", "image": "hashicorp/http-echo", "args": ["-text=hi"]}
    assert http.serve(pod, echo, "/", now, "web", {})[2] == "hi\n"


def test_restarted_container_starts_from_its_image_again(cluster: Cluster) -> None:
    """The writable layer belongs to one container: a liveness restart brings the image's page back."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: nginx\n"
           "    image: nginx:1.27\n    livenessProbe:\n      httpGet: {path: /healthz, port: 80}\n"
           "      initialDelaySeconds: 20\n      periodSeconds: 5\n      failureThreshold: 1\n")
    assert cluster.kubectl(["apply", "-f", "-"], stdin=pod).exit_code == 0
    cluster.advance(5)
    assert cluster.kubectl(["exec", "web", "--", "sh", "-c", "echo hi > /usr/share/nginx/html/index.html"]).exit_code == 0
    assert cluster.kubectl(["exec", "web", "--", "cat", "/usr/share/nginx/html/index.html"]).stdout == "hi\n"
    cluster.advance(30)
    assert cluster.client.get("pods", "web", "default")["status"]["containerStatuses"][0]["restartCount"] == 1
    assert "Welcome to nginx!" in cluster.kubectl(["exec", "web", "--", "cat", "/usr/share/nginx/html/index.html"]).stdout
