"""The long fuzz run: thousands of random kubectl argv and manifests against one cluster.

    python3 benchmarks/fuzz_long.py [--examples N] [--seed S]

Prints how many commands ran and how many crashed (with the first tracebacks); exits 1 on any crash.
The CI-sized run is tests/robustness/test_fuzz.py (same strategies, tests/robustness/fuzzing.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kubenb import Cluster  # noqa: E402

_spec = importlib.util.spec_from_file_location("kubenb_fuzzing", ROOT / "tests" / "robustness" / "fuzzing.py")
fuzzing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzzing)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    cluster = Cluster(seed=options.seed, strict=True)
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.kubectl("expose deployment web --port=80")
    cluster.advance(30)
    counts = {"argv": 0, "manifest": 0}
    crashes: list[str] = []

    def record(crash: str | None, what: str) -> None:
        if crash is not None:
            crashes.append(f"{what}\n{crash}")

    run = settings(max_examples=options.examples, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))

    @run
    @given(argv=fuzzing.argv)
    def argv_run(argv: list[str]) -> None:
        counts["argv"] += 1
        record(fuzzing.run_one(cluster, argv), f"kubectl {argv!r}")

    @run
    @given(text=fuzzing.manifests(), verb=st.sampled_from(["create", "apply", "replace", "delete"]))
    def manifest_run(text: str, verb: str) -> None:
        counts["manifest"] += 1
        record(fuzzing.run_one(cluster, [verb, "-f", "fuzz.yaml"], {"fuzz.yaml": text}), f"{verb} -f\n{text}")

    argv_run()
    manifest_run()
    print(f"argv commands: {counts['argv']}, manifests: {counts['manifest']}, crashes: {len(crashes)}")
    for crash in crashes[:5]:
        print("----\n" + crash)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
