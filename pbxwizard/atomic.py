"""Atomic, private file writes.

A write goes to a temporary file in the target's folder, is flushed and fsynced, then
renamed over the target, and the folder is fsynced. A crash or kill at any point leaves the
old file or the new one, never a mix. The previous version is kept as ``NAME.bak`` by a hard
link (or a copy where links are not possible), itself put in place by an atomic rename.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
FSYNC_EACH_UP_TO = 16  # larger batches flush with one os.sync, cheaper than an fsync a file


def ensure_private_dir(folder: Path) -> list[str]:
    """Create ``folder`` (and parents) as 0700; tighten an existing one and say so.

    A symlink, a folder of another user's or one others may write to is refused
    (ConfigError; see ``pbxwizard.trust``), never followed or chmodded.
    """
    from pbxwizard import trust

    return trust.own_folder(Path(folder))


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (its entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_paths(paths: list[Path]) -> None:
    """Flush many files and folders: each by fsync, or a batch of more than FSYNC_EACH_UP_TO
    by one ``os.sync``, which on Linux returns only once every write is on disk (as fsync
    does) and flushes the device cache once instead of once a path."""
    if len(paths) > FSYNC_EACH_UP_TO:
        os.sync()
        return
    for path in paths:
        fsync_path(path)


def _keep_backup(path: Path) -> None:
    backup = path.with_name(path.name + ".bak")
    if backup.exists() and not backup.is_symlink() and os.path.samefile(path, backup):
        return  # already linked (an earlier write died after its backup); rename would be a no-op
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.bak.p{os.getpid()}.", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        os.link(path, tmp)
    except OSError:
        shutil.copy2(path, tmp)
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, backup)


def _temp_prefix(name: str) -> str:
    """Temp files carry the writer's process id, so a sweep can tell a live run's from a dead one's."""
    return f".{name}.p{os.getpid()}."


def _stale(folder: Path, name: str) -> bool:
    """A temp file another run may still be writing is never stale: only when this process
    holds the folder's lock (every writer holds it), or the pid in the name is gone."""
    from pbxwizard import folderlock

    if folderlock.held(folder):
        return True
    import re

    found = re.search(r"\.p(\d+)\.[A-Za-z0-9_]+(?:\.tmp)?$", name)  # .NAME.pPID.RANDOM.tmp, .NAME.bak.pPID.RANDOM
    if not found:
        return False  # no pid: an older version's, or not ours; only removed under the lock
    pid = found.group(1)
    if int(pid) == os.getpid():
        return False  # this process: a write in progress (a failed one removes its own)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False


def _remove_leftovers(path: Path) -> None:
    """Temp files of an earlier write that was killed before its rename.

    Plain name tests over one ``scandir``: ``glob`` would compile two patterns per write.
    """
    temp, backup = f".{path.name}.", f".{path.name}.bak."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(backup) or (name.startswith(temp) and name.endswith(".tmp")):
            if not _stale(path.parent, name):
                continue
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _replace_with(path: Path, data: bytes, *, backup: bool) -> None:
    """Temp file beside ``path``, written 0600 and fsynced, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_private(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600, keeping ``path.bak``."""
    from pbxwizard import trust

    path = Path(path)
    ensure_private_dir(path.parent)
    trust.refuse_link(path)  # os.link and chmod below would act on a symlink's target
    _remove_leftovers(path)
    _replace_with(path, data, backup=backup)
    fsync_path(path.parent)


def sweep_temp_files(folder: Path) -> None:
    """Remove temp files that killed writes left in ``folder``: every one while this process
    holds the folder's lock, else only those whose writer is gone (see ``_stale``).
    Names are tested on one ``scandir``, as in ``_remove_leftovers``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name[1:].endswith(".tmp")) or not _stale(Path(folder), entry.name):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def write_private_files(folder: Path, files: dict[str, bytes]) -> None:
    """Many generated files into one folder (pairing codes), each 0600 and atomic.

    All temp files are written first, flushed to disk (a large batch by one ``os.sync``
    instead of an fsync per file, which were a third of a bulk run's time), then renamed into
    place, and the folder is synced once. A kill leaves each file old or new, never torn.
    The folder is not scanned for leftovers (see ``sweep_temp_files``), so a thousand files
    do not cost a thousand directory scans. Several processes may write into one folder.
    """
    from pbxwizard import trust

    folder = Path(folder)
    ensure_private_dir(folder)
    for name in files:
        trust.refuse_link(folder / name)
    pending: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(name), suffix=".tmp", dir=folder)
            pending.append((tmp, folder / name))
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(data)
                if len(files) <= FSYNC_EACH_UP_TO:
                    handle.flush()
                    os.fsync(handle.fileno())
        if len(files) > FSYNC_EACH_UP_TO:
            os.sync()
        while pending:
            tmp, target = pending[-1]
            os.replace(tmp, target)
            pending.pop()
    except BaseException:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
    fsync_path(folder)
