"""The pairing step: which extensions get a pairing QR code for the phone apps.

The codes are made by the write step through ``extras.make``, as ``pbxwizard apply --pair``
makes them, and the last screen shows each one with its expiry counting down. Codes need
the SIP domain and the PBX address; codes without expiry need each user's password hash,
which the wizard never has, so they are not offered here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from pbxwizard.settings import catalog
from pbxwizard.pairing.tokens import NO_EXPIRY_COST
from pbxwizard.wizard.views import tilde
from screens.base import WizardScreen
from screens.widgets.list_editor import ListEditor


class PairingScreen(WizardScreen):
    CSS_PATH = "pairing.tcss"
    HELP_TEXT = ("A pairing code is a signed QR code that sets up a phone app for one extension without "
                 "typing. Type extensions and press Enter to add them. The codes are made when the files are "
                 "written, as pairing/EXT.png and EXT.svg, and shown on screen at the end, with the time each "
                 "stays valid. Whoever holds a code can pair a phone as that extension until it expires: "
                 "hand each to its user only. A lost code is cancelled with `pbxwizard revoke ID`.")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="pairing", can_focus=False):
            yield Static("", id="pairing-lead", markup=False)
            with Horizontal(id="settings-row"):
                yield Static("", id="pairing-settings", markup=False)
                yield Button("App pairing settings", id="pairing-step", name="settings.pairing", classes="to-step",
                             compact=True)
            yield Label("Extensions to make codes for", id="extensions-label", classes="heading")
            step = self.wizard.pairing
            yield ListEditor(list(step.extensions), step.parse_extensions,
                             placeholder="e.g. 201 202, Enter adds", id="extensions")

    def on_mount(self) -> None:
        self.refresh_all()
        editor = self.query_one("#extensions", ListEditor)
        # set_focus acts at once (focus() waits a turn): keys typed as soon as the step shows land here
        self.set_focus(editor.query_one(".add") if editor.display else self.query_one("#pairing-step"))

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        plan = self.wizard.pairing.plan()
        lead, settings = self.query_one("#pairing-lead", Static), self.query_one("#pairing-settings", Static)
        if plan.no_expiry:
            lead.update(f"{NO_EXPIRY_COST}\n\nThe App pairing barcode duration is off, so every code would be bound "
                        "to its user's password hash, which the wizard does not have: such codes are made one by "
                        "one with `pbxwizard pair EXT`. Give the codes a lifetime to make them here.")
        elif plan.missing:
            titles = " and ".join(catalog.get(k).title for k in plan.missing)
            lead.update(f"Pairing codes name the system a phone pairs with: {titles} "
                        f"{'are' if len(plan.missing) > 1 else 'is'} still empty. Set "
                        f"{'them' if len(plan.missing) > 1 else 'it'} in App pairing settings to make codes here, "
                        "or go on without codes.")
        else:
            lead.update("Codes for these extensions are made when the files are written, as "
                        f"{tilde(self.wizard.shared.output / 'pairing')}/EXT.png and EXT.svg, each valid for "
                        f"{plan.lifetime} from then, and shown on screen at the end. Leave the list empty for none.")
        lead.set_class(not plan.ready, "-warning")
        settings.update(f"Domain: {plan.domain or '(empty)'}, server: {plan.server or '(empty)'}, "
                        f"valid: {plan.lifetime}")
        show_list = plan.ready or bool(plan.extensions)  # a list made earlier stays visible to be emptied
        for node in (self.query_one("#extensions-label"), self.query_one("#extensions")):
            node.display = show_list

    def on_list_editor_changed(self, event: ListEditor.Changed) -> None:
        event.stop()
        self.wizard.pairing.set_pair(event.entries)
        self.refresh_status()

    def check(self) -> str | None:
        editor = self.query_one("#extensions", ListEditor)
        if editor.display and editor.pending:
            self.point_at(editor.query_one(".add"))
            return f"'{editor.pending}' is not added yet; press Enter to add it or clear it."
        return self.wizard.pairing.waiting()
