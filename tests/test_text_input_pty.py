"""Keys that arrive in one read act in the order they were typed (issue 11, item 3).

Over SSH a fast typist's keys, or a password manager's, often reach the wizard in one read.
Textual's own Input ran Backspace only after the keys behind it (``abc<DEL>X`` ended as
``abc``); TextInput, which every text field of the wizard is, runs it at once. Each test
starts a one-field app in a real pseudo-terminal, waits until it says the field has the focus,
writes the whole burst with one ``os.write``, then Enter, and reads back what the field held.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DEL = b"\x7f"  # what Backspace sends


def _read_line(fd: int, pty: int, what: str) -> str:
    """The next line on ``fd``; the terminal's output is drained meanwhile so the app never blocks."""
    data, deadline = b"", time.monotonic() + 60  # a hang guard only: the line is what is waited for
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"never got {what}")
        ready, _, _ = select.select([fd, pty], [], [], left)
        if pty in ready:
            try:
                os.read(pty, 65536)
            except OSError:
                pass
        if fd in ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"the app ended before {what}")
            data += chunk
    return data.decode().strip()


def typed_in_one_read(kind: str, burst: bytes) -> str:
    pty, tty = os.openpty()
    fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    report_r, report_w = os.pipe()
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(HERE.parent)}
    env.pop("NO_COLOR", None)
    app = subprocess.Popen([sys.executable, str(HERE / "ptyinput.py"), kind, str(report_w)],
                           stdin=tty, stdout=tty, stderr=tty, pass_fds=(report_w,), env=env,
                           start_new_session=True)
    os.close(tty)
    os.close(report_w)
    try:
        assert _read_line(report_r, pty, "the focused field") == "ready"
        os.write(pty, burst)
        os.write(pty, b"\r")
        return eval(_read_line(report_r, pty, "the value"))  # the app writes repr(value)
    finally:
        app.kill()
        app.wait()
        os.close(pty)
        os.close(report_r)


@pytest.mark.parametrize("kind", ["text", "secret"])
@pytest.mark.parametrize("burst, expected", [
    (b"abcdefghi" + DEL * 9 + b"XYZ", "XYZ"),
    (b"abc" + DEL + b"X", "abX"),
    (b"ab" + DEL * 2 + b"XY", "XY"),
    (b"password1" + DEL * 9 + b"Correct-Horse-Battery-9", "Correct-Horse-Battery-9"),
    (b"abc\x15XY", "XY"),  # Ctrl+U clears the field before what follows
])
def test_a_burst_with_backspaces_ends_as_typed(kind, burst, expected):
    assert typed_in_one_read(kind, burst) == expected


def test_textual_own_input_still_reorders_such_a_burst():
    """The reproduction reproduces: Textual 8.2.8's Input runs the Backspace after the X. When
    this fails, Textual has fixed it and TextInput's own key handling can go."""
    assert typed_in_one_read("input", b"abc" + DEL + b"X") == "abc"
