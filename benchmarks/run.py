"""kubenb's speed figures and their targets (2-core machine), plus a scaling table.

Run from the repository root:

    python3 benchmarks/run.py            # every figure, median of 3 runs, and the scaling table
    python3 benchmarks/run.py --quick    # one run each (a smoke test of the numbers)
    python3 benchmarks/run.py --only rollout_1000 --runs 5
    python3 benchmarks/run.py --nbval    # adds the course notebooks under nbval (one run, minutes)

Every measurement runs in a fresh child process (``--child NAME``), so one figure's caches and
memory never flatter another's, and the start-up figure really starts cold. The child prints one
JSON line: wall seconds of the measured part, and the process's peak resident memory.

Wall time is the point of a benchmark, so this file reads ``time.perf_counter``; the simulator
itself never does (its clock is virtual).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LECTURE_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-dep
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
"""


CPU_SPENT: list[float] = []  # CPU seconds of each measured span in this child (see since)


def clock() -> tuple[float, float]:
    """Wall and CPU time now (a busy machine stretches the wall time; the CPU time shows our share)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # `dot`, nbval's kernels
    cpu = time.process_time() + children.ru_utime + children.ru_stime
    return time.perf_counter(), cpu  # noqa: TID251 - a benchmark measures the wall clock


def since(begin: tuple[float, float]) -> float:
    wall, cpu = clock()
    CPU_SPENT.append(cpu - begin[1])
    return wall - begin[0]


def deployment(name: str, replicas: int, image: str = "nginx:1.27") -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}}}}


def deployment_done(cluster, name: str, replicas: int) -> Callable[[], bool]:
    """What ``kubectl rollout status`` waits for: every replica updated and available, no old ones left."""

    def done() -> bool:
        dep = cluster.client.store.get("deployments", "default", name)
        if dep is None:
            return False
        status = dep.get("status") or {}
        return (status.get("observedGeneration", 0) >= dep["metadata"].get("generation", 1)
                and status.get("updatedReplicas", 0) == replicas
                and status.get("replicas", 0) == replicas
                and status.get("availableReplicas", 0) == replicas)

    return done


def pods_running(cluster, count: int) -> Callable[[], bool]:
    def done() -> bool:
        pods = cluster.client.list_view("pods", "default")
        return len(pods) == count and all((p.get("status") or {}).get("phase") == "Running" for p in pods)

    return done


# --- the measurements (each runs in its own child process) -----------------------------------------

def child_startup() -> float:
    """``import kubenb`` + ``%load_ext kubenb`` + the first cluster ready (IPython is already loaded)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    begin = clock()
    import kubenb

    shell.run_line_magic("load_ext", "kubenb")
    kubenb.current()
    return since(begin)


def _shell_with_cluster():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "kubenb")
    import kubenb

    kubenb.current()
    return shell


def child_get_pods_cell() -> float:
    """One ``%%kubectl get pods`` cell on the default cluster (think time included), best of 5 in-process."""
    shell = _shell_with_cluster()
    with redirect_stdout(io.StringIO()):
        shell.run_cell("%%kubectl\nget pods\n")  # warm: first-use imports of the get verb and printers
        times = []
        for _ in range(5):
            begin = clock()
            shell.run_cell("%%kubectl\nget pods\n")
            times.append(since(begin))
    return statistics.median(times)


def child_lecture_deployment() -> float:
    """The lecture's Deployment applied and brought to Ready (3/3 available)."""
    from kubenb import Cluster

    cluster = Cluster(seed=0)
    cluster.kubectl("get pods")  # warm the kubectl path, as a notebook has by then
    cluster.files["deployment.yaml"] = LECTURE_DEPLOYMENT
    begin = clock()
    outcome = cluster.kubectl("apply -f deployment.yaml")
    ok = cluster.run_until(deployment_done(cluster, "my-dep", 3), 600)
    elapsed = since(begin)
    assert outcome.exit_code == 0 and ok, outcome.stderr
    return elapsed


def child_replicas_1000() -> float:
    from kubenb import Cluster

    cluster = Cluster(seed=0, workers=10)
    begin = clock()
    cluster.client.create(deployment("big", 1000))
    ok = cluster.run_until(pods_running(cluster, 1000), 3600)
    elapsed = since(begin)
    assert ok, "the 1,000 replicas did not all reach Running"
    return elapsed


def child_rollout_1000() -> float:
    from kubenb import Cluster

    cluster = Cluster(seed=0, workers=10)
    cluster.client.create(deployment("big", 1000))
    assert cluster.run_until(deployment_done(cluster, "big", 1000), 3600)
    begin = clock()
    outcome = cluster.kubectl("set image deployment/big nginx=nginx:1.28")
    ok = cluster.run_until(deployment_done(cluster, "big", 1000), 3600)
    elapsed = since(begin)
    assert outcome.exit_code == 0 and ok, outcome.stderr
    return elapsed


def child_scale(pods: int) -> dict:
    """``pods`` replicas on 100 nodes to Running, then ``kubectl get pods -A`` on them."""
    from kubenb import Cluster
    from kubenb.api import limits

    # The stress figures go past the simulator's classroom caps (kubenb.api.limits), on purpose.
    limits.MAX_PODS = max(limits.MAX_PODS, 2 * pods)
    limits.MAX_REPLICAS = max(limits.MAX_REPLICAS, pods)
    cluster = Cluster(seed=0, workers=100)
    begin = clock()
    cluster.client.create(deployment("load", pods))
    ok = cluster.run_until(pods_running(cluster, pods), 3600)
    elapsed = since(begin)
    assert ok, f"the {pods} replicas did not all reach Running"
    begin = clock()
    outcome = cluster.kubectl("get pods -A")
    get_all = since(begin)
    assert outcome.exit_code == 0 and outcome.stdout.count("\n") >= pods
    return {"seconds": elapsed, "get_all": get_all}


def child_graph_50() -> float:
    """A graph of a 50-Pod Deployment: the graph built from the API and drawn to SVG."""
    from kubenb import Cluster
    from kubenb.viz import graph, render

    cluster = Cluster(seed=0)
    cluster.client.create(deployment("web", 50))
    assert cluster.run_until(deployment_done(cluster, "web", 50), 600)
    begin = clock()
    svg = render.render_svg(graph.build(cluster.client, "deployment/web"))
    elapsed = since(begin)
    assert "<svg" in svg
    return elapsed


def child_nbval() -> float | None:
    """Every course notebook under nbval, as notebooks/README.md runs them (one pytest, all notebooks)."""
    folders = [ROOT / "notebooks" / language for language in ("en", "ja")]
    if not any(folder.is_dir() and any(folder.glob("*.ipynb")) for folder in folders):
        return None
    begin = clock()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                             str(ROOT / "notebooks" / "nbval-sanitize.cfg"),
                             *(str(folder) for folder in folders if folder.is_dir())],
                            cwd=ROOT, capture_output=True, text=True)
    elapsed = since(begin)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-1:]
        raise RuntimeError(f"nbval failed: {tail}")
    return elapsed


CHILDREN: dict[str, Callable[[], object]] = {
    "startup": child_startup,
    "get_pods_cell": child_get_pods_cell,
    "lecture_deployment": child_lecture_deployment,
    "replicas_1000": child_replicas_1000,
    "rollout_1000": child_rollout_1000,
    "graph_50": child_graph_50,
    "nbval": child_nbval,
}


def run_child(name: str) -> None:
    if name.startswith("scale_"):
        result = child_scale(int(name.removeprefix("scale_")))
        result["cpu"], result["get_all_cpu"] = CPU_SPENT
    else:
        value = CHILDREN[name]()
        result = {"seconds": value, "cpu": statistics.median(CPU_SPENT) if CPU_SPENT else None}
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# --- the parent: spawn, take medians, print the tables -------------------------------------------------

FIGURES: list[tuple[str, str, str, float]] = [
    # (key, child, what, target seconds)
    ("startup", "startup", "import kubenb + %load_ext kubenb + first cluster ready", 0.3),
    ("get_pods_cell", "get_pods_cell", "%%kubectl get pods cell, default cluster", 0.020),
    ("lecture_deployment", "lecture_deployment", "lecture Deployment applied -> Ready", 0.020),
    ("replicas_1000", "replicas_1000", "1,000 replicas -> Running", 1.0),
    ("rollout_1000", "rollout_1000", "rolling update of 1,000 Pods -> complete", 2.0),
    ("pods_10000", "scale_10000", "10,000 Pods on 100 nodes -> Running", 5.0),
    ("pods_10000_memory", "scale_10000", "  peak memory (MiB), target 1 GiB", 1024.0),
    ("get_all_10000", "scale_10000", "  kubectl get pods -A on them", 0.3),
    ("graph_50", "graph_50", "graph of a 50-Pod Deployment", 0.3),
    ("nbval", "nbval", "all course notebooks under nbval", 90.0),
]
SCALES = [10, 100, 1000, 10000]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # An installed package has bytecode caches (pip compiles a wheel's modules); keep them out of the
    # tree, and warm them all before measuring (see warm_bytecode).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "kubenb-bench-pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def warm_bytecode() -> None:
    """Compile every kubenb module, as installing a wheel does: a figure then measures kubenb, not the
    compiler (a first ``apply`` in a process would otherwise compile its modules from source)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kubenb")], env=child_env(),
                   cwd=ROOT, check=False, capture_output=True)


def spawn(child: str, timeout: float) -> dict:
    env = child_env()
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", child], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f}s"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:100]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(child: str, runs: int, timeout: float, cache: dict[str, list[dict]]) -> list[dict]:
    if child not in cache:
        results = []
        for _ in range(runs):
            result = spawn(child, timeout)
            results.append(result)
            if "error" in result:
                break
        cache[child] = results
    return cache[child]


def median_of(results: list[dict], field: str) -> float | str | None:
    for result in results:
        if "error" in result:
            return result["error"]
    values = [r[field] for r in results if r.get(field) is not None]
    if not values:
        return None
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one run per figure")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3, or 1 with --quick)")
    parser.add_argument("--only", action="append", default=[], help="only these figures (repeatable)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling table")
    parser.add_argument("--nbval", action="store_true",
                        help="also time every course notebook under nbval (one run; a few minutes)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is given up")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return 0
    runs = args.runs or (1 if args.quick else 3)
    warm_bytecode()
    cache: dict[str, list[dict]] = {}
    print(f"kubenb benchmarks: median of {runs} run(s), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print()
    print(f"{'figure':<58} {'median':>10} {'cpu':>10} {'target':>10}  result")
    failures = 0
    for key, child, what, target in FIGURES:
        if args.only and key not in args.only and child not in args.only:
            continue
        if key == "nbval" and not (args.nbval or key in args.only):
            print(f"{what:<58} {'-':>10} {'-':>10} {fmt(target, key):>10}  not measured (add --nbval)")
            continue
        results = measure(child, 1 if key == "nbval" else runs, args.timeout, cache)
        field = {"pods_10000_memory": "peak_mib", "get_all_10000": "get_all"}.get(key, "seconds")
        value = median_of(results, field)
        if value is None:
            print(f"{what:<58} {'-':>10} {'-':>10} {fmt(target, key):>10}  not measured (no notebooks)")
            continue
        if isinstance(value, str):
            failures += 1
            print(f"{what:<58} {'error':>10} {'-':>10} {fmt(target, key):>10}  FAIL ({value})")
            continue
        cpu_field = {"seconds": "cpu", "get_all": "get_all_cpu"}.get(field)
        cpu = median_of(results, cpu_field) if cpu_field else None
        cpu_text = fmt(cpu, key) if isinstance(cpu, float) else "-"
        ok = value <= target
        failures += not ok
        ratio = "" if ok else f" (x{value / target:.1f} over)"
        print(f"{what:<58} {fmt(value, key):>10} {cpu_text:>10} {fmt(target, key):>10}  "
              f"{'pass' if ok else 'FAIL'}{ratio}")
    if not args.no_scaling and not args.only:
        print()
        print("Scaling: a Deployment of N replicas on 100 nodes, to Running "
              f"(median of {runs}; peak is the process's resident memory)")
        print(f"{'pods':>7} {'seconds':>9} {'ms/pod':>8} {'cpu s':>9} {'cpu ms/pod':>11} {'peak MiB':>9}")
        per_pod = []
        for pods in SCALES:
            results = measure(f"scale_{pods}", runs, args.timeout, cache)
            seconds = median_of(results, "seconds")
            if isinstance(seconds, str) or seconds is None:
                print(f"{pods:>7} {'error':>9}  {seconds}")
                continue
            peak = median_of(results, "peak_mib")
            cpu = median_of(results, "cpu")
            per_pod.append((pods, cpu / pods))
            print(f"{pods:>7} {seconds:>9.3f} {seconds / pods * 1000:>8.3f} {cpu:>9.3f} {cpu / pods * 1000:>11.3f} "
                  f"{peak:>9.0f}")
        flat = [cost for pods, cost in per_pod if pods >= 100]
        if len(flat) >= 2:
            # Judged on CPU time: wall time on a shared machine measures the neighbours too.
            growth = max(flat) / min(flat)
            ok = growth <= 2.0
            failures += not ok
            print(f"CPU cost per Pod from 100 to 10,000 Pods varies x{growth:.2f} (target: flat, at most x2): "
                  f"{'pass' if ok else 'FAIL'}")
    return 1 if failures else 0


def fmt(value: float, key: str) -> str:
    if key == "pods_10000_memory":
        return f"{value:.0f}"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
