"""Browser tests: JupyterLab on a free loopback port, driven by Playwright in Debian's Chromium.

What a student sees can only be checked in a browser: whether the widgets render in
JupyterLab, whether a graph redraws in place, what a trusted or untrusted saved notebook
shows. These fixtures start ``jupyter lab`` (this interpreter, this checkout's kubenb on
PYTHONPATH) in a throw-away folder holding copies of the notebooks, with its own config,
data, settings and workspace folders so nothing of the machine's Jupyter setup leaks in,
and drive it with Playwright through ``/usr/bin/chromium`` (never a downloaded browser).

Every test here is marked ``browser``: plain ``pytest`` skips them (pyproject addopts),
``bash scripts/test.sh`` runs them. Screenshots go to tests/browser/artifacts/
(``KUBENB_BROWSER_ARTIFACTS`` moves them). Without Chromium the tests skip, except under
CI (``CI`` set), where a missing browser is a failure, not a silent skip.

Notes from jupyter-stack.md section 7: as root the server needs ``--allow-root``; a page
opens with ``?reset`` and waits for its own notebook path, so no workspace from an earlier
page is restored; ``window.jupyterapp`` needs ``expose_app_in_browser``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(os.environ.get("KUBENB_BROWSER_ARTIFACTS", Path(__file__).parent / "artifacts"))
TOKEN = "kubenb-browser-test"

# The flags the machine notes (jupyter-stack.md 7.1, env machines/python.md) ask for: no
# sandbox as root, and none of Chromium's own background traffic (this network refuses it).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]

# JupyterLab settings for a quiet, predictable page: no news or update toast over the cells,
# and every cell attached to the DOM (no windowing), so locators see the whole notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# Run silently in the kernel: what a graph of TARGET must hold, read straight from the API objects
# (ownerReferences, selectors, Ingress rules), not through kubenb.viz, so the picture is checked
# against the cluster rather than against itself.
EXPECT_SETUP = """
def _kubenb_browser_expect(target, namespace):
    import json
    import kubenb
    cluster = kubenb.current()
    client = cluster.client
    kind, name = target.split("/", 1)

    def owned(items, owner):
        return [o for o in items
                if any(r.get("controller") and r.get("uid") == owner["metadata"]["uid"]
                       for r in o["metadata"].get("ownerReferences") or [])]

    def selected(service):
        selector = service["spec"].get("selector") or {}
        return [p for p in client.list("pods", namespace)
                if selector and all((p["metadata"].get("labels") or {}).get(k) == v for k, v in selector.items())]

    pods, services, rules = [], [], []
    if kind == "deployment":
        deployment = client.get("deployments", name, namespace)
        for rs in owned(client.list("replicasets", namespace), deployment):
            pods += owned(client.list("pods", namespace), rs)
    elif kind == "service":
        service = client.get("services", name, namespace)
        services.append(name)
        pods += selected(service)
    elif kind == "ingress":
        spec = client.get("ingresses", name, namespace)["spec"]
        backends = []
        for i, rule in enumerate(spec.get("rules") or []):
            for j, path in enumerate((rule.get("http") or {}).get("paths") or []):
                rules.append(f"rule/{i}/{j}")
                backends.append(((path.get("backend") or {}).get("service") or {}).get("name"))
        if (spec.get("defaultBackend") or {}).get("service"):
            rules.append("rule/default")
            backends.append(spec["defaultBackend"]["service"]["name"])
        for backend in dict.fromkeys(b for b in backends if b):
            service = client.try_get("services", backend, namespace)
            services.append(backend)
            if service is not None:
                pods += selected(service)
    return json.dumps({"now": cluster.now, "pods": sorted({p["metadata"]["name"] for p in pods}),
                       "services": sorted(services), "rules": sorted(rules)})
"""

VIEWPORT = {"width": 1280, "height": 900}
KERNEL_READY_MS = 90_000
RUN_MS = 180_000


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine; under CI a missing piece fails the run instead."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def english_title(title: str) -> str:
    """A graph title as kubenb writes it in English: after ``%kubenb lang ja`` the title reads
    ``deployment/web -n default (T 時点)`` or ``クラスタ (T 時点)`` (kubenb.viz.words)."""
    match = re.fullmatch(r"(.*) \((\S+) 時点\)", title)
    if match is None:
        return title
    target = "cluster" if match[1] == "クラスタ" else match[1]
    return f"{target} at {match[2]}"


class LabServer:
    """A running ``jupyter lab``: its URL, its folder (root), and the environment it runs in."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.home = home
        self.env = dict(os.environ)
        self.env.update({
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),  # the trust database (nbsignatures.db) lives here
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "IPYTHONDIR": str(home / "ipython"),  # no profile that auto-loads anything
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "KUBENB_TICKER": "off",  # the opt-in real-time clock stays off: outputs must not race the wall clock
        })
        self.env.pop("JUPYTER_PATH", None)
        for name, settings in LAB_SETTINGS.items():
            path = home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", f"--IdentityProvider.token={TOKEN}",
                   "--allow-root", f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
                   "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(command, env=self.env, cwd=self.root, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={TOKEN}", timeout=2).close()
                return
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within 60 s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def trust(self, path: Path) -> None:
        """``jupyter trust`` into this server's trust database (as Binder's postBuild does)."""
        subprocess.run([sys.executable, "-m", "jupyter", "trust", str(path)], env=self.env, check=True,
                       capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab serving copies of notebooks/ (as notebooks/...) and of tests/browser/fixtures/ (as fixtures/)."""
    require(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    for module in ("jupyterlab", "playwright", "ipykernel", "ipywidgets"):
        require(_importable(module), f"{module} is not installed (pip install -e '.[test]')")
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(FIXTURES, root / "fixtures")
    server = LabServer(root, tmp_path_factory.mktemp("lab-home"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="session")
def browser(lab: LabServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every run a new, empty profile (user-data-dir) and adds --headless itself.
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Console:
    """JavaScript errors a page reported: console.error messages and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


class NotebookPage:
    """One notebook open in JupyterLab, with the few actions the tests need.

    Cell execution goes through JupyterLab's own commands (what the Run menu does), and
    reading the outputs goes through the notebook model, whose JSON is what the file would
    hold; what the student sees is checked on the DOM with Playwright locators.
    """

    def __init__(self, page: Any, lab: LabServer, path: str, console: Console) -> None:
        self.page = page
        self.lab = lab
        self.path = path
        self.console = console

    # --- opening and running -----------------------------------------------------------------------

    def open(self) -> NotebookPage:
        self.page.goto(f"{self.lab.url}/lab/tree/{self.path}?reset&token={TOKEN}")
        self.page.wait_for_function(
            """(path) => {
                const panel = window.jupyterapp?.shell.currentWidget;
                return panel?.context?.path === path && panel.context.isReady
                    && panel.sessionContext?.session?.kernel?.status === 'idle';
            }""", arg=self.path, timeout=KERNEL_READY_MS)
        return self

    def run_all(self) -> None:
        """Run every cell, as Run > Run All Cells; returns when the last one has finished."""
        self._run("(async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); })()")

    def run_cells(self, start: int, stop: int) -> None:
        """Run cells start..stop-1 one after another, as Shift+Enter would."""
        self._run(f"""(async () => {{
            const app = window.jupyterapp, notebook = app.shell.currentWidget.content;
            for (let i = {start}; i < {stop}; i++) {{
                notebook.activeCellIndex = i;
                notebook.deselectAll();
                await app.commands.execute('notebook:run-cell');
            }}
        }})()""")

    def _run(self, script: str) -> None:
        self.page.evaluate(f"() => {script}")
        # Done when the kernel is idle and no cell is still queued or running ([*]): the command's
        # promise can settle early (after a cell tagged raises-exception) while later cells still wait.
        self.page.wait_for_function(
            """() => {
                const panel = window.jupyterapp.shell.currentWidget;
                return panel.sessionContext.session.kernel.status === 'idle'
                    && panel.content.widgets.every(cell => cell.model.executionState !== 'running');
            }""", timeout=RUN_MS, polling=250)

    # --- reading -----------------------------------------------------------------------------------

    def model(self) -> dict:
        """The notebook as JupyterLab holds it (what saving would write)."""
        return self.page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.toJSON()")

    def code_cells(self) -> list[tuple[int, dict]]:
        return [(i, c) for i, c in enumerate(self.model()["cells"]) if c["cell_type"] == "code"]

    def cell(self, index: int) -> Any:
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)

    def kernel_eval(self, setup: str, expression: str) -> str:
        """Evaluate ``expression`` in the kernel after running ``setup`` silently (no prompt, no output,
        no think time: IPython runs no cell hooks for silent requests); returns its text/plain."""
        result = self.page.evaluate(
            """async ([setup, expression]) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                const reply = await kernel.requestExecute({code: setup, silent: true, store_history: false,
                                                           user_expressions: {value: expression}}).done;
                return reply.content.user_expressions?.value ?? reply.content;
            }""", [setup, expression])
        assert result.get("status") == "ok", f"kernel evaluation failed: {result}"
        return result["data"]["text/plain"]

    def graphs(self) -> list[dict]:
        """Every kubenb graph on the page, in cell order: its cell, title (in its English form) and node
        titles (from the SVG)."""
        found = self.page.evaluate("""() => {
            const cells = [...window.jupyterapp.shell.currentWidget.content.node.querySelectorAll('.jp-Cell')];
            const found = [];
            cells.forEach((cell, index) => {
                for (const svg of cell.querySelectorAll('.jp-OutputArea-output .kubenb-graph svg')) {
                    const nodes = [...svg.querySelectorAll('g.node > title')].map(t => t.textContent);
                    const title = svg.querySelector('g.graph > title')?.textContent ?? '';
                    found.push({cell: index, title, nodes,
                                visible: svg.getBoundingClientRect().width > 0});
                }
            });
            return found;
        }""")
        for graph in found:
            graph["title"] = english_title(graph["title"])
        return found

    def expected(self, title: str) -> dict | None:
        """What the graph titled ``deployment/x -n default at T`` must hold now (None: not a checked kind)."""
        target, _, rest = title.partition(" -n ")
        namespace = rest.split(" at ")[0] if rest else "default"
        if target.split("/")[0] not in ("deployment", "service", "ingress"):
            return None
        return json.loads(ast.literal_eval(self.kernel_eval(EXPECT_SETUP,
                                                      f"_kubenb_browser_expect({target!r}, {namespace!r})")))

    def errors_in_outputs(self) -> list[tuple[int, str]]:
        """(cell index, "ename: evalue") for every error output in the notebook."""
        return [(i, f"{o.get('ename')}: {o.get('evalue')}") for i, c in self.code_cells()
                for o in c.get("outputs", []) if o["output_type"] == "error"]

    def stream_text(self, index: int) -> str:
        cell = self.model()["cells"][index]
        return "".join("".join(o["text"]) if isinstance(o["text"], list) else o["text"]
                       for o in cell.get("outputs", []) if o["output_type"] == "stream")

    # --- artifacts ---------------------------------------------------------------------------------

    @staticmethod
    def screenshot_path(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        return ARTIFACTS / f"{name}.png"

    def screenshot(self, name: str) -> Path:
        """The whole notebook as one picture: the viewport grows to the notebook's height first,
        since JupyterLab scrolls inside the page and a full-page shot would show only one screen."""
        path = self.screenshot_path(name)
        height = self.page.evaluate("""() => {
            const app = window.jupyterapp, panel = app.shell.currentWidget;
            app.shell.collapseLeft();  // the file browser would take a third of the width
            app.shell.collapseRight();
            const scroller = panel.node.querySelector('.jp-WindowedPanel-outer') ?? panel.content.node;
            const chrome = window.innerHeight - scroller.clientHeight;  // menus, toolbar, status bar
            return chrome + scroller.scrollHeight + 40;
        }""")
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"],
                                                                                 min(int(height), 16_000))})
        self.page.wait_for_timeout(300)  # let JupyterLab lay the taller window out
        self.page.evaluate("""() => {
            const panel = window.jupyterapp.shell.currentWidget;
            (panel.node.querySelector('.jp-WindowedPanel-outer') ?? panel.content.node).scrollTop = 0;
        }""")
        self.page.wait_for_timeout(100)
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def open_notebook(browser: Any, lab: LabServer) -> Iterator[Any]:
    """open_notebook("fixtures/x.ipynb") -> NotebookPage in a fresh browser context (no shared state)."""
    contexts = []

    def open_(path: str) -> NotebookPage:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        console = Console()
        page.on("console", console.on_console)
        page.on("pageerror", console.on_page_error)
        return NotebookPage(page, lab, path, console).open()

    yield open_
    for context in contexts:
        for page in context.pages:  # stop the kernels this test started (the server would keep them)
            try:
                page.evaluate("""async () => {
                    const sessions = window.jupyterapp.serviceManager.sessions;
                    for (const session of [...sessions.running()]) await sessions.shutdown(session.id);
                }""")
            except Exception:  # a page that crashed or navigated away: the server stops its kernels at the end
                pass
        context.close()
