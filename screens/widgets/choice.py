"""A drop-down for a choice setting; on the Linux console its arrows are ASCII."""

from __future__ import annotations

from textual.widgets import Select, Static


class ChoiceSelect(Select):
    def on_mount(self) -> None:
        if self.app.has_class("-plain"):
            for arrow, glyph in ((".down-arrow", "v"), (".up-arrow", "^")):
                for node in self.query(arrow).results(Static):
                    node.update(glyph)
