"""Step 1: what the wizard will do and where it writes; an existing config there is resumed."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from pbxwizard.wizard.homepaths import tilde, tilde_problem
from screens.base import WizardScreen
from screens.widgets import css_beside
from screens.widgets.text_input import TextInput


class WelcomeScreen(WizardScreen):
    # Not CSS_PATH: a screen's CSS_PATH makes Textual parse every stylesheet again when the
    # screen is first shown, which start-up would pay for. Default CSS yields to wizard.tcss.
    DEFAULT_CSS = css_beside(__file__)
    AUTO_FOCUS = "#folder"
    HELP_TEXT = ("The wizard writes security.toml and answers.toml into the output folder. "
                 "If that folder already holds a security.toml, its values are loaded so you can "
                 "carry on where you left off; nothing is written before the review step.")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="welcome"):
            yield Static("[b]Harden the PBX's security settings[/b]", classes="lead")
            yield Static(self._plan(), id="plan", markup=False)
            yield Label("Output folder (Enter or Ctrl+N to go on):", classes="heading")
            yield TextInput(tilde(self.wizard.shared.output), id="folder")
            yield Static("", id="folder-status", markup=False)
            yield Static("", id="folder-problems", classes="muted", markup=False)

    def _plan(self) -> str:
        from pbxwizard.app import stages

        flow, lines = self.app.flow, []
        for number, members in enumerate(stages(flow), 1):
            first = flow[members[0]]
            what = f"{first.group}: {', '.join(flow[i].title for i in members)}" if first.group else first.title
            lines.append(f" {number}. {what}")
        return ("This wizard walks you through these steps:\n" + "\n".join(lines) +
                "\nNothing is written before you confirm the review. Esc goes back, F1 explains.")

    def on_mount(self) -> None:
        self._show(self.query_one("#folder", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def input_submitted(self, field: Input) -> None:
        self.action_next()

    def _show(self, text: str) -> None:
        status = self.wizard.folder.inspect(Path(text.strip() or "."))
        self.query_one("#folder-status", Static).update(status.message)
        self.query_one("#folder-status", Static).set_class(not status.usable, "-error")
        notes = [f"  {tilde_problem(p)}" for p in status.problems[:6]]
        if len(status.problems) > 6:
            notes.append(f"  ... and {len(status.problems) - 6} more")
        notes += [f"  warning: {tilde_problem(w)}" for w in status.warnings[:4]]
        self.query_one("#folder-problems", Static).update("\n".join(notes))

    def check(self) -> str | None:
        text = self.query_one("#folder", Input).value.strip()
        if not text:
            return "Give the folder to write into."
        status = self.wizard.folder.choose(Path(text))
        return None if status.usable else status.message
