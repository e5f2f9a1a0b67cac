"""A secret typed twice (a new password, a key passphrase): two hidden fields, one message."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label

from screens.widgets import css_beside
from screens.widgets.secret_input import SecretInput


class SecretPair(Vertical):
    DEFAULT_CSS = css_beside(__file__)

    class Changed(Message):
        """Either field changed; the handler reads both (they are never put in the message's repr)."""

        def __init__(self, pair: "SecretPair"):
            super().__init__()
            self.pair = pair

    def __init__(self, first_label: str, second_label: str = "Again", *, texts: tuple[str, str] = ("", ""),
                 id: str | None = None):
        super().__init__(id=id)
        self._labels = (first_label, second_label)
        self._texts = texts

    def compose(self) -> ComposeResult:
        for index, label in enumerate(self._labels):
            with Horizontal(classes="row"):
                yield Label(label, classes="label", markup=False)
                yield SecretInput(self._texts[index], classes=("first", "second")[index])

    @property
    def texts(self) -> tuple[str, str]:
        return self.query_one(".first", Input).value, self.query_one(".second", Input).value

    def fill(self, text: str) -> None:
        """Put ``text`` in both fields (a generated secret the caller has already taken)."""
        with self.prevent(Input.Changed):
            self.query_one(".first", Input).value = text
            self.query_one(".second", Input).value = text

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))
