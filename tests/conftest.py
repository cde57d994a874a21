"""Shared fixtures: a fresh strict cluster per test, and golden files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kubenb import Cluster

GOLDEN = Path(__file__).parent / "golden"
REAL_KUBECTL = shutil.which("kubectl.1.33") or "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def cluster() -> Cluster:
    """A fresh deterministic cluster that re-raises controller and kubectl bugs."""
    return Cluster(seed=0, strict=True)


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """golden("kubectl/get-nodes", text): compare with tests/golden/kubectl/get-nodes.txt."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / f"{name}.txt"
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden and review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            return
        assert text == path.read_text(), f"output differs from {path}"

    return check


@pytest.fixture
def real_kubectl():
    """real_kubectl(*args): the real kubectl 1.33 run client-side (no server); skips where it is missing.

    Used to compare client-side output byte for byte where this machine has the binary; the golden
    files carry the same expectations to machines that do not.
    """
    if not Path(REAL_KUBECTL).exists():
        pytest.skip("the real kubectl 1.33 is not installed here")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([REAL_KUBECTL, *args], capture_output=True, text=True, timeout=30,
                              env={"HOME": "/nonexistent", "KUBECONFIG": "/nonexistent/config", "PATH": "/usr/bin"})

    return run
