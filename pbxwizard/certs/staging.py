"""Build a store beside the live one, then swap it in with renames.

Generating or importing writes into a fresh hidden folder next to ``certs/``. Only when
every file is written (and, for an import, every check passed) does ``commit`` move the
live store to ``certs.previous/`` and the new one to ``certs/``. Any failure before that,
an exception, a refused check or a kill, leaves the live store exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pbxwizard.atomic import FILE_MODE, ensure_private_dir, fsync_path, fsync_paths
from pbxwizard.certs.layout import PREVIOUS, STAGING_PREFIX, STORE, Layout

DISCARD_PREFIX = ".certs.old-"


class Staging:
    """A private folder beside the store; use as a context manager and call ``commit``."""

    def __init__(self, output: Path, *, copy_current: bool = False):
        self.output = Path(output)
        self.copy_current = copy_current
        self.notes: list[str] = []
        self.folder: Path | None = None
        self.committed = False

    @property
    def live(self) -> Path:
        return self.output / STORE

    @property
    def layout(self) -> Layout:
        assert self.folder is not None, "use Staging as a context manager"
        return Layout(self.folder)

    def __enter__(self) -> "Staging":
        from pbxwizard import folderlock

        self._lock = folderlock.hold(self.output, "changing the certificate store")
        self._lock.__enter__()  # held until __exit__: the leftover sweep below removes other runs' folders
        try:
            return self._enter()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise

    def _enter(self) -> "Staging":
        self.notes += ensure_private_dir(self.output)
        self._remove_leftovers()
        self.folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.output))  # mode 0700
        if self.copy_current and self.live.is_dir():
            shutil.copytree(self.live, self.folder, dirs_exist_ok=True)
            os.chmod(self.folder, 0o700)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self.committed and self.folder is not None and self.folder.exists():
                shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            self._lock.__exit__(None, None, None)

    def _remove_leftovers(self) -> None:
        """Folders a killed run left behind hold keys; they were never live, so remove them.
        (Names tested on one scandir: ``glob`` compiles a pattern per prefix.)"""
        for entry in sorted(os.scandir(self.output), key=lambda e: e.name):
            if entry.name.startswith((STAGING_PREFIX, DISCARD_PREFIX)) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                self.notes.append(f"removed {entry.name}, left over by an interrupted run")

    def write(self, path: Path, data: bytes) -> None:
        """Write one file into the staged store (0600), creating its folders as 0700.

        No temp file, rename or fsync per file: the staged folder is private to this run and
        never live, so a torn file in it is thrown away with it, and ``commit`` fsyncs the
        whole tree once before the swap. That halves a store's fsyncs, each of which costs
        milliseconds on the flash storage of a small PBX box.
        """
        assert self.folder is not None
        relative = Path(path).relative_to(self.folder)
        folder = self.folder
        for part in relative.parts[:-1]:
            folder = folder / part
            ensure_private_dir(folder)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)  # the umask may have narrowed it; never widened
            handle.write(data)

    def remove(self, path: Path) -> None:
        Path(path).unlink(missing_ok=True)

    def commit(self) -> Path:
        """Swap the staged store in; the one it replaces becomes ``certs.previous``."""
        assert self.folder is not None and not self.committed
        _fsync_tree(self.folder)
        previous = self.output / PREVIOUS
        if previous.exists():
            discard = Path(tempfile.mkdtemp(prefix=DISCARD_PREFIX, dir=self.output))
            os.replace(previous, discard)  # discard is empty, so the rename may replace it
            shutil.rmtree(discard, ignore_errors=True)
        if self.live.exists():
            os.rename(self.live, previous)
            self.notes.append(f"the store it replaces is kept as {previous}")
        os.rename(self.folder, self.live)
        self.committed = True
        fsync_path(self.output)
        return self.live


def _fsync_tree(folder: Path) -> None:
    """Copied files were never fsynced; make the whole staged tree durable before the swap
    (a local CA's 12 files and 6 folders by one os.sync: see ``fsync_paths``)."""
    paths = []
    for current, _dirs, files in os.walk(folder):
        paths += [Path(current) / name for name in files]
        paths.append(Path(current))
    fsync_paths(paths)
