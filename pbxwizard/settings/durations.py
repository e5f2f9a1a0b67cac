"""Human durations such as ``15m``, ``12h``, ``7d`` or ``1d12h``, and ``off``.

Stored in the config in their canonical spelling (largest units first) so a value written
and read back is the same string.
"""

from __future__ import annotations

from pbxwizard.errors import InvalidValue

UNITS = (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_SECONDS = dict(UNITS)
OFF = "off"
_MAX_SECONDS = 100 * 365 * 86400


def parse_duration(text: str) -> int:
    """Seconds in ``text``; raises InvalidValue for anything else."""
    if not isinstance(text, str):
        raise InvalidValue(f"expected a duration such as 15m, 12h or 7d, got {text!r}")
    s = text.strip().lower()
    if not s:
        raise InvalidValue("expected a duration such as 15m, 12h or 7d, got an empty value")
    total = 0
    number = ""
    seen: list[str] = []
    for ch in s:
        if ch.isascii() and ch.isdigit():
            number += ch
            continue
        if ch not in _SECONDS or not number:
            raise InvalidValue(
                f"{text!r} is not a duration: use a number followed by w, d, h, m or s "
                "(for example 30m, 12h, 7d, 1d12h)"
            )
        if seen and [u for u, _ in UNITS].index(ch) <= [u for u, _ in UNITS].index(seen[-1]):
            raise InvalidValue(f"{text!r}: units must go from largest to smallest, each once")
        seen.append(ch)
        if len(number) > 12:
            raise InvalidValue(f"{text!r} is too long a duration")
        total += int(number) * _SECONDS[ch]
        number = ""
    if number:
        raise InvalidValue(f"{text!r}: the number {number} has no unit (w, d, h, m or s)")
    if total > _MAX_SECONDS:
        raise InvalidValue(f"{text!r} is longer than a hundred years")
    return total


def format_duration(seconds: int) -> str:
    """Canonical spelling of ``seconds``: ``90`` gives ``1m30s``; weeks are written as days."""
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in UNITS[1:]:  # days at most: "7d" stays "7d", "2w" becomes "14d"
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def describe_seconds(seconds: int) -> str:
    """Words for a person: ``7d`` reads as ``7 days``."""
    names = {"w": "week", "d": "day", "h": "hour", "m": "minute", "s": "second"}
    out = []
    rest = seconds
    for unit, size in UNITS[1:]:
        count, rest = divmod(rest, size)
        if count:
            out.append(f"{count} {names[unit]}{'' if count == 1 else 's'}")
    return ", ".join(out) or "0 seconds"
