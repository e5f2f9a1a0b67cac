"""F1: a window with the explanation of the focused setting (the same text as `pbxwizard explain`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, title: str, text: str):
        super().__init__()
        self._title, self._text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="framed") as box:
            box.border_title = f"Help: {self._title}"
            box.border_subtitle = "Esc closes"
            with VerticalScroll(id="help-text"):
                yield Static(self._text, markup=False)

    def action_close(self) -> None:
        self.dismiss()
