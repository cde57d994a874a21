"""Helpers for the robustness tests: a canonical fingerprint of everything a cluster stores."""

from __future__ import annotations

import json

import pytest


def cluster_fingerprint(cluster) -> str:
    """Every stored object (as canonical JSON), the resourceVersion counter and the clock."""
    state = cluster.store.state()
    objects = {f"{resource}/{ns}/{name}": obj
               for resource, bucket in state["objects"].items() for (ns, name), obj in bucket.items()}
    return json.dumps({"objects": objects, "rv": state["rv"], "now": cluster.clock.now()}, sort_keys=True)


@pytest.fixture
def fingerprint():
    return cluster_fingerprint
