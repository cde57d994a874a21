"""Service address allocation: what `-o yaml` shows and the apiserver's messages when it refuses."""

from __future__ import annotations

import ipaddress

from kubenb import Cluster

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: web
  ports:
  - port: 80
{extra}"""


def _apply(cluster, name: str, extra: str = ""):
    return cluster.kubectl(["apply", "-f", "-"], stdin=SERVICE.format(name=name, extra=extra))


def test_cluster_ip_fields_as_a_single_stack_cluster_fills_them(cluster):
    assert _apply(cluster, "web").exit_code == 0
    spec = cluster.client.get("services", "web", "default")["spec"]
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    address = ipaddress.ip_address(spec["clusterIP"])
    assert address in ipaddress.ip_network("10.96.0.0/16")  # kind's serviceSubnet
    # Dynamic allocation stays out of the static band (KEP-3070): 10.96.0.0 - 10.96.0.255.
    assert address >= ipaddress.ip_address("10.96.1.0")
    assert spec["ipFamilies"] == ["IPv4"]
    assert spec["ipFamilyPolicy"] == "SingleStack"
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert spec["sessionAffinity"] == "None"
    assert spec["type"] == "ClusterIP"
    assert spec["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert "externalTrafficPolicy" not in spec


def test_allocation_is_deterministic_for_a_seed():
    first, second = Cluster(seed=3), Cluster(seed=3)
    for c in (first, second):
        c.kubectl("create service nodeport web --tcp=80:8080")
    a = first.client.get("services", "web", "default")["spec"]
    b = second.client.get("services", "web", "default")["spec"]
    assert (a["clusterIP"], a["ports"][0]["nodePort"]) == (b["clusterIP"], b["ports"][0]["nodePort"])


def test_nodeport_allocated_at_create_and_shown_at_once(cluster):
    outcome = cluster.kubectl("create service nodeport web --tcp=80:8080")
    assert outcome.stdout == "service/web created\n"
    spec = cluster.client.get("services", "web", "default")["spec"]
    node_port = spec["ports"][0]["nodePort"]
    assert 30000 <= node_port <= 32767
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert f"80:{node_port}/TCP" in cluster.kubectl("get svc web").stdout


def test_nodeport_out_of_range_is_rejected(cluster):
    outcome = cluster.kubectl("create service nodeport web --tcp=80:8080 --node-port=80")
    assert outcome.exit_code == 1
    assert outcome.stderr == (
        'error: failed to create NodePort service: Service "web" is invalid: spec.ports[0].nodePort: Invalid '
        "value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n")
    assert cluster.client.try_get("services", "web", "default") is None


def test_nodeport_taken_is_rejected_and_released_on_delete(cluster):
    assert _apply(cluster, "one", "    nodePort: 30080\n  type: NodePort\n").exit_code == 0
    outcome = _apply(cluster, "two", "    nodePort: 30080\n  type: NodePort\n")
    assert outcome.exit_code == 1
    assert outcome.stderr == ('The Service "two" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                              "provided port is already allocated\n")
    cluster.kubectl("delete service one")
    assert _apply(cluster, "two", "    nodePort: 30080\n  type: NodePort\n").exit_code == 0


def test_cluster_ip_taken_or_out_of_range(cluster):
    outcome = _apply(cluster, "dns-copy", "  clusterIP: 10.96.0.10\n")
    assert outcome.stderr == ('The Service "dns-copy" is invalid: spec.clusterIPs: Invalid value: '
                              '[]string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already '
                              "allocated\n")
    outcome = _apply(cluster, "far", "  clusterIP: 192.168.0.1\n")
    assert outcome.stderr == ('The Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: '
                              "failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid "
                              "range. The range of valid IPs is 10.96.0.0/16\n")
    # kind's /16 ends at 10.96.255.255: kubeadm's /12 would have taken 10.100.0.1.
    outcome = _apply(cluster, "beyond", "  clusterIP: 10.100.0.1\n")
    assert "is not in the valid range. The range of valid IPs is 10.96.0.0/16" in outcome.stderr
    assert _apply(cluster, "fixed", "  clusterIP: 10.96.0.50\n").exit_code == 0
    assert cluster.client.get("services", "fixed", "default")["spec"]["clusterIPs"] == ["10.96.0.50"]


def test_require_dual_stack_fails_on_a_single_stack_cluster(cluster):
    outcome = _apply(cluster, "dual", "  ipFamilyPolicy: RequireDualStack\n")
    assert outcome.exit_code == 1
    assert outcome.stderr == ('The Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
                              "this cluster is not configured for dual-stack services\n")
    assert _apply(cluster, "prefer", "  ipFamilyPolicy: PreferDualStack\n").exit_code == 0
    spec = cluster.client.get("services", "prefer", "default")["spec"]
    assert spec["ipFamilyPolicy"] == "PreferDualStack" and spec["ipFamilies"] == ["IPv4"]


def test_headless_and_external_name(cluster):
    assert _apply(cluster, "headless", "  clusterIP: None\n").exit_code == 0
    spec = cluster.client.get("services", "headless", "default")["spec"]
    assert spec["clusterIP"] == "None" and spec["clusterIPs"] == ["None"]
    cluster.kubectl("create service externalname ext --external-name=db.example.com")
    spec = cluster.client.get("services", "ext", "default")["spec"]
    assert "clusterIP" not in spec and "ipFamilies" not in spec


def test_load_balancer_gets_node_ports_and_an_external_ip(cluster):
    cluster.kubectl("create service loadbalancer lb --tcp=80:8080")
    svc = cluster.client.get("services", "lb", "default")
    assert svc["spec"]["allocateLoadBalancerNodePorts"] is True
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert svc["status"] == {"loadBalancer": {"ingress": [{"ip": "172.18.255.200", "ipMode": "VIP"}]}}
    events = cluster.kubectl("get events").stdout
    assert "EnsuringLoadBalancer   service/lb   Ensuring load balancer" in events
    assert "EnsuredLoadBalancer    service/lb   Ensured load balancer" in events
    cluster.kubectl("create service loadbalancer lb2 --tcp=80:8080")
    assert cluster.client.get("services", "lb2", "default")["status"]["loadBalancer"]["ingress"][0]["ip"] == \
        "172.18.255.201"


def test_without_a_cloud_the_external_ip_stays_pending():
    cluster = Cluster(seed=0, strict=True, cloud=False)
    cluster.kubectl("create service loadbalancer lb --tcp=80:8080")
    cluster.advance(300)
    assert cluster.client.get("services", "lb", "default")["status"] == {}
    assert "<pending>" in cluster.kubectl("get svc lb").stdout


def test_update_without_allocated_values_keeps_them(cluster):
    cluster.kubectl("create service nodeport web --tcp=80:8080")
    before = cluster.client.get("services", "web", "default")["spec"]
    svc = cluster.client.get("services", "web", "default")
    del svc["spec"]["clusterIP"], svc["spec"]["clusterIPs"], svc["spec"]["ports"][0]["nodePort"]
    cluster.client.update(svc)
    after = cluster.client.get("services", "web", "default")["spec"]
    assert after["clusterIP"] == before["clusterIP"]
    assert after["ports"][0]["nodePort"] == before["ports"][0]["nodePort"]


def test_the_apiserver_flag_names_the_range_ipam_allocates_from(cluster):
    command = cluster.client.get("pods", "kube-apiserver-kubenb-control-plane", "kube-system")["spec"]["containers"][0][
        "command"]
    assert "--service-cluster-ip-range=10.96.0.0/16" in command
