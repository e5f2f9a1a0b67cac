"""The wizard driven by keys through Textual's Pilot at 80x24, one test per path a user takes."""

from __future__ import annotations

import pytest

from pbxwizard.passwords.accounts import ACCOUNTS
from pbxwizard.settings import catalog, presets
from pbxwizard.app import EXIT_NOTHING_WRITTEN, EXIT_WRITTEN, WizardApp
from screens.done import DoneScreen
from screens.help import HelpScreen
from screens.preset import PresetScreen
from screens.quit import QuitScreen
from screens.review import ReviewScreen
from screens.settings import SettingsScreen
from screens.welcome import WelcomeScreen
from screens.write import WriteScreen
from screens.accounts import AccountsScreen
from screens.certificates import CertificatesScreen
from screens.pairing import PairingScreen
from tuihelp import generate_passwords, jump, passwords_file, until, without_hashes


def on(app, kind, section=None):
    return lambda: isinstance(app.screen, kind) and (section is None or app.screen.section.name == section)


async def replace_text(pilot, text):
    await pilot.press("ctrl+u", *text)


async def to_settings(pilot, preset):
    """From the welcome screen to the first settings screen with ``preset`` chosen."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, on(app, PresetScreen), "the preset screen")
    await pilot.press(*["right"] * presets.BUILTIN.index(preset), "enter")
    await until(pilot, on(app, SettingsScreen), "the first settings screen")


async def to_review(pilot) -> dict[str, str]:
    """Through the settings, new passwords generated for every account, no certificates, no codes."""
    app = pilot.app
    while isinstance(app.screen, SettingsScreen):
        current = app.screen
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.screen is not current, "the next step")
    assert isinstance(app.screen, AccountsScreen)
    passwords = await generate_passwords(pilot)
    for kind in (AccountsScreen, CertificatesScreen, PairingScreen):
        assert isinstance(app.screen, kind)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not isinstance(app.screen, kind), "the next step")
    assert isinstance(app.screen, ReviewScreen)
    return passwords


def text_of(app, selector):
    return "\n".join(str(node.render()) for node in app.screen.query(selector))


@pytest.mark.parametrize("preset", presets.BUILTIN)
def test_each_preset_straight_through(preset, tmp_path, drive, run_cli, fast_hashing):
    out = tmp_path / "out"
    passwords = {}

    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, preset)
        passwords.update(await to_review(pilot))
        await pilot.press("ctrl+n")
        await until(pilot, on(app, DoneScreen), "the done screen")
        assert not app.writing
        await pilot.press("ctrl+n")  # Quit

    app = drive(WizardApp(out), script)
    assert app.return_value == EXIT_WRITTEN
    assert app.state.written == [out / "security.toml", out / "answers.toml"]
    secrets = passwords_file(tmp_path / "passwords.txt", passwords)
    code, _, err = run_cli("apply", "--preset", preset, "--passwords", str(secrets), "--output", str(tmp_path / "apply"))
    assert code == 0, err
    written = (out / "security.toml").read_text()
    assert written.count('"$argon2id$') == len(ACCOUNTS)
    assert without_hashes(written) == without_hashes((tmp_path / "apply" / "security.toml").read_text())
    assert f'preset = "{preset}"' in (out / "answers.toml").read_text()


def test_a_changed_setting_shows_in_review_and_in_the_files(tmp_path, drive, run_cli):
    out = tmp_path / "out"

    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "maximum")
        await replace_text(pilot, "7200")  # the focused field is the web session timeout
        field = app.screen.query_one("#field-web-session_timeout")
        assert field.has_class("-changed") and field.has_class("-weakened")
        assert "weaker than the maximum preset" in text_of(app, "#field-web-session_timeout .explain")
        await jump(pilot, "review")  # the way there is what the straight-through runs test
        assert "Web session timeout: 900 seconds -> 7200 seconds  WEAKER" in text_of(app, "#review .item")
        assert "Admin web sessions idle for over an hour" in text_of(app, "#review .why")
        await pilot.press("ctrl+n")
        await until(pilot, on(app, DoneScreen), "the done screen")

    drive(WizardApp(out), script)
    assert "session_timeout = 7200" in (out / "answers.toml").read_text()
    code, _, _ = run_cli("apply", "--answers", str(out / "answers.toml"), "--output", str(tmp_path / "replay"))
    assert code == 0
    assert (out / "security.toml").read_bytes() == (tmp_path / "replay" / "security.toml").read_bytes()


def test_an_invalid_value_blocks_next_with_its_message(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "medium")
        await replace_text(pilot, "12x")
        error = text_of(app, "#field-web-session_timeout .notes")
        assert "'12x' is not a whole number" in error
        screen = app.screen
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is screen
        assert "1 setting on this page needs fixing" in text_of(app, ".status")
        assert app.focused is screen.query_one("#field-web-session_timeout Input")
        await replace_text(pilot, "99999")
        assert "out of range" in text_of(app, "#field-web-session_timeout .notes")
        await replace_text(pilot, "1200")
        assert not screen.query_one("#field-web-session_timeout").has_class("-invalid")
        await pilot.press("ctrl+n")
        await until(pilot, on(app, SettingsScreen, "passwords"), "the passwords step")

    drive(WizardApp(tmp_path / "out"), script)


def test_back_and_forth_keeps_what_was_entered(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "minimum")
        web = app.screen
        await replace_text(pilot, "12x")  # even an invalid value is kept
        await pilot.press("escape")
        await until(pilot, on(app, PresetScreen), "the preset screen")
        await pilot.press("escape")
        await until(pilot, on(app, WelcomeScreen), "the welcome screen")
        await pilot.press("enter")
        await until(pilot, on(app, PresetScreen), "the preset screen")
        assert app.screen.query_one("#preset-minimum").has_class("-chosen")
        await pilot.press("enter")
        await until(pilot, on(app, SettingsScreen, "web"), "the web step")
        assert app.screen is not web
        assert app.screen.query_one("#field-web-session_timeout Input").value == "12x"
        await replace_text(pilot, "600")
        await pilot.press("ctrl+n")
        await until(pilot, on(app, SettingsScreen, "passwords"), "the passwords step")
        await pilot.press("enter", "down", "enter")  # strength: Medium -> High
        assert app.state.settings.values["passwords.strength"] == "high"
        await pilot.press("escape")
        await until(pilot, on(app, SettingsScreen, "web"), "the web step")
        assert app.screen.query_one("#field-web-session_timeout Input").value == "600"
        await pilot.press("ctrl+n")
        await until(pilot, on(app, SettingsScreen, "passwords"), "the passwords step")
        assert app.screen.query_one("#field-passwords-strength Select").value == "high"
        assert app.screen.query_one("#field-passwords-strength").has_class("-changed")

    drive(WizardApp(tmp_path / "out"), script)


def test_changing_the_preset_keeps_edits(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "minimum")
        await replace_text(pilot, "1200")
        await pilot.press("escape")
        await until(pilot, on(app, PresetScreen), "the preset screen")
        await pilot.press("right", "right", "enter")
        await until(pilot, on(app, SettingsScreen, "web"), "the web step")
        assert app.state.settings.preset == "maximum"
        assert app.screen.query_one("#field-web-session_timeout Input").value == "1200"
        assert app.screen.query_one("#field-web-login_token_validity Input").value == "7"

    drive(WizardApp(tmp_path / "out"), script)


def test_resuming_an_existing_config(tmp_path, drive, run_cli):
    out = tmp_path / "out"
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "web.session_timeout=600", "--output", str(out))
    assert code == 0, err
    (out / "security.toml").write_text("# my own note\n" + (out / "security.toml").read_text())

    async def script(pilot):
        app = pilot.app
        assert "will be resumed: preset medium, 1 setting changed" in text_of(app, "#folder-status")
        await pilot.press("enter")
        await until(pilot, on(app, PresetScreen), "the preset screen")
        assert app.screen.query_one("#preset-medium").has_class("-chosen")
        await pilot.press("ctrl+n")
        await until(pilot, on(app, SettingsScreen, "web"), "the web step")
        assert app.screen.query_one("#field-web-session_timeout Input").value == "600"
        assert "the medium preset has 1800 seconds" in text_of(app, "#field-web-session_timeout .notes")
        await jump(pilot, "review")
        assert "settings: unchanged, not written" in text_of(app, "#review .why")  # same values: kept as it is
        await pilot.press("ctrl+n")
        await until(pilot, on(app, DoneScreen), "the done screen")

    before = (out / "security.toml").read_text()
    drive(WizardApp(out), script)
    text = (out / "security.toml").read_text()
    assert text == before and text.startswith("# my own note\n") and "session_timeout = 600" in text
    assert not (out / "security.toml.bak").exists()


def test_a_list_is_edited_entry_by_entry(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "maximum")
        await jump(pilot, "settings.access")
        await pilot.press(*"10.0.0.0/8x")
        assert "not a valid CIDR network" in text_of(app, "#field-access-api_access_list .entry-error")
        await pilot.press("enter")
        assert app.state.settings.values["access.api_access_list"] == ()
        await replace_text(pilot, "192.0.2.10 10.20.0.0/16")
        await pilot.press("enter")
        assert app.state.settings.values["access.api_access_list"] == ("192.0.2.10", "10.20.0.0/16")
        field = app.screen.query_one("#field-access-api_access_list")
        assert field.has_class("-weakened")
        await pilot.press(*"localhost")
        await pilot.press("ctrl+n")  # typed but not added: Next waits
        assert "'localhost' is not added yet" in text_of(app, ".status")
        await pilot.press("ctrl+u", "tab")  # to the entries
        await pilot.press("delete")
        assert app.state.settings.values["access.api_access_list"] == ("10.20.0.0/16",)
        await until(pilot, lambda: app.focused is not None)
        await pilot.press("enter")  # take the entry back into the input
        assert app.state.settings.values["access.api_access_list"] == ()
        assert field.query_one(".add").value == "10.20.0.0/16"

    drive(WizardApp(tmp_path / "out"), script)


def test_quitting_asks_first_when_something_is_unsaved(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "medium")
        await pilot.press("ctrl+q")
        await until(pilot, on(app, QuitScreen), "the quit question")
        await pilot.press("n")
        await until(pilot, on(app, SettingsScreen), "back on the settings")
        await pilot.press("ctrl+c")
        await until(pilot, on(app, QuitScreen), "the quit question")
        await pilot.press("y")

    app = drive(WizardApp(tmp_path / "out"), script)
    assert app.return_value == EXIT_NOTHING_WRITTEN
    assert not (tmp_path / "out").exists()


def test_quitting_an_untouched_wizard_asks_nothing(tmp_path, drive):
    async def script(pilot):
        await pilot.press("ctrl+q")

    app = drive(WizardApp(tmp_path / "out"), script)
    assert app.return_value == EXIT_NOTHING_WRITTEN


def test_f1_explains_the_focused_setting(tmp_path, drive):
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "medium")
        await pilot.press("tab")  # to the TLS session duration
        await pilot.press("f1")
        await until(pilot, on(app, HelpScreen), "the help window")
        text = str(app.screen.query_one("#help-text Static").render())
        assert text.startswith("web.tls_session_duration: TLS session duration")
        assert "maximum: 1800" in text
        await pilot.press("escape")
        await until(pilot, on(app, SettingsScreen), "the settings again")

    drive(WizardApp(tmp_path / "out"), script)


def test_ctrl_l_repaints_the_whole_terminal_and_changes_nothing(tmp_path, drive):
    """The terminal gets one full frame (every row of the screen, not the changed parts), as
    after a resize; the step, the focus and the values stay as they were."""
    from textual._compositor import LayoutUpdate
    from textual.geometry import Region

    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "medium")
        await pilot.press("tab")
        await replace_text(pilot, "1200")
        screen, focused, values = app.screen, app.focused, dict(app.state.settings.values)
        shown = []
        display = app._display
        app._display = lambda on_screen, update: (shown.append(update), display(on_screen, update))[1]
        await pilot.pause()
        shown.clear()  # whatever the typing still had to draw
        await pilot.press("ctrl+l")
        await until(pilot, lambda: shown, "an update after Ctrl+L")
        assert [type(u) for u in shown] == [LayoutUpdate]
        assert shown[0].region == Region(0, 0, 80, 24)
        assert (app.screen, app.focused, dict(app.state.settings.values)) == (screen, focused, values)

    drive(WizardApp(tmp_path / "out"), script)


def test_a_failed_write_says_why_and_can_be_retried(tmp_path, drive):
    out = tmp_path / "out"
    out.mkdir()
    (out / "answers.toml").mkdir()  # a folder where a file must go: the write fails

    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "maximum")
        await jump(pilot, "review")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, WriteScreen) and not app.writing, "the failed write")
        await pilot.pause()
        assert "[!] answers file" in text_of(app, "#progress")
        assert "Writing failed" in text_of(app, ".status")
        (out / "answers.toml").rmdir()
        await pilot.press("ctrl+n")  # Retry
        await until(pilot, on(app, DoneScreen), "the done screen")

    app = drive(WizardApp(out), script)
    assert (out / "answers.toml").is_file()
    assert app.state.written


def test_every_step_survives_a_tiny_terminal(tmp_path, drive, fast_hashing):
    seen = []

    async def shrink(pilot):
        screen = pilot.app.screen
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert pilot.app.screen is screen
        seen.append(type(screen).__name__)

    async def script(pilot):
        app = pilot.app
        await shrink(pilot)
        await pilot.press("enter")
        await until(pilot, on(app, PresetScreen))
        await shrink(pilot)
        await pilot.press("enter")
        await until(pilot, on(app, SettingsScreen))
        while isinstance(app.screen, SettingsScreen):
            await shrink(pilot)
            current = app.screen
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen is not current)
        await generate_passwords(pilot)
        while not isinstance(app.screen, ReviewScreen):
            await shrink(pilot)
            current = app.screen
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen is not current)
        await shrink(pilot)
        await pilot.press("f1")
        await until(pilot, on(app, HelpScreen))
        await shrink(pilot)
        await pilot.press("escape", "ctrl+q")
        await until(pilot, on(app, QuitScreen))
        await shrink(pilot)
        await pilot.press("n", "ctrl+n")
        await until(pilot, on(app, DoneScreen))
        await shrink(pilot)

    drive(WizardApp(tmp_path / "out"), script)
    assert seen[:2] == ["WelcomeScreen", "PresetScreen"]
    assert seen.count("SettingsScreen") == len(catalog.SECTIONS)
    assert seen[-7:-4] == ["AccountsScreen", "CertificatesScreen", "PairingScreen"]
    assert seen[-4:] == ["ReviewScreen", "HelpScreen", "QuitScreen", "DoneScreen"]


def test_brackets_typed_anywhere_are_text_not_markup(tmp_path, drive):
    """Rich-style markup in what a user types must show as typed and never break the screen."""

    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "maximum")
        await replace_text(pilot, "[b]9")
        await pilot.press("ctrl+n")
        assert "'[b]9' is not a whole number" in text_of(app, ".status")
        assert "'[b]9'" in text_of(app, "#field-web-session_timeout .notes")
        await jump(pilot, "settings.access")
        await pilot.press("tab", "tab")  # past the API and CSTA lists to the User-Agents
        await pilot.press(*'"[red]scan"', "enter")
        assert "[red]scan" in app.state.settings.values["access.ignore_user_agents"]
        listing = app.screen.query_one("#field-access-ignore_user_agents EntryList")
        assert "[red]scan" in [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]

    drive(WizardApp(tmp_path / "out"), script)


def test_every_bound_key_on_every_step_never_crashes(tmp_path, drive, fast_hashing):
    """Each step is opened and every key bound on the app, the screen or the focused widget is
    pressed; dialogs it opens are closed again. Quitting keys are left out (tested above)."""
    from textual.binding import Binding

    quitting = {"ctrl+q", "ctrl+c"}
    pressed: dict[str, set[str]] = {}

    def keys_of(*holders) -> list[str]:
        out = []
        for holder in holders:
            for binding in getattr(holder, "BINDINGS", []):
                key = binding.key if isinstance(binding, Binding) else binding[0]
                out += [k.strip() for k in key.split(",") if k.strip() not in quitting]
        return out

    async def script(pilot):
        app = pilot.app
        await pilot.press("enter")  # a person reaches the later steps only after choosing a preset
        await until(pilot, on(app, PresetScreen))
        await pilot.press("right", "right", "enter")
        await until(pilot, on(app, SettingsScreen))
        for step in [s.id for s in app.flow]:
            if step in ("write", "done"):
                continue  # writing is its own test; these two are reached only through it
            await jump(pilot, step)
            screen = app.screen
            for key in dict.fromkeys(keys_of(app, screen, app.focused)):
                await pilot.press(key)
                await pilot.pause()
                while app.screen is not screen and len(app.screen_stack) > 1 and type(app.screen).__name__ in (
                        "HelpScreen", "QuitScreen", "CodeScreen"):
                    await pilot.press("escape")
                    await pilot.pause()
                pressed.setdefault(step, set()).add(key)
                assert app.is_running, f"{step}: {key} stopped the app"
                if app.screen is not screen:
                    break  # the key moved on (next/back); the step has been exercised

    drive(WizardApp(tmp_path / "out"), script)
    assert len(pressed) >= 12 and all("f1" in keys for keys in pressed.values())


def test_every_text_field_acts_on_keys_in_the_order_typed(tmp_path, drive):
    """Issue 11 item 3: every text field, the hidden ones too, is a TextInput, which runs its own
    Backspace at once (tests/test_text_input_pty.py types the bursts into a real terminal)."""
    from textual.widgets import Input
    from screens.widgets.text_input import TextInput

    kinds: dict[str, set[str]] = {}

    async def script(pilot):
        app = pilot.app
        app.state.folder.choose(app.state.shared.output)
        app.state.settings.choose_preset("maximum")
        for step in [s.id for s in app.flow if s.id not in ("write", "done")]:
            await jump(pilot, step)
            for field in app.screen.query(Input):
                kinds.setdefault(type(field).__name__, set()).add(step)
                assert isinstance(field, TextInput), f"{step}: {field!r}"

    drive(WizardApp(tmp_path / "out"), script)
    assert {"TextInput", "SecretInput"} <= set(kinds)


def test_a_message_below_goes_when_its_value_is_fixed(tmp_path, drive):
    """Issue 11 item 6: the status line kept "'abc' is not a whole number" after that value was
    fixed while another one on the page was still wrong; now it says what still holds Next up."""
    async def script(pilot):
        app = pilot.app
        await to_settings(pilot, "medium")
        await replace_text(pilot, "abc")
        await pilot.press("tab", "ctrl+u", *"x9")  # the TLS session duration
        await pilot.press("ctrl+n")
        assert "2 settings on this page need fixing. Web session timeout: 'abc'" in text_of(app, ".status")
        assert app.focused is app.screen.query_one("#field-web-session_timeout Input")
        await replace_text(pilot, "1200")
        status = text_of(app, ".status")
        assert "'abc'" not in status and "1 setting on this page needs fixing" in status
        assert app.focused is app.screen.query_one("#field-web-session_timeout Input")  # typing stays put
        await pilot.press("tab", "ctrl+u", *"3600")
        assert not app.screen.query_one(".status").has_class("-shown")

    drive(WizardApp(tmp_path / "out"), script)


def test_the_title_bars_count_the_steps_the_welcome_lists(tmp_path, drive):
    """Issue 11: "Step 1 of 16" stood above a list of 8 steps. Each title bar now counts the
    welcome's list: the settings pages are one step of it, numbered within it."""
    import re

    async def script(pilot):
        app = pilot.app
        listed = re.findall(r"^ (\d+)\. (.*)$", text_of(app, "#plan"), re.M)
        assert text_of(app, ".title-bar") == f"Welcome: {len(listed)} steps ahead"
        app.state.folder.choose(app.state.shared.output)
        app.state.settings.choose_preset("medium")
        for step in app.flow[1:]:
            if step.id in ("write", "done"):
                title = app.step_label(app.flow.index(step))  # reached only by writing
            else:
                await jump(pilot, step.id)
                title = text_of(app, ".title-bar")
            number, total = re.fullmatch(r"Step (\d+) of (\d+): .*", title).groups()
            assert int(total) == len(listed), title
            line = listed[int(number) - 1][1]
            assert step.title in line and (not step.group or line.startswith(f"{step.group}:")), (title, line)
        assert app.step_label(2) == "Step 2 of 8: Settings, Web and login (1 of 10)"

    drive(WizardApp(tmp_path / "out"), script)


def shown_whole(widget) -> bool:
    """Every word of ``widget``'s text is on the screen inside the room it was given (nothing cut off)."""
    region = widget.region
    lines = widget.screen._compositor.render_strips()[region.y:region.bottom]
    drawn = " ".join(strip.crop(region.x, region.right).text for strip in lines)
    return drawn.split() == str(widget.render()).split()


def test_at_60x18_labels_keep_their_values_and_keys_their_words(tmp_path, drive):
    """Issue 11 item 9: at 60x18 "Make the certificate store when the files are wri" lost its
    value, the duration field its value and hint, the strength meter its words, the footer
    "quit" after Ctrl+Q; and a card scrolled out of view kept the focus after a resize."""
    from screens.certificates import CertificatesScreen

    async def script(pilot):
        app = pilot.app
        await pilot.press("enter")
        await until(pilot, on(app, PresetScreen))
        await pilot.press("right", "right", "enter")
        await until(pilot, on(app, SettingsScreen))
        await pilot.resize_terminal(60, 18)  # made smaller while the preset screen waits underneath
        await pilot.pause()
        hints = app.screen.query_one("NavBar .hints")
        assert shown_whole(hints) and str(hints.render()).endswith("Ctrl+Q quit")
        await pilot.press("escape")
        await until(pilot, on(app, PresetScreen))
        cards = app.screen.query_one("#cards")
        await until(pilot, lambda: cards.region.contains_region(app.focused.region), "the focused card in view")
        assert app.focused.id == "preset-maximum"

        await jump(pilot, "settings.pairing")
        field = app.screen.query_one("#field-pairing-barcode_duration")
        assert field.query_one(".input").size.width >= 10
        assert shown_whole(field.query_one(".unit"))
        await jump(pilot, "accounts")
        assert shown_whole(app.screen.query_one("#account-security_admin StrengthMeter"))
        await jump(pilot, "certificates")
        label = app.screen.query_one("#make-label")
        assert str(label.render()).endswith(": off") and shown_whole(label)

    drive(WizardApp(tmp_path / "out"), script)
