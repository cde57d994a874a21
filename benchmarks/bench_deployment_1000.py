"""Wall time to create a Deployment with 1,000 replicas and settle (Deployment -> ReplicaSet -> Pods).

Two runs: Pods left Pending (an unknown schedulerName keeps them unbound), and the full path where
the scheduler binds them and the kubelets start them.

Run: python3 benchmarks/bench_deployment_1000.py
"""

from __future__ import annotations

import time

from kubenb import Cluster


def deployment(replicas: int, scheduler: str | None) -> dict:
    spec: dict = {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}
    if scheduler:
        spec["schedulerName"] = scheduler
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "big", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "big"}},
                     "template": {"metadata": {"labels": {"app": "big"}}, "spec": spec}}}


def measure(replicas: int, scheduler: str | None) -> tuple[float, int, int]:
    cluster = Cluster(seed=0, workers=10)
    begin = time.perf_counter()  # noqa: TID251 - a benchmark measures the wall clock
    cluster.client.create(deployment(replicas, scheduler))
    cluster.settle()
    elapsed = time.perf_counter() - begin  # noqa: TID251
    pods = cluster.client.list_view("pods", "default")
    return elapsed, len(pods), sum(1 for p in pods if p["spec"].get("nodeName"))


def main(replicas: int = 1000) -> None:
    for label, scheduler in (("pending", "kubenb-bench-none"), ("scheduled", None)):
        elapsed, count, bound = measure(replicas, scheduler)
        print(f"{label:9s} {replicas} replicas: settle {elapsed:.2f}s wall, {count} pods, {bound} bound")


if __name__ == "__main__":
    main()
