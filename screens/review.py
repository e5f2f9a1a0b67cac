"""The review step: what changed from the preset, what the audit finds, which files will be written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from pbxwizard.settings import catalog
from pbxwizard.errors import ConfigError
from pbxwizard.wizard.views import finding_text, shown, tilde
from screens.base import WizardScreen
from screens.widgets.key_scroll import KeyScroll


def _line(text: str, *classes: str) -> Static:
    return Static(text, classes=" ".join(classes), markup=False)


class ReviewScreen(WizardScreen):
    CSS_PATH = "review.tcss"
    NEXT_LABEL = "Write >"
    AUTO_FOCUS = "#review"
    HELP_TEXT = ("Check what you are about to write. Findings come from the same audit as `pbxwizard check`: "
                 "high findings are serious weaknesses, info findings note where the vendor's advice and "
                 "current guidance (NIST SP 800-63B-4, RFCs) disagree. Up and Down scroll; Ctrl+N writes.")

    async def on_screen_resume(self) -> None:
        """Back from the last screen after a write: the review is made again against what it wrote."""
        if self.wizard.writes != self.composed_after:
            await self.recompose()
            self.query_one("#review").focus()

    def compose_body(self) -> ComposeResult:
        w = self.wizard
        self.composed_after = w.writes
        with KeyScroll(id="review"):
            try:
                changes, report, plan = w.settings.changes(), w.report(), w.plan()
                blocking = w.accounts.problems(plan.config) + list(plan.problems)
                files = plan.listed
            except ConfigError as exc:
                changes, blocking = [], exc.problems
            if blocking:
                yield _line("These values cannot be written yet; go back and fix them:", "summary")
                for problem in blocking:
                    yield _line(str(problem), "item", "-problem")
                return
            weaker = sum(1 for c in changes if c.weaker)
            counts = ", ".join(f"{report.count(s)} {s}" for s in catalog.SEVERITIES)
            yield _line(f"Preset {w.settings.preset}; {len(changes)} setting{'s' if len(changes) != 1 else ''} changed "
                        f"({weaker} weaker); findings: {counts}. {len(files)} files go to {tilde(w.shared.output)}.",
                        "summary")
            yield _line("Changes from the preset", "heading")
            for c in changes:
                tag = "  WEAKER" if c.weaker else ""
                yield _line(f"{catalog.get(c.key).title}: {shown(c.key, c.old)} -> {shown(c.key, c.new)}{tag}",
                            "item", "-weaker" if c.weaker else "")
            if not changes:
                yield _line("None: the preset as it is.", "item")
            yield _line("Audit findings", "heading")
            for severity in catalog.SEVERITIES:
                found = [f for f in report.findings if f.severity == severity]
                if found:
                    yield _line(f"{severity.upper()} ({len(found)})", "severity", f"-{severity}")
                for f in found:
                    title, value, safer = finding_text(f)
                    yield _line(f"{title} = {value}", "finding")
                    yield _line(f"{f.why} Safer: {safer}.", "why")
            if not report.findings:
                yield _line("None.", "item")
            earlier = w.earlier_write()
            if earlier:
                yield _line("Written earlier in this run", "heading")
                for line in earlier:
                    yield _line(line, "item")
            yield _line("Files that will be written", "heading")
            for planned in files:
                yield _line(tilde(planned.path), "item")
                yield _line(planned.what, "why")

    def check(self) -> str | None:
        try:
            problems = self.wizard.problems_before_writing()
        except ConfigError as exc:
            problems = exc.problems
        return f"Cannot write yet: {problems[0]}" if problems else None
