"""Controls: play, pause, step and speed for the cluster clock (drives ``jupyter.ticker``).

Play starts the real-time ticker (refused, with the reason shown, where the
notebook is executed headless); step moves the clock by a fixed amount at once,
which works everywhere. The label shows the cluster time after each change.
"""

from __future__ import annotations

from typing import Any

import ipywidgets

from kubenb.jupyter.session import get_session
from kubenb.jupyter.ticker import Ticker, get_ticker

SPEEDS = [("1x", 1.0), ("2x", 2.0), ("5x", 5.0), ("10x", 10.0), ("30x", 30.0)]


class Controls(ipywidgets.HBox):
    def __init__(self, step_seconds: float = 10.0, ticker: Ticker | None = None, **kwargs: Any) -> None:
        self.ticker = ticker or get_ticker()
        self.step_seconds = step_seconds
        self.play_button = ipywidgets.Button(description="play", icon="play", tooltip="follow the wall clock")
        self.pause_button = ipywidgets.Button(description="pause", icon="pause")
        self.step_button = ipywidgets.Button(description=f"+{step_seconds:g}s", icon="step-forward")
        self.speed = ipywidgets.Dropdown(options=SPEEDS, value=1.0, description="speed",
                                         layout=ipywidgets.Layout(width="140px"))
        self.label = ipywidgets.Label()
        super().__init__([self.play_button, self.pause_button, self.step_button, self.speed, self.label],
                         **kwargs)
        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: self.pause())
        self.step_button.on_click(lambda _: self.step())
        self.speed.observe(self._speed_changed, names="value")
        self.update_label()

    def play(self) -> str | None:
        reason = self.ticker.start(self.speed.value)
        self.update_label(f"kubenb: real time not available: {reason}" if reason else "")
        return reason

    def pause(self) -> None:
        self.ticker.stop()
        self.update_label()

    def step(self) -> None:
        get_session().cluster.advance(self.step_seconds)
        self.update_label()

    def _speed_changed(self, change: dict) -> None:
        self.ticker.speed = float(change["new"])
        self.update_label()

    def update_label(self, note: str = "") -> None:
        state = "playing" if self.ticker.running else "paused"
        self.label.value = note or f"{get_session().cluster.now} ({state}, {self.ticker.speed:g}x)"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = "kubenb clock controls"
        return bundle
