"""``%kubenb``: the simulator's own knobs (kubenb's, not kubectl's; every message says ``kubenb:``).

Subcommands: reset, advance, clock, node stop|start, addon enable|disable,
graph, trace, curl, save, load, lang, lint (``lint on|off``: lint on apply),
registry push|list (the simulated image registry: move a tag as a ``docker push`` would), help. The parser is a small argparse that never exits the kernel: its errors and ``--help`` become printed text.

Commands backed by parts of the simulator still being built (node stop/start,
addons, curl) look the method up on the Cluster first and say
``kubenb: ... is not available yet`` when it is missing.

No IPython here: ``show`` (how to display a rich object) is passed in, so the
console command can reuse this with plain text.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from typing import Any

from kubenb.jupyter import display
from kubenb.jupyter.cellparse import parse_duration
from kubenb.jupyter.session import Session

SNAPSHOT_MAGIC = b"KUBENB-SNAPSHOT-1\n"

HELP = {
    "en": """\
kubenb: commands of the simulator (kubectl commands go in %kubectl / %%kubectl cells)
  %kubenb reset [--seed N] [--workers N] [--no-cloud]  start again with a fresh cluster
  %kubenb advance 30s                                  move the cluster clock forward
  %kubenb clock [--think 10s|0] [--realtime|--pause]   show or set the clock (think time per cell)
  %kubenb node stop|start NAME                         stop or start a node
  %kubenb addon enable|disable NAME                    turn an addon on or off (e.g. ingress-nginx)
  %kubenb graph TARGET [-n NS]                         draw cluster, deployment/NAME, service/NAME,
                                                       ingress/NAME or namespace/NAME (live)
  %kubenb trace [--picture]                            what the control plane did for the last command
  %kubenb curl [OPTIONS] URL                           curl from the machine that runs the cluster
  %kubenb curl --times N URL                           the same request N times, one line each
  %kubenb save FILE / %kubenb load FILE                keep or restore the whole cluster
  %kubenb lang ja|en                                   language of kubenb's own messages
  %kubenb lint FILE | TYPE/NAME | --all [-n NS]        check for the lecture's ten anti-patterns
  %kubenb lint on|off                                  after each apply/create -f (and %%manifest), show the
                                                       findings below kubectl's output (default off;
                                                       one cell: %%manifest --lint)
  %kubenb cluster create NAME [--workers N]            another cluster in the same kubeconfig (e.g. prod)
  %kubenb registry push IMAGE --as NAME:TAG            point NAME:TAG at IMAGE's content in the registry,
                                                       as docker tag + docker push would
  %kubenb registry list [REPOSITORY]                   pushed tags (or a repository's tags) and digests
""",
    "ja": """\
kubenb: シミュレータのコマンド（kubectl のコマンドは %kubectl / %%kubectl セルに書きます）
  %kubenb reset [--seed N] [--workers N] [--no-cloud]  新しいクラスタでやり直す
  %kubenb advance 30s                                  クラスタの時計を進める
  %kubenb clock [--think 10s|0] [--realtime|--pause]   時計の表示・設定（セルごとの思考時間）
  %kubenb node stop|start NAME                         ノードを停止・起動する
  %kubenb addon enable|disable NAME                    アドオンを有効・無効にする（例: ingress-nginx）
  %kubenb graph TARGET [-n NS]                         cluster, deployment/NAME, service/NAME,
                                                       ingress/NAME, namespace/NAME を図にする
  %kubenb trace [--picture]                            直前のコマンドでコントロールプレーンが行ったこと
  %kubenb curl [OPTIONS] URL                           クラスタを動かしているマシンからの curl
  %kubenb curl --times N URL                           同じリクエストを N 回送り、1 行ずつ結果を表示
  %kubenb save FILE / %kubenb load FILE                クラスタ全体を保存・復元する
  %kubenb lang ja|en                                   kubenb 自身のメッセージの言語
  %kubenb lint FILE | TYPE/NAME | --all [-n NS]        講義の10のアンチパターンを点検する
  %kubenb lint on|off                                  apply/create -f（と %%manifest）のたびに kubectl の
                                                       出力の後へ指摘を表示する（既定は off。
                                                       1 セルだけなら %%manifest --lint）
  %kubenb cluster create NAME [--workers N]            同じ kubeconfig に別のクラスタを作る（例: prod）
  %kubenb registry push IMAGE --as NAME:TAG            レジストリの NAME:TAG を IMAGE の中身に向ける
                                                       （docker tag と docker push と同じ）
  %kubenb registry list [REPOSITORY]                   push したタグ（またはリポジトリのタグ）とダイジェスト
""",
}

MESSAGES = {
    "en": {
        "reset": "kubenb: a fresh cluster (seed {seed}, {workers} workers) at {now}",
        "clock": "kubenb: the cluster clock reads {now}",
        "think": "kubenb: each kubectl/manifest cell first moves the clock by {think}",
        "think_off": "kubenb: cells do not move the clock (think time 0)",
        "not_yet": "kubenb: {what} is not available yet",
        "saved": "kubenb: saved the cluster to {file}",
        "loaded": "kubenb: restored the cluster from {file} (clock {now})",
        "lang": "kubenb: messages in English",
        "lint_on": "kubenb: lint on apply is on: after each apply/create -f, the anti-pattern findings follow "
                   "kubectl's output (%kubenb lint off to stop)",
        "lint_off": "kubenb: lint on apply is off: applies print only kubectl's output",
        "pushed": "kubenb: pushed {name} (digest {digest}); nodes get it at their next pull of the name",
        "registry_tag": "kubenb: {name} -> {digest} (the image {content})",
        "registry_empty": "kubenb: no tags pushed yet (%kubenb registry push IMAGE --as NAME:TAG)",
        "push_needs_as": "kubenb: registry push needs IMAGE and --as NAME:TAG (see %kubenb help)",
    },
    "ja": {
        "reset": "kubenb: 新しいクラスタ（seed {seed}、ワーカー {workers} 台）、時刻 {now}",
        "clock": "kubenb: クラスタの時計は {now}",
        "think": "kubenb: kubectl/manifest セルは実行前に時計を {think} 進めます",
        "think_off": "kubenb: セルの実行で時計は進みません（思考時間 0）",
        "not_yet": "kubenb: {what} はまだ使えません",
        "saved": "kubenb: クラスタを {file} に保存しました",
        "loaded": "kubenb: {file} からクラスタを復元しました（時刻 {now}）",
        "lang": "kubenb: メッセージを日本語で表示します",
        "lint_on": "kubenb: apply 時の点検を有効にしました。apply/create -f のたびに kubectl の出力の後へ"
                   "アンチパターンの指摘を表示します（止めるには %kubenb lint off）",
        "lint_off": "kubenb: apply 時の点検を無効にしました。apply では kubectl の出力だけを表示します",
        "pushed": "kubenb: {name} を push しました（ダイジェスト {digest}）。各ノードは次にこの名前を pull したときに受け取ります",
        "registry_tag": "kubenb: {name} -> {digest}（中身は {content}）",
        "registry_empty": "kubenb: push したタグはまだありません（%kubenb registry push IMAGE --as NAME:TAG）",
        "push_needs_as": "kubenb: registry push には IMAGE と --as NAME:TAG が必要です（%kubenb help を参照）",
    },
}


class ControlError(Exception):
    """A mistake in a %kubenb line: printed as one stderr line, never a traceback."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exit_on_error", False)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse would print usage and sys.exit(2)
        raise ControlError(f"kubenb: {message} (see %kubenb help)")

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        raise ControlError(message or "")


def _parser() -> _Parser:
    parser = _Parser(prog="%kubenb")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    reset = sub.add_parser("reset")
    reset.add_argument("--seed", type=int, default=0)
    reset.add_argument("--workers", type=int, default=2)
    reset.add_argument("--no-cloud", action="store_true")
    advance = sub.add_parser("advance")
    advance.add_argument("duration")
    clock = sub.add_parser("clock")
    clock.add_argument("--think")
    mode = clock.add_mutually_exclusive_group()
    mode.add_argument("--realtime", action="store_true")
    mode.add_argument("--pause", action="store_true")
    clock.add_argument("--speed", type=float)
    node = sub.add_parser("node")
    node.add_argument("action", choices=["stop", "start"])
    node.add_argument("name")
    addon = sub.add_parser("addon")
    addon.add_argument("action", choices=["enable", "disable", "list"])
    addon.add_argument("name", nargs="?")
    graph = sub.add_parser("graph")
    graph.add_argument("target", nargs="?", default="cluster")
    graph.add_argument("-n", "--namespace", default="default")
    graph.add_argument("--dot", action="store_true", help="print the DOT source instead")
    trace = sub.add_parser("trace")
    trace.add_argument("--picture", action="store_true")
    curl = sub.add_parser("curl")
    curl.add_argument("url", help="the URL and any curl options, as one string")
    save = sub.add_parser("save")
    save.add_argument("file")
    load = sub.add_parser("load")
    load.add_argument("file")
    lang = sub.add_parser("lang")
    lang.add_argument("language", choices=["ja", "en"])
    second = sub.add_parser("cluster")
    second.add_argument("action", choices=["create", "list"])
    second.add_argument("name", nargs="?")
    second.add_argument("--workers", type=int, default=2)
    lint = sub.add_parser("lint")
    lint.add_argument("target", nargs="?")
    lint.add_argument("--all", action="store_true")
    lint.add_argument("-n", "--namespace", default="default")
    registry = sub.add_parser("registry")
    registry.add_argument("action", choices=["push", "list"])
    registry.add_argument("image", nargs="?")
    registry.add_argument("--as", dest="target")
    sub.add_parser("help")
    return parser


def _fmt_seconds(seconds: float) -> str:
    return f"{seconds:g}s"


def run_control(session: Session, line: str, show: Callable[[Any], None] | None = None,
                graph_factory: Callable[[str, str], Any] | None = None) -> int:
    """Run one %kubenb line; returns 0, or 1 after printing a kubenb error."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        display.error(f"kubenb: cannot parse the line: {error}")
        return 1
    if not words:
        words = ["help"]
    times = None
    if words[0] == "curl" and len(words) > 1:
        try:
            rest, times = _take_times(words[1:])
        except ControlError as error:
            display.error(str(error))
            return 1
        # curl's own options (-s, -H 'Host: x', -i ...) are curl's to parse, not argparse's.
        words = ["curl", "--", shlex.join(rest)]
    try:
        args = _parser().parse_args(words)
        if times is not None:
            args.times = times
        return _dispatch(session, args, show, graph_factory)
    except ControlError as error:
        if str(error):
            display.error(str(error))
        return 1
    except argparse.ArgumentError as error:
        display.error(f"kubenb: {error} (see %kubenb help)")
        return 1
    except ValueError as error:
        text = str(error)
        display.error(text if text.startswith("kubenb:") else f"kubenb: {text}")
        return 1


def _dispatch(session: Session, args: argparse.Namespace, show: Callable[[Any], None] | None,
              graph_factory: Callable[[str, str], Any] | None) -> int:
    msg = MESSAGES[session.lang]
    command = args.command
    if command in (None, "help"):
        display.info(HELP[session.lang])
        return 0
    if command == "lang":
        session.lang = args.language
        display.info(MESSAGES[session.lang]["lang"])
        # Live graphs redraw from the cluster's "settled" hook and count the language in what they
        # drew; an idle settle changes nothing in the cluster and lets them redraw in the new words now.
        if session.started:  # no cluster yet: no graph either, and none is built just for this
            session.cluster.settle()
        return 0
    if command == "reset":
        if not 0 <= args.workers <= 100:
            raise ControlError("kubenb: --workers must be from 0 to 100")
        cluster = session.reset(seed=args.seed, workers=args.workers, cloud=not args.no_cloud)
        display.info(msg["reset"].format(seed=args.seed, workers=args.workers, now=cluster.now))
        return 0
    cluster = session.cluster
    if command == "advance":
        cluster.advance(parse_duration(args.duration))
        display.info(msg["clock"].format(now=cluster.now))
        return 0
    if command == "clock":
        return _clock(session, args)
    if command == "node":
        method = "stop_node" if args.action == "stop" else "start_node"
        return _optional_call(session, method, f"%kubenb node {args.action}", args.name,
                              done=f"kubenb: node {args.name} {'stopped' if args.action == 'stop' else 'started'}")
    if command == "addon":
        if args.action == "list":
            return _optional_call(session, "list_addons", "%kubenb addon list")
        if not args.name:
            raise ControlError(f"kubenb: addon {args.action} needs the addon's NAME")
        method = "enable_addon" if args.action == "enable" else "disable_addon"
        return _optional_call(session, method, f"%kubenb addon {args.action}", args.name,
                              done=f"kubenb: addon {args.name} {args.action}d")
    if command == "curl":
        if getattr(args, "times", None) is not None:
            return _optional_call(session, "curl", "%kubenb curl", args.url, args.times, session.lang)
        return _optional_call(session, "curl", "%kubenb curl", args.url)
    if command == "graph":
        return _graph(session, args, show, graph_factory)
    if command == "trace":
        return _trace(session, args, show)
    if command == "save":
        data = cluster.snapshot().data
        try:
            with open(args.file, "wb") as handle:
                handle.write(SNAPSHOT_MAGIC + data)
        except OSError as error:
            raise ControlError(f"kubenb: cannot write {args.file}: {error.strerror}") from None
        display.info(msg["saved"].format(file=args.file))
        return 0
    if command == "load":
        return _load(session, args.file)
    if command == "lint":
        return _lint(session, args)
    if command == "cluster":
        return _cluster(session, args)
    if command == "registry":
        return _registry(session, args)
    raise ControlError(f"kubenb: unknown command {command!r} (see %kubenb help)")


def _registry(session: Session, args: argparse.Namespace) -> int:
    """``registry push IMAGE --as NAME:TAG`` / ``registry list [REPOSITORY]`` (kubenb.node.images.Registry)."""
    msg = MESSAGES[session.lang]
    if args.action == "push":
        if not args.image or not args.target:
            raise ControlError(msg["push_needs_as"])
        name, digest = session.cluster.registry_push(args.image, args.target)
        display.info(msg["pushed"].format(name=name, digest=digest))
        return 0
    if args.target:
        raise ControlError("kubenb: --as belongs to registry push (see %kubenb help)")
    rows = session.cluster.registry_tags(args.image or "")
    if not rows:
        display.info(msg["registry_empty"])
        return 0
    display.info("\n".join(msg["registry_tag"].format(name=name, digest=digest, content=content)
                           for name, digest, content in rows))
    return 0


def _take_times(words: list[str]) -> tuple[list[str], int | None]:
    """kubenb's own ``--times N`` (``--times=N``) out of a curl line; curl never sees it."""
    rest: list[str] = []
    times = None
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--times" or word.startswith("--times="):
            if word == "--times":
                if index >= len(words):
                    raise ControlError("kubenb: --times needs a number (e.g. --times 6)")
                value = words[index]
                index += 1
            else:
                value = word.split("=", 1)[1]
            if not value.isdigit():
                raise ControlError(f"kubenb: --times needs a number, not {value!r}")
            times = int(value)
            continue
        rest.append(word)
    return rest, times


def _clock(session: Session, args: argparse.Namespace) -> int:
    from kubenb.jupyter import ticker

    msg = MESSAGES[session.lang]
    if args.think is not None:
        session.think_seconds = parse_duration(args.think)
    ticking = ticker.get_ticker()
    if args.speed is not None:
        if not 0 < args.speed <= 3600:
            raise ControlError("kubenb: --speed must be above 0 and at most 3600")
        ticking.speed = args.speed
    if args.pause:
        ticking.stop()
    if args.realtime:
        reason = ticking.start()
        if reason:
            # Not a mistake: the same notebook runs live for a person and headless for a grader.
            display.info(f"kubenb: real time is off here: {reason}")
    display.info(msg["clock"].format(now=session.cluster.now))
    think = session.think_seconds
    display.info(msg["think"].format(think=_fmt_seconds(think)) if think else msg["think_off"])
    if ticking.running:
        display.info(f"kubenb: real time on, {ticking.speed:g} virtual seconds per second")
    return 0


def _optional_call(session: Session, method: str, what: str, *args: Any, done: str = "") -> int:
    """Call a Cluster method another part of kubenb provides, if it exists yet.

    The method may return None (``done`` is printed), an Outcome-like object (shown as kubectl
    output), an object with a ``body`` (an HTTP response: the body is printed) or anything else
    (printed with str)."""
    target = getattr(session.cluster, method, None)
    if not callable(target):
        display.error(MESSAGES[session.lang]["not_yet"].format(what=what))
        return 1
    result = target(*args)
    session.cluster.settle()
    if result is None:
        if done:
            display.info(done)
        return 0
    stdout = getattr(result, "stdout", None)
    if stdout is not None:  # an Outcome-like result
        display.show(result)
        return int(getattr(result, "exit_code", 0))
    text = getattr(result, "body", None)
    display.info(str(text if text is not None else result))
    return 0


def _graph(session: Session, args: argparse.Namespace, show: Callable[[Any], None] | None,
           graph_factory: Callable[[str, str], Any] | None) -> int:
    from kubenb.viz import graph as vizgraph

    try:
        if args.dot or show is None or graph_factory is None:
            display.info(vizgraph.to_dot(session.cluster.client, args.target, args.namespace,
                                          session.lang).rstrip("\n"))
            return 0
        widget = graph_factory(args.target, args.namespace)
    except vizgraph.GraphError as error:
        raise ControlError(str(error)) from None
    show(widget)
    return 0


def _trace(session: Session, args: argparse.Namespace, show: Callable[[Any], None] | None) -> int:
    from kubenb.viz import trace as viztrace

    last = session.last
    if last is None:
        raise ControlError("kubenb: no kubectl command has run yet; the trace follows the last one")
    entries = [e for e in session.cluster.store.trace if last.first_seq < e.seq <= last.last_seq]
    display.info(f"kubenb: $ kubectl {last.line}")
    display.info(viztrace.trace_table(entries).rstrip("\n"))
    if args.picture or show is not None:
        if show is not None and entries:
            show(display.SVGView(viztrace.sequence_svg(entries),
                                 f"kubenb trace: {len(entries)} API writes for kubectl {last.line}"))
    return 0


def _cluster(session: Session, args: argparse.Namespace) -> int:
    """%kubenb cluster create NAME: a second cluster (its context is NAME) beside the session's."""
    cluster = session.cluster
    if args.action == "list":
        names = [cluster.name, *cluster.peers]
        display.info("\n".join(f"kubenb: cluster {name}" for name in names))
        return 0
    if not args.name:
        raise ControlError("kubenb: cluster create needs the new cluster's NAME")
    if not 0 <= args.workers <= 100:
        raise ControlError("kubenb: --workers must be from 0 to 100")
    cluster.create_cluster(args.name, workers=args.workers)
    display.info(f"kubenb: cluster {args.name} created; kubectl config use-context {args.name} switches to it")
    return 0


def _lint(session: Session, args: argparse.Namespace) -> int:
    """%kubenb lint: the anti-pattern coach over a file, one live object or the whole cluster."""
    from kubenb import coach
    from kubenb.api import errors

    if args.target in ("on", "off") and not args.all and args.target not in session.cluster.files:
        session.lint_on_apply = args.target == "on"
        display.info(MESSAGES[session.lang]["lint_" + args.target])
        return 0
    cluster = session.cluster
    client = cluster.client
    if args.all == bool(args.target):
        raise ControlError("kubenb: lint takes FILE, TYPE/NAME, --all or on|off (see %kubenb help)")
    try:
        if args.all:
            findings, source = coach.lint_all(client, lang=session.lang), "cluster"
        elif args.target in cluster.files or "/" not in args.target or args.target.endswith((".yaml", ".yml",
                                                                                              ".json")):
            text = cluster.files.get(args.target)
            if text is None:
                try:
                    with open(args.target, encoding="utf-8") as handle:
                        text = handle.read()
                except OSError as error:
                    raise ControlError(f"kubenb: cannot read {args.target}: {error.strerror}") from None
            findings, source = coach.lint_manifest(text, lang=session.lang, client=client), args.target
        else:
            findings = coach.lint_live(client, args.target, namespace=args.namespace, lang=session.lang)
            source = args.target
    except errors.StatusError as error:
        raise ControlError(f"kubenb: {error.message}") from None
    display.info(coach.render(findings, lang=session.lang, source=source).rstrip("\n"))
    return 0


def _load(session: Session, path: str) -> int:
    from kubenb.cluster import Snapshot

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ControlError(f"kubenb: cannot read {path}: {error.strerror}") from None
    if not data.startswith(SNAPSHOT_MAGIC):
        raise ControlError(f"kubenb: {path} is not a file written by %kubenb save")
    # A snapshot is a pickle: load only files you saved yourself.
    session.cluster.restore(Snapshot(data[len(SNAPSHOT_MAGIC):]))
    session.last = None
    display.info(MESSAGES[session.lang]["loaded"].format(file=path, now=session.cluster.now))
    return 0
