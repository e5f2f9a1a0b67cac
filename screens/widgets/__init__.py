"""Widgets that more than one screen uses; each keeps its styles in a .tcss beside it."""

from __future__ import annotations

from pathlib import Path


def css_beside(module_file: str) -> str:
    """The text of the .tcss file named like ``module_file``, for a widget's DEFAULT_CSS."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")


class MarksFocus:
    """Mixin for a container: it has the ``-current`` class while the focus is inside it.

    Styles keyed on ``:focus-within`` of an ancestor (``SettingField:focus-within .title``)
    kept their mark after the focus moved on (Textual 8.2.8 does not restyle the children of
    the container it left), so every title the focus had passed stayed in reverse video, and
    the one that has it could not be told. A class change restyles them. The class follows
    where the focus is when each event is handled, not the event's kind: a drop-down's
    overlay reports its blur after the drop-down itself took the focus back.
    """

    def on_descendant_focus(self) -> None:
        self.set_class(self.has_focus_within, "-current")

    def on_descendant_blur(self) -> None:
        self.set_class(self.has_focus_within, "-current")
