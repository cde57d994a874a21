"""kubectl set image|env|resources (kubectl ``pkg/cmd/set/set.go``, ``set_image.go``, ``set_env.go``,
``set_resources.go``, ``env/env_parse.go``, ``env/env_resolve.go``).

``set image TYPE/NAME CONTAINER=IMAGE...`` (``*`` for every container)
updates the pod template (or the pod) and prints ``<kind>/<name> image updated``.
``set env`` adds (``NAME=value``, ``-e``, ``-e -`` from stdin, ``--from=configmap/x|secret/x``
with ``--keys`` and ``--prefix``), removes (``NAME-``) or lists (``--list``) container
variables; ``set resources`` merges ``--limits``/``--requests`` into the selected
containers. Both pick containers with ``-c`` (a glob, init containers after the others),
skip objects they do not change, and print ``env updated`` / ``resource requirements updated``.

Left out: ``set selector``, ``set serviceaccount``, ``set subject`` (kubenb says so), -k,
``set env --resolve`` (kubenb says so), and byte-exact ``--local -o yaml`` (the real kubectl
round-trips the object through its Go type, adding empty fields). ``--from`` imports keys in
sorted order (kubectl walks a Go map, in random order).
"""

from __future__ import annotations

import fnmatch
import json
import re

from kubenb.api import errors, quantity, resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError, format_status_error
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
            raise KubectlError(f"{object_name(obj, server=not local)} {_no_template(obj)}")
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



def object_name(obj: dict, *, server: bool = False) -> str:
    """Info.ObjectName in per-object errors: ``deployments/web`` for an object read from the server (its
    REST mapping); for a --local one ``pod/p``, or ``deployment.apps/web`` for a grouped kind, which kubectl
    1.33 follows with a line break (checked against the binary)."""
    rtype = resources.for_object(obj) if server else None
    if rtype is not None:
        return f"{rtype.plural}/{(obj.get('metadata') or {}).get('name', '')}"
    group = obj.get("apiVersion", "").rpartition("/")[0]
    name = (obj.get("metadata") or {}).get("name", "")
    kind = obj.get("kind", "").lower()
    return f"{kind}.{group}/{name}\n" if group else f"{kind}/{name}"


def _no_template(obj: dict) -> str:
    version = obj.get("apiVersion", "").rpartition("/")[2]
    return f"the object is not a pod or does not have a pod template: *{version}.{obj.get('kind', '')}"


def _select_containers(spec: dict, selector: str) -> list[dict]:
    """selectContainers (path.Match globs) over the containers, then the init containers."""
    return [c for key in ("containers", "initContainers") for c in (spec.get(key) or [])
            if fnmatch.fnmatchcase(c.get("name", ""), selector)]


class _Errors:
    """utilerrors.Aggregate as cmdutil.CheckErr prints it (one error: ``error: `` once; several: each on
    its own lines, kept as they are)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def flush(self, inv: Invocation) -> int:
        if not self.messages:
            return 0
        if len(self.messages) == 1:
            text = self.messages[0]
            text = text if text.startswith("error: ") else f"error: {text}"
        else:
            text = "".join(f"{m}\n" for m in self.messages)
        inv.err.write(text if text.endswith("\n") else text + "\n")
        return 1


def _targets(inv: Invocation, args: list[str], *, local: bool) -> list[tuple[dict, rb.Info | None]]:
    """The objects to change: -f objects as written (--local) or the live objects (builder, then GET)."""
    flags = inv.flags
    if flags["all"] and flags["selector"]:
        raise KubectlError("cannot set --all and --selector at the same time")
    if local:
        selection = rb.select(inv, [], filenames=flags["filename"], recursive=flags["recursive"], local=True)
    else:
        selection = rb.select(inv, args, filenames=flags["filename"], recursive=flags["recursive"],
                              selector=flags["selector"], all_=flags["all"], list_kinds=False)
    result: list[tuple[dict, rb.Info | None]] = []
    for item in selection.items:
        if isinstance(item, rb.Failure):
            raise KubectlError(item.message)
        if local:
            result.append((json.loads(json.dumps(item.obj)), None))
            continue
        try:
            result.append((rb.Selection.fetch(inv.client, item), item))
        except errors.StatusError as error:
            raise KubectlError(format_status_error(error), raw=True) from None
    return result


def _save(inv: Invocation, obj: dict, info: rb.Info | None, operation: str, dry_run: str, problems: _Errors,
          what: str) -> None:
    """Send a changed object (unless --local or --dry-run=client), then print it as -o asks."""
    if info is not None and dry_run != "client":
        try:
            obj = inv.client.update(obj, dry_run=dry_run == "server")
        except errors.StatusError as error:
            problems.messages.append(f"failed to patch {what} update to pod template "
                                     f"{format_status_error(error)}")
            return
    output.print_object(inv, obj, operation, dry_run, sort_json=True)


# --- set env ----------------------------------------------------------------------------------------------------

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_ENV_NAME_MESSAGE = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                     "or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
                     "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
_NOT_ENV_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_]")


def _is_env_argument(arg: str) -> bool:
    """IsEnvironmentArgument (``(?ms)^(.+)=(.*)$``) or the removal form ``NAME-``."""
    return arg.find("=", 1) > 0 or arg.endswith("-")


def split_environment_from_resources(args: list[str]) -> tuple[list[str], list[str]] | None:
    """Resources first, then environment arguments; None when a resource follows an environment argument."""
    resource_args: list[str] = []
    env_args: list[str] = []
    for arg in args:
        if _is_env_argument(arg):
            env_args.append(arg)
        elif env_args:
            return None
        else:
            resource_args.append(arg)
    return resource_args, env_args


def parse_env(specs: list[str], stdin: str) -> tuple[list[dict], list[str]]:
    """ParseEnv: (variables to set, names to remove)."""
    env: list[dict] = []
    remove: list[str] = []
    named: set[str] = set()
    for spec in specs:
        if spec == "-":
            for line in stdin.splitlines():
                line = line.partition("#")[0]
                if "=" in line:
                    name, _, value = line.partition("=")
                    env.append({"name": name, "value": value})
        elif "=" in spec:
            name, _, value = spec.partition("=")
            if not _ENV_NAME.match(name):
                problem = "a valid environment variable name must not be empty" if not name else _ENV_NAME_MESSAGE
                raise KubectlError(f'"{name}" is not a valid key name: {problem}')
            named.add(name)
            env.append({"name": name, "value": value})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown environment variable: {spec}")
    if any(name in named for name in remove):
        raise KubectlError("can not both modify and remove the same environment variable in the same command")
    return env, remove


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """updateEnv: a new value replaces every variable of its name in place; removals win."""
    out: list[dict] = []
    covered = set(remove)
    for current in existing:
        name = current.get("name")
        if name in covered:
            continue
        newer = next((e for e in env if e["name"] == name), None)
        if newer is not None:
            covered.add(name)
            out.append(dict(newer))
            continue
        out.append(current)
    for new in env:
        if new["name"] not in covered:
            covered.add(new["name"])
            out.append(dict(new))
    return out


def env_var_ref_string(source: dict) -> str:
    """GetEnvVarRefString: how --list shows a valueFrom variable."""
    if source.get("configMapKeyRef"):
        ref = source["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("secretKeyRef"):
        ref = source["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("fieldRef"):
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if source.get("resourceFieldRef"):
        ref = source["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource field {prefix}{ref.get('resource', '')}"
    return "invalid valueFrom"


def _env_from(inv: Invocation, source: str, keys: list[str], local_objects: list[dict]) -> list[dict]:
    """--from: one valueFrom variable per key of a ConfigMap's data or a Secret's data."""
    if local_objects:
        objects = local_objects  # --local: kubectl's builder reads the -f objects here, not the named one
    else:
        try:
            selection = rb.select(inv, [source], list_kinds=False)
            objects = [rb.Selection.fetch(inv.client, info) for info in selection.infos]
        except errors.StatusError as error:
            raise KubectlError(format_status_error(error), raw=True) from None
    env: list[dict] = []
    for obj in objects:
        kind = obj.get("kind")
        if kind not in ("ConfigMap", "Secret") or obj.get("apiVersion") != "v1":
            raise KubectlError("unsupported resource specified in --from")
        ref_kind = "configMapKeyRef" if kind == "ConfigMap" else "secretKeyRef"
        for key in sorted(obj.get("data") or {}):
            if not keys or key in keys:
                env.append({"name": _NOT_ENV_NAME_CHARS.sub("_", key).upper(),
                            "valueFrom": {ref_kind: {"key": key, "name": obj["metadata"]["name"]}}})
    return env


def run_env(inv: Invocation) -> int:
    flags = inv.flags
    if flags["all"] and flags["selector"]:
        raise KubectlError("cannot set --all and --selector at the same time")
    split = split_environment_from_resources(inv.args)
    if split is None:
        raise KubectlError(f"all resources must be specified before environment changes: {' '.join(inv.args)}")
    resource_args, env_args = split
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    local = flags["local"]
    if local and dry_run == "server":
        raise KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not flags["filename"] and not resource_args:
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if flags["list"] and flags["output"]:
        raise KubectlError("--list and --output may not be specified together")
    if flags["keys"] and not flags["from"]:
        raise KubectlError("when specifying --keys, a configmap or secret must be provided with --from")
    if flags["resolve"]:
        raise KubectlError("kubenb: `kubectl set env --resolve` is not simulated yet; use --list without it")
    env, remove = parse_env([*flags["env"], *env_args], inv.env.stdin)
    if local and not flags["filename"]:
        raise KubectlError(rb.RESOURCE_ARGS_HELP)
    targets = _targets(inv, resource_args, local=local)
    if flags["from"]:
        env += _env_from(inv, flags["from"], flags["keys"], [obj for obj, _ in targets] if local else [])
    if flags["prefix"]:
        env = [{**e, "name": flags["prefix"] + e["name"]} for e in env]
    selector = flags["containers"]
    problems = _Errors()
    for obj, info in targets:
        before = json.loads(json.dumps(obj))
        spec = _pod_spec(obj)
        if spec is None:
            problems.messages.append(f"error: {object_name(obj, server=info is not None)} {_no_template(obj)}\n")
            continue
        containers = _select_containers(spec, selector)
        name = obj["metadata"].get("name", "")
        if not containers:
            inv.warn(f'Warning: {obj.get("kind", "")}/{name} does not have any containers matching "{selector}"')
            continue
        failed = None
        for container in containers:
            existing = container.get("env") or []
            if not flags["overwrite"]:
                clash = next((c for e in env for c in existing if c.get("name") == e["name"]
                              and c.get("value", "") != e.get("value", "")), None)
                if clash is not None:
                    failed = f"'{clash['name']}' already has a value ({clash.get('value', '')}), and --overwrite is false"
                    break
            updated = update_env(existing, env, remove)
            if updated:
                container["env"] = updated
            else:
                container.pop("env", None)
            if flags["list"]:
                inv.write(f"# {obj.get('kind', '')} {name}, container {container.get('name', '')}\n")
                for var in updated:
                    if var.get("valueFrom") is None:
                        inv.write(f"{var['name']}={var.get('value', '')}\n")
                    else:
                        inv.write(f"# {var['name']} from {env_var_ref_string(var['valueFrom'])}\n")
        if failed is not None:
            if not flags["list"]:
                problems.messages.append(f"error: {object_name(obj, server=info is not None)} {failed}\n")
            continue
        if flags["list"] or obj == before:
            continue
        _save(inv, obj, info, "env updated", dry_run, problems, "env")
    return 0 if flags["list"] else problems.flush(inv)


# --- set resources ----------------------------------------------------------------------------------------------

def _resource_list(text: str) -> dict[str, str]:
    """populateResourceListV1: ``cpu=100m,memory=256Mi`` with each quantity in canonical form."""
    result: dict[str, str] = {}
    if not text:
        return result
    for pair in text.split(","):
        parts = pair.split("=")
        if len(parts) != 2:
            raise KubectlError(f"Invalid argument syntax {pair}, expected <resource>=<value>")
        try:
            if not parts[1]:
                raise quantity.QuantityError(quantity.ERR_FORMAT_WRONG)  # ParseQuantity("") is ErrFormatWrong
            result[parts[0]] = str(quantity.parse(parts[1]))
        except quantity.QuantityError as error:
            raise KubectlError(str(error)) from None
    return result


def run_resources(inv: Invocation) -> int:
    flags = inv.flags
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    local = flags["local"]
    if local and inv.args:
        raise KubectlError("you must specify resources by --filename when --local is set.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")
    if local and not flags["filename"]:
        raise KubectlError(rb.RESOURCE_ARGS_HELP)
    targets = _targets(inv, inv.args, local=local)
    if local and dry_run == "server":
        raise KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not flags["limits"] and not flags["requests"]:
        raise KubectlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits = _resource_list(flags["limits"])
    requests = _resource_list(flags["requests"])
    selector = flags["containers"]
    problems = _Errors()
    changed: list[tuple[dict, rb.Info | None]] = []
    failures: list[str] = []
    for obj, info in targets:
        spec = _pod_spec(obj)
        if spec is None:
            failures.append(f"error: {object_name(obj, server=info is not None)} {_no_template(obj)}\n")
            continue
        containers = _select_containers(spec, selector)
        if not containers:
            problems.messages.append(f"error: unable to find container named {selector}")
            continue
        before = json.loads(json.dumps(obj))
        for container in containers:
            current = container.setdefault("resources", {})
            for key, values in (("limits", limits), ("requests", requests)):
                if values:
                    current[key] = {**(current.get(key) or {}), **values}
        if obj != before:
            changed.append((obj, info))
    # kubectl reports the mutation errors it met while computing patches before the per-object ones
    problems.messages += failures
    for obj, info in changed:
        _save(inv, obj, info, "resource requirements updated", dry_run, problems, "resources")
    return problems.flush(inv)


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

_RESOURCE_USAGE = ("The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  "
                   "Note that server side components may assign requests depending on the server configuration, "
                   "such as limit ranges.")


def _common(verb: str) -> list[Flag]:
    return [f if f.name != "local" else Flag("local", B, usage=f"If true, set {verb} will NOT contact api-server but "
                                                            "run locally.") for f in _COMMON]


def _env_flags() -> list[Flag]:
    flags = [f for f in _common("env") if f.name not in ("filename", "all")]
    return [
        *flags,
        Flag("all", B, usage="If true, select all resources in the namespace of the specified resource types"),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files the "
             "resource to update the env"),
        Flag("containers", S, "*", shorthand="c", usage="The names of containers in the selected pod templates to "
             "change - may use wildcards"),
        Flag("env", pflag.STRING_ARRAY, shorthand="e", usage="Specify a key-value pair for an environment variable "
             "to set into each container."),
        Flag("from", S, usage="The name of a resource from which to inject environment variables"),
        Flag("keys", pflag.STRING_SLICE, usage="Comma-separated list of keys to import from specified resource"),
        Flag("list", B, usage="If true, display the environment and any changes in the standard format. this flag "
             "will removed when we have kubectl view env."),
        Flag("overwrite", B, True, usage="If true, allow environment to be overwritten, otherwise reject updates "
             "that overwrite existing environment."),
        Flag("prefix", S, usage="Prefix to append to variable names"),
        Flag("resolve", B, usage="If true, show secret or configmap references when listing variables"),
    ]


def _resources_flags() -> list[Flag]:
    return [
        *_common("resources"),
        Flag("containers", S, "*", shorthand="c", usage="The names of containers in the selected pod templates to "
             "change, all containers are selected by default - may use wildcards"),
        Flag("limits", S, usage=_RESOURCE_USAGE),
        Flag("requests", S, usage=_RESOURCE_USAGE),
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
        "env": Command(name="env", short="Update environment variables on a pod template", run=run_env,
                       usage="set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
                       examples="  # Add or change a variable in every container of a deployment\n"
                                "  kubectl set env deployment/web MODE=prod\n\n"
                                "  # Show the variables of a deployment's containers\n"
                                "  kubectl set env deployment/web --list\n\n"
                                "  # Take every key of a config map as a variable, with a prefix\n"
                                "  kubectl set env deployment/web --from=configmap/settings --prefix=APP_\n\n"
                                "  # Remove a variable\n"
                                "  kubectl set env deployment/web MODE-",
                       flags=_env_flags()),
        "resources": Command(name="resources", short="Update resource requests/limits on objects with pod "
                             "templates", run=run_resources,
                             usage="set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & "
                                   "--requests=REQUESTS] [options]",
                             examples="  # Limit and request CPU and memory for every container of a deployment\n"
                                      "  kubectl set resources deployment/web --limits=cpu=200m,memory=512Mi "
                                      "--requests=cpu=100m,memory=256Mi\n\n"
                                      "  # Only the container named web\n"
                                      "  kubectl set resources deployment/web -c=web --limits=cpu=200m",
                             flags=_resources_flags()),
        "selector": Command(name="selector", short="Set the selector on a resource", run=run_unsupported,
                            usage="set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] "
                                  "[options]"),
        "serviceaccount": Command(name="serviceaccount", short="Update the service account of a resource",
                                  run=run_unsupported, aliases=("sa",),
                                  usage="set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]"),
        "subject": Command(name="subject", short="Update the user, group, or service account in a role binding or "
                           "cluster role binding", run=run_unsupported,
                           usage="set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] "
                                 "[--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] "
                                 "[options]"),
    },
)
