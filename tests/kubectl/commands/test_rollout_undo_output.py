"""rollout undo -o: undo.go prints the object its builder read (before the rollback) with the chosen printer."""

from __future__ import annotations


def test_undo_prints_the_object_it_read_with_o(cluster, golden):
    cluster.kubectl("create deployment web --image=nginx:1.27")
    cluster.kubectl("set image deployment/web nginx=nginx:1.28")
    parts = []
    for command in ("rollout undo deployment/web --dry-run=client -o name",
                    "rollout undo deployment/web -o name",
                    "rollout undo deployment/web -o json --to-revision=9"):
        out = cluster.kubectl(command)
        parts.append(f"$ kubectl {command}\n{out.stdout}{out.stderr}[exit {out.exit_code}]\n")
    golden("kubectl/rollout-undo-output", "".join(parts))  # -o yaml below: its resourceVersion moves with the cluster


def test_undo_with_o_still_rolls_back(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27")
    cluster.kubectl("set image deployment/web nginx=nginx:1.28")
    out = cluster.kubectl("rollout undo deployment/web -o yaml")
    assert out.exit_code == 0 and "image: nginx:1.28" in out.stdout  # what was read, not the patch's answer
    image = cluster.kubectl("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}").stdout
    assert image == "nginx:1.27"
    out = cluster.kubectl("rollout undo deployment/web --dry-run=client -o yaml")
    assert "image: nginx:1.27" in out.stdout
    assert cluster.kubectl("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}").stdout == "nginx:1.27"
