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


def generated_password(box) -> str:
    """The password the Generate button just showed in an account box (shown once only)."""
    text = str(box.query_one(".generated").render())
    assert text.startswith("Generated: "), text
    return text.splitlines()[0].removeprefix("Generated: ")


async def generate_passwords(pilot) -> dict[str, str]:
    """On the accounts step: Ctrl+G in each account's box; returns the passwords shown."""
    from screens.accounts import AccountBox

    app = pilot.app
    found = {}
    for box in list(app.screen.query(AccountBox)):
        box.query_one(".first").focus()
        await pilot.press("ctrl+g")
        found[box.account.name] = generated_password(box)
    return found


def without_hashes(text: str) -> str:
    """A security.toml with its (salted, so never equal) password hashes blanked out."""
    import re

    return re.sub(r'"\$(argon2id|scrypt)\$[^"]*"', '"HASH"', text)


def passwords_file(path, passwords: dict[str, str]):
    """``passwords`` as the account=password file `pbxwizard apply --passwords` reads."""
    path.write_text("".join(f"{name}={pw}\n" for name, pw in passwords.items()))
    path.chmod(0o600)
    return path
