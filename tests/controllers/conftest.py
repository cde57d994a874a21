"""Fixtures for controller tests: a stand-in kubelet that moves Pod status by hand.

Until the real kubelets (kubenb.node) run in every cluster, Pods the
controllers create stay Pending; ``fake_kubelet`` marks them Running and
Ready, or Succeeded / Failed, through ``client.update_status`` as a kubelet
would.
"""

from __future__ import annotations

import importlib.util

import pytest

from kubenb.sim.clock import format_rfc3339

HAS_KUBELET = importlib.util.find_spec("kubenb.node.kubelet") is not None


class FakeKubelet:
    def __init__(self, cluster) -> None:  # noqa: ANN001
        self.cluster = cluster
        self.client = cluster.client.for_component("kubelet")

    def _set(self, pod: dict, phase: str, ready: bool, exit_code: int | None = None) -> None:
        now = self.client.now()
        status = pod.setdefault("status", {})
        status["phase"] = phase
        conditions = [c for c in status.get("conditions") or [] if c["type"] not in ("Ready", "ContainersReady")]
        for type_ in ("ContainersReady", "Ready"):
            conditions.append({"type": type_, "status": "True" if ready else "False", "lastProbeTime": None,
                               "lastTransitionTime": now})
        status["conditions"] = conditions
        if exit_code is not None:
            status["containerStatuses"] = [{
                "name": c["name"], "ready": False, "restartCount": 0, "image": c.get("image", ""),
                "imageID": "", "started": False,
                "state": {"terminated": {"exitCode": exit_code, "reason": "Completed" if exit_code == 0 else "Error",
                                         "startedAt": now, "finishedAt": now}}}
                for c in pod["spec"]["containers"]]
        self.client.update_status(pod)

    def ready(self, name: str, namespace: str = "default") -> None:
        self._set(self.client.get("pods", name, namespace), "Running", True)
        self.cluster.settle()

    def ready_all(self, namespace: str = "default") -> int:
        """Make every Pending or not-ready Pod in the namespace Running and Ready; returns how many."""
        count = 0
        for pod in self.client.list("pods", namespace):
            if pod["metadata"].get("deletionTimestamp"):
                continue
            status = pod.get("status") or {}
            ready = any(c["type"] == "Ready" and c["status"] == "True" for c in status.get("conditions") or [])
            if status.get("phase") in ("Succeeded", "Failed") or ready:
                continue
            self._set(pod, "Running", True)
            count += 1
        self.cluster.settle()
        return count

    def finish(self, name: str, namespace: str = "default", *, exit_code: int = 0) -> None:
        self._set(self.client.get("pods", name, namespace), "Succeeded" if exit_code == 0 else "Failed", False,
                  exit_code)
        self.cluster.settle()


@pytest.fixture
def fake_kubelet(cluster) -> FakeKubelet:  # noqa: ANN001
    return FakeKubelet(cluster)


@pytest.fixture
def at() -> object:
    return format_rfc3339
