"""One pairing code on screen, big enough to scan, with its expiry counting down.

Opened from the last step for each code the write made. The drawing is ``qr.terminal``:
half-blocks where the terminal has them, ``#`` pairs on the Linux console (too big for
80x24 there: it scrolls, and the PNG beside it is the better copy).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import Static

from pbxwizard.pairing import qr
from pbxwizard.pairing.codefiles import code_paths
from pbxwizard.wizard.views import tilde


class CodeScreen(Screen):
    CSS_PATH = "code.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "other(1)", "Next code"),
        Binding("p", "other(-1)", "Previous code"),
        Binding("s", "sheet", "Printable sheet"),
    ]
    AUTO_FOCUS = "#qr"

    def __init__(self, index: int = 0):
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        with Horizontal(id="code"):
            with ScrollableContainer(id="qr"):
                yield Static("", id="qr-text", markup=False)
            with Vertical(id="code-info"):
                yield Static("", id="code-title", markup=False)
                yield Static("", id="expiry", markup=False)
                yield Static("", id="code-details", classes="muted", markup=False)
                yield Static("", id="sheet", markup=False)
                yield Static("", id="fit", markup=False)
                yield Static("n, p  next, previous\ns  printable sheet\nEsc  back  F1 help", id="code-keys",
                             classes="muted", markup=False)

    def on_mount(self) -> None:
        self.show_code()
        self.set_interval(1, self.tick)

    @property
    def codes(self):
        return self.app.state.made.codes

    def show_code(self) -> None:
        token, code = self.codes[self.index]
        style = qr.ASCII if self.app.plain else qr.terminal_style()
        drawing = qr.terminal(code, style=style, dark_background=True)
        self.query_one("#qr-text", Static).update(drawing)
        self._drawing_size = (max(map(len, drawing.splitlines())), drawing.count("\n") + 1)
        self.show_fit()
        self.query_one("#code-title", Static).update(
            f"Pairing code {self.index + 1} of {len(self.codes)}\nExtension {token.extension}")
        png, svg = code_paths(self.app.state.shared.output, token.extension)
        self.query_one("#code-details", Static).update(
            f"For {token.extension}@{token.domain} on {token.server}\nid {token.id} (to revoke it)\n"
            f"Files: {tilde(png)}\n       {svg.name}")
        self.tick()

    def on_resize(self) -> None:
        self.show_fit()

    def show_fit(self) -> None:
        """Say so when the code is bigger than the terminal: a cut-off code does not scan."""
        width, height = getattr(self, "_drawing_size", (0, 0))
        fits = width <= self.size.width * 7 // 10 and height <= self.size.height
        png = code_paths(self.app.state.shared.output, self.codes[self.index][0].extension)[0]
        self.query_one("#fit", Static).update(
            "" if fits else f"Too big for this terminal ({width}x{height}): enlarge it, or scan {png.name}.")

    def tick(self) -> None:
        token = self.codes[self.index][0]
        self.query_one("#expiry", Static).update(self.app.state.pairing.expiry_text(token))

    def action_other(self, step: int) -> None:
        self.index = (self.index + step) % len(self.codes)
        self.show_code()

    def action_sheet(self) -> None:
        from pbxwizard.errors import ConfigError

        try:
            path = self.app.state.pairing.save_sheet(self.codes)
        except (OSError, ConfigError) as exc:
            self.query_one("#sheet", Static).update(f"cannot write the sheet: {exc}")
            return
        if path not in self.app.state.written:
            self.app.state.written.append(path)
        self.query_one("#sheet", Static).update(f"Wrote {tilde(path)}: print it, hand out, shred.")

    def action_close(self) -> None:
        self.dismiss()

    def help_text(self) -> tuple[str, str]:
        return ("Pairing code", "Open the phone app's pairing screen and point the camera at the code. It works "
                "until the expiry shown; after that, make a new one with `pbxwizard pair EXT`. Whoever holds a "
                "code can pair a phone as that extension: show it to its user only. n and p move between codes, "
                "s writes a printable sheet of all of them (pairing/sheet.html), arrows scroll a code that does "
                "not fit, Esc goes back.")
