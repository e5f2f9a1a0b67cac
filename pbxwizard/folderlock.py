"""One lock per output folder, so two runs never write into it at once.

Every step that writes into an output folder (a run's ``execute``, revoking a code, making
pairing codes or the key, making or importing a certificate store) holds the folder's lock
for as long as it reads and writes there. The lock is an ``fcntl`` lock on
``DIR/.pbxwizard.lock`` (0600): the kernel drops it when its holder exits, even by
``kill -9``, so a stale lock file never blocks anyone. A run that finds the lock taken
waits a bounded time (``PBXWIZARD_LOCK_WAIT`` seconds, default 30), then gives up with a
message naming the run that holds it (its process id, what it does and since when, which
the holder writes into the lock file).

The lock is re-entrant within a process (``execute`` holds it while the pairing code step
takes it again). ``held(folder)`` tells the temp file sweep whether this process holds the
lock of ``folder`` or of a folder above it: only then is every temp file there stale.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Iterator

from pbxwizard.errors import ConfigError, Problem

LOCK_NAME = ".pbxwizard.lock"
WAIT_ENV = "PBXWIZARD_LOCK_WAIT"
DEFAULT_WAIT = 30.0
POLL = 0.05

_guard = threading.RLock()
_held: dict[str, list] = {}  # real path of the folder -> [open fd, depth]


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def held(folder: Path) -> bool:
    """True when this process holds the lock of ``folder`` or of a folder containing it."""
    real = os.path.realpath(folder)
    with _guard:
        return any(real == path or real.startswith(path.rstrip(os.sep) + os.sep) for path in _held)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "a run that has not said what it is yet"


def _open(folder: Path) -> int:
    from pbxwizard import trust

    if not os.path.lexists(folder):
        trust.make_private_dirs(folder)
    problems = trust.folder_problems(folder)  # checked, not tightened: the run itself tightens and says so
    if problems:
        raise ConfigError(problems)
    path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise ConfigError([Problem("lock", f"cannot open the folder's lock file: {exc.strerror}", str(path))]) from None
    try:
        trust.own_file_fd(fd, path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _acquire(folder: Path, what: str) -> int:
    """Open and lock ``folder``'s lock file, waiting a bounded time; returns its descriptor.

    The holder removes the file when it lets go, so a run that waited on the removed file
    finds it gone (or replaced) once it gets the lock, and tries again on the new one.
    """
    import fcntl

    deadline = time.monotonic() + _wait_seconds()
    while True:
        fd = _open(folder)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    other = _holder(fd)
                    os.close(fd)
                    raise ConfigError([Problem(
                        "lock", f"another pbxwizard run is writing into this folder ({other}); waited "
                        f"{_wait_seconds():g} s. Try again when it has finished (set {WAIT_ENV} to wait longer)",
                        str(folder))]) from None
                time.sleep(POLL)
        try:
            current = os.lstat(folder / LOCK_NAME)
        except FileNotFoundError:
            current = None
        mine = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
            break
        os.close(fd)  # the file we locked was removed by the run before us
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, {what}, since {stamp}".encode("utf-8", "replace"), 0)
    return fd


@contextlib.contextmanager
def hold(folder: Path, what: str) -> Iterator[None]:
    """Hold the lock of the output folder ``folder`` (made 0700 if missing) while in the block.

    ``what`` says what this run does, for the message another run shows while it waits.
    Raises ConfigError (nothing written) when another run keeps it past the bounded wait.
    """
    folder = Path(folder)
    real = os.path.realpath(folder)
    with _guard:
        entry = _held.get(real)
        if entry is not None:
            entry[1] += 1
    if entry is None:
        fd = _acquire(folder, what)
        with _guard:
            _held[real] = entry = [fd, 1]
    try:
        yield
    finally:
        with _guard:
            entry[1] -= 1
            last = entry[1] == 0
            if last:
                del _held[real]
        if last:
            try:  # still holding it, so no other run has the file open as its lock yet
                os.unlink(folder / LOCK_NAME)
            except OSError:
                pass
            os.close(entry[0])  # closing the only descriptor drops the lock
