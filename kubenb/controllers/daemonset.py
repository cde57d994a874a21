"""DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go, util/daemonset_util.go).

One Pod ``<ds>-<5>`` per eligible Node: nodeSelector, required node
affinity and taints (NoSchedule / NoExecute) against the Pod's tolerations
plus the default daemon tolerations. Each Pod gets a required node
affinity on ``metadata.name`` (matchFields) so the default scheduler binds
it to its Node. RollingUpdate replaces old-revision Pods up to
maxUnavailable at a time. Each distinct template is kept as a ControllerRevision
``<ds>-<hash>`` (constructHistory, dedupCurHistories, cleanupHistory down to
revisionHistoryLimit); Pods carry its hash. Left out: maxSurge, status conditions.
"""

from __future__ import annotations

from kubenb.api import Client, objects
from kubenb.api.errors import StatusError
from kubenb.controllers import _util, history
from kubenb.reconcile import ObjectKey, Result, for_, map_to

REVISION_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"

DAEMON_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]
HOST_NETWORK_TOLERATION = {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    for tol in tolerations:
        if tol.get("effect") and tol["effect"] != taint.get("effect"):
            continue
        if tol.get("operator") == "Exists":
            if not tol.get("key") or tol["key"] == taint.get("key"):
                return True
        elif tol.get("key") == taint.get("key") and tol.get("value", "") == taint.get("value", ""):
            return True
    return False


def _match_node_term(term: dict, node: dict) -> bool:
    labels = objects.labels(node)
    for expr in term.get("matchExpressions") or []:
        value = labels.get(expr["key"])
        op, values = expr.get("operator"), expr.get("values") or []
        ok = {"In": value in values, "NotIn": value not in values, "Exists": value is not None,
              "DoesNotExist": value is None}.get(op)
        if op in ("Gt", "Lt"):
            ok = value is not None and value.isdigit() and values and (
                int(value) > int(values[0]) if op == "Gt" else int(value) < int(values[0]))
        if not ok:
            return False
    for expr in term.get("matchFields") or []:
        if expr.get("key") == "metadata.name":
            inside = objects.name(node) in (expr.get("values") or [])
            if inside != (expr.get("operator") == "In"):
                return False
    return True


def node_should_run_daemon_pod(node: dict, template_spec: dict) -> bool:
    labels = objects.labels(node)
    for key, value in (template_spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    required = objects.get_path(template_spec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
    if required and not any(_match_node_term(t, node) for t in required.get("nodeSelectorTerms") or []):
        return False
    tolerations = list(template_spec.get("tolerations") or []) + DAEMON_TOLERATIONS
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerates(tolerations, taint):
            return False
    return True


class DaemonSetController:
    name = "daemonset-controller"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.watches = [for_("daemonsets"), map_to("pods", _util.owner_key("daemonsets", "DaemonSet"), metadata_keys=True),
                        map_to("controllerrevisions", _util.owner_key("daemonsets", "DaemonSet"), metadata_keys=True),
                        map_to("nodes", self._all_daemonsets)]

    def _all_daemonsets(self, _node: dict) -> list[ObjectKey]:
        return [ObjectKey("daemonsets", objects.namespace(d), objects.name(d))
                for d in self.client.list_view("daemonsets", None)]

    def reconcile(self, key: ObjectKey) -> Result:
        ds = self.client.try_get("daemonsets", key.name, key.namespace)
        if ds is None or objects.is_being_deleted(ds):
            return Result()
        self.sync_daemon_set(ds)
        return Result()

    def _new_pod(self, ds: dict, node_name: str, revision: str) -> dict:
        pod = _util.pod_from_template(ds["spec"].get("template") or {}, ds)
        labels = pod["metadata"].setdefault("labels", {})
        labels[REVISION_LABEL] = revision
        labels[GENERATION_LABEL] = str(ds["metadata"].get("generation", 1))
        spec = pod["spec"]
        affinity = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
        affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}
        tolerations = list(spec.get("tolerations") or [])
        extra = DAEMON_TOLERATIONS + ([HOST_NETWORK_TOLERATION] if spec.get("hostNetwork") else [])
        for tol in extra:
            if not any(t.get("key") == tol["key"] and t.get("effect") == tol["effect"] for t in tolerations):
                tolerations.append(dict(tol))
        spec["tolerations"] = tolerations
        return pod

    def sync_daemon_set(self, ds: dict) -> None:
        client = self.client
        ns = objects.namespace(ds)
        built = self.construct_history(ds)
        if built is None:
            return
        cur, old = built
        revision = objects.labels(cur).get(REVISION_LABEL) or ""
        pods = _util.claim(client, ds, _util.claim_candidates(client, "pods", ns or "", objects.uid(ds)), "pods")
        template_spec = objects.get_path(ds, "spec.template.spec") or {}
        nodes = client.list_view("nodes")
        by_node: dict[str, list[dict]] = {}
        for pod in pods:
            target = _target_node(pod)
            by_node.setdefault(target, []).append(pod)
        eligible = [objects.name(n) for n in nodes if node_should_run_daemon_pod(n, template_spec)]
        misscheduled = 0
        for node_name in eligible:
            live = [p for p in by_node.get(node_name, []) if _util.is_pod_active(p)]
            failed = [p for p in by_node.get(node_name, []) if p.get("status", {}).get("phase") == "Failed"
                      and not objects.is_being_deleted(p)]
            for pod in failed:
                self._delete(ds, pod)
            if not live and not any(objects.is_being_deleted(p) for p in by_node.get(node_name, [])):
                try:
                    made = client.create(self._new_pod(ds, node_name, revision))
                    client.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {objects.name(made)}")
                except StatusError as error:
                    client.event(ds, "Warning", "FailedCreate", f"Error creating: {error.message}")
            for extra in live[1:]:
                self._delete(ds, extra)
        for node_name, node_pods in sorted(by_node.items()):
            if node_name in eligible:
                continue
            for pod in node_pods:
                if _util.is_pod_active(pod):
                    if pod["spec"].get("nodeName"):
                        misscheduled += 1
                    self._delete(ds, pod)
        strategy = ds["spec"].get("updateStrategy") or {}
        if (strategy.get("type") or "RollingUpdate") == "RollingUpdate":
            self._rolling_update(ds, revision, eligible)
        self.cleanup_history(ds, old)
        self._status(ds, revision, eligible, misscheduled)

    # --- history (update.go) ----------------------------------------------------------------------------

    def construct_history(self, ds: dict) -> tuple[dict, list[dict]] | None:
        """constructHistory: the revision matching the template (created or renumbered) and the old ones."""
        data = history.get_patch(ds)
        current: list[dict] = []
        old: list[dict] = []
        for rev in history.controlled_revisions(self.client, ds):
            if REVISION_LABEL not in objects.labels(rev):
                rev = self.client.mutate("controllerrevisions", objects.name(rev), objects.namespace(rev),
                                         lambda r: r["metadata"].setdefault("labels", {}).__setitem__(
                                             REVISION_LABEL, objects.name(r)))
            (current if history.data_equal(rev, data) else old).append(rev)
        next_revision = history.max_revision(old) + 1
        if not current:
            cur = self.snapshot(ds, data, next_revision)
            if cur is None:
                return None
        else:
            cur = self.dedup_cur_histories(ds, current)
            if int(cur.get("revision") or 0) < next_revision:
                cur = self.client.mutate("controllerrevisions", objects.name(cur), objects.namespace(cur),
                                         lambda r: r.__setitem__("revision", next_revision))
        return cur, old

    def snapshot(self, ds: dict, data: dict, revision: int) -> dict | None:
        collision_count = (ds.get("status") or {}).get("collisionCount")
        hash_ = _util.compute_hash(ds["spec"].get("template") or {}, collision_count)
        rev = history.new_controller_revision(ds, data, revision, hash_, objects.annotations(ds))
        try:
            return self.client.create(rev)
        except StatusError as error:
            if error.reason != "AlreadyExists":
                raise
        existing = self.client.try_get("controllerrevisions", objects.name(rev), objects.namespace(ds))
        if existing is not None and history.data_equal(existing, data):
            return existing
        # A different template hashed to the same name: bump collisionCount; the status update requeues us.
        status = dict(ds.get("status") or {})
        status["collisionCount"] = int(collision_count or 0) + 1
        ds["status"] = status
        self.client.update_status(ds)
        return None

    def dedup_cur_histories(self, ds: dict, current: list[dict]) -> dict:
        """dedupCurHistories: keep the highest revision, relabel Pods of the others, delete the others."""
        keep = current[0]
        for rev in current:
            if int(rev.get("revision") or 0) >= int(keep.get("revision") or 0):
                keep = rev
        keep_hash = objects.labels(keep).get(REVISION_LABEL)
        for rev in current:
            if objects.name(rev) == objects.name(keep):
                continue
            for pod in self._owned(ds):
                if objects.labels(pod).get(REVISION_LABEL) != keep_hash:
                    self.client.mutate("pods", objects.name(pod), objects.namespace(pod),
                                       lambda p: p["metadata"].setdefault("labels", {}).__setitem__(
                                           REVISION_LABEL, keep_hash))
            try:
                self.client.delete("controllerrevisions", objects.name(rev), objects.namespace(rev))
            except StatusError:
                pass
        return keep

    def cleanup_history(self, ds: dict, old: list[dict]) -> None:
        """cleanupHistory: delete the oldest unused revisions beyond revisionHistoryLimit."""
        limit = ds["spec"].get("revisionHistoryLimit")
        to_kill = len(old) - (10 if limit is None else int(limit))
        if to_kill <= 0:
            return
        live = {objects.labels(p).get(REVISION_LABEL) for p in self._owned(ds)}
        for rev in sorted(old, key=history.revision_sort_key):
            if to_kill <= 0:
                break
            if objects.labels(rev).get(REVISION_LABEL) in live:
                continue
            try:
                self.client.delete("controllerrevisions", objects.name(rev), objects.namespace(rev))
            except StatusError:
                pass
            to_kill -= 1

    def _delete(self, ds: dict, pod: dict) -> None:
        try:
            self.client.delete("pods", objects.name(pod), objects.namespace(pod))
            self.client.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {objects.name(pod)}")
        except StatusError:
            pass

    def _owned(self, ds: dict) -> list[dict]:
        return self.client.controlled_view("pods", objects.namespace(ds) or "", objects.uid(ds))

    def _rolling_update(self, ds: dict, revision: str, eligible: list[str]) -> None:
        max_unavailable = _util.scaled_value(
            ((ds["spec"].get("updateStrategy") or {}).get("rollingUpdate") or {}).get("maxUnavailable"),
            len(eligible), True, 1) or 1
        pods = [p for p in self._owned(ds) if _util.is_pod_active(p)]
        unavailable = sum(1 for n in eligible if not any(_target_node(p) == n and _util.is_pod_ready(p) for p in pods))
        budget = max_unavailable - unavailable
        for pod in sorted(pods, key=lambda p: _target_node(p)):
            if objects.labels(pod).get(REVISION_LABEL) == revision:
                continue
            if not _util.is_pod_ready(pod):
                self._delete(ds, pod)
            elif budget > 0:
                self._delete(ds, pod)
                budget -= 1

    def _status(self, ds: dict, revision: str, eligible: list[str], misscheduled: int) -> None:
        pods = [p for p in self._owned(ds) if _util.is_pod_active(p)]
        on_eligible = [p for p in pods if _target_node(p) in eligible]
        nodes_with = {_target_node(p) for p in on_eligible}
        ready_nodes = {_target_node(p) for p in on_eligible if _util.is_pod_ready(p)}
        updated = {_target_node(p) for p in on_eligible if objects.labels(p).get(REVISION_LABEL) == revision}
        status = {"currentNumberScheduled": len(nodes_with), "numberMisscheduled": misscheduled,
                  "desiredNumberScheduled": len(eligible), "numberReady": len(ready_nodes),
                  "observedGeneration": ds["metadata"].get("generation", 1),
                  "updatedNumberScheduled": len(updated), "numberAvailable": len(ready_nodes),
                  "numberUnavailable": len(eligible) - len(ready_nodes)}
        for key in ("updatedNumberScheduled", "numberAvailable", "numberUnavailable"):
            if not status[key]:
                status.pop(key)
        old = ds.get("status") or {}
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if status != old:
            ds["status"] = status
            self.client.update_status(ds)


def _target_node(pod: dict) -> str:
    if pod.get("spec", {}).get("nodeName"):
        return pod["spec"]["nodeName"]
    terms = objects.get_path(pod, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution") or {}
    for term in terms.get("nodeSelectorTerms") or []:
        for expr in term.get("matchFields") or []:
            if expr.get("key") == "metadata.name" and expr.get("values"):
                return expr["values"][0]
    return ""
