"""Step 2: the presets side by side, each with its description, audit and what it sets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from pbxwizard.wizard.views import tilde, tilde_problem
from screens.base import WizardScreen


class PresetCard(VerticalScroll):
    """One preset; Up/Down scroll it, Left/Right move to the neighbours, Space picks, Enter picks and goes on."""

    BINDINGS = [
        Binding("left", "neighbour(-1)", "Previous", show=False),
        Binding("right", "neighbour(1)", "Next preset", show=False),
        Binding("space", "pick(False)", "Choose", show=False),
        Binding("enter", "pick(True)", "Choose and go on", show=False),
    ]

    class Picked(Message):
        def __init__(self, card: "PresetCard", go_on: bool):
            super().__init__()
            self.card, self.go_on = card, go_on

    def __init__(self, summary):
        super().__init__(classes="card", id=f"preset-{summary.name}")
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        counts = ", ".join(f"{n} {sev}" for sev, n in s.findings.items())
        lines = [s.description or "(no description)", ""]
        if s.origin != "built-in":
            lines += [f"Your preset: {tilde(s.origin)}", ""]
        lines += [f"Findings: {counts}", "", f"Changes {len(s.changes)} factory defaults:"]
        lines += [f"- {title}: {value}" for title, value in s.changes]
        yield Static("\n".join(lines), markup=False)

    def set_chosen(self, chosen: bool) -> None:
        self.set_class(chosen, "-chosen")
        self.border_title = f"{'(x)' if chosen else '( )'} {self.summary.name}"

    def action_neighbour(self, step: int) -> None:
        cards = list(self.screen.query(PresetCard))
        # set_focus acts at once (focus() waits a turn), so keys typed ahead land on the right card
        self.screen.set_focus(cards[(cards.index(self) + step) % len(cards)])

    def action_pick(self, go_on: bool) -> None:
        self.post_message(self.Picked(self, go_on))


class PresetScreen(WizardScreen):
    CSS_PATH = "preset.tcss"
    HELP_TEXT = ("Each preset is a complete set of values. Minimum, medium and maximum follow the vendor's "
                 "three scenarios, brought up to current practice; your own presets come from your "
                 "config folder's presets/. Choose one to start from; every value can be changed next. "
                 "Left and Right move between presets, Up and Down scroll one, Space chooses, Enter chooses and goes on.")

    def compose_body(self) -> ComposeResult:
        yield Static("Choose where to start. Every value can still be changed in the next steps.", classes="lead")
        summaries = self.wizard.settings.preset_summaries()
        with HorizontalScroll(id="cards", can_focus=False, classes="-many" if len(summaries) > 3 else ""):
            for summary in summaries:
                yield PresetCard(summary)
        problems = self.wizard.settings.presets.problems
        if problems:
            yield Static("Skipped presets:\n" + "\n".join(f"  {tilde_problem(p)}" for p in problems), id="skipped",
                         classes="muted", markup=False)

    def on_mount(self) -> None:
        self._mark()
        cards = list(self.query(PresetCard))
        chosen = [c for c in cards if c.summary.name == self.wizard.settings.preset]
        (chosen or cards)[0].focus()

    def on_screen_resume(self) -> None:
        self._mark()
        self.call_after_refresh(self._show_focused)  # the terminal may have been resized meanwhile

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_focused)

    def _show_focused(self) -> None:
        """The card in view is the one with the focus, after the cards were laid out again."""
        if isinstance(self.focused, PresetCard):
            self.focused.scroll_visible(animate=False, immediate=True)

    def _mark(self) -> None:
        for card in self.query(PresetCard):
            card.set_chosen(card.summary.name == self.wizard.settings.preset)

    def on_preset_card_picked(self, event: PresetCard.Picked) -> None:
        self.wizard.settings.choose_preset(event.card.summary.name)
        self._mark()
        self.show_status("")
        if event.go_on:
            self.action_next()

    def check(self) -> str | None:
        return None if self.wizard.settings.preset else "Choose a preset first: move to one and press Space or Enter."
