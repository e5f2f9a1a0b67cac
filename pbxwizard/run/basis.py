"""What a plan was made from: a digest of each file in the output folder that it read.

``make_plan`` reads the folder without its lock (a review may sit on screen for minutes),
so another run can change the folder between planning and writing. ``execute`` takes the
lock, reads the same files again and refuses to write when any differs: the plan would
otherwise undo the other run's change (an older ``security.toml``) or keep what that run
cancelled (a revoked pairing code).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable

Basis = tuple[tuple[str, str], ...]  # (path relative to the output folder, what was there)
_CHUNK = 1 << 16
_CAP = 64 << 20  # past this, the size stands for the rest: files this large are refused when read anyway


def read_basis(output: Path, names: Iterable[str]) -> Basis:
    """Each named file's state: ``absent``, ``not a file`` or the SHA-256 of its bytes."""
    return tuple((name, _state(Path(output) / name)) for name in dict.fromkeys(names))


def changed(output: Path, basis: Basis) -> list[str]:
    """The names whose state is no longer what the plan saw."""
    now = dict(read_basis(output, (name for name, _ in basis)))
    return [name for name, seen in basis if now[name] != seen]


def _state(path: Path) -> str:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISDIR(st.st_mode):
        return "folder"  # the certificate store: made whole, so present or not is what counts
    if not stat.S_ISREG(st.st_mode):
        return f"not a file (mode {st.st_mode:o})"  # a symlink or FIFO planted since: never opened
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    try:
        done = 0
        while done < _CAP and (block := os.read(fd, _CHUNK)):
            digest.update(block)
            done += len(block)
    finally:
        os.close(fd)
    return f"sha256:{digest.hexdigest()}, {st.st_size} bytes"
