"""The magics through IPython's InteractiveShell: output like a terminal, no tracebacks."""

from __future__ import annotations

import pytest

import kubenb
from kubenb.jupyter.magics import default_file_name, locate_field

NAMESPACE_YAML = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n"


def test_cell_runs_each_line_with_comments_and_continuations(ip, capsys):
    ip.run_cell_magic("kubectl", "", "# a comment line\n\nkubectl version \\\n  --client\nversion --client  # again\n")
    out, err = capsys.readouterr()
    assert out == "Client Version: v1.33.1\nKustomize Version: v5.6.0\n" * 2
    assert err == ""


def test_line_magic_and_stderr_stream(ip, capsys):
    ip.run_line_magic("kubectl", "version --client --bogus")
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: unknown flag: --bogus\n")
    assert "Traceback" not in err


def test_heredoc_feeds_stdin(ip, session, capsys):
    ip.run_cell_magic("kubectl", "", f"apply -f - <<EOF\n{NAMESPACE_YAML}EOF\nget ns demo -o name\n")
    out, err = capsys.readouterr()
    assert out == "namespace/demo created\nnamespace/demo\n", err


def test_dash_f_dash_reads_the_rest_of_the_cell(ip, session, capsys):
    ip.run_cell_magic("kubectl", "", "create -f -\n" + NAMESPACE_YAML)
    out, err = capsys.readouterr()
    assert out == "namespace/demo created\n", err
    assert session.cluster.client.try_get("namespaces", "demo") is not None


def test_unclosed_heredoc_is_a_kubenb_error(ip, capsys):
    ip.run_cell_magic("kubectl", "", "apply -f - <<EOF\nkind: Namespace\n")
    out, err = capsys.readouterr()
    assert err == "kubenb: line 1: here-document ended before its 'EOF' line\n"


def test_manifest_registers_a_named_file_and_applies_it(ip, session, capsys):
    ip.run_cell_magic("manifest", "", NAMESPACE_YAML)
    out, err = capsys.readouterr()
    assert out == "namespace/demo created\n", err
    assert session.cluster.files["namespace-demo.yaml"] == NAMESPACE_YAML
    ip.run_line_magic("kubectl", "apply -f namespace-demo.yaml")
    assert capsys.readouterr().out == "namespace/demo unchanged\n"


def test_manifest_no_apply_and_explicit_name(ip, session, capsys):
    ip.run_cell_magic("manifest", "ns.yaml --no-apply", NAMESPACE_YAML)
    out, err = capsys.readouterr()
    assert out == "kubenb: saved as ns.yaml (not applied); use it with -f ns.yaml\n"
    assert session.cluster.client.try_get("namespaces", "demo") is None
    assert session.cluster.files["ns.yaml"] == NAMESPACE_YAML


def test_manifest_yaml_error_points_at_the_cell_line(ip, capsys):
    ip.run_cell_magic("manifest", "", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: 1\n")
    out, err = capsys.readouterr()
    assert err.endswith("kubenb: the YAML is broken on line 6 of the cell (mapping values are not allowed "
                        "here): bad: 1\n")
    assert "Traceback" not in err


def test_manifest_rejects_a_grader_stub(ip, session, capsys):
    ip.run_cell_magic("manifest", "", "# YOUR CODE HERE\nraise NotImplementedError()\n")
    out, err = capsys.readouterr()
    assert err.startswith("kubenb: a manifest must be a YAML mapping")
    assert session.cluster.files == {}


def test_manifest_bad_flag(ip, capsys):
    ip.run_cell_magic("manifest", "--frobnicate", NAMESPACE_YAML)
    assert capsys.readouterr().err.startswith("kubenb: %%manifest does not know --frobnicate")


def test_default_file_names():
    deployment = {"kind": "Deployment", "metadata": {"name": "my-dep"}}
    service = {"kind": "Service", "metadata": {"name": "my-dep"}}
    assert default_file_name([deployment]) == "deployment-my-dep.yaml"
    assert default_file_name([deployment, service]) == "deployment-my-dep-service-my-dep.yaml"
    assert default_file_name([deployment] * 5) == "deployment-my-dep-and-4-more.yaml"
    assert default_file_name([{"kind": "Pod"}]) == "manifest.yaml"


def test_locate_field_finds_the_line_of_a_path():
    cell = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n"
            "  template:\n    spec:\n      containers:\n      - name: a\n        image: ''\n")
    assert locate_field(cell, "spec.replicas") == 6
    assert locate_field(cell, "spec.template.spec.containers[0].image") == 11
    assert locate_field(cell, "spec.template.spec.containers[0].ports") == 10  # nearest existing ancestor


def test_think_time_moves_the_clock_before_kubectl_cells_only(ip, session, capsys):
    start = session.cluster.clock.now()
    ip.run_cell("%kubectl version --client")
    assert session.cluster.clock.now() == start + 10
    ip.run_cell("x = 1 + 1")
    ip.run_cell("%kubenb advance 30s")
    assert session.cluster.clock.now() == start + 40
    ip.run_cell("%kubenb clock --think 0")
    ip.run_cell("%%kubectl\nversion --client\n")
    assert session.cluster.clock.now() == start + 40
    out, _ = capsys.readouterr()
    assert "kubenb: cells do not move the clock (think time 0)\n" in out


def test_loading_twice_is_silent(ip, capsys):
    ip.run_cell("%load_ext kubenb")
    ip.run_cell("%load_ext kubenb")
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


def test_current_is_the_session_cluster(session):
    assert kubenb.current() is session.cluster
    assert kubenb.__all__ == ["Cluster", "__version__"]


def test_kubenb_reset_clock_and_advance(ip, session, capsys):
    ip.run_line_magic("kubenb", "reset --seed 3 --workers 1")
    ip.run_line_magic("kubenb", "advance 1m30s")
    out, err = capsys.readouterr()
    assert out == ("kubenb: a fresh cluster (seed 3, 1 workers) at 2025-01-01T00:00:00Z\n"
                   "kubenb: the cluster clock reads 2025-01-01T00:01:30Z\n"), err
    assert session.cluster.seed == 3
    assert [n["metadata"]["name"] for n in session.cluster.client.list("nodes")] == [
        "kubenb-control-plane", "kubenb-worker"]


@pytest.mark.parametrize(("line", "message"), [
    ("bogus", "kubenb: argument command: invalid choice: 'bogus'"),
    ("advance soon", "kubenb: 'soon' is not a duration (try 30s, 2m, 1h30m)"),
    ("advance", "kubenb: the following arguments are required: duration"),
    ("reset --workers 500", "kubenb: --workers must be from 0 to 100"),
    ("graph pods/x", "kubenb: cannot draw 'pods/x'"),
    ("load /nonexistent/file", "kubenb: cannot read /nonexistent/file: No such file or directory"),
    ("trace", "kubenb: no kubectl command has run yet"),
    ('advance "unclosed', "kubenb: cannot parse the line: No closing quotation"),
])
def test_kubenb_mistakes_are_one_line_on_stderr(ip, capsys, line, message):
    ip.run_line_magic("kubenb", line)
    out, err = capsys.readouterr()
    assert err.startswith(message), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_commands_not_built_yet_say_so(ip, session, capsys):
    from kubenb.jupyter.control import _optional_call

    assert _optional_call(session, "no_such_method_yet", "%kubenb frobnicate") == 1
    assert capsys.readouterr().err == "kubenb: %kubenb frobnicate is not available yet\n"
    for line, method in (("node stop kubenb-worker", "stop_node"), ("addon enable ingress-nginx", "enable_addon"),
                         ("curl http://web", "curl")):
        if hasattr(session.cluster, method):
            continue
        ip.run_line_magic("kubenb", line)
        assert "is not available yet" in capsys.readouterr().err


def test_trace_of_the_last_command(ip, session, capsys):
    ip.run_cell_magic("kubectl", "", "version --client\ncreate namespace demo\n")
    capsys.readouterr()
    ip.run_line_magic("kubenb", "trace")
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "kubenb: $ kubectl create namespace demo"
    assert lines[2].split() == ["#", "TIME", "COMPONENT", "VERB", "OBJECT", "DETAIL"]
    assert lines[3].split()[:5] == ["1", "+0s", "kubectl", "create", "namespaces/demo"]


def test_save_and_load_round_trip(ip, session, capsys, tmp_path):
    target = tmp_path / "state.kubenb"
    ip.run_line_magic("kubectl", "create namespace keep")
    ip.run_line_magic("kubenb", f"save {target}")
    ip.run_line_magic("kubectl", "delete namespace keep")
    ip.run_line_magic("kubenb", f"load {target}")
    assert session.cluster.client.get("namespaces", "keep")["status"]["phase"] == "Active"
    bad = tmp_path / "other.txt"
    bad.write_text("hello")
    capsys.readouterr()
    ip.run_line_magic("kubenb", f"load {bad}")
    assert capsys.readouterr().err == f"kubenb: {bad} is not a file written by %kubenb save\n"


def test_lang_and_help(ip, session, capsys):
    ip.run_line_magic("kubenb", "lang ja")
    ip.run_line_magic("kubenb", "help")
    out, _ = capsys.readouterr()
    assert out.startswith("kubenb: メッセージを日本語で表示します\nkubenb: シミュレータのコマンド")
    ip.run_line_magic("kubenb", "lang en")
    ip.run_line_magic("kubenb", "")
    assert "%kubenb advance 30s" in capsys.readouterr().out


def test_graph_dot_output(ip, capsys):
    ip.run_line_magic("kubenb", "graph deployment/coredns -n kube-system --dot")
    out, _ = capsys.readouterr()
    assert out.startswith('digraph "deployment/coredns -n kube-system at ')
    assert '"Deployment/coredns" -> "ReplicaSet/coredns-' in out


DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n"
              "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
              "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n")


def test_field_errors_point_at_the_cell_line(ip, capsys):
    ip.run_cell_magic("manifest", "", DEPLOYMENT)
    err = capsys.readouterr().err
    assert err.startswith('The Deployment "web" is invalid: spec.replicas: ')
    assert err.endswith("kubenb: spec.replicas is on line 7 of the cell: replicas: -1\n")
    ip.run_cell_magic("manifest", "", DEPLOYMENT.replace("replicas: -1", "replica: 2"))
    err = capsys.readouterr().err
    assert 'unknown field "spec.replica"' in err
    assert err.endswith("kubenb: spec.replica is on line 7 of the cell: replica: 2\n")


def test_provided_cluster_methods_are_called(ip, session, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(session.cluster, "stop_node", lambda name: calls.append(name), raising=False)

    class Response:
        body = "hello from web\n"

    monkeypatch.setattr(session.cluster, "curl", lambda url: Response(), raising=False)
    ip.run_line_magic("kubenb", "node stop kubenb-worker")
    ip.run_line_magic("kubenb", "curl http://web")
    assert calls == ["kubenb-worker"]
    assert capsys.readouterr().out == "kubenb: node kubenb-worker stopped\nhello from web\n"


def test_curl_passes_its_own_options_through(ip, session, capsys):
    ip.run_cell_magic("kubectl", "", "create deployment web --image=nginx:1.27\n"
                      "expose deployment web --port=80 --type=NodePort\n")
    session.cluster.advance(30)
    port = session.cluster.client.get("services", "web", "default")["spec"]["ports"][0]["nodePort"]
    capsys.readouterr()
    ip.run_line_magic("kubenb", f"curl -s -H 'Host: example.com' http://172.18.0.3:{port}/")
    out, err = capsys.readouterr()
    assert "<title>Welcome to nginx!</title>" in out
    assert err == ""  # -s: no progress meter


def test_lang_redraws_live_graphs_at_once(ip, session, capsys):
    from kubenb.jupyter.widgets.cluster_graph import ClusterGraph

    widget = ClusterGraph("cluster")  # follows the session's cluster
    assert "control plane" in widget.value
    version = session.cluster.store.resource_version
    ip.run_line_magic("kubenb", "lang ja")
    try:
        assert "コントロールプレーン" in widget.value and "control plane" not in widget.value
        assert session.cluster.store.resource_version == version  # nothing in the cluster changed
    finally:
        ip.run_line_magic("kubenb", "lang en")
    assert "control plane" in widget.value
    capsys.readouterr()
