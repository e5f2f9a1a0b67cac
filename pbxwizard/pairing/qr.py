"""QR codes for pairing tokens: one module matrix, drawn for the terminal, SVG and PNG.

The matrix is computed once (qrcode does the encoding and picks the mask) and every
drawing reuses it, which is most of what makes bulk generation fast. PNGs are written
straight from the matrix with pypng (1 bit per pixel), with no imaging library.

Error correction is M (15% of the code may be damaged) in the files; a typical pairing URI
fits version 6 to 8, within version 10, so modules stay large enough for a phone camera to
read from a screen. On a terminal ``fit`` picks M, or L (7%) where that gives a version small
enough for the code and its quiet zone to fit the screen: 80x24 holds version 6 (45 columns
by 23 lines in half blocks), which takes 106 bytes at M and 134 at L.
"""


from typing import NamedTuple

import io
import os
from functools import lru_cache

BORDER = 4  # the quiet zone the standard asks for, in modules
TERMINAL_BORDER = 2  # enough for phone cameras on a screen, and it saves rows
MAX_SCREEN_VERSION = 10
BLOCKS = "blocks"
ASCII = "ascii"


LEVELS = ("L", "M", "Q", "H")  # error correction that make takes, by qrcode's letters (ERROR_CORRECT_M ...)
SCREEN_LEVELS = ("M", "L")  # for a terminal: M where the screen holds it, else the smaller L


class Code(NamedTuple):
    payload: str
    version: int
    modules: tuple[tuple[bool, ...], ...]  # True = dark, without the quiet zone
    error_correction: str = "M"

    @property
    def size(self) -> int:
        return len(self.modules)


def _qrcode():
    """The qrcode package, imported without Pillow.

    Importing qrcode loads its Pillow drawing styles whenever Pillow is installed (15 ms and
    4 MiB for images pbxwizard never makes: PNGs come from pypng). Pillow is hidden while
    qrcode imports, which those styles allow for; anything imported later still finds it.
    """
    import sys

    if "qrcode" in sys.modules:
        return sys.modules["qrcode"]
    hidden = "PIL" not in sys.modules
    if hidden:
        sys.modules["PIL"] = None  # type: ignore[assignment]  # import PIL raises ImportError
    try:
        import qrcode
    finally:
        if hidden and sys.modules.get("PIL", ...) is None:
            del sys.modules["PIL"]
    return qrcode


@lru_cache(maxsize=8)  # a screen fits, and on a resize fits again, the code it already made
def make(payload: str, error_correction: str = "M") -> Code:
    """The QR code for ``payload`` at ``error_correction`` (L, M, Q or H): the same modules
    qrcode itself would choose, made faster.

    qrcode picks the mask by laying the data out eight times, once per mask, and scoring
    each layout module by module. Here the data is laid out once; the other seven layouts
    differ from it only in the data modules where the two masks disagree, so they are made
    by XOR-ing precomputed bit masks into integer rows and columns (cached per version),
    then scored with ``qr_penalty``, which matches qrcode's ``util.lost_point``; the winner's
    flips and format bits finish the layout without a second data pass. The chosen mask and
    the final matrix are qrcode's (a test compares them module for module).
    """
    qrcode = _qrcode()
    from qrcode import constants, util

    from pbxwizard.pairing import qr_data
    from pbxwizard.pairing.qr_penalty import columns_to_ints, pack, penalty_packed, rows_to_ints

    level = getattr(constants, f"ERROR_CORRECT_{error_correction}")
    qr = qrcode.QRCode(error_correction=level, border=0)
    data = payload.encode("utf-8")
    qr.add_data(data, optimize=0)  # one segment, byte mode for the URI: it is mostly lowercase
    if [d.mode for d in qr.data_list] == [util.MODE_8BIT_BYTE]:  # qrcode's own codewords, computed faster
        qr.version = qr_data.best_version(len(data), level)
        qr.data_cache = qr_data.codewords(data, qr.version, level)
    else:
        qr.best_fit()
    qr.makeImpl(True, 0)
    n = qr.modules_count
    rows, cols = pack(rows_to_ints(qr.modules), n), pack(columns_to_ints(qr.modules), n)
    best, best_lost = 0, penalty_packed(rows, cols, n)
    flips = _mask_flips(qr.version)
    for mask, (row_flips, col_flips, _) in enumerate(flips, start=1):
        lost = penalty_packed(rows ^ row_flips, cols ^ col_flips, n)
        if lost < best_lost:
            best, best_lost = mask, lost
    # the final layout is the test layout with the chosen mask's flips and the real format bits
    modules = qr.modules
    for r, bits in enumerate(flips[best - 1][2] if best else ()):
        row = modules[r]
        while bits:
            c = (bits & -bits).bit_length() - 1
            row[c] = not row[c]
            bits &= bits - 1
    qr.setup_type_info(False, best)
    if qr.version >= 7:
        qr.setup_type_number(False)
    return Code(payload, qr.version, tuple(map(tuple, qr.modules)), error_correction)  # every module a bool


@lru_cache(maxsize=None)
def _mask_flips(version: int) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """For masks 1-7: the data modules where that mask and mask 0 disagree, as packed bit
    masks (rows, columns) for scoring, and per row for finishing the final layout.

    Every mask repeats every 12 rows and 12 columns, so each is evaluated on a 12 x n strip
    (rows) and an n x 12 strip (columns) instead of on every module.
    """
    qrcode = _qrcode()
    from qrcode import util

    from pbxwizard.pairing.qr_penalty import columns_to_ints, pack, rows_to_ints

    qr = qrcode.QRCode(version=version)
    n = qr.modules_count = version * 4 + 17
    full = (1 << n) - 1
    qr.modules = [[None] * n for _ in range(n)]
    for row, col in ((0, 0), (n - 7, 0), (0, n - 7)):
        qr.setup_position_probe_pattern(row, col)
    qr.setup_position_adjust_pattern()
    qr.setup_timing_pattern()
    qr.setup_type_info(True, 0)
    if version >= 7:
        qr.setup_type_number(True)
    free = [[m is None for m in row] for row in qr.modules]
    data_rows, data_cols = rows_to_ints(free), columns_to_ints(free)
    span = range(n)
    repeat = sum(1 << k for k in range(0, n, 12))  # times a 12-bit pattern: it repeated across n bits

    def strips(mask: int) -> tuple[list[int], list[int]]:
        dark = util.mask_func(mask)  # called on a 12 x 12 tile only; the strips repeat it
        tile = [[dark(r, c) for c in range(12)] for r in range(12)]
        by_row = [(bits * repeat) & full for bits in rows_to_ints(tile)]
        by_col = [(bits * repeat) & full for bits in columns_to_ints(tile)]
        return by_row, by_col

    zero_rows, zero_cols = strips(0)
    out = []
    for mask in range(1, 8):
        mask_rows, mask_cols = strips(mask)
        rows = tuple((zero_rows[r % 12] ^ mask_rows[r % 12]) & data_rows[r] for r in span)
        cols = [(zero_cols[c % 12] ^ mask_cols[c % 12]) & data_cols[c] for c in span]
        out.append((pack(rows, n), pack(cols, n), rows))
    return tuple(out)


def _padded(code: Code, border: int) -> list[list[bool]]:
    width = code.size + 2 * border
    blank = [False] * width
    rows = [list(blank) for _ in range(border)]
    rows += [[False] * border + list(row) + [False] * border for row in code.modules]
    rows += [list(blank) for _ in range(border)]
    return rows


def terminal_style(encoding: str | None = None) -> str:
    """``blocks`` wherever the output can encode the half and full block characters. The Linux
    console draws them too: they are in the VGA code page that every console font carries."""
    try:
        "\u2580\u2584\u2588".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return BLOCKS


def drawing_size(code: Code, style: str = BLOCKS) -> tuple[int, int]:
    """Columns and lines that ``terminal`` draws ``code`` in, quiet zone included."""
    side = code.size + 2 * TERMINAL_BORDER
    return (side, (side + 1) // 2) if style == BLOCKS else (2 * side, side)


def fit(payload: str, width: int, height: int, *, style: str = BLOCKS) -> Code | None:
    """The code for ``payload`` whose drawing fits ``width`` x ``height`` cells: error
    correction M where it fits, else L (a smaller version); None when neither fits, since
    a code cut off at the screen's edge does not scan."""
    for level in SCREEN_LEVELS:
        code = make(payload, level)
        columns, lines = drawing_size(code, style)
        if columns <= width and lines <= height:
            return code
    return None


def smallest(payload: str) -> Code:
    """The code with the fewest modules a terminal may show (error correction L)."""
    return make(payload, SCREEN_LEVELS[-1])


def beside(drawing: str, width: int, text: list[str], gap: int = 2) -> str:
    """``text`` to the right of ``drawing`` (``width`` columns, its right quiet zone
    included even where it is blank), line by line, from its first line."""
    rows = drawing.split("\n")
    lines = [row.ljust(width) + " " * gap + line if line else row
             for row, line in zip(rows + [""] * (len(text) - len(rows)), text + [""] * (len(rows) - len(text)))]
    return "\n".join(line.rstrip() for line in lines)


def terminal(code: Code, *, style: str = BLOCKS, dark_background: bool = True) -> str:
    """Text that draws the code. On a dark background the light modules are drawn in the
    text colour, so the code reads as dark-on-light to a camera either way.

    ``blocks`` packs two module rows into one line with half-block characters, so the code
    keeps its square shape; ``ascii`` uses two ``#`` per module for terminals without them.
    """
    rows = _padded(code, TERMINAL_BORDER)
    ink = [[(not m) if dark_background else m for m in row] for row in rows]
    if style == ASCII:
        return "\n".join("".join("##" if i else "  " for i in row).rstrip() for row in ink)
    lines = []
    blank = [False] * len(ink[0])
    for y in range(0, len(ink), 2):
        top, bottom = ink[y], ink[y + 1] if y + 1 < len(ink) else blank
        lines.append("".join(
            "\u2588" if t and b else "\u2580" if t else "\u2584" if b else " " for t, b in zip(top, bottom)
        ).rstrip())
    return "\n".join(lines)


def svg(code: Code, *, module_mm: float = 0.8) -> str:
    """A standalone SVG: one path of dark runs, sized in millimetres for printing.

    The text the code holds goes into a ``<metadata>`` element, so a later run can tell
    which code a file shows without decoding the image (``payload_of``).
    """
    from html import escape
    from itertools import groupby

    side = code.size + 2 * BORDER
    parts = []
    for y, row in enumerate(code.modules, start=BORDER):
        x = BORDER
        for dark, run in groupby(row):
            length = len(list(run))
            if dark:
                parts.append(f"M{x} {y}h{length}v1h-{length}z")
            x += length
    mm = f"{side * module_mm:.1f}mm"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{mm}" height="{mm}" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges">'
        f'<metadata>{escape(code.payload)}</metadata>'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>\n'
    )


def payload_of(svg_text: str) -> str | None:
    """The text an SVG written by ``svg`` says its code holds; None for any other file."""
    from html import unescape

    start = svg_text.find("<metadata>")
    end = svg_text.find("</metadata>", start)
    return unescape(svg_text[start + len("<metadata>"):end]) if start >= 0 and end > start else None


_MODULE_BYTE = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # a row of bools as bytes -> 8 pixels a module


def png(code: Code, *, scale: int = 8) -> bytes:
    """A 1-bit greyscale PNG, ``scale`` pixels a module, quiet zone included.

    Rows are packed to bits here (one int per row) and handed to pypng's ``write_packed``:
    pypng's own per-pixel packing is ten times slower and bulk runs make thousands.
    """
    import png as pypng

    rows = _padded(code, BORDER)
    width = len(rows[0]) * scale
    pad = -width % 8
    dark, light = "0" * scale, "1" * scale
    packed = []
    for row in rows:
        if scale == 8:  # a module is a byte: 0x00 dark, 0xFF light
            line = bytes(row).translate(_MODULE_BYTE)
        else:
            bits = "".join(dark if m else light for m in row) + "0" * pad
            line = int(bits, 2).to_bytes((width + pad) // 8, "big")
        packed.extend([line] * scale)
    buffer = io.BytesIO()
    pypng.Writer(width, len(packed), greyscale=True, bitdepth=1).write_packed(buffer, packed)
    return buffer.getvalue()
