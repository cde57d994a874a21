"""``kubectl exec`` inside a simulated container: a table of builtins over the container's files.

Mirrors what a shell in a real image would answer for the commands lessons
use (env, printenv, hostname, cat, ls, echo, date, ps, sh -c ...), reading
the files the process has left at that moment plus those the kubelet writes
(/etc/hosts, /etc/hostname, /etc/resolv.conf). Commands come from the same
interpreter as the container's own process (runtime.py).

An executable the image lacks fails as containerd reports it through the
apiserver: ``OCI runtime exec failed: exec failed: unable to start container
process: exec: "foo": executable file not found in $PATH: unknown``.
Left out: interactive terminals (stdin is read whole), signals to PID 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenb.node import images, runtime, volumes

if TYPE_CHECKING:
    from kubenb.node import NodeAgents

# Commands beyond the interpreter's that an exec may run (name -> needs a shell-ful image).
EXTRA = {"ps", "ls", "kill", "nslookup", "curl", "wget", "head", "tail", "grep", "wc"}


class ExecNotFound(Exception):
    """The executable is not in the image."""


def available(image: dict, argv0: str) -> bool:
    name = runtime.base(argv0)
    if not image.get("shell", True):
        servers = {runtime.base(s) for s in image.get("servers") or []}
        return name in servers
    return name in runtime.BUILTINS or name in EXTRA or argv0 in runtime.SHELLS or name in ("perl", "python3")


def run_in_container(agents: NodeAgents, pod: dict, container: dict, c: dict, command: list[str], when: float,
                     stdin: str = "") -> tuple[str, str, int]:
    """Run ``command`` in the container at time ``when``: (stdout, stderr, exit code)."""
    image = images.lookup(images.running_image(c)) or {}
    if not command:
        return "", "", 0
    if not available(image, command[0]):
        raise ExecNotFound(command[0])
    process = agents.process_for(pod, container, c["started_at"] or when)
    files = with_layer(c, runtime.run(process, when).files)
    name = runtime.base(command[0])
    if name == "ps":
        argv = " ".join(process.argv)
        return f"PID   USER     TIME  COMMAND\n    1 root      0:00 {argv}\n", "", 0
    if name == "ls":
        return _ls(files, [a for a in command[1:] if not a.startswith("-")] or ["/"]), "", 0
    if name in ("curl", "wget", "nslookup") and agents.network_exec is not None:
        return agents.network_exec(pod, list(command))
    if name in ("head", "tail", "grep", "wc", "nslookup", "kill"):
        return "", f"{name}: not supported in kubenb\n", 1
    shell_process = runtime.Process(argv=command, env=process.env, start=when, hostname=process.hostname,
                                    image={**image, "servers": []}, files=files, tag=process.tag, ip=process.ip)
    if command[0] in runtime.SHELLS and len(command) == 1 and stdin:
        shell_process.argv = [command[0], "-c", stdin]
    result = runtime.run(shell_process, when)
    volumes.persist_writes(agents, pod, container, files, result.files)
    keep_layer_writes(c, volumes.mount_points(pod, container), files, result.files)
    out = "".join(line + "\n" for _, line in result.lines)
    code = result.exit_code if result.exit_time is not None else 0
    return out, "", code


def _layer(c: dict) -> dict[str, str | None]:
    """The container's writable layer: what execs wrote outside its mounts (None: removed).

    It belongs to one container ID: a restarted container starts again from its image."""
    layer = c.get("layer") or {}
    return layer.get("files") or {} if layer.get("id") == c.get("container_id") else {}


def with_layer(c: dict, files: dict[str, str]) -> dict[str, str]:
    """``files`` with the container's writable layer on top."""
    layer = _layer(c)
    if not layer:
        return files
    merged = dict(files)
    for path in sorted(layer):
        if layer[path] is None:
            merged.pop(path, None)
        else:
            merged[path] = layer[path]  # type: ignore[assignment]
    return merged


def keep_layer_writes(c: dict, mount_points: list[str], before: dict[str, str], after: dict[str, str]) -> None:
    """Keep what an exec changed outside the container's mounts, as the container's writable layer does."""
    changed = {path: after.get(path) for path in sorted(set(before) | set(after))
               if before.get(path) != after.get(path)
               and not any(path == point or path.startswith(point.rstrip("/") + "/") for point in mount_points)}
    if not changed:
        return
    files = dict(_layer(c))
    files.update(changed)
    c["layer"] = {"id": c.get("container_id"), "files": files}


def _ls(files: dict[str, str], paths: list[str]) -> str:
    out = []
    for path in paths:
        prefix = path.rstrip("/") + "/"
        if path in files:
            out.append(path)
            continue
        names = sorted({p[len(prefix):].split("/")[0] for p in files if p.startswith(prefix)})
        out.extend(names)
    return "".join(f"{n}\n" for n in out)
