"""When a folder or a file on disk may be trusted, and reading it without being fooled.

An output folder holds the pairing key, password hashes and private keys, and pbxwizard
reads back what it wrote there. Another user who can write into the folder could plant a
key or a hash of her own; a symlink where a file of ours belongs could send a write (or a
chmod) to a file elsewhere. So the folder, and every file read back from it, is trusted
only when it is owned by the user running pbxwizard (or by root) and is not writable by
group or others; a symlink in its place is refused, never followed and never chmodded.
Every refusal is a ConfigError naming the path, the reason and the fix.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pbxwizard.errors import ConfigError, Problem

DIR_MODE = 0o700


def _refuse(path: Path, what: str, message: str) -> ConfigError:
    return ConfigError([Problem(f"({what})", message, str(path))])


def _owner_ok(uid: int) -> bool:
    return uid in (os.geteuid(), 0)


def _check(path: Path, st: os.stat_result, what: str) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(path, what, f"{what} is a symbolic link (to {os.readlink(path)!r}); pbxwizard does not follow "
                            f"links where its own {what}s belong. Remove the link, or point --output at the real folder")
    if not _owner_ok(st.st_uid):
        raise _refuse(path, what, f"{what} is owned by another user (uid {st.st_uid}), who could have planted or changed "
                            f"what is in it; use a {what} of your own (or, if it is yours, chown it to uid {os.geteuid()})")
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o022:
        raise _refuse(path, what, f"{what} is writable by group or others (mode {mode:04o}), who could have planted or "
                            f"changed what is in it; check it, then chmod go-w it")


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 whatever the umask."""
    missing = []
    current = Path(os.path.abspath(folder))
    while not os.path.lexists(current):
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            pass  # another run made it meanwhile; it is checked below like any other
        else:
            os.chmod(path, DIR_MODE, follow_symlinks=False)  # mkdir's mode is filtered by the umask


def own_folder(folder: Path) -> list[str]:
    """Make ``folder`` (0700) or check an existing one; tighten a readable one and say so.

    Refuses (ConfigError) a symlink, something that is not a folder, a folder owned by
    another user, or one that group or others may write to.
    """
    folder = Path(folder)
    if not os.path.lexists(folder):
        make_private_dirs(folder)
    st = os.lstat(folder)
    if not stat.S_ISLNK(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise _refuse(folder, "folder", "folder expected, but this is a file; point --output at a folder")
    _check(folder, st, "folder")
    notes = []
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        notes.append(f"{folder} was readable by others (mode {mode:04o}); tightened to 0700")
        os.chmod(folder, DIR_MODE, follow_symlinks=False)
    return notes


def own_file_fd(fd: int, path: Path) -> os.stat_result:
    """Check a file opened (with O_NOFOLLOW) from a folder of ours; returns its stat."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "file", "file expected, but this is not a regular file")
    _check(path, st, "file")
    return st

