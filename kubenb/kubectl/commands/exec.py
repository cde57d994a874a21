"""kubectl exec (pkg/cmd/exec/exec.go): run a command in a container through the kubelet.

- ``kubectl exec POD|TYPE/NAME [-c CONTAINER] -- COMMAND [args...]``;
  ``-i``/``-t`` are accepted (a notebook has no terminal: stdin, if any,
  is passed whole).
- Without ``-c`` the default-container annotation or the first container
  (``Defaulted container "a" out of: a, b``).
- A non-zero exit prints ``command terminated with exit code N`` and exits N.
- A completed Pod, a container that is not running and a missing executable
  fail as the apiserver/kubelet/containerd report them.

Left out: ``--pod-running-timeout`` waits, real TTYs.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.commands.logs import DEFAULT_CONTAINER, pods_for
from kubenb.kubectl.flags import Flag

USAGE = ("expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a "
         "required argument for the exec command")


def run(inv: Invocation) -> int:
    args = inv.args
    dash = inv.flags.dash_index
    if not args or dash == 0:
        raise UsageError(USAGE)
    if dash < 0:
        if len(args) > 1:
            raise KubectlError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
        raise KubectlError("you must specify at least one command for the container")
    target, command = args[0], args[dash:]
    if dash > 1:
        raise KubectlError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
    if not command:
        raise KubectlError("you must specify at least one command for the container")
    client = inv.client
    pod = pods_for(inv, target)[0] if "/" in target else client.get("pods", target, inv.namespace)
    phase = pod.get("status", {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    container = inv.flags["container"]
    if not container:
        containers = pod["spec"].get("containers") or []
        default = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER)
        if default and any(c["name"] == default for c in containers):
            container = default
        else:
            container = containers[0]["name"]
            if len(containers) > 1:
                inv.warn(f'Defaulted container "{container}" out of: ' + ", ".join(c["name"] for c in containers))
    stdin = inv.env.stdin if inv.flags["stdin"] else ""
    try:
        stdout, stderr, code = client.exec(pod["metadata"].get("namespace") or inv.namespace,
                                           pod["metadata"]["name"], container, command, stdin)
    except errors.StatusError as error:
        if error.reason in ("InternalError", "BadRequest"):
            raise KubectlError(error.message) from None
        raise
    inv.write(stdout)
    if stderr:
        inv.err.write(stderr)
    if code != 0:
        inv.err.write(f"command terminated with exit code {code}\n")
        return code
    return 0


COMMAND = Command(
    name="exec",
    short="Execute a command in a container",
    usage="exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
    help="Execute a command in a container.",
    examples="  # Get output from running the 'date' command from pod mypod, using the first container by default\n"
             "  kubectl exec mypod -- date",
    run=run,
    flags=[
        Flag("container", pflag.STRING, shorthand="c", usage="Container name. If omitted, use the "
             "kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the "
             "first container in the pod will be chosen"),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="to use to exec into the resource"),
        Flag("pod-running-timeout", pflag.DURATION, 60.0, usage="The length of time (like 5s, 2m, or 3h, higher "
             "than zero) to wait until at least one pod is running"),
        Flag("quiet", pflag.BOOL, shorthand="q", usage="Only print output from the remote session"),
        Flag("stdin", pflag.BOOL, shorthand="i", usage="Pass stdin to the container"),
        Flag("tty", pflag.BOOL, shorthand="t", usage="Stdin is a TTY"),
    ],
)
