"""The bottom bar of every step: Back, the keys that work everywhere, Next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.widgets import css_beside

HINTS = "Esc back  F1 help  Ctrl+N next  Ctrl+Q quit"


class NavBar(Horizontal):
    DEFAULT_CSS = css_beside(__file__)

    def __init__(self, back: str, next_: str, *, back_enabled: bool = True):
        super().__init__()
        self._back, self._next, self._back_enabled = back, next_, back_enabled

    def compose(self) -> ComposeResult:
        yield Button(self._back, id="back", compact=True, disabled=not self._back_enabled)
        yield Static(HINTS, classes="hints")
        yield Button(self._next, id="next", compact=True)

    def set_next_label(self, label: str) -> None:
        self.query_one("#next", Button).label = label
