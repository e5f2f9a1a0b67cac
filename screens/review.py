"""The review step: what changed from the preset, what the audit finds, which files will be written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pbxwizard import catalog
from pbxwizard.errors import ConfigError
from pbxwizard.wizard import shown
from screens.base import WizardScreen


class ReviewScreen(WizardScreen):
    CSS_PATH = "review.tcss"
    NEXT_LABEL = "Write >"
    AUTO_FOCUS = "#review"
    HELP_TEXT = ("Check what you are about to write. Findings come from the same audit as `pbxwizard check`: "
                 "high findings are serious weaknesses, info findings note where the vendor's advice and "
                 "current guidance (NIST SP 800-63B-4, RFCs) disagree. Up and Down scroll; Ctrl+N writes.")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="review"):
            yield Static(id="summary", markup=False)
            yield Static("Changes from the preset", classes="heading")
            yield Static(id="changes", markup=False)
            yield Static("Audit findings", classes="heading")
            yield Static(id="findings", markup=False)
            yield Static("Files that will be written", classes="heading")
            yield Static(id="files", markup=False)

    def on_mount(self) -> None:
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        w = self.wizard
        try:
            changes, report, files = w.changes(), w.report(), w.planned_files()
        except ConfigError as exc:
            self.query_one("#summary", Static).update(
                "These values cannot be written yet:\n" + "\n".join(f"  {p}" for p in exc.problems))
            for part in ("#changes", "#findings", "#files"):
                self.query_one(part, Static).update("")
            return
        weaker = sum(1 for c in changes if c.weaker)
        counts = ", ".join(f"{report.count(s)} {s}" for s in catalog.SEVERITIES)
        self.query_one("#summary", Static).update(
            f"Preset {w.preset}; {len(changes)} setting{'s' if len(changes) != 1 else ''} changed"
            f" ({weaker} weaker). Findings: {counts}.")
        lines = []
        for c in changes:
            tag = "  WEAKER" if c.weaker else ""
            lines.append(f"  {catalog.get(c.key).title}: {shown(c.key, c.old)} -> {shown(c.key, c.new)}{tag}")
        self.query_one("#changes", Static).update("\n".join(lines) or "  None: the preset as it is.")
        lines = []
        for severity in catalog.SEVERITIES:
            found = [f for f in report.findings if f.severity == severity]
            if not found:
                continue
            lines.append(f"  {severity.upper()} ({len(found)})")
            for f in found:
                lines.append(f"    {catalog.get(f.key).title} = {shown(f.key, f.value)}")
                lines.append(f"      {f.why} Safer: {shown(f.key, f.safer)}.")
        self.query_one("#findings", Static).update("\n".join(lines) or "  None.")
        self.query_one("#files", Static).update(
            "\n".join(f"  {p.path}\n    {p.what}" for p in files))

    def check(self) -> str | None:
        try:
            self.wizard.config()
        except ConfigError as exc:
            return f"Cannot write yet: {exc.problems[0]}"
        return None
