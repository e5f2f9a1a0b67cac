"""A repaint that Textual 8.2.8 can miss, put back.

After a scroll Textual lays out only what is on screen and marks its full map of widget
positions stale. Looking up a widget that is not on screen (moving the focus to a field
outside the view does) rebuilds that map on the spot, with every widget where it is now,
and without marking what moved. The next full layout compares its result with that map, so
a widget that moved (scrolled, or pushed down by a line that appeared above it) while its
content stayed the same is not drawn again, and the terminal keeps rows of the previous
view. Seen in the tmux run of the accounts step, once in ten runs or so; the pane's output,
replayed into a terminal emulator (pyte), gave exactly the stale picture: after the scroll
the app drew only the fields whose text changed and the scrollbar.

``install`` makes the rebuild mark what moved since the map it replaces, as a full layout
does, and drop the layer and cut caches drawn from the old map (Textual keeps them, so a
frame drawn before the next layout would put new content in old places), so the next frame
repaints what moved where it now is. It patches a private property of the Textual version
pinned in pyproject.toml; tests/test_repaint.py fails if a new version no longer has it.
"""

from __future__ import annotations

from textual._compositor import Compositor

_REBUILD = Compositor.full_map.fget


def _full_map_marking_moves(self: Compositor):
    if self.root is None or not self._full_map_invalidated:
        return _REBUILD(self)
    old = self._full_map
    new = _REBUILD(self)
    changed = new.items() ^ old.items()
    if changed:
        self._layers = self._layers_visible = self._cuts = None  # drawn from the old places otherwise
        if self.size.region not in self._dirty_regions:
            moved = (geometry.clip.intersection(geometry.region) for _, geometry in changed)
            self._dirty_regions.update(region for region in moved if region)
    return new


def install() -> None:
    """Once per process (the property is the class's); a second call changes nothing."""
    if Compositor.full_map.fget is not _full_map_marking_moves:
        Compositor.full_map = property(_full_map_marking_moves, doc=Compositor.full_map.__doc__)
