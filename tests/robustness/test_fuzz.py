"""Property-based fuzzing (CI-sized): any kubectl argv and any manifest, well-formed or not, ends
without an uncaught exception. The longer run is benchmarks/fuzz_long.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from kubenb import Cluster

_spec = importlib.util.spec_from_file_location("kubenb_fuzzing", Path(__file__).with_name("fuzzing.py"))
fuzzing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzzing)

CI = settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def fuzzed_cluster() -> Cluster:
    cluster = Cluster(seed=0, strict=True)
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.kubectl("expose deployment web --port=80")
    cluster.advance(30)
    return cluster


@CI
@given(argv=fuzzing.argv)
def test_any_argv_ends_without_a_crash(fuzzed_cluster, argv):
    crash = fuzzing.run_one(fuzzed_cluster, argv)
    assert crash is None, f"kubectl {argv!r} crashed:\n{crash}"


@CI
@given(text=fuzzing.manifests(), verb=fuzzing.st.sampled_from(["create", "apply", "replace", "delete"]))
def test_any_manifest_ends_without_a_crash(fuzzed_cluster, text, verb):
    crash = fuzzing.run_one(fuzzed_cluster, [verb, "-f", "fuzz.yaml"], {"fuzz.yaml": text})
    assert crash is None, f"kubectl {verb} -f of\n{text}\ncrashed:\n{crash}"
