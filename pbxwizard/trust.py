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


def folder_problems(folder: Path) -> list[Problem]:
    """What ``own_folder`` would refuse about an existing folder, found by reading only."""
    folder = Path(folder)
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [Problem("(folder)", f"cannot look at it: {exc.strerror}", str(folder))]
    try:
        if not stat.S_ISLNK(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            raise _refuse(folder, "folder", "folder expected, but this is a file; point --output at a folder")
        _check(folder, st, "folder")
    except ConfigError as exc:
        return exc.problems
    return []


def file_problems(path: Path) -> list[Problem]:
    """What reading back or writing ``path`` in an output folder would refuse, found by reading only."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode) or stat.S_ISREG(st.st_mode):  # anything else fails the write itself
            _check(Path(path), st, "file")
    except FileNotFoundError:
        return []
    except ConfigError as exc:
        return exc.problems
    return []


def output_problems(output: Path, names: tuple[str, ...]) -> list[Problem]:
    """The output folder and the files of ``names`` in it, as a run would find them."""
    problems = folder_problems(output)
    if problems:
        return problems
    return [p for name in names for p in file_problems(Path(output) / name)]


def refuse_link(path: Path) -> None:
    """Before writing ``path`` in a folder of ours: a symlink there is refused."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        _check(Path(path), st, "file")  # anything else that is not a file fails the write itself


def _read_fd(fd: int, cap: int, path: Path, what: str) -> bytes:
    """At most ``cap`` bytes; more is refused. The cap is on the read itself, never on
    ``stat`` (``/dev/zero`` has size 0 and no end)."""
    chunks, size = [], 0
    while size <= cap:
        chunk = os.read(fd, min(1 << 20, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        raise ConfigError([Problem("(file)", f"more than {cap} bytes: too large for {what}", str(path))])
    return b"".join(chunks)


def read_own(path: Path, cap: int, what: str = "this file") -> bytes | None:
    """A file pbxwizard wrote into a folder of its own; None when there is none.

    Opened with O_NOFOLLOW, so a symlink in its place is refused, never followed; then it
    must be a regular file owned by this user (or root) that group and others cannot write.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            refuse_link(path)
        raise ConfigError([Problem("(file)", f"cannot read: {exc.strerror}", str(path))]) from None
    try:
        own_file_fd(fd, path)
        return _read_fd(fd, cap, path, what)
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read: {exc.strerror}", str(path))]) from None
    finally:
        os.close(fd)


def read_capped(path: Path, cap: int, what: str = "this file") -> bytes:
    """A file a person named (it may be a pipe or a device): at most ``cap`` bytes."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ConfigError([Problem("(file)", "no such file", str(path))]) from None
    except IsADirectoryError:
        raise ConfigError([Problem("(file)", "is a folder, not a file", str(path))]) from None
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read: {exc.strerror}", str(path))]) from None
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise ConfigError([Problem("(file)", "is a folder, not a file", str(path))])
        return _read_fd(fd, cap, path, what)
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read: {exc.strerror}", str(path))]) from None
    finally:
        os.close(fd)
