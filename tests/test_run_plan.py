"""The run core: a plan names every file a run writes, and executing it writes exactly those."""

import hashlib
import os

import pytest

from pbxwizard.errors import ConfigError
from pbxwizard.pairing.tokens import Store
from pbxwizard.run import execute as execute_module
from pbxwizard.run import plan as plan_module
from pbxwizard.run.execute import Secrets, execute
from pbxwizard.run.plan import CREATE, KEEP, NEW_HASH, REPLACE, UPDATE, make_plan
from pbxwizard.run.request import resolve
from pbxwizard.settings import presets

SITE = ["certificates.mode=local_ca", "certificates.dns_names=pbx.example.com", "certificates.key_type=ecdsa_p256",
        "pairing.domain=example.com", "pairing.server=pbx.example.com"]
PASSWORDS = {"security_admin": "Quokka-Harbour-Lantern-2026!", "administrator": "Velvet#Harbor#Mosaic#31",
             "business_partner": "Quiet-Lantern-Orbit-77x"}


@pytest.fixture
def store():
    return presets.load(include_user=False)


def _state(folder):
    """Every file under ``folder`` with a digest of its content and its inode."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                out[path] = (os.stat(path).st_ino, hashlib.sha256(handle.read()).hexdigest())
    return out


def _touched(before, after):
    return {p for p in after if before.get(p) != after[p]}


def _planned(plan):
    """What the plan says will be written: its files and folders (not the kept ones) and the backups."""
    files, folders = set(), []
    for change in plan.files:
        if change.action == KEEP:
            continue
        if change.folder:
            folders.append(str(change.path))
        else:
            files.add(str(change.path))
        if change.backup:
            files.add(str(change.backup))
    return files, folders


def _check_exact(plan, before, after, outcome):
    touched = _touched(before, after)
    files, folders = _planned(plan)
    inside = {p for p in touched if any(p.startswith(f + os.sep) for f in folders)}
    assert touched - inside == files, "written but not planned, or planned but not written"
    assert all(any(p.startswith(f + os.sep) for p in touched) for f in folders), "a planned folder got no file"
    assert {str(p) for p in outcome.written} == (touched - {p for p in touched if p.endswith(".bak")})


def test_the_plan_lists_exactly_what_executing_it_writes(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    resolved = resolve(store, preset="medium", assignments=SITE, certificates=True, pair=["201", "202"])
    plan = make_plan(resolved, out, new_passwords=PASSWORDS)
    assert not out.exists(), "making a plan writes nothing"
    assert [s.label for s in plan.steps] == ["settings", "certificate store and pairing codes", "answers file"]
    assert {f.action for f in plan.files} == {CREATE}
    outcome = execute(plan, Secrets(PASSWORDS), now=lambda: 1_800_000_000.0)
    _check_exact(plan, {}, _state(out), outcome)


def test_a_second_run_updates_keeps_and_replaces_what_it_says(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    first = resolve(store, preset="medium", assignments=SITE, certificates=True, pair=["201", "202"])
    made = execute(make_plan(first, out, new_passwords=PASSWORDS), Secrets(PASSWORDS)).made
    Store(out).revoke(next(token.id for token, _ in made.codes if token.extension == "202"))
    before = _state(out)
    again = resolve(store, preset="medium", assignments=[*SITE, "web.session_timeout=600"], certificates=True,
                    pair=["201", "202", "203"])
    plan = make_plan(again, out)
    assert _state(out) == before, "making a plan writes nothing"
    actions = {(f.role, f.path.name): f.action for f in plan.files}
    # 201's code is still valid and stays; 202's was revoked, so it is made again
    assert actions == {("settings", "security.toml"): UPDATE, ("certificate store", "certs"): KEEP,
                       ("pairing key", "pairing.key"): KEEP, ("pairing code", "201.png"): KEEP,
                       ("pairing code", "201.svg"): KEEP, ("pairing code", "202.png"): REPLACE,
                       ("pairing code", "202.svg"): REPLACE, ("pairing code", "203.png"): CREATE,
                       ("pairing code", "203.svg"): CREATE, ("answers", "answers.toml"): UPDATE}
    settings = plan.steps[0].files[0]
    changed = [line for line in settings.diff.splitlines() if line.startswith(("+", "-")) and " = " in line]
    assert changed[0].startswith("-changed = [") and changed[1].startswith('+changed = ["web.session_timeout", ')
    assert changed[2:] == ["-session_timeout = 1800", "+session_timeout = 600"]
    outcome = execute(plan)
    _check_exact(plan, before, _state(out), outcome)
    assert (out / "security.toml.bak").is_file() and (out / "answers.toml.bak").is_file()


def test_new_passwords_stand_masked_in_the_plan_and_are_hashed_by_execute(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    plan = make_plan(resolve(store, preset="maximum"), out, new_passwords=PASSWORDS)
    assert plan.settings_text.count(NEW_HASH) == 3
    assert not any(pw in plan.settings_text + plan.steps[0].files[0].diff for pw in PASSWORDS.values())
    assert "Quokka" not in repr(Secrets(PASSWORDS, b"a passphrase")) and "passphrase" in repr(Secrets())
    outcome = execute(plan, Secrets(PASSWORDS))
    text = (out / "security.toml").read_text()
    assert NEW_HASH not in text and set(outcome.config.accounts) == set(PASSWORDS)
    with pytest.raises(ValueError):  # the plan was made for three new passwords
        execute(plan, Secrets({"administrator": PASSWORDS["administrator"]}))


def test_a_plan_with_problems_writes_nothing(store, tmp_path):
    out = tmp_path / "out"
    plan = make_plan(resolve(store, preset="medium", pair=["201"]), out)
    assert [p.key for p in plan.problems] == ["pairing.domain", "pairing.server"]
    with pytest.raises(ConfigError):
        execute(plan)
    assert not out.exists()


def test_a_refused_password_stops_execute_before_the_first_write(store, tmp_path):
    out = tmp_path / "out"
    plan = make_plan(resolve(store, preset="maximum"), out, new_passwords=["administrator"])
    with pytest.raises(ConfigError, match="password refused"):
        execute(plan, Secrets({"administrator": "password"}))
    assert not out.exists()


def test_apply_and_the_wizard_both_run_through_make_plan_and_execute(run_cli, tmp_path, monkeypatch, fast_hashing):
    from pbxwizard.wizard.state import new_state

    calls = []
    real_plan, real_execute = plan_module.make_plan, execute_module.execute
    monkeypatch.setattr(plan_module, "make_plan", lambda *a, **k: calls.append("plan") or real_plan(*a, **k))
    monkeypatch.setattr(execute_module, "execute", lambda *a, **k: calls.append("execute") or real_execute(*a, **k))
    code, _, err = run_cli("apply", "--preset", "medium", "--output", str(tmp_path / "cli"))
    assert code == 0, err
    assert calls == ["plan", "execute"]
    calls.clear()
    state = new_state(tmp_path / "tui")
    state.settings.choose_preset("medium")
    state.mark_written(state.write(state.plan()))
    assert calls == ["plan", "execute"]
    assert (tmp_path / "tui" / "security.toml").read_bytes() == (tmp_path / "cli" / "security.toml").read_bytes()
