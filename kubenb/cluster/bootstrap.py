"""What ``kubeadm init`` and ``kind create cluster`` leave behind, as API objects.

Nodes (``kubenb-control-plane`` tainted control-plane:NoSchedule, workers
``kubenb-worker``, ``kubenb-worker2``, ...), the four system namespaces, the
``kubernetes`` and ``kube-dns`` Services, CoreDNS and kube-proxy, the static
control-plane Pods (as their kubelet mirrors them), the system
PriorityClasses, kind's ``standard`` StorageClass, the bootstrap RBAC
roles and the kubeconfig. Facts follow a kind v1.33 cluster; names
say kubenb where kind says kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.api.resources import KUBERNETES_VERSION
from kubenb.network.ipam import SERVICE_CIDR

if TYPE_CHECKING:
    from kubenb.cluster.core import Cluster

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
NODE_CPU = "4"
NODE_MEMORY = "8039332Ki"  # about 7.7 GiB, as a small VM reports it
NODE_PODS = "110"
API_SERVER_PORT = 6443
PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.0"
ETCD_IMAGE = "registry.k8s.io/etcd:3.5.21-0"
CONTROL_PLANE_IMAGE = "registry.k8s.io/{component}:" + KUBERNETES_VERSION
KUBE_PROXY_IMAGE = "registry.k8s.io/kube-proxy:" + KUBERNETES_VERSION


def node_names(cluster_name: str, workers: int) -> list[str]:
    names = [f"{cluster_name}-control-plane"]
    names += [f"{cluster_name}-worker" + ("" if i == 1 else str(i)) for i in range(1, workers + 1)]
    return names


def node_ip(index: int) -> str:
    """kind puts nodes on the docker network 172.18.0.0/16, from .2 up."""
    return f"172.18.0.{index + 2}"


def node_object(name: str, index: int, *, control_plane: bool, boot_time: str) -> dict:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    taints = []
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        taints.append(dict(CONTROL_PLANE_TAINT))
    resources = {"cpu": NODE_CPU, "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0",
                 "hugepages-2Mi": "0", "memory": NODE_MEMORY, "pods": NODE_PODS}
    spec: dict = {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"],
                  "providerID": f"kind://docker/kubenb/{name}"}
    if taints:
        spec["taints"] = taints

    def condition(type_: str, status: str, reason: str, message: str) -> dict:
        return {"type": type_, "status": status, "lastHeartbeatTime": boot_time, "lastTransitionTime": boot_time,
                "reason": reason, "message": message}

    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": node_ip(index), "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": dict(resources),
            "capacity": dict(resources),
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                          "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": f"00000000-0000-4000-8000-{index:012d}",
                "containerRuntimeVersion": "containerd://2.1.1",
                "kernelVersion": "6.1.0-kubenb",
                "kubeProxyVersion": "",
                "kubeletVersion": KUBERNETES_VERSION,
                "machineID": f"{index:032x}",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": f"00000000-0000-4000-8000-{index:012d}",
            },
        },
    }


def kubeconfig(cluster_name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "current-context": cluster_name,
        "clusters": [{"name": cluster_name, "cluster": {
            "certificate-authority-data": "DATA+OMITTED",
            "server": "https://127.0.0.1:6443"}}],
        "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name,
                                                        "namespace": "default"}}],
        "users": [{"name": cluster_name, "user": {"client-certificate-data": "DATA+OMITTED",
                                                   "client-key-data": "DATA+OMITTED"}}],
    }


def _static_pod(component: str, node: str, image: str, command: list[str], *, priority: int = 2000001000,
                cpu: str = "250m") -> dict:
    name = f"{component}-{node}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {"kubernetes.io/config.source": "file", "kubernetes.io/config.mirror": "static",
                            "kubernetes.io/config.hash": "static"},
        },
        "spec": {
            "nodeName": node,
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "priority": priority,
            "containers": [{"name": component, "image": image, "command": command,
                            "resources": {"requests": {"cpu": cpu}}}],
            "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
        },
    }


def system_objects(cluster_name: str, workers: int) -> list[dict]:
    """Every object a fresh cluster has, in the order kubeadm creates them."""
    control_plane = f"{cluster_name}-control-plane"
    objs: list[dict] = []
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        objs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    objs.append({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": "system-cluster-critical"}, "value": 2000000000,
        "description": "Used for system critical pods that must run in the cluster, but can be moved to "
                       "another node if necessary.",
    })
    objs.append({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": "system-node-critical"}, "value": 2000001000,
        "description": "Used for system critical pods that must not be moved from their current node.",
    })
    objs.append({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                                     "targetPort": API_SERVER_PORT}],
                 "type": "ClusterIP", "sessionAffinity": "None"},
    })
    objs.append({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
                     "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                "kubernetes.io/name": "CoreDNS"},
                     "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
        "spec": {"clusterIP": "10.96.0.10", "selector": {"k8s-app": "kube-dns"},
                 "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                           {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                           {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]},
    })
    for component, image, command in (
        ("etcd", ETCD_IMAGE, ["etcd", "--advertise-client-urls=https://172.18.0.2:2379"]),
        ("kube-apiserver", CONTROL_PLANE_IMAGE.format(component="kube-apiserver"),
         ["kube-apiserver", "--advertise-address=172.18.0.2", f"--service-cluster-ip-range={SERVICE_CIDR}"]),
        ("kube-controller-manager", CONTROL_PLANE_IMAGE.format(component="kube-controller-manager"),
         ["kube-controller-manager", "--cluster-cidr=10.244.0.0/16"]),
        ("kube-scheduler", CONTROL_PLANE_IMAGE.format(component="kube-scheduler"), ["kube-scheduler"]),
    ):
        cpu = {"etcd": "100m", "kube-apiserver": "250m", "kube-controller-manager": "200m",
               "kube-scheduler": "100m"}[component]
        objs.append(_static_pod(component, control_plane, image, command, cpu=cpu))
    objs.append({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                    {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
                    "containers": [{
                        "name": "coredns", "image": COREDNS_IMAGE, "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                        "livenessProbe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                                          "initialDelaySeconds": 60, "timeoutSeconds": 5, "failureThreshold": 5},
                    }],
                },
            },
        },
    })
    objs.append({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "hostNetwork": True,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [{"operator": "Exists"}],
                    "containers": [{"name": "kube-proxy", "image": KUBE_PROXY_IMAGE,
                                    "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                                "--hostname-override=$(NODE_NAME)"],
                                    "securityContext": {"privileged": True}}],
                },
            },
        },
    })
    return objs


def install(cluster: Cluster, *, workers: int) -> None:
    """Create the nodes and system objects, and start the components that act on them."""
    client = cluster.client.for_component("kubeadm")
    boot_time = cluster.now
    for obj in system_objects(cluster.name, workers)[:4]:  # namespaces first
        client.create(obj)
    for index, name in enumerate(node_names(cluster.name, workers)):
        client.create(node_object(name, index, control_plane=index == 0, boot_time=boot_time))
    for obj in system_objects(cluster.name, workers)[4:]:
        client.create(obj)
    install_storage_and_policy(cluster)


# kind's default StorageClass (its local-path-provisioner), as `kubectl get sc` shows it.
STANDARD_STORAGE_CLASS = {
    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
    "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
    "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
}


def install_storage_and_policy(cluster: Cluster) -> None:
    """The default StorageClass, the bootstrap RBAC roles, and the ServiceAccount/storage/LimitRanger/ResourceQuota
    admission.

    These objects take their UIDs from a random source of their own, so that adding them left every
    name a lesson generates afterwards (Pod suffixes, UIDs) as it was.
    """
    from kubenb.api import Client, authorization, policy, serviceaccount, storage
    from kubenb.sim.rand import SeededRandom

    cluster.client.add_admission_plugin(serviceaccount.service_account_admission)
    cluster.client.add_admission_plugin(storage.storage_admission)
    # The apiserver's order: LimitRanger fills defaults before ResourceQuota counts them.
    cluster.client.add_admission_plugin(policy.limit_ranger)
    cluster.client.add_admission_plugin(policy.resource_quota)
    client = Client(cluster.store, cluster.clock, SeededRandom(cluster.seed + 0x5EED), component="kubeadm")
    # The accounts kubeadm's addons run as (the admission plugin refuses Pods naming a missing account).
    system_accounts = [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": "kube-system"}}
                       for name in ("coredns", "kube-proxy")]
    for obj in [*authorization.bootstrap_policy(), STANDARD_STORAGE_CLASS, *system_accounts]:
        client.create(obj)
