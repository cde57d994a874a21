"""kubectl config (pkg/cmd/config/*.go): view and edit the kubeconfig.

The kubeconfig is ``env.kubeconfig`` (a dict the cluster owns; kubectl
reports it as ``/root/.kube/config``). ``--kubeconfig NAME`` reads the
virtual file ``NAME`` (from ``%%manifest``-style files) or, when disk reads
are allowed, the real file; changes are written back to the virtual files
only, never to the disk.

Output follows kubectl: ``view`` prints YAML with sorted keys (``-o json``
keeps the Go struct field order), secrets shown as ``DATA+OMITTED`` /
``REDACTED`` unless ``--raw``; ``get-contexts`` is a tabwriter table.

Left out: ``set`` on arbitrary nested paths beyond
``clusters|contexts|users.NAME.FIELD`` and ``current-context``; exec/auth
provider flags of ``set-credentials``; ``--merge``/``--flatten`` of several files.
"""

from __future__ import annotations

import json
import os

import yaml

from kubenb.api import objects
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.structured import to_yaml

DEFAULT_PATH = "/root/.kube/config"

# Go struct field order of clientcmd/api/v1 types (what -o json shows).
_CONFIG_ORDER = ["kind", "apiVersion", "preferences", "clusters", "users", "contexts", "current-context",
                 "extensions"]
_CLUSTER_ORDER = ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority",
                  "certificate-authority-data", "proxy-url", "disable-compression", "extensions"]
_USER_ORDER = ["client-certificate", "client-certificate-data", "client-key", "client-key-data", "token",
               "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username", "password", "auth-provider",
               "exec", "extensions"]
_CONTEXT_ORDER = ["cluster", "user", "namespace", "extensions"]
_SECTIONS = {"clusters": ("cluster", _CLUSTER_ORDER), "users": ("user", _USER_ORDER),
             "contexts": ("context", _CONTEXT_ORDER)}


# --- loading and saving ------------------------------------------------------------------------------------

def _load(inv: Invocation) -> tuple[dict, str]:
    path = inv.flags.get("kubeconfig") or ""
    if not path:
        return inv.env.kubeconfig, DEFAULT_PATH
    if path in inv.env.files:
        text = inv.env.files[path]
    elif inv.env.read_disk and os.path.isfile(path):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    else:
        return {}, path  # kubectl treats a missing file as an empty config (and creates it on write)
    try:
        config = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        raise KubectlError(f"error loading config file \"{path}\": yaml: {getattr(error, 'problem', error)}") from None
    if not isinstance(config, dict):
        raise KubectlError(f'error loading config file "{path}": couldn\'t get version/kind; json parse error')
    return config, path


def _save(inv: Invocation, config: dict, path: str) -> None:
    if path == DEFAULT_PATH and not inv.flags.get("kubeconfig"):
        return  # env.kubeconfig was changed in place
    inv.env.files[path] = to_yaml(_normalised(config))


def _normalised(config: dict) -> dict:
    result = {"apiVersion": config.get("apiVersion") or "v1", "kind": config.get("kind") or "Config",
              "preferences": config.get("preferences") or {}}
    for section in ("clusters", "contexts", "users"):
        entries = config.get(section) or None
        if entries:
            entries = sorted(entries, key=lambda e: str(e.get("name", "")))
        result[section] = entries
    result["current-context"] = config.get("current-context") or ""
    if not result["current-context"]:
        result.pop("current-context")
    return result


def _entries(config: dict, section: str) -> list[dict]:
    entries = config.get(section)
    if not isinstance(entries, list):
        entries = []
        config[section] = entries
    return entries


def _find(config: dict, section: str, name: str) -> dict | None:
    for entry in _entries(config, section):
        if entry.get("name") == name:
            return entry
    return None


# --- view --------------------------------------------------------------------------------------------------

def _redact(config: dict) -> dict:
    config = objects.clone(config)
    for entry in config.get("clusters") or []:
        body = entry.get("cluster") or {}
        if body.get("certificate-authority-data"):
            body["certificate-authority-data"] = "DATA+OMITTED"
    for entry in config.get("users") or []:
        body = entry.get("user") or {}
        for key in ("client-certificate-data", "client-key-data"):
            if body.get(key):
                body[key] = "DATA+OMITTED"
        for key in ("token", "password"):
            if body.get(key):
                body[key] = "REDACTED"
    return config


def _ordered(value: dict, order: list[str]) -> dict:
    result = {k: value[k] for k in order if k in value}
    result.update({k: v for k, v in sorted(value.items()) if k not in result})
    return result


def _json_form(config: dict) -> dict:
    result = {"kind": config.get("kind") or "Config", "apiVersion": config.get("apiVersion") or "v1",
              "preferences": config.get("preferences") or {}}
    for section in ("clusters", "users", "contexts"):
        body_key, order = _SECTIONS[section]
        result[section] = [{"name": e.get("name", ""), body_key: _ordered(e.get(body_key) or {}, order)}
                           for e in (config.get(section) or [])]
    result["current-context"] = config.get("current-context", "")
    return result


def run_view(inv: Invocation) -> int:
    config, _path = _load(inv)
    config = _normalised(config)
    if inv.flags["minify"]:
        current = inv.flags.get("context") or config.get("current-context")
        if not current:
            raise KubectlError("current-context must exist in order to minify")
        context = _find(config, "contexts", current)
        if context is None:
            raise KubectlError(f'cannot locate context {current}')
        body = context.get("context") or {}
        config["contexts"] = [context]
        for section, word in (("clusters", "cluster"), ("users", "user")):
            kept = [e for e in config.get(section) or [] if e.get("name") == body.get(word)]
            if body.get(word) and not kept:
                raise KubectlError(f"cannot locate {word} {body.get(word)}")
            config[section] = kept or None
        config["current-context"] = current
    if not inv.flags["raw"]:
        config = _redact(config)
    output = inv.flags["output"] or "yaml"
    if output == "yaml":
        inv.write(to_yaml(config))
    elif output == "json":
        inv.write(json.dumps(_json_form(config), indent=4, ensure_ascii=False) + "\n")
    elif output.startswith("jsonpath="):
        from kubenb.kubectl.printers import jsonpath  # type: ignore[attr-defined]

        inv.write(jsonpath.render(output.split("=", 1)[1], _json_form(config)))  # type: ignore[attr-defined]
    else:
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed formats '
                           "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,"
                           "template,templatefile,yaml")
    return 0


# --- get-* ----------------------------------------------------------------------------------------------

def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        lines.append("   ".join(cells) + "\n")
    return "".join(lines)


def run_get_contexts(inv: Invocation) -> int:
    config, _ = _load(inv)
    current = config.get("current-context", "")
    contexts = sorted(config.get("contexts") or [], key=lambda e: str(e.get("name", "")))
    output = inv.flags["output"]
    if output not in ("", "name"):
        raise KubectlError(f"output must be one of '' or 'name': {output}")
    missing = []
    if inv.args:
        wanted = []
        for name in inv.args:
            found = [c for c in contexts if c.get("name") == name]
            if found:
                wanted.extend(found)
            else:
                missing.append(f"context {name} not found")
        contexts = wanted
    if output == "name":
        inv.write("".join(f"{c.get('name', '')}\n" for c in contexts))
    else:
        rows = [] if inv.flags["no-headers"] else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        for c in contexts:
            body = c.get("context") or {}
            rows.append(["*" if c.get("name") == current else "", c.get("name", ""), body.get("cluster", ""),
                         body.get("user", ""), body.get("namespace", "")])
        if rows:
            inv.write(_table(rows))
    if len(missing) == 1:
        raise KubectlError(missing[0])
    if missing:
        inv.err.write("".join(m + "\n" for m in missing))
        return 1
    return 0


def _run_get_names(section: str) -> object:
    def run(inv: Invocation) -> int:
        config, _ = _load(inv)
        inv.write("NAME\n" + "".join(f"{e.get('name', '')}\n" for e in sorted(
            config.get(section) or [], key=lambda e: str(e.get("name", "")))))
        return 0
    return run


def run_current_context(inv: Invocation) -> int:
    config, _ = _load(inv)
    current = config.get("current-context")
    if not current:
        raise KubectlError("current-context is not set")
    inv.write(f"{current}\n")
    return 0


# --- changes ------------------------------------------------------------------------------------------------

def _need_one_arg(inv: Invocation, message: str | None = None) -> str:
    if len(inv.args) != 1:
        from kubenb.kubectl.help import command_help

        if message:
            raise KubectlError(message)
        command = COMMAND.find(inv.path[-1])
        inv.write(command_help(command, inv.path, command.flags) if command else "")  # type: ignore[arg-type]
        raise KubectlError(f"Unexpected args: {_go_list(inv.args)}")
    return inv.args[0]


def _go_list(values: list[str]) -> str:
    return "[" + " ".join(values) + "]"


def run_use_context(inv: Invocation) -> int:
    name = _need_one_arg(inv)
    config, path = _load(inv)
    if _find(config, "contexts", name) is None:
        raise KubectlError(f'no context exists with the name: "{name}"')
    config["current-context"] = name
    _save(inv, config, path)
    inv.write(f'Switched to context "{name}".\n')
    return 0


def run_set_context(inv: Invocation) -> int:
    config, path = _load(inv)
    if inv.flags["current"]:
        if inv.args:
            raise KubectlError("you cannot specify both a context name and --current")
        name = config.get("current-context") or ""
        if not name:
            raise KubectlError("no current context is set")
    else:
        if len(inv.args) > 1:
            raise UsageError(f"Unexpected args: {_go_list(inv.args)}")
        name = inv.args[0] if inv.args else ""
        if not name:
            raise KubectlError("you must specify a non-empty context name or --current")
    entry = _find(config, "contexts", name)
    created = entry is None
    if entry is None:
        entry = {"name": name, "context": {}}
        _entries(config, "contexts").append(entry)
    body = entry.setdefault("context", {})
    for flag, key in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if inv.flags.was_set(flag):
            value = inv.flags[flag]
            if value:
                body[key] = value
            else:
                body.pop(key, None)
    _save(inv, config, path)
    inv.write(f'Context "{name}" {"created" if created else "modified"}.\n')
    return 0


def run_set_cluster(inv: Invocation) -> int:
    name = _need_one_arg(inv)
    config, path = _load(inv)
    entry = _find(config, "clusters", name)
    if entry is None:
        entry = {"name": name, "cluster": {}}
        _entries(config, "clusters").append(entry)
    body = entry.setdefault("cluster", {})
    for flag in ("server", "certificate-authority", "tls-server-name", "proxy-url"):
        if inv.flags.was_set(flag):
            body[flag] = inv.flags[flag]
    if inv.flags.was_set("insecure-skip-tls-verify"):
        body["insecure-skip-tls-verify"] = inv.flags["insecure-skip-tls-verify"]
    _save(inv, config, path)
    inv.write(f'Cluster "{name}" set.\n')
    return 0


def run_set_credentials(inv: Invocation) -> int:
    name = _need_one_arg(inv)
    config, path = _load(inv)
    entry = _find(config, "users", name)
    if entry is None:
        entry = {"name": name, "user": {}}
        _entries(config, "users").append(entry)
    body = entry.setdefault("user", {})
    for flag in ("client-certificate", "client-key", "token", "username", "password"):
        if inv.flags.was_set(flag):
            body[flag] = inv.flags[flag]
    _save(inv, config, path)
    inv.write(f'User "{name}" set.\n')
    return 0


def _run_delete(section: str, word: str) -> object:
    def run(inv: Invocation) -> int:
        if not inv.args:
            from kubenb.kubectl.help import command_help

            command = COMMAND.find(inv.path[-1])
            inv.write(command_help(command, inv.path, command.flags))  # type: ignore[arg-type]
            return 0
        name = inv.args[0]
        config, path = _load(inv)
        entries = _entries(config, section)
        entry = _find(config, section, name)
        if entry is None:
            raise KubectlError(f"cannot delete {word} {name}, not in {path}")
        entries.remove(entry)
        if section == "contexts" and config.get("current-context") == name:
            inv.warn("warning: this removed your active context, use \"kubectl config use-context\" to select "
                     "a different one")
        _save(inv, config, path)
        inv.write(f"deleted {word} {name} from {path}\n")
        return 0
    return run


def run_rename_context(inv: Invocation) -> int:
    if len(inv.args) != 2:
        raise UsageError(f"Unexpected args: {_go_list(inv.args)}")
    old, new = inv.args
    config, path = _load(inv)
    entry = _find(config, "contexts", old)
    if entry is None:
        raise KubectlError(f'cannot rename the context "{old}", it\'s not in {path}')
    if _find(config, "contexts", new) is not None:
        raise KubectlError(f'cannot rename the context "{old}", the context "{new}" already exists in {path}')
    entry["name"] = new
    if config.get("current-context") == old:
        config["current-context"] = new
    _save(inv, config, path)
    inv.write(f'Context "{old}" renamed to "{new}".\n')
    return 0


def _property_target(config: dict, path_text: str, *, create: bool) -> tuple[dict, str]:
    parts = path_text.split(".")
    if parts == ["current-context"]:
        return config, "current-context"
    if len(parts) >= 3 and parts[0] in _SECTIONS:
        section = parts[0]
        body_key, order = _SECTIONS[section]
        name = ".".join(parts[1:-1])
        field = parts[-1]
        entry = _find(config, section, name)
        if entry is None:
            if not create:
                raise KubectlError(f"current map key `{name}` is invalid")
            entry = {"name": name, body_key: {}}
            _entries(config, section).append(entry)
        if field not in order:
            raise KubectlError(f"unable to parse {field} after {_go_list(parts[:-1])} at api.{body_key.title()}")
        return entry.setdefault(body_key, {}), field
    raise KubectlError(f"unable to parse {parts[0]} after [] at api.Config")


def run_set(inv: Invocation) -> int:
    if len(inv.args) != 2:
        raise UsageError(f"Unexpected args: {_go_list(inv.args)}")
    name, value = inv.args
    config, path = _load(inv)
    target, field = _property_target(config, name, create=True)
    target[field] = value if field != "insecure-skip-tls-verify" else value == "true"
    _save(inv, config, path)
    inv.write(f'Property "{name}" set.\n')
    return 0


def run_unset(inv: Invocation) -> int:
    if len(inv.args) != 1:
        raise UsageError(f"Unexpected args: {_go_list(inv.args)}")
    name = inv.args[0]
    config, path = _load(inv)
    target, field = _property_target(config, name, create=False)
    if field not in target:
        raise KubectlError(f"current map key `{field}` is invalid")
    target.pop(field)
    _save(inv, config, path)
    inv.write(f'Property "{name}" unset.\n')
    return 0


_NAME_OUTPUT = Flag("output", pflag.STRING, shorthand="o", usage="Output format. One of: (name).")

COMMAND = Command(
    name="config",
    short="Modify kubeconfig files",
    usage="config SUBCOMMAND",
    help="Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".",
    subcommands={
        "view": Command("view", "Display merged kubeconfig settings or a specified kubeconfig file",
                        usage="config view [flags]", run=run_view, flags=[
                            Flag("minify", pflag.BOOL, usage="Remove all information not used by current-context "
                                 "from the output"),
                            Flag("raw", pflag.BOOL, usage="Display raw byte data and sensitive data"),
                            Flag("flatten", pflag.BOOL, usage="Flatten the resulting kubeconfig file into "
                                 "self-contained output (useful for creating portable kubeconfig files)"),
                            Flag("merge", pflag.STRING, "true", usage="Merge the full hierarchy of kubeconfig files"),
                            Flag("output", pflag.STRING, "yaml", shorthand="o", usage="Output format."),
                        ]),
        "get-contexts": Command("get-contexts", "Describe one or many contexts",
                                usage="config get-contexts [(-o|--output=)name)]", run=run_get_contexts, flags=[
                                    _NAME_OUTPUT,
                                    Flag("no-headers", pflag.BOOL, usage="When using the default or custom-column "
                                         "output format, don't print headers (default print headers)."),
                                ]),
        "get-clusters": Command("get-clusters", "Display clusters defined in the kubeconfig",
                                usage="config get-clusters [flags]", run=_run_get_names("clusters")),  # type: ignore[arg-type]
        "get-users": Command("get-users", "Display users defined in the kubeconfig",
                             usage="config get-users [flags]", run=_run_get_names("users")),  # type: ignore[arg-type]
        "current-context": Command("current-context", "Display the current-context",
                                   usage="config current-context [flags]", run=run_current_context),
        "use-context": Command("use-context", "Set the current-context in a kubeconfig file",
                               usage="config use-context CONTEXT_NAME", run=run_use_context, aliases=("use",),
                               help="Set the current-context in a kubeconfig file.",
                               examples="  # Use the context for the minikube cluster\n"
                                        "  kubectl config use-context minikube"),
        "set-context": Command("set-context", "Set a context entry in kubeconfig",
                               usage="config set-context [NAME | --current] [--cluster=cluster_nickname] "
                                     "[--user=user_nickname] [--namespace=namespace]", run=run_set_context, flags=[
                                   Flag("current", pflag.BOOL, usage="Modify the current context"),
                                   Flag("cluster", pflag.STRING, usage="cluster for the context entry in kubeconfig"),
                                   Flag("user", pflag.STRING, usage="user for the context entry in kubeconfig"),
                                   Flag("namespace", pflag.STRING, usage="namespace for the context entry in "
                                        "kubeconfig"),
                               ]),
        "set-cluster": Command("set-cluster", "Set a cluster entry in kubeconfig",
                               usage="config set-cluster NAME [--server=server] [--certificate-authority=path/to/"
                                     "certificate/authority] [--insecure-skip-tls-verify=true] "
                                     "[--tls-server-name=example.com]", run=run_set_cluster, flags=[
                                   Flag("server", pflag.STRING, usage="server for the cluster entry in kubeconfig"),
                                   Flag("certificate-authority", pflag.STRING, usage="Path to certificate-authority "
                                        "file for the cluster entry in kubeconfig"),
                                   Flag("tls-server-name", pflag.STRING, usage="tls-server-name for the cluster "
                                        "entry in kubeconfig"),
                                   Flag("proxy-url", pflag.STRING, usage="proxy-url for the cluster entry in "
                                        "kubeconfig"),
                                   Flag("insecure-skip-tls-verify", pflag.BOOL, usage="insecure-skip-tls-verify for "
                                        "the cluster entry in kubeconfig"),
                               ]),
        "set-credentials": Command("set-credentials", "Set a user entry in kubeconfig",
                                   usage="config set-credentials NAME [--client-certificate=path/to/certfile] "
                                         "[--client-key=path/to/keyfile] [--token=bearer_token] "
                                         "[--username=basic_user] [--password=basic_password]",
                                   run=run_set_credentials, flags=[
                                       Flag("client-certificate", pflag.STRING, usage="Path to client-certificate "
                                            "file for the user entry in kubeconfig"),
                                       Flag("client-key", pflag.STRING, usage="Path to client-key file for the user "
                                            "entry in kubeconfig"),
                                       Flag("token", pflag.STRING, usage="token for the user entry in kubeconfig"),
                                       Flag("username", pflag.STRING, usage="username for the user entry in "
                                            "kubeconfig"),
                                       Flag("password", pflag.STRING, usage="password for the user entry in "
                                            "kubeconfig"),
                                   ]),
        "delete-context": Command("delete-context", "Delete the specified context from the kubeconfig",
                                  usage="config delete-context NAME", run=_run_delete("contexts", "context"),  # type: ignore[arg-type]
                                  help="Delete the specified context from the kubeconfig.",
                                  examples="  # Delete the context for the minikube cluster\n"
                                           "  kubectl config delete-context minikube"),
        "delete-cluster": Command("delete-cluster", "Delete the specified cluster from the kubeconfig",
                                  usage="config delete-cluster NAME", run=_run_delete("clusters", "cluster")),  # type: ignore[arg-type]
        "delete-user": Command("delete-user", "Delete the specified user from the kubeconfig",
                               usage="config delete-user NAME", run=_run_delete("users", "user")),  # type: ignore[arg-type]
        "rename-context": Command("rename-context", "Rename a context from the kubeconfig file",
                                  usage="config rename-context CONTEXT_NAME NEW_NAME", run=run_rename_context),
        "set": Command("set", "Set an individual value in a kubeconfig file",
                       usage="config set PROPERTY_NAME PROPERTY_VALUE", run=run_set),
        "unset": Command("unset", "Unset an individual value in a kubeconfig file",
                         usage="config unset PROPERTY_NAME", run=run_unset),
    },
)
