"""PersistentVolume controller and the local-path provisioner (controllers/persistentvolume.py)."""

from __future__ import annotations

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""
USER = """
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers:
  - {name: c, image: busybox:1.36, command: [sleep, "3600"], volumeMounts: [{name: d, mountPath: /data}]}
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""


def test_default_storage_class_is_kinds_standard(cluster) -> None:
    out = cluster.kubectl("get storageclass").stdout
    assert out.splitlines()[1].split()[:6] == ["standard", "(default)", "rancher.io/local-path", "Delete",
                                               "WaitForFirstConsumer", "false"]


def test_claim_waits_for_first_consumer_then_binds(cluster) -> None:
    assert cluster.kubectl("apply -f -", stdin=CLAIM).exit_code == 0
    cluster.advance(5)
    pvc = cluster.client.get("persistentvolumeclaims", "data", "default")
    assert pvc["spec"]["storageClassName"] == "standard"
    assert pvc["status"]["phase"] == "Pending"
    assert "waiting for first consumer to be created before binding" in cluster.kubectl("describe pvc data").stdout
    assert cluster.kubectl("apply -f -", stdin=USER).exit_code == 0
    cluster.advance(20)
    pvc = cluster.client.get("persistentvolumeclaims", "data", "default")
    assert pvc["status"]["phase"] == "Bound"
    pv = cluster.client.get("persistentvolumes", pvc["spec"]["volumeName"])
    assert pv["metadata"]["name"] == f"pvc-{pvc['metadata']['uid']}"
    assert pv["spec"]["claimRef"]["name"] == "data"
    assert pv["status"]["phase"] == "Bound"
    node = cluster.client.get("pods", "user", "default")["spec"]["nodeName"]
    assert pvc["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    assert cluster.client.get("pods", "user", "default")["status"]["phase"] == "Running"


def test_data_survives_pod_and_volume_is_deleted_with_claim(cluster) -> None:
    cluster.kubectl("apply -f -", stdin=CLAIM)
    cluster.kubectl("apply -f -", stdin=USER)
    cluster.advance(20)
    assert cluster.kubectl(["exec", "user", "--", "sh", "-c", "echo saved > /data/f"]).exit_code == 0
    cluster.kubectl("delete pod user")
    cluster.advance(40)
    cluster.kubectl("apply -f -", stdin=USER)
    cluster.advance(20)
    assert cluster.kubectl("exec user -- cat /data/f").stdout == "saved\n"
    volume = cluster.client.get("persistentvolumeclaims", "data", "default")["spec"]["volumeName"]
    # In use: the claim waits (pvc-protection) until its Pod is gone.
    cluster.kubectl("delete pvc data --wait=false")
    assert cluster.client.try_get("persistentvolumeclaims", "data", "default") is not None
    cluster.kubectl("delete pod user")
    cluster.advance(40)
    assert cluster.client.try_get("persistentvolumeclaims", "data", "default") is None
    assert cluster.client.try_get("persistentvolumes", volume) is None  # reclaimPolicy Delete


def test_retain_policy_leaves_a_released_volume(cluster) -> None:
    pv = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: keep}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath: {path: /mnt/keep}
"""
    claim = CLAIM.replace("resources:", "storageClassName: manual\n  resources:")
    cluster.kubectl("apply -f -", stdin=pv)
    cluster.settle()
    assert cluster.client.get("persistentvolumes", "keep")["status"]["phase"] == "Available"
    cluster.kubectl("apply -f -", stdin=claim)
    cluster.settle()
    assert cluster.client.get("persistentvolumeclaims", "data", "default")["spec"]["volumeName"] == "keep"
    cluster.kubectl("delete pvc data")
    cluster.advance(5)
    assert cluster.client.get("persistentvolumes", "keep")["status"]["phase"] == "Released"
