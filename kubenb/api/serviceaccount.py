"""The ServiceAccount admission plugin's token mount: the ``kube-api-access-xxxxx`` projected volume.

Mirrors plugin/pkg/admission/serviceaccount/admission.go (mountServiceAccountToken, TokenVolumeSource,
shouldAutomount): on Pod create, unless ``automountServiceAccountToken`` is false on the Pod or (when the
Pod leaves it unset) on its ServiceAccount, every init container and container without a mount at
/var/run/secrets/kubernetes.io/serviceaccount gets one (read-only), and the Pod gets the projected volume
(a bound token, the ``kube-root-ca.crt`` ConfigMap's ``ca.crt`` and the namespace) appended to its volumes.
Mirror (static) Pods are left alone.

The 5-character suffix is drawn from a generator seeded with the Pod's uid (itself from the cluster's
seeded source), so adding this volume left every other generated name of a lesson as it was.
A Pod naming a ServiceAccount that does not exist is refused (Forbidden, ``error looking up service
account <ns>/<name>: serviceaccount "<name>" not found``), so a Deployment's ReplicaSet reports FailedCreate
until the account is created. The ``default`` account is never refused: upstream retries its lookup for
about a second because the ServiceAccount controller creates it right after the Namespace, and here that
controller always wins the race.
Left out: copying the account's imagePullSecrets (the kubelet reads them from the account),
enforce-mountable-secrets. The defaulting of serviceAccountName lives in api.defaults.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.api.resources import ResourceType
from kubenb.sim.rand import MAX_GENERATED_NAME_LENGTH, SeededRandom

VOLUME_PREFIX = "kube-api-access-"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
# serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and 7 s, a value the apiserver recognises
# to extend the token's real lifetime while warning about stale ones.
TOKEN_EXPIRATION_SECONDS = 3607
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def token_volume_source() -> dict:
    """TokenVolumeSource, as the API stores it (defaultMode set explicitly, fieldRef with its apiVersion)."""
    return {
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
            {"configMap": {"name": ROOT_CA_CONFIGMAP, "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
                                                                          "fieldPath": "metadata.namespace"}}]}},
        ],
        "defaultMode": 420,
    }


def should_automount(pod_spec: dict, account: dict | None) -> bool:
    """The Pod's preference wins, then the ServiceAccount's; true when neither says."""
    if pod_spec.get("automountServiceAccountToken") is not None:
        return bool(pod_spec["automountServiceAccountToken"])
    if account is not None and account.get("automountServiceAccountToken") is not None:
        return bool(account["automountServiceAccountToken"])
    return True


def _volume_name(pod: dict) -> str:
    uid = str(pod.get("metadata", {}).get("uid", "")).replace("-", "")
    try:
        seed = int(uid, 16)
    except ValueError:
        seed = 0
    return SeededRandom(seed).generate_name(VOLUME_PREFIX)


def mount_service_account_token(pod: dict, account: dict | None) -> None:
    """Add the token volume and its mounts to a new Pod (mutates ``pod``)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict) or not should_automount(spec, account):
        return
    volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    existing = next((v.get("name") for v in volumes
                     if isinstance(v, dict) and str(v.get("name", "")).startswith(VOLUME_PREFIX)), None)
    name = existing or _volume_name(pod)
    needs_volume = False
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            if not isinstance(container, dict):
                continue
            mounts = container.get("volumeMounts")
            if not isinstance(mounts, list):
                mounts = []
            if any(isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts):
                continue
            mounts.append({"name": name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH})
            container["volumeMounts"] = mounts
            needs_volume = True
    if existing is None and needs_volume:
        volumes.append({"name": name, "projected": token_volume_source()})
        spec["volumes"] = volumes


def service_account_admission(operation: str, rtype: ResourceType, obj: dict, old: dict | None,
                              client: object) -> None:
    """The plugin as the admission chain calls it: Pod creates only, never mirror Pods."""
    if operation != "CREATE" or rtype.kind != "Pod" or rtype.group != "":
        return
    metadata = obj.get("metadata") or {}
    if MIRROR_ANNOTATION in (metadata.get("annotations") or {}):
        return
    spec = obj.get("spec") or {}
    namespace = metadata.get("namespace") or "default"
    account_name = spec.get("serviceAccountName") or "default"
    # A read-only view: the plugin only reads the account.
    account = client.get_view("serviceaccounts", account_name, namespace)  # type: ignore[attr-defined]
    if account is None and account_name != "default":
        raise errors.forbidden_error(
            f'pods "{_admission_name(metadata)}" is forbidden: error looking up service account '
            f'{namespace}/{account_name}: serviceaccount "{account_name}" not found')
    mount_service_account_token(obj, account)


def _admission_name(metadata: dict) -> str:
    """The name a mutating admission plugin's errors carry: admission.NewForbidden takes the request's name,
    else the object's generateName (the apiserver generates names after mutating admission; kubenb generates
    them before, so a name that is generateName plus five generated characters counts as not yet given)."""
    name, base = str(metadata.get("name") or ""), str(metadata.get("generateName") or "")
    prefix = base[:MAX_GENERATED_NAME_LENGTH]
    if base and name.startswith(prefix) and len(name) == len(prefix) + 5:
        return base
    return name or base or "Unknown"
