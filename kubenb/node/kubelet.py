"""The kubelet: one controller per Node, turning the Pods bound to it into (simulated) containers.

Mirrors pkg/kubelet: ``sync_pod`` (kubelet.go SyncPod and
kuberuntime_manager.go computePodActions/SyncPod: sandbox, init containers
one at a time, then the app containers), the image manager
(images/image_manager.go: pull policy, serial pulls, back-off), the prober
(prober/worker.go), status generation (kubelet_pods.go
generateAPIPodStatus, getPhase; status/generate.go for the conditions) and
graceful termination (killPod, then the status manager deletes the Pod
with grace 0).

Each reconcile replays what became due up to now (pull finished, process
exited, back-off expired, probe tick) with the clock standing at the due
time, writes the status when it changed, and asks to be woken at the next
deadline. Runtime state (containers, IPs, image cache, pull queue) is plain
data in ``NodeAgents.state`` so snapshots copy it.

A pull resolves the name in the cluster's registry (``images.Registry``: a tag
may have been pushed again); the node's image cache maps the name to the
content and digest it pulled, and each container keeps its own (``imageID``).

Volumes are mounted before the sandbox starts (node/volumes.py).
Left out: sidecar init containers, lifecycle hooks,
ephemeral containers, cgroups (``kubectl top`` reads catalog usage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.api import Client, errors, objects
from kubenb.node import images, lifecycle, probes, runtime, volumes
from kubenb.reconcile import ObjectKey, Result, Watch
from kubenb.sim.clock import format_rfc3339, parse_rfc3339

if TYPE_CHECKING:
    from kubenb.node import NodeAgents

SANDBOX_SECONDS = 0.6  # RunPodSandbox + CNI ADD
FAILED_PULL_SECONDS = 1.4  # resolving a reference that does not exist
EXIT_WINDOW = 3600.0  # how far ahead a process is replayed to find its exit
STATUS_RESYNC = 1.0  # a fresh ErrImagePull turns into ImagePullBackOff at the next sync


def random_hex(client: Client, length: int = 64) -> str:
    # SeededRandom.hex draws exactly as one choice("0123456789abcdef") per digit did, so the ids are
    # unchanged; it takes the random words in bulk.
    return client.rand.hex(length)


class Kubelet:
    """The kubelet of one node, as a controller keyed by the Pods bound to that node."""

    def __init__(self, agents: NodeAgents, node_name: str) -> None:
        self.agents = agents
        self.node_name = node_name
        self.name = f"kubelet/{node_name}"
        self.client = agents.client.for_component(self.name)
        self.watches = [Watch("pods", self._keys, spec_field="nodeName", spec_value=node_name), Watch("configmaps", self._users_of("configMap")),
                        Watch("secrets", self._users_of("secret")),
                        Watch("persistentvolumeclaims", self._users_of("persistentVolumeClaim"))]
        # The Pod whose status this kubelet is writing right now (namespace, name): the watch event of
        # that write is delivered during the write itself and wakes nobody here (see write_status).
        self._writing: tuple[str | None, str] | None = None

    def _users_of(self, kind: str):  # noqa: ANN202 - a Watch mapper
        """Map a ConfigMap/Secret/PVC to the Pods on this node that mount it or read it into env."""
        def keys(obj: dict) -> tuple[ObjectKey, ...]:
            name, namespace = objects.name(obj), objects.namespace(obj)
            found = []
            for pod in self.client.list_view("pods", namespace, field_selector=f"spec.nodeName={self.node_name}"):
                if name in volumes.referenced_names(pod, kind):
                    found.append(ObjectKey("pods", namespace, objects.name(pod)))
            return tuple(found)
        return keys

    def _keys(self, pod: dict) -> tuple[ObjectKey, ...]:
        if pod.get("spec", {}).get("nodeName") == self.node_name:
            key = (objects.namespace(pod), objects.name(pod))
            if key == self._writing:
                return ()  # our own status write (its new and its old version): nothing new to sync
            return (ObjectKey("pods", *key),)
        return ()

    # --- state helpers ----------------------------------------------------------------------------------
    @property
    def node_state(self) -> dict:
        return self.agents.node_state(self.node_name)

    def event(self, pod: dict, type_: str, reason: str, message: str, container: str | None = None,
              init: bool = False) -> None:
        field_path = None
        if container is not None:
            kind = "initContainers" if init else "containers"
            field_path = f"spec.{kind}{{{container}}}"
        self.client.event(pod, type_, reason, message, host=self.node_name, field_path=field_path)

    # --- reconcile ---------------------------------------------------------------------------------------
    def reconcile(self, key: ObjectKey) -> Result:
        if self.node_state.get("stopped"):
            return Result()
        # The store's own copy, read-only: most syncs write nothing, so the copy is made only to write
        # (write_status; a rejected admission).
        pod = self.client.get_view("pods", key.name, key.namespace)
        if pod is None or pod["spec"].get("nodeName") != self.node_name:
            self.agents.forget(key.namespace or "default", key.name, self.node_name)
            return Result()
        now = self.client.clock.now()
        if objects.uid(pod) not in self.agents.data["pods"] and not objects.is_being_deleted(pod):
            # HandlePodAdditions: a Pod the kubelet has not admitted yet (eviction.py: memory pressure).
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                return Result()
            manager = self.agents.eviction_managers.get(self.node_name)
            if manager is not None and manager.admit(pod) is not None \
                    and manager.reject_if_not_admitted(objects.clone(pod)):
                return Result()
        record = self.agents.pod_record(pod, self.node_name)
        if objects.is_being_deleted(pod):
            return self.terminate_pod(pod, record, now)
        if record.get("final"):
            return Result()
        wake = self.sync_pod(pod, record, now)
        self.write_status(pod, record, now)
        if wake is None:
            return Result()
        return Result(requeue_after=max(0.0, wake - now))

    # --- sync_pod --------------------------------------------------------------------------------------
    def sync_pod(self, pod: dict, record: dict, now: float) -> float | None:
        """Move every container as far as ``now`` allows; return the next time something is due."""
        spec = pod["spec"]
        deadlines: list[float] = []
        if record["sandbox_at"] is None:
            # The volume manager mounts every volume before the sandbox starts.
            if volumes.unbound_claim(self.agents, pod) is not None:
                return None  # the claim's watch brings the kubelet back once it is Bound
            missing = volumes.missing_source(self.agents, pod)
            if missing:
                if record.get("mount_failed") != missing:
                    record["mount_failed"] = missing
                    self.event(pod, "Warning", "FailedMount", missing)
                return None
            volumes.project(self.agents, pod, record)
            record["sandbox_at"] = now + SANDBOX_SECONDS
            record["start_time"] = format_rfc3339(now)
        if now < record["sandbox_at"]:
            return record["sandbox_at"]
        if not record["ip"]:
            record["ip"] = self.agents.allocate_ip(self.node_name, pod)
        # Init containers, one at a time, each to successful completion.
        for container in spec.get("initContainers") or []:
            state = self.container_record(record, container, init=True)
            if state["state"] == "exited" and state["exit_code"] == 0:
                continue
            due = self.sync_container(pod, record, container, state, now, init=True)
            if due is not None:
                deadlines.append(due)
            if not (state["state"] == "exited" and state["exit_code"] == 0):
                return min(deadlines) if deadlines else None
        for container in spec.get("containers") or []:
            state = self.container_record(record, container, init=False)
            due = self.sync_container(pod, record, container, state, now, init=False)
            if due is not None:
                deadlines.append(due)
        refresh = volumes.next_refresh(self.agents, pod, record, now)
        if refresh is not None:
            deadlines.append(refresh)
        return min(deadlines) if deadlines else None

    def container_record(self, record: dict, container: dict, *, init: bool) -> dict:
        containers = record["containers"]
        name = container["name"]
        if name not in containers:
            containers[name] = {
                "name": name, "init": init, "state": "waiting-pod", "image": container.get("image", ""),
                "restart_count": 0, "container_id": "", "started_at": None, "finished_at": None,
                "exit_code": 0, "reason": "", "message": "", "last_state": None, "backoff": None,
                "pull_backoff": None, "due": None, "ready": False, "started": False, "probes": {},
                "exit_at": None, "exit_code_planned": 0, "oom": False, "previous_logs": [],
                "pull_requested": None, "checked_to": None,
            }
        return containers[name]

    def sync_container(self, pod: dict, record: dict, container: dict, c: dict, now: float, *,
                       init: bool) -> float | None:
        """Advance one container through the lifecycle table until nothing more is due now."""
        for _ in range(50):  # each pass takes one transition; the loop ends when nothing is due
            state = c["state"]
            if state == "waiting-pod":
                self.begin_pull(pod, container, c, now, init)
                continue_ = c["state"] != "waiting-pod"
                if not continue_:
                    return None
                continue
            if state == "pulling":
                if now < c["due"]:
                    return c["due"]
                self.finish_pull(pod, record, container, c, c["due"], init)
                continue
            if state == "pull-failed":
                if now < c["due"]:
                    return c["due"]
                c["state"] = "pull-backoff"
                c["due"] = c["pull_backoff"]["updated"] + c["pull_backoff"]["seconds"]
                self.event(pod, "Normal", "BackOff", f'Back-off pulling image "{c["image"]}"', c["name"], init)
                self.event(pod, "Warning", "Failed", "Error: ImagePullBackOff", c["name"], init)
                continue
            if state == "pull-backoff":
                if now < c["due"]:
                    return c["due"]
                c["state"] = "waiting-pod"
                continue
            if state in ("never-pull", "invalid-image"):
                return None
            if state == "config-error":
                if self.agents.resolve_env(pod, container)[0] is None:
                    return None  # the ConfigMap/Secret watch brings the kubelet back when it appears
                c["state"] = "waiting-pod"
                continue
            if state == "running":
                due = self.check_running(pod, record, container, c, now, init)
                if c["state"] == "running":
                    return due
                continue
            if state in lifecycle.TERMINATED_STATES:
                if now < c["finished_at"] + STATUS_RESYNC:
                    return c["finished_at"] + STATUS_RESYNC  # the exit is reported before the restart
                policy = pod["spec"].get("restartPolicy") or "Always"
                if init and policy == "Always" and c["exit_code"] != 0:
                    policy = "Always"
                elif init:
                    policy = "OnFailure" if policy != "Never" else "Never"
                if not lifecycle.should_restart(policy, c["exit_code"]):
                    return None
                if lifecycle.in_backoff(c["backoff"], c["finished_at"], now):
                    c["state"] = "crash-backoff"
                    c["due"] = c["finished_at"] + c["backoff"]["seconds"]
                    self.event(pod, "Warning", "BackOff", f"Back-off restarting failed container {c['name']} in pod "
                               f"{self.pod_ref(pod)}", c["name"], init)
                    return c["due"]
                c["backoff"] = lifecycle.next_backoff(c["backoff"], c["finished_at"])
                self.restart(c)
                continue
            if state == "crash-backoff":
                if now < c["due"]:
                    return c["due"]
                c["backoff"] = lifecycle.next_backoff(c["backoff"], c["finished_at"])
                self.restart(c)
                continue
            return None
        return now + 1.0

    def pod_ref(self, pod: dict) -> str:
        md = pod["metadata"]
        return f"{md['name']}_{md.get('namespace', 'default')}({md.get('uid', '')})"

    def restart(self, c: dict) -> None:
        c["last_state"] = {"terminated": self.terminated_state(c)}
        c["restart_count"] += 1
        c["state"] = "waiting-pod"
        c["ready"] = False
        c["started"] = False
        c["probes"] = {}

    # --- images ----------------------------------------------------------------------------------------
    def begin_pull(self, pod: dict, container: dict, c: dict, now: float, init: bool) -> None:
        """EnsureImageExists: use the node's copy, pull it (serially, per node) or refuse."""
        image = container.get("image", "")
        c["image"] = image
        ref = images.parse_reference(image)
        if ref is None:
            c["state"] = "invalid-image"
            c["message"] = f'Failed to apply default image tag "{image}": couldn\'t parse image name "{image}": ' \
                           "invalid reference format"
            self.event(pod, "Warning", "InspectFailed", c["message"], c["name"], init)
            self.event(pod, "Warning", "Failed", "Error: InvalidImageName", c["name"], init)
            return
        policy = container.get("imagePullPolicy") or ("Always" if ref.tag == "latest" and not ref.digest
                                                       else "IfNotPresent")
        present = ref.full in self.node_state["images"]
        if present and policy != "Always":
            self.event(pod, "Normal", "Pulled", f'Container image "{image}" already present on machine',
                       c["name"], init)
            # The node's copy, even if the tag has moved in the registry since (IfNotPresent).
            self.use_pulled_image(c, self.node_state["images"][ref.full])
            self.start_container(pod, container, c, now, init)
            return
        if policy == "Never":
            c["state"] = "never-pull"
            c["message"] = f'Container image "{image}" is not present with pull policy of Never'
            self.event(pod, "Warning", "ErrImageNeverPull", c["message"], c["name"], init)
            self.event(pod, "Warning", "Failed", "Error: ErrImageNeverPull", c["name"], init)
            return
        content = self.agents.registry.resolve(ref)  # what the name points at in the registry now
        ok = content is not None
        c["pull_denied"] = False
        if ok and images.is_private(ref):
            hosts, missing = self.agents.pull_credentials(pod)
            if missing:
                self.event(pod, "Warning", "FailedToRetrieveImagePullSecret",
                           f"Unable to retrieve some image pull secrets ({', '.join(missing)}); attempting to pull "
                           "the image may not succeed.", c["name"], init)
            if images.registry_host(ref) not in hosts:
                ok = False
                c["pull_denied"] = True
        content_ref = images.parse_reference(content or "") or ref  # size and speed are the content's
        if not ok:
            duration = FAILED_PULL_SECONDS
        elif content in self.node_state["layers"]:
            duration = 0.4 + 0.05 * (images.size_of(content_ref) / 50_000_000)  # only the manifest is fetched again
        else:
            duration = images.pull_seconds(content_ref)
        begin = max(now, self.node_state["pull_free_at"])
        end = begin + duration
        self.node_state["pull_free_at"] = end
        if content is not None and ok:
            # Layers are kept by content: a tag moved to new content downloads it in full.
            self.node_state["layers"][content] = True
        c["state"] = "pulling"
        c["due"] = end
        c["pull_requested"] = now
        c["pull_duration"] = duration
        self.event(pod, "Normal", "Pulling", f'Pulling image "{image}"', c["name"], init)

    def finish_pull(self, pod: dict, record: dict, container: dict, c: dict, when: float, init: bool) -> None:
        ref = images.parse_reference(c["image"])
        assert ref is not None
        content = self.agents.registry.resolve(ref)
        if content is not None and not c.get("pull_denied"):
            pulled = {"content": content, "digest": self.agents.registry.digest_of(ref, content)}
            self.node_state["images"][ref.full] = pulled  # the name now means this content on this node
            self.use_pulled_image(c, pulled)
            waited = when - c["pull_requested"]
            size = images.size_of(images.parse_reference(content) or ref)
            self.event(pod, "Normal", "Pulled",
                       f'Successfully pulled image "{c["image"]}" in {lifecycle.go_duration(c["pull_duration"])} '
                       f"({lifecycle.go_duration(waited)} including waiting). Image size: {size} bytes.",
                       c["name"], init)
            c["pull_backoff"] = None
            self.start_container(pod, container, c, when, init)
            return
        message = images.pull_denied_error(ref) if c.get("pull_denied") else images.pull_error(ref)
        c["state"] = "pull-failed"
        c["message"] = message
        c["pull_backoff"] = lifecycle.next_backoff(c["pull_backoff"], when)
        c["due"] = when + STATUS_RESYNC
        self.event(pod, "Warning", "Failed", f'Failed to pull image "{c["image"]}": {message}', c["name"], init)
        self.event(pod, "Warning", "Failed", "Error: ErrImagePull", c["name"], init)

    @staticmethod
    def use_pulled_image(c: dict, pulled: object) -> None:
        """Remember which content (and digest, for imageID) the container runs: the node's copy of the name."""
        if not isinstance(pulled, dict):  # a node image cache saved before kubenb tracked content
            c["content"], c["digest"] = "", ""
            return
        c["content"] = pulled["content"]
        c["digest"] = pulled["digest"]

    # --- containers ------------------------------------------------------------------------------------
    def start_container(self, pod: dict, container: dict, c: dict, when: float, init: bool) -> None:
        """createContainer + startContainer: Created, then Started (or Failed: the process cannot run)."""
        env, config_error = self.agents.resolve_env(pod, container)
        if env is None:
            # generateContainerConfig failed: a referenced ConfigMap/Secret (or key) is missing.
            c["state"] = "config-error"
            c["message"] = config_error
            self.event(pod, "Warning", "Failed", f"Error: {config_error}", c["name"], init)
            return
        c["env"] = env  # env is fixed at creation; only a new container sees later changes
        c["container_id"] = "containerd://" + random_hex(self.client)
        c["started_at"] = when
        c["finished_at"] = None
        c["oom"] = False
        c["message"] = ""
        self.event(pod, "Normal", "Created", f"Created container: {c['name']}", c["name"], init)
        process = self.agents.process_for(pod, container, when)
        run = runtime.run(process, when + EXIT_WINDOW, output=False)  # only its exit matters here
        if run.start_error:
            c["state"] = "start-failed"
            c["finished_at"] = when
            c["exit_code"] = 128
            c["reason"] = "StartError"
            c["message"] = ("failed to create containerd task: failed to create shim task: OCI runtime create "
                            "failed: runc create failed: unable to start container process: error during "
                            f"container init: {run.start_error}: unknown")
            self.event(pod, "Warning", "Failed", f"Error: {c['message']}", c["name"], init)
            return
        c["state"] = "running"
        c["started"] = "startupProbe" not in container
        c["exit_at"] = run.exit_time
        c["exit_code_planned"] = run.exit_code
        c["checked_to"] = when + EXIT_WINDOW
        usage = self.agents.memory_usage(pod, container, process)
        limit = self.agents.memory_limit(container)
        if limit and usage > limit:
            oom_at = when + 0.5
            if c["exit_at"] is None or c["exit_at"] > oom_at:
                c["exit_at"] = oom_at
                c["exit_code_planned"] = 137
                c["oom"] = True
        self.event(pod, "Normal", "Started", f"Started container {c['name']}", c["name"], init)

    def check_running(self, pod: dict, record: dict, container: dict, c: dict, now: float, init: bool) -> float | None:
        """A running container: has its process exited? do its probes say anything?"""
        deadlines = []
        if c["exit_at"] is None and c["checked_to"] is not None and now >= c["checked_to"]:
            process = self.agents.process_for(pod, container, c["started_at"])
            run = runtime.run(process, now + EXIT_WINDOW, output=False)
            c["exit_at"], c["exit_code_planned"] = run.exit_time, run.exit_code
            c["checked_to"] = now + EXIT_WINDOW
        if c["exit_at"] is not None:
            if now >= c["exit_at"]:
                self.container_exited(pod, c, c["exit_at"], c["exit_code_planned"], oom=c["oom"])
                return None
            deadlines.append(c["exit_at"])
        elif c["checked_to"] is not None:
            deadlines.append(c["checked_to"])
        due, kill = probes.run_probes(self, pod, record, container, c, now, init)
        if kill:
            return None
        if due is not None:
            deadlines.append(due)
        return min(deadlines) if deadlines else None

    def container_exited(self, pod: dict, c: dict, when: float, code: int, *, oom: bool = False,
                         reason: str | None = None) -> None:
        c["state"] = "exited"
        c["finished_at"] = when
        c["exit_code"] = code
        c["reason"] = reason or lifecycle.terminated_reason(code, oom)
        c["ready"] = False
        c["exit_at"] = None
        self.agents.save_logs(pod, c, when)
        self.keep_volume_writes(pod, c, when)

    def keep_volume_writes(self, pod: dict, c: dict, when: float) -> None:
        """What the process wrote under a writable mount stays in the volume after it stops."""
        container = next((x for x in (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or [])
                          if x.get("name") == c["name"]), None)
        if container is None or c.get("started_at") is None or not volumes.writable_mounts(pod, container):
            return  # nothing it wrote can outlive it: spare replaying the process (its files are not needed)
        process = self.agents.process_for(pod, container, c["started_at"])
        volumes.persist_writes(self.agents, pod, container, process.files, runtime.run(process, when).files)

    def kill_container(self, pod: dict, container: dict, c: dict, when: float, message: str, init: bool) -> None:
        """Stop a container the kubelet wants restarted (failed liveness/startup probe)."""
        self.event(pod, "Normal", "Killing", message, c["name"], init)
        entry = images.lookup(images.running_image(c)) or {}
        code = int(entry.get("stopExitCode", 137)) if entry.get("stopSeconds") is not None else 137
        self.container_exited(pod, c, when, code)

    def terminated_state(self, c: dict) -> dict:
        state = {"containerID": c["container_id"], "exitCode": c["exit_code"],
                 "finishedAt": format_rfc3339(c["finished_at"] or 0), "reason": c["reason"] or "Error",
                 "startedAt": format_rfc3339(c["started_at"] or 0)}
        if c["reason"] == "StartError":
            state["message"] = c["message"]
            state["startedAt"] = "1970-01-01T00:00:00Z"
        return state

    # --- termination -----------------------------------------------------------------------------------
    def terminate_pod(self, pod: dict, record: dict, now: float) -> Result:
        """killPod: SIGTERM every running container, SIGKILL at the end of the grace period, then delete."""
        md = pod["metadata"]
        deadline = parse_rfc3339(md["deletionTimestamp"])
        if record.get("stop_deadline") is None:
            record["stop_deadline"] = deadline
            for container in (pod["spec"].get("initContainers") or []) + (pod["spec"].get("containers") or []):
                c = record["containers"].get(container["name"])
                if c is None or c["state"] != "running":
                    continue
                init = c["init"]
                self.event(pod, "Normal", "Killing", f"Stopping container {c['name']}", c["name"], init)
                entry = images.lookup(images.running_image(c)) or {}
                stop = entry.get("stopSeconds") if self.agents.runs_server(pod, container, c) else None
                if stop is None:  # PID 1 ignores SIGTERM: killed when the grace period ends
                    c["stop_at"] = deadline
                    c["stop_code"] = 137
                else:
                    c["stop_at"] = min(deadline, now + float(stop))
                    c["stop_code"] = int(entry.get("stopExitCode", 0))
        deadline = min(deadline, record["stop_deadline"])
        pending = []
        for c in record["containers"].values():
            if c["state"] != "running":
                continue
            stop_at = min(c.get("stop_at", deadline), deadline)
            if now >= stop_at:
                self.container_exited(pod, c, stop_at, c.get("stop_code", 137) if stop_at < deadline else 137)
            else:
                pending.append(stop_at)
        if pending:
            return Result(requeue_after=max(0.0, min(pending) - now))
        try:
            self.client.delete("pods", md["name"], md.get("namespace"), grace_period_seconds=0)
        except errors.StatusError:
            pass
        self.agents.forget(md.get("namespace") or "default", md["name"], self.node_name)
        return Result()

    # --- status ----------------------------------------------------------------------------------------
    def write_status(self, pod: dict, record: dict, now: float) -> None:
        status = self.agents.generate_status(pod, record, now)
        if status == pod.get("status"):
            return
        pod = {**pod, "status": status}  # ``pod`` is the store's copy: the write gets its own
        # The write's own watch event needs no sync: the sync that wrote it has already replayed all that
        # is due now and asked for a timer at the next deadline, and the only change in the Pod is the
        # status it just computed (generating it again from that status gives the same one). Another
        # writer's change still wakes the kubelet through its own event.
        self._writing = (objects.namespace(pod), objects.name(pod))
        try:
            self.client.update_owned(pod, subresource="status")  # no copy back: the result is not read
        except errors.StatusError:
            return  # changed under us; the watch event brings us back
        finally:
            self._writing = None
        if status.get("phase") in ("Succeeded", "Failed"):
            record["final"] = True
