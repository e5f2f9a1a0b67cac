"""The project's own error types.

Every parser and validator raises only ``InvalidValue`` for bad input, so callers (the CLI,
the TUI, the property tests) can tell a user's mistake from a bug.
"""


from typing import NamedTuple


class InvalidValue(ValueError):
    """A value a user gave does not fit what a setting allows."""


class Problem(NamedTuple):
    """One thing wrong with a config, placed as precisely as we can."""

    key: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if where else f"{self.key}: {self.message}"


class ConfigError(Exception):
    """A config, preset or answers file was rejected; carries every problem found."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or ())  # what else the same input holds that is not an error (unknown keys)
        super().__init__("\n".join(str(p) for p in self.problems))
