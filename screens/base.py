"""What every step shares: the title line, the body, a status line and the Back/Next bar.

Adding a step (as the accounts, certificates and pairing steps were):

1. ``screens/NAME.py`` holds ``class NameScreen(WizardScreen)`` with ``CSS_PATH = "NAME.tcss"``
   beside it (start every selector with ``NameScreen``: screen CSS applies app-wide). The
   first step has ``DEFAULT_CSS = css_beside(__file__)`` instead, parsed without the full
   re-parse a screen's CSS_PATH costs when first shown (start-up time; see welcome.py).
   ``compose_body`` yields the widgets; ``check`` returns why Next must wait (shown in the
   status line) or None; ``proceed`` may do more than ``self.app.go_next()``; ``HELP_TEXT``
   is what F1 shows when no setting has the focus. Widgets used by more than one screen
   go in ``screens/widgets/`` with their .tcss beside them.
2. What the step collects lives in its own small object in ``pbxwizard/wizard/NAME.py``,
   made with the ``Shared`` one and composed into ``WizardState`` (``self.wizard.NAME``),
   never in the screen, so Back and Next keep it: ``accounts.passwords`` (memory only,
   hashed by ``run.execute``), ``certificates.passphrase`` and ``shared.extras``
   (certificate store, pairing codes) are what the run's plan and the answers file honour.
3. One ``Step("accounts", "Accounts", AccountsScreen)`` in ``default_flow()`` in
   pbxwizard/app.py, between the settings steps and the review. Slow work (key
   generation) runs in a worker: ``self.run_worker(fn, thread=True)``.
4. Tests: a Pilot flow in tests/test_tui_flow.py, snapshots through ``at_step("accounts")``
   in tests/test_tui_snapshots.py; the tmux run counts steps from ``default_flow()`` but
   must be taught the keys for a step that needs input before Next.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from screens.widgets.navbar import NavBar


class WizardScreen(Screen):
    BACK_LABEL = "< Back"
    NEXT_LABEL = "Next >"
    HELP_TEXT = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
    ]

    step_index: int = 0
    opened_from: str = ""  # the title of the step whose button opened this one; Next returns there

    @property
    def wizard(self):
        return self.app.state

    def compose(self) -> ComposeResult:
        yield Static(self.app.step_label(self.step_index), classes="title-bar", markup=False)
        with Vertical(classes="body"):
            yield from self.compose_body()
        yield Static("", classes="status", markup=False)
        next_label = f"{self.opened_from} >" if self.opened_from else self.NEXT_LABEL
        yield NavBar(self.BACK_LABEL, next_label, back_enabled=self.step_index > 0)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check(self) -> str | None:
        """Why Next may not go on yet, shown in the status line; None lets it go on. It may
        ``point_at`` the field to fix."""
        return None

    def proceed(self) -> None:
        self.app.go_next()

    _rechecking = False

    def point_at(self, widget) -> None:
        """``check`` moves the focus to what holds Next up, but not while the message is only refreshed."""
        if not self._rechecking:
            widget.focus()

    def refresh_status(self) -> None:
        """A value changed: a message shown is replaced by what still holds Next up, or cleared,
        so it never speaks of a value that is no longer there."""
        if not self.query_one(".status", Static).has_class("-shown"):
            return
        self._rechecking = True
        try:
            problem = self.check()
        finally:
            self._rechecking = False
        self.show_status(problem or "")

    _status_text = ""

    def show_status(self, text: str) -> None:
        if text == self._status_text:
            return  # an update would lay the whole screen out again, just before Next leaves it
        self._status_text = text
        status = self.query_one(".status", Static)
        status.update(text)
        status.set_class(bool(text), "-shown")

    def action_next(self) -> None:
        problem = self.check()
        self.show_status(problem or "")
        if problem:
            self.app.bell()
            return
        self.proceed()

    def action_back(self) -> None:
        self.app.go_back()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "next":
            event.stop()
            self.action_next()
        elif event.button.id == "back":
            event.stop()
            self.action_back()
        elif event.button.has_class("to-step"):  # opens the step named by the button; Back returns here
            event.stop()
            self.app.show_step(event.button.name, come_back=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.input_submitted(event.input)

    def input_submitted(self, field: Input) -> None:
        """Enter in a field moves on to the next one, as in a paper form."""
        self.focus_next()

    def help_text(self) -> tuple[str, str]:
        keys = (
            "Keys: Tab and Shift+Tab move between fields; Enter confirms a field; "
            "Ctrl+N (or the Next button) goes on; Esc goes back without losing anything; "
            "F1 on a setting explains it; Ctrl+Q quits and asks first when something is unsaved."
        )
        return self.app.flow[self.step_index].title, f"{self.HELP_TEXT}\n\n{keys}".strip()
