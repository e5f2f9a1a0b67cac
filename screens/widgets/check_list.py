"""The certificate store's checks (``certs.checks.Report``), one line each, worst first, by level."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from screens.widgets import css_beside

ORDER = ("fail", "warn", "info", "ok")


class CheckList(Vertical):
    DEFAULT_CSS = css_beside(__file__)

    def __init__(self, report, *, id: str | None = None):
        super().__init__(id=id)
        self.report = report

    def compose(self) -> ComposeResult:
        counts = ", ".join(f"{self.report.count(level)} {level}" for level in ORDER)
        verdict = "some failed" if self.report.failed else "passed"
        yield Static(f"Checks {verdict} ({counts}):", classes="summary", markup=False)
        for level in ORDER:
            for item in (i for i in self.report.items if i.level == level):
                text = f"{level.upper():<4} {item.subject}: {item.message}"
                if item.fix:
                    text += f"\n     fix: {item.fix}"
                yield Static(text, classes=f"item -{level}", markup=False)
