"""viz.words: kubenb's own words on a graph follow %kubenb lang; Kubernetes' words never change."""

from __future__ import annotations

from kubenb.jupyter.session import get_session
from kubenb.jupyter.widgets.cluster_graph import ClusterGraph
from kubenb.viz import graph, words


def test_english_is_returned_unchanged_and_unknown_text_is_kept():
    assert words.translate("endpoints of web", "en") == "endpoints of web"
    assert words.translate("Pod web-1", "ja") == "Pod web-1"
    assert words.translate("CrashLoopBackOff  0/1", "ja") == "CrashLoopBackOff  0/1"


def test_annotations_and_titles_in_japanese():
    assert words.translate("no ready endpoints:", "ja") == "Ready なエンドポイントがない:"
    assert words.translate("endpoints of web", "ja") == "web のエンドポイント"
    assert words.translate("cluster at 2025-01-01T00:00:00Z", "ja") == "クラスタ (2025-01-01T00:00:00Z 時点)"
    assert (words.translate("service/web -n default at 2025-01-01T00:00:00Z", "ja")
            == "service/web -n default (2025-01-01T00:00:00Z 時点)")


def test_a_japanese_service_graph_keeps_kubernetes_terms(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    cluster.kubectl("expose deployment web --port=80 --type=NodePort")
    cluster.run_until(lambda: False, 30)
    dot = graph.to_dot(cluster.client, "service/web", lang="ja")
    assert "web のエンドポイント" in dot and "(クラスタ外)" in dot
    assert "Service web" in dot and "type NodePort" in dot and "Running  1/1" in dot
    assert "endpoints of" not in dot and "outside the cluster" not in dot
    # Same picture, same layout: only the words differ.
    english = graph.to_dot(cluster.client, "service/web")
    assert english.count("->") == dot.count("->") and "endpoints of web" in english


def test_the_widget_redraws_in_the_new_language(cluster):
    session = get_session()
    before = session.lang
    try:
        session.lang = "en"
        widget = ClusterGraph("cluster", cluster=cluster)
        assert "control plane" in widget.value
        session.lang = "ja"
        assert widget.refresh()  # nothing changed in the cluster, but the language did
        assert "コントロールプレーン" in widget.value and "control plane" not in widget.value
    finally:
        session.lang = before
