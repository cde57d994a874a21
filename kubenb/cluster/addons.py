"""Cluster addons a lesson can switch on: ``ingress-nginx``, as kind's ingress guide installs it.

``enable(cluster, "ingress-nginx")`` applies the objects of ingress-nginx's
``deploy/static/provider/kind/deploy.yaml`` (controller v1.12): namespace
``ingress-nginx``, the controller Deployment (hostPorts 80/443 on the node
labelled ``ingress-ready=true``, ``--publish-status-address=localhost``,
``--watch-ingress-without-class=true``), its NodePort Service and admission
Service, the ConfigMap, the ServiceAccount and the IngressClass ``nginx``. Like
kind's cluster config for ingress, it labels the control-plane node
``ingress-ready=true``. ``disable`` deletes the namespace and the IngressClass.

Left out: RBAC objects, the admission webhook and its certificate Jobs
(``ingress-nginx-admission-create/patch``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.api import errors, objects

if TYPE_CHECKING:
    from kubenb.cluster.core import Cluster

INGRESS_NGINX_VERSION = "v1.12.1"
INGRESS_NGINX_IMAGE = f"registry.k8s.io/ingress-nginx/controller:{INGRESS_NGINX_VERSION}"
NAMESPACE = "ingress-nginx"


def _labels(component: str | None = "controller") -> dict[str, str]:
    labels = {"app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx",
              "app.kubernetes.io/part-of": "ingress-nginx", "app.kubernetes.io/version": INGRESS_NGINX_VERSION[1:]}
    if component:
        labels["app.kubernetes.io/component"] = component
    return labels


def _selector() -> dict[str, str]:
    return {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
            "app.kubernetes.io/name": "ingress-nginx"}


def ingress_nginx_objects() -> list[dict]:
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NAMESPACE, "labels": {"app.kubernetes.io/instance": "ingress-nginx",
                                                    "app.kubernetes.io/name": "ingress-nginx"}}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "automountServiceAccountToken": True,
         "metadata": {"name": "ingress-nginx", "namespace": NAMESPACE, "labels": _labels()}},
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {},
         "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": _labels()}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": _labels()},
         "spec": {"type": "NodePort", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                  "selector": _selector(),
                  "ports": [{"appProtocol": "http", "name": "http", "port": 80, "protocol": "TCP",
                             "targetPort": "http"},
                            {"appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP",
                             "targetPort": "https"}]}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "ingress-nginx-controller-admission", "namespace": NAMESPACE, "labels": _labels()},
         "spec": {"type": "ClusterIP", "selector": _selector(),
                  "ports": [{"appProtocol": "https", "name": "https-webhook", "port": 443,
                             "targetPort": "webhook"}]}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": _labels()},
         "spec": {
             "minReadySeconds": 0, "revisionHistoryLimit": 10,
             "selector": {"matchLabels": _selector()},
             "strategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"},
             "template": {
                 "metadata": {"labels": _labels()},
                 "spec": {
                     "containers": [{
                         "name": "controller", "image": INGRESS_NGINX_IMAGE, "imagePullPolicy": "IfNotPresent",
                         "args": ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader",
                                  "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx",
                                  "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                                  "--validating-webhook=:8443",
                                  "--validating-webhook-certificate=/usr/local/certificates/cert",
                                  "--validating-webhook-key=/usr/local/certificates/key",
                                  "--watch-ingress-without-class=true", "--enable-metrics=false",
                                  "--publish-status-address=localhost"],
                         "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                 {"name": "POD_NAMESPACE",
                                  "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                                 {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}],
                         "ports": [{"containerPort": 80, "hostPort": 80, "name": "http", "protocol": "TCP"},
                                   {"containerPort": 443, "hostPort": 443, "name": "https", "protocol": "TCP"},
                                   {"containerPort": 8443, "name": "webhook", "protocol": "TCP"}],
                         "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/healthz", "port": 10254,
                                                                              "scheme": "HTTP"},
                                           "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1,
                                           "timeoutSeconds": 1},
                         "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": 10254,
                                                                               "scheme": "HTTP"},
                                            "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1,
                                            "timeoutSeconds": 1},
                         "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                     }],
                     "dnsPolicy": "ClusterFirst",
                     "nodeSelector": {"ingress-ready": "true", "kubernetes.io/os": "linux"},
                     "serviceAccountName": "ingress-nginx",
                     "terminationGracePeriodSeconds": 0,
                     "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master",
                                      "operator": "Equal"},
                                     {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane",
                                      "operator": "Equal"}],
                 },
             },
         }},
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
         "metadata": {"name": "nginx", "labels": _labels()},
         "spec": {"controller": "k8s.io/ingress-nginx"}},
    ]


def _control_plane(cluster: Cluster) -> str | None:
    for node in cluster.client.list_view("nodes"):
        if "node-role.kubernetes.io/control-plane" in objects.labels(node):
            return objects.name(node)
    return None


def enable(cluster: Cluster, name: str) -> str:
    if name != "ingress-nginx":
        raise ValueError(f"kubenb: unknown addon {name!r} (known: ingress-nginx)")
    client = cluster.client.for_component("kubectl")
    control_plane = _control_plane(cluster)
    if control_plane is not None:
        node = client.get("nodes", control_plane)
        if objects.labels(node).get("ingress-ready") != "true":
            node["metadata"].setdefault("labels", {})["ingress-ready"] = "true"
            client.update(node)
    for obj in ingress_nginx_objects():
        try:
            client.create(obj)
        except errors.StatusError as error:
            if error.reason != "AlreadyExists":
                raise
    cluster.addons[name] = True
    return f"kubenb: addon {name} enabled"


def disable(cluster: Cluster, name: str) -> str:
    if name != "ingress-nginx":
        raise ValueError(f"kubenb: unknown addon {name!r} (known: ingress-nginx)")
    client = cluster.client.for_component("kubectl")
    for resource, obj_name, ns in (("ingressclasses", "nginx", None), ("namespaces", NAMESPACE, None)):
        try:
            client.delete(resource, obj_name, ns)
        except errors.StatusError as error:
            if error.reason != "NotFound":
                raise
    cluster.addons[name] = False
    return f"kubenb: addon {name} disabled"


def list_addons(cluster: Cluster) -> str:
    state = "enabled" if cluster.addons.get("ingress-nginx") else "disabled"
    return f"ingress-nginx: {state}"
