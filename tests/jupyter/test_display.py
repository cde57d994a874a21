"""Outcome -> streams and mimebundles, in terminal order; internal errors without tracebacks."""

from __future__ import annotations

from kubenb.jupyter import display, magics
from kubenb.kubectl import Outcome

WARN = "Warning: resource namespaces/demo is missing the annotation\n"


def test_warnings_come_before_output_and_errors_after(capsys):
    outcome = Outcome("namespace/demo configured\n", WARN + "error: later\n", 1)
    assert display.split_stderr(outcome.stderr) == (WARN, "error: later\n")
    assert display.terminal_text(outcome) == WARN + "namespace/demo configured\nerror: later\n"
    display.show(outcome)
    out, err = capsys.readouterr()
    assert (out, err) == ("namespace/demo configured\n", WARN + "error: later\n")


def test_mimebundle_text_is_exactly_what_kubectl_printed():
    bundle = display.OutcomeView(Outcome("NAME   AGE\n<x>\n", "error: y\n", 1))._repr_mimebundle_()
    assert bundle["text/plain"] == "NAME   AGE\n<x>\nerror: y\n"
    assert bundle["text/html"] == ('<pre class="kubenb-output">NAME   AGE\n&lt;x&gt;\n'
                                   '<span style="color:#c62828">error: y\n</span></pre>')


def test_an_internal_error_is_one_line_not_a_traceback(ip, session, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(session, "kubectl", broken)
    ip.run_line_magic("kubectl", "get pods")
    ip.run_cell_magic("manifest", "", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n")
    out, err = capsys.readouterr()
    assert err == "kubenb: internal error: KeyError: 'boom'\n" * 2


def test_graph_magic_displays_a_live_widget(ip, session, monkeypatch):
    shown = []
    monkeypatch.setattr(magics, "ipy_display", shown.append)
    ip.run_line_magic("kubenb", "graph cluster")
    (widget,) = shown
    assert widget.target == "cluster"
    assert "<title>component/kube&#45;apiserver</title>" in widget.value or \
        "<title>component/kube-apiserver</title>" in widget.value


def test_trace_picture_is_an_svg_with_text_fallback(ip, session, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(magics, "ipy_display", shown.append)
    ip.run_line_magic("kubectl", "create namespace demo")
    ip.run_line_magic("kubenb", "trace --picture")
    (picture,) = shown
    bundle = picture._repr_mimebundle_()
    assert bundle["text/plain"].startswith("kubenb trace: ")
    assert bundle["text/plain"].endswith(" for kubectl create namespace demo")
    assert bundle["image/svg+xml"].startswith("<svg")
