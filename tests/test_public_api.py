"""The public surface is small and pinned: anything else may change."""

import kubenb


def test_public_names():
    assert kubenb.__all__ == ["Cluster", "__version__"]
    assert callable(kubenb.load_ipython_extension)
    assert isinstance(kubenb.__version__, str)


def test_cluster_signature_defaults():
    cluster = kubenb.Cluster()
    assert cluster.now == "2025-01-01T00:00:00Z"
    outcome = cluster.kubectl("version --client")
    assert (outcome.stdout, outcome.stderr, outcome.exit_code) == (
        "Client Version: v1.33.1\nKustomize Version: v5.6.0\n", "", 0)
