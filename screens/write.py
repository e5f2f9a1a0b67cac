"""The write step: carries out the run's plan in a worker and shows each step's outcome.

Every file goes through the core's atomic writer, so quitting or a crash at any moment
leaves the old file or the new one, never a half-written one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from pbxwizard.errors import ConfigError
from pbxwizard.wizard.views import tilde
from screens.base import WizardScreen
from screens.widgets.step_progress import StepProgress


class WriteScreen(WizardScreen):
    CSS_PATH = "write.tcss"
    NEXT_LABEL = "Retry"
    AUTO_FOCUS = ""
    HELP_TEXT = "The files are being written. If a write fails, the message says why; fix it and retry, or go back."

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="tasks"):
            yield Static("Writing...", id="progress", markup=False)
            yield Static("", id="step", markup=False)
            yield StepProgress(plain=self.app.plain, id="bar")

    def on_mount(self) -> None:
        self.start()

    def start(self) -> None:
        self.show_status("")
        try:
            self.plan = self.wizard.plan()
            if self.plan.problems:
                raise ConfigError(list(self.plan.problems))
        except ConfigError as exc:
            self._show([f"[!] cannot write: {p}" for p in exc.problems])
            return
        self.outcome = [f"[ ] {s.label}: {tilde(s.path)}" for s in self.plan.steps]
        self.current = 0
        self._show(self.outcome)
        self.query_one("#bar").display = self.query_one("#step").display = False
        self.app.writing = True
        self.query_one("#next").disabled = True
        self.run_worker(self._write, thread=True, exit_on_error=False, name="write")

    def _write(self):
        try:
            return self.wizard.write(self.plan, progress=self._progress_from_worker, on_step=self._step_from_worker)
        except (OSError, ConfigError) as exc:
            message = str(exc) if isinstance(exc, ConfigError) else f"{exc.strerror or exc}"
            step = self.plan.steps[self.current]
            self.app.call_from_thread(self._mark, self.current, f"[!] {step.label}: {tilde(step.path)}: {message}")
            raise

    def _step_from_worker(self, index: int, event: str) -> None:
        self.current = index
        if event == "done":
            step = self.plan.steps[index]
            self.app.call_from_thread(self._mark, index, f"[x] {step.label}: {tilde(step.path)}")

    def _progress_from_worker(self, done: int, total: int, text: str) -> None:
        self.app.call_from_thread(self._progress, done, total, text)

    def _progress(self, done: int, total: int, text: str) -> None:
        """Slow work (key generation) reports each step before it starts, then (total, total)."""
        bar = self.query_one("#bar", StepProgress)
        bar.update(total=total, progress=done)
        step = self.query_one("#step", Static)
        step.update(f"{text} ({min(done + 1, total)} of {total})" if done < total else text)
        bar.display = step.display = True

    def _mark(self, index: int, line: str) -> None:
        self.outcome[index] = line
        self._show(self.outcome)

    def _show(self, lines: list[str]) -> None:
        self.query_one("#progress", Static).update("\n".join(lines))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "write" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.app.writing = False
        if event.state == WorkerState.SUCCESS:
            self.wizard.mark_written(event.worker.result)
            self.app.go_next(replace=True)
        else:
            error = event.worker.error
            known = isinstance(error, (OSError, ConfigError))  # already shown on the task's line
            self.query_one("#next").disabled = False
            self.show_status(("" if known else f"{type(error).__name__}: {error}. ") +
                             "Writing failed; each file is either complete or untouched. "
                             "Fix the cause and press Retry, or Esc to go back.")

    def check(self) -> str | None:
        return "Still writing." if self.app.writing else None

    def action_back(self) -> None:
        if self.app.writing:
            self.app.bell()  # the files are being written; going back waits for that
            return
        super().action_back()

    def proceed(self) -> None:
        self.start()
