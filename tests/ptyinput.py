"""A one-field app for tests/test_text_input_pty.py, run in a pseudo-terminal.

``python ptyinput.py KIND FD``: KIND is ``input`` (Textual's own Input), ``text`` (TextInput)
or ``secret`` (SecretInput). It writes ``ready`` to the file descriptor FD once the field has
the focus, and on Enter the field's value (as repr) and quits.
"""

from __future__ import annotations

import os
import sys

from textual.app import App
from textual.widgets import Input

from screens.widgets.secret_input import SecretInput
from screens.widgets.text_input import TextInput

KINDS = {"input": Input, "text": TextInput, "secret": SecretInput}


class OneField(App):
    def __init__(self, kind: str, report: int):
        super().__init__()
        self.kind, self.report = kind, report

    def compose(self):
        yield KINDS[self.kind]()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.call_after_refresh(os.write, self.report, b"ready\n")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        os.write(self.report, f"{event.value!r}\n".encode())
        self.exit()


if __name__ == "__main__":
    OneField(sys.argv[1], int(sys.argv[2])).run()
