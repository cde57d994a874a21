"""Wiring of the network layer into a cluster: admission, controllers, exec routing, requests.

The network model (kubenb.network) is a set of pure functions over API state
plus a little runtime state (``NetworkState``: session affinity, port-forwards,
the route log). This module connects it, as a cluster's components are
connected on a real machine:

- admission plugins: Service address allocation (``network.ipam``) and the
  default IngressClass (``network.ingress``);
- controllers: ingress-nginx's status writer, and, when the cluster has a
  cloud (``Cluster(cloud=True)``), the cloud controller manager's service
  controller for LoadBalancer addresses;
- ``kubectl exec POD -- curl|wget|nslookup ...``: the node layer's exec
  (which knows which image has which program) hands these programs to
  ``network.commands`` through the ``network_exec`` slot wired here (node and
  network are siblings and do not import each other);
- access-log lines that servers write (nginx) go to the kubelet's log
  buffers when the node layer offers a sink.
- web servers read their document root from the container's current files
  (``container_files``) when the node layer offers them.

Left out: NetworkPolicy enforcement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.api import Client
from kubenb.network import cloud, commands, http, ingress, ingress_controller, ipam
from kubenb.network.proxy import NetworkState

if TYPE_CHECKING:
    from kubenb.cluster.core import Cluster

COMPONENT = "network"


def install(cluster: Cluster) -> None:
    """Before bootstrap: admission plugins, runtime state and the network controllers."""
    ipam.install(cluster.client)
    ingress.install(cluster.client)
    cluster.components[COMPONENT] = NetworkState()
    cluster.manager.add_controller(ingress_controller.IngressNginxController(cluster.client))
    if cluster.cloud:
        cluster.manager.add_controller(cloud.ServiceController(cluster.client))


def state(cluster: Cluster) -> NetworkState:
    found = cluster.components.get(COMPONENT)
    if not isinstance(found, NetworkState):
        found = NetworkState()
        cluster.components[COMPONENT] = found
    return found


def wire_exec(cluster: Cluster) -> None:
    """Offer the network programs to the node layer's exec, and its log buffers to the servers.

    A component with a ``network_exec`` slot (the kubelets' NodeAgents) gets
    ``network_exec(pod, argv) -> (stdout, stderr, exit code)`` for curl, wget
    and nslookup; one with ``append_log(namespace, pod, container, line)``
    receives the access-log lines servers write.
    """
    client = cluster.client
    network = state(cluster)
    for component in cluster.components.values():
        if hasattr(component, "network_exec"):
            component.network_exec = lambda pod, argv: _run(client, network, pod, argv)
        sink = getattr(component, "append_log", None)
        if callable(sink) and network.log_sink is None:
            network.log_sink = sink
        files = getattr(component, "container_files", None)
        if callable(files) and network.file_source is None:
            network.file_source = files


def _run(client: Client, network: NetworkState, pod: dict, argv: list[str]) -> tuple[str, str, int]:
    answer = commands.run(client, network, pod, argv)
    if answer is None:
        return "", f"{argv[0] if argv else 'sh'}: not found\n", 127
    return answer


def request(cluster: Cluster, url: str, *, from_pod: str | None = None, namespace: str = "default",
            method: str = "GET", headers: dict[str, str] | None = None) -> http.Response:
    """One HTTP request from outside the cluster, or from ``from_pod`` (a Pod name in ``namespace``)."""
    source = http.OUTSIDE
    if from_pod is not None:
        pod = cluster.client.get("pods", from_pod, namespace)
        source = http.Source("pod", pod, pod.get("spec", {}).get("nodeName"))
    return http.request(cluster.client, state(cluster), url, source=source, method=method, headers=headers)


def curl(cluster: Cluster, argv: list[str], times: int | None = None, lang: str = "en") -> tuple[str, str, int]:
    """``curl ARGS`` run on the machine that hosts the cluster (``%kubenb curl``).

    With ``times``, kubenb's ``--times N``: the request N times, one outcome a line."""
    if not argv or argv[0] != "curl":
        argv = ["curl", *argv]
    if times is not None:
        return commands.curl_times(cluster.client, state(cluster), http.OUTSIDE, argv, times, lang)
    return commands.curl(cluster.client, state(cluster), http.OUTSIDE, argv)


def add_port_forward(cluster: Cluster, local_port: int, namespace: str, pod: str, pod_port: int) -> None:
    state(cluster).forwards[local_port] = (namespace, pod, pod_port)
