"""A scroll area for reading (the review, the last step): the keys scroll it, and its focus shows.

Textual's ``scroll_down`` aims at ``scroll_target_y + 1`` but moves only after the next screen
refresh, so a run of Down keys faster than the refreshes (a held key, keys sent together) all aim
at the same line and the area stops short (40 Downs moved it one line). Here every scroll key
moves at once from where the one before it left, and a bar down the left edge shows when the
area has the focus.
"""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import VerticalScroll

from screens.widgets import css_beside


class KeyScroll(VerticalScroll):
    DEFAULT_CSS = css_beside(__file__)
    SCOPED_CSS = False  # its rules name the app's -plain class (the Linux console: an ASCII bar)

    def _move(self, lines: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=self.scroll_target_y + lines, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self._move(-1)

    def action_scroll_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-self.scrollable_content_region.height)

    def action_page_down(self) -> None:
        self._move(self.scrollable_content_region.height)
