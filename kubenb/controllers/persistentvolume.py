"""PersistentVolume controller and the cluster's dynamic provisioner.

Mirrors pkg/controller/volume/persistentvolume/pv_controller.go (syncClaim,
syncVolume: binding a claim to a matching Available PV, or asking the
StorageClass's provisioner for a new one; Released volumes recycled by
their reclaim policy) together with what kind's local-path provisioner
(rancher.io/local-path) does: a PV ``pvc-<claim uid>`` of the requested
size, pinned to the node of the claim's first consumer.

With ``volumeBindingMode: WaitForFirstConsumer`` (kind's ``standard``) a
claim stays Pending until a Pod that uses it is scheduled; the node it
landed on becomes the claim's ``volume.kubernetes.io/selected-node``.
Left out: the scheduler's volume binding plugin (the kubelet waits for the
claim instead), volume expansion, selectors on claims, Recycle, block
volumes, the provisioner's helper Pods.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api import quantity as quantities
from kubenb.api.errors import StatusError
from kubenb.reconcile import ObjectKey, Result, for_, map_to

BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
LOCAL_PATH_ROOT = "/var/local-path-provisioner"


def _claims_of_pod(pod: dict) -> list[ObjectKey]:
    namespace = objects.namespace(pod)
    return [ObjectKey("persistentvolumeclaims", namespace, (v["persistentVolumeClaim"] or {}).get("claimName", ""))
            for v in (pod.get("spec") or {}).get("volumes") or [] if "persistentVolumeClaim" in v]


def _volume_key(pv: dict) -> list[ObjectKey]:
    return [ObjectKey("persistentvolumes", None, objects.name(pv))]


def _annotations_of(obj: dict) -> dict:
    """The object's annotations, created when absent, for writing."""
    md = obj.setdefault("metadata", {})
    if not isinstance(md.get("annotations"), dict):
        md["annotations"] = {}
    return md["annotations"]


def _bytes(text: object) -> int:
    try:
        return quantities.parse(str(text)).int_value()
    except (ValueError, TypeError):
        return 0


class PersistentVolumeController:
    name = "persistentvolume-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("persistentvolumeclaims"), map_to("pods", _claims_of_pod),
                        map_to("persistentvolumes", _volume_key, identity_keys=True)]

    def reconcile(self, key: ObjectKey) -> Result:
        if key.resource == "persistentvolumes":
            self.sync_volume(key.name)
            return Result()
        pvc = self.client.try_get("persistentvolumeclaims", key.name, key.namespace)
        if pvc is None:
            for pv in self.client.list_view("persistentvolumes"):
                ref = pv["spec"].get("claimRef") or {}
                if ref.get("name") == key.name and ref.get("namespace") == key.namespace:
                    self.sync_volume(objects.name(pv))
            return Result()
        if objects.is_being_deleted(pvc):
            self.release_protection(pvc)
            return Result()
        self.sync_claim(pvc)
        return Result()

    # --- claims ---------------------------------------------------------------------------------------
    def sync_claim(self, pvc: dict) -> None:
        spec = pvc.get("spec") or {}
        if spec.get("volumeName"):
            pv = self.client.try_get("persistentvolumes", spec["volumeName"])
            if pv is None:
                self._claim_status(pvc, "Lost")
                self.client.event(pvc, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. "
                                  "Data on the volume is lost!")
            elif (pvc.get("status") or {}).get("phase") != "Bound":
                self._bind(pvc, pv)
            return
        pv = self.find_matching_volume(pvc)
        if pv is not None:
            self._bind(pvc, pv)
            return
        class_name = spec.get("storageClassName") or ""
        storage_class = self.client.try_get("storageclasses", class_name) if class_name else None
        if storage_class is None:
            message = ("no persistent volumes available for this claim and no storage class is set" if not class_name
                       else f'storageclass.storage.k8s.io "{class_name}" not found')
            self._event_once(pvc, "Warning", "ProvisioningFailed" if class_name else "FailedBinding", message)
            return
        provisioner = storage_class.get("provisioner", "")
        node = objects.annotations(pvc).get(SELECTED_NODE, "")
        if storage_class.get("volumeBindingMode") == "WaitForFirstConsumer" and not node:
            node = self.first_consumer_node(pvc)
            if not node:
                self._event_once(pvc, "Normal", "WaitForFirstConsumer",
                                 "waiting for first consumer to be created before binding")
                return
            # What the scheduler's volume binding plugin writes once it has picked the node.
            pvc = self.client.mutate("persistentvolumeclaims", objects.name(pvc), objects.namespace(pvc),
                                     lambda claim: _annotations_of(claim).update({SELECTED_NODE: node}))
        self._provision(pvc, storage_class, provisioner, node)

    def release_protection(self, pvc: dict) -> None:
        """pvc-protection-controller: the finalizer goes once no Pod uses the claim."""
        for pod in self.client.list_view("pods", objects.namespace(pvc)):
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            if any(k.name == objects.name(pvc) for k in _claims_of_pod(pod)):
                return
        finalizers = [f for f in pvc["metadata"].get("finalizers") or [] if f != PVC_PROTECTION]
        if finalizers != (pvc["metadata"].get("finalizers") or []):
            pvc["metadata"]["finalizers"] = finalizers
            self.client.update(pvc)

    def first_consumer_node(self, pvc: dict) -> str:
        for pod in self.client.list_view("pods", objects.namespace(pvc)):
            if objects.is_being_deleted(pod) or not pod["spec"].get("nodeName"):
                continue
            if any(k.name == objects.name(pvc) for k in _claims_of_pod(pod)):
                return pod["spec"]["nodeName"]
        return ""

    def find_matching_volume(self, pvc: dict) -> dict | None:
        """findBestMatchForClaim: the smallest Available PV of the claim's class, modes and size."""
        spec = pvc.get("spec") or {}
        wanted = _bytes(((spec.get("resources") or {}).get("requests") or {}).get("storage", 0))
        modes = set(spec.get("accessModes") or [])
        best = None
        for pv in self.client.list_view("persistentvolumes"):
            pv_spec = pv.get("spec") or {}
            ref = pv_spec.get("claimRef")
            if ref and (ref.get("name") != objects.name(pvc) or ref.get("namespace") != objects.namespace(pvc)):
                continue
            if not ref and (pv.get("status") or {}).get("phase") not in (None, "Available", "Pending"):
                continue
            if (pv_spec.get("storageClassName") or "") != (spec.get("storageClassName") or ""):
                continue
            if not modes <= set(pv_spec.get("accessModes") or []):
                continue
            size = _bytes((pv_spec.get("capacity") or {}).get("storage", 0))
            if size < wanted:
                continue
            if best is None or size < _bytes(best["spec"]["capacity"]["storage"]):
                best = pv
        return objects.clone(best) if best is not None else None

    def _provision(self, pvc: dict, storage_class: dict, provisioner: str, node: str) -> None:
        name = f"pvc-{objects.uid(pvc)}"
        annotations = {STORAGE_PROVISIONER: provisioner, BETA_STORAGE_PROVISIONER: provisioner}

        def mark(claim: dict) -> None:
            _annotations_of(claim).update(annotations)

        if any(objects.annotations(pvc).get(k) != v for k, v in annotations.items()):
            pvc = self.client.mutate("persistentvolumeclaims", objects.name(pvc), objects.namespace(pvc), mark)
            self.client.event(pvc, "Normal", "ExternalProvisioning",
                              f"Waiting for a volume to be created either by the external provisioner "
                              f"'{provisioner}' or manually by the system administrator. If volume creation is "
                              f"delayed, please verify that the provisioner is running and correctly registered.")
        provisioner_client = self.client.for_component(f"{provisioner}_local-path-provisioner")
        provisioner_client.event(pvc, "Normal", "Provisioning",
                                 f'External provisioner is provisioning volume for claim '
                                 f'"{objects.namespace(pvc)}/{objects.name(pvc)}"')
        spec = pvc.get("spec") or {}
        pv = {
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": name, "annotations": {PROVISIONED_BY: provisioner, "local.path.provisioner/selected-node": node}
                         if node else {PROVISIONED_BY: provisioner},
                         "finalizers": ["kubernetes.io/pv-protection"]},
            "spec": {
                "accessModes": list(spec.get("accessModes") or ["ReadWriteOnce"]),
                "capacity": {"storage": ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")},
                "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": objects.name(pvc),
                             "namespace": objects.namespace(pvc), "uid": objects.uid(pvc),
                             "resourceVersion": pvc["metadata"].get("resourceVersion", "")},
                "hostPath": {"path": f"{LOCAL_PATH_ROOT}/{name}_{objects.namespace(pvc)}_{objects.name(pvc)}",
                             "type": "DirectoryOrCreate"},
                "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy") or "Delete",
                "storageClassName": objects.name(storage_class),
                "volumeMode": spec.get("volumeMode") or "Filesystem",
            },
        }
        if node:
            pv["spec"]["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}
        try:
            pv = provisioner_client.create(pv)
        except StatusError as error:
            provisioner_client.event(pvc, "Warning", "ProvisioningFailed", error.message)
            return
        provisioner_client.event(pvc, "Normal", "ProvisioningSucceeded", f"Successfully provisioned volume {name}")
        self._bind(self.client.get("persistentvolumeclaims", objects.name(pvc), objects.namespace(pvc)), pv)

    def _bind(self, pvc: dict, pv: dict) -> None:
        """bindVolumeToClaim, then bindClaimToVolume, then both statuses, as the controller does."""
        claim_ref = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": objects.name(pvc),
                     "namespace": objects.namespace(pvc), "uid": objects.uid(pvc),
                     "resourceVersion": pvc["metadata"].get("resourceVersion", "")}
        if (pv["spec"].get("claimRef") or {}).get("uid") != objects.uid(pvc):
            pv["spec"]["claimRef"] = claim_ref
            _annotations_of(pv)[BOUND_BY_CONTROLLER] = "yes"
            pv = self.client.update(pv)
        if (pv.get("status") or {}).get("phase") != "Bound":
            pv["status"] = {"phase": "Bound", "lastPhaseTransitionTime": self.client.now()}
            pv = self.client.update_status(pv)
        if pvc["spec"].get("volumeName") != objects.name(pv) or objects.annotations(pvc).get(BIND_COMPLETED) != "yes":
            def bind(claim: dict) -> None:
                claim["spec"]["volumeName"] = objects.name(pv)
                notes = _annotations_of(claim)
                notes[BIND_COMPLETED] = "yes"
                notes[BOUND_BY_CONTROLLER] = "yes"
            pvc = self.client.mutate("persistentvolumeclaims", objects.name(pvc), objects.namespace(pvc), bind)
        if (pvc.get("status") or {}).get("phase") != "Bound":
            pvc["status"] = {"phase": "Bound", "accessModes": list(pv["spec"].get("accessModes") or []),
                             "capacity": dict(pv["spec"].get("capacity") or {})}
            self.client.update_status(pvc)

    def _claim_status(self, pvc: dict, phase: str) -> None:
        if (pvc.get("status") or {}).get("phase") != phase:
            pvc["status"] = {"phase": phase}
            self.client.update_status(pvc)

    def _event_once(self, pvc: dict, type_: str, reason: str, message: str) -> None:
        # The real controller repeats these on every resync (the recorder counts them); one is enough here.
        for event in self.client.list_view("events", objects.namespace(pvc)):
            if (event.get("involvedObject") or {}).get("uid") == objects.uid(pvc) and event.get("reason") == reason:
                break
        else:
            self.client.event(pvc, type_, reason, message)
        if (pvc.get("status") or {}).get("phase") != "Pending":
            self._claim_status(pvc, "Pending")

    # --- volumes --------------------------------------------------------------------------------------
    def sync_volume(self, name: str) -> None:
        pv = self.client.try_get("persistentvolumes", name)
        if pv is None:
            return
        ref = pv["spec"].get("claimRef")
        phase = (pv.get("status") or {}).get("phase")
        if objects.is_being_deleted(pv):
            if phase != "Bound" or ref is None:
                self._remove_finalizer(pv)
            return
        if not ref:
            if phase != "Available":
                pv["status"] = {"phase": "Available", "lastPhaseTransitionTime": self.client.now()}
                self.client.update_status(pv)
            return
        claim = self.client.try_get("persistentvolumeclaims", ref.get("name", ""), ref.get("namespace"))
        if not ref.get("uid"):
            return  # pre-bound by its author: waits for that claim
        if claim is not None and objects.uid(claim) == ref.get("uid"):
            if claim["spec"].get("volumeName") == name and phase != "Bound":
                pv["status"] = {"phase": "Bound", "lastPhaseTransitionTime": self.client.now()}
                self.client.update_status(pv)
            return
        # The claim is gone: the volume is Released, then reclaimed by its policy.
        if phase not in ("Released", "Failed"):
            pv["status"] = {"phase": "Released", "lastPhaseTransitionTime": self.client.now()}
            pv = self.client.update_status(pv)
        if (pv["spec"].get("persistentVolumeReclaimPolicy") or "Retain") == "Delete":
            try:
                self.client.delete("persistentvolumes", name)
            except StatusError:
                pass

    def _remove_finalizer(self, pv: dict) -> None:
        finalizers = [f for f in pv["metadata"].get("finalizers") or [] if f != "kubernetes.io/pv-protection"]
        if finalizers != (pv["metadata"].get("finalizers") or []):
            pv["metadata"]["finalizers"] = finalizers
            try:
                self.client.update(pv)
            except StatusError:
                pass
