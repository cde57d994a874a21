"""printers.go cell logic on hand-built objects: every printPod STATUS path, services, nodes, jobs."""

import pytest

from kubenb.kubectl.printers.columns import pod_status_cells, table

NOW = 1735689600.0 + 3600  # 2025-01-01T01:00:00Z


def _pod(status=None, spec=None, meta=None):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "p", "namespace": "default", "creationTimestamp": "2025-01-01T00:00:00Z",
                        **(meta or {})},
           "spec": {"containers": [{"name": "c", "image": "nginx"}], **(spec or {})}}
    if status is not None:
        pod["status"] = status
    return pod


def _cs(state, ready=False, restarts=0, last=None, name="c"):
    status = {"name": name, "state": state, "ready": ready, "restartCount": restarts}
    if last:
        status["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last}}
    return status


TERMINATED_OK = {"terminated": {"exitCode": 0, "reason": "Completed"}}
INIT_SPEC = {"initContainers": [{"name": "i1", "image": "busybox"}, {"name": "i2", "image": "busybox"}]}


@pytest.mark.parametrize(("pod", "cells"), [
    (_pod(), ("0/1", "Pending", "0")),
    (_pod({"phase": "Pending"}), ("0/1", "Pending", "0")),
    (_pod({"phase": "Pending", "containerStatuses": [_cs({"waiting": {"reason": "ContainerCreating"}})]}),
     ("0/1", "ContainerCreating", "0")),
    (_pod({"phase": "Running", "containerStatuses": [_cs({"running": {}}, ready=True)]}), ("1/1", "Running", "0")),
    (_pod({"phase": "Running", "containerStatuses": [_cs({"waiting": {"reason": "CrashLoopBackOff"}}, restarts=4,
                                                          last="2025-01-01T00:59:40Z")]}),
     ("0/1", "CrashLoopBackOff", "4 (20s ago)")),
    (_pod({"phase": "Pending", "containerStatuses": [_cs({"waiting": {"reason": "ImagePullBackOff"}})]}),
     ("0/1", "ImagePullBackOff", "0")),
    (_pod({"phase": "Succeeded", "containerStatuses": [_cs(TERMINATED_OK)]}), ("0/1", "Completed", "0")),
    (_pod({"phase": "Failed", "containerStatuses": [_cs({"terminated": {"exitCode": 1, "reason": "Error"}})]}),
     ("0/1", "Error", "0")),
    (_pod({"phase": "Failed", "containerStatuses": [_cs({"terminated": {"exitCode": 137}})]}),
     ("0/1", "ExitCode:137", "0")),
    (_pod({"phase": "Failed", "containerStatuses": [_cs({"terminated": {"exitCode": 0, "signal": 9}})]}),
     ("0/1", "Signal:9", "0")),
    (_pod({"phase": "Running", "containerStatuses": [_cs({"running": {}}, ready=True)]},
          meta={"deletionTimestamp": "2025-01-01T01:00:30Z"}), ("1/1", "Terminating", "0")),
    (_pod({"phase": "Succeeded", "containerStatuses": [_cs(TERMINATED_OK)]},
          meta={"deletionTimestamp": "2025-01-01T01:00:30Z"}), ("0/1", "Completed", "0")),
    (_pod({"phase": "Running", "reason": "NodeLost", "containerStatuses": [_cs({"running": {}}, ready=True)]},
          meta={"deletionTimestamp": "2025-01-01T01:00:30Z"}), ("1/1", "Unknown", "0")),
    (_pod({"phase": "Failed", "reason": "Evicted"}), ("0/1", "Evicted", "0")),
    (_pod({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                                               "reason": "SchedulingGated"}]}), ("0/1", "SchedulingGated", "0")),
    (_pod({"phase": "Pending", "initContainerStatuses": [
        _cs({"running": {}}, name="i1"), _cs({"waiting": {"reason": "PodInitializing"}}, name="i2")],
        "containerStatuses": [_cs({"waiting": {"reason": "PodInitializing"}})]}, INIT_SPEC),
     ("0/1", "Init:0/2", "0")),
    (_pod({"phase": "Pending", "initContainerStatuses": [
        _cs(TERMINATED_OK, name="i1"), _cs({"running": {}}, name="i2")]}, INIT_SPEC), ("0/1", "Init:1/2", "0")),
    (_pod({"phase": "Pending", "initContainerStatuses": [
        _cs({"waiting": {"reason": "CrashLoopBackOff"}}, restarts=3, name="i1", last="2025-01-01T00:59:00Z")]},
        INIT_SPEC), ("0/1", "Init:CrashLoopBackOff", "3 (60s ago)")),
    (_pod({"phase": "Pending", "initContainerStatuses": [
        _cs({"terminated": {"exitCode": 1, "reason": "Error"}}, name="i1")]}, INIT_SPEC), ("0/1", "Init:Error", "0")),
    (_pod({"phase": "Pending", "initContainerStatuses": [
        _cs({"terminated": {"exitCode": 2}}, name="i1")]}, INIT_SPEC), ("0/1", "Init:ExitCode:2", "0")),
    # A sidecar (restartable init container) that started counts in READY and is skipped for STATUS.
    (_pod({"phase": "Running", "initContainerStatuses": [
        {**_cs({"running": {}}, ready=True, name="side", restarts=1, last="2025-01-01T00:30:00Z"), "started": True}],
        "containerStatuses": [_cs({"running": {}}, ready=True)],
        "conditions": [{"type": "Initialized", "status": "True"}]},
        {"initContainers": [{"name": "side", "image": "envoy", "restartPolicy": "Always"}]}),
     ("2/2", "Running", "1 (30m ago)")),
    # Completed but one container still running: Running with a Ready condition, else NotReady.
    (_pod({"phase": "Running", "containerStatuses": [_cs(TERMINATED_OK, name="a"),
                                                     _cs({"running": {}}, ready=True, name="b")],
           "conditions": [{"type": "Ready", "status": "True"}]},
          {"containers": [{"name": "a"}, {"name": "b"}]}), ("1/2", "Running", "0")),
    (_pod({"phase": "Running", "containerStatuses": [_cs(TERMINATED_OK, name="a"),
                                                     _cs({"running": {}}, ready=True, name="b")]},
          {"containers": [{"name": "a"}, {"name": "b"}]}), ("1/2", "NotReady", "0")),
])
def test_pod_status_paths(pod, cells):
    assert pod_status_cells(pod, NOW) == cells


def test_pod_wide_cells_default_to_none():
    columns, rows = table("Pod", [_pod()], NOW, wide=True)
    assert [c.header for c in columns] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                                           "NOMINATED NODE", "READINESS GATES"]
    assert rows == [["p", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>"]]


def _svc(spec, status=None):
    return {"metadata": {"name": "s", "creationTimestamp": "2025-01-01T00:00:00Z"}, "spec": spec,
            "status": status or {}}


@pytest.mark.parametrize(("svc", "cells"), [
    (_svc({"type": "ClusterIP", "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
           "ports": [{"port": 80, "protocol": "TCP"}]}), ["ClusterIP", "10.96.0.5", "<none>", "80/TCP"]),
    (_svc({"type": "NodePort", "clusterIPs": ["10.96.0.6"], "ports": [{"port": 80, "nodePort": 30080}]}),
     ["NodePort", "10.96.0.6", "<none>", "80:30080/TCP"]),
    (_svc({"type": "LoadBalancer", "clusterIPs": ["10.96.0.7"], "ports": [{"port": 80, "nodePort": 31000}]}),
     ["LoadBalancer", "10.96.0.7", "<pending>", "80:31000/TCP"]),
    (_svc({"type": "LoadBalancer", "clusterIPs": ["10.96.0.7"], "ports": []},
          {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}, {"ip": "172.18.255.201"}]}}),
     ["LoadBalancer", "10.96.0.7", "172.18.255.20...", "<none>"]),
    (_svc({"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"], "ports": [{"port": 80}]}),
     ["ClusterIP", "None", "<none>", "80/TCP"]),
    (_svc({"type": "ExternalName", "externalName": "example.com"}), ["ExternalName", "<none>", "example.com",
                                                                      "<none>"]),
    (_svc({"type": "ClusterIP", "clusterIPs": ["10.96.0.10"], "ports": [
        {"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}, {"port": 9153, "protocol": "TCP"}]}),
     ["ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP"]),
])
def test_service_cells(svc, cells):
    _, rows = table("Service", [svc], NOW)
    assert rows[0][1:5] == cells


def test_load_balancer_addresses_not_cut_when_wide():
    svc = _svc({"type": "LoadBalancer", "clusterIPs": ["10.96.0.7"]},
               {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}, {"ip": "172.18.255.201"}]}})
    _, rows = table("Service", [svc], NOW, wide=True)
    assert rows[0][3] == "172.18.255.200,172.18.255.201"


@pytest.mark.parametrize(("node", "status", "roles"), [
    ({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, "Ready", "<none>"),
    ({"status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}, "NotReady", "<none>"),
    ({"status": {}}, "Unknown", "<none>"),
    ({"spec": {"unschedulable": True}, "status": {"conditions": [{"type": "Ready", "status": "True"}]},
      "metadata": {"labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master"}}},
     "Ready,SchedulingDisabled", "control-plane,master"),
])
def test_node_status_and_roles(node, status, roles):
    node = {"metadata": {"name": "n", **node.get("metadata", {})}, **{k: v for k, v in node.items()
                                                                      if k != "metadata"}}
    _, rows = table("Node", [node], NOW)
    assert rows[0][1:3] == [status, roles]


@pytest.mark.parametrize(("spec", "status", "cells"), [
    ({"completions": 1}, {}, ["Running", "0/1", ""]),
    ({"completions": 3, "parallelism": 2}, {"succeeded": 1, "startTime": "2025-01-01T00:59:00Z"},
     ["Running", "1/3", "60s"]),
    ({"parallelism": 3}, {"startTime": "2025-01-01T00:00:00Z"}, ["Running", "0/1 of 3", "60m"]),
    ({"completions": 1}, {"succeeded": 1, "startTime": "2025-01-01T00:00:00Z",
                          "completionTime": "2025-01-01T00:00:09Z",
                          "conditions": [{"type": "Complete", "status": "True"}]}, ["Complete", "1/1", "9s"]),
    ({"completions": 1}, {"conditions": [{"type": "Failed", "status": "True"}]}, ["Failed", "0/1", ""]),
    ({"completions": 1, "suspend": True}, {"conditions": [{"type": "Suspended", "status": "True"}]},
     ["Suspended", "0/1", ""]),
])
def test_job_cells(spec, status, cells):
    job = {"metadata": {"name": "j", "creationTimestamp": "2025-01-01T00:00:00Z"}, "spec": spec, "status": status}
    columns, rows = table("Job", [job], NOW)
    assert [c.header for c in columns] == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert rows[0][1:4] == cells


def test_hpa_targets():
    hpa = {"metadata": {"name": "h"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                                               "maxReplicas": 5, "metrics": [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"currentReplicas": 1}}
    _, rows = table("HorizontalPodAutoscaler", [hpa], NOW)
    assert rows[0][:6] == ["h", "Deployment/web", "cpu: <unknown>/50%", "<unset>", "5", "1"]


def test_default_table_for_kinds_without_printer():
    columns, rows = table("Role", [{"metadata": {"name": "r", "creationTimestamp": "2025-01-01T00:00:00Z"}}], NOW)
    assert [c.header for c in columns] == ["NAME", "CREATED AT"]
    assert rows == [["r", "2025-01-01T00:00:00Z"]]
