"""Admission cost per object: strict schema check, defaulting and validation of a Pod (warm caches).

Run: python3 benchmarks/bench_admission.py
"""

from __future__ import annotations

import copy
import time

from kubenb.api import defaults, resources, schema, validation

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx", "namespace": "default",
                                                       "labels": {"app": "nginx"}},
       "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2", "ports": [{"containerPort": 80}],
                                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}


def per_call(fn, n: int = 5000) -> float:
    fn()  # warm-up: loads the schemas once
    start = time.perf_counter()  # noqa: TID251 - a benchmark measures the wall clock
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - start  # noqa: TID251
    return elapsed / n * 1e6


def main() -> None:
    rtype = resources.by_plural("pods")
    print(f"schema.check(pod):      {per_call(lambda: schema.check(POD)):8.1f} us")
    defaulted = copy.deepcopy(POD)
    defaults.apply_defaults(rtype, defaulted)
    print(f"apply_defaults(pod):    {per_call(lambda: defaults.apply_defaults(rtype, copy.deepcopy(POD))):8.1f} us")
    print(f"validation.validate:    {per_call(lambda: validation.validate(rtype, defaulted, None)):8.1f} us")


if __name__ == "__main__":
    main()
