"""One pairing code on screen, whole and scannable, with its expiry counting down.

Opened from the last step for each code the write made. The drawing is ``qr.terminal`` in
half blocks (the Linux console's fonts have them too), sized by ``qr.fit`` to the space
left of the text: at 80x24 a typical code is version 6 at error correction M (or L where
M needs a larger version). Where the terminal is too small for any, the screen says so and
how to get a code that scans; it never draws a cut-off one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pbxwizard.pairing import qr
from pbxwizard.pairing.codefiles import code_paths
from pbxwizard.wizard.views import tilde


INFO_WIDTH = 26  # the text beside the code: title, expiry, details


class CodeScreen(Screen):
    CSS_PATH = "code.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "other(1)", "Next code"),
        Binding("p", "other(-1)", "Previous code"),
        Binding("s", "sheet", "Printable sheet"),
    ]
    AUTO_FOCUS = "#code-info"  # Up and Down scroll the text where a tiny terminal cuts it

    def __init__(self, index: int = 0):
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        with Horizontal(id="code"):
            yield Static("", id="qr-text", markup=False)
            with VerticalScroll(id="code-info"):
                yield Static("", id="code-title", markup=False)
                yield Static("", id="expiry", markup=False)
                yield Static("", id="fit", markup=False)
                yield Static("", id="code-details", classes="muted", markup=False)
                yield Static("", id="sheet", markup=False)
                yield Static("n, p  next, previous\ns  printable sheet\nEsc  back  F1 help", id="code-keys",
                             classes="muted", markup=False)

    def on_mount(self) -> None:
        self.show_code()
        self.set_interval(1, self.tick)

    @property
    def codes(self):
        return self.app.state.made.codes

    def show_code(self) -> None:
        token, _ = self.codes[self.index]
        self.query_one("#code-title", Static).update(
            f"Pairing code {self.index + 1} of {len(self.codes)}\nExtension {token.extension}")
        png, svg = code_paths(self.app.state.shared.output, token.extension)
        self.query_one("#code-details", Static).update(
            f"For {token.extension}@{token.domain} on {token.server}\nid {token.id} (to revoke it)\n"
            f"Files: {tilde(png)}\n       {svg.name}")
        self.show_fit()
        self.tick()

    def on_resize(self) -> None:
        self.show_fit()

    def show_fit(self) -> None:
        """Draw the code as big as the space left of the text allows, or say why it is not drawn."""
        token = self.codes[self.index][0]
        width, height = self.size
        code = qr.fit(token.uri, width - INFO_WIDTH, height)
        self.set_class(code is None, "-too-small")
        self.query_one("#qr-text", Static).update(
            "" if code is None else qr.terminal(code, style=qr.BLOCKS, dark_background=True))
        self.query_one("#fit", Static).update("" if code is not None else self.too_small(token, width, height))

    def too_small(self, token, width: int, height: int) -> str:
        columns, lines = qr.drawing_size(qr.smallest(token.uri))
        png = code_paths(self.app.state.shared.output, token.extension)[0]
        return (f"Too small to show the code whole (a cut-off code does not scan): this terminal is "
                f"{width}x{height}, the code needs {columns + INFO_WIDTH}x{lines}. Enlarge the terminal or choose a "
                f"smaller font; or scan {tilde(png)} from a screen that shows pictures, or print the sheet (s); "
                f"or run `pbxwizard pair {token.extension}` in a larger terminal for a new code (with --ascii "
                f"where it lacks block characters).")

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
                "s writes a printable sheet of all of them (pairing/sheet.html), Esc goes back. The code is drawn "
                "only when it fits whole: a cut-off code does not scan; enlarge the terminal, or scan the PNG.")
