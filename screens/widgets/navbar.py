"""The bottom bar of every step: Back, the keys that work everywhere, Next."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.widgets import css_beside
from screens.widgets.nav_button import NavButton

# The longest that fits is shown: every key keeps its word (a cut "Ctrl+Q" says nothing), and
# what the buttons beside say already (Esc is Back) goes first.
HINTS = ("Esc back  F1 help  Ctrl+N next  Ctrl+Q quit", "Esc back F1 help Ctrl+N next Ctrl+Q quit",
         "F1 help  Ctrl+N next  Ctrl+Q quit", "F1 help Ctrl+Q quit", "Ctrl+Q quit")


def hints_for(width: int) -> str:
    return next((text for text in HINTS if len(text) <= width), "")


class NavBar(Horizontal):
    DEFAULT_CSS = css_beside(__file__)

    def __init__(self, back: str, next_: str, *, back_enabled: bool = True):
        super().__init__()
        self._back, self._next, self._back_enabled = back, next_, back_enabled

    def compose(self) -> ComposeResult:
        yield NavButton(self._back, id="back", compact=True, disabled=not self._back_enabled)
        yield Static(HINTS[0], classes="hints", markup=False)
        yield NavButton(self._next, id="next", compact=True)

    def on_resize(self, event: events.Resize) -> None:
        hints = self.query_one(".hints", Static)
        hints.update(hints_for(hints.size.width))

    def set_next_label(self, label: str) -> None:
        self.query_one("#next", Button).label = label
