"""The Back and Next buttons of every step's bar: Textual's ``Button`` with only the styles they use.

Button's own styles (7 kB: every variant, flat and default, colour and ANSI) are parsed when
the first Button is shown, and the bar is on the first screen: start-up paid about 5 % for
rules these two buttons never match. ``inherit_css=False`` leaves them out, so the type
selector is ``NavButton``, not ``Button`` (navbar.tcss and console.tcss say so); in Python it
is still a Button (its events, ``query_one(..., Button)``).
"""

from __future__ import annotations

from textual.widgets import Button

from screens.widgets import css_beside


class NavButton(Button, inherit_css=False):
    DEFAULT_CSS = css_beside(__file__)
