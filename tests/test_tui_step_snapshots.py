"""SVG snapshots of the accounts, certificates and pairing steps and of what the write made,
at 80x24, kept in snapshots/test_tui_step_snapshots/.

Everything that would change from run to run is fixed: the clock (code expiry, certificate
dates), the pairing key and code ids, the CA's name tag; paths sit under a fake home so
they read ~/pbx. No password is ever on screen: the fields show one mark a character.
Refresh with `pytest tests/test_tui_step_snapshots.py --snapshot-update` and look at each
changed SVG before committing it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pbxwizard.pairing import tokens
from pbxwizard.app import WizardApp
from pbxwizard.certs import authority
from screens.code import CodeScreen
from screens.done import DoneScreen
from tuihelp import jump, until

NOW = 1_800_000_000.0
SITE = {"pairing.domain": "example.com", "pairing.server": "pbx.example.com",
        "certificates.dns_names": "pbx.example.com", "certificates.key_type": "ecdsa_p256"}


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "pbx"


@pytest.fixture
def fixed_secrets(out, monkeypatch):
    """The same pairing key, code id and CA name on every run."""
    out.mkdir(mode=0o700)
    (out / tokens.KEY_NAME).write_bytes(bytes(range(tokens.KEY_BYTES)))
    monkeypatch.setattr(tokens, "secrets", SimpleNamespace(token_bytes=lambda n: bytes(range(1, n + 1))))
    monkeypatch.setattr(authority, "store_tag", lambda: "a1b2c3")


def at_step(step: str, preset: str = "maximum", keys: tuple[str, ...] = (), values: dict[str, str] | None = None,
            then=None, typed=None):
    """Open ``step`` with ``preset`` and ``values``; ``typed(state)`` fills fields as typing would
    (each key press is a round trip through the app; the flow tests do the typing)."""

    async def run(pilot):
        app = pilot.app
        state = app.state
        state.folder.choose(state.shared.output)
        state.settings.choose_preset(preset)
        for key, text in (values or {}).items():
            assert state.settings.set_text(key, text) is None
        if typed:
            typed(state)
        await jump(pilot, step)
        await pilot.press(*keys)
        if then:
            await then(pilot)

    return run


def app_for(out, plain: bool = False) -> WizardApp:
    return WizardApp(out, plain=plain, clock=lambda: NOW)


def test_accounts_empty(snap_compare, out):
    assert snap_compare(app_for(out), run_before=at_step("accounts"))


def test_accounts_weak_password_with_its_failed_rules(snap_compare, out):
    def typed(state):
        state.accounts.set_texts("security_admin", "password", "pass")

    assert snap_compare(app_for(out), run_before=at_step("accounts", keys=("tab", "end"), typed=typed))


def test_accounts_on_the_linux_console(snap_compare, out):
    def typed(state):
        state.accounts.set_texts("security_admin", "Harbour-Quokka-Lantern", "Harbour-Quokka-Lantern")
        state.accounts.set_texts("administrator", "qwert", "")

    keys = ("tab", "tab", "tab", "end", "y")
    assert snap_compare(app_for(out, plain=True), run_before=at_step("accounts", keys=keys, typed=typed))


def test_accounts_voicemail_refuses_what_its_server_refuses(snap_compare, out):
    """Issue 12: each account shows its own range and characters, and a refusal names them."""
    def typed(state):
        state.accounts.set_texts("voicemail", "Vm Pro/Link-2024-Quokka-Harbour-7", "")

    async def then(pilot):
        pilot.app.screen.query_one("#account-voicemail .first").focus()
        await pilot.pause()

    assert snap_compare(app_for(out), run_before=at_step("accounts", typed=typed, then=then))


def test_settings_with_two_manager_identities(snap_compare, out):
    """Issue 12: one manager certificate per name in certificates.manager_identities."""
    async def then(pilot):
        field = pilot.app.screen.query_one("#field-certificates-manager_identities")
        field.query("Input").first().focus()
        await pilot.pause()

    values = {"certificates.manager_identities": "office laptop"}
    assert snap_compare(app_for(out), run_before=at_step("settings.certificates", values=values, then=then))


def test_certificates_not_now(snap_compare, out):
    assert snap_compare(app_for(out), run_before=at_step("certificates"))


def test_certificates_without_names(snap_compare, out):
    assert snap_compare(app_for(out), run_before=at_step("certificates", keys=("space", "ctrl+n")))


def test_certificates_ready_with_a_passphrase(snap_compare, out):
    def typed(state):
        state.certificates.set_make(True)
        state.certificates.set_texts("Kettle-Owl-9", "Kettle-Owl-")

    keys = ("tab", "tab", "end", "9")
    values = {"certificates.dns_names": "pbx.example.com", "certificates.ip_addresses": "192.0.2.10"}
    assert snap_compare(app_for(out), run_before=at_step("certificates", keys=keys, values=values, typed=typed))


def test_pairing_without_domain_and_server(snap_compare, out):
    assert snap_compare(app_for(out), run_before=at_step("pairing"))


def test_pairing_codes_without_expiry_are_not_offered(snap_compare, out):
    values = {**SITE, "pairing.barcode_duration": "off"}
    assert snap_compare(app_for(out), run_before=at_step("pairing", values=values))


def test_pairing_with_extensions_and_a_bad_one(snap_compare, out):
    def typed(state):
        state.pairing.set_pair(["201", "202", "203"])

    assert snap_compare(app_for(out), run_before=at_step("pairing", values=SITE, keys=tuple("2 04!"), typed=typed))


def made(scroll_to: str = "", keys: tuple[str, ...] = ()):
    """Write a medium-preset run with a local CA store and a code for 201, then look at the result."""

    async def then(pilot):
        app = pilot.app
        await jump(pilot, "review")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, DoneScreen), "the done screen")
        if scroll_to:
            app.screen.query_one(scroll_to).scroll_visible(top=True, animate=False, immediate=True)
        await pilot.press(*keys)

    async def run(pilot):
        app = pilot.app
        app.state.certificates.set_make(True)
        app.state.pairing.set_pair(["201"])
        await at_step("certificates", "medium", values=SITE, then=then)(pilot)

    return run


def test_done_with_the_store_checks(snap_compare, out, fixed_secrets):
    assert snap_compare(app_for(out), run_before=made(scroll_to="#checks"))


async def show_code(pilot):
    await made(keys=("tab", "enter"))(pilot)
    await until(pilot, lambda: isinstance(pilot.app.screen, CodeScreen), "the code")


def test_pairing_code_shown(snap_compare, out, fixed_secrets):
    assert snap_compare(app_for(out), run_before=show_code)


def test_pairing_code_on_the_linux_console(snap_compare, out, fixed_secrets):
    """Half blocks there too: the console's fonts have them, and 80x24 holds the whole code."""
    assert snap_compare(app_for(out, plain=True), run_before=show_code)


def test_pairing_code_too_big_for_the_terminal(snap_compare, out, fixed_secrets):
    """No cut-off code: what to do instead, in full."""
    assert snap_compare(app_for(out, plain=True), run_before=show_code, terminal_size=(60, 18))
