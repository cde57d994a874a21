"""Rollback support (pkg/controller/deployment/rollback.go, kubectl polymorphichelpers/rollback.go).

Since apps/v1 a rollback is done by the client: ``kubectl rollout undo``
copies the chosen ReplicaSet's template (minus pod-template-hash) into the
Deployment; the controller then finds that ReplicaSet as the new one and
gives it the next revision. These helpers are that client side, shared
with ``kubectl rollout history``.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.controllers.deployment import sync


def revision_map(client: Client, d: dict) -> dict[int, dict]:
    """ReplicaSets of the Deployment by revision number (controlled by it, as kubectl looks them up)."""
    found: dict[int, dict] = {}
    for rs in client.list("replicasets", objects.namespace(d)):
        ref = objects.controller_ref(rs)
        if ref is None or ref.get("uid") != objects.uid(d):
            continue
        found[sync.revision_of(rs)] = rs
    return found


def rollback_template(rs: dict) -> dict:
    return sync.template_without_hash(rs["spec"]["template"])
