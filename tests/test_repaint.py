"""screens/repaint.py: what moved while Textual's full map was stale is repainted."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens import repaint


class Lines(App):
    def compose(self):
        with VerticalScroll(id="lines"):
            for i in range(40):
                yield Static(f"line {i}", id=f"l{i}")


def _dirty_after_a_rebuild() -> tuple[set, object, tuple]:
    """Scroll once (Textual's fast path leaves the full map stale), let it draw, then scroll
    three lines and look up a widget off screen before the next frame, as moving the focus to
    a hidden field does. Returns the regions marked for the next frame, the region line 5 now
    has, and the compositor's layer and cut caches."""
    found = {}

    async def main():
        app = Lines()
        async with app.run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            scroll = app.query_one("#lines")
            scroll.scroll_to(y=1, animate=False, immediate=True)
            await pilot.pause()
            compositor = app.screen._compositor
            assert compositor._full_map_invalidated, "Textual no longer leaves the full map stale after a scroll"
            compositor._dirty_regions.clear()
            scroll.scroll_y = 4  # moved, not laid out yet
            app.screen.find_widget(app.query_one("#l39"))  # off screen: rebuilds the full map now
            found["dirty"] = set(compositor._dirty_regions)
            found["caches"] = (compositor._layers, compositor._layers_visible, compositor._cuts)
            found["line5"] = compositor.full_map[app.query_one("#l5")].region

    asyncio.run(main())
    return found["dirty"], found["line5"], found["caches"]


def test_a_rebuilt_full_map_marks_what_moved():
    repaint.install()
    dirty, line5, caches = _dirty_after_a_rebuild()
    assert any(region.contains_region(line5) for region in dirty), (line5, dirty)
    assert caches == (None, None, None), "a frame drawn now would use the old places"


def test_textual_alone_marks_nothing_there(monkeypatch):
    """The case the patch is for: without it the rebuild marks nothing, so the next full
    layout, which compares against the rebuilt map, repaints only what changed content. If
    this fails after a Textual upgrade, the upgrade may have fixed it: drop screens/repaint.py."""
    from textual._compositor import Compositor

    monkeypatch.setattr(Compositor, "full_map", property(repaint._REBUILD))
    dirty, _, caches = _dirty_after_a_rebuild()
    assert not dirty and caches[0] is not None


def test_install_twice_patches_once():
    from textual._compositor import Compositor

    repaint.install()
    first = Compositor.full_map
    repaint.install()
    assert Compositor.full_map is first and first.fget is repaint._full_map_marking_moves
