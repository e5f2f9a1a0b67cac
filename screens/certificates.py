"""The certificates step: whether to make the store, from which settings, with which passphrase.

The store itself is made by the write step, through the same ``extras.make`` call as
``pbxwizard apply --certs``, after the review: nothing is written before it. This step
shows what that will do (the steps generation will report, or what stops it), edits the
settings it depends on with the same fields as the Certificates settings step, and takes
the passphrase when keys are to be encrypted.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static, Switch

from pbxwizard.settings import catalog
from pbxwizard.errors import ConfigError
from pbxwizard.wizard.views import shown, tilde
from screens.base import WizardScreen
from screens.widgets import MarksFocus
from screens.widgets.check_list import CheckList
from screens.widgets.secret_pair import SecretPair
from screens.widgets.setting_field import SettingField

FIELDS = ("certificates.dns_names", "certificates.ip_addresses", "certificates.mode", "certificates.key_type")


class FocusRow(MarksFocus, Horizontal):
    """A row whose label shows, in reverse video, that its control has the focus."""


class CertificatesScreen(WizardScreen):
    CSS_PATH = "certificates.tcss"
    HELP_TEXT = ("The certificate store holds the PBX's TLS identity. Local CA makes a root and an intermediate CA "
                 "here and issues the PBX's certificate at once; a request (CSR) is sent to a CA your clients "
                 "already trust and the signed certificate is imported later with `pbxwizard certs import`. "
                 "The store is made when the files are written, after the review, exactly as "
                 "`pbxwizard apply --certs` makes it; an existing store is kept. The passphrase is asked only "
                 "when keys are encrypted; it is never stored, so keep it safe.")

    def compose_body(self) -> ComposeResult:
        w = self.wizard
        with VerticalScroll(id="certificates", can_focus=False):
            with FocusRow(id="make-row"):
                yield Switch(w.certificates.wanted, id="make")
                yield Label("", id="make-label")
            yield Static("", id="make-note", classes="muted", markup=False)
            with Vertical(id="details"):
                yield Static("", id="plan", markup=False)
                yield Vertical(id="existing")
                with Vertical(id="passphrase-box"):
                    yield Label("Key passphrase (protects every private key; never stored)", classes="heading")
                    yield SecretPair("Passphrase", "Again", texts=w.certificates.texts, id="passphrase")
                    yield Static("", id="passphrase-note", markup=False)
                for key in FIELDS:
                    yield SettingField(catalog.get(key), w.settings)
                with Horizontal(id="more-row"):
                    yield Static("", id="more", classes="muted", markup=False)
                    yield Button("All certificate settings", id="all-settings", name="settings.certificates",
                                 classes="to-step", compact=True)

    def on_mount(self) -> None:
        self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        w = self.wizard
        problems = w.settings.problems()
        for field in self.query(SettingField):
            field.show_state(problems)
        plan = w.certificates.plan()
        self.query_one("#details").display = plan.make
        self.query_one("#make-label", Label).update(
            f"Make the certificate store when the files are written: {'on' if plan.make else 'off'}")
        self.query_one("#make-note", Static).update(
            "Making it writes " + tilde(plan.folder) + "; an existing store is kept." if plan.make else
            "Not now: no certificate store is made. Make it later with `pbxwizard certs init`, "
            "or turn this on to make it with the other files.")
        values = w.settings.current()
        self.query_one("#more", Static).update(
            f"Also: validity {shown('certificates.validity_days', values['certificates.validity_days'])}, "
            f"keys encrypted: {shown('certificates.encrypt_keys', values['certificates.encrypt_keys'])}.")
        self.query_one("#passphrase-box").display = plan.make and plan.needs_passphrase
        note = w.certificates.set_texts(*w.certificates.texts) if plan.needs_passphrase else None
        self._show_passphrase_note(note, any(w.certificates.texts))
        self.query_one("#plan", Static).update(self._plan_text(plan))
        self.query_one("#plan").set_class(bool(plan.problems), "-problem")
        self._show_existing(plan)

    def _plan_text(self, plan) -> str:
        if plan.existing:
            return f"{tilde(plan.folder)} already holds a store: it is kept as it is. Its checks now:"
        if plan.problems:
            return "Cannot be made yet:\n" + "\n".join(f"- {p.message}" for p in plan.problems)
        names = ", ".join(plan.names)
        return (f"{plan.mode}, {plan.key_type}, for {names}. Making it takes {len(plan.steps)} steps:\n"
                + "\n".join(f"{i}. {step}" for i, step in enumerate(plan.steps, 1)))

    def _show_existing(self, plan) -> None:
        box = self.query_one("#existing")
        box.remove_children()
        if not (plan.make and plan.existing):
            return
        try:
            report = self.wizard.certificates.check_existing()
        except ConfigError as exc:
            box.mount(Static(f"cannot check it: {exc}", markup=False))
            return
        box.mount(CheckList(report))

    def _show_passphrase_note(self, note: str | None, typed: bool) -> None:
        shown_note = self.query_one("#passphrase-note", Static)
        shown_note.update("ok: the passphrase is set" if note is None else note if typed else
                          "at least 12 characters, typed twice")
        shown_note.set_class(note is None, "-ok")
        shown_note.set_class(note is not None and typed, "-problem")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id != "make":
            return
        event.stop()
        self.wizard.certificates.set_make(event.value)
        self.refresh_all()
        self.refresh_status()

    def on_setting_field_edited(self, event: SettingField.Edited) -> None:
        self.refresh_all()
        self.refresh_status()

    def on_secret_pair_changed(self, event: SecretPair.Changed) -> None:
        event.stop()
        note = self.wizard.certificates.set_texts(*event.pair.texts)
        self._show_passphrase_note(note, any(event.pair.texts))
        self.refresh_status()

    def check(self) -> str | None:
        problems = self.wizard.settings.problems()
        mine = [k for k in FIELDS if k in problems]
        if mine and self.wizard.certificates.wanted:
            self._focus_field(mine[0])
            return f"{catalog.get(mine[0]).title}: {problems[mine[0]]}"
        for field in self.query(SettingField):
            if field.pending:
                self.point_at(field.query_one("ListEditor .add"))
                return f"{field.setting.title}: '{field.pending}' is not added yet; press Enter to add it or clear it."
        waiting = self.wizard.certificates.waiting()
        plan = self.wizard.certificates.plan()
        if waiting and plan.problems and plan.problems[0].key in FIELDS:
            self._focus_field(plan.problems[0].key)
        elif waiting:
            self.point_at(self.query_one("#passphrase .first"))
        return waiting

    def _focus_field(self, key: str) -> None:
        self.point_at(self.query_one(f"#field-{key.replace('.', '-')}").query(".input, .add").first())
