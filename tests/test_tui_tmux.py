"""The installed `pbxwizard` in a real terminal: tmux at 80x24, driven with send-keys.

Once as the Linux console (TERM=linux: every character on screen must be plain ASCII,
since its fonts lack box-drawing and block glyphs) and once with NO_COLOR=1 (every colour
left on screen must be a grey). Both runs change one setting, write, and the files must
be what `pbxwizard apply` writes from the answers file the wizard left beside them.

tmux is a separate process, so the test waits for text to appear on its screen (polling
with a deadline); nothing is asserted about how long anything takes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pbxwizard.app import default_flow

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

PBXWIZARD = Path(sys.executable).parent / "pbxwizard"
STEPS = len(default_flow())
REVIEW = STEPS - 2  # review, write, done close the flow
SGR = re.compile(r"\x1b\[([0-9;]*)m")


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

    def __call__(self, *args: str) -> str:
        done = subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, check=True)
        return done.stdout

    def screen(self, escapes: bool = False) -> str:
        return self("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "e2e")

    def history(self) -> str:
        """Everything the pane printed, wrapped lines joined (for what is printed after the app exits)."""
        return self("capture-pane", "-p", "-J", "-S", "-200", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "e2e", *keys)

    def wait_for(self, text: str, deadline: float = 30.0) -> str:
        end = time.monotonic() + deadline
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{screen}")


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    subprocess.run([TMUX, "-S", str(server.socket), "kill-server"], capture_output=True)


@pytest.mark.parametrize("terminal", ["linux-console", "no-color"])
def test_a_whole_run_in_tmux(terminal, tmux, tmp_path):
    assert PBXWIZARD.exists(), "install the project into this venv first: pip install -e '.[test]'"
    out = tmp_path / "out"
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"), "LANG": "C.UTF-8"}
    env.update({"TERM": "linux"} if terminal == "linux-console" else {"NO_COLOR": "1"})
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env {assignments} {shlex.quote(str(PBXWIZARD))} --output {shlex.quote(str(out))}; echo exit=$?"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e", command)
    tmux("set-option", "-t", "e2e", "remain-on-exit", "on")

    screens = [tmux.wait_for(f"Step 1 of {STEPS}: Welcome")]
    tmux.keys("Enter")
    screens.append(tmux.wait_for(f"Step 2 of {STEPS}: Preset"))
    tmux.keys("Right", "Right", "Enter")
    screens.append(tmux.wait_for(f"Step 3 of {STEPS}: Web and login"))
    tmux.keys("C-u")  # a key binding runs a turn after plain characters typed with it: wait for it
    tmux.wait_for("Error: '' is not a whole")
    tmux.keys("600")
    screens.append(tmux.wait_for("* changed; the maximum preset"))
    for number in range(4, REVIEW + 1):
        tmux.keys("C-n")
        screens.append(tmux.wait_for(f"Step {number} of {STEPS}"))
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
    replay = subprocess.run([str(PBXWIZARD), "apply", "--answers", str(out / "answers.toml"), "--output",
                             str(tmp_path / "replay")], capture_output=True, text=True,
                            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / ".config")})
    assert replay.returncode == 0, replay.stderr
    assert (tmp_path / "replay" / "security.toml").read_text() == config
