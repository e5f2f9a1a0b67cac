"""The accounts step: a new password for each account the PBX ships with, typed hidden twice.

Every key press goes to the state, which checks the password with ``passwords.check``
against the policy of the values chosen so far; the box shows the verdict at once: the
strength meter and every rule the password breaks. Passwords stay in memory and are
hashed only when the files are written.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from pbxwizard.passwords import accounts
from pbxwizard.passwords.rules import SCORE_READING, SCORE_WEAKNESS
from pbxwizard.wizard.views import PasswordStatus
from screens.base import WizardScreen
from screens.widgets import MarksFocus
from screens.widgets.secret_pair import SecretPair
from screens.widgets.strength_meter import StrengthMeter


class AccountBox(MarksFocus, Vertical):
    """One account: its fields, the meter, what is wrong, and the generated password once."""

    def __init__(self, account: accounts.Account, texts: tuple[str, str]):
        super().__init__(id=f"account-{account.name}", classes="account")
        self.account = account
        self._texts = texts

    def compose(self) -> ComposeResult:
        with Horizontal(classes="head"):
            yield Label(self.account.title, classes="title", markup=False)
            yield Static("", classes="verdict", markup=False)
        yield Static(f"{self.account.role} Takes {self.account.rules_text()}.", classes="role", markup=False)
        yield SecretPair("New password", "Again", texts=self._texts)
        with Horizontal(classes="tools"):
            yield StrengthMeter()
            yield Button("Generate", classes="generate", compact=True)
        yield Static("", classes="rules", markup=False)
        yield Static("", classes="generated", markup=False)

    def show(self, status: PasswordStatus, required: bool) -> None:
        verdict, rules = status.verdict, status.problems
        self.query_one(".verdict", Static).update(status.headline(required))
        self.set_class(status.accepted, "-accepted")
        self.set_class(bool(status.typed and not status.accepted), "-refused")
        meter = self.query_one(StrengthMeter)
        if verdict:
            meter.show(status.meter, f"score {verdict.score} ({verdict.rating}), {verdict.length} characters",
                       verdict.strength)
        else:
            meter.show(0.0, "strength: type a password", "none")
        shown = self.query_one(".rules", Static)
        shown.update("\n".join(f"- {rule}" for rule in rules))
        shown.display = bool(rules)

    def show_generated(self, password: str) -> None:
        note = self.query_one(".generated", Static)
        note.update(f"Generated: {password}\nNote it now; it is not shown again." if password else "")
        note.display = bool(password)


class AccountsScreen(WizardScreen):
    CSS_PATH = "accounts.tcss"
    BINDINGS = [Binding("ctrl+g", "generate", "Generate a password")]
    HELP_TEXT = ("Every PBX ships with these accounts and their factory passwords, which are printed in the "
                 "vendor's manuals. Type a new password twice for each; what is wrong with it shows as you type. "
                 "Ctrl+G (or the Generate button) fills in a random password that meets the policy and shows it "
                 "once, to write down. Passwords stay in memory only and are stored as argon2id hashes when the "
                 "files are written; reuse of earlier passwords is checked then.\n\n"
                 f"{SCORE_READING}\n{SCORE_WEAKNESS}")

    def compose_body(self) -> ComposeResult:
        step = self.wizard.accounts
        yield Static("", id="accounts-lead", classes="lead", markup=False)
        with VerticalScroll(id="accounts", can_focus=False):
            for account in accounts.ACCOUNTS:
                yield AccountBox(account, step.texts.get(account.name, ("", "")))

    def on_mount(self) -> None:
        self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()  # the policy may have changed on a settings step

    def on_screen_suspend(self) -> None:
        for box in self.query(AccountBox):
            box.show_generated("")  # a generated password is shown once, never again

    def refresh_all(self) -> None:
        step = self.wizard.accounts
        policy = step.policy()
        if step.required():
            lead = f"New passwords, typed twice. Policy: {policy.describe()}."
        else:
            lead = ("Change default passwords is off (Services step): accounts left empty keep their factory "
                    "passwords, which anyone can look up, and the review reports that as high. "
                    f"New passwords are optional here. Policy: {policy.describe()}.")
        self.query_one("#accounts-lead", Static).update(lead)
        stored, required = step.stored(), step.required()
        for box in self.query(AccountBox):
            name = box.account.name
            step.set_texts(name, *step.texts.get(name, ("", "")))  # judged again by today's policy
            box.show(step.status(name, stored), required)

    def _box_of(self, node) -> AccountBox | None:
        while node is not None and not isinstance(node, AccountBox):
            node = node.parent
        return node

    def on_secret_pair_changed(self, event: SecretPair.Changed) -> None:
        event.stop()
        box = self._box_of(event.pair)
        box.show_generated("")
        step = self.wizard.accounts
        status = step.set_texts(box.account.name, *event.pair.texts)
        box.show(status, step.required())
        self.refresh_status()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("generate"):
            event.stop()
            self._generate(self._box_of(event.button))
            return
        super().on_button_pressed(event)

    def action_generate(self) -> None:
        box = self._box_of(self.focused)
        if box is None:
            self.app.bell()
            return
        self._generate(box)

    def _generate(self, box: AccountBox) -> None:
        step = self.wizard.accounts
        password = step.generate(box.account.name)
        box.query_one(SecretPair).fill(password)
        box.show(step.status(box.account.name), step.required())
        box.show_generated(password)
        self.refresh_status()

    def check(self) -> str | None:
        waiting = self.wizard.accounts.waiting()
        if not waiting:
            return None
        first = waiting[0].split(":")[0]
        box = next(b for b in self.query(AccountBox) if b.account.title == first)
        self.point_at(box.query_one(".first"))
        more = f" (and {len(waiting) - 1} more)" if len(waiting) > 1 else ""
        return waiting[0] + more
