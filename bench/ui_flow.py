"""UI: a Pilot run of the whole maximum flow at 80x24 (welcome to done: preset, pairing
settings, three generated passwords, an encrypted certificate store, one pairing code),
in wall time. A regression figure, not a target: it includes three argon2id hashes (tens of
milliseconds each by design) and the store's key generation.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import Result


async def _flow(pilot) -> None:
    from screens.accounts import AccountBox
    from screens.done import DoneScreen
    from screens.settings import SettingsScreen

    app = pilot.app

    async def until(condition) -> None:
        for _ in range(5000):
            if condition():
                return
            await pilot.pause()
        raise RuntimeError(f"the flow got stuck on {type(app.screen).__name__}")

    async def next_step() -> None:
        current = app.screen
        await pilot.press("ctrl+n")
        await until(lambda: app.screen is not current)

    await pilot.press("enter")
    await until(lambda: app.screen.step_index == 1)
    await pilot.press("right", "right", "enter")
    while not (isinstance(app.screen, SettingsScreen) and app.screen.section.name == "pairing"):
        await next_step()
    await pilot.press("tab", *"ex.lan", "tab", *"pbx.lan")
    while type(app.screen).__name__ != "AccountsScreen":
        await next_step()
    for box in list(app.screen.query(AccountBox)):
        box.query_one(".first").focus()
        await pilot.press("ctrl+g")
    await next_step()
    phrase = "Kettle-Owl-9"
    await pilot.press("space", "tab", *phrase, "tab", *phrase, "tab", *"pbx.lan", "enter")
    await next_step()
    await pilot.press(*"201", "enter")
    await next_step()
    await pilot.press("ctrl+n")  # write
    await until(lambda: isinstance(app.screen, DoneScreen))


def run() -> list[Result]:
    from pbxwizard.app import WizardApp

    with tempfile.TemporaryDirectory() as tmp:
        app = WizardApp(Path(tmp) / "out")

        async def main() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                await _flow(pilot)

        start = time.perf_counter()
        asyncio.run(main())
        seconds = time.perf_counter() - start
        written = (Path(tmp) / "out" / "pairing" / "201.png").is_file()
    return [Result("UI: whole maximum flow by Pilot (incl. 3 argon2id hashes)", seconds, "s", "", None,
                   "regression figure", None if written else False)]
