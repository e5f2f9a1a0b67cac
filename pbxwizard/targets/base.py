"""What every export gives back, whichever product it is for."""

from __future__ import annotations

from typing import NamedTuple


class ExportFile(NamedTuple):
    path: str  # relative to the output folder, e.g. "kamailio/tls.cfg"
    data: bytes
    secret: bool = False  # a decrypted key copy: said so by the command


class Export(NamedTuple):
    target: str
    files: tuple[ExportFile, ...]
    unexpressed: tuple[str, ...]  # settings the product cannot express, one sentence each
    notes: tuple[str, ...] = ()


def comment_block(lines: list[str] | tuple[str, ...], mark: str = "#") -> str:
    """Lines as a comment, each prefixed with ``mark``; an empty line stays a bare mark."""
    return "".join(f"{mark} {line}\n" if line else f"{mark}\n" for line in lines)
