"""The text field every step uses: Textual's ``Input`` with its own keys handled in order.

Textual 8.2.8 hands a key to the focused ``Input``, which inserts a printable one at once but
lets any other key bubble up, through every container, to the app, and only there runs the
binding it names (Backspace, Delete, Ctrl+U, Home, ...). When several keys arrive in one read,
as a fast typist's or a password manager's do over SSH, the printable keys behind a Backspace
reach the field before the Backspace's action does: ``abc<DEL>X`` ends as ``abc``. Here the
field runs its own bindings the moment the key reaches it, so the keys act in the order they
were typed. Keys the field does not bind (Ctrl+N, Esc, F1) bubble up as before.
tests/test_text_input_pty.py types such a burst into a real terminal to prove it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextInput(Input):
    def __init__(self, value: str = "", *, compact: bool = True, **options):
        super().__init__(value, compact=compact, **options)
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable and await self._run_own_binding(event.key):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    async def _run_own_binding(self, key: str) -> bool:
        """Run this field's binding for ``key`` now, as the app would have later; True when one ran.

        Priority bindings never get here: the app runs them before it hands the key out."""
        for binding in self._bindings.key_to_bindings.get(key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False
