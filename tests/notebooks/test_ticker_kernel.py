"""The real-time ticker in a real kernel: on when a front end allows stdin, refused when executed headless."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]


def run(client, code: str, allow_stdin: bool) -> str:
    msg_id = client.execute(code, allow_stdin=allow_stdin)
    out = []
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            out.append(msg["content"]["text"])
        elif kind in ("execute_result", "display_data"):
            out.append(msg["content"]["data"]["text/plain"])
        elif kind == "error":
            out.append("ERROR " + msg["content"]["ename"])
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(out)


@pytest.mark.slow
def test_ticker_follows_the_wall_clock_only_for_a_person():
    manager, client = jupyter_client.manager.start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    try:
        run(client, "%load_ext kubenb", True)
        refused = run(client, "%kubenb clock --realtime --speed 10", False)  # as nbclient/nbval send it
        assert "kubenb: real time is off here: the notebook is being executed headless" in refused
        started = run(client, "%kubenb clock --realtime --speed 10", True)  # as JupyterLab sends it
        assert "kubenb: real time on, 10 virtual seconds per second" in started
        time.sleep(2.5)
        run(client, "%kubenb clock --pause", True)
        # Whole ticks of 10 virtual seconds passed while the kernel was idle (how many depends on load).
        moved = run(client, "import kubenb; kubenb.current().clock.now() - 1735689600", True)
        assert float(moved) > 0 and float(moved) % 10 == 0
        time.sleep(1.5)
        assert run(client, "kubenb.current().clock.now() - 1735689600", True) == moved  # paused
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
