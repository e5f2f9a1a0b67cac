"""Issue 10, item 13: writing twice in one wizard run (Done, Esc, Review, Write).

The second write reuses the pairing codes the first made (same ids, the printable sheet
unchanged), the review says what the earlier write made, and the sheet always lists the
codes whose images lie beside it. A code that cannot stay (the domain changed) is revoked
before its replacement is made, and the sheet is made again for the new codes.
"""

from __future__ import annotations

import re
import time

import pytest

from pbxwizard.app import WizardApp
from pbxwizard.pairing import qr, tokens
from screens.code import CodeScreen
from screens.done import DoneScreen
from screens.review import ReviewScreen
from test_tui_steps import NOW, at, prepare, text_of, write_and_finish
from tuihelp import until

EXTENSIONS = ("201", "202")


def _sheet_ids(out) -> dict[str, str]:
    html = (out / "pairing" / "sheet.html").read_text()
    return dict(re.findall(r'<img src="([^"]+)\.svg".*?<small>id ([^<]+)</small>', html))


def _image_tokens(out, clock) -> dict[str, tokens.Token]:
    store = tokens.Store(out, now=clock)
    found = {}
    for ext in EXTENSIONS:
        payload = qr.payload_of((out / "pairing" / f"{ext}.svg").read_text())
        result = store.verify(payload)
        assert result.ok, (ext, result)
        found[ext] = result.token
    return found


async def _write_sheet_and_rewrite(pilot, change=None):
    """Write, show the first code and save the sheet; back to Done, Esc to Review
    (optionally changing a value on the way), and Write again."""
    app = pilot.app
    await write_and_finish(pilot)
    await pilot.press("tab", "enter")
    await until(pilot, at(app, CodeScreen), "the code")
    await pilot.press("s")
    assert "pairing/sheet.html" in text_of(app, "#sheet")
    pilot.first = {t.extension: t.id for t, _ in app.state.made.codes}
    await pilot.press("escape")
    await until(pilot, at(app, DoneScreen), "the done screen")
    if change:
        change(app)
    await pilot.press("escape")
    await until(pilot, at(app, ReviewScreen), "the review")
    pilot.review = text_of(app, "#review Static")
    await pilot.press("ctrl+n")
    await until(pilot, at(app, DoneScreen), "the done screen again")


@pytest.mark.parametrize("clock", [lambda: NOW, time.time], ids=["fixed clock", "real clock"])
def test_a_second_write_keeps_the_codes_and_the_sheet(tmp_path, drive, clock):
    out = tmp_path / "out"
    seen = {}

    async def script(pilot):
        prepare(pilot.app, "medium", pairing__domain="example.com", pairing__server="pbx.example.com")
        pilot.app.state.pairing.set_pair(list(EXTENSIONS))
        await _write_sheet_and_rewrite(pilot)
        seen.update(first=pilot.first, review=pilot.review)

    app = drive(WizardApp(out, clock=clock), script)
    images = _image_tokens(out, clock)
    assert {e: t.id for e, t in images.items()} == seen["first"]  # the same codes: nothing new to hand out
    assert _sheet_ids(out) == seen["first"]
    assert {t.id for t, _ in app.state.made.codes} == set(seen["first"].values())
    assert "Written earlier in this run" in seen["review"]
    assert "pairing codes for 201, 202" in seen["review"]


def test_a_code_that_cannot_stay_is_revoked_and_the_sheet_made_again(tmp_path, drive):
    out = tmp_path / "out"
    clock = lambda: NOW  # noqa: E731
    seen = {}

    def move(app):
        assert app.state.settings.set_text("pairing.domain", "example.org") is None

    async def script(pilot):
        prepare(pilot.app, "medium", pairing__domain="example.com", pairing__server="pbx.example.com")
        pilot.app.state.pairing.set_pair(list(EXTENSIONS))
        await _write_sheet_and_rewrite(pilot, change=move)
        seen.update(first=pilot.first, review=pilot.review)

    drive(WizardApp(out, clock=clock), script)
    images = _image_tokens(out, clock)
    assert all(t.domain == "example.org" for t in images.values())
    assert _sheet_ids(out) == {e: t.id for e, t in images.items()}  # the sheet lists the new images
    store = tokens.Store(out, now=clock)
    for ext, old in seen["first"].items():
        assert old != images[ext].id
        assert old in store.revoked(), ext  # the earlier code no longer pairs a phone
    assert "revoked when writing" in seen["review"]


def test_apply_revokes_the_code_it_replaces(tmp_path, run_cli):
    out = tmp_path / "out"
    argv = ["apply", "--preset", "medium", "--set", "pairing.domain=example.com", "--pair", "201", "-o", str(out)]
    assert run_cli(*argv, "--set", "pairing.server=pbx.example.com")[0] == 0
    first = qr.payload_of((out / "pairing" / "201.svg").read_text())
    code, stdout, err = run_cli(*argv, "--set", "pairing.server=pbx2.example.com")
    assert code == 0, err
    assert "revoked the codes these replace: 201" in stdout
    code, stdout, _ = run_cli("verify-token", first, "--output", str(out))
    assert code == 1 and "revoked" in stdout
