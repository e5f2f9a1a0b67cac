"""Paths as a person reads them, the home folder shortened to ~; apart from ``views`` (which
re-exports them) so the welcome screen, the first one, imports only these."""

from __future__ import annotations

from pathlib import Path

from pbxwizard.errors import Problem


def tilde(path: Path | str) -> str:
    """A path as a person reads it: the home folder shortened to ~ (shells expand it back)."""
    text, home = str(path), str(Path.home())
    if home not in ("", "/") and (text == home or text.startswith(home + "/")):
        return "~" + text[len(home):]
    return text


def tilde_text(text: str) -> str:
    """Every path under the home folder in a sentence shortened to ~ (notes name paths inside them)."""
    home = str(Path.home())
    return text if home in ("", "/") else text.replace(home + "/", "~/")


def tilde_problem(problem: Problem) -> str:
    return str(Problem(problem.key, problem.message, tilde(problem.file) if problem.file else "", problem.line))
