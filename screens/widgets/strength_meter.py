"""The live strength meter under a password: a bar for the PBX's score, its reading beside it.

The fill comes from the state (``PasswordStatus.meter``); the bar is ASCII on the Linux console.
"""

from __future__ import annotations

from textual.widgets import Static

from screens.widgets import css_beside

WIDTH = 20


class StrengthMeter(Static):
    DEFAULT_CSS = css_beside(__file__)

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__("", id=id, classes=classes, markup=False)

    def show(self, fill: float, words: str, level: str) -> None:
        """``fill`` 0..1, ``words`` beside the bar, ``level`` low/medium/high/none for its colour."""
        full = round(max(0.0, min(fill, 1.0)) * WIDTH)
        on, off = ("#", "-") if self.app.has_class("-plain") else ("\u2588", "\u2591")
        self.update(f"[{on * full}{off * (WIDTH - full)}] {words}")
        for name in ("none", "low", "medium", "high"):
            self.set_class(name == level, f"-{name}")
