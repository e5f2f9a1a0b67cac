"""Decoding QR codes the way a phone does, with zxing-cpp: from PNG files, from text drawn
in a terminal, and from the cells of a Textual screen with their colours."""

from __future__ import annotations

import png
import zxingcpp

HALF_BLOCKS = {"\u2588": (1, 1), "\u2580": (1, 0), "\u2584": (0, 1), " ": (0, 0)}
HASHES = {"#": (1,), " ": (0,)}
SCALE = 4  # pixels a module edge: a camera sees more than one pixel of a module


def decode_gray(gray: bytes, width: int, height: int) -> list[str]:
    image = memoryview(gray).cast("B", (height, width))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def decode_png(data: bytes) -> list[str]:
    width, height, rows, _ = png.Reader(bytes=data).read()
    gray = bytearray()
    for row in rows:
        gray.extend(255 if v else 0 for v in row)
    return decode_gray(bytes(gray), width, height)


def decode_pixels(pixels: list[list[int]]) -> list[str]:
    """Rows of grey levels, each pixel drawn ``SCALE`` x ``SCALE``."""
    gray = bytearray()
    for row in pixels:
        line = bytes(v for v in row for _ in range(SCALE))
        gray.extend(line * SCALE)
    return decode_gray(bytes(gray), len(pixels[0]) * SCALE, len(pixels) * SCALE)


def decode_text(text: str, *, cell_w: int = 1, cell_h: int = 2, ink: dict[str, tuple[int, ...]] = HALF_BLOCKS) -> list[str]:
    """Rasterise terminal text as a screen shows it with light text on a dark background:
    each character is ``cell_w`` pixels wide and ``cell_h`` tall (two for half blocks, one
    pixel row each); any other character is background."""
    lines = text.split("\n")
    cols = max(len(line) for line in lines)
    pixels = []
    for line in lines:
        line = line.ljust(cols)
        for sub in range(cell_h):
            pixels.append([255 if ink.get(ch, (0,) * cell_h)[sub] else 0 for ch in line for _ in range(cell_w)])
    return decode_pixels(pixels)


def decode_strips(strips) -> list[str]:
    """Rasterise a Textual screen (``Compositor.render_strips``) with its colours: a half
    block's upper and lower halves each take the foreground or background colour of its cell,
    as a terminal draws them; the default colours are light text on a dark background."""
    top_ink, bottom_ink = {"\u2588", "\u2580"}, {"\u2588", "\u2584"}
    pixels = []
    for strip in strips:
        top, bottom = [], []
        for segment in strip:
            style = segment.style
            fg = _level(style.color if style else None, 255)
            bg = _level(style.bgcolor if style else None, 0)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            for ch in segment.text:
                top.append(fg if ch in top_ink else bg)
                bottom.append(fg if ch in bottom_ink else bg)
        pixels += [top, bottom]
    return decode_pixels(pixels)


def _level(colour, default: int) -> int:
    if colour is None or colour.is_default:
        return default
    r, g, b = colour.get_truecolor()
    return round(0.299 * r + 0.587 * g + 0.114 * b)
