"""The Linux console's look: ASCII glyphs, the terminal's own 16 colours, and no colour at all
under NO_COLOR.

The wizard takes it on when ``app.plain`` (TERM=linux, or PBXWIZARD_PLAIN set): the
``-plain`` class on the app selects the rules in console.tcss, the theme is ``THEME``, the
scrollbars are ``AsciiScrollBarRender`` and the line filters are ``line_filters``.

Why the filters: Textual chooses its NO_COLOR filter when the app is made, while the theme is
still its truecolour default, so it takes the one that greys every colour (``Monochrome``). An
ANSI theme's colours carry no RGB value (``ansi_blue`` is 0,0,0 plus an index), so that filter
turns every one of them black: the console showed black text on a black background
(``ESC[30;40m``). ``line_filters`` puts Textual's ``NoColor`` in its place whenever the theme
is ANSI: default foreground on default background. Whatever colour would tell (focus, the
chosen preset, the title) console.tcss tells with reverse video and bold as well, so it reads
the same with and without NO_COLOR.
"""

from __future__ import annotations

from math import ceil
from typing import Sequence

from rich.segment import Segment, Segments
from rich.style import Style
from textual.filter import LineFilter, Monochrome, NoColor
from textual.scrollbar import ScrollBarRender
from textual.theme import BUILTIN_THEMES, Theme

_ANSI_DARK = BUILTIN_THEMES["ansi-dark"]

THEME = Theme(
    name="pbxwizard-console",
    ansi=True,
    primary=_ANSI_DARK.primary,
    secondary=_ANSI_DARK.secondary,
    warning=_ANSI_DARK.warning,
    error=_ANSI_DARK.error,
    success=_ANSI_DARK.success,
    accent=_ANSI_DARK.accent,
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **_ANSI_DARK.variables,
        # ansi-dark draws these black, which is the console's background: grey shows
        "border-blurred": "ansi_bright_black",
        # the highlighted option of a list or drop-down: a white bar, and bold and underlined
        # for NO_COLOR, which takes the bar away (these widgets' styles have no reverse video)
        "block-cursor-text-style": "bold underline",
        # the text cursor by reverse video of the terminal's own colours, which NO_COLOR
        # leaves visible (a white-on-black cursor turns default-on-default there)
        "input-cursor-foreground": "ansi_default",
        "input-cursor-background": "ansi_default",
        "input-cursor-text-style": "reverse",
        "button-focus-text-style": "bold reverse",
    },
)

_NO_COLOR = NoColor()


def line_filters(filters: Sequence[LineFilter], *, no_color: bool, ansi: bool) -> list[LineFilter]:
    """The app's line filters with NO_COLOR's greying swapped for no colour under an ANSI theme."""
    if not (no_color and ansi):
        return list(filters)
    return [_NO_COLOR if isinstance(f, Monochrome) else f for f in filters]


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars drawn with characters, not colour: a ``|`` rail (``-`` across) and a ``#``
    thumb. The Linux console's fonts lack the eighth blocks of the usual scrollbar, and under
    NO_COLOR a rail told by its background colour does not show at all; this one says that a
    page goes on whatever the colours."""

    RAIL = {True: "|", False: "-"}
    THUMB = "#"

    @classmethod
    def render_bar(cls, size: int = 25, virtual_size: float = 50, window_size: float = 20, position: float = 0,
                   thickness: int = 1, vertical: bool = True, back_color=None, bar_color=None) -> Segments:
        width = thickness if vertical else 1
        style = Style(color=bar_color, bgcolor=back_color)
        thumb_style = Style(color=bar_color, bgcolor=back_color, bold=True, meta={"@mouse.down": "grab"})
        segments = [Segment(" " * width, style)] * int(size)
        if window_size and size and virtual_size and size != virtual_size:
            thumb = max(1, min(size, ceil(window_size * size / virtual_size)))
            start = round((size - thumb) * min(1.0, position / max(1.0, virtual_size - window_size)))
            above = Style(color=bar_color, bgcolor=back_color, meta={"@mouse.down": "scroll_up"})
            below = Style(color=bar_color, bgcolor=back_color, meta={"@mouse.down": "scroll_down"})
            rail = cls.RAIL[vertical] * width
            segments = ([Segment(rail, above)] * start + [Segment(cls.THUMB * width, thumb_style)] * thumb
                        + [Segment(rail, below)] * (int(size) - start - thumb))
        if vertical:
            return Segments(segments, new_lines=True)
        return Segments((segments + [Segment.line()]) * thickness, new_lines=False)
