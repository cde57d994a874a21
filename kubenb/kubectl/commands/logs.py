"""kubectl logs (pkg/cmd/logs/logs.go, polymorphichelpers/logsforobject.go).

- ``POD`` or ``TYPE/NAME`` (a Deployment, ReplicaSet, Job, ... picks its
  first Pod: ``Found 3 pods, using pod/web-...`` on stderr), or ``-l``.
- ``-c``; without it the ``kubectl.kubernetes.io/default-container``
  annotation or the first container (``Defaulted container "a" out of: a, b``).
- ``--previous``, ``--tail``, ``--timestamps``, ``--prefix``, ``--since``.
- ``-f`` lets virtual time pass until the container stops, or for
  ``--request-timeout`` (default 60 virtual seconds) while it keeps running;
  kubenb then says it stopped following, on stderr.
- Errors come from the server: ``container "x" in pod "y" is waiting to
  start: ContainerCreating`` and the like (BadRequest).

Left out: ``--since-time``, ``--limit-bytes``, ``--all-containers`` with ``-f``.
"""

from __future__ import annotations

from kubenb.api import errors, objects, selectors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag, parse_duration

FOLLOW_BOUND_SECONDS = 60.0
USAGE = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument "
         "for the logs command")
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def pods_for(inv: Invocation, text: str) -> list[dict]:
    """TYPE/NAME -> the Pods it owns or selects (attachablePodForObject), newest last."""
    from kubenb.api import resources

    client = inv.client
    kind, _, name = text.partition("/")
    rtype = resources.resolve(kind)
    if rtype is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{kind}"')
    if rtype.kind == "Pod":
        return [client.get("pods", name, inv.namespace)]
    obj = client.get(rtype, name, inv.namespace)
    spec = obj.get("spec", {})
    selector = spec.get("selector")
    if rtype.kind in ("Service", "ReplicationController"):
        label_selector = ",".join(f"{k}={v}" for k, v in sorted((selector or {}).items()))
    elif isinstance(selector, dict):
        label_selector = str(selectors.from_label_selector(selector))
    else:
        label_selector = ""
    if not label_selector:
        raise KubectlError(f"cannot attach to {rtype.kind}: selector for {rtype.kind} not implemented")
    pods = client.list("pods", inv.namespace, label_selector=label_selector)
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    pods.sort(key=lambda p: (p.get("status", {}).get("phase") != "Running", p["metadata"].get("creationTimestamp", ""),
                             objects.name(p)))
    return pods


def choose_container(inv: Invocation, pod: dict) -> str:
    containers = pod["spec"].get("containers") or []
    if inv.flags["container"]:
        return inv.flags["container"]
    default = objects.annotations(pod).get(DEFAULT_CONTAINER)
    if default and any(c["name"] == default for c in containers):
        return default
    if len(containers) > 1:
        names = ", ".join(c["name"] for c in containers)
        inv.warn(f'Defaulted container "{containers[0]["name"]}" out of: {names}')
    return containers[0]["name"]


def run(inv: Invocation) -> int:
    args = inv.args
    selector = inv.flags["selector"]
    if selector and args:
        raise UsageError("only a selector (-l) or a POD name is allowed")
    if not selector and not 1 <= len(args) <= 2:
        raise UsageError(USAGE)
    if inv.flags["tail"] < -1:
        pass
    client = inv.client
    if selector:
        pods = client.list("pods", inv.namespace, label_selector=selector)
        if not pods:
            inv.warn(f"No resources found in {inv.namespace} namespace.")
            return 0
    else:
        target = args[0]
        if "/" in target:
            pods = pods_for(inv, target)
            if len(pods) > 1:
                inv.warn(f"Found {len(pods)} pods, using pod/{objects.name(pods[0])}")
            pods = pods[:1]
        else:
            pods = [client.get("pods", target, inv.namespace)]
        if len(args) == 2:
            if inv.flags["container"]:
                raise UsageError(USAGE)
            inv.flags.values["container"] = args[1]
    tail = inv.flags["tail"]
    if tail == -1 and selector:
        tail = 10  # with a selector kubectl shows the last 10 lines of each
    since = None
    if inv.flags["since"]:
        since = client.clock.now() - parse_duration(inv.flags["since"])
    options = {"previous": inv.flags["previous"], "tail": None if tail < 0 else tail,
               "timestamps": inv.flags["timestamps"]}
    if since is not None:
        options["since"] = since
    targets = [(pod, choose_container(inv, pod)) for pod in pods]
    if inv.flags["follow"] and not inv.flags["previous"]:
        start = client.clock.now()
        bound = parse_duration(inv.flags["request-timeout"]) if inv.flags["request-timeout"] not in ("", "0") \
            else FOLLOW_BOUND_SECONDS

        def stopped() -> bool:
            for pod, name in targets:
                current = client.try_get("pods", objects.name(pod), objects.namespace(pod))
                if current is None:
                    continue
                for status in current.get("status", {}).get("containerStatuses") or []:
                    if status["name"] == name and "terminated" not in status.get("state", {}):
                        return False
            return True

        first = targets[0]
        try:
            client.logs(objects.namespace(first[0]) or inv.namespace, objects.name(first[0]), first[1], **options)
        except errors.StatusError:
            raise
        done = inv.env.waiter.run_until(stopped, bound)
        if not done:
            inv.warn(f"kubenb: stopped following after {int(client.clock.now() - start)}s of virtual time "
                     "(the container is still running)")
    for pod, name in targets:
        text = client.logs(objects.namespace(pod) or inv.namespace, objects.name(pod), name, **options)
        if inv.flags["prefix"]:
            prefix = f"[pod/{objects.name(pod)}/{name}] "
            text = "".join(prefix + line + "\n" for line in text.splitlines())
        inv.write(text)
    return 0


COMMAND = Command(
    name="logs",
    short="Print the logs for a container in a pod",
    usage="logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    help="Print the logs for a container in a pod or specified resource. If the pod has only one container, "
         "the container name is optional.",
    examples="  # Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx",
    run=run,
    flags=[
        Flag("all-containers", pflag.BOOL, usage="Get all containers' logs in the pod(s)."),
        Flag("container", pflag.STRING, shorthand="c", usage="Print the logs of this container"),
        Flag("follow", pflag.BOOL, shorthand="f", usage="Specify if the logs should be streamed."),
        Flag("ignore-errors", pflag.BOOL, usage="If watching / following pod logs, allow for any errors that occur "
             "to be non-fatal"),
        Flag("insecure-skip-tls-verify-backend", pflag.BOOL, usage="Skip verifying the identity of the kubelet "
             "that logs are requested from."),
        Flag("limit-bytes", pflag.INT, 0, usage="Maximum bytes of logs to return. Defaults to no limit."),
        Flag("max-log-requests", pflag.INT, 5, usage="Specify maximum number of concurrent logs to follow when "
             "using by a selector. Defaults to 5."),
        Flag("pod-running-timeout", pflag.DURATION, 20.0, usage="The length of time (like 5s, 2m, or 3h, higher "
             "than zero) to wait until at least one pod is running"),
        Flag("prefix", pflag.BOOL, usage="Prefix each log line with the log source (pod name and container name)"),
        Flag("previous", pflag.BOOL, shorthand="p", usage="If true, print the logs for the previous instance of "
             "the container in a pod if it exists."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on, supports '=', "
             "'==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must "
             "satisfy all of the specified label constraints."),
        Flag("since", pflag.STRING, usage="Only return logs newer than a relative duration like 5s, 2m, or 3h. "
             "Defaults to all logs. Only one of since-time / since may be used."),
        Flag("since-time", pflag.STRING, usage="Only return logs after a specific date (RFC3339). Defaults to all "
             "logs. Only one of since-time / since may be used."),
        Flag("tail", pflag.INT64, -1, usage="Lines of recent log file to display. Defaults to -1 with no selector, "
             "showing all log lines otherwise 10, if a selector is provided."),
        Flag("timestamps", pflag.BOOL, usage="Include timestamps on each line in the log output"),
    ],
)
