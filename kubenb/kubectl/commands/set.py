"""kubectl set image (kubectl ``pkg/cmd/set/set.go``, ``set_image.go``).

``set image TYPE/NAME CONTAINER=IMAGE...`` (``*`` for every container)
updates the pod template (or the pod) and prints ``<kind>/<name> image updated``.
Left out: ``set env``, ``set resources``, ``set selector``, ``set serviceaccount``,
``set subject`` (kubenb says so), -k, and byte-exact ``--local -o yaml`` (the real
kubectl round-trips the object through its Go type, adding empty fields).
"""

from __future__ import annotations

import json

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.generators import output

_NO_RESOURCE = ("You must provide one or more resources by argument or filename.\n"
                "Example resource specifications include:\n"
                "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")


def _pod_spec(obj: dict) -> dict | None:
    if obj.get("kind") == "Pod":
        return obj.get("spec")
    if obj.get("kind") == "CronJob":
        return (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
    return ((obj.get("spec") or {}).get("template") or {}).get("spec")


def run_image(inv: Invocation) -> int:
    local = inv.flags["local"]
    files = inv.flags["filename"]
    words = [a for a in inv.args if "=" not in a]
    updates = [a for a in inv.args if "=" in a]
    if local and (not files or words):
        raise KubectlError("you must specify resources by --filename when --local is set.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")
    if not updates:
        raise KubectlError("at least one image update is required")
    images = dict(u.split("=", 1) for u in updates)
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    targets: list[dict] = []
    if files:
        from kubenb.kubectl import manifests  # noqa: PLC0415 - keeps kubectl startup light

        targets = [obj for _source, obj in manifests.read_objects(inv, files, recursive=inv.flags["recursive"],
                                                                  verb="set image")]
        if not local:
            targets = [inv.client.get(resources.for_object(o), o["metadata"]["name"], inv.namespace) for o in targets]
    else:
        if not words:
            raise KubectlError(_NO_RESOURCE)
        pairs = [(w.partition("/")[0], w.partition("/")[2]) for w in words] if "/" in words[0] else \
            [(words[0], name) for name in words[1:]]
        if not pairs:
            raise KubectlError(_NO_RESOURCE)
        for kind_text, name in pairs:
            rtype = resources.resolve(kind_text)
            if rtype is None:
                raise KubectlError(f'the server doesn\'t have a resource type "{kind_text}"')
            targets.append(inv.client.get(rtype, name, inv.namespace))
    for obj in targets:
        obj = json.loads(json.dumps(obj))
        spec = _pod_spec(obj)
        if spec is None:
            raise KubectlError(f"error: {obj.get('kind', '').lower()}s/{obj['metadata']['name']} does not have a "
                               "pod template")
        containers = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
        for name, image in images.items():
            matched = [c for c in containers if name in ("*", c.get("name"))]
            if not matched:
                raise KubectlError(f'unable to find container named "{name}"')
            for container in matched:
                container["image"] = image
        if not local and dry_run != "client":
            rtype = resources.for_object(obj)
            obj = inv.client.update(obj, dry_run=dry_run == "server") if rtype else obj
        output.print_object(inv, obj, "image updated", dry_run, sort_json=True)
    return 0


def run_unsupported(inv: Invocation) -> int:
    raise KubectlError(f"kubenb: `kubectl {' '.join(inv.path)}` is not simulated yet")


S, B = pflag.STRING, pflag.BOOL
_COMMON = [
    *output.print_flags(), output.dry_run_flag(),
    Flag("all", B, usage="Select all resources, in the namespace of the specified resource types"),
    Flag("field-manager", S, "kubectl-set", usage="Name of the manager used to track field ownership."),
    Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files identifying "
         "the resource to get from a server."),
    Flag("kustomize", S, shorthand="k", usage="Process the kustomization directory."),
    Flag("local", B, usage="If true, set image will NOT contact api-server but run locally."),
    Flag("recursive", B, shorthand="R", usage="Process the directory used in -f, --filename recursively."),
    Flag("selector", S, shorthand="l", usage="Selector (label query) to filter on, supports '=', '==', '!=', "
         "'in', 'notin'."),
]

COMMAND = Command(
    name="set",
    short="Set specific features on objects",
    usage="set SUBCOMMAND [options]",
    help="Configure application resources.\n\n These commands help you make changes to existing application "
         "resources.",
    subcommands={
        "image": Command(name="image", short="Update the image of a pod template", run=run_image,
                         usage="set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... "
                               "CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
                         examples="  # Set a deployment's nginx container image to 'nginx:1.9.1'\n"
                                  "  kubectl set image deployment/nginx nginx=nginx:1.9.1",
                         flags=list(_COMMON)),
        "env": Command(name="env", short="Update environment variables on a pod template", run=run_unsupported,
                       usage="set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]"),
        "resources": Command(name="resources", short="Update resource requests/limits on objects with pod "
                             "templates", run=run_unsupported,
                             usage="set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & "
                                   "--requests=REQUESTS] [options]"),
    },
)
