"""SVG snapshots of every step at 80x24 in the states that matter, kept in snapshots/.

Paths on screen sit under a fake home folder so they read ~/pbx on every machine; the
cursor does not blink and nothing animates, so a screen renders the same every time.
Refresh with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at each
changed SVG before committing it.
"""

from __future__ import annotations

import pytest

from pbxwizard.settings import catalog
from pbxwizard.app import WizardApp
from screens.done import DoneScreen
from screens.write import WriteScreen
from tuihelp import jump, until


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "pbx"


def at_step(step: str, preset: str = "maximum", keys: tuple[str, ...] = ()):
    """A run_before that opens ``step`` with ``preset`` chosen, then presses ``keys``.

    Walking there screen by screen is what the flow tests do; here only the picture counts.
    """

    async def run(pilot):
        app = pilot.app
        app.state.folder.choose(app.state.shared.output)
        app.state.settings.choose_preset(preset)
        await jump(pilot, step)
        await pilot.press(*keys)

    return run


def to_section(section: str, preset: str = "maximum", keys: tuple[str, ...] = ()):
    return at_step(f"settings.{section}", preset, keys)


def to_review(preset: str, keys: tuple[str, ...] = ()):
    """Types ``keys`` into the web step's first field, then opens the review."""

    async def run(pilot):
        await to_section("web", preset, keys)(pilot)
        await jump(pilot, "review")

    return run


def test_welcome_fresh_folder(snap_compare, out):
    assert snap_compare(WizardApp(out))


def test_welcome_resumes_an_existing_config(snap_compare, out, run_cli):
    run_cli("apply", "--preset", "medium", "--set", "web.session_timeout=600", "--output", str(out))
    assert snap_compare(WizardApp(out))


def test_welcome_existing_config_is_broken(snap_compare, out):
    out.mkdir()
    (out / "security.toml").write_text('[tls]\nmin_version = "1.3"\nmax_version = "1.2"\n\n[web]\nsession_timeout = -5\n')
    assert snap_compare(WizardApp(out))


def test_welcome_folder_is_a_file(snap_compare, out):
    out.write_text("not a folder")
    assert snap_compare(WizardApp(out), press=["ctrl+n"])


def test_preset_nothing_chosen_yet(snap_compare, out):
    assert snap_compare(WizardApp(out), press=["enter", "ctrl+n"])


def test_preset_with_user_presets(snap_compare, out, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(out.parent / ".config"))
    folder = out.parent / ".config" / "pbxwizard" / "presets"
    folder.mkdir(parents=True)
    (folder / "office.toml").write_text(
        '[preset]\ndescription = "Maximum, with week-long pairing codes"\nextends = "maximum"\n\n'
        '[pairing]\nbarcode_duration = "7d"\n')
    (folder / "broken.toml").write_text("[web]\nsession_timeout = 'soon'\n")
    assert snap_compare(WizardApp(out), press=["enter", "right", "right", "space"])


@pytest.mark.parametrize("section", [s.name for s in catalog.SECTIONS])
def test_settings_as_the_preset_has_them(snap_compare, out, section):
    assert snap_compare(WizardApp(out), run_before=to_section(section))


def test_settings_invalid_value_blocks_next(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_section("web", keys=("ctrl+u", *"12x", "ctrl+n")))


def test_settings_weakened_value_warns(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_section("web", keys=("ctrl+u", *"7200")))


def test_settings_contradiction_between_two_values(snap_compare, out):
    # medium's TLS minimum 1.2 raised to 1.3 (one down in the menu) against a maximum lowered to 1.2
    # (the maximum preset is 1.3 only, so medium is where the contradiction can be typed)
    keys = ("enter", "down", "enter", "tab", "enter", "up", "enter")
    assert snap_compare(WizardApp(out), run_before=to_section("tls", "medium", keys=keys))


def test_settings_list_editor_with_entries_and_a_bad_one(snap_compare, out):
    keys = (*"192.0.2.10", "enter", *"10.0.0.0/8x")
    assert snap_compare(WizardApp(out), run_before=to_section("access", keys=keys))


def test_review_with_findings(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_review("minimum", keys=("ctrl+u", *"7200")))


def test_review_of_the_maximum_preset(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_review("maximum"))


def test_write_that_failed(snap_compare, out):
    out.mkdir()
    (out / "answers.toml").mkdir()

    async def run(pilot):
        app = pilot.app
        await to_review("maximum")(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, WriteScreen) and not app.writing)

    assert snap_compare(WizardApp(out), run_before=run)


def test_done(snap_compare, out):
    async def run(pilot):
        app = pilot.app
        await to_review("maximum", keys=("ctrl+u", *"600"))(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, DoneScreen))

    assert snap_compare(WizardApp(out), run_before=run)


def test_help_for_the_focused_setting(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_section("pairing", keys=("f1",)))


def test_quit_asks_first(snap_compare, out):
    assert snap_compare(WizardApp(out), run_before=to_section("web", keys=("ctrl+q",)))


def test_linux_console_draws_with_ascii(snap_compare, out):
    assert snap_compare(WizardApp(out, plain=True), run_before=to_section("services", keys=("tab",)))


def test_linux_console_preset_cards(snap_compare, out):
    assert snap_compare(WizardApp(out, plain=True), press=["enter", "right", "space"])


def test_linux_console_without_colour(snap_compare, out, monkeypatch):
    """TERM=linux with NO_COLOR: the terminal's own colours, focus (on medium) in reverse video."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(WizardApp(out, plain=True), press=["enter", "right"])


def test_no_color(snap_compare, out, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(WizardApp(out), run_before=to_section("unsecured", preset="medium", keys=("space",)))
