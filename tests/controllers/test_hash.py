"""pod-template-hash and fence posts (controller_utils ComputeHash, deployment_util ResolveFenceposts)."""

from __future__ import annotations

import re

import pytest

from kubenb.controllers import _util
from kubenb.controllers.deployment import sync


def test_fnv32a_matches_the_reference_vectors():
    # FNV-1a 32-bit test vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv).
    assert _util.fnv32a(b"") == 0x811C9DC5
    assert _util.fnv32a(b"a") == 0xE40C292C
    assert _util.fnv32a(b"foobar") == 0xBF9CF968


def test_safe_encode_maps_digits_like_upstream():
    assert _util.safe_encode("0123456789") == "456789bcdf"


def test_hash_shape_and_stability():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    first = _util.compute_hash(template)
    assert re.fullmatch(r"[456789bcdf]{1,10}", first)
    assert _util.compute_hash(template) == first
    assert _util.compute_hash({"spec": template["spec"], "metadata": template["metadata"]}) == first  # key order
    changed = {"metadata": template["metadata"], "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
    assert _util.compute_hash(changed) != first
    assert _util.compute_hash(template, 1) != first


@pytest.mark.parametrize(("replicas", "surge", "unavailable", "expected"), [
    (3, None, None, (1, 0)),
    (4, None, None, (1, 1)),
    (10, None, None, (3, 2)),
    (10, "25%", "25%", (3, 2)),
    (5, "10%", "10%", (1, 0)),
    (3, 0, 0, (0, 1)),
    (7, "30%", "30%", (3, 2)),
    (4, 2, "50%", (2, 2)),
])
def test_resolve_fenceposts_rounds_surge_up_and_unavailable_down(replicas, surge, unavailable, expected):
    assert sync.resolve_fenceposts(surge, unavailable, replicas) == expected
