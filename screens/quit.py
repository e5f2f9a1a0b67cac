"""Asked before quitting with choices that were not written yet."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QuitScreen(ModalScreen[bool]):
    CSS_PATH = "quit.tcss"
    AUTO_FOCUS = "#stay"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Stay"),
        Binding("y", "answer(True)", "Quit"),
    ]

    def __init__(self, message: str):
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="quit", classes="framed") as box:
            box.border_title = "Quit?"
            yield Static(self._message, markup=False)
            with Horizontal(id="quit-buttons"):
                yield Button("Stay (n)", id="stay", compact=True)
                yield Button("Quit (y)", id="quit-now", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit-now")

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)
