"""The wizard from its review on, with a code for 201 asked for: run by tests/test_console.py
in tmux, so the code screen is drawn by Textual's real driver on a real terminal.

Usage: python tests/codeapp.py OUTPUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from pbxwizard.app import WizardApp, default_flow

SITE = {"pairing.domain": "example.com", "pairing.server": "pbx.example.com"}


def code_app(out: Path, **options) -> WizardApp:
    """Review, write, done: Ctrl+N writes the files and the code, then Tab and Enter show it."""
    app = WizardApp(out, flow=[step for step in default_flow() if step.id in ("review", "write", "done")], **options)
    state = app.state
    state.folder.choose(out)
    state.settings.choose_preset("medium")
    for key, text in SITE.items():
        assert state.settings.set_text(key, text) is None
    state.pairing.set_pair(["201"])
    return app


def main(out: Path) -> int:
    code_app(out).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
