"""A shared IPython shell with kubenb loaded, and a fresh kubenb session (cluster) per test."""

from __future__ import annotations

import pytest

import kubenb
from kubenb.jupyter import session as session_module


@pytest.fixture
def session(monkeypatch):
    fresh = session_module.Session(cluster_options={"seed": 0, "strict": True})
    monkeypatch.setattr(session_module, "_session", fresh)
    return fresh


@pytest.fixture
def ip(session):
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    kubenb.load_ipython_extension(shell)
    return shell
