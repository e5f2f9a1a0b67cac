"""Steps 3 and on: one screen per catalog section, every setting of it generated from the catalog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pbxwizard.settings import catalog
from screens.base import WizardScreen
from screens.widgets.setting_field import SettingField


class SettingsScreen(WizardScreen):
    CSS_PATH = "settings.tcss"
    HELP_TEXT = ("Each setting shows the value it will get, its explanation on the right and, under it, "
                 "what is wrong with what you typed. A * marks a value that differs from the preset; "
                 "a risk note appears when the change makes the system weaker than the preset. "
                 "Next goes on only when every value on the page is valid.")

    def __init__(self, section: catalog.Section):
        super().__init__()
        self.section = section

    def compose_body(self) -> ComposeResult:
        yield Static(self.section.blurb, classes="lead", markup=False)
        with VerticalScroll(id="fields", can_focus=False):
            for setting in catalog.in_section(self.section.name):
                yield SettingField(setting, self.wizard.settings)

    def on_setting_field_edited(self, event: SettingField.Edited) -> None:
        """A value changed: every field is redrawn, since a rule may tie it to another one."""
        problems = self.wizard.settings.problems()
        for field in self.query(SettingField):
            field.show_state(problems)
        self.refresh_status()

    def on_screen_resume(self) -> None:
        problems = self.wizard.settings.problems()
        for field in self.query(SettingField):
            field.show_state(problems)

    def check(self) -> str | None:
        problems = self.wizard.settings.section_problems(self.section.name)
        fields = list(self.query(SettingField))
        pending = [f for f in fields if f.pending]
        if pending:
            field = pending[0]
            self.point_at(field.query_one("ListEditor .add"))
            return f"{field.setting.title}: '{field.pending}' is not added yet; press Enter to add it or clear it."
        if problems:
            first = next(f for f in fields if f.key in problems)
            self.point_at(first.query(".input, .add").first())
            count = len(problems)
            return (f"{count} setting{'s' if count != 1 else ''} on this page need{'s' if count == 1 else ''} "
                    f"fixing. {first.setting.title}: {problems[first.key]}")
        return None
