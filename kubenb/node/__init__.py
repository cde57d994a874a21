"""kubelets and the simulated container runtime: one Kubelet controller per Node.

``NodeAgents`` is what the cluster wires in: it creates a ``Kubelet`` for
every Node (``ensure_kubelets``), keeps the runtime state no API object
holds (containers, pod IPs, image caches, pull queues) as plain data for
snapshots, implements the apiserver-to-kubelet ``KubeletConnection`` (logs,
exec), offers ``stop_node``/``start_node``, and is the metrics source
(``pod_metrics``/``node_metrics``) behind ``kubectl top`` and the HPA.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
import json
import re
from collections.abc import Callable

from kubenb.api import Client, errors, objects
from kubenb.api import quantity as quantities
from kubenb.node import images, lifecycle, logs, runtime, shell, volumes
from kubenb.node.eviction import EvictionManager
from kubenb.node.kubelet import Kubelet
from kubenb.reconcile import Manager, ObjectKey
from kubenb.sim.clock import format_rfc3339

CLUSTER_DNS = "10.96.0.10"
CLUSTER_DOMAIN = "cluster.local"
MEMORY_ANNOTATION = "kubenb.dev/memory-usage"  # "150Mi" or "app=150Mi,sidecar=10Mi"
CPU_ANNOTATION = "kubenb.dev/cpu-usage"  # "250m" or "app=250m"


class ContainerConfigError(Exception):
    """CreateContainerConfigError: a referenced ConfigMap/Secret (key) is missing."""


@functools.lru_cache(maxsize=4096)
def _parse_bytes(text: str) -> int:
    try:
        return quantities.parse(text).int_value()
    except (ValueError, TypeError):
        return 0


@functools.lru_cache(maxsize=4096)
def _parse_milli(text: str) -> int:
    try:
        return quantities.parse(text).milli_value()
    except (ValueError, TypeError):
        return 0


@functools.lru_cache(maxsize=1024)
def _pod_network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    # Parsed once per podCIDR, not once per Pod started (the network objects are immutable).
    return ipaddress.ip_network(cidr, strict=False)


def _bytes(text: object) -> int:
    return _parse_bytes(str(text))


def _milli(text: object) -> int:
    return _parse_milli(str(text))


class NodeAgents:
    def __init__(self, client: Client, manager: Manager) -> None:
        self.client = client.for_component("kubelet")
        self.manager = manager
        self.kubelets: dict[str, Kubelet] = {}
        self.eviction_managers: dict[str, EvictionManager] = {}
        self.data: dict = {"nodes": {}, "pods": {}}
        # Pod records indexed by what forget and node_metrics look up (rebuilt when ``data`` is replaced);
        # derived from ``data``, so snapshots need not copy it.
        self._record_index: dict | None = None
        # uid -> (record, volumes.projection_inputs) at which the record's projected volumes were current
        # (volumes.next_refresh); entries match only the very record object, so a restore drops them.
        self.projection_inputs: dict[str, tuple[dict, tuple]] = {}
        self.registry = images.Registry()  # what image names point at now (the cluster snapshots it)
        # Set by the cluster's network wiring: network_exec(pod, argv) -> (stdout, stderr, exit code)
        # runs curl, wget and nslookup inside a Pod.
        self.network_exec: Callable[[dict, list[str]], tuple[str, str, int]] | None = None

    # --- kubelets ---------------------------------------------------------------------------------------
    def ensure_kubelets(self) -> None:
        """Start a kubelet for every Node that has none; it picks up the Pods already bound there."""
        for node in self.client.list_view("nodes"):
            name = objects.name(node)
            if name in self.kubelets:
                continue
            kubelet = Kubelet(self, name)
            self.kubelets[name] = kubelet
            self.manager.add_controller(kubelet)
            self.eviction_managers[name] = EvictionManager(self, kubelet)
            self.manager.add_controller(self.eviction_managers[name])
            self.node_state(name)
            self.resync(name)

    def resync(self, node_name: str) -> None:
        for pod in self.client.list_view("pods", field_selector=f"spec.nodeName={node_name}"):
            self.manager.enqueue(f"kubelet/{node_name}", ObjectKey("pods", objects.namespace(pod), objects.name(pod)))

    def node_state(self, name: str) -> dict:
        nodes = self.data["nodes"]
        if name not in nodes:
            nodes[name] = {"images": {}, "layers": {}, "pull_free_at": 0.0, "next_ip": 1, "ips": {},
                           "stopped": False, "stopped_at": None}
        return nodes[name]

    def stop_node(self, name: str) -> None:
        """The node's kubelet (and container runtime) stops: no status, no syncs, until start_node."""
        state = self.node_state(name)
        state["stopped"] = True
        state["stopped_at"] = self.client.clock.now()

    def start_node(self, name: str) -> None:
        """The kubelet comes back: it posts Ready again and syncs every Pod bound to it."""
        state = self.node_state(name)
        if not state["stopped"]:
            return
        state["stopped"] = False
        state.pop("eviction", None)  # a restarted kubelet's eviction manager starts with no observations
        client = self.client.for_component(f"kubelet/{name}")
        now = client.now()

        def ready(node: dict) -> None:
            fresh = {"MemoryPressure": ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                     "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                     "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                     "Ready": ("True", "KubeletReady", "kubelet is posting ready status")}
            for condition in node.get("status", {}).get("conditions") or []:
                if condition["type"] in fresh:
                    status, reason, message = fresh[condition["type"]]
                    if condition.get("status") != status:
                        condition["lastTransitionTime"] = now
                    condition.update(status=status, reason=reason, message=message, lastHeartbeatTime=now)

        try:
            client.mutate("nodes", name, None, ready, subresource="status")
        except errors.StatusError:
            pass
        self.resync(name)

    def is_stopped(self, name: str) -> bool:
        return bool(self.node_state(name).get("stopped"))

    # --- per-pod runtime records -----------------------------------------------------------------------
    def pod_record(self, pod: dict, node_name: str) -> dict:
        uid = objects.uid(pod)
        pods = self.data["pods"]
        if uid not in pods:
            index = self._records_index()
            record = {"uid": uid, "namespace": objects.namespace(pod) or "default", "name": objects.name(pod),
                      "node": node_name, "sandbox_at": None, "start_time": None, "ip": "",
                      "containers": {}, "final": False, "stop_deadline": None, "extra_logs": {}}
            pods[uid] = record
            index["by_name"].setdefault((record["namespace"], record["name"], node_name), []).append(uid)
            index["by_node"].setdefault(node_name, {})[uid] = None
            index["count"] += 1
        return pods[uid]

    def _records_index(self) -> dict:
        """{"by_name": {(namespace, name, node): [uid...]}, "by_node": {node: {uid: None}}}, in record order."""
        pods = self.data["pods"]
        index = self._record_index
        if index is None or index["of"] is not pods or index["count"] != len(pods):
            by_name: dict[tuple[str, str, str], list[str]] = {}
            by_node: dict[str, dict[str, None]] = {}
            for uid, record in pods.items():
                by_name.setdefault((record["namespace"], record["name"], record["node"]), []).append(uid)
                by_node.setdefault(record["node"], {})[uid] = None
            index = self._record_index = {"of": pods, "count": len(pods), "by_name": by_name, "by_node": by_node}
        return index

    def find_record(self, namespace: str, name: str) -> dict | None:
        pod = self.client.store.get("pods", namespace, name)
        if pod is None:
            return None
        return self.data["pods"].get(objects.uid(pod))

    def forget(self, namespace: str, name: str, node_name: str) -> None:
        """The Pod is gone: free its IP and drop its containers."""
        pods = self.data["pods"]
        index = self._records_index()
        for uid in index["by_name"].pop((namespace, name, node_name), []):
            record = pods.pop(uid)
            index["count"] -= 1
            index["by_node"][node_name].pop(uid, None)
            volumes.forget_pod(self, uid)
            ips = self.node_state(node_name)["ips"]
            if ips.get(record.get("ip")) == uid:
                del ips[record["ip"]]

    def allocate_ip(self, node_name: str, pod: dict) -> str:
        """host-local IPAM over the node's podCIDR: the next free address after the last one given."""
        node = self.client.store.get("nodes", None, node_name) or {}
        if pod["spec"].get("hostNetwork"):
            return self.host_ip(node)
        network = _pod_network(node.get("spec", {}).get("podCIDR") or "10.244.0.0/24")
        state = self.node_state(node_name)
        size = network.num_addresses - 2
        for _ in range(size):
            state["next_ip"] = state["next_ip"] % size + 1
            if state["next_ip"] == 1:
                continue  # .1 is the bridge gateway
            address = str(network.network_address + state["next_ip"])
            if address not in state["ips"]:
                state["ips"][address] = objects.uid(pod)
                return address
        return ""

    @staticmethod
    def host_ip(node: dict) -> str:
        for address in node.get("status", {}).get("addresses") or []:
            if address.get("type") == "InternalIP":
                return address.get("address", "")
        return ""

    # --- what runs in a container ------------------------------------------------------------------------
    def container_env(self, pod: dict, container: dict, record: dict | None) -> dict[str, str]:
        """The environment a container sees: service links, envFrom, env (later wins, as upstream)."""
        namespace = objects.namespace(pod) or "default"
        env: dict[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "HOSTNAME": pod["spec"].get("hostname") or objects.name(pod)}
        services = list(self.client.list_view("services", namespace))
        if namespace != "default":
            services += [s for s in self.client.list_view("services", "default") if objects.name(s) == "kubernetes"]
        if pod["spec"].get("enableServiceLinks", True) is not False or True:
            for service in services:
                if pod["spec"].get("enableServiceLinks") is False and objects.name(service) != "kubernetes":
                    continue
                spec = service.get("spec", {})
                ip = spec.get("clusterIP")
                if not ip or ip == "None":
                    continue
                prefix = objects.name(service).upper().replace("-", "_")
                ports = spec.get("ports") or []
                if not ports:
                    continue
                env[f"{prefix}_SERVICE_HOST"] = ip
                env[f"{prefix}_SERVICE_PORT"] = str(ports[0].get("port"))
                for port in ports:
                    if port.get("name"):
                        env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(port.get("port"))
                first = ports[0]
                proto = (first.get("protocol") or "TCP").lower()
                env[f"{prefix}_PORT"] = f"{proto}://{ip}:{first.get('port')}"
                for port in ports:
                    proto = port.get("protocol") or "TCP"
                    base = f"{prefix}_PORT_{port.get('port')}_{proto}"
                    env[base] = f"{proto.lower()}://{ip}:{port.get('port')}"
                    env[base + "_PROTO"] = proto.lower()
                    env[base + "_PORT"] = str(port.get("port"))
                    env[base + "_ADDR"] = ip
        for source in container.get("envFrom") or []:
            prefix = source.get("prefix", "")
            if "configMapRef" in source:
                data = self._config(namespace, "configmaps", source["configMapRef"].get("name", ""),
                                    optional=source["configMapRef"].get("optional"))
            else:
                data = self._config(namespace, "secrets", (source.get("secretRef") or {}).get("name", ""),
                                    optional=(source.get("secretRef") or {}).get("optional"))
            for key, value in data.items():
                env[prefix + key] = value
        for item in container.get("env") or []:
            name = item.get("name", "")
            if "value" in item or "valueFrom" not in item:
                env[name] = expand_references(str(item.get("value", "")), env)
                continue
            source = item["valueFrom"]
            if "configMapKeyRef" in source or "secretKeyRef" in source:
                ref = source.get("configMapKeyRef") or source.get("secretKeyRef")
                resource = "configmaps" if "configMapKeyRef" in source else "secrets"
                data = self._config(namespace, resource, ref.get("name", ""), optional=ref.get("optional"))
                key = ref.get("key", "")
                if key not in data:
                    if ref.get("optional"):
                        continue
                    kind = "configmap" if resource == "configmaps" else "secret"
                    raise ContainerConfigError(f'couldn\'t find key {key} in {kind.capitalize() if kind == "secret" else "ConfigMap"} {namespace}/{ref.get("name", "")}')
                env[name] = data[key]
            elif "fieldRef" in source:
                env[name] = field_value(pod, source["fieldRef"].get("fieldPath", ""), record)
            elif "resourceFieldRef" in source:
                env[name] = resource_value(container, source["resourceFieldRef"])
        return env

    def resolve_env(self, pod: dict, container: dict) -> tuple[dict[str, str] | None, str]:
        """(environment, "") or (None, the CreateContainerConfigError message)."""
        try:
            return self.container_env(pod, container, self.data["pods"].get(objects.uid(pod))), ""
        except ContainerConfigError as error:
            return None, str(error)

    def pull_credentials(self, pod: dict) -> tuple[set[str], list[str]]:
        """Registries the Pod's imagePullSecrets (its own and its ServiceAccount's) hold credentials for,
        and the names of those secrets that do not exist."""
        namespace = objects.namespace(pod) or "default"
        names = [s.get("name", "") for s in pod["spec"].get("imagePullSecrets") or []]
        account = self.client.store.get("serviceaccounts", namespace, pod["spec"].get("serviceAccountName") or "default")
        names += [s.get("name", "") for s in (account or {}).get("imagePullSecrets") or []]
        hosts: set[str] = set()
        missing = []
        for name in names:
            secret = self.client.store.get("secrets", namespace, name)
            if secret is None:
                missing.append(name)
                continue
            encoded = (secret.get("data") or {}).get(".dockerconfigjson", "")
            try:
                config = json.loads(base64.b64decode(encoded).decode("utf-8", "replace") or "{}")
            except ValueError:
                continue
            for server in (config.get("auths") or {}) if isinstance(config, dict) else {}:
                hosts.add(server.split("://", 1)[-1].split("/", 1)[0])
        return hosts, missing

    def _config(self, namespace: str, resource: str, name: str, *, optional: object) -> dict[str, str]:
        obj = self.client.store.get(resource, namespace, name)
        if obj is None:
            if optional:
                return {}
            kind = "configmap" if resource == "configmaps" else "secret"
            raise ContainerConfigError(f'{kind} "{name}" not found')
        if resource == "secrets":
            decoded = {}
            for key, value in (obj.get("data") or {}).items():
                try:
                    decoded[key] = base64.b64decode(value).decode("utf-8", "replace")
                except (ValueError, TypeError):
                    decoded[key] = ""
            decoded.update(obj.get("stringData") or {})
            return decoded
        return dict(obj.get("data") or {})

    def process_for(self, pod: dict, container: dict, start: float) -> runtime.Process:
        record = self.data["pods"].get(objects.uid(pod))
        started = ((record or {}).get("containers") or {}).get(container.get("name", "")) or {}
        image = self.running_image(pod, container)
        entry = images.lookup(image) or {}
        ref = images.parse_reference(image)
        if started.get("env") is not None:
            env = dict(started["env"])  # resolved when the container was created: later edits never reach it
        else:
            try:
                env = self.container_env(pod, container, record)
            except ContainerConfigError:
                env = {}
        argv = [expand_references(str(a), env) for a in self.argv_for(container, entry)]
        hostname = pod["spec"].get("hostname") or objects.name(pod)
        ip = (record or {}).get("ip", "")
        node = self.client.store.get("nodes", None, pod["spec"].get("nodeName", "")) or {}
        files = dict(self.kubelet_files(pod, ip))
        mounted_at = volumes.mount_points(pod, container)
        under = tuple(point.rstrip("/") + "/" for point in mounted_at)  # built once, not per image file
        for path, content in (entry.get("files") or {}).items():
            if path not in mounted_at and not path.startswith(under):
                files[path] = content  # a volume mounted over an image directory hides what was there
        files.update(volumes.mount_files(self, pod, container, record))
        return runtime.Process(argv=argv, env=env, start=start, hostname=hostname, image=entry, files=files,
                               tag=ref.tag if ref else "latest", ip=ip, host_ip=self.host_ip(node))

    def container_files(self, pod: dict, container: dict) -> dict[str, str] | None:
        """The files a running container sees now (image, kubelet files, volumes, what its process and
        ``kubectl exec`` wrote); None when the container is not running on a kubelet."""
        record = self.data["pods"].get(objects.uid(pod)) or {}
        c = (record.get("containers") or {}).get(container.get("name", ""))
        if not c or c.get("state") != "running" or c.get("started_at") is None:
            return None
        now = self.client.clock.now()
        return shell.with_layer(c, runtime.run(self.process_for(pod, container, c["started_at"]), now).files)

    def running_image(self, pod: dict, container: dict) -> str:
        """The image the container runs: the content its node pulled for the name (a tag may have moved since)."""
        record = self.data["pods"].get(objects.uid(pod)) or {}
        c = (record.get("containers") or {}).get(container.get("name", "")) or {}
        return c.get("content") or container.get("image", "")

    def kubelet_files(self, pod: dict, ip: str) -> dict[str, str]:
        """/etc/hosts, /etc/hostname and /etc/resolv.conf as the kubelet writes them (ClusterFirst DNS)."""
        namespace = objects.namespace(pod) or "default"
        hostname = pod["spec"].get("hostname") or objects.name(pod)
        hosts = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                 "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
        if ip:
            subdomain = pod["spec"].get("subdomain")
            if subdomain:
                hosts += f"{ip}\t{hostname}.{subdomain}.{namespace}.svc.{CLUSTER_DOMAIN}\t{hostname}\n"
            else:
                hosts += f"{ip}\t{hostname}\n"
        for alias in pod["spec"].get("hostAliases") or []:
            hosts += f"\n# Entries added by HostAliases.\n{alias.get('ip')}\t" + "\t".join(alias.get("hostnames") or []) + "\n"
        policy = pod["spec"].get("dnsPolicy") or "ClusterFirst"
        if policy == "Default" or (pod["spec"].get("hostNetwork") and policy != "ClusterFirstWithHostNet"):
            resolv = "nameserver 172.18.0.1\noptions ndots:0\n"
        else:
            resolv = (f"search {namespace}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}\n"
                      f"nameserver {CLUSTER_DNS}\noptions ndots:5\n")
        return {"/etc/hosts": hosts, "/etc/hostname": hostname + "\n", "/etc/resolv.conf": resolv}

    def runs_server(self, pod: dict, container: dict, c: dict) -> bool:
        """Whether the container's process is its image's server (ports open, HTTP answers)."""
        if c.get("state") != "running":
            return False
        entry = images.lookup(images.running_image(c)) or {}
        argv = self.argv_for(container, entry)
        servers = {runtime.base(s) for s in entry.get("servers") or []}
        return bool(argv) and runtime.base(argv[0]) in servers

    @staticmethod
    def argv_for(container: dict, entry: dict) -> list[str]:
        """ENTRYPOINT/CMD resolution: command replaces ENTRYPOINT (and drops CMD), args replace CMD."""
        command = container.get("command")
        args = container.get("args")
        if command:
            argv = list(command) + list(args or [])
        elif args:
            argv = list(entry.get("entrypoint") or []) + list(args)
        else:
            argv = list(entry.get("entrypoint") or []) + list(entry.get("cmd") or [])
        # An entrypoint wrapper (docker-entrypoint.sh, dumb-init --) runs what follows it.
        while len(argv) > 1 and runtime.base(argv[0]) in ("docker-entrypoint.sh", "dumb-init"):
            argv = argv[1:]
        if argv and argv[0] == "--":
            argv = argv[1:]
        return argv

    def memory_usage(self, pod: dict, container: dict, process: runtime.Process | None = None) -> int:
        override = _per_container(objects.annotations(pod).get(MEMORY_ANNOTATION, ""), container["name"])
        if override:
            return _bytes(override)
        argv = process.argv if process is not None else (container.get("command") or []) + (container.get("args") or [])
        for index, arg in enumerate(argv):
            if arg == "--vm-bytes" and index + 1 < len(argv):
                return _bytes(argv[index + 1].replace("M", "Mi").replace("G", "Gi").replace("Mii", "Mi")) + 1_000_000
        entry = images.lookup(self.running_image(pod, container)) or {}
        return _bytes(entry.get("memory", "1Mi"))

    @staticmethod
    def memory_limit(container: dict) -> int:
        return _bytes(((container.get("resources") or {}).get("limits") or {}).get("memory", 0))

    def cpu_usage(self, pod: dict, container: dict) -> int:
        override = _per_container(objects.annotations(pod).get(CPU_ANNOTATION, ""), container["name"])
        if override:
            usage = _milli(override)
        else:
            entry = images.lookup(self.running_image(pod, container)) or {}
            usage = _milli(entry.get("cpu", "0"))
            argv = (container.get("command") or []) + (container.get("args") or [])
            if "--cpu" in argv:
                index = argv.index("--cpu")
                try:
                    usage = 1000 * int(argv[index + 1])
                except (ValueError, IndexError):
                    pass
        limit = _milli(((container.get("resources") or {}).get("limits") or {}).get("cpu", 0))
        return min(usage, limit) if limit else usage

    # --- logs --------------------------------------------------------------------------------------------
    def current_lines(self, pod: dict, container: dict, c: dict, until: float) -> list[tuple[float, str]]:
        if c.get("started_at") is None or c.get("reason") == "StartError" and c["state"] != "running":
            return []
        end = until if c["state"] == "running" else min(until, c.get("finished_at") or until)
        process = self.process_for(pod, container, c["started_at"])
        lines = list(runtime.run(process, end).lines)
        record = self.data["pods"].get(objects.uid(pod)) or {}
        extra = record.get("extra_logs", {}).get(c.get("container_id", ""), [])
        if extra:
            lines = sorted(lines + [tuple(e) for e in extra], key=lambda e: e[0])
        return lines

    def save_logs(self, pod: dict, c: dict, when: float) -> None:
        container = _find_container(pod, c["name"])
        if container is None:
            return
        c["previous_logs"] = self.current_lines(pod, container, {**c, "state": "running"}, when)

    def append_log(self, namespace: str, pod: str, container: str, line: str) -> None:
        """Add a line to a running container's log (an access log line for a request it served)."""
        record = self.find_record(namespace, pod)
        if record is None or container not in record["containers"]:
            return
        c = record["containers"][container]
        record["extra_logs"].setdefault(c["container_id"], []).append((self.client.clock.now(), line))

    # --- KubeletConnection ---------------------------------------------------------------------------------
    def logs(self, namespace: str, pod: str, container: str | None, *, previous: bool = False,
             tail: int | None = None, timestamps: bool = False, since: float | None = None) -> str:
        obj = self.client.store.get("pods", namespace, pod)
        if obj is None:
            raise errors.not_found("pods", pod)
        spec_container, c = self._container(obj, container)
        if not obj["spec"].get("nodeName") or c is None:
            state = _status_of(obj, spec_container["name"])
            reason = ((state or {}).get("state") or {}).get("waiting", {}).get("reason", "ContainerCreating")
            raise errors.bad_request(f'container "{spec_container["name"]}" in pod "{pod}" is waiting to start: '
                                     f"{reason}")
        now = self.client.clock.now()
        if previous:
            if c["last_state"] is None:
                raise errors.bad_request(f'previous terminated container "{c["name"]}" in pod "{pod}" not found')
            return logs.render(c["previous_logs"], tail=tail, timestamps=timestamps, since=since)
        if c["state"] in ("waiting-pod", "pulling", "pull-failed", "pull-backoff", "never-pull", "invalid-image",
                          "config-error") and c["last_state"] is None:
            state = _status_of(obj, c["name"])
            reason = ((state or {}).get("state") or {}).get("waiting", {}).get("reason", "ContainerCreating")
            raise errors.bad_request(f'container "{c["name"]}" in pod "{pod}" is waiting to start: {reason}')
        if c["state"] in ("crash-backoff", "waiting-pod", "pulling") and c["last_state"] is not None:
            return logs.render(c["previous_logs"], tail=tail, timestamps=timestamps, since=since)
        return logs.render(self.current_lines(obj, spec_container, c, now), tail=tail, timestamps=timestamps,
                           since=since)

    def exec(self, namespace: str, pod: str, container: str | None, command: list[str],
             stdin: str = "") -> tuple[str, str, int]:
        obj = self.client.store.get("pods", namespace, pod)
        if obj is None:
            raise errors.not_found("pods", pod)
        phase = obj.get("status", {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            raise errors.bad_request(f"cannot exec into a container in a completed pod; current phase is {phase}")
        spec_container, c = self._container(obj, container)
        if c is None or c["state"] != "running" or self.is_stopped(obj["spec"].get("nodeName", "")):
            raise errors.bad_request(f'unable to upgrade connection: container not found ("{spec_container["name"]}")')
        try:
            return shell.run_in_container(self, obj, spec_container, c, command, self.client.clock.now(), stdin)
        except shell.ExecNotFound as missing:
            exec_id = "".join("0123456789abcdef"[self.client.rand.randint(0, 15)] for _ in range(64))
            raise errors.internal(
                f'error executing command in container: failed to exec in container: failed to start exec '
                f'"{exec_id}": OCI runtime exec failed: exec failed: unable to start container process: exec: '
                f'"{missing}": executable file not found in $PATH: unknown') from None

    def _container(self, pod: dict, container: str | None) -> tuple[dict, dict | None]:
        all_containers = (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or [])
        if container is None:
            spec_container = pod["spec"]["containers"][0]
        else:
            spec_container = next((x for x in all_containers if x.get("name") == container), None)
            if spec_container is None:
                raise errors.bad_request(f"container {container} is not valid for pod {objects.name(pod)}")
        record = self.data["pods"].get(objects.uid(pod))
        c = (record or {}).get("containers", {}).get(spec_container["name"])
        if c is not None and c.get("started_at") is None and c["last_state"] is None:
            return spec_container, c if c["state"] != "waiting-pod" else c
        return spec_container, c

    # --- metrics (metrics-server's view: what kubectl top and the HPA read) ---------------------------------
    def pod_metrics(self, namespace: str, name: str) -> dict[str, dict[str, int]] | None:
        """{container: {"cpu": millicores, "memory": bytes}} for a Pod with running containers, else None."""
        pod = self.client.store.get("pods", namespace, name)
        if pod is None:
            return None
        record = self.data["pods"].get(objects.uid(pod))
        if record is None or self.is_stopped(record["node"]):
            return None
        usage = {}
        for container in pod["spec"].get("containers") or []:
            c = record["containers"].get(container["name"])
            if c is None or c["state"] != "running":
                continue
            memory = self.memory_usage(pod, container)
            limit = self.memory_limit(container)  # the cgroup never holds more than its limit
            usage[container["name"]] = {"cpu": self.cpu_usage(pod, container),
                                        "memory": min(memory, limit) if limit else memory}
        return usage or None

    def node_metrics(self, name: str) -> dict[str, int] | None:
        """{"cpu": millicores, "memory": bytes} for a node: its Pods plus the system's own share."""
        if name not in self.data["nodes"] or self.is_stopped(name):
            return None
        cpu, memory = 60, 500 * 1024 * 1024  # kubelet, containerd and the OS
        pods = self.data["pods"]
        for uid in self._records_index()["by_node"].get(name, {}):
            record = pods[uid]
            usage = self.pod_metrics(record["namespace"], record["name"]) or {}
            cpu += sum(u["cpu"] for u in usage.values())
            memory += sum(u["memory"] for u in usage.values())
        return {"cpu": cpu, "memory": memory}

    # --- status ----------------------------------------------------------------------------------------------
    def generate_status(self, pod: dict, record: dict, now: float) -> dict:
        return generate_status(self, pod, record, now)

    # --- snapshots ---------------------------------------------------------------------------------------
    def state(self) -> dict:
        return objects.clone(self.data)

    def set_state(self, state: dict) -> None:
        self.data = objects.clone(state)
        self.projection_inputs = {}


def _find_container(pod: dict, name: str) -> dict | None:
    for container in (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or []):
        if container.get("name") == name:
            return container
    return None


def _status_of(pod: dict, name: str) -> dict | None:
    status = pod.get("status", {})
    for entry in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        if entry.get("name") == name:
            return entry
    return None


def _per_container(text: str, container: str) -> str:
    if not text:
        return ""
    if "=" not in text:
        return text
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key.strip() == container:
            return value.strip()
    return ""


def expand_references(text: str, env: dict[str, str]) -> str:
    """Kubernetes $(VAR) expansion in command, args and env values; $$ escapes."""
    if "$" not in text:
        return text  # nothing to expand (most arguments, at every container start): no regex call
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)

    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", replace, text)


def field_value(pod: dict, path: str, record: dict | None) -> str:
    md = pod["metadata"]
    table = {
        "metadata.name": md.get("name", ""), "metadata.namespace": md.get("namespace", ""),
        "metadata.uid": md.get("uid", ""), "spec.nodeName": pod["spec"].get("nodeName", ""),
        "spec.serviceAccountName": pod["spec"].get("serviceAccountName", ""),
        "status.podIP": (record or {}).get("ip", ""), "status.hostIP": "",
    }
    match = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if match:
        return (md.get(match.group(1)) or {}).get(match.group(2), "")
    return table.get(path, "")


def resource_value(container: dict, ref: dict) -> str:
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(kind) or {}).get(name)
    if value is None:
        return "0"
    divisor = ref.get("divisor", "1")
    if name == "cpu":
        return str(max(1, -(-_milli(value) // max(1, _milli(divisor)))))
    return str(-(-_bytes(value) // max(1, _bytes(divisor))))


# --- status generation (kubelet_pods.go generateAPIPodStatus, getPhase; status/generate.go) -----------------
def qos_class(pod: dict) -> str:
    """v1qos.GetPodQOS: Guaranteed when every container limits = requests for cpu and memory."""
    containers = (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or [])
    any_set = False
    guaranteed = True
    for container in containers:
        resources = container.get("resources") or {}
        requests = resources.get("requests") or {}
        limits = resources.get("limits") or {}
        if requests or limits:
            any_set = True
        for name in ("cpu", "memory"):
            if name not in limits:
                guaranteed = False
            elif name in requests and (_milli(requests[name]) != _milli(limits[name])):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _container_status(agents: NodeAgents, pod: dict, container: dict, c: dict | None, init: bool,
                      pod_phase_hint: str) -> dict:
    image_text = container.get("image", "")
    ref = images.parse_reference(image_text)
    status: dict = {"name": container["name"], "image": image_text, "imageID": "", "ready": False,
                    "restartCount": 0, "started": False, "lastState": {}}
    if c is None:
        status["state"] = {"waiting": {"reason": "PodInitializing" if init is False and pod_phase_hint == "init"
                                       else "PodInitializing" if init else "ContainerCreating"}}
    else:
        status["restartCount"] = c["restart_count"]
        if c["last_state"]:
            status["lastState"] = c["last_state"]
        state = c["state"]
        if state == "crash-backoff":
            # The kubelet turns the exited container's state into lastState when it decides to wait
            # (convertToAPIContainerStatuses): the termination shown is the latest one, not the one before.
            status["lastState"] = {"terminated": _terminated(c)}
        has_run = c["container_id"] and state in ("running", "exited", "start-failed") or c["last_state"]
        if ref is not None and has_run:
            status["image"] = images.status_image(ref)
            status["imageID"] = (images.image_id(ref, c.get("digest", ""))
                                 if c["started_at"] is not None or c["last_state"] else "")
        if state == "running":
            status["containerID"] = c["container_id"]
            status["state"] = {"running": {"startedAt": format_rfc3339(c["started_at"])}}
            status["started"] = bool(c["started"])
            status["ready"] = bool(c["ready"])
        elif state in lifecycle.TERMINATED_STATES:
            status["containerID"] = c["container_id"]
            status["state"] = {"terminated": _terminated(c)}
        else:
            if state == "pulling" and c.get("pull_backoff") and c["message"]:
                # A retry after a failed pull: the kubelet pulls inside a sync and writes the status only
                # after it, so the status still says ImagePullBackOff until the retry fails or succeeds.
                state = "pull-backoff"
            reason = lifecycle.WAITING_REASONS.get(state, "ContainerCreating")
            if state == "waiting-pod" and c["last_state"]:
                reason = "ContainerCreating"
            waiting: dict = {"reason": reason}
            if state == "pull-failed" or state in ("never-pull", "invalid-image", "config-error"):
                waiting["message"] = c["message"]
            elif state == "pull-backoff":
                waiting["message"] = f'Back-off pulling image "{image_text}": ErrImagePull: {c["message"]}'
            elif state == "crash-backoff":
                md = pod["metadata"]
                waiting["message"] = (f"back-off {lifecycle.go_duration(c['backoff']['seconds'])} restarting failed container="
                                      f"{c['name']} pod={md['name']}_{md.get('namespace', 'default')}({md.get('uid', '')})")
            status["state"] = {"waiting": waiting}
            if c["last_state"]:
                status["containerID"] = c["container_id"]
    mounts = container.get("volumeMounts") or []
    if mounts:
        status["volumeMounts"] = [
            {k: v for k, v in (("name", m.get("name")), ("mountPath", m.get("mountPath")),
                               ("readOnly", True if m.get("readOnly") else None),
                               ("recursiveReadOnly", "Disabled" if m.get("readOnly") else None)) if v is not None}
            for m in mounts]
    if (container.get("resources") or {}) and not init:
        status["resources"] = objects.clone(container["resources"])
    return status


def _terminated(c: dict) -> dict:
    state = {"containerID": c["container_id"], "exitCode": c["exit_code"],
             "finishedAt": format_rfc3339(c["finished_at"] or 0), "reason": c["reason"] or "Error",
             "startedAt": format_rfc3339(c["started_at"] or 0)}
    if c["reason"] == "StartError":
        state["message"] = c["message"]
        state["startedAt"] = "1970-01-01T00:00:00Z"
    return state


def generate_status(agents: NodeAgents, pod: dict, record: dict, now: float) -> dict:
    spec = pod["spec"]
    old = pod.get("status") or {}
    node = agents.client.store.get("nodes", None, spec.get("nodeName", "")) or {}
    host_ip = agents.host_ip(node)
    containers = record["containers"]
    init_specs = spec.get("initContainers") or []
    app_specs = spec.get("containers") or []
    policy = spec.get("restartPolicy") or "Always"

    init_done = all((containers.get(x["name"]) or {}).get("state") == "exited"
                    and (containers.get(x["name"]) or {}).get("exit_code") == 0 for x in init_specs)
    init_failed = any((containers.get(x["name"]) or {}).get("state") in ("exited", "start-failed")
                      and (containers.get(x["name"]) or {}).get("exit_code") != 0 for x in init_specs) \
        and policy == "Never"
    phase_hint = "" if init_done else "init"

    init_statuses = [_container_status(agents, pod, x, containers.get(x["name"]), True, phase_hint) for x in init_specs]
    app_statuses = []
    for x in app_specs:
        st = _container_status(agents, pod, x, containers.get(x["name"]), False, phase_hint)
        if not init_done and containers.get(x["name"]) is None:
            st["state"] = {"waiting": {"reason": "PodInitializing"}}
        app_statuses.append(st)

    # getPhase
    if init_failed:
        phase = "Failed"
    elif not init_done:
        phase = "Pending"
    else:
        running = waiting = stopped = succeeded = 0
        for st in app_statuses:
            state = st["state"]
            if "running" in state:
                running += 1
            elif "terminated" in state:
                stopped += 1
                if state["terminated"]["exitCode"] == 0:
                    succeeded += 1
            elif "waiting" in state:
                if st["lastState"].get("terminated"):
                    stopped += 1
                else:
                    waiting += 1
        if waiting:
            phase = "Pending"
        elif running:
            phase = "Running"
        elif stopped:
            if policy == "Always":
                phase = "Running"
            elif stopped == succeeded:
                phase = "Succeeded"
            elif policy == "Never":
                phase = "Failed"
            else:
                phase = "Running"
        else:
            phase = "Pending"
    if old.get("phase") in ("Succeeded", "Failed"):
        phase = old["phase"]

    sandbox_ready = bool(record["ip"]) and phase not in ("Succeeded", "Failed")
    unready = [st["name"] for st in app_statuses if not st["ready"]]
    incomplete = [x["name"] for x in init_specs
                  if not ((containers.get(x["name"]) or {}).get("state") == "exited"
                          and (containers.get(x["name"]) or {}).get("exit_code") == 0)]
    completed = phase == "Succeeded"

    previous_by_type: dict = {}
    for entry in old.get("conditions") or []:
        if isinstance(entry.get("type"), str):
            previous_by_type.setdefault(entry["type"], entry)  # the first of a type, as a scan finds it

    now_text = format_rfc3339(now)  # once per status, not once per condition

    def condition(type_: str, ok: bool, reason: str = "", message: str = "") -> dict:
        previous = previous_by_type.get(type_)
        status = "True" if ok else "False"
        if previous is not None and previous.get("status") == status:
            transition = previous.get("lastTransitionTime")
        else:
            transition = now_text
        entry = {"type": type_, "status": status, "lastProbeTime": None, "lastTransitionTime": transition}
        if reason:
            entry["reason"] = reason
        if message:
            entry["message"] = message
        return entry

    conditions = [condition("PodReadyToStartContainers", sandbox_ready)]
    if completed:
        conditions.append(condition("Initialized", True, "PodCompleted"))
        conditions.append(condition("Ready", False, "PodCompleted"))
        conditions.append(condition("ContainersReady", False, "PodCompleted"))
    else:
        conditions.append(condition("Initialized", not incomplete, "" if not incomplete else "ContainersNotInitialized",
                                    "" if not incomplete else f"containers with incomplete status: [{' '.join(incomplete)}]"))
        message = f"containers with unready status: [{' '.join(unready)}]" if unready else ""
        gates_ok = all(any(c.get("type") == g.get("conditionType") and c.get("status") == "True"
                           for c in old.get("conditions") or []) for g in spec.get("readinessGates") or [])
        ready = not unready and phase == "Running"
        conditions.append(condition("Ready", ready and gates_ok, "" if ready else "ContainersNotReady", message))
        conditions.append(condition("ContainersReady", ready, "" if ready else "ContainersNotReady", message))
    for extra in old.get("conditions") or []:
        if extra.get("type") not in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"):
            conditions.append(extra)

    status: dict = {"conditions": conditions}
    if app_statuses:
        # Sorted by name (a single container, the usual Pod, needs no sort).
        status["containerStatuses"] = (sorted(app_statuses, key=lambda s: s["name"]) if len(app_statuses) > 1
                                       else app_statuses)
    if host_ip:
        status["hostIP"] = host_ip
        status["hostIPs"] = [{"ip": host_ip}]
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    status["phase"] = phase
    if record["ip"]:
        status["podIP"] = record["ip"]
        status["podIPs"] = [{"ip": record["ip"]}]
    status["qosClass"] = qos_class(pod)
    if record["start_time"]:
        status["startTime"] = record["start_time"]
    if old.get("nominatedNodeName"):
        status["nominatedNodeName"] = old["nominatedNodeName"]
    for key in ("reason", "message"):
        if old.get(key):
            status[key] = old[key]
    return status


__all__ = ["NodeAgents", "Kubelet"]
_ = shell
