"""The shipped list of common passwords, the check that current guidance asks for first.

A password on this list is among the first an attacker tries, whatever its score or
composition, so every policy level refuses it. The list is package data
(``pbxwizard/data/common-passwords.txt``); its header names the source and licence.
"""

from __future__ import annotations

from functools import lru_cache

DATA_FILE = "common-passwords.txt"


def _fold(text: str) -> str:
    return text.casefold()


@lru_cache(maxsize=1)
def entries() -> frozenset[str]:
    """Every entry, case-folded; read once per process (about 30,000 short lines)."""
    from importlib import resources

    text = (resources.files("pbxwizard") / "data" / DATA_FILE).read_text(encoding="utf-8")
    return frozenset(_fold(line) for line in text.splitlines() if line and not line.startswith("#"))


def header() -> list[str]:
    """The data file's comment lines: where the list comes from and its licence."""
    from importlib import resources

    text = (resources.files("pbxwizard") / "data" / DATA_FILE).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        out.append(line[1:].strip())
    return out


def is_common(password: str) -> bool:
    """True when ``password`` equals a listed entry, ignoring case."""
    return _fold(password) in entries()


def size() -> int:
    return len(entries())
