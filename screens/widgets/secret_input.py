"""A hidden text field: what is typed shows as one mark a character, ``*`` on the Linux console."""

from __future__ import annotations

from rich.text import Text

from screens.widgets.text_input import TextInput


class SecretInput(TextInput):
    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None, classes: str | None = None):
        super().__init__(value, password=True, placeholder=placeholder, id=id, classes=classes)

    @property
    def _value(self) -> Text:
        # Textual masks with a bullet, which the Linux console's fonts may lack
        mark = "*" if self.app.has_class("-plain") else "\u2022"
        return Text(mark * len(self.value), no_wrap=True, overflow="ignore", end="")
