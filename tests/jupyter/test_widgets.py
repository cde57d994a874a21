"""ClusterGraph and Controls, headless (no kernel): assertions on the widget's value."""

from __future__ import annotations

import re

import pytest

import kubenb
from kubenb.jupyter import ticker
from kubenb.jupyter.widgets.cluster_graph import ClusterGraph
from kubenb.jupyter.widgets.controls import Controls


def add_pod(cluster, name: str) -> None:
    cluster.client.create({"apiVersion": "v1", "kind": "Pod",
                           "metadata": {"name": name, "namespace": "default", "labels": {"run": name}},
                           "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}})
    cluster.settle()


def pod_titles(svg: str) -> list[str]:
    return re.findall(r"<title>Pod/([^<]+)</title>", svg.replace("&#45;", "-"))


def test_graph_has_one_node_per_pod_and_follows_changes(cluster):
    widget = ClusterGraph("namespace/default", cluster=cluster)
    assert pod_titles(widget.value) == []
    add_pod(cluster, "alpha")
    assert pod_titles(widget.value) == ["alpha"]
    add_pod(cluster, "beta")
    assert sorted(pod_titles(widget.value)) == ["alpha", "beta"]
    assert "namespace/default at " + cluster.now in widget.value.replace("&#45;", "-")


def test_graph_redraws_at_most_once_per_settle_and_only_on_change(cluster):
    widget = ClusterGraph("namespace/default", cluster=cluster)
    drawn = widget.renders
    cluster.settle()  # nothing changed
    assert widget.renders == drawn
    add_pod(cluster, "alpha")  # one settle
    assert widget.renders == drawn + 1
    cluster.advance(5)  # the clock moved: the title shows the new time
    assert widget.renders >= drawn + 2
    assert "2025-01-01T00:00:05Z" in widget.value.replace("&#45;", "-")


def test_mimebundle_has_stable_text_and_svg_fallback(cluster):
    widget = ClusterGraph("namespace/default", cluster=cluster)
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == "kubenb graph namespace/default at 2025-01-01T00:00:00Z"
    assert bundle["image/svg+xml"].startswith("<svg")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_bad_target_is_rejected_before_a_widget_exists(cluster):
    with pytest.raises(ValueError, match="cannot draw"):
        ClusterGraph("pods/x", cluster=cluster)


def test_missing_object_shows_a_message_not_a_picture(cluster):
    widget = ClusterGraph("deployment/web", cluster=cluster)
    assert widget.error == 'kubenb: deployment "web" not found in namespace "default"'
    assert widget._repr_mimebundle_()["text/plain"] == widget.error
    assert "image/svg+xml" not in widget._repr_mimebundle_()


def test_graph_follows_the_session_across_reset(session):
    widget = kubenb.graph("namespace/default")
    old = session.cluster
    add_pod(old, "before")
    assert pod_titles(widget.value) == ["before"]
    new = session.reset(seed=1)
    assert widget.cluster is new
    assert pod_titles(widget.value) == []
    add_pod(old, "ignored")  # the old cluster no longer draws into this widget
    assert pod_titles(widget.value) == []


def test_controls_step_moves_the_clock_and_play_is_refused_headless(session):
    controls = Controls(step_seconds=10)
    start = session.cluster.clock.now()
    controls.step()
    assert session.cluster.clock.now() == start + 10
    assert controls.label.value.startswith("2025-01-01T00:00:10Z (paused, 1x)")
    reason = controls.play()
    assert reason == "no Jupyter kernel (plain IPython)"  # pytest's shell has no kernel
    assert not controls.ticker.running
    assert controls.label.value.startswith("kubenb: real time not available: ")
    assert controls._repr_mimebundle_()["text/plain"] == "kubenb clock controls"


def test_ticker_refuses_under_graders(monkeypatch, session):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert ticker.headless_reason() == "nbgrader is executing this notebook"
    assert ticker.Ticker(session).start() == "nbgrader is executing this notebook"


def test_ticker_refuses_when_stdin_is_not_allowed(monkeypatch):
    """nbclient, nbval and nbconvert execute with allow_stdin=False: the kernel records it per request."""

    class Kernel:
        _allow_stdin = False

    class Shell:
        kernel = Kernel()

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("IPython.get_ipython", lambda: Shell())
    assert ticker.headless_reason().startswith("the notebook is being executed headless")
    Kernel._allow_stdin = True
    assert ticker.headless_reason() is None


def test_realtime_request_under_a_headless_run_is_a_note_not_an_error(ip, capsys):
    ip.run_line_magic("kubenb", "clock --realtime")
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("kubenb: real time is off here: ")
    assert not ticker.get_ticker().running


def test_graph_still_draws_without_graphviz(cluster, monkeypatch, tmp_path):
    from kubenb.viz import render

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("KUBENB_DOT", raising=False)
    monkeypatch.setattr(render.sysconfig, "get_path", lambda name: str(tmp_path))
    add_pod(cluster, "alpha")
    widget = ClusterGraph("namespace/default", cluster=cluster)
    assert "built-in layered renderer" in widget.value
    assert pod_titles(widget.value) == ["alpha"]
    assert widget._repr_mimebundle_()["image/svg+xml"].startswith("<svg")


def test_only_the_newest_graphs_stay_live(cluster):
    from kubenb.jupyter.widgets import cluster_graph

    widgets = [ClusterGraph("namespace/default", cluster=cluster)
               for _ in range(cluster_graph.MAX_LIVE_GRAPHS + 1)]
    add_pod(cluster, "alpha")
    assert pod_titles(widgets[0].value) == []  # frozen: keeps its last picture
    assert not widgets[0].live
    assert all(pod_titles(w.value) == ["alpha"] for w in widgets[1:])
