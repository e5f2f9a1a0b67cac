"""A progress bar for slow work that reports steps (key generation): no time estimate, so a
screen shows the same every time, and drawn with ``#`` on the Linux console."""

from __future__ import annotations

from textual.renderables.bar import Bar
from textual.widgets import ProgressBar


class AsciiBar(Bar):
    HALF_BAR_LEFT = "#"
    BAR = "#"
    HALF_BAR_RIGHT = "#"


class StepProgress(ProgressBar):
    def __init__(self, *, plain: bool, id: str | None = None):
        super().__init__(total=None, show_eta=False, id=id)
        if plain:
            self.BAR_RENDERABLE = AsciiBar
