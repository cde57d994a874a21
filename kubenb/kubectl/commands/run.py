"""kubectl run (kubectl ``pkg/cmd/run/run.go`` and the run-pod/v1 generator ``pkg/generate/versioned/run.go``).

Builds one Pod (labels ``run=NAME`` unless --labels), optionally a Service
(--expose), prints it with --dry-run=client or creates it. Left out: attaching
(-i/-t/--attach/--rm: a notebook has no terminal; kubenb says so), --overrides,
-f/-k, --wait/--timeout.
"""

from __future__ import annotations

import re

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.generators import objects, output
from kubenb.kubectl.generators.output import dry_run_strategy, print_flags

# distribution/reference's ReferenceRegexp, simplified to what decides valid vs invalid in practice.
_IMAGE = re.compile(r"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    r"(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")


def _labels(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in text.split(","):
        key, sep, value = pair.partition("=")
        if not sep or "=" in value:
            raise KubectlError(f"unexpected label spec: {pair}")
        result[key] = value
    return dict(sorted(result.items()))


def _env(values: list[str]) -> list[dict]:
    result = []
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            raise KubectlError(f"invalid env: {item}")
        result.append({"name": name, "value": value} if value else {"name": name})
    return result


def build_pod(inv: Invocation, name: str) -> dict:
    labels = _labels(inv.flags["labels"]) if inv.flags["labels"] else {"run": name}
    annotations = {}
    for item in inv.flags["annotations"]:
        key, sep, value = item.partition("=")
        if not sep:
            raise KubectlError(f"invalid annotation spec: {item}")
        annotations[key] = value
    command_args = inv.args[1:]
    container: dict = {"name": name, "image": inv.flags["image"]}
    if command_args:
        container["command" if inv.flags["command"] else "args"] = command_args
    port_text = inv.flags["port"]
    if port_text:
        number = objects.go_atoi(port_text)
        if number is None:
            raise KubectlError(f'strconv.Atoi: parsing "{port_text}": invalid syntax')
        if number > 0:
            container["ports"] = [{"containerPort": number}]
    env = _env(inv.flags["env"])
    if env:
        container["env"] = env
    container["resources"] = {}
    if inv.flags["image-pull-policy"]:
        container["imagePullPolicy"] = inv.flags["image-pull-policy"]
    if inv.flags["privileged"]:
        container["securityContext"] = {"privileged": True}
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": objects.meta(name, labels=labels, annotations=dict(sorted(annotations.items())) or None),
        "spec": {"containers": [container], "restartPolicy": inv.flags["restart"] or "Always",
                 "dnsPolicy": "ClusterFirst"},
        "status": {},
    }


def build_service(name: str, port: int, selector: dict) -> dict:
    return {"kind": "Service", "apiVersion": "v1", "metadata": objects.meta(name),
            "spec": {"ports": [{"protocol": "TCP", "port": port, "targetPort": port}], "selector": dict(selector)},
            "status": {"loadBalancer": {}}}


def run(inv: Invocation) -> int:
    if not inv.flags.was_set("image"):
        raise KubectlError('required flag(s) "image" not set')
    if not inv.args:
        raise UsageError("NAME is required for run")
    name = inv.args[0]
    image = inv.flags["image"]
    if not _IMAGE.match(image):
        raise KubectlError(f'Invalid image name "{image}": invalid reference format')
    dry_run = dry_run_strategy(inv)
    attach = inv.flags["attach"] or inv.flags["stdin"] or inv.flags["tty"]
    if dry_run != "none" and attach:
        raise UsageError("--dry-run=[server|client] can't be used with attached containers options (--attach, "
                         "--stdin, or --tty)")
    policy = inv.flags["image-pull-policy"]
    if policy and policy not in ("Always", "Never", "IfNotPresent"):
        raise UsageError(f"invalid image pull policy: {policy}")
    restart = inv.flags["restart"]
    if restart and restart not in ("Always", "OnFailure", "Never"):
        raise UsageError(f"invalid restart policy: {restart}")
    if inv.flags["rm"] and not attach:
        raise UsageError("--rm should only be used for attached containers")
    if inv.flags["expose"] and not inv.flags["port"]:
        raise UsageError("--port must be set when exposing a service")
    if attach:
        raise KubectlError("kubenb: a notebook cell has no terminal to attach to; run the pod without -i/-t/--rm "
                           "and use `kubectl logs` or `kubectl exec`")
    output.check_output_format(inv)
    pod = build_pod(inv, name)
    objs = []
    if inv.flags["expose"]:
        port = objects.go_atoi(inv.flags["port"]) or 0
        objs.append(build_service(name, port, pod["metadata"]["labels"]))
    objs.append(pod)
    fmt = inv.flags.get("output", "")
    for index, obj in enumerate(objs):
        if inv.namespace_explicit:
            obj["metadata"] = output._with_namespace(obj["metadata"], inv.namespace)  # noqa: SLF001
        if inv.flags["save-config"]:
            obj = output.add_last_applied(obj)
        if dry_run != "client":
            sent = output._server_copy(obj)  # noqa: SLF001
            try:
                obj = inv.client.create(sent, namespace=inv.namespace, dry_run=dry_run == "server")
            except errors.StatusError:
                raise
        if fmt == "yaml" and index > 0:
            inv.write("---\n---\n")  # the service and the pod go through two printers, each adding a separator
        output.print_object(inv, obj, "created", dry_run)
    return 0


S, B = pflag.STRING, pflag.BOOL

COMMAND = Command(
    name="run",
    short="Run a particular image on the cluster",
    usage="run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] "
          "[--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    help="Create and run a particular image in a pod.",
    examples="  # Start a nginx pod\n  kubectl run nginx --image=nginx",
    run=run,
    flags=[
        *print_flags(), output.dry_run_flag(),
        Flag("annotations", pflag.STRING_ARRAY, usage="Annotations to apply to the pod."),
        Flag("attach", B, usage="If true, wait for the Pod to start running, and then attach to the Pod."),
        Flag("cascade", S, "background", no_opt_default="background", usage="Must be \"background\", "
             "\"orphan\", or \"foreground\"."),
        Flag("command", B, usage="If true and extra arguments are present, use them as the 'command' field in "
             "the container, rather than the 'args' field which is the default."),
        Flag("env", pflag.STRING_ARRAY, usage="Environment variables to set in the container."),
        Flag("expose", B, usage="If true, create a ClusterIP service associated with the pod."),
        Flag("field-manager", S, "kubectl-run", usage="Name of the manager used to track field ownership."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="to use to replace the resource."),
        Flag("force", B, usage="If true, immediately remove resources from API and bypass graceful deletion."),
        Flag("grace-period", pflag.INT, -1, usage="Period of time in seconds given to the resource to terminate "
             "gracefully."),
        Flag("image", S, usage="The image for the container to run."),
        Flag("image-pull-policy", S, usage="The image pull policy for the container."),
        Flag("kustomize", S, shorthand="k", usage="Process a kustomization directory."),
        Flag("labels", S, shorthand="l", usage="Comma separated labels to apply to the pod."),
        Flag("leave-stdin-open", B, usage="If the pod is started in interactive mode or with stdin, leave stdin "
             "open after the first attach completes."),
        Flag("override-type", S, "merge", usage="The method used to override the generated object: json, merge, "
             "or strategic."),
        Flag("overrides", S, usage="An inline JSON override for the generated object."),
        Flag("pod-running-timeout", pflag.DURATION, 60.0, usage="The length of time to wait until at least one "
             "pod is running"),
        Flag("port", S, usage="The port that this container exposes."),
        Flag("privileged", B, usage="If true, run the container in privileged mode."),
        Flag("quiet", B, shorthand="q", usage="If true, suppress prompt messages."),
        Flag("recursive", B, shorthand="R", usage="Process the directory used in -f, --filename recursively."),
        Flag("restart", S, "Always", usage="The restart policy for this Pod.  Legal values [Always, OnFailure, "
             "Never]."),
        Flag("rm", B, usage="If true, delete the pod after it exits."),
        Flag("save-config", B, usage="If true, the configuration of current object will be saved in its "
             "annotation."),
        Flag("stdin", B, shorthand="i", usage="Keep stdin open on the container in the pod."),
        Flag("timeout", pflag.DURATION, usage="The length of time to wait before giving up on a delete."),
        Flag("tty", B, shorthand="t", usage="Allocate a TTY for the container in the pod."),
        Flag("wait", B, usage="If true, wait for resources to be gone before returning."),
    ],
)
