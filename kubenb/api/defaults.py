"""Defaulting as a v1.33 API server applies it before storing an object.

Mirrors the SetDefaults_* functions of pkg/apis/{core,apps,batch,networking,
autoscaling}/v1*/defaults.go, plus the defaulting admission plugins that
every kubeadm cluster runs on Pods (ServiceAccount's name, Priority,
DefaultTolerationSeconds). Also the serializer's ``creationTimestamp: null``
that v1.33 prints in every embedded template's metadata.

Left out: the ServiceAccount plugin's projected token volume (needs a random
name: see ``service_account_volume``), LimitRanger defaults, RuntimeClass
overhead, and ClusterIP/NodePort allocation (the network layer's plugin).
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.api import quantity
from kubenb.api.resources import ResourceType


def _set(obj: dict, key: str, value: object) -> None:
    if obj.get(key) is None:
        obj[key] = value


def canonical_quantity(value: object) -> object:
    """What a Quantity reads back as after a round trip through the apiserver ("0.5" -> "500m")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return value
    try:
        return str(quantity.parse(value if isinstance(value, str) else repr(value)))
    except quantity.QuantityError:
        return value


# --- core/v1: containers and pod specs ----------------------------------------------------------

def _image_pull_policy(image: str) -> str:
    """Always for ``:latest`` or no tag (a digest counts as a tag), else IfNotPresent."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def _default_handler(handler: dict | None) -> None:
    if not isinstance(handler, dict):
        return
    http = handler.get("httpGet")
    if isinstance(http, dict):
        _set(http, "path", "/")
        _set(http, "scheme", "HTTP")
    grpc = handler.get("grpc")
    if isinstance(grpc, dict):
        _set(grpc, "service", "")


def _default_probe(probe: dict | None) -> None:
    if not isinstance(probe, dict):
        return
    _set(probe, "timeoutSeconds", 1)
    _set(probe, "periodSeconds", 10)
    _set(probe, "successThreshold", 1)
    _set(probe, "failureThreshold", 3)
    _default_handler(probe)


def default_container(container: dict, *, host_network: bool = False) -> None:
    if not isinstance(container, dict):
        return
    image = container.get("image")
    if isinstance(image, str) and image:
        _set(container, "imagePullPolicy", _image_pull_policy(image))
    _set(container, "terminationMessagePath", "/dev/termination-log")
    _set(container, "terminationMessagePolicy", "File")
    _set(container, "resources", {})
    for port in container.get("ports") or []:
        if isinstance(port, dict):
            _set(port, "protocol", "TCP")
            if host_network and port.get("hostPort") is None and port.get("containerPort") is not None:
                port["hostPort"] = port["containerPort"]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(container.get(probe))
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        _default_handler(lifecycle.get("postStart"))
        _default_handler(lifecycle.get("preStop"))
    for env in container.get("env") or []:
        ref = ((env or {}).get("valueFrom") or {}).get("fieldRef") if isinstance(env, dict) else None
        if isinstance(ref, dict):
            _set(ref, "apiVersion", "v1")
    # SetDefaults_Pod: requests default to limits.
    resources = container.get("resources")
    if isinstance(resources, dict):
        for kind in ("limits", "requests"):
            if isinstance(resources.get(kind), dict):
                resources[kind] = {name: canonical_quantity(value) for name, value in resources[kind].items()}
    if isinstance(resources, dict) and isinstance(resources.get("limits"), dict):
        requests = resources.get("requests")
        if not isinstance(requests, dict):
            requests = {}
        for name, value in resources["limits"].items():
            requests.setdefault(name, value)
        if requests:
            resources["requests"] = requests


def _default_volume(volume: dict) -> None:
    if not isinstance(volume, dict):
        return
    sources = [k for k in volume if k != "name"]
    if not sources:
        volume["emptyDir"] = {}
    for key in ("configMap", "secret", "downwardAPI", "projected"):
        source = volume.get(key)
        if isinstance(source, dict):
            _set(source, "defaultMode", 420)
            if key == "downwardAPI":
                for item in source.get("items") or []:
                    ref = (item or {}).get("fieldRef")
                    if isinstance(ref, dict):
                        _set(ref, "apiVersion", "v1")
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict):
        _set(host_path, "type", "")


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec (+ the container, volume and probe defaulters it triggers)."""
    if not isinstance(spec, dict):
        return
    _set(spec, "dnsPolicy", "ClusterFirst")
    _set(spec, "restartPolicy", "Always")
    _set(spec, "securityContext", {})
    _set(spec, "terminationGracePeriodSeconds", 30)
    _set(spec, "schedulerName", "default-scheduler")
    _set(spec, "enableServiceLinks", True)
    host_network = bool(spec.get("hostNetwork"))
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or []:
            default_container(container, host_network=host_network)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)


def default_pod_template(template: dict) -> None:
    if not isinstance(template, dict):
        return
    metadata = template.get("metadata")
    if not isinstance(metadata, dict):
        metadata = template["metadata"] = {}
    # metav1.Time without omitempty: v1.33 serialises an unset template timestamp as null.
    metadata.setdefault("creationTimestamp", None)
    default_pod_spec(template.setdefault("spec", {}))


_DEFAULT_TOLERATIONS = (("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300))


def default_pod(pod: dict) -> None:
    """SetDefaults_Pod + PodSpec, and the ServiceAccount, Priority and DefaultTolerationSeconds plugins."""
    spec = pod.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    default_pod_spec(spec)
    # ServiceAccount admission: the namespace's "default" account; serviceAccount is its deprecated twin.
    # Mirror (static) Pods are left without one, as the plugin leaves them.
    mirror = "kubernetes.io/config.mirror"
    if not spec.get("serviceAccountName"):
        if spec.get("serviceAccount"):
            spec["serviceAccountName"] = spec["serviceAccount"]
        elif mirror not in ((pod.get("metadata") or {}).get("annotations") or {}):
            spec["serviceAccountName"] = "default"
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    # Priority admission with no PriorityClass named: priority 0, preemption policy from the default.
    if not spec.get("priorityClassName"):
        _set(spec, "priority", 0)
    _set(spec, "preemptionPolicy", "PreemptLowerPriority")
    # DefaultTolerationSeconds: tolerate not-ready/unreachable for 300s unless the pod says otherwise.
    tolerations = spec.get("tolerations")
    if not isinstance(tolerations, list):
        tolerations = []
    for key, seconds in _DEFAULT_TOLERATIONS:
        if any(isinstance(t, dict) and t.get("key") == key and t.get("effect") in (None, "", "NoExecute")
               for t in tolerations):
            continue
        tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": seconds})
    spec["tolerations"] = tolerations


# --- core/v1: other kinds ----------------------------------------------------------------------

def default_service(svc: dict) -> None:
    spec = svc.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "type", "ClusterIP")
    _set(spec, "sessionAffinity", "None")
    if spec.get("sessionAffinity") == "ClientIP":
        config = spec.setdefault("sessionAffinityConfig", {})
        client_ip = config.setdefault("clientIP", {})
        _set(client_ip, "timeoutSeconds", 10800)
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        _set(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, "") and port.get("port") is not None:
            port["targetPort"] = port["port"]
    kind = spec.get("type")
    if kind in ("NodePort", "LoadBalancer"):
        _set(spec, "externalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        _set(spec, "allocateLoadBalancerNodePorts", True)
    if kind != "ExternalName":
        _set(spec, "internalTrafficPolicy", "Cluster")
        # The registry's IP-family defaulting on a single-stack IPv4 cluster.
        _set(spec, "ipFamilies", ["IPv4"])
        _set(spec, "ipFamilyPolicy", "SingleStack")


def default_namespace(ns: dict) -> None:
    md = ns.setdefault("metadata", {})
    name = md.get("name")
    if isinstance(name, str) and name:
        labels = md.get("labels")
        if not isinstance(labels, dict):
            labels = md["labels"] = {}
        labels["kubernetes.io/metadata.name"] = name
    spec = ns.get("spec")
    if not isinstance(spec, dict):
        spec = ns["spec"] = {}
    _set(spec, "finalizers", ["kubernetes"])
    status = ns.get("status")
    if not isinstance(status, dict):
        status = ns["status"] = {}
    _set(status, "phase", "Active")


def default_secret(secret: dict) -> None:
    _set(secret, "type", "Opaque")


def default_pvc(pvc: dict) -> None:
    spec = pvc.setdefault("spec", {})
    if isinstance(spec, dict):
        _set(spec, "volumeMode", "Filesystem")
    status = pvc.get("status")
    if not isinstance(status, dict) or not status.get("phase"):
        pvc["status"] = {**(status if isinstance(status, dict) else {}), "phase": "Pending"}


def default_pv(pv: dict) -> None:
    spec = pv.setdefault("spec", {})
    if isinstance(spec, dict):
        _set(spec, "persistentVolumeReclaimPolicy", "Retain")
        _set(spec, "volumeMode", "Filesystem")
    status = pv.get("status")
    if not isinstance(status, dict) or not status.get("phase"):
        pv["status"] = {**(status if isinstance(status, dict) else {}), "phase": "Pending"}


def default_replication_controller(rc: dict) -> None:
    spec = rc.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    template = spec.get("template")
    labels = (template or {}).get("metadata", {}).get("labels") if isinstance(template, dict) else None
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        md = rc.setdefault("metadata", {})
        if not md.get("labels"):
            md["labels"] = dict(labels)
    _set(spec, "replicas", 1)
    if isinstance(template, dict):
        default_pod_template(template)


def default_endpoints(ep: dict) -> None:
    for subset in ep.get("subsets") or []:
        for port in (subset or {}).get("ports") or []:
            if isinstance(port, dict):
                _set(port, "protocol", "TCP")


# --- apps/v1 ----------------------------------------------------------------------------------------

def default_deployment(dep: dict) -> None:
    spec = dep.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "replicas", 1)
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    _set(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        _set(rolling, "maxUnavailable", "25%")
        _set(rolling, "maxSurge", "25%")
    _set(spec, "revisionHistoryLimit", 10)
    _set(spec, "progressDeadlineSeconds", 600)
    default_pod_template(spec.setdefault("template", {}))


def default_replica_set(rs: dict) -> None:
    spec = rs.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "replicas", 1)
    default_pod_template(spec.setdefault("template", {}))


def default_daemon_set(ds: dict) -> None:
    spec = ds.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    _set(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        _set(rolling, "maxUnavailable", 1)
        _set(rolling, "maxSurge", 0)
    _set(spec, "revisionHistoryLimit", 10)
    default_pod_template(spec.setdefault("template", {}))


def default_stateful_set(sts: dict) -> None:
    spec = sts.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "podManagementPolicy", "OrderedReady")
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if not isinstance(strategy.get("rollingUpdate"), dict):
            strategy["rollingUpdate"] = {}
    if strategy["type"] == "RollingUpdate" and isinstance(strategy.get("rollingUpdate"), dict):
        _set(strategy["rollingUpdate"], "partition", 0)
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(policy, dict):
        policy = spec["persistentVolumeClaimRetentionPolicy"] = {}
    _set(policy, "whenDeleted", "Retain")
    _set(policy, "whenScaled", "Retain")
    _set(spec, "replicas", 1)
    _set(spec, "revisionHistoryLimit", 10)
    default_pod_template(spec.setdefault("template", {}))
    for claim in spec.get("volumeClaimTemplates") or []:
        if isinstance(claim, dict):
            claim_spec = claim.setdefault("spec", {})
            if isinstance(claim_spec, dict):
                _set(claim_spec, "volumeMode", "Filesystem")
            claim.setdefault("metadata", {}).setdefault("creationTimestamp", None) if isinstance(
                claim.get("metadata", {}), dict) else None
            _set(claim, "status", {"phase": "Pending"})


# --- batch/v1 -----------------------------------------------------------------------------------

def default_job_spec(spec: dict) -> None:
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    _set(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    _set(spec, "completionMode", "NonIndexed")
    _set(spec, "suspend", False)
    policy = spec.get("podFailurePolicy")
    if isinstance(policy, dict):
        for rule in policy.get("rules") or []:
            for pattern in (rule or {}).get("onPodConditions") or []:
                if isinstance(pattern, dict):
                    _set(pattern, "status", "True")
    _set(spec, "podReplacementPolicy", "Failed" if isinstance(policy, dict) else "TerminatingOrFailed")


def default_job(job: dict) -> None:
    spec = job.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    default_job_spec(spec)
    template = spec.setdefault("template", {})
    labels = (template.get("metadata") or {}).get("labels") if isinstance(template, dict) else None
    md = job.setdefault("metadata", {})
    if labels and not md.get("labels"):
        md["labels"] = dict(labels)
    default_pod_template(template)


def generate_job_selector(job: dict) -> None:
    """The Job strategy's generateSelector: uid labels on the template, selector on the uid.

    Runs after the uid is assigned. A Job read back from storage is defaulted
    again, so a Job with no labels of its own then shows its template's.
    """
    spec = job.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("manualSelector") is True:
        return
    _set(spec, "manualSelector", False)
    md = job.get("metadata", {})
    uid, name = md.get("uid", ""), md.get("name", "")
    template = spec.setdefault("template", {})
    tmd = template.setdefault("metadata", {})
    labels = tmd.get("labels")
    if not isinstance(labels, dict):
        labels = tmd["labels"] = {}
    labels["batch.kubernetes.io/controller-uid"] = uid
    labels["batch.kubernetes.io/job-name"] = name
    labels["controller-uid"] = uid
    labels["job-name"] = name
    if not spec.get("selector"):
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    if not md.get("labels"):
        md["labels"] = dict(labels)


def default_cron_job(cj: dict) -> None:
    spec = cj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "concurrencyPolicy", "Allow")
    _set(spec, "suspend", False)
    _set(spec, "successfulJobsHistoryLimit", 3)
    _set(spec, "failedJobsHistoryLimit", 1)
    job_template = spec.setdefault("jobTemplate", {})
    if isinstance(job_template, dict):
        jmd = job_template.get("metadata")
        if not isinstance(jmd, dict):
            jmd = job_template["metadata"] = {}
        jmd.setdefault("creationTimestamp", None)
        job_spec = job_template.setdefault("spec", {})
        if isinstance(job_spec, dict):
            default_pod_template(job_spec.setdefault("template", {}))


# --- networking, autoscaling ----------------------------------------------------------------------

def default_network_policy(np: dict) -> None:
    spec = np.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    for direction in ("ingress", "egress"):
        for rule in spec.get(direction) or []:
            for port in (rule or {}).get("ports") or []:
                if isinstance(port, dict):
                    _set(port, "protocol", "TCP")
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def default_ingress_class(ic: dict) -> None:
    params = (ic.get("spec") or {}).get("parameters") if isinstance(ic.get("spec"), dict) else None
    if isinstance(params, dict):
        _set(params, "scope", "Cluster")


def _scale_rules(rules: dict | None, up: bool) -> dict:
    rules = dict(rules) if isinstance(rules, dict) else {}
    if up:
        _set(rules, "stabilizationWindowSeconds", 0)
        _set(rules, "policies", [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                 {"type": "Percent", "value": 100, "periodSeconds": 15}])
    else:
        _set(rules, "stabilizationWindowSeconds", 300)
        _set(rules, "policies", [{"type": "Percent", "value": 100, "periodSeconds": 15}])
    _set(rules, "selectPolicy", "Max")
    return rules


def default_hpa(hpa: dict) -> None:
    spec = hpa.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    _set(spec, "minReplicas", 1)
    if hpa.get("apiVersion") == "autoscaling/v1":
        return
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _scale_rules(behavior.get("scaleUp"), up=True)
        behavior["scaleDown"] = _scale_rules(behavior.get("scaleDown"), up=False)


def default_priority_class(pc: dict) -> None:
    """scheduling/v1 SetDefaults_PriorityClass."""
    _set(pc, "preemptionPolicy", "PreemptLowerPriority")


DEFAULTERS: dict[str, Callable[[dict], None]] = {
    "Pod": default_pod,
    "PodTemplate": lambda obj: default_pod_template(obj.setdefault("template", {})),
    "Service": default_service,
    "Namespace": default_namespace,
    "Secret": default_secret,
    "PersistentVolumeClaim": default_pvc,
    "PersistentVolume": default_pv,
    "ReplicationController": default_replication_controller,
    "Endpoints": default_endpoints,
    "Deployment": default_deployment,
    "ReplicaSet": default_replica_set,
    "DaemonSet": default_daemon_set,
    "StatefulSet": default_stateful_set,
    "Job": default_job,
    "CronJob": default_cron_job,
    "NetworkPolicy": default_network_policy,
    "IngressClass": default_ingress_class,
    "HorizontalPodAutoscaler": default_hpa,
    "PriorityClass": default_priority_class,
}


def apply_defaults(rtype: ResourceType, obj: dict) -> None:
    defaulter = DEFAULTERS.get(rtype.kind)
    if defaulter is not None:
        defaulter(obj)
