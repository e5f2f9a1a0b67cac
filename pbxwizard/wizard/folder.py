"""The welcome step: the output folder, and resuming the security.toml already in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple, TYPE_CHECKING

from pbxwizard.errors import ConfigError, Problem
from pbxwizard.paths import CONFIG_NAME
from pbxwizard.wizard.homepaths import tilde
from pbxwizard.wizard.shared import Shared

if TYPE_CHECKING:
    from pbxwizard.settings.config import Config
    from pbxwizard.wizard.settings import SettingsStep


class FolderStatus(NamedTuple):
    """What choosing ``folder`` as the output would mean, for the welcome step."""

    folder: Path
    usable: bool  # False: nothing can be written there (a file, unreadable)
    message: str
    config: Config | None = None  # the existing security.toml, when it can be resumed
    problems: tuple[Problem, ...] = ()  # why an existing file cannot be resumed
    warnings: tuple[Problem, ...] = ()  # unknown keys in a file that is resumed


@dataclass
class FolderStep:
    shared: Shared = field(repr=False)
    # the settings step, which a resumed file fills; asked for only then, so the welcome
    # screen starts without the settings catalog
    settings: Callable[[], SettingsStep] = field(repr=False)
    resumed_from: Path | None = None
    _loaded_folder: Path | None = None

    def inspect(self, folder: Path) -> FolderStatus:
        """Called on every key typed into the folder field, so it never raises for a bad path."""
        try:
            return self._inspect(folder)
        except (OSError, ValueError) as exc:  # unreadable parents, a NUL byte pasted in, ...
            reason = getattr(exc, "strerror", None) or str(exc)
            return FolderStatus(Path(folder), False, f"{tilde(folder)} cannot be used: {reason}.")

    def _inspect(self, folder: Path) -> FolderStatus:
        if "\x00" in str(folder):
            raise ValueError("a folder name cannot hold a NUL character")
        folder = Path(folder).expanduser().absolute()
        path = folder / CONFIG_NAME
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not existing.is_dir():
            return FolderStatus(folder, False, f"{tilde(existing)} is a file, not a folder; choose another place.")
        if not path.exists():
            where = "the folder exists" if folder.is_dir() else "the folder will be created (mode 0700)"
            return FolderStatus(folder, True, f"A new {CONFIG_NAME} will be written; {where}.")
        from pbxwizard.settings import tomlfile

        presets = self.shared.presets
        try:
            config, warnings = tomlfile.load_config(path, presets.values, own=True)
        except ConfigError as exc:
            return FolderStatus(
                folder, True,
                f"{tilde(path)} cannot be resumed; a fresh file will replace it and the old one is kept as {CONFIG_NAME}.bak.",
                problems=tuple(exc.problems),
            )
        changed = len(config.changed_from(presets.values(config.preset))) if config.preset in presets.presets else 0
        return FolderStatus(
            folder, True,
            f"{tilde(path)} will be resumed: preset {config.preset or '(none)'}, {changed} setting{'s' if changed != 1 else ''} changed from it.",
            config=config, warnings=tuple(warnings),
        )

    def choose(self, folder: Path) -> FolderStatus:
        """Make ``folder`` the output; an existing config there is loaded once, when first chosen."""
        status = self.inspect(folder)
        if not status.usable:
            return status
        self.shared.output = status.folder
        if status.folder != self._loaded_folder:
            self._loaded_folder = status.folder
            if status.config is not None:
                self.resume(status.config, status.folder / CONFIG_NAME)
        return status

    def resume(self, config: Config, path: Path) -> None:
        self.settings().load(config)
        self.resumed_from = path
