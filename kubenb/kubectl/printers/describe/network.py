"""Describers for Service, Endpoints, EndpointSlice and Ingress (kubectl pkg/describe/describe.go).

Service Endpoints come from the EndpointSlices labelled with the service name,
as kubectl 1.33 reads them (formatEndpointSlices), ready addresses only, at
most three then `` + N more...``.
"""

from __future__ import annotations

from kubenb.kubectl.printers.describe.writer import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    get,
    labels_multiline,
    write_labels_annotations,
    write_name_namespace,
)


def _format_endpoints(addresses: list[str]) -> str:
    if not addresses:
        return ""
    text = ",".join(addresses[:3])
    if len(addresses) > 3:
        text += f" + {len(addresses) - 3} more..."
    return text


def _slice_addresses(client, service: dict, port_name: str) -> list[str]:
    md = service.get("metadata") or {}
    found: list[str] = []
    for endpoint_slice in client.list_view("endpointslices", md.get("namespace"),
                                           label_selector=f"kubernetes.io/service-name={md.get('name', '')}"):
        for port in endpoint_slice.get("ports") or []:
            if (port.get("name") or "") != (port_name or ""):
                continue
            for endpoint in endpoint_slice.get("endpoints") or []:
                if get(endpoint, "conditions", "ready") is False:
                    continue
                for address in endpoint.get("addresses") or []:
                    found.append(f"{address}:{port.get('port')}")
    return found


def describe_service(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    selector = ",".join(f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items()))
    w.write(0, f"Selector:\t{selector or '<none>'}\n")
    kind = spec.get("type") or "ClusterIP"
    w.write(0, f"Type:\t{kind}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    cluster_ips = spec.get("clusterIPs") or []
    w.write(0, f"IPs:\t{','.join(cluster_ips) if cluster_ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"IP:\t{spec['loadBalancerIP']}\n")
    ingress = get(status, "loadBalancer", "ingress", default=[]) or []
    if kind == "LoadBalancer" and ingress:
        addresses = ", ".join(entry.get("ip") or entry.get("hostname") or "" for entry in ingress)
        w.write(0, f"LoadBalancer Ingress:\t{addresses}\n")
    if kind == "ExternalName":
        w.write(0, f"External Name:\t{spec.get('externalName', '')}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol") or "TCP"
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{protocol}\n")
        w.write(0, f"TargetPort:\t{port.get('targetPort', port.get('port'))}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{_format_endpoints(_slice_addresses(client, obj, port.get('name') or ''))}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    describe_events(w, events, now)


def describe_endpoints(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    w.write(0, "Subsets:\n")
    for subset in obj.get("subsets") or []:
        ready = [a.get("ip", "") for a in subset.get("addresses") or []]
        not_ready = [a.get("ip", "") for a in subset.get("notReadyAddresses") or []]
        w.write(1, f"Addresses:\t{','.join(ready) if ready else '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{','.join(not_ready) if not_ready else '<none>'}\n")
        ports = subset.get("ports") or []
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in ports:
                w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port')}\t{port.get('protocol') or 'TCP'}\n")
        w.line()
    describe_events(w, events, now)


def describe_endpoint_slice(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    w.write(0, f"AddressType:\t{obj.get('addressType', '')}\n")
    ports = obj.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            port_text = port.get("port") if port.get("port") is not None else "<unset>"
            w.write(1, f"{port.get('name') or '<unset>'}\t{port_text}\t{port.get('protocol') or 'TCP'}\n")
    endpoints = obj.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for endpoint in endpoints:
            w.write(1, f"- Addresses:\t{','.join(endpoint.get('addresses') or [])}\n")
            w.write(2, "Conditions:\n")
            conditions = endpoint.get("conditions") or {}
            for key, title in (("ready", "Ready"), ("serving", "Serving"), ("terminating", "Terminating")):
                value = conditions.get(key)
                w.write(3, f"{title}:\t{'<unset>' if value is None else ('true' if value else 'false')}\n")
            ref = endpoint.get("targetRef")
            w.write(2, f"Hostname:\t{endpoint.get('hostname') or '<unset>'}\n")
            if ref:
                w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
            w.write(2, f"NodeName:\t{endpoint.get('nodeName') or '<unset>'}\n")
            w.write(2, f"Zone:\t{endpoint.get('zone') or '<unset>'}\n")
    describe_events(w, events, now)


def describe_ingress(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    md = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    namespace = md.get("namespace")
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    labels_multiline(w, "Labels", md.get("labels"))
    w.write(0, f"Namespace:\t{namespace or ''}\n")
    addresses = ",".join(entry.get("ip") or entry.get("hostname") or ""
                         for entry in get(obj, "status", "loadBalancer", "ingress", default=[]) or [])
    w.write(0, f"Address:\t{addresses}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")

    def backend_text(backend: dict | None) -> str:
        if not backend:
            return "<none>"
        service = backend.get("service")
        if service is None:
            resource = backend.get("resource") or {}
            group = resource.get("apiGroup")
            return f"APIGroup: {group}, Kind: {resource.get('kind', '')}, Name: {resource.get('name', '')}"
        port = service.get("port") or {}
        port_text = port.get("name") or str(port.get("number", ""))
        svc = client.try_get("services", service.get("name", ""), namespace)
        if svc is None:
            return f"{service.get('name', '')}:{port_text} (<error: services \"{service.get('name', '')}\" not found>)"
        endpoints = []
        for svc_port in get(svc, "spec", "ports", default=[]) or []:
            if (port.get("name") and svc_port.get("name") == port.get("name")) or \
                    (port.get("number") is not None and svc_port.get("port") == port.get("number")):
                endpoints = _slice_addresses(client, svc, svc_port.get("name") or "")
        return f"{service.get('name', '')}:{port_text} ({_format_endpoints(endpoints)})"

    default_backend = spec.get("defaultBackend")
    w.write(0, f"Default backend:\t{backend_text(default_backend)}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            if tls.get("secretName"):
                w.write(1, f"{tls['secretName']} terminates {hosts}\n")
            else:
                w.write(1, f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    for rule in spec.get("rules") or []:
        host = rule.get("host") or "*"
        w.write(1, f"{host}\t\n")
        for path in get(rule, "http", "paths", default=[]) or []:
            w.write(2, f"\t{path.get('path', '')} \t{backend_text(path.get('backend'))}\n")
    if not spec.get("rules"):
        w.write(1, f"*\t*\t{backend_text(default_backend)}\n")
    annotations_multiline(w, "Annotations", md.get("annotations"))
    describe_events(w, events, now)
