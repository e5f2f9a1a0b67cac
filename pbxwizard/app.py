"""The full-screen wizard: the one pbxwizard module that imports Textual.

It owns the flow (which step comes after which) and the app-wide keys; the steps are
screens from the top-level ``screens`` package, and everything they decide is a call into
the core through one ``WizardState`` (``pbxwizard.wizard``). ``pbxwizard`` with no command
calls ``run``.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.scrollbar import ScrollBar

import screens
from screens import console, repaint
from pbxwizard.settings.sections import SECTIONS
from pbxwizard.wizard.state import WizardState, new_state

if TYPE_CHECKING:
    from pbxwizard.settings.presets import PresetSet

EXIT_WRITTEN, EXIT_NOTHING_WRITTEN = 0, 1


class Step(NamedTuple):
    """One step of the flow. ``make`` builds a fresh screen; the state carries what was entered."""

    id: str
    title: str
    make: Callable[[], Screen]
    group: str = ""  # steps sharing a group are summed up on one line of the welcome screen


def lazy(module: str, name: str, *args: object) -> Callable[[], Screen]:
    """A factory that imports ``screens.<module>`` only when its step is first shown, so
    start-up pays for the welcome screen alone."""

    def make() -> Screen:
        from importlib import import_module

        return getattr(import_module(f"screens.{module}"), name)(*args)

    return make


def default_flow() -> list[Step]:
    """Welcome, preset, one settings step per catalog section, accounts, certificates,
    pairing, review, write, done.

    A new step is one more ``Step`` here; screens/base.py says how to write its screen.
    """
    return [
        Step("welcome", "Welcome", lazy("welcome", "WelcomeScreen")),
        Step("preset", "Preset", lazy("preset", "PresetScreen")),
        *(Step(f"settings.{s.name}", s.title, lazy("settings", "SettingsScreen", s), group="Settings")
          for s in SECTIONS),
        Step("accounts", "Account passwords", lazy("accounts", "AccountsScreen")),
        Step("certificates", "Certificate store", lazy("certificates", "CertificatesScreen")),
        Step("pairing", "Pairing codes", lazy("pairing", "PairingScreen")),
        Step("review", "Review", lazy("review", "ReviewScreen")),
        Step("write", "Write", lazy("write", "WriteScreen")),
        Step("done", "Done", lazy("done", "DoneScreen")),
    ]


def stages(flow: list[Step]) -> list[list[int]]:
    """The steps after the welcome as a person counts them: one step, or all steps of a group
    (the settings pages), by their indexes in ``flow``. The welcome lists these; the title bars
    count them."""
    out: list[list[int]] = []
    groups: dict[str, list[int]] = {}
    for index, step in enumerate(flow[1:], 1):
        if step.group in groups:
            groups[step.group].append(index)
            continue
        out.append([index])
        if step.group:
            groups[step.group] = out[-1]
    return out


def step_labels(flow: list[Step]) -> list[str]:
    """The title bar of each step: "Step 2 of 8: Settings, TLS and DTLS (3 of 10)"."""
    staged = stages(flow)
    labels = [f"{flow[0].title}: {len(staged)} steps ahead"] * len(flow)
    for number, members in enumerate(staged, 1):
        for place, index in enumerate(members, 1):
            step = flow[index]
            where = f"{step.group}, {step.title} ({place} of {len(members)})" if step.group else step.title
            labels[index] = f"Step {number} of {len(staged)}: {where}"
    return labels


def plain_glyphs(environ: Mapping[str, str]) -> bool:
    """The Linux console has no box-drawing or block glyphs in most fonts: draw with ASCII there."""
    return environ.get("TERM", "").startswith("linux") or bool(environ.get("PBXWIZARD_PLAIN"))


GC_FIRST_THRESHOLD = 10_000  # Python's default is 700


def tune_garbage_collector() -> None:
    """Once per process: move what the imports made (classes, functions, tables: kept for the
    whole run) out of the collector's sight, so its full passes during start-up and at exit walk
    only what the app makes (about 5 % of the start-up's work otherwise); and collect less often.

    Every step mounts about a hundred widgets, each with styles, caches and reference
    cycles, so at Python's default threshold a walk through the settings steps started a full
    collection every second step, each 60-70 ms here: a quarter of the walk's CPU time and a
    visible stall on a slow box. At 10,000 the walk sees none and its collector time falls
    from 0.56 s to 0.18 s, while peak memory moves by about 1 MiB (85 MiB).
    """
    if not gc.get_freeze_count():
        gc.freeze()
        first, *older = gc.get_threshold()
        gc.set_threshold(max(first, GC_FIRST_THRESHOLD), *older)


class WizardApp(App[int]):
    TITLE = "pbxwizard"
    CSS_PATH = str(Path(screens.__file__).parent / "wizard.tcss")
    CONSOLE_CSS_PATH = str(Path(screens.__file__).parent / "console.tcss")  # only -plain rules: read only then
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
        Binding("f1", "help", "Help"),
        # Tab moves the focus at once, before the keys after it are handed out: text typed or
        # auto-typed right after a Tab (a password manager's "user{TAB}password", a fast typist
        # over SSH) goes into the field the Tab moved to, never into the one it left.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        # Ctrl+L repaints the whole terminal, as in most terminal programs: kernel messages on
        # the Linux console, line noise over SSH, or anything a frame left behind (see
        # screens/repaint.py) are drawn over. Nothing in the wizard changes.
        Binding("ctrl+l", "redraw", "Redraw", show=False, priority=True),
    ]

    def __init__(self, output: Path, *, presets: PresetSet | None = None, plain: bool | None = None,
                 flow: list[Step] | None = None, clock: Callable[[], float] | None = None):
        tune_garbage_collector()
        repaint.install()  # a scroll's repaint Textual can miss (screens/repaint.py)
        self.plain = plain_glyphs(os.environ) if plain is None else plain
        super().__init__(css_path=[self.CSS_PATH, self.CONSOLE_CSS_PATH] if self.plain else None)
        self.state: WizardState = new_state(output, presets)
        if clock is not None:
            self.state.shared.clock = clock  # code expiry and certificate dates (fixed in tests)
        self.flow = flow if flow is not None else default_flow()
        self.animation_level = "none"  # no motion: calm over SSH and identical snapshots
        self.writing = False
        self._renderer = ScrollBar.renderer

    # --- flow ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.plain:  # the Linux console: screens/console.py
            self.add_class("-plain")
            self.register_theme(console.THEME)
            self.theme = console.THEME.name
            ScrollBar.renderer = console.AsciiScrollBarRender

    def get_default_screen(self) -> Screen:
        """The first step is the app's own screen, not one pushed over an empty default screen:
        start-up composes one screen and styles it once (a pushed screen is restyled whole when
        it is resumed)."""
        return self._make(0)

    def get_line_filters(self):
        filters = super().get_line_filters()
        if not self.plain:
            return filters
        return console.line_filters(filters, no_color=self.no_color, ansi=self.native_ansi_color)

    def on_unmount(self) -> None:
        ScrollBar.renderer = self._renderer

    def _make(self, index: int) -> Screen:
        screen = self.flow[index].make()
        screen.step_index = index
        return screen

    def step_label(self, index: int) -> str:
        return step_labels(self.flow)[index]

    def finish(self) -> None:
        self.exit(EXIT_WRITTEN if self.state.written else EXIT_NOTHING_WRITTEN)

    def go_next(self, *, replace: bool = False) -> None:
        """Show the step after the current one; ``replace`` drops the current one from history.
        A step opened from another one (``show_step``) returns there instead."""
        if getattr(self.screen, "opened_from", ""):
            self.pop_screen()
            return
        index = getattr(self.screen, "step_index", -1) + 1
        if index >= len(self.flow):
            self.finish()
            return
        if replace:
            self.switch_screen(self._make(index))
        else:
            self.push_screen(self._make(index))

    def show_step(self, step_id: str, *, come_back: bool = False) -> None:
        """Open the step ``step_id`` on top of the current one; Back returns here, and with
        ``come_back`` (a button that opens a step to change something there) Next does too."""
        index = next(i for i, step in enumerate(self.flow) if step.id == step_id)
        screen = self._make(index)
        if come_back:
            screen.opened_from = self.flow[getattr(self.screen, "step_index", 0)].title
        self.push_screen(screen)

    def go_back(self) -> None:
        if len(self.screen_stack) > 1:  # the first step is the bottom of the stack
            self.pop_screen()
        else:
            self.bell()

    # --- app-wide keys ------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.help import HelpScreen
        from screens.widgets.setting_field import SettingField

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        node = self.focused
        while node is not None and not isinstance(node, SettingField):
            node = node.parent
        if node is not None:
            from pbxwizard.settings import catalog
            from pbxwizard.settings.docs import explain_text

            setting = catalog.get(node.key)
            width = max(20, min(self.size.width * 9 // 10, 96) - 6)  # the help window's text width
            self.push_screen(HelpScreen(setting.title, explain_text(setting, self.state.settings.presets, width)))
            return
        if not hasattr(self.screen, "help_text"):  # a question is open: it says all there is
            self.bell()
            return
        self.push_screen(HelpScreen(*self.screen.help_text()))

    def action_redraw(self) -> None:
        self.screen.refresh()  # the screen's whole region dirty: the next update is a full one

    def action_request_quit(self) -> None:
        from screens.quit import QuitScreen

        if self.writing:
            self.bell()  # the write is atomic and takes a moment; quitting waits for it
            return
        if isinstance(self.screen, QuitScreen):
            return
        if not self.state.shared.dirty:
            self.finish()
            return

        def answer(quit_now: bool | None) -> None:
            if quit_now:
                self.finish()

        message = ("What you changed since the files were written is not written. Quit anyway?" if self.state.written
                   else "Nothing has been written yet. Quit and lose what you chose and typed?")
        self.push_screen(QuitScreen(message), answer)


def run(output_dir: Path) -> int:
    """Run the wizard on the terminal; 0 when files were written, 1 when the user quit first."""
    app = WizardApp(Path(output_dir))
    result = app.run()
    if app.return_code not in (0, None) and result is None:
        return 2
    state = app.state
    if state.written:
        print("pbxwizard wrote:")
        for path in state.written:
            print(f"  {path}")
    else:
        print("pbxwizard: quit before writing; nothing was written", file=sys.stderr)
    return EXIT_WRITTEN if state.written else EXIT_NOTHING_WRITTEN
