"""The magics: ``%%kubectl``, ``%kubectl``, ``%%manifest`` and ``%kubenb``.

Each magic parses its arguments, runs kubectl (or a simulator command) on the
kernel's cluster and shows the result like a terminal would; none of them
returns a value (so no ``Out[n]``) and none shows a Python traceback for a
user's mistake.

``%%manifest [FILE] [-n NS] [--dry-run=client|server] [--no-apply]`` saves the
cell as the virtual file FILE (``cluster.files``), so later ``-f FILE`` finds
it, then runs ``kubectl apply -f FILE``. The default FILE is named after the
objects (``deployment-web.yaml``). YAML errors, and field errors the API server
reports, are followed by a ``kubenb:`` line pointing at the line of the cell.

Lint on apply (off by default, so a cell prints exactly what kubectl prints):
``%kubenb lint on`` (or ``KUBENB_LINT_ON_APPLY=1`` in the kernel's environment,
or ``%%manifest --lint`` for one cell) makes every successful ``%%manifest``
apply and ``kubectl apply -f`` / ``create -f`` show the coach's findings about
what was sent, after kubectl's output, as a separate ``kubenb lint:`` block.
Failed commands print no lint; the findings never change the exit code.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from IPython.core.magic import Magics, cell_magic, line_cell_magic, line_magic, magics_class
from IPython.display import display as ipy_display

from kubenb.jupyter import display
from kubenb.jupyter.cellparse import CellSyntaxError, parse_commands
from kubenb.jupyter.control import run_control
from kubenb.jupyter.session import Session, get_session


def run_cell_commands(session: Session, cell: str, show: Callable[[Any], None] | None = None) -> int:
    """Run every command of a %%kubectl cell in order (like pasting into a terminal); last exit code."""
    try:
        commands = parse_commands(cell)
    except CellSyntaxError as error:
        display.error(f"kubenb: {error}")
        return 1
    code = 0
    for command in commands:
        outcome = session.kubectl(command.argv, stdin=command.stdin, line=command.line)
        display.show(outcome)
        code = outcome.exit_code
        if session.lint_on_apply and outcome.exit_code == 0:
            sent = applied_files(command.argv)
            if sent is not None:
                lint_after_apply(session, sent[0], sent[1], command.stdin, show)
    return code


# --- lint on apply ---------------------------------------------------------------------------------

# kubectl's global flags that take a value (so the verb is the first word that is neither).
_VALUE_FLAGS = ("-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server",
                "--as", "--as-group", "--request-timeout", "-v", "--v", "-l", "--selector", "-o", "--output",
                "--field-manager", "--timeout", "--grace-period", "--template", "--prune-allowlist")


def applied_files(argv: list[str]) -> tuple[list[str], str | None] | None:
    """(the -f sources, the -n namespace) of ``apply -f`` / ``create -f``; None for any other command."""
    files: list[str] = []
    namespace = None
    positional: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word in ("-f", "--filename") and i < len(argv):
            files.append(argv[i])
            i += 1
        elif word.startswith("--filename="):
            files.append(word.split("=", 1)[1])
        elif word.startswith("-f") and not word.startswith("--"):
            files.append(word[2:].lstrip("="))
        elif word in ("-n", "--namespace") and i < len(argv):
            namespace = argv[i]
            i += 1
        elif word.startswith("--namespace="):
            namespace = word.split("=", 1)[1]
        elif word.startswith("-n") and not word.startswith("--") and len(word) > 2:
            namespace = word[2:].lstrip("=")
        elif word in _VALUE_FLAGS and i < len(argv):
            i += 1
        elif not word.startswith("-"):
            positional.append(word)
    # apply's subcommands (view-last-applied ...) and create's generators do not send the files.
    if not files or positional[:1] not in (["apply"], ["create"]) or len(positional) > 1:
        return None
    return files, namespace


def lint_after_apply(session: Session, files: list[str], namespace: str | None, stdin: str,
                     show: Callable[[Any], None] | None) -> None:
    """The coach's findings about the manifests a successful apply/create sent, as a ``kubenb lint:`` block."""
    from kubenb import coach
    from kubenb.kubectl.manifests import ManifestPathError, expand_sources

    try:
        sources = expand_sources(files, session.cluster.files, recursive=False, read_disk=True, stdin=stdin)
    except ManifestPathError:
        return
    if not sources:
        return
    # Drift is left out: right after an apply the objects match what was applied.
    findings = coach.lint_applied([text for _, text in sources], lang=session.lang, namespace=namespace)
    names = ", ".join(name for name, _ in sources)
    display.lint(coach.render(findings, lang=session.lang, source=names), show)


# --- %%manifest ------------------------------------------------------------------------------------


class ManifestArgs:
    def __init__(self, file: str | None, namespace: str | None, dry_run: str | None, apply: bool,
                 lint: bool | None = None) -> None:
        self.file = file
        self.namespace = namespace
        self.dry_run = dry_run
        self.apply = apply
        self.lint = lint  # None: follow the session (%kubenb lint on|off)


def parse_manifest_line(line: str) -> ManifestArgs:
    words = shlex.split(line)
    file = namespace = dry_run = None
    apply = True
    lint = None
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-n", "--namespace"):
            if i + 1 >= len(words):
                raise ValueError(f"kubenb: {word} needs a namespace")
            namespace = words[i + 1]
            i += 2
            continue
        if word.startswith("--namespace="):
            namespace = word.split("=", 1)[1]
        elif word.startswith("--dry-run"):
            value = word.split("=", 1)[1] if "=" in word else "client"
            if value not in ("client", "server", "none"):
                raise ValueError(f'kubenb: --dry-run must be "client", "server" or "none", not {value!r}')
            dry_run = None if value == "none" else value
        elif word == "--no-apply":
            apply = False
        elif word in ("--lint", "--no-lint"):
            lint = word == "--lint"
        elif word.startswith("-"):
            raise ValueError(f"kubenb: %%manifest does not know {word} "
                             "(use: %%manifest [FILE] [-n NS] [--dry-run=client|server] [--no-apply] [--lint])")
        elif file is None:
            file = word
        else:
            raise ValueError(f"kubenb: %%manifest takes one FILE name, got {file!r} and {word!r}")
        i += 1
    return ManifestArgs(file, namespace, dry_run, apply, lint)


def _documents(cell: str) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(cell) if doc is not None]


def default_file_name(docs: list[Any]) -> str:
    """``deployment-web.yaml``; several objects join their names; no name -> ``manifest.yaml``."""
    parts = []
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind") == "List":
            doc = (doc.get("items") or [{}])[0]
        if not isinstance(doc, dict):
            continue
        kind = str(doc.get("kind") or "").lower()
        name = str((doc.get("metadata") or {}).get("name") or "") if isinstance(doc.get("metadata"), dict) else ""
        if kind and name:
            parts.append(f"{kind}-{name}")
    if not parts:
        return "manifest.yaml"
    if len(parts) > 3:
        return f"{parts[0]}-and-{len(parts) - 1}-more.yaml"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts))
    return safe + ".yaml"


def yaml_error_line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return None if mark is None else mark.line + 1


FIELD_PATH = re.compile(
    r"(?:unknown field \"(?P<unknown>[^\"]+)\")|"
    r"(?:(?:^|\* |: )(?P<path>[A-Za-z][\w.\[\]-]*): (?:Invalid value|Required value|Unsupported value|"
    r"Duplicate value|Forbidden|Too long|Too many|Not found))", re.MULTILINE)


def _split_path(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        match = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part)
        if not match:
            steps.append(part)
            continue
        if match.group(1):
            steps.append(match.group(1))
        steps.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return steps


def locate_field(cell: str, path: str) -> int | None:
    """The 1-based cell line of a field path (``spec.template.spec.containers[0].image``), searched in
    each YAML document; the deepest existing ancestor when the field itself is missing."""
    try:
        nodes = list(yaml.compose_all(cell))
    except yaml.YAMLError:
        return None
    steps = _split_path(path)
    best: int | None = None
    for root in nodes:
        node = root
        found: int | None = None
        for step in steps:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                child = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
                key = next((k for k, _ in node.value if getattr(k, "value", None) == step), None)
                if key is not None:
                    found = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                child = node.value[step]
                found = child.start_mark.line + 1
            if child is None:
                break
            node = child
        if found is not None and (best is None or found > best):
            best = found
    return best


def _cell_line(cell: str, lineno: int) -> str:
    lines = cell.splitlines()
    return lines[lineno - 1].rstrip() if 0 < lineno <= len(lines) else ""


def point_at(cell: str, lineno: int, what: str) -> str:
    # The %%manifest line is line 1 of the cell the student sees; the YAML starts on line 2.
    return f"kubenb: {what} is on line {lineno + 1} of the cell: {_cell_line(cell, lineno).strip()}"


def _field_hints(cell: str, stderr: str) -> Iterator[str]:
    seen: set[str] = set()
    for match in FIELD_PATH.finditer(stderr):
        path = match.group("unknown") or match.group("path")
        if not path or path in seen:
            continue
        seen.add(path)
        lineno = locate_field(cell, path)
        if lineno is not None:
            yield point_at(cell, lineno, path)


def run_manifest(session: Session, line: str, cell: str, show: Callable[[Any], None] | None = None) -> int:
    try:
        args = parse_manifest_line(line)
    except ValueError as error:
        display.error(str(error))
        return 1
    docs: list[Any] | None
    try:
        docs = _documents(cell)
    except yaml.YAMLError as error:
        docs = None
        lineno = yaml_error_line(error)
        problem = getattr(error, "problem", None) or str(error)
        hint = (f"kubenb: the YAML is broken on line {lineno + 1} of the cell "
                f"({problem}): {_cell_line(cell, lineno).strip()}" if lineno
                else f"kubenb: the YAML is broken: {problem}")
    else:
        hint = ""
        for doc in docs:
            if not isinstance(doc, dict):
                display.error("kubenb: a manifest must be a YAML mapping (apiVersion, kind, metadata, spec); "
                              f"this cell holds a {type(doc).__name__}: {str(doc)[:60]!r}")
                return 1
        if not docs:
            display.error("kubenb: the cell has no manifest (write YAML under %%manifest)")
            return 1
    name = args.file or default_file_name(docs or [])
    session.cluster.files[name] = cell
    if not args.apply:
        display.info(f"kubenb: saved as {name} (not applied); use it with -f {name}")
        return 0
    argv = ["apply", "-f", name]
    if args.namespace:
        argv += ["-n", args.namespace]
    if args.dry_run:
        argv.append(f"--dry-run={args.dry_run}")
    outcome = session.kubectl(argv, line=" ".join(argv))
    display.show(outcome)
    if hint:
        display.error(hint)
    elif outcome.exit_code != 0:
        for text in _field_hints(cell, outcome.stderr):
            display.error(text)
    elif args.lint if args.lint is not None else session.lint_on_apply:
        lint_after_apply(session, [name], args.namespace, "", show)
    return outcome.exit_code


# --- the Magics class ---------------------------------------------------------------------------------


def _guard(function: Any) -> Any:
    """Never a traceback from a magic: unexpected errors become one ``kubenb: internal error`` line."""

    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001
            display.report_internal_error(error)

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


@magics_class
class KubenbMagics(Magics):
    @line_cell_magic
    def kubectl(self, line: str, cell: str | None = None) -> None:
        """Run kubectl: ``%kubectl get pods`` or a ``%%kubectl`` cell with one command per line."""
        _guard(self._kubectl)(line, cell)

    def _kubectl(self, line: str, cell: str | None) -> None:
        session = get_session()
        if cell is None:
            run_cell_commands(session, line, show=ipy_display)
            return
        text = (line + "\n" + cell) if line.strip() else cell
        run_cell_commands(session, text, show=ipy_display)

    @cell_magic
    def manifest(self, line: str, cell: str) -> None:
        """Save the cell's YAML as a file and ``kubectl apply -f`` it (see %kubenb help)."""
        _guard(run_manifest)(get_session(), line, cell, show=ipy_display)

    @cell_magic
    def quiz(self, line: str, cell: str) -> None:
        """Check a YAML quiz against the cluster; a failing quiz raises QuizFailed (a failed test)."""
        from kubenb.jupyter.quizcell import run_quiz_cell

        # Not guarded: QuizFailed must reach IPython as the cell's (one-line) error.
        run_quiz_cell(get_session(), cell, self.shell.user_ns if self.shell is not None else {})

    @line_magic
    def kubenb(self, line: str) -> None:
        """The simulator's own commands: ``%kubenb help``."""
        _guard(run_control)(get_session(), line, show=ipy_display, graph_factory=_make_graph)


def _make_graph(target: str, namespace: str) -> Any:
    from kubenb.jupyter.widgets.cluster_graph import ClusterGraph

    return ClusterGraph(target, namespace)
