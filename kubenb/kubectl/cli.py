"""Command dispatch: cobra's job in kubectl (pkg/cmd/cmd.go).

- Finds the command (and sub-command) in argv, wherever global flags stand.
- Parses the command's flags plus kubectl's global flags with the pflag
  emulation, and prints pflag's and cobra's errors with kubectl's
  ``See 'kubectl get --help' for usage.`` hint.
- Runs the verb, whose module is ``kubectl/commands/<verb>.py`` and exports
  ``COMMAND``; modules load lazily so that ``import kubenb`` stays cheap.
- Formats every failure as kubectl does (``error: ...``, ``Error from server
  (Reason): ...``), exit code 1, never a traceback.
"""

from __future__ import annotations

import importlib
import io
import shlex
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubenb.api import Client, errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.flags import Flag, FlagError, Parsed


class Waiter(Protocol):
    """How kubectl lets virtual time pass (``wait``, ``rollout status``, ``get -w``)."""

    def run_until(self, done: Callable[[], bool], timeout: float) -> bool: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        return self.stdout + self.stderr


@dataclass
class KubectlEnv:
    """Everything a kubectl process would find around it."""

    clients: Mapping[str, Client]  # kubeconfig cluster name -> the API of that cluster
    kubeconfig: dict  # the parsed kubeconfig; ``config`` commands change it in place
    files: MutableMapping[str, str]  # virtual files, read before the disk
    waiter: Waiter
    stdin: str = ""
    read_disk: bool = True  # -f may read real files (off in sandboxed grading)
    strict: bool = False  # re-raise internal errors (tests) instead of printing them
    extras: dict[str, Any] = field(default_factory=dict)  # cluster-provided hooks (addons, curl, ...)


class KubectlError(Exception):
    """A client-side error: printed as ``error: <message>`` (or verbatim with ``raw=True``)."""

    def __init__(self, message: str, *, raw: bool = False, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.raw = raw
        self.exit_code = exit_code


class InvalidNamespaceError(KubectlError):
    """A request refused before it is sent: its namespace is not a valid URL path segment."""


def invalid_namespace(namespace: str | None) -> str | None:
    """client-go rest/request.go Namespace(): the message for a namespace that cannot be a path segment
    (apimachinery IsValidPathSegmentName: not "." or "..", no "/" or "%"), else None. kubectl checks this
    as it builds the request, so ``-n ../../etc`` never reaches the API server."""
    if not namespace:
        return None
    if namespace in (".", ".."):
        problems = [f"may not be '{namespace}'"]
    else:
        problems = [f"may not contain '{char}'" for char in ("/", "%") if char in namespace]
    if not problems:
        return None
    return f'invalid namespace "{namespace}": [{" ".join(problems)}]'


class _NamespaceGuardedClient:
    """The client kubectl gets when ``-n`` (or the context's namespace) is not a valid path segment: a call
    that would build a request in that namespace raises InvalidNamespaceError instead, as client-go fails
    such a request before sending it; cluster-scoped requests and everything else go through."""

    def __init__(self, client: Client, namespace: str, message: str) -> None:
        self._client = client
        self._namespace = namespace
        self._message = message

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not any(getattr(value, "namespaced", None) is False for value in args):  # NamespaceIfScoped
                for value in (*args, *kwargs.values()):
                    if value == self._namespace or (isinstance(value, dict) and isinstance(value.get("metadata"), dict)
                                                    and value["metadata"].get("namespace") == self._namespace):
                        raise InvalidNamespaceError(self._message)
            return attribute(*args, **kwargs)

        return guarded


class UsageError(KubectlError):
    """cmdutil.UsageErrorf: ``error: <msg>`` plus ``See 'kubectl <cmd> -h' for help and examples``."""


@dataclass
class Command:
    name: str
    short: str = ""
    usage: str = ""  # the "Usage:" line without "kubectl "
    run: Callable[[Invocation], int | None] | None = None
    flags: list[Flag] = field(default_factory=list)
    subcommands: dict[str, Command] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    help: str = ""  # long description (kubenb's own words)
    examples: str = ""
    bare_help_on_stdout: bool = False  # a group run without a subcommand prints its help on stdout (rollout)

    def find(self, name: str) -> Command | None:
        for sub in self.subcommands.values():
            if sub.name == name or name in sub.aliases:
                return sub
        return None


GLOBAL_FLAGS: list[Flag] = [
    Flag("as", pflag.STRING, usage="Username to impersonate for the operation."),
    Flag("as-group", pflag.STRING_ARRAY, usage="Group to impersonate for the operation."),
    Flag("as-uid", pflag.STRING, usage="UID to impersonate for the operation."),
    Flag("cache-dir", pflag.STRING, "/root/.kube/cache", usage="Default cache directory"),
    Flag("certificate-authority", pflag.STRING, usage="Path to a cert file for the certificate authority"),
    Flag("client-certificate", pflag.STRING, usage="Path to a client certificate file for TLS"),
    Flag("client-key", pflag.STRING, usage="Path to a client key file for TLS"),
    Flag("cluster", pflag.STRING, usage="The name of the kubeconfig cluster to use"),
    Flag("context", pflag.STRING, usage="The name of the kubeconfig context to use"),
    Flag("disable-compression", pflag.BOOL, usage="If true, opt-out of response compression"),
    Flag("insecure-skip-tls-verify", pflag.BOOL, usage="If true, the server's certificate will not be checked"),
    Flag("kubeconfig", pflag.STRING, usage="Path to the kubeconfig file to use for CLI requests."),
    Flag("log-flush-frequency", pflag.DURATION, 5.0, usage="Maximum number of seconds between log flushes"),
    Flag("match-server-version", pflag.BOOL, usage="Require server version to match client version"),
    Flag("namespace", pflag.STRING, shorthand="n", usage="If present, the namespace scope for this CLI request"),
    Flag("password", pflag.STRING, usage="Password for basic authentication to the API server"),
    Flag("profile", pflag.STRING, "none", usage="Name of profile to capture."),
    Flag("profile-output", pflag.STRING, "profile.pprof", usage="Name of the file to write the profile to"),
    Flag("request-timeout", pflag.STRING, "0", usage="The length of time to wait before giving up on a single "
         "server request."),
    Flag("server", pflag.STRING, shorthand="s", usage="The address and port of the Kubernetes API server"),
    Flag("tls-server-name", pflag.STRING, usage="Server name to use for server certificate validation."),
    Flag("token", pflag.STRING, usage="Bearer token for authentication to the API server"),
    Flag("user", pflag.STRING, usage="The name of the kubeconfig user to use"),
    Flag("username", pflag.STRING, usage="Username for basic authentication to the API server"),
    Flag("v", pflag.INT, shorthand="v", usage="number for the log level verbosity"),
    Flag("vmodule", pflag.STRING, usage="comma-separated list of pattern=N settings for file-filtered logging"),
    Flag("warnings-as-errors", pflag.BOOL, usage="Treat warnings received from the server as errors"),
    Flag("help", pflag.BOOL, shorthand="h", usage="help"),
]
_GLOBAL_NAMES = {f.name for f in GLOBAL_FLAGS}

# kubectl's top-level commands, in the groups of `kubectl --help` (name, one-line summary).
COMMAND_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Basic Commands (Beginner)", [
        ("create", "Create a resource from a file or from stdin"),
        ("expose", "Take a replication controller, service, deployment or pod and expose it as a new "
                   "Kubernetes service"),
        ("run", "Run a particular image on the cluster"),
        ("set", "Set specific features on objects"),
    ]),
    ("Basic Commands (Intermediate)", [
        ("explain", "Get documentation for a resource"),
        ("get", "Display one or many resources"),
        ("edit", "Edit a resource on the server"),
        ("delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"),
    ]),
    ("Deploy Commands", [
        ("rollout", "Manage the rollout of a resource"),
        ("scale", "Set a new size for a deployment, replica set, or replication controller"),
        ("autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller"),
    ]),
    ("Cluster Management Commands", [
        ("certificate", "Modify certificate resources"),
        ("cluster-info", "Display cluster information"),
        ("top", "Display resource (CPU/memory) usage"),
        ("cordon", "Mark node as unschedulable"),
        ("uncordon", "Mark node as schedulable"),
        ("drain", "Drain node in preparation for maintenance"),
        ("taint", "Update the taints on one or more nodes"),
    ]),
    ("Troubleshooting and Debugging Commands", [
        ("describe", "Show details of a specific resource or group of resources"),
        ("logs", "Print the logs for a container in a pod"),
        ("attach", "Attach to a running container"),
        ("exec", "Execute a command in a container"),
        ("port-forward", "Forward one or more local ports to a pod"),
        ("proxy", "Run a proxy to the Kubernetes API server"),
        ("cp", "Copy files and directories to and from containers"),
        ("auth", "Inspect authorization"),
        ("debug", "Create debugging sessions for troubleshooting workloads and nodes"),
        ("events", "List events"),
    ]),
    ("Advanced Commands", [
        ("diff", "Diff the live version against a would-be applied version"),
        ("apply", "Apply a configuration to a resource by file name or stdin"),
        ("patch", "Update fields of a resource"),
        ("replace", "Replace a resource by file name or stdin"),
        ("wait", "Experimental: Wait for a specific condition on one or many resources"),
        ("kustomize", "Build a kustomization target from a directory or URL"),
    ]),
    ("Settings Commands", [
        ("label", "Update the labels on a resource"),
        ("annotate", "Update the annotations on a resource"),
        ("completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)"),
    ]),
    ("Subcommands provided by plugins", []),
    ("Other Commands", [
        ("api-resources", "Print the supported API resources on the server"),
        ("api-versions", 'Print the supported API versions on the server, in the form of "group/version"'),
        ("config", "Modify kubeconfig files"),
        ("plugin", "Provides utilities for interacting with plugins"),
        ("version", "Print the client and server version information"),
    ]),
]
ALL_COMMANDS = [name for _, group in COMMAND_GROUPS for name, _ in group] + ["options", "help"]


def load_command(name: str) -> Command | None:
    """The COMMAND of kubenb/kubectl/commands/<name>.py, or None when kubenb has no such verb yet."""
    if name not in ALL_COMMANDS:
        return None
    try:
        module = importlib.import_module(f"kubenb.kubectl.commands.{name.replace('-', '_')}")
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("kubenb.kubectl.commands"):
            return None
        raise
    return module.COMMAND


@dataclass
class Invocation:
    """One kubectl process: its environment, parsed flags, arguments and output streams."""

    env: KubectlEnv
    path: list[str]  # ["create", "deployment"]
    flags: Parsed
    args: list[str]
    out: io.StringIO = field(default_factory=io.StringIO)
    err: io.StringIO = field(default_factory=io.StringIO)

    @property
    def command_path(self) -> str:
        return " ".join(["kubectl", *self.path])

    # --- kubeconfig -------------------------------------------------------------------------
    def context(self) -> dict:
        """The kubeconfig context in force (``--context`` or current-context)."""
        config = self.env.kubeconfig
        name = self.flags.get("context") or config.get("current-context", "")
        for entry in config.get("contexts") or []:
            if entry.get("name") == name:
                return entry.get("context") or {}
        if self.flags.get("context"):
            raise KubectlError(f'context was not found for specified context: {name}')
        return {}

    @property
    def namespace(self) -> str:
        """-n, else the context's namespace, else "default"."""
        return self.flags.get("namespace") or self.context().get("namespace") or "default"

    @property
    def namespace_explicit(self) -> bool:
        return bool(self.flags.get("namespace"))

    @property
    def client(self) -> Client:
        cluster = self.flags.get("cluster") or self.context().get("cluster", "")
        client = self.env.clients.get(cluster)
        if client is None:
            if not self.env.kubeconfig.get("current-context") and not self.flags.get("context"):
                raise KubectlError("The connection to the server localhost:8080 was refused - did you specify "
                                   "the right host or port?", raw=True)
            raise KubectlError(f'cluster "{cluster}" has no simulated API server', raw=False)
        user = self.flags.get("as")
        if user:
            client = client.for_user(user, list(self.flags.get("as-group") or []))
        namespace = self.namespace
        problem = invalid_namespace(namespace)
        if problem is not None:
            return _NamespaceGuardedClient(client, namespace, problem)  # type: ignore[return-value]
        return client

    def write(self, text: str) -> None:
        self.out.write(text)

    def warn(self, text: str) -> None:
        self.err.write(text if text.endswith("\n") else text + "\n")

    def usage_hint(self) -> str:
        return f"See '{self.command_path} --help' for usage."


def split_command(command: str | Sequence[str]) -> list[str]:
    """A shell-like split; a leading "kubectl" is dropped."""
    if isinstance(command, str):
        try:
            argv = shlex.split(command, comments=False, posix=True)
        except ValueError as error:
            raise KubectlError(f"kubenb: cannot parse the command line: {error}") from None
    else:
        argv = list(command)
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    return argv


def _locate(argv: list[str]) -> tuple[list[str], Command | None, list[str], str | None]:
    """Find the command path in argv, skipping global flags (and their values) before it.

    Returns (path, command, remaining argv without the path words, unknown word or None).
    """
    remaining = list(argv)
    path: list[str] = []
    command: Command | None = None
    i = 0
    takes_value = {f.name for f in GLOBAL_FLAGS if f.type != pflag.BOOL}
    short_takes_value = {f.shorthand for f in GLOBAL_FLAGS if f.type != pflag.BOOL and f.shorthand}
    while i < len(remaining):
        token = remaining[i]
        if token == "--":
            break
        if token.startswith("--"):
            name = token[2:].split("=", 1)[0]
            if "=" not in token and name in takes_value:
                i += 2
            else:
                i += 1
            continue
        if token.startswith("-") and len(token) > 1:
            if len(token) == 2 and token[1] in short_takes_value:
                i += 2
            else:
                i += 1
            continue
        # A word: the next level of the command path, if it exists.
        if command is None:
            found = load_command(token)
            if found is None:
                if token in ALL_COMMANDS:
                    raise KubectlError(f'kubenb does not simulate "kubectl {token}"', raw=False)
                return path, None, remaining, token
            command = found
            path.append(found.name)
            remaining.pop(i)
            continue
        sub = command.find(token)
        if sub is None:
            break
        command = sub
        path.append(sub.name)
        remaining.pop(i)
    return path, command, remaining, None


def run(argv: str | Sequence[str], env: KubectlEnv) -> Outcome:
    """Run one kubectl command line."""
    out = io.StringIO()
    err = io.StringIO()
    try:
        args = split_command(argv)
        code = _dispatch(args, env, out, err)
    except KubectlError as error:
        err.write(_format_kubectl_error(error))
        code = error.exit_code
    except errors.StatusError as error:
        err.write(format_status_error(error) + "\n")
        code = 1
    except Exception as error:  # noqa: BLE001 - never a traceback in a notebook
        if env.strict:
            raise
        err.write(f"kubenb: internal error: {type(error).__name__}: {error}\n")
        code = 1
    return Outcome(out.getvalue(), err.getvalue(), code)


def _format_kubectl_error(error: KubectlError) -> str:
    text = error.message if error.raw else f"error: {error.message}"
    return text if text.endswith("\n") else text + "\n"


def format_status_error(error: errors.StatusError, *, source: str | None = None, verb: str = "") -> str:
    """cmdutil.StandardErrorMessage for API errors."""
    status = error.status
    reason = status.get("reason", "")
    message = status.get("message", "")
    if reason == "Invalid":
        details = status.get("details") or {}
        causes = details.get("causes") or []
        head = f'The {details.get("kind", "")} "{details.get("name", "")}" is invalid: '
        if len(causes) == 1:
            cause = causes[0]
            return head + (f'{cause["field"]}: {cause["message"]}' if cause.get("field") else cause["message"])
        lines = [head]
        lines += [f'* {c["field"]}: {c["message"]}' if c.get("field") else f'* {c["message"]}' for c in causes]
        return "\n".join(lines)
    if source:
        message = f'error when {verb} "{source}": {message}'
    if not reason or reason == "Unknown":
        return f"Error from server: {message}"
    return f"Error from server ({reason}): {message}"


def _dispatch(argv: list[str], env: KubectlEnv, out: io.StringIO, err: io.StringIO) -> int:
    path, command, remaining, unknown = _locate(argv)
    if unknown is not None:
        return _unknown_command(unknown, out, err)
    if command is None:
        # `kubectl` alone or only flags: top-level help (exit 0), or a flag error.
        try:
            parsed = pflag.parse(remaining, GLOBAL_FLAGS)
        except FlagError as error:
            err.write(f"error: {error}\nSee 'kubectl --help' for usage.\n")
            return 1
        out.write(top_level_help())
        return 0
    all_flags = _merge_flags(command.flags)
    try:
        parsed = pflag.parse(remaining, all_flags)
    except FlagError as error:
        err.write(f"error: {error}\nSee '{' '.join(['kubectl', *path])} --help' for usage.\n")
        return 1
    invocation = Invocation(env, path, parsed, parsed.args, out, err)
    if parsed.get("help"):
        from kubenb.kubectl.help import command_help

        out.write(command_help(command, path, all_flags))
        return 0
    if command.run is None:
        if command.subcommands and parsed.args:
            # cmdutil.DefaultSubCommandRun: every leftover word, then the usage hint.
            err.write(f'error: unknown command "{" ".join(parsed.args)}"\n'
                      f"See '{invocation.command_path} -h' for help and examples\n")
            return 1
        from kubenb.kubectl.help import command_help

        # cmdutil.DefaultSubCommandRun: the help on stderr and exit 1 (rollout prints it on stdout, still 1).
        (out if command.bare_help_on_stdout else err).write(command_help(command, path, all_flags))
        return 1
    try:
        result = command.run(invocation)
    except UsageError as error:
        err.write(f"error: {error.message}\nSee '{invocation.command_path} -h' for help and examples\n")
        return 1
    return 0 if result is None else int(result)


def _merge_flags(command_flags: list[Flag]) -> list[Flag]:
    own = {f.name for f in command_flags}
    return [*command_flags, *(f for f in GLOBAL_FLAGS if f.name not in own)]


def _unknown_command(word: str, out: io.StringIO, err: io.StringIO) -> int:
    suggestions = suggest(word, [n for n in ALL_COMMANDS if n != "options"])
    text = f'error: unknown command "{word}" for "kubectl"\n'
    if suggestions:
        text += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    err.write(text)
    return 1


def suggest(word: str, candidates: Sequence[str], distance: int = 2) -> list[str]:
    """cobra's SuggestionsFor: Levenshtein distance <= 2 (case-insensitive) or a prefix match."""
    found = []
    for candidate in candidates:
        close = _levenshtein(word.lower(), candidate.lower()) <= distance
        prefix = candidate.lower().startswith(word.lower())
        if close or prefix:
            found.append(candidate)
    return found


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def top_level_help() -> str:
    lines = ["kubectl controls the Kubernetes cluster manager.", "",
             " Find more information at: https://kubernetes.io/docs/reference/kubectl/", ""]
    for group, commands in COMMAND_GROUPS:
        lines.append(f"{group}:")
        for name, summary in commands:
            lines.append(f"  {name:<15} {summary}")
        lines.append("")
    lines += ["Usage:", "  kubectl [flags] [options]", "",
              'Use "kubectl <command> --help" for more information about a given command.',
              'Use "kubectl options" for a list of global command-line options (applies to all commands).', ""]
    return "\n".join(lines)
