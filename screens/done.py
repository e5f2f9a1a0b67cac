"""The last step: where the files went and the answers file that replays this run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME
from pbxwizard.wizard.views import tilde, tilde_text
from screens.base import WizardScreen
from screens.widgets.check_list import CheckList


class DoneScreen(WizardScreen):
    CSS_PATH = "done.tcss"
    NEXT_LABEL = "Quit"
    AUTO_FOCUS = "#done"
    HELP_TEXT = ("Your files are written. The answers file holds the preset and the values you changed; "
                 "`pbxwizard apply --answers` with it writes the same security.toml again, without the wizard.")

    def compose_body(self) -> ComposeResult:
        w = self.wizard
        with VerticalScroll(id="done"):
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
            yield Static(self._next_text(), id="next-steps", markup=False)
            yield Static(f"{ANSWERS_NAME}:", classes="heading")
            yield Static(w.answers_text().rstrip(), id="answers", markup=False)

    def _paths_text(self) -> str:
        w = self.wizard
        return "\n".join(["Done. pbxwizard wrote:"] + [f"  {tilde(p)}" for p in w.written])

    def _next_text(self) -> str:
        w, folder = self.wizard, self.wizard.shared.output
        config, answers, out = tilde(folder / CONFIG_NAME), tilde(folder / ANSWERS_NAME), tilde(folder)
        lines = [f"Note: {tilde_text(n)}" for n in w.write_notes]
        lines += [""] if lines else []
        lines += ["Replay this run without the wizard:",
                  f"  pbxwizard apply --answers {answers} --output {out}" + "".join(f" {s}" for s in w.replay_options)]
        if w.replay_options:
            lines.append("  (FILE: the new passwords as account=password lines; NAME: a variable holding the "
                         "key passphrase; the wizard keeps neither)")
        lines += ["Audit the config at any time:", f"  pbxwizard check {config}"]
        return "\n".join(lines + self._kamailio_lines())

    def _kamailio_lines(self) -> list[str]:
        """The export command, with the store it needs made first when there is none yet."""
        from pbxwizard.certs.layout import Layout

        folder = self.wizard.shared.output
        out = tilde(folder)
        secret = " --passphrase-env NAME" if self.wizard.settings.config()["certificates.encrypt_keys"] else ""
        lines = [f"Run it in Kamailio (files in {tilde(folder / 'kamailio')}):"]
        if not Layout.for_output(folder).exists():
            lines.append(f"  pbxwizard certs init --output {out}{secret}")
        lines.append(f"  pbxwizard export kamailio --output {out}{secret}")
        return lines

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("code"):
            from screens.code import CodeScreen

            event.stop()
            self.app.push_screen(CodeScreen(int(event.button.id.removeprefix("code-"))))
            return
        super().on_button_pressed(event)

    def on_screen_resume(self) -> None:
        codes = self.wizard.made.codes if self.wizard.made is not None else []
        expiry_text = self.wizard.pairing.expiry_text
        for index, (token, _) in enumerate(codes):
            self.query_one(f"#code-{index}", Button).label = f"{token.extension}: {expiry_text(token)}"
        self.query_one("#paths", Static).update(self._paths_text())  # a printable sheet may have been written

    def proceed(self) -> None:
        self.app.finish()
