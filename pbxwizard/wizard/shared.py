"""What more than one step needs: the output folder, the presets, one clock, the extras, the dirty flag."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TYPE_CHECKING

if TYPE_CHECKING:
    from pbxwizard.run.extras import Extras
    from pbxwizard.settings.presets import PresetSet


@dataclass
class Shared:
    """Handed to every step at construction, so no step reaches into another's internals."""

    output: Path
    loaded_presets: PresetSet | None = None  # read on first use: the welcome screen needs none
    clock: Callable[[], float] = time.time  # one clock for code expiry and certificate dates (tests fix it)
    dirty: bool = False  # something was chosen or typed since the last write
    _extras: Extras | None = field(default=None, repr=False)

    @property
    def extras(self) -> Extras:
        """What the steps that make more than security.toml (certificates, pairing) filled in: the
        certificate store and pairing codes to make. Made on first use, like the presets: its
        module imports the whole settings catalog, which the welcome screen does without."""
        if self._extras is None:
            from pbxwizard.run.extras import Extras

            self._extras = Extras()
        return self._extras

    @extras.setter
    def extras(self, value: Extras) -> None:
        self._extras = value

    @property
    def presets(self) -> PresetSet:
        if self.loaded_presets is None:
            from pbxwizard.settings import presets as preset_store

            self.loaded_presets = preset_store.load()
        return self.loaded_presets
