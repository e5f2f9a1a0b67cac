"""The last step: where the files went and the answers file that replays this run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Static

from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME
from pbxwizard.wizard.views import command_lines, placeholder_notes, shell_path, tilde, tilde_text
from screens.base import WizardScreen
from screens.widgets.key_scroll import KeyScroll
from screens.widgets.check_list import CheckList


class NextSteps(Static):
    """The commands to run next; says when its width changes, so they are laid out to fit it."""

    class Resized(Message):
        def __init__(self, width: int):
            super().__init__()
            self.width = width

    def on_resize(self) -> None:
        self.post_message(self.Resized(self.content_size.width))


class DoneScreen(WizardScreen):
    CSS_PATH = "done.tcss"
    NEXT_LABEL = "Quit"
    AUTO_FOCUS = "#done"
    HELP_TEXT = ("Your files are written. The answers file holds the preset and the values you changed; "
                 "`pbxwizard apply --answers` with it writes the same security.toml again, without the wizard.")

    def compose_body(self) -> ComposeResult:
        w = self.wizard
        with KeyScroll(id="done"):
            yield Static(self._paths_text(), id="paths", markup=False)
            codes = w.made.codes if w.made is not None else []
            if codes:
                yield Static("Pairing codes (Tab to one, Enter shows it to scan)", classes="heading")
                for index, (token, _) in enumerate(codes):
                    yield Button(f"{token.extension}: {w.pairing.expiry_text(token)}", id=f"code-{index}",
                                 classes="code", compact=True)
            if w.cert_report is not None:
                yield Static("Certificate store", classes="heading")
                yield CheckList(w.cert_report, id="checks")
            yield NextSteps(self._next_text(), id="next-steps", markup=False)
            yield Static(f"{ANSWERS_NAME}:", classes="heading")
            yield Static(w.answers_text().rstrip(), id="answers", markup=False)

    def _paths_text(self) -> str:
        w = self.wizard
        return "\n".join(["Done. pbxwizard wrote:"] + [f"  {tilde(p)}" for p in w.written])

    def _next_text(self) -> str:
        w, folder = self.wizard, self.wizard.shared.output
        lines = [f"Note: {tilde_text(n)}" for n in w.write_notes]
        lines += [""] if lines else []
        commands = ["Replay this run without the wizard:",
                    *self._command("pbxwizard apply", f"--answers {shell_path(folder / ANSWERS_NAME)}",
                                   f"--output {shell_path(folder)}", *w.replay_options),
                    "Audit the config at any time:",
                    *self._command("pbxwizard check", shell_path(folder / CONFIG_NAME)),
                    *self._kamailio_lines()]
        notes = placeholder_notes(commands)
        if notes:
            commands.append("  (In these commands, " + "; ".join(notes) + ". The wizard keeps none of them.)")
        return "\n".join(lines + commands)

    _width = 72  # of the commands' lines, from the last layout (on_resize)

    def _command(self, command: str, *options: str) -> list[str]:
        return [f"  {line}" for line in command_lines(command, list(options), width=self._width - 2)]

    def _kamailio_lines(self) -> list[str]:
        """The export command, with the store it needs made first when there is none yet."""
        from pbxwizard.certs.layout import Layout

        folder = self.wizard.shared.output
        secret = ["--passphrase-env NAME"] if self.wizard.settings.config()["certificates.encrypt_keys"] else []
        lines = [f"Run it in Kamailio (files in {tilde(folder / 'kamailio')}):"]
        if not Layout.for_output(folder).exists():
            lines += self._command("pbxwizard certs init", f"--output {shell_path(folder)}", *secret)
        lines += self._command("pbxwizard export kamailio", f"--output {shell_path(folder)}", *secret)
        return lines

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("code"):
            from screens.code import CodeScreen

            event.stop()
            self.app.push_screen(CodeScreen(int(event.button.id.removeprefix("code-"))))
            return
        super().on_button_pressed(event)

    def on_next_steps_resized(self, event: "NextSteps.Resized") -> None:
        """Each command on one line where it fits the width it has, else broken between options."""
        if event.width != self._width:
            self._width = event.width
            self.query_one(NextSteps).update(self._next_text())

    def on_mount(self) -> None:
        if self.wizard.made is not None and self.wizard.made.codes:
            self.set_interval(1, self._show_expiry)  # the codes' time left counts down, as on the code screen

    def _show_expiry(self) -> None:
        expiry_text = self.wizard.pairing.expiry_text
        for index, (token, _) in enumerate(self.wizard.made.codes if self.wizard.made is not None else []):
            self.query_one(f"#code-{index}", Button).label = f"{token.extension}: {expiry_text(token)}"

    def on_screen_resume(self) -> None:
        self._show_expiry()
        self.query_one("#paths", Static).update(self._paths_text())  # a printable sheet may have been written

    def proceed(self) -> None:
        self.app.finish()
