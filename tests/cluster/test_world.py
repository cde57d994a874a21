"""A second cluster in the same kubeconfig (kubenb/cluster/world.py, %kubenb cluster create)."""

from __future__ import annotations

from kubenb.jupyter.control import run_control
from kubenb.jupyter.session import Session


def test_second_cluster_is_a_context_of_its_own(cluster) -> None:
    prod = cluster.create_cluster("prod")
    contexts = cluster.kubectl("config get-contexts").stdout
    assert contexts.splitlines()[1:] == ["*         kubenb   kubenb    kubenb     default",
                                         "          prod     prod      prod       default"]
    assert cluster.kubectl("config use-context prod").stdout == 'Switched to context "prod".\n'
    assert "prod-control-plane" in cluster.kubectl("get nodes").stdout
    assert cluster.kubectl("create deployment web --image=nginx:1.27").exit_code == 0
    cluster.advance(30)
    assert prod.client.get("deployments", "web", "default")["status"]["readyReplicas"] == 1
    assert cluster.client.try_get("deployments", "web", "default") is None
    assert cluster.kubectl("get deploy web --context kubenb").exit_code == 1
    assert prod.now == cluster.now  # the world moves as one


def test_kubenb_cluster_create(capsys) -> None:
    session = Session()
    assert run_control(session, "cluster create prod --workers 1") == 0
    assert "kubenb: cluster prod created" in capsys.readouterr().out
    assert run_control(session, "cluster create prod") == 1
    assert "already exists" in capsys.readouterr().err
    outcome = session.cluster.kubectl("get nodes --context prod")
    assert outcome.stdout.count("prod-") == 2
