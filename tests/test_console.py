"""The Linux console and the pairing code (issue 11): readable with and without NO_COLOR, focus
and scrollbars that show without colour, and a code a phone can scan at 80x24.

Scannability is proven as a phone would see it: the screen's cells (Pilot's rendered strips,
or tmux's captured text) become an image, one pixel wide and two tall per cell for the half
blocks, and zxing-cpp must read the payload the code was made for.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from rich.style import Style
from textual.filter import Monochrome, NoColor

from codeapp import code_app
from pbxwizard.app import WizardApp
from pbxwizard.pairing import qr
from qrhelp import decode_strips, decode_text
from screens.code import CodeScreen
from screens.console import AsciiScrollBarRender
from screens.done import DoneScreen
from test_tui_tmux import PBXWIZARD, TMUX, colours, tmux  # noqa: F401  (tmux is a fixture)
from tuihelp import jump, until

CODEAPP = Path(__file__).with_name("codeapp.py")
TERMS = ["linux", "xterm-256color"]


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "pbx"


def screen_text(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def payload_in(out: Path, extension: str = "201") -> str:
    return qr.payload_of((out / "pairing" / f"{extension}.svg").read_text())


# --- NO_COLOR on the console ----------------------------------------------------------------

@pytest.mark.parametrize("no_color", [False, True])
def test_console_theme_keeps_text_off_black_on_black(out, monkeypatch, drive, no_color):
    """NO_COLOR used to grey the 16 ANSI colours into black on black; now it leaves the
    terminal's own colours, and the focused preset card shows by reverse video either way."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    async def script(pilot):
        app = pilot.app
        await pilot.press("enter")
        await until(pilot, lambda: "( ) minimum" in "".join(screen_text(app)), "the preset cards")
        filters = app.get_line_filters()
        assert not any(isinstance(f, Monochrome) for f in filters)
        assert any(isinstance(f, NoColor) for f in filters) == no_color
        strips = app.screen._compositor.render_strips()
        styles = [seg.style or Style() for strip in strips for seg in strip if seg.text.strip()]
        for style in styles:
            if no_color:
                assert (style.color is None or style.color.is_default) and \
                       (style.bgcolor is None or style.bgcolor.is_default), style
            else:  # the console's background is black: never black ink
                assert style.color is None or style.color.name not in ("black", "color(0)"), style
        titles = [(seg.text, bool(seg.style and seg.style.reverse)) for seg in strips[3] if "(" in seg.text]
        assert titles == [(" ( ) minimum ", True), (" ( ) medium ", False), (" ( ) maximum ", False)]
        await pilot.press("right")
        titles = [(seg.text, bool(seg.style and seg.style.reverse))
                  for seg in app.screen._compositor.render_strips()[3] if "(" in seg.text]
        assert titles == [(" ( ) minimum ", False), (" ( ) medium ", True), (" ( ) maximum ", False)]

    drive(WizardApp(out, plain=True), script)


async def medium_at(pilot, step: str) -> None:
    """Open ``step`` with the medium preset chosen."""
    app = pilot.app
    app.state.folder.choose(app.state.shared.output)
    app.state.settings.choose_preset("medium")
    await jump(pilot, step)


def reversed_texts(app) -> list[str]:
    return [seg.text for strip in app.screen._compositor.render_strips() for seg in strip
            if seg.style and seg.style.reverse and seg.text.strip()]


def test_focus_mark_follows_tab_without_colour(out, monkeypatch, drive):
    """A setting's title in reverse video says where the focus is; with :focus-within every
    title the focus had passed stayed reversed."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def script(pilot):
        app = pilot.app
        await medium_at(pilot, "settings.web")
        titles = []
        for _ in range(3):
            titles.append([t for t in reversed_texts(app) if not t.startswith("Step")][0])
            assert len([t for t in reversed_texts(app) if t in titles]) == 1, reversed_texts(app)
            await pilot.press("tab")
        assert titles == ["Web session timeout", "TLS session duration", "Login token validity"]

    drive(WizardApp(out, plain=True), script)


def test_drop_down_highlight_shows_without_colour(out, monkeypatch, drive):
    """The highlighted option of an open drop-down: Textual's list styles drop reverse
    video, so under NO_COLOR it is bold and underlined."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def script(pilot):
        app = pilot.app
        await medium_at(pilot, "settings.tls")
        await pilot.press("enter", "down")  # open TLS minimum version, move to 1.3
        marked = [seg.text.strip() for strip in app.screen._compositor.render_strips() for seg in strip
                  if seg.text.strip() and seg.style and seg.style.bold and seg.style.underline]
        assert marked == ["TLS 1.3"]

    drive(WizardApp(out, plain=True), script)


def test_focus_mark_leaves_the_certificate_switch(out, drive):
    async def script(pilot):
        app = pilot.app
        await medium_at(pilot, "certificates")
        label = "Make the certificate store when the files are written: off"
        assert label in reversed_texts(app)
        await pilot.press("tab")  # to the Back button
        assert reversed_texts(app)[1:] == [" < Back "]

    drive(WizardApp(out, plain=True), script)


def ink_on_paper(screen: str) -> list[tuple[str, int, int]]:
    """Each visible character of a ``capture-pane -e`` screen with the colours the Linux
    console shows it in (16-colour indexes; its defaults are white on black), reverse
    video applied."""
    cells, fg, bg, reverse = [], None, None, False
    for part in re.split(r"(\x1b\[[0-9;]*m)", screen):
        if not part.startswith("\x1b["):
            ink, paper = (7 if fg is None else fg), (0 if bg is None else bg)
            if reverse:
                ink, paper = paper, ink
            cells += [(ch, ink, paper) for ch in part if not ch.isspace()]
            continue
        codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
        while codes:
            code = codes.pop(0)
            if code == 0:
                fg, bg, reverse = None, None, False
            elif code == 7:
                reverse = True
            elif code == 27:
                reverse = False
            elif code in (39, 49):
                fg, bg = (None, bg) if code == 39 else (fg, None)
            elif 30 <= code <= 37 or 90 <= code <= 97:
                fg = code % 10 + (8 if code >= 90 else 0)
            elif 40 <= code <= 47 or 100 <= code <= 107:
                bg = code % 10 + (8 if code >= 100 else 0)
            elif code in (38, 48):  # 256 colours or RGB: not on the console
                raise AssertionError(f"a colour the console cannot show: {part!r}")
    return cells


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour"])
def test_console_in_a_real_terminal_is_never_black_on_black(tmux, tmp_path, no_color):
    """The installed pbxwizard in tmux with TERM=linux (and NO_COLOR=1): every character
    drawn in a colour other than its background (NO_COLOR wrote ESC[30;40m: black on
    black); under NO_COLOR no colour at all; Right and Tab on the preset cards give
    different screens."""
    env = f"env TERM=linux {'NO_COLOR=1 ' if no_color else ''}HOME={shlex.quote(str(tmp_path))} LANG=C.UTF-8"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e",
         f"{env} {shlex.quote(str(PBXWIZARD))} --output {shlex.quote(str(tmp_path / 'out'))}")
    tmux.wait_for("Welcome")
    welcome = tmux.screen(escapes=True)
    tmux.keys("Enter")
    tmux.wait_for("( ) maximum")
    medium_reversed = re.compile(r"\x1b\[7m(\x1b\[[0-9;]*m)* \( \) medium")
    tmux.keys("Right")
    tmux.wait_until(lambda _: medium_reversed.search(tmux.screen(escapes=True)), "medium focused")
    right = tmux.screen(escapes=True)
    tmux.keys("Tab")
    tmux.wait_until(lambda _: not medium_reversed.search(tmux.screen(escapes=True)), "focus left the cards")
    tabbed = tmux.screen(escapes=True)
    for screen in (welcome, right, tabbed):
        unreadable = {(ch, ink) for ch, ink, paper in ink_on_paper(screen) if ink == paper}
        assert not unreadable, sorted(unreadable)[:10]
        assert not no_color or colours(screen) == [], "NO_COLOR: no colour codes at all"
        assert "Harden" in screen or "Choose where to start" in screen
    assert right != tabbed


def test_ascii_scrollbar_draws_rail_and_thumb():
    """ASCII mode: a page that goes on shows a rail of | with a # thumb, no colour needed."""
    def bar(position):
        segments = AsciiScrollBarRender.render_bar(size=10, virtual_size=40, window_size=10, position=position)
        return "".join(s.text for s in segments.segments if s.text != "\n")

    assert bar(0) == "###|||||||"
    assert bar(30) == "|||||||###"
    across = AsciiScrollBarRender.render_bar(size=8, virtual_size=16, window_size=8, position=8, vertical=False)
    assert "".join(s.text for s in across.segments if s.text != "\n") == "----####"


def test_ascii_mode_shows_the_scrollbar_of_a_long_card(out, drive):
    async def script(pilot):
        app = pilot.app
        await pilot.press("enter")
        def column() -> str:  # inside the minimum card's right border
            return "".join(line[24] for line in screen_text(app)[4:22])

        await until(pilot, lambda: "#" in column(), "the scrollbar")
        assert column().startswith("###") and set(column()) == {"#", "|"}, column()

    drive(WizardApp(out, plain=True), script)


# --- the code screen --------------------------------------------------------------------------

async def open_code(pilot) -> None:
    app = pilot.app
    await pilot.press("ctrl+n")
    await until(pilot, lambda: isinstance(app.screen, DoneScreen), "the done screen")
    await pilot.press("tab", "enter")
    await until(pilot, lambda: isinstance(app.screen, CodeScreen), "the code screen")
    await pilot.pause()


@pytest.mark.parametrize("plain, no_color", [(False, False), (True, False), (True, True), (False, True)],
                         ids=["xterm", "console", "console-NO_COLOR", "xterm-NO_COLOR"])
def test_code_screen_scans_at_80x24(out, monkeypatch, drive, plain, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    async def script(pilot):
        app = pilot.app
        await open_code(pilot)
        assert decode_strips(app.screen._compositor.render_strips()) == [payload_in(out)]
        text = "\n".join(screen_text(app))
        assert "Pairing code 1 of 1" in text and "expires in" in text

    drive(code_app(out, plain=plain), script)


def test_code_screen_too_small_says_what_to_do(out, drive):
    async def script(pilot):
        app = pilot.app
        await open_code(pilot)
        text = " ".join(line.strip() for line in screen_text(app))
        assert not any(ch in text for ch in "\u2580\u2584\u2588"), "never a cut-off code"
        columns, lines = qr.drawing_size(qr.smallest(payload_in(out)))  # version 5 at L
        for words in ("Too small to show the code whole", "this terminal is 60x18", f"needs {columns + 26}x{lines}",
                      "~/pbx/pairing/201.png", "pbxwizard pair 201", "--ascii", "Esc  back"):
            assert words in text, words
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: "\u2588" in "".join(screen_text(app)), "the code once there is room")
        assert decode_strips(app.screen._compositor.render_strips()) == [payload_in(out)]

    drive(code_app(out, plain=True), script, size=(60, 18))


def test_code_screen_message_scrolls_in_a_tiny_terminal(out, drive):
    """At 40x12 the advice is longer than the screen: Down and End reach all of it."""
    async def script(pilot):
        app = pilot.app
        await open_code(pilot)
        assert "Esc  back" not in " ".join(screen_text(app))
        await pilot.press("end")
        await until(pilot, lambda: "Esc  back" in " ".join(screen_text(app)), "the end of the text")

    drive(code_app(out, plain=True), script, size=(40, 12))


@pytest.mark.parametrize("term", TERMS)
def test_code_screen_scans_in_a_real_terminal(tmux, tmp_path, term):
    out = tmp_path / "out"
    env = f"env TERM={term} HOME={shlex.quote(str(tmp_path))} LANG=C.UTF-8"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e",
         f"{env} {shlex.quote(sys.executable)} {shlex.quote(str(CODEAPP))} {shlex.quote(str(out))}")
    tmux.wait_for("Review")
    tmux.keys("C-n")
    tmux.wait_for("Done. pbxwizard wrote:")
    tmux.keys("Tab", "Enter")
    tmux.wait_for("Pairing code 1 of 1")
    tmux.wait_until(lambda screen: decode_text(screen) == [payload_in(out)], "a code that scans")


# --- pbxwizard pair -------------------------------------------------------------------------

def run_pair(tmux, tmp_path: Path, term: str, size: tuple[int, int]) -> str:
    """The screen after ``pair``, with its last line where the shell's prompt would be."""
    out = tmp_path / "out"
    command = (f"env TERM={term} LANG=C.UTF-8 {shlex.quote(str(PBXWIZARD))} pair 201 --domain example.com "
               f"--server pbx.example.com --output {shlex.quote(str(out))}; printf exit=$?; cat")
    tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), "-s", "e2e", command)
    return tmux.wait_for("exit=0")


@pytest.mark.parametrize("term", TERMS)
def test_pair_output_scans_at_80x24(tmux, tmp_path, term):
    """The code, its title and expiry fit 80x24 with the shell's prompt under them."""
    screen = run_pair(tmux, tmp_path, term, (80, 24))
    lines = screen.split("\n")
    code_lines = [i for i, line in enumerate(lines) if "\u2588" in line]
    assert code_lines and code_lines[0] == 0 and len(code_lines) == code_lines[-1] + 1 <= 23
    assert all(len(line) <= 80 for line in lines)
    assert "Pairing code for 201" in screen and "expires:" in screen
    drawing = "\n".join(line[:45] for line in lines[:len(code_lines)])
    assert decode_text(drawing) == [payload_in(tmp_path / "out")]


def test_pair_in_a_small_terminal_says_what_to_do(tmux, tmp_path):
    screen = run_pair(tmux, tmp_path, "linux", (60, 18))
    flat = " ".join(screen.split())
    assert "\u2588" not in screen and "\u2580" not in screen
    columns, lines = qr.drawing_size(qr.smallest(payload_in(tmp_path / "out")))
    for words in ("too small to show the code whole", "(60x18)", f"at least {columns + 26}x{lines + 1}", "201.png",
                  "--ascii", "expires:"):
        assert words in flat, words
