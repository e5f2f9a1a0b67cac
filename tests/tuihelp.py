"""Helpers for the wizard's Pilot tests: wait for a condition, open a step directly."""

from __future__ import annotations


async def until(pilot, condition, what: str = "the condition") -> None:
    """Let the app process messages until ``condition()`` holds (no clock involved)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never reached: {what}")


async def jump(pilot, step: str) -> None:
    """Open ``step`` directly, for tests whose subject is that step rather than the way there."""
    app = pilot.app
    index = [s.id for s in app.flow].index(step)
    app.show_step(step)
    await until(pilot, lambda: app.screen.step_index == index, step)
    await pilot.pause()  # and mounted
