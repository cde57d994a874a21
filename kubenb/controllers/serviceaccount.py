"""ServiceAccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go).

Makes sure every active Namespace has the ServiceAccount ``default``, and
recreates it when deleted. Left out: token Secrets (gone since v1.24; tokens
are projected by the kubelet).
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, for_, map_to

MANAGED = ("default",)


class ServiceAccountController:
    name = "service-account-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [
            for_("namespaces"),
            map_to("serviceaccounts", lambda sa: [ObjectKey("namespaces", None, objects.namespace(sa) or "")]
                   if objects.name(sa) in MANAGED else [], identity_keys=True),
        ]

    def reconcile(self, key: ObjectKey) -> Result:
        ns = self.client.try_get("namespaces", key.name)
        if ns is None or objects.is_being_deleted(ns):
            return Result()
        for sa_name in MANAGED:
            if self.client.try_get("serviceaccounts", sa_name, key.name) is None:
                try:
                    self.client.create({"apiVersion": "v1", "kind": "ServiceAccount",
                                        "metadata": {"name": sa_name, "namespace": key.name}})
                except StatusError:
                    pass
        return Result()
