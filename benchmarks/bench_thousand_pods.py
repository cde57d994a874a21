"""Wall time for 1,000 Pods created directly: bound by the scheduler and Running on the kubelets.

Run: python3 benchmarks/bench_thousand_pods.py  (virtual time is reported too)
"""

from __future__ import annotations

import time

from kubenb import Cluster


def main(count: int = 1000) -> None:
    cluster = Cluster(seed=0, workers=10)
    cluster.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}})
    begin = time.perf_counter()  # noqa: TID251 - a benchmark measures the wall clock
    start_virtual = cluster.clock.now()
    for index in range(count):
        cluster.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{index}",
                                                                               "namespace": "bench"},
                               "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}})
    created = time.perf_counter()  # noqa: TID251
    cluster.settle()
    settled = time.perf_counter()  # noqa: TID251

    def all_running() -> bool:
        return all(p.get("status", {}).get("phase") == "Running" for p in cluster.client.list_view("pods", "bench"))

    ok = cluster.run_until(all_running, 600)
    done = time.perf_counter()  # noqa: TID251
    print(f"{count} pods: create {created - begin:.1f}s, schedule+settle {settled - created:.1f}s, "
          f"until Running {done - settled:.1f}s, total {done - begin:.1f}s wall; "
          f"all running={ok} after {cluster.clock.now() - start_virtual:.1f}s virtual")


if __name__ == "__main__":
    main()
