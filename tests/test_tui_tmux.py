"""The installed `pbxwizard` in a real terminal: tmux at 80x24, driven with send-keys.

Once as the Linux console (TERM=linux: every character on screen must be plain ASCII,
since its fonts lack box-drawing and block glyphs) and once with NO_COLOR=1 (every colour
left on screen must be a grey). Both runs change one setting, set the pairing domain and
server, type the three account passwords and the key passphrase, ask for the certificate
store and a code for 201, write, and the files must be what `pbxwizard apply` writes from
the answers file the wizard left beside them (with the same passwords and passphrase).

tmux is a separate process, so the test waits for text to appear on its screen (polling
with a deadline); nothing is asserted about how long anything takes. Keys reach the app in
the order sent, and Tab moves the focus before the app hands out the keys after it, so text
may follow a Tab at once. Other bindings (Ctrl+G, Space, Enter) act a turn later, after
plain characters and Tabs sent behind them: the test waits for what such a key does before
sending more.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import warnings
from pathlib import Path

import pytest

from pbxwizard.app import default_flow, step_labels
from pbxwizard.passwords.accounts import ACCOUNTS
from tuihelp import passwords_file, without_hashes

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

PBXWIZARD = Path(sys.executable).parent / "pbxwizard"
FLOW = [step.id for step in default_flow()]
LABEL = dict(zip(FLOW, step_labels(default_flow())))  # each step's title bar
PASSWORDS = {"security_admin": "Harbour-Quokka-Lantern-1", "administrator": "Harbour-Quokka-Lantern-2",
             "business_partner": "Harbour-Quokka-Lantern-3", "system": "Harbour-Quokka-Lantern-4",
             "monitor": "HarbourQuokkaLantern5", "voicemail": "Harbour-Quokka-Lantern-6"}
PHRASE = "Kettle-Owl-Tinsel"
STALE = 3.0  # seconds of an unchanged screen before one Ctrl+L (see Tmux.wait_until)
SGR = re.compile(r"\x1b\[([0-9;]*)m")


class StaleScreen(UserWarning):
    """The terminal showed an old picture until Ctrl+L repainted it."""


def grey_256(index: int) -> bool:
    if index in (0, 7, 8, 15) or index >= 232:
        return True
    if 16 <= index <= 231:
        r, g, b = (index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6
        return r == g == b
    return False


def colours(screen: str) -> list[tuple[str, ...]]:
    """Every colour the SGR sequences on ``screen`` set, as ('256', n) or ('rgb', r, g, b) or ('16', n)."""
    found = []
    for match in SGR.finditer(screen):
        params = [int(p) if p else 0 for p in match.group(1).split(";")]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48) and i + 2 < len(params) and params[i + 1] == 5:
                found.append(("256", params[i + 2]))
                i += 3
            elif p in (38, 48) and i + 4 < len(params) and params[i + 1] == 2:
                found.append(("rgb", *params[i + 2:i + 5]))
                i += 5
            else:
                if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                    found.append(("16", p % 10 + (8 if p >= 90 else 0)))
                i += 1
    return found


def is_grey(colour: tuple[str, ...]) -> bool:
    if colour[0] == "rgb":
        return colour[1] == colour[2] == colour[3]
    return grey_256(colour[1]) if colour[0] == "256" else colour[1] in (0, 7, 8, 15)


class Tmux:
    def __init__(self, socket: Path):
        self.socket = socket

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, check=check)
        return done.stdout

    def screen(self, escapes: bool = False) -> str:
        return self("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "e2e")

    def history(self) -> str:
        """Everything the pane printed, wrapped lines joined (for what is printed after the app exits)."""
        return self("capture-pane", "-p", "-J", "-S", "-200", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        self("send-keys", "-t", "e2e", "-l", text)

    def wait_for(self, text: str, deadline: float = 30.0, *, gone: bool = False) -> str:
        """Wait until ``text`` is on the screen (or, with ``gone``, no longer is)."""
        what = f"{text!r} {'left' if gone else 'appeared on'} the screen"
        return self.wait_until(lambda screen: (text in screen) != gone, what, deadline)

    def wait_until(self, condition, what: str, deadline: float = 30.0) -> str:
        """Poll the screen until ``condition(screen)`` holds; returns that screen.

        A screen that stays the same for STALE seconds without the condition gets one Ctrl+L,
        as a person would press it: in about one run in ten of this test, Textual 8.2.8 left
        rows of the previous view on the terminal after the account boxes scrolled, while the
        app had taken every key (screens/repaint.py mends the cause). If the repaint changes
        the picture, the run says so in a warning with both screens, so a return of it shows
        (and fails as before if what was awaited still does not show).
        """
        end = time.monotonic() + deadline
        screen, since, repainted = "", time.monotonic(), False
        while time.monotonic() < end:
            now, last = time.monotonic(), screen
            screen = self.screen()
            if condition(screen):
                return screen
            if screen != last:
                since = now
            elif not repainted and now - since > STALE:
                repainted = True
                self.repaint(screen, what)
                continue
            time.sleep(0.02)
        raise AssertionError(f"never: {what}:\n{screen}")

    def repaint(self, stale: str, what: str) -> None:
        """Ctrl+L, then a warning if the repainted screen differs from ``stale``."""
        self("send-keys", "-t", "e2e", "C-l", check=False)  # the pane may be dead: the app has quit
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            screen = self.screen()
            if screen != stale:
                warnings.warn(f"waiting for {what}, Ctrl+L repainted a stale screen:\n{stale}\n"
                              f"as:\n{screen}", StaleScreen, stacklevel=3)
                return
            time.sleep(0.02)


def line_under(screen: str, title: str) -> str:
    """The line under a setting's title: its input."""
    lines = screen.splitlines()
    found = [i for i, line in enumerate(lines) if line.strip().startswith(title)]
    return lines[found[0] + 1] if found and found[0] + 1 < len(lines) else ""


def accepted(screen: str, title: str) -> bool:
    """Whether the account box titled ``title`` shows its password accepted and confirmed."""
    return any(line.strip().startswith(title) and "ok: accepted and confirmed" in line for line in screen.splitlines())


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    subprocess.run([TMUX, "-S", str(server.socket), "kill-server"], capture_output=True)


@pytest.mark.parametrize("terminal", ["linux-console", "no-color"])
def test_a_whole_run_in_tmux(terminal, tmux, tmp_path):
    """The Linux console run types everything; the NO_COLOR run, there for the colours,
    takes the short way: generated passwords, no store, no codes."""
    full = terminal == "linux-console"
    assert PBXWIZARD.exists(), "install the project into this venv first: pip install -e '.[test]'"
    out = tmp_path / "out"
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"), "LANG": "C.UTF-8"}
    env.update({"TERM": "linux"} if terminal == "linux-console" else {"NO_COLOR": "1"})
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env {assignments} {shlex.quote(str(PBXWIZARD))} --output {shlex.quote(str(out))}; echo exit=$?"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e", command)
    tmux("set-option", "-t", "e2e", "remain-on-exit", "on")

    screens = [tmux.wait_for(LABEL["welcome"])]
    tmux.keys("Enter")
    screens.append(tmux.wait_for(LABEL["preset"]))
    tmux.keys("Right", "Right", "Enter")
    screens.append(tmux.wait_for(LABEL["settings.web"]))
    tmux.keys("C-u")  # a key binding runs a turn after plain characters typed with it: wait for it
    tmux.wait_for("Error: '' is not a whole")
    tmux.keys("600")
    screens.append(tmux.wait_for("* changed; the maximum preset"))

    def next_step(step: str) -> None:
        tmux.keys("C-n")
        screens.append(tmux.wait_for(LABEL[step]))

    if not full:
        for step in FLOW[3:FLOW.index("accounts") + 1]:
            next_step(step)
        for account in ACCOUNTS:
            tmux.keys("C-g")  # generate one, shown once; the Tabs must wait for it
            tmux.wait_until(lambda screen: accepted(screen, account.title), f"{account.title} accepted")
            tmux.keys("Tab", "Tab", "Tab")  # Again, Generate, the next account's first field
        for step in ("certificates", "pairing", "review"):
            next_step(step)
        # issue 12: maximum puts both services at Secure, High and no store is made, so the one high
        # finding is the missing manager certificate
        assert "findings: 1 high" in screens[-1] and "Manager certificate" in screens[-1]
        finish_and_check(tmux, screens, out, tmp_path, terminal)
        replay = subprocess.run([str(PBXWIZARD), "apply", "--answers", str(out / "answers.toml"), "--output",
                                 str(tmp_path / "replay")], capture_output=True, text=True,
                                env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / ".config")})
        assert replay.returncode == 0, replay.stderr
        replayed = tomllib.loads((tmp_path / "replay" / "security.toml").read_text())
        written = tomllib.loads((out / "security.toml").read_text())
        assert replayed.pop("accounts") == {} and len(written.pop("accounts")) == len(ACCOUNTS)  # generated: not known here
        assert replayed == written
        return

    for step in FLOW[3:FLOW.index("settings.pairing") + 1]:
        next_step(step)
    tmux.keys("Tab")
    tmux.type("ex.lan")
    tmux.keys("Tab")
    tmux.type("pbx.lan")
    screens.append(tmux.wait_until(lambda screen: "pbx.lan" in line_under(screen, "PBX address for pairing"),
                                   "the server typed into its field"))
    assert "ex.lan" in line_under(screens[-1], "PBX domain for pairing")
    assert line_under(screens[-1], "App pairing barcode duration").split()[0] == "1d"
    for step in FLOW[FLOW.index("settings.pairing") + 1:FLOW.index("accounts") + 1]:
        next_step(step)
    for account in ACCOUNTS:  # typed hidden, twice
        tmux.type(PASSWORDS[account.name])
        tmux.keys("Tab")
        tmux.type(PASSWORDS[account.name])
        # each account as a person sees it, on screen, before the next: keys that arrive in one
        # burst (a loaded machine) are all taken, but the view is not scrolled to each field
        screens.append(tmux.wait_until(lambda screen: accepted(screen, account.title), f"{account.title} accepted"))
        tmux.keys("Tab", "Tab")  # Generate, the next account's first field
    assert screens[-1].count("ok: accepted and confirmed") >= 2
    assert not any(pw in screen for pw in PASSWORDS.values() for screen in screens)
    next_step("certificates")
    tmux.keys("Space")
    tmux.wait_for("written: on")  # the passphrase fields show, so the Tab can reach them
    tmux.keys("Tab")
    tmux.type(PHRASE)
    tmux.keys("Tab")
    tmux.type(PHRASE)
    tmux.wait_for("ok: the passphrase is set")
    tmux.keys("Tab")
    tmux.type("pbx.lan")
    tmux.keys("Enter")
    screens.append(tmux.wait_for("for pbx.lan. Making it takes"))
    next_step("pairing")
    tmux.type("201")
    tmux.keys("Enter")
    screens.append(tmux.wait_for("1 entry"))
    next_step("review")
    # issue 12: in csr mode the store holds only the manager's request until the signed certificate
    # is imported, so the missing manager certificate stays the one high finding
    assert "findings: 1 high" in screens[-1] and "Manager certificate" in screens[-1]
    finish_and_check(tmux, screens, out, tmp_path, terminal)

    assert f"  {out / 'pairing' / '201.png'}\n" in tmux.history()
    config = (out / "security.toml").read_text()
    assert b"ENCRYPTED PRIVATE KEY" in (out / "certs" / "identity" / "pbx-key.pem").read_bytes()
    assert (out / "pairing" / "201.svg").is_file()
    answers = (out / "answers.toml").read_text()
    assert 'certificates = true' in answers and 'pair = ["201"]' in answers
    replay = subprocess.run([str(PBXWIZARD), "apply", "--answers", str(out / "answers.toml"), "--output",
                             str(tmp_path / "full"), "--passwords",
                             str(passwords_file(tmp_path / "passwords.txt", PASSWORDS)), "--passphrase-env", "PHRASE"],
                            capture_output=True, text=True,
                            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / ".config"), "PHRASE": PHRASE})
    assert replay.returncode == 0, replay.stderr
    assert without_hashes((tmp_path / "full" / "security.toml").read_text()) == without_hashes(config)
    assert (tmp_path / "full" / "pairing" / "201.svg").is_file()


def finish_and_check(tmux: Tmux, screens: list[str], out: Path, tmp_path: Path, terminal: str) -> None:
    """From the review: write, quit, check what was on screen and in the files."""
    assert "Web session timeout: 900 seconds -> 600 seconds" in screens[-1]
    colour_screen = tmux.screen(escapes=True)
    tmux.keys("C-n")
    screens.append(tmux.wait_for("Done. pbxwizard wrote:"))
    tmux.keys("C-n")
    tmux.wait_for("exit=")
    final = tmux.history()
    assert "exit=0" in final and f"pbxwizard wrote:\n  {out / 'security.toml'}\n" in final

    if terminal == "linux-console":
        odd = {ch for screen in screens for ch in screen if not (ch.isascii() and (ch.isprintable() or ch == "\n"))}
        assert not odd, f"glyphs the Linux console cannot draw: {sorted(odd)}"
    else:
        found = colours(colour_screen)
        assert found, "expected the captured screen to carry SGR colour codes"
        assert all(is_grey(c) for c in found), sorted(set(c for c in found if not is_grey(c)))

    config = (out / "security.toml").read_text()
    assert 'preset = "maximum"' in config and "session_timeout = 600" in config
    assert (out / "security.toml").stat().st_mode & 0o777 == 0o600
    assert len(tomllib.loads(config)["accounts"]) == len(ACCOUNTS)


def test_ctrl_l_draws_over_what_another_program_wrote_on_the_terminal(tmux, tmp_path):
    """A kernel message on the Linux console (or anything else writing to the terminal) lands
    in the middle of the wizard's picture; Ctrl+L repaints every row and the step is as it was."""
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"), "LANG": "C.UTF-8", "TERM": "linux"}
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env {assignments} {shlex.quote(str(PBXWIZARD))} --output {shlex.quote(str(tmp_path / 'out'))}"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e", command)
    tmux.wait_for(LABEL["welcome"])
    tty = tmux("display-message", "-p", "-t", "e2e", "#{pane_tty}").strip()

    def shown_for(seconds: float) -> bool:
        """The message shows within 2 s and is still there ``seconds`` later (no frame the app
        was still drawing covered it)."""
        try:
            tmux.wait_for("eth0: link down", deadline=2.0)
        except AssertionError:
            return False
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if "eth0: link down" not in tmux.screen():
                return False
            time.sleep(0.02)
        return True

    for _ in range(10):
        before = tmux.screen()
        with open(tty, "w") as terminal:  # what printk does to the console: text at the cursor, then a scroll
            terminal.write("\x1b[12;1H[ 4711.000000] eth0: link down\r\n[ 4711.5] eth0: link up\r\n" * 3)
        if shown_for(1.0):  # nothing but Ctrl+L draws over it now
            break
    else:
        pytest.fail("the app kept drawing over the message for 10 tries")
    tmux.keys("C-l")
    after = tmux.wait_for("eth0", gone=True)
    assert after.splitlines() == before.splitlines()
    tmux.keys("Enter")  # and the wizard goes on
    tmux.wait_for(LABEL["preset"])
