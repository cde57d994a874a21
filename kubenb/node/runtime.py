"""The modelled container process: what runs, what it prints, when it exits, what it touches.

A container's process is replayed, never stepped: ``run(process, horizon)``
interprets the command from the start of the container up to ``horizon``
seconds and returns its output lines with their times, its file changes and
its exit (or None while it still runs). Replaying is deterministic, so logs,
exec probes and exit times all come from the same function of the Pod spec,
the image and the virtual clock, and nothing but the start time needs saving.

What it understands (enough for the Kubernetes docs and the course):
- the image's own server (``nginx``, ``redis-server``, ...): prints its
  start-up lines, then runs until stopped; or exits 1 with the image's
  lines when a required variable (POSTGRES_PASSWORD) is missing;
- ``sleep N``, ``echo``, ``date``, ``true``/``false``, ``printenv``, ``env``,
  ``hostname``, ``cat``, ``touch``, ``rm``, ``ls``;
- ``sh -c "..."``: ``;``/``&&``/``||`` lists, ``exit N``, ``VAR=value``,
  ``$VAR``/``${VAR}``/``$(cmd)``/``$((expr))``, redirections ``>``/``>>``,
  ``while``/``until``/``for``/``if`` blocks, ``[ ... ]`` tests;
- perl's pi (``perl -Mbignum=bpi -wle 'print bpi(2000)'``), ``stress --vm-bytes``.

Left out: pipes (the left command runs, its output goes to the log), globbing,
functions, background jobs, signals other than stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_LINES = 20_000
MAX_STEPS = 200_000

SHELLS = {"sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/bash", "/usr/bin/sh"}
BUILTINS = {"echo", "sleep", "date", "true", "false", "printenv", "env", "hostname", "cat", "touch", "rm", "ls",
            "exit", "[", "test", "printf", "pwd", "id", "whoami", "uname", "mkdir", "wc", "seq", "expr", ":",
            "ps", "kill", "nslookup", "wget", "curl", "head", "tail", "grep", "yes"}


@dataclass
class Process:
    """What a container runs: argv after ENTRYPOINT/CMD resolution, plus its surroundings."""

    argv: list[str]
    env: dict[str, str]
    start: float  # virtual time the process started
    hostname: str
    image: dict  # catalog entry ({} for an unknown image)
    files: dict[str, str] = field(default_factory=dict)  # the filesystem at start
    tag: str = "latest"
    ip: str = ""
    host_ip: str = ""


@dataclass
class Run:
    lines: list[tuple[float, str]]  # (absolute time, line)
    files: dict[str, str]  # filesystem at the horizon
    exit_time: float | None  # None: still running at the horizon
    exit_code: int = 0
    server: bool = False  # the image's long-running process (ports open, http answers)
    forever: bool = False  # provably never exits on its own
    start_error: str = ""  # the process could not start (exec: "x": executable file not found)


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class _Horizon(Exception):
    pass


def format_date(seconds: float) -> str:
    """busybox/coreutils ``date``: "Wed Jan  1 00:00:00 UTC 2025"."""
    moment = datetime.fromtimestamp(int(seconds), tz=UTC)
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")


# Each placeholder: (strftime prefix, sub-second digits and separator-free suffix). The strftime part only
# changes once a second, so it is cached by whole second (keyed by virtual time, never the wall clock).
_DATE_FORMATS: dict[str, tuple[str, str]] = {
    "nginxdate": ("%Y/%m/%d %H:%M:%S", ""),
    "httpddate": ("%a %b %d %H:%M:%S.", "us %Y"),
    "redisdate": ("%d %b %Y %H:%M:%S.", "ms"),
    "pgdate": ("%Y-%m-%d %H:%M:%S.", "ms"),
    "mysqldate": ("%Y-%m-%dT%H:%M:%S.", "us"),
    "isodate": ("%Y-%m-%dT%H:%M:%S.", "usZ"),
    "klogdate": ("%m%d %H:%M:%S.", "us"),
    "golog": ("%Y/%m/%d %H:%M:%S", ""),
    "goechodate": ("%Y/%m/%d %H:%M:%S", ""),
    "kcdate": ("%Y-%m-%d %H:%M:%S,", "ms"),  # Quarkus/JBoss
}
_date_prefixes: dict[tuple[int, str], str] = {}


def _date_prefix(seconds: float, pattern: str) -> str:
    whole = int(seconds)
    if not 0 <= seconds - whole < 0.999999:
        # datetime rounds to the microsecond: near the next second (or before the epoch) it may not be
        # ``whole``, so such moments are formatted exactly as datetime sees them, uncached.
        return datetime.fromtimestamp(seconds, tz=UTC).strftime(pattern)
    key = (whole, pattern)
    text = _date_prefixes.get(key)
    if text is None:
        if len(_date_prefixes) > 4096:
            _date_prefixes.clear()
        text = _date_prefixes[key] = datetime.fromtimestamp(whole, tz=UTC).strftime(pattern)
    return text


def template_date(key: str, seconds: float) -> str | None:
    """The value of one date placeholder (``{{nginxdate}}``...) at ``seconds``; None if ``key`` is not one."""
    if key == "date":
        return format_date(seconds)
    form = _DATE_FORMATS.get(key)
    if form is None:
        return None
    pattern, suffix = form
    text = _date_prefix(seconds, pattern)
    if suffix.startswith("us"):
        text += f"{int(seconds * 1e6) % 1000000:06d}"
        suffix = suffix[2:]
    elif suffix.startswith("ms"):
        text += f"{int(seconds * 1000) % 1000:03d}"
        suffix = suffix[2:]
    if suffix == " %Y":
        suffix = " " + _date_prefix(seconds, "%Y")
    return text + suffix


def fill_template(text: str, process: Process, when: float) -> str:
    if "{{" not in text:
        return text

    def lookup(match: re.Match) -> str:
        # Only the placeholders the text holds are computed (most templates hold one date, or none).
        key = match.group(1)
        value = template_date(key, when)
        if value is not None:
            return value
        if key == "ip":
            return process.ip
        if key == "hostname":
            return process.hostname
        if key == "tag":
            return process.tag.split(".")[0]
        if key == "hostip":
            return process.host_ip
        if key == "text":
            return _http_echo_text(process)
        return match.group(0)

    return _PLACEHOLDER.sub(lookup, text)


_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _http_echo_text(process: Process) -> str:
    for arg in process.argv:
        if arg.startswith("-text="):
            return arg[len("-text="):]
    return "hello-world"


def base(argv0: str) -> str:
    return argv0.rsplit("/", 1)[-1]


def run(process: Process, horizon: float, *, output: bool = True) -> Run:
    """Replay the process from its start up to absolute time ``horizon``.

    ``output=False`` is for a caller that only wants the exit (the kubelet starting a container): a
    server's start-up lines, dated text filled in line by line, are then left out of ``lines``.
    """
    argv = process.argv
    image = process.image
    files = dict(process.files)
    if not argv:
        return Run([], files, None, start_error="no command specified")
    servers = set(image.get("servers") or [])
    if argv[0] in servers or base(argv[0]) in {base(s) for s in servers}:
        return _run_server(process, files, horizon, output)
    shell_available = image.get("shell", True)
    if not shell_available or (base(argv[0]) not in BUILTINS and argv[0] not in SHELLS
                               and base(argv[0]) not in ("perl", "python", "python3", "stress")):
        return Run([], files, None, start_error=f'exec: "{argv[0]}": executable file not found in $PATH')
    interpreter = _Shell(process, files, horizon)
    try:
        if argv[0] in SHELLS or base(argv[0]) in ("sh", "bash", "ash"):
            if len(argv) >= 3 and argv[1] == "-c":
                interpreter.run_script(argv[2])
            elif len(argv) == 1:
                pass  # sh with no terminal reads EOF from stdin and exits 0
            else:
                interpreter.run_script(" ".join(argv[1:]))
        else:
            interpreter.run_words([_quote(a) for a in argv])
        code = interpreter.status
    except _Exit as done:
        code = done.code
    except _Horizon:
        return Run(interpreter.lines, interpreter.files, None, forever=interpreter.forever)
    return Run(interpreter.lines, interpreter.files, interpreter.t, code)


def _run_server(process: Process, files: dict[str, str], horizon: float, output: bool = True) -> Run:
    image = process.image
    start = process.start
    for variable, lines in (image.get("requiredEnv") or {}).items():
        if not process.env.get(variable) and not (variable == "POSTGRES_PASSWORD" and
                                                  process.env.get("POSTGRES_HOST_AUTH_METHOD") == "trust"):
            out = [(start + 0.3, fill_template(line, process, start + 0.3)) for line in lines] if output else []
            if start + 0.3 > horizon:
                return Run([], files, None)
            return Run(out, files, start + 0.3, 1)
    lines = []
    for index, line in enumerate(image.get("logs") or [] if output else ()):
        when = start + 0.01 * index
        if isinstance(line, list):  # [seconds, text]: a line printed later in a slow start-up
            when, line = start + float(line[0]), str(line[1])
        if when <= horizon:
            lines.append((when, fill_template(line, process, when)))
    if "exitCode" in image:
        when = start + float(image.get("startSeconds", 1.0))
        if when <= horizon:
            return Run(lines, files, when, int(image["exitCode"]), server=True)
    return Run(lines, files, None, server=True, forever=True)


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


# --- a very small POSIX shell -------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<op>;;|&&|\|\||[;&|\n]|>>|>|<)|(?P<word>(?:[^\s;&|<>'\"\\$]|\\.|'[^']*'|\"(?:[^\"\\]|\\.)*\"|\$\(\([^)]*\)\)|\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|\$)+))")


def tokenize(script: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    script = script.rstrip()
    while pos < len(script):
        match = _TOKEN.match(script, pos)
        if match is None or match.end() == pos:
            if script[pos:].strip() == "":
                break
            raise SyntaxError(f"sh: syntax error: unexpected \"{script[pos]}\"")
        pos = match.end()
        if match.group("op"):
            tokens.append(("op", match.group("op")))
        elif match.group("word"):
            tokens.append(("word", match.group("word")))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def skip_separators(self) -> None:
        while self.peek() in (("op", ";"), ("op", "\n")):
            self.i += 1

    def parse_list(self, stop: tuple[str, ...] = ()) -> list:
        """[(connector, node)] where connector is ';', '&&' or '||' (how it joins the previous one)."""
        items = []
        connector = ";"
        while True:
            self.skip_separators()
            token = self.peek()
            if token is None or (token[0] == "word" and token[1] in stop):
                return items
            items.append((connector, self.parse_command()))
            token = self.peek()
            if token is None:
                return items
            if token == ("op", "&&") or token == ("op", "||"):
                connector = token[1]
                self.i += 1
            elif token[0] == "op" and token[1] in (";", "\n", "&"):
                connector = ";"
                self.i += 1
            elif token == ("op", "|"):
                self.i += 1
                self.parse_command()  # the right side of a pipe is dropped
                connector = ";"
            else:
                connector = ";"

    def expect(self, word: str) -> None:
        self.skip_separators()
        token = self.peek()
        if token != ("word", word):
            found = token[1] if token else "end of file"
            raise SyntaxError(f'sh: syntax error: unexpected "{found}" (expecting "{word}")')
        self.i += 1

    def parse_command(self) -> tuple:
        token = self.peek()
        if token is not None and token[0] == "word":
            word = token[1]
            if word in ("while", "until"):
                self.i += 1
                condition = self.parse_list(("do",))
                self.expect("do")
                body = self.parse_list(("done",))
                self.expect("done")
                return ("loop", word == "until", condition, body)
            if word == "for":
                self.i += 1
                variable = self.tokens[self.i][1]
                self.i += 1
                values = []
                if self.peek() == ("word", "in"):
                    self.i += 1
                    while self.peek() is not None and self.peek()[0] == "word":
                        values.append(self.tokens[self.i][1])
                        self.i += 1
                self.expect("do")
                body = self.parse_list(("done",))
                self.expect("done")
                return ("for", variable, values, body)
            if word == "if":
                self.i += 1
                branches = []
                condition = self.parse_list(("then",))
                self.expect("then")
                body = self.parse_list(("elif", "else", "fi"))
                branches.append((condition, body))
                otherwise: list = []
                while True:
                    token = self.peek()
                    if token == ("word", "elif"):
                        self.i += 1
                        condition = self.parse_list(("then",))
                        self.expect("then")
                        branches.append((condition, self.parse_list(("elif", "else", "fi"))))
                    elif token == ("word", "else"):
                        self.i += 1
                        otherwise = self.parse_list(("fi",))
                    else:
                        break
                self.expect("fi")
                return ("if", branches, otherwise)
        words: list[str] = []
        redirects: list[tuple[str, str]] = []
        while True:
            token = self.peek()
            if token is None:
                break
            if token[0] == "op" and token[1] in (">", ">>", "<"):
                self.i += 1
                target = self.peek()
                if target is None or target[0] != "word":
                    raise SyntaxError("sh: syntax error: unexpected newline")
                redirects.append((token[1], target[1]))
                self.i += 1
                continue
            if token[0] != "word":
                break
            if words == [] and token[1] in ("do", "done", "then", "fi", "else", "elif"):
                break
            words.append(token[1])
            self.i += 1
        return ("simple", words, redirects)


class _Shell:
    def __init__(self, process: Process, files: dict[str, str], horizon: float) -> None:
        self.process = process
        self.t = process.start
        self.horizon = horizon
        self.lines: list[tuple[float, str]] = []
        self.files = files
        self.vars = dict(process.env)
        self.vars.setdefault("HOSTNAME", process.hostname)
        self.vars.setdefault("HOME", "/root")
        self.vars.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        self.status = 0
        self.steps = 0
        self.forever = False
        self._output: list[str] | None = None  # capture for $(...) and redirections

    # output
    def emit(self, text: str) -> None:
        if self._output is not None:
            self._output.append(text)
            return
        for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
            self.lines.append((self.t, line))
        if len(self.lines) > MAX_LINES:
            del self.lines[: len(self.lines) - MAX_LINES]

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            self.forever = True
            raise _Horizon()

    def run_script(self, script: str) -> None:
        try:
            tree = _Parser(tokenize(script.replace("\r", ""))).parse_list()
        except SyntaxError as error:
            self.emit(f"{error.msg}\n")
            raise _Exit(2) from None
        self.exec_list(tree)

    def run_words(self, words: list[str]) -> None:
        self.exec_list([(";", ("simple", words, []))])

    def exec_list(self, items: list) -> None:
        for connector, node in items:
            if connector == "&&" and self.status != 0:
                continue
            if connector == "||" and self.status == 0:
                continue
            self.exec_node(node)

    def exec_node(self, node: tuple) -> None:
        self.step()
        kind = node[0]
        if kind == "simple":
            self.exec_simple(node[1], node[2])
        elif kind == "loop":
            _, until, condition, body = node
            while True:
                self.step()
                self.exec_list(condition)
                if (self.status == 0) == until:
                    break
                before = self.t
                self.exec_list(body)
                if self.t == before and not any(n[0] != "simple" or (n[1] and n[1][0] != "sleep") for _, n in body):
                    pass
                if self.t >= self.horizon:
                    self.forever = condition == [(";", ("simple", ["true"], []))] or condition == [
                        (";", ("simple", [":"], []))]
                    raise _Horizon()
            self.status = 0
        elif kind == "for":
            _, variable, values, body = node
            expanded: list[str] = []
            for value in values:
                expanded.extend(self.expand(value).split())
            for value in expanded:
                self.vars[variable] = value
                self.exec_list(body)
        elif kind == "if":
            _, branches, otherwise = node
            for condition, body in branches:
                self.exec_list(condition)
                if self.status == 0:
                    self.exec_list(body)
                    return
            self.exec_list(otherwise)

    def exec_simple(self, raw_words: list[str], redirects: list[tuple[str, str]]) -> None:
        words = [self.expand(w) for w in raw_words]
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]) and "=" in raw_words[0]:
            name, _, value = words.pop(0).partition("=")
            raw_words = raw_words[1:]
            self.vars[name] = value
            self.status = 0
        if not words:
            return
        if redirects:
            captured: list[str] = []
            saved = self._output
            self._output = captured
            try:
                self.builtin(words)
            finally:
                self._output = saved
            text = "".join(captured)
            for op, target in redirects:
                path = self.expand(target)
                if op == ">":
                    self.files[path] = text
                elif op == ">>":
                    self.files[path] = self.files.get(path, "") + text
            return
        self.builtin(words)

    def builtin(self, words: list[str]) -> None:
        name = base(words[0])
        args = words[1:]
        self.status = 0
        if name == "echo":
            newline = True
            if args and args[0] == "-n":
                newline = False
                args = args[1:]
            if args and args[0] == "-e":
                args = args[1:]
            self.emit(" ".join(args) + ("\n" if newline else ""))
        elif name == "printf":
            if args:
                fmt = args[0].replace("\\n", "\n").replace("\\t", "\t")
                try:
                    self.emit(fmt.replace("%s", "{}").replace("%d", "{}").format(*args[1:]) if "%" in fmt else fmt)
                except (IndexError, ValueError):
                    self.emit(fmt)
        elif name == "sleep":
            seconds = _sleep_seconds(args)
            if seconds is None:
                self.emit(f"sleep: invalid number '{args[0] if args else ''}'\n")
                self.status = 1
                return
            if self.t + seconds > self.horizon:
                self.forever = seconds == float("inf")
                self.t = self.horizon
                raise _Horizon()
            self.t += seconds
        elif name == "exit":
            try:
                raise _Exit(int(args[0]) & 0xFF if args else self.status)
            except ValueError:
                raise _Exit(2) from None
        elif name == "date":
            self.emit(format_date(self.t) + "\n")
        elif name in ("true", ":"):
            pass
        elif name == "false":
            self.status = 1
        elif name == "hostname":
            self.emit(self.process.hostname + "\n")
        elif name in ("printenv", "env"):
            if args and name == "printenv":
                if args[0] in self.vars:
                    self.emit(self.vars[args[0]] + "\n")
                else:
                    self.status = 1
            else:
                self.emit("".join(f"{k}={v}\n" for k, v in self.vars.items()))
        elif name == "cat":
            for path in args:
                if path in self.files:
                    self.emit(self.files[path])
                else:
                    self.emit(f"cat: can't open '{path}': No such file or directory\n")
                    self.status = 1
        elif name == "touch":
            for path in args:
                self.files.setdefault(path, "")
        elif name == "rm":
            for path in args:
                if path.startswith("-"):
                    continue
                self.files.pop(path, None)
        elif name == "mkdir":
            pass
        elif name in ("[", "test"):
            self.status = 0 if _test(args[:-1] if name == "[" else args, self.files) else 1
        elif name == "seq":
            try:
                numbers = [int(a) for a in args]
            except ValueError:
                self.status = 1
                return
            low, high = (1, numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[-1])
            self.emit("".join(f"{n}\n" for n in range(low, high + 1)))
        elif name == "perl":
            self.perl(args)
        elif name == "stress":
            self.emit("stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n")
            self.t = self.horizon
            self.forever = True
            raise _Horizon()
        elif name == "yes":
            self.t = self.horizon
            self.forever = True
            raise _Horizon()
        elif name in ("pwd",):
            self.emit("/\n")
        elif name in ("id",):
            self.emit("uid=0(root) gid=0(root) groups=0(root)\n")
        elif name == "whoami":
            self.emit("root\n")
        elif name == "uname":
            self.emit("Linux\n" if not args else f"Linux {self.process.hostname} 6.1.0-kubenb\n")
        elif name in ("sh", "bash", "ash") and len(args) >= 2 and args[0] == "-c":
            self.run_script(args[1])
        else:
            self.emit(f"sh: {words[0]}: not found\n")
            self.status = 127

    def perl(self, args: list[str]) -> None:
        script = " ".join(args)
        match = re.search(r"bpi\((\d+)\)", script)
        if match:
            digits = int(match.group(1))
            self.t += min(30.0, 1.0 + digits / 400)  # computing 2000 digits takes a few seconds
            self.emit(pi_digits(digits) + "\n")
            return
        match = re.search(r"print\s+\"([^\"]*)\"", script)
        if match:
            self.emit(match.group(1).replace("\\n", "\n"))

    # word expansion
    def expand(self, word: str) -> str:
        out: list[str] = []
        i = 0
        quote = ""
        while i < len(word):
            ch = word[i]
            if quote == "'":
                if ch == "'":
                    quote = ""
                else:
                    out.append(ch)
                i += 1
                continue
            if ch == "'" and not quote:
                quote = "'"
                i += 1
                continue
            if ch == '"':
                quote = "" if quote == '"' else '"'
                i += 1
                continue
            if ch == "\\" and i + 1 < len(word):
                out.append(word[i + 1])
                i += 2
                continue
            if ch == "$":
                value, i = self._dollar(word, i)
                out.append(value)
                continue
            out.append(ch)
            i += 1
        return "".join(out)

    def _dollar(self, word: str, i: int) -> tuple[str, int]:
        rest = word[i + 1:]
        if rest.startswith("(("):
            end = word.index("))", i)
            expression = self.expand(word[i + 3:end])
            expression = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: self.vars.get(m.group(0), "0") or "0", expression)
            try:
                value = str(int(eval(expression, {"__builtins__": {}}, {})))  # noqa: S307 - digits and operators only
            except Exception:  # noqa: BLE001 - shell arithmetic error
                value = "0"
            return value, end + 2
        if rest.startswith("("):
            depth = 0
            j = i + 1
            while j < len(word):
                if word[j] == "(":
                    depth += 1
                elif word[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner = word[i + 2:j]
            captured: list[str] = []
            saved = self._output
            self._output = captured
            try:
                self.run_script(inner)
            finally:
                self._output = saved
            return "".join(captured).rstrip("\n"), j + 1
        if rest.startswith("{"):
            end = word.index("}", i)
            name = word[i + 2:end]
            name, _, default = name.partition(":-")
            return self.vars.get(name) or default, end + 1
        match = re.match(r"[A-Za-z_][A-Za-z0-9_]*|\?|\$|#", rest)
        if match is None:
            return "$", i + 1
        name = match.group(0)
        if name == "?":
            return str(self.status), i + 2
        if name == "$":
            return "1", i + 2
        if name == "#":
            return "0", i + 2
        return self.vars.get(name, ""), i + 1 + len(name)


def _sleep_seconds(args: list[str]) -> float | None:
    if not args:
        return None
    total = 0.0
    for arg in args:
        if arg == "infinity":
            return float("inf")
        match = re.fullmatch(r"(\d+(?:\.\d*)?)([smhd]?)", arg)
        if match is None:
            return None
        total += float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return total


def _test(args: list[str], files: dict[str, str]) -> bool:
    if not args:
        return False
    if args[0] == "!":
        return not _test(args[1:], files)
    if len(args) == 2 and args[0] in ("-f", "-e", "-r", "-s"):
        return args[1] in files and (args[0] != "-s" or bool(files[args[1]]))
    if len(args) == 2 and args[0] == "-d":
        return any(p.startswith(args[1].rstrip("/") + "/") for p in files)
    if len(args) == 2 and args[0] in ("-z", "-n"):
        return (args[1] == "") == (args[0] == "-z")
    if len(args) == 3:
        left, op, right = args
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        try:
            a, b = int(left), int(right)
        except ValueError:
            return False
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b, "-ge": a >= b}.get(op, False)
    return len(args) == 1 and args[0] != ""


def pi_digits(count: int) -> str:
    """The first ``count`` significant digits of pi, as bignum's bpi(count) prints them."""
    digits = []
    q, r, t, k, n, m = 1, 0, 1, 1, 3, 3
    while len(digits) < count + 1:
        if 4 * q + r - t < n * t:
            digits.append(str(n))
            q, r, n = 10 * q, 10 * (r - n * t), (10 * (3 * q + r)) // t - 10 * n
        else:
            q, r, t, k, n, m = q * k, (2 * q + r) * m, t * m, k + 1, (q * (7 * k + 2) + r * m) // (t * m), m + 2
    # bpi rounds the last digit
    text = "".join(digits)
    head, next_digit = text[:count], int(text[count])
    if next_digit >= 5:
        head = str(int(head) + 1).zfill(count)
    return head[0] + "." + head[1:]
