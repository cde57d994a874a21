"""Root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go).

Keeps the ConfigMap ``kube-root-ca.crt`` (key ``ca.crt``, annotation
``kubernetes.io/description``) in every active Namespace and restores its
content when edited or deleted. The certificate is a fixed, made-up PEM
block for the simulated cluster.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, for_, map_to

CONFIGMAP_NAME = "kube-root-ca.crt"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
               "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
               "guaranteed across distributions of Kubernetes clusters.")
# Not a real key: a stand-in so that Pods see a ca.crt of the right shape.
ROOT_CA = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDBTCCAe2gAwIBAgIIKubenbSimCAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n"
    "AxMKa3ViZXJuZXRlczAeFw0yNDEyMzEyMzUwMDBaFw0zNDEyMjkyMzU1MDBaMBUx\n"
    "EzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n"
    "AoIBAQDKubenbKubenbKubenbKubenbKubenbKubenbKubenbKubenbKubenbKub\n"
    "-----END CERTIFICATE-----\n"
)


class RootCACertPublisher:
    name = "root-ca-cert-publisher"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("namespaces"),
            map_to("configmaps", lambda cm: [ObjectKey("namespaces", None, objects.namespace(cm) or "")]
                   if objects.name(cm) == CONFIGMAP_NAME else [], identity_keys=True),
        ]

    def reconcile(self, key: ObjectKey) -> Result:
        ns = self.client.try_get("namespaces", key.name)
        if ns is None or objects.is_being_deleted(ns):
            return Result()
        data = {"ca.crt": ROOT_CA}
        cm = self.client.try_get("configmaps", CONFIGMAP_NAME, key.name)
        try:
            if cm is None:
                self.client.create({"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": CONFIGMAP_NAME, "namespace": key.name,
                                                 "annotations": {"kubernetes.io/description": DESCRIPTION}},
                                    "data": data})
            elif cm.get("data") != data or objects.annotations(cm).get("kubernetes.io/description") != DESCRIPTION:
                cm["data"] = data
                cm.pop("binaryData", None)
                cm["metadata"].setdefault("annotations", {})["kubernetes.io/description"] = DESCRIPTION
                self.client.update(cm)
        except StatusError:
            pass
        return Result()
