"""Horizontal Pod Autoscaler (pkg/controller/podautoscaler/horizontal.go, replica_calculator.go).

CPU utilization only: every 15 s (the controller's sync period) each HPA
reads per-Pod CPU usage, computes utilization against the Pods' CPU
requests, and proposes ``ceil(ratio * ready Pods)`` unless the ratio is
within the 10% tolerance. Missing and unready Pods are counted as upstream
does (missing: 100% on scale-down, 0% on scale-up; unready: 0% on
scale-up). Scale-down is stabilized over 5 minutes (the highest recent
recommendation wins); scale-up is limited to max(4 Pods, 100%) per 15 s.

Metrics protocol: ``metrics`` is any object with
``pod_metrics(namespace, name) -> {container: {"cpu": millicores, "memory": bytes}} | None``
(None when the Pod has no running container), as metrics-server serves
them; the cluster sets it to the kubelets' NodeAgents. Left out: memory,
Pods/Object/External metrics, custom behavior policies, the v1
conditions annotation.
"""

from __future__ import annotations

import math
from typing import Protocol

from kubenb.api import Client, objects, quantity, resources, selectors
from kubenb.api.errors import StatusError
from kubenb.controllers import _util
from kubenb.reconcile import ObjectKey, Result, for_

SYNC_PERIOD = 15.0
TOLERANCE = 0.1
DOWNSCALE_STABILIZATION = 300.0
UTILIZATION_REASON = "cpu resource utilization (percentage of request)"


class MetricsSource(Protocol):
    def pod_metrics(self, namespace: str, name: str) -> dict[str, dict[str, int]] | None: ...


def _cpu_millis(value: object) -> int:
    try:
        return quantity.parse(str(value)).milli_value()
    except Exception:  # noqa: BLE001 - malformed quantities were rejected at admission; be safe
        return 0


def target_utilization(hpa: dict) -> int | None:
    spec = hpa.get("spec") or {}
    if "targetCPUUtilizationPercentage" in spec or hpa.get("apiVersion") == "autoscaling/v1":
        value = spec.get("targetCPUUtilizationPercentage")
        return 80 if value is None else int(value)
    for metric in spec.get("metrics") or [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]:
        resource = metric.get("resource") or {}
        target = resource.get("target") or {}
        if metric.get("type") == "Resource" and resource.get("name") == "cpu" and target.get("type") == "Utilization":
            return int(target.get("averageUtilization", 80))
    return None


def desired_replicas(current: int, target: int, pods: list[dict], usage: dict[str, int]) -> tuple[int, int]:
    """GetResourceReplicas: (replicas, utilization %) from Pods and their CPU usage (millicores by Pod name)."""
    requests: dict[str, int] = {}
    ready: list[str] = []
    unready: list[str] = []
    missing: list[str] = []
    for pod in pods:
        name = objects.name(pod)
        if objects.is_being_deleted(pod) or pod.get("status", {}).get("phase") == "Failed":
            continue
        total = 0
        for container in pod["spec"].get("containers") or []:
            request = ((container.get("resources") or {}).get("requests") or {}).get("cpu")
            if request is None:
                raise ValueError(f"missing request for cpu in container {container.get('name')} of Pod {name}")
            total += _cpu_millis(request)
        requests[name] = total
        if pod.get("status", {}).get("phase") == "Pending":
            unready.append(name)
        elif name not in usage:
            missing.append(name)
        elif not _util.is_pod_ready(pod):
            unready.append(name)
        else:
            ready.append(name)
    metrics = {n: usage[n] for n in ready}
    if not metrics:
        raise LookupError("no metrics returned from resource metrics API")

    def ratio_of(m: dict[str, int]) -> tuple[float, int]:
        utilization = sum(m.values()) * 100 // sum(requests[n] for n in m)
        return utilization / target, utilization

    ratio, utilization = ratio_of(metrics)
    scale_up_with_unready = bool(unready) and ratio > 1.0
    if not scale_up_with_unready and not missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return current, utilization
        return math.ceil(ratio * len(ready)), utilization
    for name in missing:
        if ratio < 1.0:
            metrics[name] = requests[name]
        elif ratio > 1.0:
            metrics[name] = 0
    if scale_up_with_unready:
        for name in unready:
            metrics[name] = 0
    new_ratio, _ = ratio_of(metrics)
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (ratio > 1.0 > new_ratio):
        return current, utilization
    replicas = math.ceil(new_ratio * len(metrics))
    if (new_ratio < 1.0 and replicas > current) or (new_ratio > 1.0 and replicas < current):
        return current, utilization
    return replicas, utilization


class HorizontalController:
    name = "horizontal-pod-autoscaler"

    def __init__(self, client: Client) -> None:
        self.client = client.for_component(self.name)
        self.metrics: MetricsSource | None = None
        self.watches = [for_("horizontalpodautoscalers")]
        # (time, recommendation) per HPA, for the scale-down stabilization window (in memory, as upstream).
        self.recommendations: dict[str, list[tuple[float, int]]] = {}
        self.scale_ups: dict[str, list[tuple[float, int]]] = {}
        self.last_sync: dict[str, float] = {}

    def state(self) -> dict:
        return {"recommendations": self.recommendations, "scale_ups": self.scale_ups, "last_sync": self.last_sync}

    def set_state(self, state: dict) -> None:
        self.recommendations = objects.clone(state["recommendations"])
        self.scale_ups = objects.clone(state["scale_ups"])
        self.last_sync = dict(state.get("last_sync", {}))

    def reconcile(self, key: ObjectKey) -> Result:
        hpa = self.client.try_get("horizontalpodautoscalers", key.name, key.namespace)
        if hpa is None:
            self.recommendations.pop(f"{key.namespace}/{key.name}", None)
            self.last_sync.pop(f"{key.namespace}/{key.name}", None)
            return Result()
        # Upstream requeues HPAs on a fixed 15 s interval, so its own status writes do not re-run it.
        hpa_key = f"{key.namespace}/{key.name}"
        now = self.client.clock.now()
        last = self.last_sync.get(hpa_key)
        if last is not None and now < last + SYNC_PERIOD:
            return Result(requeue_after=last + SYNC_PERIOD - now)
        self.last_sync[hpa_key] = now
        self.reconcile_autoscaler(hpa)
        return Result(requeue_after=SYNC_PERIOD)

    def _condition(self, status: dict, type_: str, value: str, reason: str, message: str) -> None:
        _util.set_condition(status, {"type": type_, "status": value, "lastTransitionTime": self.client.now(),
                                     "reason": reason, "message": message})

    def reconcile_autoscaler(self, hpa: dict) -> None:
        client = self.client
        ns = objects.namespace(hpa)
        spec = hpa.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        v1 = hpa.get("apiVersion") == "autoscaling/v1"
        status = objects.clone(hpa.get("status") or {})
        status.setdefault("desiredReplicas", 0)
        rtype = resources.for_api_version_kind(ref.get("apiVersion", ""), ref.get("kind", ""))
        target = None if rtype is None else client.try_get(rtype, ref.get("name", ""), ns)
        if target is None:
            message = (f'the HPA controller was unable to get the target\'s current scale: '
                       f'{(rtype.group_resource if rtype else ref.get("kind", "").lower() + "s")} '
                       f'"{ref.get("name", "")}" not found')
            self._condition(status, "AbleToScale", "False", "FailedGetScale", message)
            client.event(hpa, "Warning", "FailedGetScale", message.split(": ", 1)[1])
            return self._write(hpa, status, v1)
        current = int((target.get("status") or {}).get("replicas", 0))
        wanted = int(target["spec"].get("replicas", 1) if target["spec"].get("replicas") is not None else 1)
        status["currentReplicas"] = current
        self._condition(status, "AbleToScale", "True", "SucceededGetScale",
                        "the HPA controller was able to get the target's current scale")
        if wanted == 0:
            status["desiredReplicas"] = 0
            self._condition(status, "ScalingActive", "False", "ScalingDisabled",
                            "scaling is disabled since the replica count of the target is zero")
            return self._write(hpa, status, v1)
        goal = target_utilization(hpa)
        selector = selectors.from_label_selector(target["spec"].get("selector"))
        pods = [p for p in client.list_view("pods", ns) if selector.matches(objects.labels(p))]
        usage: dict[str, int] = {}
        for pod in pods:
            sample = self.metrics.pod_metrics(ns or "default", objects.name(pod)) if self.metrics else None
            if sample:
                usage[objects.name(pod)] = sum(int(c.get("cpu", 0)) for c in sample.values())
        try:
            if goal is None:
                raise LookupError("no cpu utilization metric")
            proposal, utilization = desired_replicas(current, goal, pods, usage)
        except (ValueError, LookupError) as error:
            detail = str(error)
            message = (f"the HPA was unable to compute the replica count: failed to get cpu utilization: "
                       f"{'unable to get metrics for resource cpu: ' if isinstance(error, LookupError) else ''}"
                       f"{detail}")
            self._condition(status, "ScalingActive", "False", "FailedGetResourceMetric", message)
            client.event(hpa, "Warning", "FailedGetResourceMetric", message.split(": ", 1)[1])
            return self._write(hpa, status, v1)
        self._condition(status, "ScalingActive", "True", "ValidMetricFound",
                        f"the HPA was able to successfully calculate a replica count from {UTILIZATION_REASON}")
        average = sum(usage.values()) // max(1, len(usage))
        if v1:
            status["currentCPUUtilizationPercentage"] = utilization
        else:
            status["currentMetrics"] = [{"type": "Resource", "resource": {"name": "cpu", "current": {
                "averageUtilization": utilization, "averageValue": f"{average}m"}}}]
        desired = self.normalize(hpa, wanted, proposal, status)
        status["desiredReplicas"] = desired
        if desired != wanted:
            direction = "above" if desired > wanted else "below"
            reason = (f"{UTILIZATION_REASON} {direction} target" if desired > wanted
                      else "All metrics below target")
            try:
                client.mutate(rtype, objects.name(target), ns, lambda t: t["spec"].__setitem__("replicas", desired))
            except StatusError as error:
                self._condition(status, "AbleToScale", "False", "FailedUpdateScale",
                                f"the HPA controller was unable to update the target scale: {error.message}")
                return self._write(hpa, status, v1)
            client.event(hpa, "Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
            status["lastScaleTime"] = client.now()
            self._condition(status, "AbleToScale", "True", "SucceededRescale",
                            f"the HPA controller was able to update the target scale to {desired}")
        return self._write(hpa, status, v1)

    def normalize(self, hpa: dict, current: int, proposal: int, status: dict) -> int:
        """normalizeDesiredReplicasWithBehaviors (default behavior): stabilize, rate-limit, clamp."""
        key = f"{objects.namespace(hpa)}/{objects.name(hpa)}"
        now = self.client.clock.now()
        spec = hpa.get("spec") or {}
        low = int(spec.get("minReplicas", 1) if spec.get("minReplicas") is not None else 1)
        high = int(spec.get("maxReplicas", 1))
        # A new HPA starts its window with the current size, so it cannot scale down at once.
        history = [r for r in self.recommendations.setdefault(key, [(now, current)])
                   if r[0] > now - DOWNSCALE_STABILIZATION]
        history.append((now, proposal))
        self.recommendations[key] = history
        stabilized = proposal
        if proposal < current:
            stabilized = min(current, max(r for _, r in history))
        if stabilized != proposal:
            self._condition(status, "AbleToScale", "True", "ScaleDownStabilized",
                            "recent recommendations were higher than current one, applying the highest recent "
                            "recommendation")
        else:
            self._condition(status, "AbleToScale", "True", "ReadyForNewScale",
                            "recommended size matches current size")
        # Default scale-up policy: at most max(4 Pods, 100%) more per 15 s.
        limit = max(current + 4, current * 2)
        desired = min(stabilized, limit) if stabilized > current else stabilized
        if desired < low:
            self._condition(status, "ScalingLimited", "True", "TooFewReplicas",
                            "the desired replica count is less than the minimum replica count")
            return low
        if desired > high:
            self._condition(status, "ScalingLimited", "True", "TooManyReplicas",
                            "the desired replica count is more than the maximum replica count")
            return high
        if desired != stabilized:
            self._condition(status, "ScalingLimited", "True", "ScaleUpLimit",
                            "the desired replica count is increasing faster than the maximum scale rate")
        else:
            self._condition(status, "ScalingLimited", "False", "DesiredWithinRange",
                            "the desired count is within the acceptable range")
        return desired

    def _write(self, hpa: dict, status: dict, v1: bool) -> None:
        if v1:
            status.pop("conditions", None)  # v1 keeps them in an annotation, left out here
        if status != (hpa.get("status") or {}):
            hpa["status"] = status
            try:
                self.client.update_status(hpa)
            except StatusError:
                pass
