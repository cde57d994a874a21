"""kubectl create/run generators with --dry-run=client against the real kubectl 1.33.1, byte for byte.

Each case's expected stdout, stderr and exit code are pinned in
tests/golden/kubectl/create/<case>.txt, so machines without the binary still
check them; where the binary exists, it is the oracle.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from kubenb import Cluster

FIXTURES = Path("/tmp/kubenb-create-fixtures")
FILES = {
    "app.properties": "color=blue\nsize=10\n",
    "data/one.txt": "first\n",
    "data/two.conf": "second line\nwith more\n",
    "data/bad key": "skipped\n",
    "vars.env": "# comment\nFOO=bar\n\nEMPTY=\nQUOTED=\"q\"\n  SPACED=x y\n",
    "bad.env": "1BAD=x\n",
    "bin.dat": b"\x00\xff\x10binary",
    "unicode.txt": "こんにちは\n",
    "dockercfg.json": '{"auths":{"r.io":{"auth":"dTpw"}}}',
    "tls.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "tls.key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    "dep.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n"
                 "  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                 "    spec:\n      containers:\n      - name: nginx\n        image: nginx\n---\napiVersion: v1\n"
                 "kind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"),
    "cm.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "annotations": {"a": "<b>"}}, '
               '"data": {"k": "v & w"}}',
    "expose/dep.yaml": 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: fe}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n        ports: [{containerPort: 80}]\n',
    "expose/pod.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {run: p}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    ports: [{containerPort: 80, name: http}, {containerPort: 53, protocol: UDP}]\n',
    "expose/noport.yaml": 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: np\nspec:\n  selector: {matchLabels: {app: np}}\n  template:\n    metadata: {labels: {app: np}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n',
    "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n bad: [\n",
}

D = "--dry-run=client"
Y = f"{D} -o yaml"
J = f"{D} -o json"
F = str(FIXTURES)

CASES: list[str] = [
    # deployment
    f"create deployment web --image=nginx {Y}",
    f"create deployment web --image=nginx {J}",
    f"create deployment web --image=nginx {D}",
    f"create deployment web --image=nginx {D} -o name",
    f"create deployment web --image=nginx:1.27 --replicas=3 --port=80 {Y}",
    f"create deployment web --image=nginx --image=redis {Y}",
    f"create deploy web -r 0 --image=registry.k8s.io/pause@sha256:abc {J}",
    f"create deployment web --image=busybox {Y} -- sleep 3600",
    f"create deployment web --image=busybox {J} -- sh -c 'echo \"hi\" && sleep 1'",
    f"create deployment web --image=x --image=y {D} -- sleep 1",
    f"create deployment --image=nginx {D}",
    f"create deployment a b --image=nginx {D}",
    f"create deployment web {D}",
    f"create deployment {D}",
    f"create deployment web --image=nginx --replicas=abc {D}",
    f"create deployment web --image=nginx --replicas=-5 {Y}",
    f"create deployment web --image=nginx --port=99999 {Y}",
    f"create deployment web --image=nginx --port=0 {Y}",
    f"create deployment web --image=nginx --replicas=99999999999 {D}",
    f"create deployment Web_Bad.Name --image=nginx {Y}",
    f"create deployment web --image=nginx {D} -o wide",
    "create deployment web --image=nginx --dry-run=bogus",
    f"create deployment web --image=nginx -n team-a {Y}",
    f"create deployment web --image=nginx --save-config {Y}",
    f"create deployment web --image=nginx --save-config {J}",
    f"create deployment web --image='nginx<&>' {J}",
    f"create deployment web --image=nginx --bogus {D}",
    "create deployment web --image nginx -o yaml --dry-run=client",
    f"create deployment 123 --image=123 {Y}",
    f"create deployment true --image=yes {Y}",
    f"create deployment web --image=nginx {D} -o=yaml",
    # services
    f"create service clusterip s --tcp=80:8080 --tcp=443 {Y}",
    f"create service clusterip s --tcp=80:8080,90:http {J}",
    f"create service clusterip s --clusterip=None {Y}",
    f"create service clusterip s --clusterip=None --tcp=80 {D}",
    f"create service clusterip s {D}",
    f"create service clusterip s --clusterip=10.0.0.5 --tcp=80 {Y}",
    f"create service clusterip s --tcp=abc {D}",
    f"create service clusterip s --tcp=70000 {D}",
    f"create service clusterip s --tcp=80:abc {Y}",
    f"create service clusterip s --tcp=80:0 {D}",
    f"create service clusterip s --tcp=80:70000 {D}",
    f"create service clusterip s --tcp=80:Bad_Name {D}",
    f"create service clusterip s --tcp=80:a--b {D}",
    f"create service clusterip s --tcp=80:123456789012345678 {D}",
    f"create service clusterip s --tcp=0 {Y}",
    f"create service clusterip s --tcp=: {D}",
    f"create service clusterip s --tcp=-1 {D}",
    f"create service clusterip --tcp=80 {D}",
    f"create svc clusterip s --tcp=80 {D}",
    f"create service nodeport s --tcp=80:8080 --node-port=30001 {Y}",
    f"create service nodeport s --tcp=80 {J}",
    f"create service nodeport s {D}",
    f"create service loadbalancer lb --tcp=80:8080 {Y}",
    f"create service loadbalancer lb --tcp=5678:8080 -o name {D}",
    f"create service externalname ext --external-name=example.com {Y}",
    f"create service externalname ext --external-name=example.com --tcp=80 {J}",
    f"create service externalname ext {D}",
    # configmaps
    f"create configmap c --from-literal=a=1 --from-literal=b=x {Y}",
    f"create configmap c --from-literal=a=1 {J}",
    f"create cm c --from-literal=a {D}",
    f"create configmap c --from-literal==b {D}",
    f"create configmap c --from-literal=a= {Y}",
    f"create configmap c --from-literal=a=b=c {Y}",
    f"create configmap c --from-literal=a=1 --from-literal=a=2 {D}",
    f"create configmap c '--from-literal=a b=1' {D}",
    f"create configmap c --from-literal=.. {D}",
    f"create configmap c --from-literal=..=x {D}",
    f"create configmap c {Y}",
    f"create configmap c --from-literal='greeting=héllo wörld' {Y}",
    f"create configmap c --from-literal='json={{\"a\": [1, 2]}}' {J}",
    f"create configmap c --from-literal='multi=line1\nline2' {Y}",
    f"create configmap c --from-literal=num=007 --from-literal=bool=true --from-literal=nul=null {Y}",
    f"create configmap c --from-literal=sp=' lead' {Y}",
    f"create configmap c --from-file={F}/app.properties {Y}",
    f"create configmap c --from-file=props={F}/app.properties {J}",
    f"create configmap c --from-file={F}/data {Y}",
    f"create configmap c --from-file={F}/bin.dat {J}",
    f"create configmap c --from-file={F}/unicode.txt {Y}",
    f"create configmap c --from-file={F}/missing.txt {D}",
    f"create configmap c --from-env-file={F}/vars.env {Y}",
    f"create configmap c --from-env-file={F}/bad.env {D}",
    f"create configmap c --from-env-file={F}/vars.env --from-literal=a=b {D}",
    f"create configmap c --from-literal=a=1 --append-hash {Y}",
    f"create configmap c --from-literal=a=1 --from-file={F}/app.properties --append-hash {Y}",
    f"create configmap {D}",
    # secrets
    f"create secret generic s --from-literal=a=1 {Y}",
    f"create secret generic s --from-literal=a=1 --type=Opaque {J}",
    f"create secret generic s --from-literal=password='p@ss w0rd!' --from-literal=user=admin {Y}",
    f"create secret generic s --from-file={F}/data {Y}",
    f"create secret generic s --from-file=k={F}/bin.dat {Y}",
    f"create secret generic s --from-env-file={F}/vars.env {Y}",
    f"create secret generic s --from-literal=a {D}",
    f"create secret generic s --from-literal=a=1 --from-literal=a=2 {D}",
    f"create secret generic s {Y}",
    f"create secret generic s --from-literal=a=1 --append-hash {Y}",
    f"create secret generic s --from-literal=a=1 --type=foo --append-hash {Y}",
    f"create secret docker-registry d --docker-server=r.io --docker-username=u --docker-password=p "
    f"--docker-email=e@x {Y}",
    f"create secret docker-registry d --docker-username=u --docker-password=p {J}",
    f"create secret docker-registry d --docker-username=u {D}",
    f"create secret docker-registry d --from-file=.dockerconfigjson={F}/dockercfg.json {Y}",
    f"create secret tls t {D}",
    f"create secret tls t --cert={F}/nope.crt --key={F}/tls.key {D}",
    f"create secret generic {D}",
    # namespace, serviceaccount
    f"create namespace dev {Y}",
    f"create namespace dev {J}",
    f"create ns dev {D}",
    f"create namespace Bad_Name {Y}",
    f"create namespace dev -n other {Y}",
    f"create namespace {D}",
    f"create serviceaccount sa {Y}",
    f"create sa sa -n team {J}",
    f"create serviceaccount {D}",
    # jobs
    f"create job j --image=busybox {Y}",
    f"create job j --image=busybox {J} -- echo hello world",
    f"create job j {D}",
    f"create job j --image=x --from=cronjob/c {D}",
    f"create cronjob c --image=busybox --schedule='*/1 * * * *' {Y} -- date",
    f"create cronjob c --image=busybox --schedule='0 0 * * *' --restart=Never {J}",
    f"create cj c --image=x --schedule=bogus {Y}",
    f"create cronjob c --image=x {D}",
    f"create cronjob c --schedule='* * * * *' {D}",
    # ingress
    f"create ingress i --rule=foo.com/bar=svc:80 {Y}",
    f"create ingress simple --rule='foo.com/bar=svc1:8080,tls=my-cert' {J}",
    f"create ingress catch-all --class=otheringress --rule='/path=svc:port' {Y}",
    f"create ingress annotated --class=default --rule='foo.com/bar=svc:port' --annotation ingress.annotation1=foo "
    f"--annotation ingress.annotation2=bla {Y}",
    f"create ingress multipath --class=default --rule='foo.com/=svc:port' --rule='foo.com/admin/=svcadmin:portadmin' "
    f"{Y}",
    f"create ingress ingress1 --class=default --rule='foo.com/path*=svc:8080' --rule='bar.com/admin*=svc2:http' {J}",
    f"create ingress ingtls --class=default --rule='foo.com/=svc:https,tls' --rule='foo.com/path/subpath*=othersvc:8080' "
    f"{Y}",
    f"create ingress ingdefault --class=default --default-backend=defaultsvc:http "
    f"--rule='foo.com/*=svc:8080,tls=secret1' {Y}",
    f"create ingress i --rule='a.com/*=s:http,tls=sec' --rule='b.com/x=s2:80,tls=sec' --rule='/y=s3:81,tls' "
    f"--class=nginx --default-backend=d:80 --annotation=a=b --annotation=c= {J}",
    f"create ingress i --default-backend=d:80 {Y}",
    f"create ingress i {D}",
    f"create ingress i --rule=foo {D}",
    f"create ingress i --rule='foo.com/bar=svc:80' --annotation=novalue {D}",
    f"create ingress i --default-backend=svc {D}",
    f"create ingress i --default-backend=svc:80:90 {D}",
    f"create ing i --rule='*.foo.com/=svc:0' {Y}",
    # rbac (role/clusterrole need discovery in the real kubectl: golden only)
    f"create rolebinding rb --role=r --user=u --serviceaccount=ns:sa --group=g {Y}",
    f"create rolebinding rb --clusterrole=view --user=alice --user=bob {J}",
    f"create rolebinding rb {D}",
    f"create rolebinding rb --role=r --clusterrole=c {D}",
    f"create rolebinding rb --role=r --serviceaccount=foo {D}",
    f"create rolebinding rb --role=r --serviceaccount=a:b:c {D}",
    f"create rolebinding rb --role=r {Y}",
    f"create clusterrolebinding crb --clusterrole=cr --user=u {Y}",
    f"create clusterrolebinding crb --clusterrole=cr --serviceaccount=kube-system:default -n x {J}",
    f"create clusterrolebinding crb {D}",
    # quota, priorityclass, pdb
    f"create quota q --hard=pods=2 {Y}",
    f"create quota q --hard=cpu=0.5,memory=1Gi,pods=2 --scopes=BestEffort,NotTerminating {J}",
    f"create quota q --hard=cpu {D}",
    f"create quota q --hard=cpu=abc {D}",
    f"create quota q {Y}",
    f"create quota q --hard=memory=1000M,requests.storage=1.5Ti {Y}",
    f"create priorityclass p --value=10 {Y}",
    f"create priorityclass p --value=5 --global-default --description='hi there' --preemption-policy=Never {J}",
    f"create pc p --value=abc {D}",
    f"create priorityclass p --value=-3 {Y}",
    f"create poddisruptionbudget p --selector=app=x --min-available=1 {J}",
    f"create pdb p --selector=app=x --max-unavailable=50% {Y}",
    f"create pdb p --selector='app in (b,a),tier' --min-available=2 {Y}",
    f"create pdb p --selector='app!=x' --min-available=2 {D}",
    f"create pdb p {D}",
    f"create pdb p --selector=app=x {D}",
    f"create pdb p --selector=app=x --min-available=50% --max-unavailable=1 {D}",
    f"create pdb p --selector='app=x,tier=web' --min-available=abc {Y}",
    # run
    f"run nginx --image=nginx {Y}",
    f"run nginx --image=nginx {J}",
    f"run nginx --image=nginx {D}",
    f"run nginx --image=nginx --port=80 --labels=app=web,tier=fe --env=A=1 --env='B=two words' {Y}",
    f"run bb --image=busybox --restart=Never {Y} -- sleep 3600",
    f"run bb --image=busybox --restart=OnFailure --command {Y} -- sh -c 'echo hi'",
    f"run bb --image=busybox {J} -- echo a b",
    f"run bb --image=busybox --image-pull-policy=IfNotPresent {Y}",
    f"run bb --image=busybox --image-pull-policy=Sometimes {D}",
    f"run bb --image=busybox --restart=Sometimes {D}",
    f"run bb {D}",
    f"run --image=busybox {D}",
    f"run bb --image=busybox --port=abc {D}",
    f"run bb --image=busybox --labels=bad {D}",
    f"run bb --image=busybox --env=NOVALUE {Y}",
    f"run bb --image=busybox --annotations=a=b --annotations=c=d {Y}",
    f"run nginx --image=nginx --port=80 --expose {Y}",
    f"run nginx --image=nginx --expose {D}",
    f"run bb --image=busybox -n team {Y}",
    f"run bb --image=busybox -i -t {Y}",
    f"run bb --image=busybox --privileged {Y}",
    f"run Bad_Name --image=busybox {D}",
    f"run bb --image=busybox --rm {D}",
    "run bb --image=busybox --dry-run=client -o name",
    # create -f (the real kubectl would download OpenAPI to validate: --validate=false)
    f"create -f {F}/dep.yaml {D} --validate=false",
    f"create -f {F}/dep.yaml {Y} --validate=false",
    f"create -f {F}/dep.yaml {J} --validate=false",
    f"create -f {F}/dep.yaml -n team {D} -o name --validate=false",
    f"create -f {F}/dep.yaml {Y} --save-config --validate=false",
    f"create -f {F}/cm.json {J} --save-config --validate=false",
    f"create -f {F}/cm.json -f {F}/dep.yaml {Y} --validate=false",
    f"create -f {F}/bad.yaml {D} --validate=false",
    f"create -f {F}/nope.yaml {D}",
    f"create {D}",
    # expose (-f: the real kubectl has no server to read objects from)
    f"expose -f {F}/expose/dep.yaml {D}",
    f"expose -f {F}/expose/dep.yaml {J}",
    f"expose -f {F}/expose/dep.yaml --port=8080 --target-port=80 --name=front --type=NodePort {J}",
    f"expose -f {F}/expose/pod.yaml {J}",
    f"expose -f {F}/expose/noport.yaml {D}",
    f"expose -f {F}/expose/noport.yaml --port=80 --protocol=UDP --selector=x=y --labels=a=b {Y}",
    f"expose -f {F}/expose/dep.yaml --type=Bogus {D}",
    f"expose {D}",
    f"expose -f {F}/expose/dep.yaml --port=abc {Y}",
    f"expose -f {F}/expose/dep.yaml --target-port=http -n x {Y}",
    f"expose -f {F}/expose/pod.yaml --port=80 --cluster-ip=None -o name {D}",
]


def _slug(command: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]+", "-", command.replace("--dry-run=client", "").replace(F, "F")).strip("-")
    digest = hashlib.sha1(command.encode()).hexdigest()[:6]
    return f"{text[:70]}-{digest}"


def _write_fixtures() -> None:
    for name, content in FILES.items():
        path = FIXTURES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def _render(argv: list[str], stdout: str, stderr: str, code: int) -> str:
    return f"$ kubectl {shlex.join(argv)}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"


@pytest.fixture(scope="module", autouse=True)
def fixtures() -> None:
    _write_fixtures()


@pytest.mark.parametrize("command", CASES, ids=_slug)
def test_generator_matches_real_kubectl(command: str, golden, request: pytest.FixtureRequest) -> None:
    argv = shlex.split(command)
    cluster = Cluster(seed=0, strict=True)
    ours = cluster.kubectl(argv)
    rendered = _render(argv, ours.stdout, ours.stderr, ours.exit_code)
    try:
        real = request.getfixturevalue("real_kubectl")
    except pytest.skip.Exception:
        real = None
    if real is not None and not _needs_server(argv):
        done = real(*_with_discovery(argv, request))
        assert rendered == _render(argv, done.stdout, done.stderr, done.returncode)
    golden(f"kubectl/create/{_slug(command)}", rendered)


def _with_discovery(argv: list[str], request: pytest.FixtureRequest) -> list[str]:
    """kubectl run asks API discovery even for --dry-run=client: point it at a tiny discovery-only server."""
    if argv[0] != "run" and "-f" not in argv:
        return argv
    kubeconfig = request.getfixturevalue("discovery_kubeconfig")
    return ["--kubeconfig", kubeconfig, *argv]


@pytest.fixture(scope="module")
def discovery_kubeconfig(tmp_path_factory: pytest.TempPathFactory):
    resources = {
        "/api": {"kind": "APIVersions", "versions": ["v1"]},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
             "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]},
        "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
            {"name": "deployments", "singularName": "deployment", "namespaced": True, "kind": "Deployment",
             "verbs": ["create", "get"]}]},
        "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": ["create", "get"]},
            {"name": "services", "singularName": "service", "namespaced": True, "kind": "Service",
             "verbs": ["create", "get"]},
            {"name": "configmaps", "singularName": "configmap", "namespaced": True, "kind": "ConfigMap",
             "verbs": ["create", "get"]}]},
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = resources.get(self.path.split("?")[0])
            data = json.dumps(body or {"kind": "Status", "code": 404}).encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    path = tmp_path_factory.mktemp("kubeconfig") / "config"
    path.write_text(f"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: "
                    f"http://127.0.0.1:{server.server_port}\n  name: c\ncontexts:\n- context:\n    cluster: c\n"
                    f"    user: u\n  name: c\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: x\n")
    yield str(path)
    server.shutdown()


def _needs_server(argv: list[str]) -> bool:
    """The real kubectl asks API discovery for these, which has no server here."""
    return argv[:2] in (["create", "role"], ["create", "clusterrole"])
