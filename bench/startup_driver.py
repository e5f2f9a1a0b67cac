"""Start one app headless, exit as soon as its first screen is ready, print peak RSS.

Usage: python -m bench.startup_driver bare|pbxwizard OUTPUT_DIR
Both apps go through this same driver, so they start the same way.
"""

from __future__ import annotations

import resource
import sys


def bare_app():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

    return Bare()


def pbxwizard_app(output: str):
    from pathlib import Path

    from pbxwizard.app import WizardApp

    return WizardApp(Path(output))


def main() -> None:
    which, output = sys.argv[1], sys.argv[2]
    app = bare_app() if which == "bare" else pbxwizard_app(output)

    async def exit_when_ready(pilot) -> None:
        # Textual starts the autopilot from its ready callback: the first screen is composed and shown
        await pilot.pause()
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=exit_when_ready)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
