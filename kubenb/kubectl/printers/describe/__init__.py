"""kubectl describe's per-kind describers (kubectl pkg/describe/describe.go DescriberFor).

``describe(client, obj, show_events=True)`` returns the text kubectl prints
for one object. Kinds without a describer get the generic one.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenb.kubectl.printers.describe import cluster, network, pod, workloads
from kubenb.kubectl.printers.describe.writer import PrefixWriter, events_for

DESCRIBERS: dict[str, Callable] = {
    "Pod": lambda w, obj, events, now, client: pod.describe_pod(w, obj, events, now),
    "Deployment": workloads.describe_deployment,
    "ReplicaSet": workloads.describe_replica_set,
    "ReplicationController": workloads.describe_replica_set,
    "DaemonSet": workloads.describe_daemon_set,
    "StatefulSet": workloads.describe_stateful_set,
    "Job": workloads.describe_job,
    "CronJob": workloads.describe_cron_job,
    "HorizontalPodAutoscaler": workloads.describe_hpa,
    "Service": network.describe_service,
    "Endpoints": network.describe_endpoints,
    "EndpointSlice": network.describe_endpoint_slice,
    "Ingress": network.describe_ingress,
    "Node": cluster.describe_node,
    "ResourceQuota": cluster.describe_resource_quota,
    "LimitRange": cluster.describe_limit_range,
    "Namespace": cluster.describe_namespace,
    "ConfigMap": cluster.describe_config_map,
    "Secret": cluster.describe_secret,
    "ServiceAccount": cluster.describe_service_account,
    "PersistentVolumeClaim": cluster.describe_pvc,
    "PersistentVolume": cluster.describe_pv,
    "Role": cluster.describe_role,
    "ClusterRole": cluster.describe_role,
    "RoleBinding": cluster.describe_role_binding,
    "ClusterRoleBinding": cluster.describe_role_binding,
    "PriorityClass": cluster.describe_priority_class,
}

# Describers that print no Events section at all (they never fetch events upstream).
_NO_EVENTS = {"Secret", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}


def describe(client, obj: dict, *, show_events: bool = True) -> str:
    kind = str(obj.get("kind", ""))
    writer = PrefixWriter()
    events = events_for(client, obj) if show_events and kind not in _NO_EVENTS else None
    describer = DESCRIBERS.get(kind, cluster.describe_generic)
    describer(writer, obj, events, client.clock.now(), client)
    return writer.getvalue()
