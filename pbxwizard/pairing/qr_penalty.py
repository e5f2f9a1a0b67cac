"""The QR mask penalty (ISO/IEC 18004 section 7.8.3) computed on bit rows.

Choosing a mask means scoring eight layouts; qrcode scores them module by module in Python,
which is most of the time a code takes. Here all rows are packed into one integer (row r at
bit r * (n + 1), one zero bit between rows) and all columns into another, so each rule is a
handful of shifts, ANDs and popcounts on two big integers for the whole layout. The
scores equal qrcode's ``util.lost_point`` exactly (a test compares them on random
matrices), so the chosen mask, and the code, are the ones qrcode would pick.
"""

from __future__ import annotations

from typing import Sequence

from functools import lru_cache

# 1:1:3:1:1 finder-like patterns with four light modules on one side, bit k = module k
_FINDER_PATTERNS = ((1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1))


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def rows_to_ints(modules: Sequence[Sequence[bool]]) -> list[int]:
    """Bit c of line r is module (r, c); done with bytes and int(..., 2) to stay in C."""
    return [int(bytes(row[::-1]).translate(_DIGITS), 2) for row in modules]


def columns_to_ints(modules: Sequence[Sequence[bool]]) -> list[int]:
    return rows_to_ints(list(zip(*modules)))


def pack(lines: Sequence[int], n: int) -> int:
    """Lines of ``n`` bits into one integer, a zero bit between neighbours."""
    stride = n + 1
    return sum(line << (i * stride) for i, line in enumerate(lines))


@lru_cache(maxsize=None)
def _masks(n: int) -> tuple[int, int, int, int]:
    """For packed n x n layouts: all modules, rule 3 start positions, rule 2 block corners,
    and the modules of every line but the last."""
    one_line = (1 << n) - 1
    full = pack([one_line] * n, n)
    starts = pack([(1 << max(n - 10, 0)) - 1] * n, n)
    corners = pack([one_line >> 1] * (n - 1), n)
    upper = pack([one_line] * (n - 1), n)
    return full, starts, corners, upper


def _runs(bits: int, full: int) -> int:
    """Rule 1: each run of five or more alike modules costs its length - 2."""
    total = 0
    for x in (bits, ~bits & full):  # the zero bits between lines end every run
        five = x & (x >> 1) & (x >> 2) & (x >> 3) & (x >> 4)
        # a run of length L leaves L-4 consecutive ones in ``five``; each group start adds 2
        total += five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
    return total


def _finders(bits: int, full: int, starts: int) -> int:
    """Rule 3: 40 for each finder-like pattern."""
    inverse = ~bits & full
    count = 0
    for pattern in _FINDER_PATTERNS:
        hit = starts
        for k, dark in enumerate(pattern):
            hit &= (bits if dark else inverse) >> k
        count += hit.bit_count()
    return 40 * count


def penalty_packed(rows: int, cols: int, n: int) -> int:
    full, starts, corners, upper = _masks(n)
    lost = _runs(rows, full) + _runs(cols, full) + _finders(rows, full, starts) + _finders(cols, full, starts)
    same = ~(rows ^ (rows >> (n + 1))) & upper  # each row against the one below it
    lost += 3 * (same & (same >> 1) & ~(rows ^ (rows >> 1)) & corners).bit_count()  # rule 2: 2x2 blocks
    percent = float(rows.bit_count()) / (n**2)  # rule 4: balance of dark and light, as qrcode rounds it
    return lost + int(abs(percent * 100 - 50) / 5) * 10

