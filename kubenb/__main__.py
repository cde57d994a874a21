"""The ``kubenb`` console command: kubectl against a fresh simulated cluster, outside Jupyter.

- ``kubenb script FILE`` (``-`` for stdin): runs the kubectl commands of FILE in one
  fresh cluster (the ``%%kubectl`` cell syntax: comments, ``\\`` continuations,
  here-documents), printing ``$ kubectl ...`` before each command's output;
  exits with the last command's exit code.
- ``kubenb shell``: an interactive prompt reading one kubectl command per line from stdin;
  ``kubenb ...`` lines run simulator commands (``kubenb advance 30s``); ``exit`` ends it.
- ``kubenb grade NOTEBOOK... [-o DIR]``: runs each notebook in a fresh kernel and writes
  its quiz scores per question (``scores.json``, ``scores.csv``, Gradescope ``results.json``).
- ``kubenb --version``.

Like a script run at a terminal, commands only settle: no think time passes between them
(``--think 10s`` adds it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kubenb._version import __version__


def _session(args: argparse.Namespace):  # -> Session (imported lazily: `kubenb --version` stays fast)
    from kubenb.jupyter.session import Session

    session = Session(cluster_options={"seed": args.seed, "workers": args.workers})
    session.think_seconds = args.think
    return session


def _script(args: argparse.Namespace) -> int:
    from kubenb.jupyter.cellparse import CellSyntaxError, parse_commands
    from kubenb.jupyter.display import terminal_text

    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
    except OSError as error:
        sys.stderr.write(f"kubenb: cannot read {args.file}: {error.strerror}\n")
        return 1
    try:
        commands = parse_commands(text)
    except CellSyntaxError as error:
        sys.stderr.write(f"kubenb: {args.file}: {error}\n")
        return 1
    session = _session(args)
    code = 0
    for index, command in enumerate(commands):
        if index:
            session.think()
        sys.stdout.write(f"$ kubectl {command.line}\n")
        outcome = session.kubectl(command.argv, stdin=command.stdin, line=command.line)
        # One stream, in order, as a terminal shows it.
        sys.stdout.write(terminal_text(outcome))
        sys.stdout.flush()
        code = outcome.exit_code
    return code


def _shell(args: argparse.Namespace) -> int:
    from kubenb.jupyter.cellparse import CellSyntaxError, parse_commands
    from kubenb.jupyter.control import run_control
    from kubenb.jupyter.display import show

    session = _session(args)
    interactive = sys.stdin.isatty()
    code = 0
    pending: list[str] = []
    while True:
        if interactive:
            sys.stdout.write("kubenb$ " if not pending else "> ")
            sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            break
        pending.append(line.rstrip("\n"))
        text = "\n".join(pending)
        if text.rstrip().endswith("\\"):
            continue
        stripped = text.strip()
        if stripped in ("exit", "quit", "logout"):
            break
        if stripped.startswith("kubenb ") or stripped == "kubenb":
            pending = []
            code = run_control(session, stripped[len("kubenb"):].strip())
            continue
        try:
            commands = parse_commands(text)
        except CellSyntaxError as error:
            if "here-document" in str(error):
                continue  # keep reading the here-document's lines
            pending = []
            sys.stderr.write(f"kubenb: {error}\n")
            continue
        pending = []
        for command in commands:
            if session.started:
                session.think()
            outcome = session.kubectl(command.argv, stdin=command.stdin, line=command.line)
            show(outcome)
            code = outcome.exit_code
    return code


def _grade(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kubenb.jupyter.grade import grade

    paths = [Path(p) for p in args.notebooks]
    for path in paths:
        if not path.is_file():
            sys.stderr.write(f"kubenb: cannot read {path}: no such file\n")
            return 1
    graded = grade(paths, Path(args.output), timeout=args.timeout)
    for name, questions in graded.items():
        score = sum(q["score"] for q in questions.values())
        total = sum(q["max_score"] for q in questions.values())
        detail = ", ".join(f"{qid} {q['score']:g}/{q['max_score']:g}" for qid, q in questions.items())
        sys.stdout.write(f"{name}: {score:g}/{total:g}" + (f" ({detail})" if detail else "") + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kubenb", description="A simulated Kubernetes v1.33 cluster for "
                                     "teaching: run kubectl commands against it.")
    parser.add_argument("--version", action="version", version=f"kubenb {__version__}")
    parser.add_argument("--seed", type=int, default=0, help="seed of the cluster (names, IPs)")
    parser.add_argument("--workers", type=int, default=2, help="number of worker nodes")
    sub = parser.add_subparsers(dest="command")
    script = sub.add_parser("script", help="run the kubectl commands of FILE, printing a transcript")
    script.add_argument("file", help="a file of kubectl commands, one per line ('-' for stdin)")
    script.add_argument("--think", type=_duration, default=0.0,
                        help="virtual time between commands (e.g. 10s; default 0)")
    shell = sub.add_parser("shell", help="an interactive kubectl prompt")
    shell.add_argument("--think", type=_duration, default=0.0,
                       help="virtual time between commands (e.g. 10s; default 0)")
    grade = sub.add_parser("grade", help="run notebooks in a fresh kernel and score their quizzes")
    grade.add_argument("notebooks", nargs="+", help="notebooks (.ipynb) to grade")
    grade.add_argument("-o", "--output", default="grades", help="folder for scores.json, scores.csv and "
                       "results.json (default: grades)")
    grade.add_argument("--timeout", type=int, default=300, help="seconds a cell may run (default 300)")
    return parser


def _duration(text: str) -> float:
    from kubenb.jupyter.cellparse import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not 0 <= args.workers <= 100:
        parser.error("--workers must be from 0 to 100")
    if args.command == "script":
        return _script(args)
    if args.command == "shell":
        return _shell(args)
    if args.command == "grade":
        return _grade(args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
