"""Volumes as the kubelet mounts them: what a container sees under each volumeMount.

Mirrors pkg/kubelet/volumemanager and the volume plugins a course meets:
``configMap`` and ``secret`` (projected files, one per key, refreshed by the
kubelet's periodic pod sync, so a change reaches a mounted volume up to a
minute later but never an env var until the container starts again),
``emptyDir`` (lives and dies with the Pod's UID), ``persistentVolumeClaim``
(the bound PV's directory, which outlives every Pod) and ``hostPath``
(the node's own directory).

Contents are plain data in ``NodeAgents.data["volumes"]`` (keyed
``pv/<pv-name>``, ``emptydir/<pod-uid>/<volume>``, ``host/<node>/<path>``)
so snapshots copy them. A container's writes under a writable mount are
kept when an exec finishes and when the container stops.
``projected`` volumes (the ServiceAccount admission's ``kube-api-access-xxxxx``
among them) join their configMap, secret, downwardAPI and serviceAccountToken
sources in one directory; a ``downwardAPI`` volume writes Pod fields as files.
The token is a JWT-shaped string (header.claims.signature, base64url) carrying
the claims a real bound token has, signed by no key.
Left out: defaultMode and file modes, the ``..data`` symlink swap, fsGroup,
read-only file system errors, quotas on emptyDir sizeLimit, clusterTrustBundle
sources, token rotation.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING

from kubenb.api import objects

if TYPE_CHECKING:
    from kubenb.node import NodeAgents

# The kubelet re-syncs each running Pod about once a minute (--sync-frequency=1m); a changed
# ConfigMap or Secret reaches a mounted volume at the first such sync after the change.
SYNC_FREQUENCY = 60.0
PROJECTED = ("configMap", "secret", "projected", "downwardAPI")
API_AUDIENCE = "https://kubernetes.default.svc.cluster.local"
TOKEN_LIFETIME = 365 * 24 * 3600  # --service-account-extend-token-expiration: a 3607 s request lives a year


def storage(agents: NodeAgents) -> dict:
    return agents.data.setdefault("volumes", {})


def volume_key(agents: NodeAgents, pod: dict, volume: dict) -> str | None:
    """Where a writable volume's contents live, or None for a projected/unknown one."""
    if "emptyDir" in volume:
        return f"emptydir/{objects.uid(pod)}/{volume.get('name', '')}"
    if "hostPath" in volume:
        return f"host/{pod['spec'].get('nodeName', '')}/{(volume['hostPath'] or {}).get('path', '')}"
    if "persistentVolumeClaim" in volume:
        claim = (volume["persistentVolumeClaim"] or {}).get("claimName", "")
        pvc = agents.client.store.get("persistentvolumeclaims", objects.namespace(pod) or "default", claim)
        pv_name = ((pvc or {}).get("spec") or {}).get("volumeName")
        return f"pv/{pv_name}" if pv_name else None
    return None


def _object_data(agents: NodeAgents, namespace: str, kind: str, name: str) -> dict[str, str] | None:
    """A ConfigMap's data or a Secret's decoded data (None when the object does not exist)."""
    resource = "configmaps" if kind == "configMap" else "secrets"
    obj = agents.client.store.get(resource, namespace, name)
    if obj is None:
        return None
    if kind == "configMap":
        return dict(obj.get("data") or {})
    data = {}
    for key, value in (obj.get("data") or {}).items():
        try:
            data[key] = base64.b64decode(value).decode("utf-8", "replace")
        except (ValueError, TypeError):
            data[key] = ""
    return data


def _select(data: dict[str, str], items: list | None) -> dict[str, str]:
    if items:
        return {item.get("path", item.get("key", "")): data[item.get("key", "")]
                for item in items if item.get("key", "") in data}
    return data


def _downward_file(pod: dict, item: dict) -> str:
    """One downwardAPI file: a metadata field, or labels/annotations as sorted key="value" lines."""
    from kubenb.node import field_value  # the env var resolver; imported late (that module imports this one)

    path = ((item.get("fieldRef") or {}).get("fieldPath")) or ""
    if path in ("metadata.labels", "metadata.annotations"):
        values = pod["metadata"].get(path.split(".")[1]) or {}
        return "\n".join(f'{key}={json.dumps(values[key])}' for key in sorted(values))
    return field_value(pod, path, None)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def service_account_token(agents: NodeAgents, pod: dict, source: dict, issued_at: float) -> str:
    """A bound token as the kubelet asks the TokenRequest API for it: JWT-shaped, deterministic."""
    md, spec = pod["metadata"], pod["spec"]
    namespace = md.get("namespace") or "default"
    account_name = spec.get("serviceAccountName") or "default"
    account = agents.client.store.get("serviceaccounts", namespace, account_name) or {}
    node = agents.client.store.get("nodes", None, spec.get("nodeName", "")) or {}
    iat = int(issued_at)
    requested = int(source.get("expirationSeconds") or 3600)
    claims: dict = {
        "aud": [source["audience"]] if source.get("audience") else [API_AUDIENCE],
        "exp": iat + (TOKEN_LIFETIME if requested == 3607 else requested),
        "iat": iat,
        "iss": API_AUDIENCE,
        "jti": str(md.get("uid", "")),
        "kubernetes.io": {
            "namespace": namespace,
            "node": {"name": spec.get("nodeName", ""), "uid": (node.get("metadata") or {}).get("uid", "")},
            "pod": {"name": md.get("name", ""), "uid": md.get("uid", "")},
            "serviceaccount": {"name": account_name, "uid": (account.get("metadata") or {}).get("uid", "")},
        },
        "nbf": iat,
        "sub": f"system:serviceaccount:{namespace}:{account_name}",
    }
    if requested == 3607:
        claims["kubernetes.io"]["warnafter"] = iat + requested
    header = _b64url(json.dumps({"alg": "RS256", "kid": "kubenb"}, separators=(",", ":")).encode())
    body = _b64url(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    digest = hashlib.sha256(f"{header}.{body}".encode()).digest()
    return f"{header}.{body}.{_b64url(digest * 8)}"  # 256 bytes, as long as an RS256 signature


def projected_contents(agents: NodeAgents, pod: dict, volume: dict, record: dict | None = None) -> dict[str, str]:
    """The files a configMap/secret/projected/downwardAPI volume holds now (relative path -> content)."""
    namespace = objects.namespace(pod) or "default"
    if "configMap" in volume:
        source = volume["configMap"] or {}
        return _select(_object_data(agents, namespace, "configMap", source.get("name", "")) or {},
                       source.get("items"))
    if "secret" in volume:
        source = volume["secret"] or {}
        return _select(_object_data(agents, namespace, "secret", source.get("secretName", "")) or {},
                       source.get("items"))
    if "downwardAPI" in volume:
        return {item.get("path", ""): _downward_file(pod, item) for item in (volume["downwardAPI"] or {}).get(
            "items") or []}
    files: dict[str, str] = {}
    for source in (volume.get("projected") or {}).get("sources") or []:
        for kind in ("configMap", "secret"):
            if kind in source:
                ref = source[kind] or {}
                files.update(_select(_object_data(agents, namespace, kind, ref.get("name", "")) or {},
                                     ref.get("items")))
        if "downwardAPI" in source:
            files.update({item.get("path", ""): _downward_file(pod, item)
                          for item in (source["downwardAPI"] or {}).get("items") or []})
        if "serviceAccountToken" in source:
            token = source["serviceAccountToken"] or {}
            path = token.get("path", "token")
            if record is None:
                files[path] = service_account_token(agents, pod, token, agents.client.clock.now())
                continue
            # The kubelet's token manager keeps a token until it is due for rotation: issued once per Pod.
            tokens = record.setdefault("tokens", {})
            key = f"{volume.get('name', '')}/{path}"
            if key not in tokens:
                issued = record.get("token_issued_at")
                tokens[key] = service_account_token(agents, pod, token,
                                                    agents.client.clock.now() if issued is None else issued)
            files[path] = tokens[key]
    return files


def _sources(volume: dict) -> list[tuple[str, dict]]:
    """(kind, source) for a volume's configMap/secret references, a projected volume's included."""
    found = [(kind, volume[kind] or {}) for kind in ("configMap", "secret") if kind in volume]
    for source in (volume.get("projected") or {}).get("sources") or []:
        found += [(kind, source[kind] or {}) for kind in ("configMap", "secret") if kind in source]
    return found


def missing_source(agents: NodeAgents, pod: dict) -> str:
    """FailedMount's message for a configMap/secret volume (or projected source) whose object is absent
    ("" when all exist)."""
    namespace = objects.namespace(pod) or "default"
    for volume in pod["spec"].get("volumes") or []:
        for kind, source in _sources(volume):
            if kind == "configMap":
                name, resource, noun = source.get("name", ""), "configmaps", "configmap"
            else:
                # A secret volume names it secretName; a projected secret source, name.
                name = source.get("secretName", source.get("name", ""))
                resource, noun = "secrets", "secret"
            if source.get("optional") or agents.client.store.get(resource, namespace, name) is not None:
                continue
            return f'MountVolume.SetUp failed for volume "{volume.get("name", "")}" : {noun} "{name}" not found'
    return ""


def unbound_claim(agents: NodeAgents, pod: dict) -> str | None:
    """The first persistentVolumeClaim volume whose claim is not Bound yet (None when all are)."""
    namespace = objects.namespace(pod) or "default"
    for volume in pod["spec"].get("volumes") or []:
        if "persistentVolumeClaim" not in volume:
            continue
        claim = (volume["persistentVolumeClaim"] or {}).get("claimName", "")
        pvc = agents.client.store.get("persistentvolumeclaims", namespace, claim)
        if pvc is None or (pvc.get("status") or {}).get("phase") != "Bound" or not pvc["spec"].get("volumeName"):
            return claim
    return None


def projection_inputs(agents: NodeAgents, pod: dict) -> tuple:
    """What a Pod's projected volumes are made of, besides the Pod's fixed spec and its record's tokens:
    the resourceVersion of each ConfigMap/Secret they read (None while it is absent) and the labels and
    annotations a downwardAPI file may show. Equal inputs give equal contents."""
    namespace = objects.namespace(pod) or "default"
    versions: list[str | None] = []
    for volume in pod["spec"].get("volumes") or []:
        for kind, source in _sources(volume):
            resource = "configmaps" if kind == "configMap" else "secrets"
            name = source.get("name", "") if kind == "configMap" else source.get("secretName", source.get("name", ""))
            obj = agents.client.store.get(resource, namespace, name)
            versions.append(None if obj is None else obj["metadata"].get("resourceVersion"))
    md = pod["metadata"]
    return tuple(versions), md.get("labels"), md.get("annotations")


def _remember_fresh(agents: NodeAgents, pod: dict, record: dict, inputs: tuple) -> None:
    # Keyed by the record object itself: a restore (or a new record for the uid) brings new records,
    # which never match an entry made for the old ones.
    agents.projection_inputs[objects.uid(pod)] = (record, inputs)


def project(agents: NodeAgents, pod: dict, record: dict) -> None:
    """Write every configMap/secret volume as it is now (pod setup and each periodic sync)."""
    projected = record.setdefault("projected", {})
    record.setdefault("token_issued_at", agents.client.clock.now())
    inputs = projection_inputs(agents, pod)
    for volume in pod["spec"].get("volumes") or []:
        if any(kind in volume for kind in PROJECTED):
            projected[volume.get("name", "")] = projected_contents(agents, pod, volume, record)
    _remember_fresh(agents, pod, record, inputs)


def next_refresh(agents: NodeAgents, pod: dict, record: dict, now: float) -> float | None:
    """Refresh the projected volumes when a periodic sync is due; return when the next one matters.

    Only a volume whose source changed needs the next sync, so an unchanged Pod sets no timer.
    """
    projected = record.setdefault("projected", {})
    # Every sync of the Pod asks; rebuilding the files (a token, downwardAPI lines) each time is the cost,
    # so they are rebuilt only when their inputs changed since the projection was last found current.
    inputs = projection_inputs(agents, pod)
    fresh = agents.projection_inputs.get(objects.uid(pod))
    stale = False
    if fresh is None or fresh[0] is not record or fresh[1] != inputs:
        for volume in pod["spec"].get("volumes") or []:
            if any(kind in volume for kind in PROJECTED):
                if projected.get(volume.get("name", "")) != projected_contents(agents, pod, volume, record):
                    stale = True
        if not stale:
            _remember_fresh(agents, pod, record, inputs)
    if not stale:
        record.pop("refresh_at", None)
        return None
    due = record.get("refresh_at")
    if due is None:
        # The pod's next periodic sync, counted from its sandbox start.
        origin = record.get("sandbox_at") or now
        periods = int((now - origin) // SYNC_FREQUENCY) + 1
        due = origin + periods * SYNC_FREQUENCY
        record["refresh_at"] = due
    if now >= due:
        project(agents, pod, record)
        record.pop("refresh_at", None)
        return None
    return due


def _mounts(pod: dict, container: dict) -> list[tuple[dict, dict]]:
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    return [(mount, volumes[mount.get("name")]) for mount in container.get("volumeMounts") or []
            if mount.get("name") in volumes]


def _place(mount_path: str, sub_path: str, contents: dict[str, str]) -> dict[str, str]:
    placed = {}
    mount_path = mount_path.rstrip("/") or "/"
    for rel, content in contents.items():
        if sub_path:
            if rel == sub_path:
                placed[mount_path] = content
                continue
            if not rel.startswith(sub_path.rstrip("/") + "/"):
                continue
            rel = rel[len(sub_path.rstrip("/")) + 1:]
        placed[mount_path.rstrip("/") + "/" + rel] = content
    return placed


def mount_files(agents: NodeAgents, pod: dict, container: dict, record: dict | None) -> dict[str, str]:
    """Absolute path -> content for every file under the container's volume mounts."""
    files: dict[str, str] = {}
    store = storage(agents)
    projected = (record or {}).get("projected") or {}
    for mount, volume in _mounts(pod, container):
        if any(kind in volume for kind in PROJECTED):
            contents = projected.get(volume.get("name", ""))
            if contents is None:
                contents = projected_contents(agents, pod, volume, record)
        else:
            key = volume_key(agents, pod, volume)
            contents = store.get(key, {}) if key else {}
        files.update(_place(mount.get("mountPath", ""), mount.get("subPath", ""), contents))
    return files


def mount_points(pod: dict, container: dict) -> list[str]:
    return [(m.get("mountPath", "").rstrip("/") or "/") for m, _ in _mounts(pod, container)]


def writable_mounts(pod: dict, container: dict) -> list[tuple[dict, dict]]:
    """(mount, volume) for each mount whose writes are kept (not read-only, not a projected volume)."""
    return [(mount, volume) for mount, volume in _mounts(pod, container)
            if not mount.get("readOnly") and not any(kind in volume for kind in PROJECTED)]


def persist_writes(agents: NodeAgents, pod: dict, container: dict, before: dict[str, str],
                   after: dict[str, str]) -> None:
    """Keep what the container wrote (or removed) under its writable mounts."""
    store = storage(agents)
    for mount, volume in writable_mounts(pod, container):
        key = volume_key(agents, pod, volume)
        if key is None:
            continue
        root = mount.get("mountPath", "").rstrip("/")
        sub = (mount.get("subPath") or "").rstrip("/")
        contents = store.setdefault(key, {})
        for path in sorted(set(before) | set(after)):
            if not path.startswith(root + "/") or before.get(path) == after.get(path):
                continue
            rel = path[len(root) + 1:]
            if sub:
                rel = sub + "/" + rel
            if path in after:
                contents[rel] = after[path]
            else:
                contents.pop(rel, None)


def forget_pod(agents: NodeAgents, uid: str) -> None:
    """An emptyDir is deleted with its Pod."""
    store = storage(agents)
    for key in [k for k in store if k.startswith(f"emptydir/{uid}/")]:
        del store[key]
    agents.projection_inputs.pop(uid, None)


def delete_pv_data(agents: NodeAgents, pv_name: str) -> None:
    storage(agents).pop(f"pv/{pv_name}", None)


def referenced_names(pod: dict, kind: str) -> set[str]:
    """Names of the ConfigMaps/Secrets/PVCs (``kind`` as in a volume source) a Pod mounts or reads."""
    field = {"configMap": "name", "secret": "secretName", "persistentVolumeClaim": "claimName"}[kind]
    names = {(v.get(kind) or {}).get(field, "") for v in pod["spec"].get("volumes") or [] if kind in v}
    for volume in pod["spec"].get("volumes") or []:
        for source in (volume.get("projected") or {}).get("sources") or []:
            if kind in source:
                names.add((source[kind] or {}).get("name", ""))
    if kind in ("configMap", "secret"):
        ref_key, env_key = f"{kind}Ref", f"{kind}KeyRef"
        for container in (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or []):
            for source in container.get("envFrom") or []:
                if ref_key in source:
                    names.add((source[ref_key] or {}).get("name", ""))
            for item in container.get("env") or []:
                ref = (item.get("valueFrom") or {}).get(env_key)
                if ref:
                    names.add(ref.get("name", ""))
    return names
