"""The same inputs on a folder that already holds their result write nothing.

No file is rewritten (same inode, same bytes), no new ``.bak`` appears, a password that
verifies against its stored hash keeps that hash, the certificate store stays and a pairing
code stays while it is valid for the configured domain, server and lifetime.
"""

import os
import stat

import pytest

from pbxwizard.run.execute import Secrets, execute
from pbxwizard.run.plan import CREATE, KEEP, REPLACE, UPDATE, make_plan
from pbxwizard.run.request import resolve
from pbxwizard.settings import presets, tomlfile

from test_run_plan import PASSWORDS, SITE, _check_exact, _state

NOW = 1_800_000_000.0


@pytest.fixture
def store():
    return presets.load(include_user=False)


def _run(store, out, *, passwords=None, pair=("201",), assignments=(), now=NOW):
    resolved = resolve(store, preset="medium", assignments=[*SITE, *assignments], certificates=True, pair=list(pair))
    plan = make_plan(resolved, out, new_passwords=dict(passwords or {}), now=now)
    before = _state(out)
    outcome = execute(plan, Secrets({n: passwords[n] for n in plan.new_passwords}), now=lambda: now)
    _check_exact(plan, before, _state(out), outcome)
    return plan, outcome


def test_the_same_inputs_twice_write_nothing_the_second_time(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    first, _ = _run(store, out, passwords=PASSWORDS)
    assert first.changed
    before = _state(out)
    plan, outcome = _run(store, out, passwords=PASSWORDS, now=NOW + 3600)
    assert not plan.changed
    assert {f.action for f in plan.files} == {KEEP}
    assert plan.new_passwords == () and set(plan.kept_passwords) == set(PASSWORDS)
    assert outcome.written == [] and _state(out) == before
    assert not (out / "security.toml.bak").exists() and not (out / "answers.toml.bak").exists()
    assert [token.extension for token, _ in outcome.made.codes] == ["201"], "a kept code is still shown"


def test_a_new_password_gets_a_new_hash_and_the_others_keep_theirs(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    _run(store, out, passwords=PASSWORDS)
    old = tomlfile.load(out / "security.toml").accounts
    changed = {**PASSWORDS, "administrator": "Copper-Meadow-Falcon-58!"}
    plan, outcome = _run(store, out, passwords=changed)
    assert plan.new_passwords == ("administrator",)
    assert set(plan.kept_passwords) == {"security_admin", "business_partner"}
    assert {f.role: f.action for f in plan.files}["settings"] == UPDATE
    assert outcome.config.accounts["security_admin"] == old["security_admin"]
    assert outcome.config.accounts["administrator"] != old["administrator"]


def test_a_kept_password_the_policy_now_refuses_stops_the_plan(store, tmp_path, fast_hashing):
    out = tmp_path / "out"
    short = {"administrator": "Tidy-Owl-94!x"}  # 13 characters: medium allows 12, the override below 15
    _run(store, out, passwords=short)
    resolved = resolve(store, preset="medium", assignments=[*SITE, "passwords.min_length=15"])
    plan = make_plan(resolved, out, new_passwords=short)
    assert plan.kept_passwords == ("administrator",)
    assert [p.key for p in plan.problems] == ["accounts.administrator"]
    assert "password refused" in plan.problems[0].message and "Tidy" not in str(plan.problems[0])


@pytest.mark.parametrize("change,why", [
    ({"now": NOW + 4 * 86400}, "expired"),                                      # medium: codes last 3 days
    ({"assignments": ["pairing.server=pbx2.example.com"]}, "another server"),
    ({"assignments": ["pairing.barcode_duration=1h"]}, "a shorter lifetime"),
])
def test_a_code_is_made_again_when_it_no_longer_fits(store, tmp_path, change, why):
    out = tmp_path / "out"
    _, first = _run(store, out)
    plan, outcome = _run(store, out, **change)
    actions = {f.path.name: f.action for f in plan.files if f.role == "pairing code"}
    assert actions == {"201.png": REPLACE, "201.svg": REPLACE}, why
    assert outcome.made.codes[0][0].id != first.made.codes[0][0].id


def test_a_code_file_without_its_token_is_made_again(store, tmp_path):
    out = tmp_path / "out"
    _run(store, out)
    (out / "pairing" / "201.svg").write_text("<svg/>")
    plan, _ = _run(store, out)
    assert {f.path.name: f.action for f in plan.files if f.role == "pairing code"} == {
        "201.png": REPLACE, "201.svg": REPLACE}


def test_a_loose_folder_counts_as_a_change_and_is_tightened(store, tmp_path):
    out = tmp_path / "out"
    _run(store, out)
    os.chmod(out, 0o755)
    plan, outcome = _run(store, out)
    assert plan.changed and {f.action for f in plan.files} == {KEEP}
    assert any("0755" in note for note in outcome.notes)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert not _run(store, out)[0].changed


def test_apply_twice_says_unchanged_and_leaves_the_files_alone(run_cli, tmp_path, fast_hashing):
    out = tmp_path / "out"
    secrets = tmp_path / "pw.txt"
    secrets.write_text("".join(f"{name}={password}\n" for name, password in PASSWORDS.items()))
    os.chmod(secrets, 0o600)
    argv = ("apply", "--preset", "maximum", "--set", "web.session_timeout=600", "--passwords", str(secrets),
            "-o", str(out))
    code, stdout, stderr = run_cli(*argv)
    assert code == 0, stderr
    assert stdout.startswith("wrote ") and "stored argon2id hashes of 3 new passwords" in stdout
    before = _state(out)
    code, stdout, stderr = run_cli(*argv)
    assert code == 0, stderr
    assert stdout.startswith(f"unchanged: {out} already holds this run's result")
    assert "kept the stored hashes of security_admin, administrator, business_partner" in stdout
    assert _state(out) == before and not (out / "security.toml.bak").exists()
    code, stdout, _ = run_cli(*argv[:4], "web.session_timeout=900", *argv[5:])
    assert code == 0 and stdout.startswith(f"wrote {out / 'security.toml'}")
    assert (out / "security.toml.bak").is_file() and {f.action for f in make_plan(
        resolve(presets.load(include_user=False), answers=out / "answers.toml"), out).files} == {KEEP}


def test_a_fresh_folder_still_plans_every_file_as_created(store, tmp_path):
    plan = make_plan(resolve(store, preset="medium", assignments=SITE, certificates=True, pair=["201"]),
                     tmp_path / "new")
    assert plan.changed and {f.action for f in plan.files} == {CREATE}
