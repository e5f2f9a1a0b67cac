"""One catalog setting on a settings screen: its input, explanation, marks and messages.

The input follows the setting's kind: a switch for on/off, a drop-down for choices, a list
editor for lists, a text input with its unit for numbers, durations and paths. Whatever is
typed goes straight to the wizard's settings step, which parses it with the catalog; the
field then shows what the step says: the error under the input, a mark where the value
differs from the preset, a note where another part of the setup depends on the value
(a catalog ``CHECK_RULES`` notice), and, under the explanation, the setting's risk note when the
change makes the system weaker.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, Switch

from pbxwizard.settings import catalog
from pbxwizard.settings.kinds import BoolKind, ChoiceKind, DurationKind, HostKind, ListKind, PathOrOffKind
from pbxwizard.wizard.settings import SettingsStep
from pbxwizard.wizard.views import shown
from screens.widgets import MarksFocus, css_beside
from screens.widgets.choice import ChoiceSelect
from screens.widgets.list_editor import ListEditor
from screens.widgets.text_input import TextInput


def _hint(kind) -> str:
    if isinstance(kind, DurationKind):
        return "e.g. 30m 12h 7d, or off"
    if isinstance(kind, PathOrOffKind):
        return "or off"
    if isinstance(kind, HostKind):
        return "host[:port]" if kind.address else "DNS name"
    return getattr(kind, "unit", "")


class SettingField(MarksFocus, Horizontal):
    DEFAULT_CSS = css_beside(__file__)

    class Edited(Message):
        def __init__(self, field: "SettingField"):
            super().__init__()
            self.field = field

    def __init__(self, setting: catalog.Setting, step: SettingsStep):
        super().__init__(id=f"field-{setting.section}-{setting.name}", classes="setting")
        self.setting = setting
        self.key = setting.key
        self.step = step
        # Drawn as composed: state set after mounting would lay the screen out again per field.
        self._shown = self._state()
        self._set_classes(update=False)

    def compose(self) -> ComposeResult:
        s, kind = self.setting, self.setting.kind
        with Vertical(classes="left"):
            yield Label(s.title, classes="title", markup=False)
            if isinstance(kind, BoolKind):
                value = self.step.values.get(self.key, False)
                with Horizontal(classes="control"):
                    yield Switch(value, classes="input")
                    yield Label("on" if value else "off", classes="unit switch-state")
            elif isinstance(kind, ChoiceKind):
                yield ChoiceSelect([(c.label, c.value) for c in kind.choices],
                                   value=self.step.values.get(self.key, kind.choices[0].value),
                                   allow_blank=False, compact=True, classes="input")
            elif isinstance(kind, ListKind):
                yield ListEditor(self.step.split_entries(self.key),
                                 lambda typed: self.step.parse_entries(self.key, typed),
                                 shown=lambda entry: self.step.entry_shown(self.key, entry),
                                 placeholder="type entries, Enter adds")
            else:
                with Horizontal(classes="control"):
                    yield TextInput(self.step.texts.get(self.key, ""), classes="input text")
                    yield Label(_hint(kind), classes="unit", markup=False)
            text = self._notes_text()
            notes = Static(text, classes="notes", markup=False)
            notes.display = bool(text)
            yield notes
        yield Static(self._explain_content(), classes="explain", markup=False)

    # --- from the input to the state ----------------------------------------------------

    def _take(self, text: str) -> None:
        self.step.set_text(self.key, text)
        self.post_message(self.Edited(self))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._take(event.value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.query_one(".switch-state", Label).update("on" if event.value else "off")
        self._take(self.setting.kind.to_text(event.value))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is not Select.BLANK:
            self._take(str(event.value))

    def on_list_editor_changed(self, event: ListEditor.Changed) -> None:
        event.stop()
        self._take(self.step.join_entries(self.key, event.entries))

    # --- from the state to the screen ---------------------------------------------------

    @property
    def pending(self) -> str:
        """Text typed into a list editor but not added yet."""
        editors = self.query(ListEditor)
        return editors.first().pending if editors else ""

    def _state(self, problems: dict[str, str] | None = None) -> tuple[str, str, str, str]:
        """(error, changed mark, risk, note) as the settings step sees the value now."""
        w, key = self.step, self.key
        problems = w.problems() if problems is None else problems
        error = problems.get(key, "")
        mark = ""
        if not error and w.preset and w.differs(key) and key in w.base:
            mark = f"* changed; the {w.preset} preset has {shown(key, w.base[key])}"
        note = w.notices().get(key, "")
        risk = ""
        if w.weakens(key):
            risk = f"Risk: weaker than the {w.preset} preset. {self.setting.risk or 'This makes the system less safe.'}"
        return error, mark, risk, note

    def _notes_text(self) -> str:
        error, mark, _, note = self._shown
        return "\n".join(t for t in (f"Error: {error}" if error else "", mark, f"Note: {note}" if note else "") if t)

    def _explain_content(self) -> Content:
        explain, risk = Content(self.setting.explain), self._shown[2]
        if risk:
            explain += Content("\n") + Content.from_markup("[b $text-warning]$risk[/]", risk=risk)
        return explain

    def _set_classes(self, update: bool = True) -> None:
        error, mark, risk, _ = self._shown
        self.set_class(bool(error), "-invalid", update=update)
        self.set_class(bool(mark), "-changed", update=update)
        self.set_class(bool(risk), "-weakened", update=update)

    def show_state(self, problems: dict[str, str] | None = None) -> None:
        shown_now = self._state(problems)
        if shown_now == self._shown:
            return  # nothing to redraw: spares a layout pass on every key press
        self._shown = shown_now
        text, notes = self._notes_text(), self.query_one(".notes", Static)
        notes.update(text)
        notes.display = bool(text)
        self.query_one(".explain", Static).update(self._explain_content())
        self._set_classes()
