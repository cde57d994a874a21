"""Cluster.snapshot()/restore() and %kubenb save/load: a restored cluster behaves byte for byte like
the original, and a file that is not a kubenb snapshot is refused without running anything."""

from __future__ import annotations

import pickle

import pytest

from kubenb import Cluster
from kubenb.cluster import Snapshot, SnapshotError
from kubenb.cluster.core import SNAPSHOT_FORMAT

SCENARIO_A = [
    "create deployment web --image=nginx --replicas=3",
    "expose deployment web --port=80",
    "run client --image=busybox -- sleep 3600",
    "create job hello --image=busybox -- echo hi",
    "autoscale deployment web --min=2 --max=5 --cpu-percent=50",
]
SCENARIO_B = [
    "get pods -o wide",
    "scale deployment web --replicas=5",
    "get events -A",
    "set image deployment/web nginx=nginx:1.27",
    "rollout status deployment/web",
    "get rs,pods,svc,endpointslices -o wide",
    "describe deployment web",
    "logs job/hello",
    "exec client -- wget -qO- http://web",
    "exec client -- nslookup web",
    "delete pod -l app=web",
    "describe hpa web",
    "get events -A",
    "get all -A -o yaml",
]


def _run(cluster: Cluster, commands: list[str]) -> str:
    parts = []
    for command in commands:
        outcome = cluster.kubectl(command)
        parts.append(f"$ {command}\n{outcome.stdout}{outcome.stderr}[{outcome.exit_code}]\n")
        cluster.advance(7)
    return "".join(parts)


@pytest.mark.parametrize("workers", [2, 1])
def test_restore_into_a_fresh_cluster_replays_byte_for_byte(workers, fingerprint):
    original = Cluster(seed=3, strict=True)
    _run(original, SCENARIO_A)
    snapshot = original.snapshot()
    saved = fingerprint(original)
    expected = _run(original, SCENARIO_B)

    # Another seed and another number of workers: everything comes from the snapshot.
    restored = Cluster(seed=0, strict=True, workers=workers)
    restored.restore(Snapshot(bytes(snapshot.data)))
    assert fingerprint(restored) == saved
    assert _run(restored, SCENARIO_B) == expected


def test_restore_in_place_rewinds(cluster, fingerprint):
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    snapshot = cluster.snapshot()
    saved = fingerprint(cluster)
    after = _run(cluster, ["scale deployment web --replicas=4", "get pods"])
    cluster.restore(snapshot)
    assert fingerprint(cluster) == saved
    assert _run(cluster, ["scale deployment web --replicas=4", "get pods"]) == after


class _Boom:
    def __reduce__(self):
        import os

        return (os.system, ("touch /tmp/kubenb-snapshot-pwned",))


@pytest.mark.parametrize("data, message", [
    (pickle.dumps({"format": SNAPSHOT_FORMAT, "x": _Boom()}), "kubenb: the snapshot names "),
    (pickle.dumps({"format": 999}), "kubenb: the snapshot has format 999"),
    (pickle.dumps([1, 2]), "kubenb: the snapshot has format None"),
    (b"\x80\x05garbage", "kubenb: the snapshot is damaged"),
    (b"", "kubenb: the snapshot is damaged"),
])
def test_a_bad_snapshot_is_refused_and_changes_nothing(cluster, fingerprint, data, message, tmp_path):
    before = fingerprint(cluster)
    with pytest.raises(SnapshotError) as caught:
        cluster.restore(Snapshot(data))
    assert str(caught.value).startswith(message)
    assert fingerprint(cluster) == before
    assert not (tmp_path / "kubenb-snapshot-pwned").exists()
    import os

    assert not os.path.exists("/tmp/kubenb-snapshot-pwned")


def test_save_and_load_files_across_a_kernel_restart(tmp_path, fingerprint):
    from kubenb.jupyter import control
    from kubenb.jupyter import session as session_module

    path = tmp_path / "lesson.kubenb"
    first = session_module.Session(cluster_options={"seed": 3, "strict": True})
    first.cluster.kubectl("create deployment web --image=nginx --replicas=2")
    first.cluster.advance(20)
    assert control.run_control(first, f"save {path}") == 0
    expected = _run(first.cluster, ["scale deployment web --replicas=3", "get pods -o wide", "get events"])

    # A new kernel: a new session with a fresh cluster.
    second = session_module.Session(cluster_options={"seed": 0, "strict": True})
    assert control.run_control(second, f"load {path}") == 0
    assert _run(second.cluster, ["scale deployment web --replicas=3", "get pods -o wide", "get events"]) == expected


@pytest.mark.parametrize("content, message", [
    (b"just text\n", "is not a file written by %kubenb save"),
    (b"KUBENB-SNAPSHOT-1\n", "kubenb: the snapshot is damaged"),
    (b"KUBENB-SNAPSHOT-1\n" + pickle.dumps({"format": SNAPSHOT_FORMAT, "x": _Boom()}),
     "kubenb: the snapshot names "),
])
def test_load_of_a_bad_file_is_one_kubenb_line(tmp_path, capsys, fingerprint, content, message):
    from kubenb.jupyter import control
    from kubenb.jupyter import session as session_module

    path = tmp_path / "bad.kubenb"
    path.write_bytes(content)
    session = session_module.Session(cluster_options={"seed": 0, "strict": True})
    before = fingerprint(session.cluster)
    assert control.run_control(session, f"load {path}") == 1
    out, err = capsys.readouterr()
    assert message in err and err.startswith("kubenb: ") and err.count("\n") == 1
    assert "Traceback" not in out + err
    assert fingerprint(session.cluster) == before


def test_files_kubeconfig_addons_and_port_forwards_survive_a_restore(fingerprint):
    original = Cluster(seed=1, strict=True)
    original.files["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n"
    original.kubectl("create namespace team")
    original.kubectl("config set-context --current --namespace=team")
    original.enable_addon("ingress-nginx")
    original.kubectl("run web --image=nginx --port=80")
    original.advance(30)
    original.port_forward(8080, "team", "web", 80)
    snapshot = original.snapshot()
    later = ["apply -f cm.yaml", "get cm", "config view --minify", "get pods -n ingress-nginx"]
    expected = _run(original, later) + original.curl("-s localhost:8080").stdout

    restored = Cluster(seed=0, strict=True)
    restored.restore(snapshot)
    assert restored.list_addons() == original.list_addons()
    assert _run(restored, later) + restored.curl("-s localhost:8080").stdout == expected
