"""Where pbxwizard's files live by default."""

from __future__ import annotations

from pathlib import Path

APP = "pbxwizard"
CONFIG_NAME = "security.toml"
ANSWERS_NAME = "answers.toml"


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP))
