"""kubectl cluster-info (pkg/cmd/clusterinfo/clusterinfo.go).

Prints the control plane URL (the kubeconfig cluster's ``server``) and one
line per Service in kube-system labelled ``kubernetes.io/cluster-service=true``
(name from the ``kubernetes.io/name`` label), then the hint about
``cluster-info dump``. No colours: kubectl 1.33's printService writes plain
text (older releases coloured it with go-colortext; the 1.33 binary does not
contain that package).

Left out: ``cluster-info dump``; LoadBalancer ingress links.
"""

from __future__ import annotations

from kubenb.kubectl.cli import Command, Invocation, KubectlError


def _line(name: str, link: str) -> str:
    return f"{name} is running at {link}\n"


def _server(inv: Invocation) -> str:
    cluster_name = inv.flags.get("cluster") or inv.context().get("cluster", "")
    for entry in inv.env.kubeconfig.get("clusters") or []:
        if entry.get("name") == cluster_name:
            return (entry.get("cluster") or {}).get("server", "")
    return ""


def run(inv: Invocation) -> int:
    if inv.args:
        raise KubectlError(f'unknown command "{inv.args[0]}" for "kubectl cluster-info"')
    client = inv.client
    host = inv.flags.get("server") or _server(inv)
    inv.write(_line("Kubernetes control plane", host))
    for service in client.list("services", "kube-system", label_selector="kubernetes.io/cluster-service=true"):
        md = service["metadata"]
        name = md["name"]
        ports = (service.get("spec") or {}).get("ports") or []
        if ports:
            port = ports[0]
            scheme = "https" if port.get("name") == "https" or port.get("port") == 443 else ""
            port_name = port.get("name", "")
            # utilnet.JoinSchemeNamePort
            path_name = (f"{scheme}:{name}:{port_name}" if scheme else f"{name}:{port_name}" if port_name
                         else name)
        else:
            path_name = name
        link = f"{host}/api/v1/namespaces/kube-system/services/{path_name}/proxy"
        inv.write(_line((md.get("labels") or {}).get("kubernetes.io/name") or name, link))
    inv.write("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
    return 0


COMMAND = Command(
    name="cluster-info",
    short="Display cluster information",
    usage="cluster-info [flags]",
    help="Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.",
    examples="  # Print the address of the control plane and cluster services\n  kubectl cluster-info",
    run=run,
)
