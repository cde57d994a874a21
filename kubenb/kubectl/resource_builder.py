"""Which objects a command acts on: cli-runtime's ``resource.Builder`` (pkg/resource/builder.go).

API (small on purpose; shared by every verb that takes resources)::

    selection = resource_builder.select(inv, args, filenames=[...], recursive=False,
                                        selector="", all_=False, all_namespaces=False,
                                        require_object=False, validate=True)
    for item in selection.items:          # Info or Failure, in kubectl's order
        if isinstance(item, Failure): ...  # item.message: an error kubectl reports and goes on from
        else: item.rtype, item.namespace, item.name, item.obj (manifest for -f, else None), item.source
    selection.fetch(inv.client, info)     # the live object, or raises StatusError NotFound

Forms accepted, as kubectl does: ``TYPE NAME...``, ``TYPE/NAME...``,
``TYPE1,TYPE2 NAME``, ``TYPE`` with ``-l``/``--all``, ``-f`` (files, dirs,
``-``), ``-A``. Usage mistakes raise ``KubectlError`` before anything is
done (so the cluster is never half-changed by a malformed command line).

- ``-f`` objects take ``-n`` (or the context namespace) when they name none;
  when they name another one: ``the namespace from the provided object "a"
  does not match the namespace "b". You must pass '--namespace=a' to perform
  this operation.`` (only if ``-n`` was given explicitly, as kubectl's
  ``RequireNamespace`` with ``enforceNamespace``).
- Selector and ``--all`` forms list the server (sorted like etcd); a list
  that finds nothing yields no items (verbs print ``No resources found``).

Left out: kustomize, field selectors on -f, ``--raw``, server-side paging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from kubenb.api import Client, errors, resources, selectors
from kubenb.api.resources import ResourceType
from kubenb.kubectl import manifests
from kubenb.kubectl.cli import Invocation, KubectlError

RESOURCE_ARGS_HELP = ("You must provide one or more resources by argument or filename.\n"
                      "Example resource specifications include:\n"
                      "   '-f rsrc.yaml'\n"
                      "   '--filename=rsrc.json'\n"
                      "   '<resource> <name>'\n"
                      "   '<resource>'")


@dataclass
class Info:
    """One object to act on (cli-runtime ``resource.Info``)."""

    rtype: ResourceType
    namespace: str | None  # None for cluster-scoped kinds
    name: str
    obj: dict | None = None  # the manifest object (-f) or the listed object (selector/--all)
    source: str | None = None  # file name for -f objects

    @property
    def ref(self) -> str:
        """``deployment.apps/web`` (the name printer's prefix)."""
        return f"{self.rtype.kind_prefix}/{self.name}"


class Failure(NamedTuple):
    """An error for one source or object; the verb reports it, goes on, and exits 1 at the end.

    A NamedTuple, not a frozen dataclass: cheaper to define when a first ``apply -f`` loads this module."""

    message: str
    source: str | None = None


@dataclass
class Selection:
    items: list[Info | Failure]
    from_files: bool
    listed: bool  # selector / --all form (empty result is "No resources found", not an error)
    namespace: str
    all_namespaces: bool

    @property
    def infos(self) -> list[Info]:
        return [i for i in self.items if isinstance(i, Info)]

    @property
    def failures(self) -> list[Failure]:
        return [i for i in self.items if isinstance(i, Failure)]

    @staticmethod
    def fetch(client: Client, info: Info) -> dict:
        return client.get(info.rtype, info.name, info.namespace)


def resolve_type(text: str) -> ResourceType:
    rtype = resources.resolve(text)
    if rtype is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{text}"')
    return rtype


def select(inv: Invocation, args: list[str], *, filenames: list[str] | None = None, recursive: bool = False,
           selector: str = "", all_: bool = False, all_namespaces: bool = False, validate: bool = True,
           list_kinds: bool = True, local: bool = False) -> Selection:
    """Resolve the command line into Infos (see the module docstring).

    ``list_kinds=False``: a bare TYPE (no name, -l or --all) is a usage error.
    ``local=True``: -f objects are used as written (no namespace defaulting), for ``--local``.
    """
    filenames = [f for f in (filenames or []) if f != ""]
    namespace = inv.namespace
    if filenames:
        if args:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        return Selection(_from_files(inv, filenames, recursive, namespace, validate, local), True, False, namespace,
                         all_namespaces)
    if not args:
        raise KubectlError(RESOURCE_ARGS_HELP)
    slash_form = [a for a in args if "/" in a]
    if slash_form:
        if len(slash_form) != len(args):
            raise KubectlError("there is no need to specify a resource type as a separate argument when passing "
                               "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                               "instead of 'kubectl get resource resource/<resource_name>'")
        if selector:
            raise KubectlError("name cannot be provided when a selector is specified")
        items: list[Info | Failure] = []
        for arg in args:
            type_text, _, name = arg.partition("/")
            if not name:
                raise KubectlError("arguments in resource/name form must have a single resource and name")
            rtype = resolve_type(type_text)
            items.append(Info(rtype, namespace if rtype.namespaced else None, name))
        return Selection(items, False, False, namespace, all_namespaces)
    type_texts = [t for t in args[0].split(",") if t]
    names = args[1:]
    if names and (selector or all_):
        raise KubectlError("name cannot be provided when a selector is specified")
    rtypes = [resolve_type(t) for t in type_texts]
    if names:
        items = [Info(rtype, namespace if rtype.namespaced else None, name) for rtype in rtypes for name in names]
        return Selection(items, False, False, namespace, all_namespaces)
    if not (selector or all_ or list_kinds):
        raise KubectlError(RESOURCE_ARGS_HELP)
    try:
        selectors.parse(selector) if selector else None
    except selectors.SelectorError as error:
        raise KubectlError(str(error)) from None
    items = []
    for rtype in rtypes:
        scope = None if (all_namespaces or not rtype.namespaced) else namespace
        for obj in inv.client.list(rtype, scope, label_selector=selector):
            md = obj["metadata"]
            items.append(Info(rtype, md.get("namespace") if rtype.namespaced else None, md["name"], obj))
    return Selection(items, False, True, namespace, all_namespaces)


def _from_files(inv: Invocation, filenames: list[str], recursive: bool, namespace: str,
                validate: bool, local: bool = False) -> list[Info | Failure]:
    try:
        read = manifests.read_manifests(filenames, inv.env.files, recursive=recursive, read_disk=inv.env.read_disk,
                                        stdin=inv.env.stdin, validate=validate)
    except manifests.ManifestPathError as error:
        raise KubectlError(str(error)) from None
    items: list[Info | Failure] = []
    for entry in read:
        if isinstance(entry, manifests.ManifestError):
            items.append(Failure(entry.message, entry.source))
            continue
        obj = entry.obj
        rtype = resources.for_object(obj)
        assert rtype is not None  # read_manifests reported unknown kinds already
        if not isinstance(obj.get("metadata"), dict):
            obj["metadata"] = {}  # "metadata: null" decodes into an empty ObjectMeta
        md = obj["metadata"]
        name = str(md.get("name") or "")
        if rtype.namespaced:
            own = md.get("namespace")
            if own and inv.namespace_explicit and own != namespace:
                items.append(Failure(f'the namespace from the provided object "{own}" does not match the namespace '
                                     f'"{namespace}". You must pass \'--namespace={own}\' to perform this operation.',
                                     entry.source))
                continue
            ns = own or namespace
            if not local:
                md["namespace"] = ns
        else:
            ns = None
        items.append(Info(rtype, ns, name, obj, entry.source))
    return items


def not_found_message(rtype: ResourceType, name: str) -> str:
    return str(errors.not_found(rtype.group_resource, name))


# --- shared by the verbs: flags and error reporting -----------------------------------------------------------

def filename_flags(purpose: str) -> list:
    """``-f``, ``-R``, ``-k`` as kubectl declares them (FilenameOptions)."""
    from kubenb.kubectl import flags as pflag
    from kubenb.kubectl.flags import Flag

    return [
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage=f"Filename, directory, or URL to files {purpose}"),
        Flag("recursive", pflag.BOOL, shorthand="R", usage="Process the directory used in -f, --filename "
             "recursively. Useful when you want to manage related manifests organized within the same directory."),
        Flag("kustomize", pflag.STRING, shorthand="k", usage="Process the kustomization directory. This flag "
             "can't be used together with -f or -R."),
    ]


class Errors:
    """Errors gathered while visiting objects; printed at the end as cmdutil.CheckErr does.

    One error: ``error: <msg>`` (API errors: ``Error from server (Reason): ...``). Several: one
    message per line, without the ``error: `` prefix (cmdutil.MultipleErrors).
    """

    def __init__(self) -> None:
        self.messages: list[tuple[str, bool]] = []  # (text, is_api_error)

    def add(self, message: str) -> None:
        self.messages.append((message, False))

    def add_status(self, error: errors.StatusError, *, source: str | None = None, verb: str = "") -> None:
        from kubenb.kubectl.cli import format_status_error

        self.messages.append((format_status_error(error, source=source, verb=verb), True))

    def add_failure(self, failure: Failure) -> None:
        self.add(failure.message)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def flush(self, inv: Invocation) -> int:
        if not self.messages:
            return 0
        if len(self.messages) == 1:
            text, api = self.messages[0]
            inv.err.write((text if api or text.startswith("error: ") else "error: " + text) + "\n")
        else:
            for text, _ in self.messages:
                inv.err.write(text + "\n")
        return 1


def dry_run_strategy(inv: Invocation) -> str:
    """``--dry-run``: "none", "client" or "server"."""
    value = inv.flags.get("dry-run", "none") or "none"
    if value == "unchanged":
        return "client"  # deprecated bare --dry-run (kubectl also logs a klog warning, left out)
    if value not in ("none", "client", "server"):
        raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return value


def dry_run_suffix(strategy: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(strategy, "")


def dry_run_flag() -> object:
    from kubenb.kubectl import flags as pflag
    from kubenb.kubectl.flags import Flag

    return Flag("dry-run", pflag.STRING, "none", no_opt_default="unchanged",
                usage='Must be "none", "server", or "client". If client strategy, only print the object that would '
                      "be sent, without sending it. If server strategy, submit server-side request without "
                      "persisting the resource.")


def output_flag() -> object:
    from kubenb.kubectl import flags as pflag
    from kubenb.kubectl.flags import Flag

    return Flag("output", pflag.STRING, shorthand="o",
                usage="Output format. One of: (json, yaml, name, go-template, go-template-file, template, "
                      "templatefile, jsonpath, jsonpath-as-json, jsonpath-file).")


def print_object(inv: Invocation, info: Info, obj: dict, operation: str, output: str) -> None:
    """The success line (``deployment.apps/web configured``) or the object for ``-o yaml|json|name``."""
    from kubenb.kubectl.printers.structured import to_json, to_yaml

    if output == "yaml":
        inv.write(to_yaml(obj))
    elif output == "json":
        inv.write(to_json(obj))
    elif output == "name":
        inv.write(f"{info.ref}\n")
    elif output == "":
        inv.write(f"{info.ref} {operation}\n")
    else:
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed formats '
                           "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
                           "template,templatefile,yaml")
