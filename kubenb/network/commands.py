"""``curl``, ``wget`` and ``nslookup`` as a Pod runs them, for ``kubectl exec POD -- curl ...``.

Each command is a function ``(client, state, pod, argv) -> (stdout, stderr,
exit code)``. The cluster layer routes exec of these programs here
(kubenb/cluster/connections.py); the node layer owns every other exec
builtin. Output follows curl 8 (progress meter on stderr when stdout is not a
terminal, as under ``kubectl exec`` without ``-t``; ``-s`` hides it and the
error text, ``-S`` brings the error back) and BusyBox 1.36 ``wget`` and
``nslookup``. ``curl_times`` is kubenb's own ``%kubenb curl --times N``: one
``kubenb:`` line per request instead of bodies.

Left out: uploads, cookies, ``-v`` traces, redirects (``-L`` is accepted), most
of curl's 250 options (an unknown one fails as curl does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubenb.api import Client
from kubenb.network import dns, http
from kubenb.network.proxy import NetworkState

CURL_USAGE_HINT = "curl: try 'curl --help' or 'curl --manual' for more information\n"

# curl options that take a value, short and long.
_CURL_VALUE = {"-o": "output", "--output": "output", "-m": "max_time", "--max-time": "max_time",
               "--connect-timeout": "connect_timeout", "-H": "header", "--header": "header",
               "-X": "request", "--request": "request", "--resolve": "resolve", "-w": "write_out",
               "--write-out": "write_out", "-A": "user_agent", "--user-agent": "user_agent",
               "-d": "data", "--data": "data", "-u": "user", "--user": "user", "--retry": "retry",
               "--cacert": "cacert", "-e": "referer", "--referer": "referer"}
_CURL_BOOL = {"-s": "silent", "--silent": "silent", "-S": "show_error", "--show-error": "show_error",
              "-i": "include", "--include": "include", "-I": "head", "--head": "head", "-v": "verbose",
              "--verbose": "verbose", "-L": "location", "--location": "location", "-f": "fail", "--fail": "fail",
              "-k": "insecure", "--insecure": "insecure", "-4": "ipv4", "--ipv4": "ipv4", "--http1.1": "http11",
              "-N": "no_buffer", "--no-buffer": "no_buffer", "-q": "disable", "--disable": "disable"}


@dataclass
class CurlOptions:
    urls: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    values: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        got = self.values.get(name)
        return got[-1] if got else None


class UsageError(Exception):
    pass


def parse_curl(argv: list[str]) -> CurlOptions:
    options = CurlOptions()
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg.startswith("--"):
            name, _, inline = arg.partition("=")
            if name in _CURL_BOOL:
                options.flags.add(_CURL_BOOL[name])
            elif name in _CURL_VALUE:
                if inline:
                    value = inline
                elif index < len(args):
                    value = args[index]
                    index += 1
                else:
                    raise UsageError(f"curl: option {name}: requires parameter\n{CURL_USAGE_HINT}")
                options.values.setdefault(_CURL_VALUE[name], []).append(value)
            else:
                raise UsageError(f"curl: option {name}: is unknown\n{CURL_USAGE_HINT}")
        elif arg.startswith("-") and len(arg) > 1:
            # Short options combine (-sS, -fsSL, -sI); one taking a value ends the group.
            position = 1
            while position < len(arg):
                short = "-" + arg[position]
                position += 1
                if short in _CURL_BOOL:
                    options.flags.add(_CURL_BOOL[short])
                elif short in _CURL_VALUE:
                    value = arg[position:]
                    if not value:
                        if index >= len(args):
                            raise UsageError(f"curl: option {short}: requires parameter\n{CURL_USAGE_HINT}")
                        value = args[index]
                        index += 1
                    options.values.setdefault(_CURL_VALUE[short], []).append(value)
                    break
                else:
                    raise UsageError(f"curl: option {arg}: is unknown\n{CURL_USAGE_HINT}")
        else:
            options.urls.append(arg)
    return options


def _max5(value: int) -> str:
    """curl's max5data: a size in at most five characters."""
    if value < 100000:
        return f"{value:5d}"
    if value < 10000 * 1024:
        return f"{value // 1024:4d}k"
    if value < 10000 * 1024 * 1024:
        return f"{value // (1024 * 1024):4d}M"
    return f"{value // (1024 * 1024 * 1024):4d}G"


PROGRESS_HEADER = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                   "                                 Dload  Upload   Total   Spent    Left  Speed\n")


def progress_meter(size: int | None) -> str:
    """The last line curl's meter leaves on stderr (the transfer takes about a millisecond here)."""
    if size is None:
        return PROGRESS_HEADER + "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n"
    speed = _max5(size * 1000)
    return (PROGRESS_HEADER + f"100 {_max5(size)}  100 {_max5(size)}    0     0  {speed}      0 "
            f"--:--:-- --:--:-- --:--:-- {speed}\n")


def _write_out(template: str, response: http.Response) -> str:
    text = template.replace("\\n", "\n").replace("\\t", "\t")
    code = f"{response.status:03d}" if response.status is not None else "000"
    replacements = {"%{http_code}": code, "%{response_code}": code,
                    "%{remote_ip}": response.resolved or "", "%{size_download}": str(len(response.body.encode())),
                    "%{time_total}": "0.001000"}
    for key, value in replacements.items():
        text = text.replace(key, value)
    return text


def curl(client: Client, state: NetworkState, source: http.Source, argv: list[str]) -> tuple[str, str, int]:
    try:
        options = parse_curl(argv)
    except UsageError as error:
        return "", str(error), 2
    if not options.urls:
        return "", "curl: no URL specified!\n" + CURL_USAGE_HINT, 2
    silent = "silent" in options.flags
    show_error = "show_error" in options.flags or not silent
    headers: dict[str, str] = {}
    for header in options.values.get("header", []):
        name, _, value = header.partition(":")
        headers[name.strip().title() if name.strip().lower() == "host" else name.strip()] = value.strip()
    resolve: dict[tuple[str, int], str] = {}
    for entry in options.values.get("resolve", []):
        parts = entry.split(":")
        if len(parts) >= 3 and parts[1].isdigit():
            resolve[(parts[0], int(parts[1]))] = ":".join(parts[2:]).strip("[]")
    method = "HEAD" if "head" in options.flags else (options.value("request") or "GET")
    stdout, stderr, code = "", "", 0
    for url in options.urls:
        response = http.request(client, state, url, source=source, method=method, headers=headers,
                                resolve=resolve, insecure="insecure" in options.flags,
                                user_agent=options.value("user_agent") or "curl/8.14.1")
        to_file = options.value("output") not in (None, "-")
        if response.status is None:
            code = response.error_code
            message = response.error
            max_time = options.value("max_time") or options.value("connect_timeout")
            if response.failure == "timeout" and max_time:
                try:
                    message = f"Connection timed out after {int(float(max_time) * 1000) + 1} milliseconds"
                except ValueError:
                    pass
            if response.failure == "tls":
                message += ("\nMore details here: https://curl.se/docs/sslcerts.html\n\n"
                            "curl failed to verify the legitimacy of the server and therefore could not\n"
                            "establish a secure connection to it. To learn more about this situation and\n"
                            "how to fix it, please visit the webpage mentioned above.")
            if not silent:
                stderr += progress_meter(None)
            if show_error:
                stderr += f"curl: ({code}) {message}\n"
            if options.value("write_out"):
                stdout += _write_out(options.value("write_out") or "", response)
            continue
        if "fail" in options.flags and response.status >= 400:
            code = 22
            if not silent:
                stderr += progress_meter(None)
            if show_error:
                stderr += f"curl: (22) The requested URL returned error: {response.status}\n"
            continue
        head = ""
        if "include" in options.flags or "head" in options.flags:
            head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in response.headers) + "\r\n"
        body = head + (response.body if method != "HEAD" else "")
        if not to_file:
            stdout += body
        if not silent:
            stderr += progress_meter(len(response.body.encode()) if method != "HEAD" else 0)
        if options.value("write_out"):
            stdout += _write_out(options.value("write_out") or "", response)
    return stdout, stderr, code


MAX_TIMES = 100


def _answering_pod(response: http.Response) -> str:
    """The Pod a request reached, from its route ("pod default/web-1:8080"), or ""."""
    for step in reversed(response.route):
        if step.startswith("pod ") and ":" in step:
            return step[len("pod "):].rsplit(":", 1)[0]
    return ""


_TIMES_TEXT = {
    "en": {"request": "kubenb: request {n}/{times}: ", "refused": " (pod {pod} refused the connection)",
           "answered": " (answered by pod {pod})",
           "summary": "kubenb: {ok} of {times} requests answered, {failed} failed"},
    "ja": {"request": "kubenb: リクエスト {n}/{times}: ", "refused": "（pod {pod} が接続を拒否）",
           "answered": "（pod {pod} が応答）", "summary": "kubenb: {times} 件中 {ok} 件が応答、{failed} 件が失敗"},
}


def curl_times(client: Client, state: NetworkState, source: http.Source, argv: list[str],
               times: int, lang: str = "en") -> tuple[str, str, int]:
    """kubenb's own ``curl --times N``: the same request N times in a row, one outcome a line.

    Not a curl feature: a teaching aid that shows how kube-proxy spreads requests over the
    endpoints, and which Pod answered or refused each one. Each line is what curl would have
    reported (the status line, or its error), then the Pod. Bodies are not printed. The exit code
    is 0 even when requests fail: the failures are what it shows, not an error of the helper."""
    if not 1 <= times <= MAX_TIMES:
        return "", f"kubenb: --times must be from 1 to {MAX_TIMES}\n", 1
    try:
        options = parse_curl(argv)
    except UsageError as error:
        return "", str(error), 2
    if len(options.urls) != 1:
        return "", "kubenb: curl --times takes exactly one URL\n", 1
    url = options.urls[0]
    headers: dict[str, str] = {}
    for header in options.values.get("header", []):
        name, _, value = header.partition(":")
        headers[name.strip().title() if name.strip().lower() == "host" else name.strip()] = value.strip()
    method = "HEAD" if "head" in options.flags else (options.value("request") or "GET")
    text = _TIMES_TEXT.get(lang, _TIMES_TEXT["en"])
    lines, failed = [], 0
    for number in range(1, times + 1):
        response = http.request(client, state, url, source=source, method=method, headers=headers,
                                insecure="insecure" in options.flags,
                                user_agent=options.value("user_agent") or "curl/8.14.1")
        pod = _answering_pod(response)
        head = text["request"].format(n=number, times=times)
        if response.status is None:
            failed += 1
            where = text["refused"].format(pod=pod) if pod and response.failure == "refused" else ""
            lines.append(f"{head}curl: ({response.error_code}) {response.error}{where}")
        else:
            where = text["answered"].format(pod=pod) if pod else ""
            lines.append(f"{head}HTTP/1.1 {response.status} {response.reason}{where}")
    lines.append(text["summary"].format(ok=times - failed, times=times, failed=failed))
    return "".join(line + "\n" for line in lines), "", 0


def wget(client: Client, state: NetworkState, source: http.Source, argv: list[str]) -> tuple[str, str, int]:
    """BusyBox wget: -q, -O FILE (``-`` is stdout), -T SECONDS, -S, --spider."""
    quiet, output, spider, urls = False, None, False, []
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg in ("--spider",):
            spider = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg.startswith("--timeout") or arg.startswith("-T"):
            if arg in ("-T", "--timeout"):
                index += 1
        elif arg.startswith("-") and len(arg) > 1 and not arg.startswith("--"):
            position = 1
            while position < len(arg):
                letter = arg[position]
                position += 1
                if letter == "q":
                    quiet = True
                elif letter == "S":
                    pass
                elif letter in "OTUY":
                    value = arg[position:]
                    if not value and index < len(args):
                        value = args[index]
                        index += 1
                    if letter == "O":
                        output = value
                    break
                else:
                    return "", (f"wget: invalid option -- '{letter}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) "
                                "multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] "
                                "[--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t"
                                "[-P DIR] [-U AGENT] [-T SEC] URL...\n"), 1
        elif arg.startswith("--"):
            continue
        else:
            urls.append(arg)
    if not urls:
        return "", ("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] "
                    "[--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"), 1
    stdout, stderr = "", ""
    for url in urls:
        response = http.request(client, state, url, source=source, user_agent="Wget")
        display_host = url.split("://", 1)[-1].split("/", 1)[0]
        host_only = display_host.rsplit(":", 1)[0] if ":" in display_host else display_host
        if response.status is None:
            if response.failure == "resolve":
                stderr += f"wget: bad address '{host_only}'\n"
            elif response.failure == "timeout":
                stderr += "wget: download timed out\n"
            else:
                stderr += f"wget: can't connect to remote host ({response.resolved}): Connection refused\n"
            return stdout, stderr, 1
        port = display_host.rsplit(":", 1)[1] if ":" in display_host else ("443" if url.startswith("https") else "80")
        if not quiet:
            stderr += f"Connecting to {display_host} ({response.resolved}:{port})\n"
        if response.status >= 400:
            stderr += f"wget: server returned error: HTTP/1.1 {response.status} {response.reason}\n"
            return stdout, stderr, 1
        if spider:
            if not quiet:
                stderr += "remote file exists\n"
            continue
        size = len(response.body.encode())
        if output == "-":
            stdout += response.body
            if not quiet:
                stderr += (f"writing to stdout\n-                    100% |********************************| "
                           f"{size:5d}  0:00:00 ETA\nwritten to stdout\n")
        else:
            name = output or (url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") > 2 else "index.html")
            if not quiet:
                stderr += (f"saving to '{name}'\n{name[:20]:<20} 100% |********************************| "
                           f"{size:5d}  0:00:00 ETA\n'{name}' saved\n")
    return stdout, stderr, 0


def nslookup(client: Client, state: NetworkState, source: http.Source, argv: list[str]) -> tuple[str, str, int]:
    del state
    return dns.nslookup(client, source.pod or {"metadata": {"namespace": "default"}}, argv)


# Program name (argv[0] basename) -> implementation; the cluster routes exec of these here.
COMMANDS = {"curl": curl, "wget": wget, "nslookup": nslookup}


def run(client: Client, state: NetworkState, pod: dict, argv: list[str]) -> tuple[str, str, int] | None:
    """Run argv in ``pod`` when it is one of ``COMMANDS``; None when it is not a network command."""
    if not argv:
        return None
    program = argv[0].rsplit("/", 1)[-1]
    command = COMMANDS.get(program)
    if command is None:
        return None
    return command(client, state, http.Source("pod", pod, pod.get("spec", {}).get("nodeName")), argv)
