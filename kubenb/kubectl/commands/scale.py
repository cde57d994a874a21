"""kubectl scale (kubectl ``pkg/cmd/scale/scale.go``, ``pkg/scale``): set spec.replicas of scalable objects.

Targets: ``TYPE NAME...``, ``TYPE/NAME``, ``-l`` or ``--all`` with a TYPE,
``-f``. ``--current-replicas`` is a precondition; ``--resource-version`` too.
Prints ``deployment.apps/web scaled``. Left out: -k, --timeout waiting.
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, InvalidNamespaceError, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.generators import output

_NO_RESOURCE = ("You must provide one or more resources by argument or filename.\n"
                "Example resource specifications include:\n"
                "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
_SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


def _targets(inv: Invocation) -> list[tuple[resources.ResourceType, str]]:
    if inv.flags["filename"]:
        from kubenb.kubectl import manifests  # noqa: PLC0415 - keeps kubectl startup light

        found = []
        for _source, obj in manifests.read_objects(inv, inv.flags["filename"], recursive=inv.flags["recursive"],
                                                   verb="scale"):
            rtype = resources.for_object(obj)
            if rtype is not None:
                found.append((rtype, obj["metadata"]["name"]))
        return found
    args = list(inv.args)
    if not args:
        raise KubectlError(_NO_RESOURCE)
    pairs: list[tuple[str, str | None]] = []
    if all("/" in a for a in args):
        pairs = [(a.partition("/")[0], a.partition("/")[2]) for a in args]
    elif len(args) == 1:
        pairs = [(args[0], None)]
    else:
        pairs = [(args[0], name) for name in args[1:]]
    targets = []
    for kind_text, name in pairs:
        rtype = resources.resolve(kind_text)
        if rtype is None:
            raise KubectlError(f'the server doesn\'t have a resource type "{kind_text}"')
        if name is None:
            selector = inv.flags["selector"]
            if not selector and not inv.flags["all"]:
                raise KubectlError('resource(s) were provided, but no name was specified')
            for obj in inv.client.list(rtype, inv.namespace, label_selector=selector):
                targets.append((rtype, obj["metadata"]["name"]))
        else:
            targets.append((rtype, name))
    return targets


def run(inv: Invocation) -> int:
    if not inv.flags.was_set("replicas"):
        raise KubectlError('required flag(s) "replicas" not set')  # cobra's MarkFlagRequired
    replicas = inv.flags["replicas"]
    if replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    targets = _targets(inv)
    if not targets:
        raise KubectlError("no objects passed to scale")
    expected = inv.flags["current-replicas"]
    version = inv.flags["resource-version"]
    for rtype, name in targets:
        try:
            obj = inv.client.get(rtype, name, inv.namespace)
        except InvalidNamespaceError as error:  # the builder's visit fails: scale.go reports no objects
            raise KubectlError(f"no objects passed to scale {error.message}") from None
        if rtype.kind not in _SCALABLE:
            raise KubectlError("the server could not find the requested resource", raw=False) from None
        current = (obj.get("spec") or {}).get("replicas", 1)
        if expected >= 0 and current != expected:
            raise KubectlError(f"Expected replicas to be {expected}, was {current}")
        if version and obj["metadata"].get("resourceVersion") != version:
            raise KubectlError(f"Expected resource version to be {version}, was "
                               f"{obj['metadata'].get('resourceVersion')}")
        if dry_run != "client":
            obj = inv.client.patch(rtype, name, inv.namespace, {"spec": {"replicas": replicas}}, "merge",
                                   dry_run=dry_run == "server")
        else:
            obj.setdefault("spec", {})["replicas"] = replicas
        output.print_object(inv, obj, "scaled", dry_run, sort_json=True)
    return 0


S, B = pflag.STRING, pflag.BOOL

COMMAND = Command(
    name="scale",
    short="Set a new size for a deployment, replica set, or replication controller",
    usage="scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE "
          "NAME) [options]",
    help="Set a new size for a deployment, replica set, replication controller, or stateful set.",
    examples="  # Scale a deployment named 'web' to 3 replicas\n  kubectl scale --replicas=3 deployment/web",
    run=run,
    flags=[
        *output.print_flags(), output.dry_run_flag(),
        Flag("all", B, usage="Select all resources in the namespace of the specified resource types"),
        Flag("current-replicas", pflag.INT, -1, usage="Precondition for current size. Requires that the current "
             "size of the resource match this value in order to scale. -1 (default) for no condition."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files identifying "
             "the resource to set a new size"),
        Flag("kustomize", S, shorthand="k", usage="Process the kustomization directory."),
        Flag("recursive", B, shorthand="R", usage="Process the directory used in -f, --filename recursively."),
        Flag("replicas", pflag.INT, usage="The new desired number of replicas. Required."),
        Flag("resource-version", S, usage="Precondition for resource version. Requires that the current resource "
             "version match this value in order to scale."),
        Flag("selector", S, shorthand="l", usage="Selector (label query) to filter on, supports '=', '==', '!=', "
             "'in', 'notin'."),
        Flag("timeout", pflag.DURATION, usage="The length of time to wait before giving up on a scale operation, "
             "zero means don't wait."),
    ],
)
