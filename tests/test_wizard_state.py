"""The wizard's state without a screen: parsing, presets, rules, resuming and writing."""

from __future__ import annotations

import pytest

from pbxwizard.settings import catalog, presets
from pbxwizard.errors import ConfigError
from pbxwizard.wizard.state import new_state


@pytest.fixture
def state(tmp_path):
    return new_state(tmp_path / "out", presets.load())


def test_choosing_a_preset_fills_every_field(state):
    state.settings.choose_preset("maximum")
    values = state.settings.presets.values("maximum")
    assert state.settings.values == values
    assert (state.settings.texts["access.ignore_user_agents"]
            == "friendly-scanner sipcli sipvicious VaxSIPUserAgent sundayddr iWar")
    assert state.settings.texts["web.session_timeout"] == "900"
    assert not state.settings.problems() and not state.settings.edited


def test_invalid_text_is_kept_and_reported(state):
    state.settings.choose_preset("medium")
    message = state.settings.set_text("web.session_timeout", "ten minutes")
    assert "not a whole number" in message
    assert state.settings.texts["web.session_timeout"] == "ten minutes"
    assert state.settings.section_problems("web") == {"web.session_timeout": message}
    assert state.settings.section_problems("tls") == {}
    with pytest.raises(ConfigError) as err:
        state.settings.config()
    assert err.value.problems[0].key == "web.session_timeout"
    assert state.settings.set_text("web.session_timeout", "600") is None
    assert state.settings.config()["web.session_timeout"] == 600


def test_contradiction_between_settings_is_a_problem_of_the_first_key(state):
    state.settings.choose_preset("maximum")
    state.settings.set_text("tls.min_version", "1.3")
    state.settings.set_text("tls.max_version", "1.2")
    problems = state.settings.section_problems("tls")
    assert list(problems) == ["tls.min_version"]
    assert "above the maximum" in problems["tls.min_version"]


def test_edits_survive_a_change_of_preset(state):
    state.settings.choose_preset("minimum")
    state.settings.set_text("web.session_timeout", "1200")
    state.settings.choose_preset("maximum")
    assert state.settings.values["web.session_timeout"] == 1200
    assert state.settings.values["web.login_token_validity"] == 7  # not edited: follows maximum
    assert state.settings.differs("web.session_timeout") and not state.settings.differs("web.login_token_validity")


def test_weakening_follows_the_catalog(state):
    state.settings.choose_preset("maximum")
    state.settings.set_text("tls.rc4", "true")
    state.settings.set_text("web.session_timeout", "600")
    assert state.settings.weakens("tls.rc4")
    assert not state.settings.weakens("web.session_timeout")  # shorter than the preset's 900 is safer
    changes = {c.key: c for c in state.settings.changes()}
    assert changes["tls.rc4"].weaker and not changes["web.session_timeout"].weaker


def test_writes_what_apply_writes_from_the_answers_file(state, tmp_path, run_cli):
    state.folder.choose(tmp_path / "out")
    state.settings.choose_preset("maximum")
    state.settings.set_text("web.session_timeout", "600")
    state.settings.set_text("access.api_access_list", "192.0.2.10 10.20.0.0/16")
    state.settings.set_text("access.ignore_user_agents", 'friendly-scanner "SIP Call"')
    state.write(state.plan())
    out = tmp_path / "out"
    code, _, err = run_cli("apply", "--answers", str(out / "answers.toml"), "--output", str(tmp_path / "replay"))
    assert code == 0, err
    assert (out / "security.toml").read_bytes() == (tmp_path / "replay" / "security.toml").read_bytes()
    assert (out / "security.toml").stat().st_mode & 0o777 == 0o600


def test_an_existing_config_is_resumed_once(state, tmp_path, run_cli):
    out = tmp_path / "out"
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "web.session_timeout=600",
                           "--set", "tls.rc4=true", "--output", str(out))
    assert code == 0, err
    status = state.folder.choose(out)
    assert status.config is not None and "will be resumed" in status.message
    assert state.settings.preset == "medium" and state.folder.resumed_from == out / "security.toml"
    assert state.settings.edited == {"web.session_timeout", "tls.rc4"}
    assert state.settings.values["tls.rc4"] is True
    state.settings.set_text("web.session_timeout", "700")
    state.folder.choose(out)  # choosing the same folder again keeps what was typed since
    assert state.settings.values["web.session_timeout"] == 700


def test_folders_that_cannot_be_resumed_or_used(state, tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert not state.folder.inspect(a_file).usable
    assert not state.folder.inspect(a_file / "below").usable
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "security.toml").write_text("[web]\nsession_timeout = -5\n")
    status = state.folder.inspect(broken)
    assert status.usable and status.config is None
    assert status.problems[0].key == "web.session_timeout"
    assert "security.toml.bak" in status.message
    fresh = state.folder.inspect(tmp_path / "new")
    assert fresh.usable and "will be created" in fresh.message
    pasted = state.folder.inspect(tmp_path / "a\x00b")
    assert not pasted.usable and "cannot be used" in pasted.message


def test_preset_summaries_match_the_audit(state):
    from pbxwizard.settings import audit
    from pbxwizard.settings.config import build

    summaries = {s.name: s for s in state.settings.preset_summaries()}
    assert list(summaries) == state.settings.presets.names()
    for name, summary in summaries.items():
        found = [f for f in audit.findings(build(name, state.settings.presets.values(name))) if f.key in catalog.BY_KEY]
        assert summary.findings == {s: sum(1 for f in found if f.severity == s) for s in catalog.SEVERITIES}
    assert summaries["minimum"].findings["high"] > 0
    assert ("TLS minimum version", "TLS 1.3") in summaries["maximum"].changes


def test_passwords_are_hashed_into_the_config_and_forgotten(state, tmp_path, fast_hashing):
    from pbxwizard.passwords import accounts
    from pbxwizard.settings import tomlfile

    state.folder.choose(tmp_path / "out")
    state.settings.choose_preset("maximum")
    secret = "QuokkaHarbourLantern2026"  # letters and digits: the monitor account takes nothing else
    state.accounts.passwords = {name: f"{secret}{i}" for i, name in enumerate(accounts.NAMES)}
    state.mark_written(state.write(state.plan()))
    assert state.accounts.passwords == {}
    config, _ = tomlfile.load_config(tmp_path / "out" / "security.toml", state.settings.presets.values)
    assert accounts.missing(config) == []
    for path in (tmp_path / "out").iterdir():
        assert secret not in path.read_text(errors="replace"), path


def test_pairing_codes_asked_for_are_made_and_replayed(state, tmp_path, run_cli):
    from pbxwizard.run.extras import Extras

    out = tmp_path / "out"
    state.folder.choose(out)
    state.settings.choose_preset("medium")
    state.shared.extras = Extras(pair=("201",))
    assert [p.key for p in state.problems_before_writing()] == ["pairing.domain", "pairing.server"]
    state.settings.set_text("pairing.domain", "example.com")
    state.settings.set_text("pairing.server", "pbx.example.com")
    assert state.problems_before_writing() == []
    assert [s.label for s in state.plan().steps] == ["settings", "pairing codes", "answers file"]
    state.write(state.plan())
    assert (out / "pairing" / "201.svg").is_file()
    assert 'pair = ["201"]' in (out / "answers.toml").read_text()
    code, _, err = run_cli("apply", "--answers", str(out / "answers.toml"), "--output", str(tmp_path / "replay"))
    assert code == 0, err
    assert (tmp_path / "replay" / "security.toml").read_bytes() == (out / "security.toml").read_bytes()
    assert (tmp_path / "replay" / "pairing" / "201.svg").is_file()


def test_a_password_counts_once_accepted_and_typed_twice(state):
    state.settings.choose_preset("maximum")
    status = state.accounts.set_texts("administrator", "Kq7!Harbour-Owl", "Kq7!Harbour-Ow")
    assert status.verdict.accepted and not status.accepted
    assert status.problems == ["the two entries differ"] and "administrator" not in state.accounts.passwords
    assert state.accounts.set_texts("administrator", "Kq7!Harbour-Owl", "Kq7!Harbour-Owl").accepted
    assert state.accounts.passwords["administrator"] == "Kq7!Harbour-Owl"
    generated = state.accounts.generate("security_admin")
    assert state.accounts.status("security_admin").accepted and state.accounts.passwords["security_admin"] == generated
    assert state.accounts.waiting() == [f"{title}: give it a new password" for title in (
        "BusinessPartner service user", "System password", "Monitor password (SysMonitor)", "Voicemail Pro password")]
    state.settings.set_text("services.require_new_passwords", "false")
    assert state.accounts.waiting() == []
    assert generated not in repr(state) and "Kq7!Harbour-Owl" not in repr(state)  # memory only, never shown


def test_hashes_already_stored_need_no_new_password(state, tmp_path, run_cli, passwords_file, fast_hashing):
    from pbxwizard.passwords import accounts

    out = tmp_path / "out"
    code, _, err = run_cli("apply", "--preset", "medium", "--passwords", str(passwords_file), "--output", str(out))
    assert code == 0, err
    state.folder.choose(out)
    assert state.accounts.stored() == set(accounts.NAMES)
    assert state.accounts.waiting() == []
    assert not [f for f in state.report().findings if f.key == "accounts"]


def test_the_write_lists_every_file_the_store_and_codes_made(state, tmp_path):
    from pbxwizard.run.extras import Extras

    out = tmp_path / "out"
    state.folder.choose(out)
    state.settings.choose_preset("medium")
    for key, text in (("certificates.key_type", "ecdsa_p256"), ("certificates.dns_names", "pbx.example.com"),
                      ("pairing.domain", "example.com"), ("pairing.server", "pbx.example.com")):
        state.settings.set_text(key, text)
    state.shared.extras = Extras(True, ("201",))
    state.shared.clock = lambda: 1_800_000_000.0
    state.mark_written(state.write(state.plan()))
    written = state.written
    assert written[0] == out / "security.toml" and written[-1] == out / "answers.toml"
    assert out / "certs" / "identity" / "pbx-key.pem" in written and out / "pairing" / "201.png" in written
    on_disk = {p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".bak")}
    assert on_disk == set(written)
    assert not state.cert_report.failed
    assert state.pairing.expiry_text(state.made.codes[0][0]) == "expires in 3d 00:00:00 (at 2027-01-18 08:00 UTC)"
