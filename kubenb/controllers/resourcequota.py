"""Resource quota controller (pkg/controller/resourcequota/resource_quota_controller.go).

Keeps each ResourceQuota's ``status.hard`` (a copy of spec.hard) and
``status.used`` (recounted from the namespace's objects by
``api.policy.namespace_usage``, the same evaluator admission uses) up to
date whenever the quota or an object it counts changes (a finished Pod
gives its compute back at once). ``count/<resource>`` follows the
resources in ``COUNTED_RESOURCES``; others only when the quota itself changes.
Left out: scopes, the periodic full resync, replenishment delays.
"""

from __future__ import annotations

from kubenb.api import Client, objects, policy
from kubenb.reconcile import ObjectKey, Result, for_, map_to

COUNTED_RESOURCES = ("pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "deployments",
                     "replicasets", "statefulsets", "jobs", "cronjobs", "replicationcontrollers", "daemonsets",
                     "ingresses", "serviceaccounts")


class ResourceQuotaController:
    name = "resourcequota-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("resourcequotas")] + [map_to(plural, self._quotas_of, identity_keys=True) for plural in COUNTED_RESOURCES]

    def _quotas_of(self, obj: dict) -> list[ObjectKey]:
        if not self.client.store.count("resourcequotas"):
            return []  # asked on every write of a counted resource; most clusters have no quota
        namespace = objects.namespace(obj)
        return [ObjectKey("resourcequotas", namespace, objects.name(q))
                for q in self.client.list_view("resourcequotas", namespace)]

    def reconcile(self, key: ObjectKey) -> Result:
        quota = self.client.try_get("resourcequotas", key.name, key.namespace)
        if quota is None or objects.is_being_deleted(quota):
            return Result()
        hard = dict((quota.get("spec") or {}).get("hard") or {})
        used = policy.namespace_usage(self.client, key.namespace or "default", sorted(hard))
        status = {"hard": hard, "used": {name: str(value) for name, value in used.items()}}
        if quota.get("status") != status:
            quota["status"] = status
            self.client.update_status(quota)
        return Result()
