"""The ServiceAccount admission's kube-api-access-xxxxx volume, and what the kubelet mounts from it."""

import base64
import json

import yaml

PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def pod(name: str, **spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}], **spec}}


def token_volumes(obj: dict) -> list[str]:
    return [v["name"] for v in obj["spec"].get("volumes") or [] if "projected" in v]


def test_every_container_and_init_container_mounts_the_token(cluster):
    created = cluster.client.create(pod("p", initContainers=[{"name": "i", "image": "busybox"}],
                                        volumes=[{"name": "data", "emptyDir": {}}]))
    spec = created["spec"]
    [name] = token_volumes(created)
    assert [v["name"] for v in spec["volumes"]] == ["data", name]  # appended after the Pod's own
    mount = {"name": name, "readOnly": True, "mountPath": PATH}
    assert spec["initContainers"][0]["volumeMounts"] == [mount]
    assert spec["containers"][0]["volumeMounts"] == [mount]


def test_the_suffix_is_seeded_and_differs_per_pod(cluster):
    first = token_volumes(cluster.client.create(pod("a")))[0]
    second = token_volumes(cluster.client.create(pod("b")))[0]
    assert first != second
    from kubenb import Cluster
    again = Cluster(seed=0, strict=True)
    assert token_volumes(again.client.create(pod("a")))[0] == first


def test_automount_false_on_the_pod_or_its_account_mounts_nothing(cluster):
    assert token_volumes(cluster.client.create(pod("off", automountServiceAccountToken=False))) == []
    cluster.client.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "quiet"},
                           "automountServiceAccountToken": False})
    assert token_volumes(cluster.client.create(pod("quiet", serviceAccountName="quiet"))) == []
    # The Pod's own preference wins over its account's.
    assert len(token_volumes(cluster.client.create(pod("loud", serviceAccountName="quiet",
                                                       automountServiceAccountToken=True)))) == 1


def test_a_container_mounting_the_path_itself_keeps_its_mount(cluster):
    spec = {"volumes": [{"name": "mine", "emptyDir": {}}]}
    obj = pod("own", **spec)
    obj["spec"]["containers"][0]["volumeMounts"] = [{"name": "mine", "mountPath": PATH}]
    created = cluster.client.create(obj)
    assert token_volumes(created) == []  # no container needs it
    assert created["spec"]["containers"][0]["volumeMounts"] == [{"name": "mine", "mountPath": PATH}]


def test_mirror_pods_are_left_alone(cluster):
    for static in cluster.client.list("pods", "kube-system", label_selector="tier=control-plane"):
        assert token_volumes(static) == []
        assert "serviceAccountName" not in static["spec"]  # no account is defaulted for a mirror Pod
    coredns = cluster.client.list("pods", "kube-system", label_selector="k8s-app=kube-dns")
    assert coredns and all(len(token_volumes(p)) == 1 for p in coredns)


def test_get_yaml_and_describe_show_the_volume(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.advance(30)
    out = cluster.kubectl("get pod web -o yaml").stdout
    spec = yaml.safe_load(out)["spec"]
    name = token_volumes({"spec": spec})[0]
    assert f"""    volumeMounts:
    - mountPath: {PATH}
      name: {name}
      readOnly: true
""" in out
    assert f"""  - name: {name}
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          items:
          - key: ca.crt
            path: ca.crt
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
            path: namespace
""" in out
    described = cluster.kubectl("describe pod web").stdout
    assert f"""    Mounts:
      {PATH} from {name} (ro)
""" in described
    assert f"""Volumes:
  {name}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
""" in described


def test_the_container_reads_namespace_token_and_ca(cluster):
    cluster.kubectl("create namespace team")
    cluster.kubectl("run web --image=nginx -n team")
    cluster.advance(30)
    assert cluster.kubectl(f"exec web -n team -- cat {PATH}/namespace").stdout.rstrip("\n") == "team"
    assert cluster.kubectl(f"exec web -n team -- ls {PATH}").stdout.split() == ["ca.crt", "namespace", "token"]
    ca = cluster.client.get("configmaps", "kube-root-ca.crt", "team")["data"]["ca.crt"]
    assert cluster.kubectl(f"exec web -n team -- cat {PATH}/ca.crt").stdout.strip() == ca.strip()
    token = cluster.kubectl(f"exec web -n team -- cat {PATH}/token").stdout.rstrip("\n")
    header, claims, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "RS256"
    assert decoded["sub"] == "system:serviceaccount:team:default"
    assert decoded["kubernetes.io"]["pod"]["name"] == "web"
    assert decoded["kubernetes.io"]["warnafter"] - decoded["iat"] == 3607
    assert len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))) == 256


def test_a_deleted_root_ca_configmap_is_published_again_and_new_pods_mount(cluster):
    cluster.client.delete("configmaps", "kube-root-ca.crt", "default")
    cluster.kubectl("run web2 --image=nginx")
    cluster.advance(30)
    assert cluster.client.try_get("configmaps", "kube-root-ca.crt", "default") is not None
    assert cluster.client.get("pods", "web2", "default")["status"]["phase"] == "Running"


def test_a_missing_projected_source_is_a_failed_mount(cluster):
    from kubenb.node import volumes
    obj = cluster.client.create(pod("p", volumes=[{"name": "cfg", "projected": {"sources": [
        {"configMap": {"name": "absent"}}]}}]))
    assert volumes.missing_source(cluster.nodes, obj) == \
        'MountVolume.SetUp failed for volume "cfg" : configmap "absent" not found'
    assert "absent" in volumes.referenced_names(obj, "configMap")  # its creation wakes the kubelet
