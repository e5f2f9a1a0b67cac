"""Edits a list setting one entry at a time: type entries and press Enter to add them,
Delete removes the highlighted entry, Enter on an entry takes it back into the input.

The widget knows nothing about what an entry may be: ``parse`` (from the screen, backed
by the catalog) turns typed text into entries or says why it cannot.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from screens.widgets import css_beside
from screens.widgets.text_input import TextInput

Parse = Callable[[str], "tuple[tuple[str, ...], str | None]"]


class EntryList(OptionList):
    BINDINGS = [
        Binding("delete,backspace", "remove", "Remove entry", show=False),
    ]

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.parent.remove_entry(self.highlighted)


class ListEditor(Vertical):
    DEFAULT_CSS = css_beside(__file__)

    class Changed(Message):
        def __init__(self, editor: "ListEditor", entries: list[str]):
            super().__init__()
            self.editor, self.entries = editor, entries

    def __init__(self, entries: list[str], parse: Parse, *, shown: Callable[[str], str] = str,
                 placeholder: str = "", id: str | None = None):
        super().__init__(id=id)
        self.entries = list(entries)
        self._parse = parse
        self._shown = shown  # how an entry is listed (secrets masked); editing brings back the real one
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield TextInput(placeholder=self._placeholder, classes="add")
        yield Static("", classes="entry-error", markup=False)
        yield Static(self._hint_text(), classes="hint", markup=False)
        listing = EntryList(*map(self._item, self.entries), compact=True, classes="entries")
        listing.display = bool(self.entries)  # as _sync would: set after mounting it costs another layout
        yield listing

    def _item(self, entry: str) -> Content:
        return Content(self._shown(entry))  # plain text: an entry such as "[x]" is not markup

    @property
    def pending(self) -> str:
        """Text typed but not added yet."""
        return self.query_one(".add", Input).value.strip()

    def _hint_text(self) -> str:
        count = len(self.entries)
        return f"{count} entr{'y' if count == 1 else 'ies'} (Delete removes, Enter edits):" if count else "(no entries)"

    def _sync(self) -> None:
        self.query_one(EntryList).display = bool(self.entries)
        self.query_one(".hint", Static).update(self._hint_text())

    def _show_error(self, text: str) -> None:
        error = self.query_one(".entry-error", Static)
        error.update(text)
        error.display = bool(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        self._show_error(self._parse(text)[1] or "" if text else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.screen.focus_next()
            return
        added, error = self._parse(text)
        if error:
            self._show_error(error)
            self.app.bell()
            return
        self.entries += list(added)
        self.query_one(EntryList).add_options([self._item(e) for e in added])
        event.input.value = ""
        self._changed()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an entry: take it back into the input to change it."""
        event.stop()
        index = event.option_index
        text = self.entries[index]
        self.remove_entry(index)
        field = self.query_one(".add", Input)
        field.value = f'"{text}"' if any(c.isspace() for c in text) else text
        field.focus()

    def remove_entry(self, index: int) -> None:
        del self.entries[index]
        listing = self.query_one(EntryList)
        listing.remove_option_at_index(index)
        if self.entries:
            listing.highlighted = min(index, len(self.entries) - 1)
        else:
            self.query_one(".add", Input).focus()
        self._changed()

    def _changed(self) -> None:
        self._sync()
        self.post_message(self.Changed(self, list(self.entries)))
