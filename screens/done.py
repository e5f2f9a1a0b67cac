"""The last step: where the files went and the answers file that replays this run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pbxwizard.paths import ANSWERS_NAME, CONFIG_NAME
from pbxwizard.wizard import tilde
from screens.base import WizardScreen


class DoneScreen(WizardScreen):
    CSS_PATH = "done.tcss"
    NEXT_LABEL = "Quit"
    AUTO_FOCUS = "#done"
    HELP_TEXT = ("Your files are written. The answers file holds the preset and the values you changed; "
                 "`pbxwizard apply --answers` with it writes the same security.toml again, without the wizard.")

    def compose_body(self) -> ComposeResult:
        w = self.wizard
        config, answers, out = tilde(w.output / CONFIG_NAME), tilde(w.output / ANSWERS_NAME), tilde(w.output)
        lines = ["Done. pbxwizard wrote:"] + [f"  {tilde(p)}" for p in w.written]
        lines += [f"  note: {n}" for n in w.write_notes]
        lines += ["", "Replay this run without the wizard:",
                  f"  pbxwizard apply --answers {answers} --output {out}",
                  "Audit the config at any time:", f"  pbxwizard check {config}", "",
                  f"{ANSWERS_NAME}:"]
        with VerticalScroll(id="done"):
            yield Static("\n".join(lines), markup=False)
            yield Static(w.answers_text().rstrip(), id="answers", markup=False)

    def proceed(self) -> None:
        self.app.finish()
