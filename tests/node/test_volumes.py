"""Volumes and env from ConfigMaps/Secrets as the kubelet resolves them (kubenb/node/volumes.py)."""

from __future__ import annotations

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        envFrom: [{configMapRef: {name: app-config}}]
        env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: app-secret, key: password}}
        volumeMounts:
        - {name: cfg, mountPath: /etc/config}
        - {name: sec, mountPath: /etc/secret, readOnly: true}
        - {name: scratch, mountPath: /scratch}
      volumes:
      - {name: cfg, configMap: {name: app-config}}
      - {name: sec, secret: {secretName: app-secret}}
      - {name: scratch, emptyDir: {}}
"""


def _run(cluster, command: str, stdin: str = "") -> str:
    outcome = cluster.kubectl(command, stdin=stdin)
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def _setup(cluster) -> None:
    _run(cluster, "create configmap app-config --from-literal=GREETING=hello --from-literal=COLOR=blue")
    _run(cluster, "create secret generic app-secret --from-literal=password=s3cret")
    _run(cluster, "apply -f -", WEB)
    cluster.advance(30)


def test_configmap_reaches_env_and_volume(cluster) -> None:
    _setup(cluster)
    env = _run(cluster, "exec deploy/web -- env")
    assert "GREETING=hello\n" in env and "COLOR=blue\n" in env and "PASSWORD=s3cret\n" in env
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "hello\n"
    assert _run(cluster, "exec deploy/web -- cat /etc/secret/password") == "s3cret\n"
    assert _run(cluster, "exec deploy/web -- ls /etc/config") == "COLOR\nGREETING\n"


def test_configmap_change_reaches_file_after_sync_but_env_only_after_restart(cluster) -> None:
    _setup(cluster)
    outcome = cluster.kubectl(["patch", "configmap", "app-config", "-p", '{"data":{"GREETING":"bonjour"}}'])
    assert outcome.exit_code == 0, outcome.stderr
    # Not yet: the kubelet projects the change at its next periodic sync of the Pod.
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "hello\n"
    cluster.advance(60)
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "bonjour\n"
    assert _run(cluster, "exec deploy/web -- printenv GREETING") == "hello\n"
    _run(cluster, "rollout restart deployment/web")
    cluster.advance(60)
    assert _run(cluster, "exec deploy/web -- printenv GREETING") == "bonjour\n"


def test_emptydir_survives_container_but_not_pod(cluster) -> None:
    _setup(cluster)
    _run(cluster, "exec deploy/web -- sh -c 'echo kept > /scratch/note'")
    assert _run(cluster, "exec deploy/web -- cat /scratch/note") == "kept\n"
    pod = _run(cluster, "get pods -l app=web -o name").strip()
    _run(cluster, f"delete {pod}")
    cluster.advance(30)
    outcome = cluster.kubectl("exec deploy/web -- cat /scratch/note")
    assert outcome.exit_code == 1


def test_missing_configmap_is_create_container_config_error(cluster) -> None:
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: p
    image: busybox:1.36
    command: [sleep, "3600"]
    env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: x}}}]
"""
    _run(cluster, "apply -f -", pod)
    cluster.advance(30)
    assert "CreateContainerConfigError" in _run(cluster, "get pod p")
    assert 'Error: configmap "nope" not found' in _run(cluster, "describe pod p")
    _run(cluster, "create configmap nope --from-literal=x=1")
    cluster.advance(5)
    assert "Running" in _run(cluster, "get pod p")
    assert _run(cluster, "exec p -- printenv X") == "1\n"


def test_missing_configmap_volume_blocks_mount(cluster) -> None:
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: p, image: busybox:1.36, command: [sleep, "3600"], volumeMounts: [{name: c, mountPath: /c}]}
  volumes: [{name: c, configMap: {name: absent}}]
"""
    _run(cluster, "apply -f -", pod)
    cluster.advance(30)
    assert "ContainerCreating" in _run(cluster, "get pod p")
    assert 'MountVolume.SetUp failed for volume "c" : configmap "absent" not found' in _run(cluster, "describe pod p")


PRIVATE = """
apiVersion: v1
kind: Pod
metadata: {name: private}
spec:
  containers:
  - {name: app, image: registry.example.com/course/private-app:1.0}
"""


def test_private_image_needs_an_image_pull_secret(cluster) -> None:
    _run(cluster, "apply -f -", PRIVATE)
    cluster.advance(20)
    status = cluster.client.get("pods", "private", "default")["status"]["containerStatuses"][0]
    assert status["state"]["waiting"]["reason"] in ("ErrImagePull", "ImagePullBackOff")
    assert "no basic auth credentials" in _run(cluster, "describe pod private")
    _run(cluster, "delete pod private --grace-period=0")
    _run(cluster, "create secret docker-registry regcred --docker-server=registry.example.com "
                  "--docker-username=student --docker-password=pw")
    _run(cluster, "apply -f -", PRIVATE.replace("  containers:", "  imagePullSecrets: [{name: regcred}]\n  containers:"))
    cluster.advance(20)
    assert cluster.client.get("pods", "private", "default")["status"]["phase"] == "Running"


LABELLED = """
apiVersion: v1
kind: Pod
metadata: {name: labelled, labels: {tier: web}}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    volumeMounts: [{name: info, mountPath: /etc/podinfo}]
  volumes:
  - name: info
    downwardAPI:
      items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
"""


def test_downward_api_labels_follow_a_label_change_at_the_next_sync(cluster) -> None:
    # The kubelet rebuilds projected files only when their inputs change: labels are one of them.
    _run(cluster, "apply -f -", LABELLED)
    cluster.advance(30)
    assert _run(cluster, "exec labelled -- cat /etc/podinfo/labels") == 'tier="web"\n'
    _run(cluster, "label pod labelled tier=api --overwrite")
    assert _run(cluster, "exec labelled -- cat /etc/podinfo/labels") == 'tier="web"\n'
    cluster.advance(60)
    assert _run(cluster, "exec labelled -- cat /etc/podinfo/labels") == 'tier="api"\n'


def _patch_greeting(cluster, value: str) -> None:
    outcome = cluster.kubectl(["patch", "configmap", "app-config", "-p", f'{{"data":{{"GREETING":"{value}"}}}}'])
    assert outcome.exit_code == 0, outcome.stderr


def test_a_restore_brings_back_the_projected_files_and_later_changes_still_reach_them(cluster) -> None:
    _setup(cluster)
    saved = cluster.snapshot()
    _patch_greeting(cluster, "bonjour")
    cluster.advance(60)
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "bonjour\n"
    cluster.restore(saved)
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "hello\n"
    cluster.advance(60)
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "hello\n"
    # The same change again (the restored cluster hands out the same resourceVersions): it arrives again.
    _patch_greeting(cluster, "bonjour")
    cluster.advance(60)
    assert _run(cluster, "exec deploy/web -- cat /etc/config/GREETING") == "bonjour\n"
