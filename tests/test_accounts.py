"""Account passwords: hashes in security.toml, apply --passwords, audit, password-check."""

import os
import stat

import pytest

from pbxwizard.passwords import accounts, hashing
from pbxwizard.run import answers, request
from pbxwizard.settings import audit, tomlfile, presets
from pbxwizard.errors import ConfigError

STRONG = {
    "security_admin": "Sec-Admin-Pass-2024-zq!",
    "administrator": "Adm1n-Ho9se-Batt3ry-x",
    "business_partner": "Bu5iness-Partner-Pw-x",
    "system": "Sy5tem-Upgrade-Pass-kq",
    "monitor": "M0nitorTraceReader7q",  # letters and digits only
    "voicemail": "Vm-Pro-Link-2024-zq!",
}

pytestmark = pytest.mark.usefixtures("fast_hashing")


def _lines(mapping):
    return "".join(f"{k}={v}\n" for k, v in mapping.items())


def _all_text(folder):
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_account_names_live_in_one_place():
    assert accounts.NAMES == ("security_admin", "administrator", "business_partner", "system", "monitor", "voicemail")
    assert len(set(accounts.NAMES)) == len(accounts.NAMES)


def test_apply_with_passwords_stores_only_hashes(tmp_path, run_cli, stdin, with_store):
    stdin(_lines(STRONG))
    out = tmp_path / "out"
    code, stdout, err = run_cli("apply", "--preset", "maximum", "--passwords", "-", *with_store, "--output", str(out))
    assert code == 0, err
    path = out / "security.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = _all_text(out)
    for password in STRONG.values():
        assert password not in text and password not in stdout and password not in err
    config, _ = tomlfile.load_config(path, presets.load().values)
    assert set(config.accounts) == set(accounts.NAMES)
    for name, password in STRONG.items():
        assert hashing.verify_password(password, config.accounts[name])
    assert audit.account_findings(config) == []
    code, stdout, _ = run_cli("check", str(path))
    assert code == 0 and "accounts" not in stdout


def test_weak_password_refused_nothing_written(tmp_path, run_cli):
    secrets_file = tmp_path / "pw.txt"
    secrets_file.write_text(_lines({**STRONG, "administrator": "password"}))
    out = tmp_path / "out"
    code, stdout, err = run_cli("apply", "--preset", "medium", "--passwords", str(secrets_file), "--output", str(out))
    assert code == 2
    assert not out.exists()
    assert "pw.txt:2: accounts.administrator: password refused" in err
    assert "common passwords" in err
    assert "=password" not in err and "Adm1n" not in err


def test_existing_file_untouched_when_a_password_is_refused(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    stdin(_lines(STRONG))
    assert run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))[0] == 0
    before = (out / "security.toml").read_bytes()
    stdin("security_admin=short\n")
    code, _, err = run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))
    assert code == 2 and "short" not in err
    assert (out / "security.toml").read_bytes() == before


def test_password_file_problems(tmp_path, run_cli, stdin):
    stdin("security_admin=Sec-Admin-Pass-2024-zq!\nnobody=whatever\nsecurity_admin=again\njunk\n")
    code, _, err = run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(tmp_path / "o"))
    assert code == 2
    assert "(stdin):2: (line): unknown account name" in err and "nobody" not in err
    assert "(stdin):3: accounts.security_admin: given twice" in err
    assert "(stdin):4: (line): expected account=password" in err
    assert "whatever" not in err and "again" not in err


def test_reapply_keeps_hashes_and_refuses_an_earlier_password(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    stdin(_lines(STRONG))
    assert run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))[0] == 0
    assert run_cli("apply", "--preset", "maximum", "--output", str(out))[0] == 0  # no passwords given
    config, _ = tomlfile.load_config(out / "security.toml", presets.load().values)
    assert set(config.accounts) == set(accounts.NAMES), "a re-apply never drops a stored hash"
    stdin("administrator=" + STRONG["administrator"] + "\n")  # the current password again: its hash stays
    code, stdout, err = run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))
    assert code == 0 and "kept the stored hashes of administrator" in stdout, err
    again, _ = tomlfile.load_config(out / "security.toml", presets.load().values)
    assert again.accounts == config.accounts
    stdin("administrator=Brand-New-Adm1n-Pass-q\n")
    assert run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))[0] == 0
    config, _ = tomlfile.load_config(out / "security.toml", presets.load().values)
    assert hashing.verify_password("Brand-New-Adm1n-Pass-q", config.accounts["administrator"])
    (old,) = config.account_history["administrator"]
    assert hashing.verify_password(STRONG["administrator"], old)
    stdin("administrator=" + STRONG["administrator"] + "\n")  # an earlier password is still refused
    code, _, err = run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))
    assert code == 2 and "last 8 passwords" in err


def test_history_is_trimmed_to_the_limit():
    store = presets.load(include_user=False)
    resolved = request.resolve(store, preset="medium")  # previous_limit 4: current + 3 older
    config = resolved.config
    for i in range(6):
        config = accounts.set_passwords(config, {"administrator": f"Rotating-Pass-{i}-Qz"})
    history = config.account_history["administrator"]
    assert len(history) == 3
    assert hashing.verify_password("Rotating-Pass-4-Qz", history[0])
    with pytest.raises(ConfigError):
        accounts.set_passwords(config, {"administrator": "Rotating-Pass-2-Qz"})
    accounts.set_passwords(config, {"administrator": "Rotating-Pass-1-Qz"})  # five back: allowed again


def test_malformed_hash_is_a_problem_with_line(tmp_path, run_cli):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "maximum", "--output", str(out))[0] == 0
    path = out / "security.toml"
    text = path.read_text() + 'administrator = "hunter2"\n'
    path.write_text(text)
    line = text.splitlines().index('administrator = "hunter2"') + 1
    code, _, err = run_cli("check", str(path))
    assert code == 2
    assert f"{path}:{line}: accounts.administrator: not a password hash" in err
    assert "hunter2" not in err


def test_unknown_account_is_a_warning_and_kept(tmp_path, run_cli):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "maximum", "--output", str(out))[0] == 0
    path = out / "security.toml"
    stray = hashing.hash_password("whatever-it-was")
    path.write_text(path.read_text() + f'operator = "{stray}"\n')
    code, _, err = run_cli("check", str(path))
    assert code == 1 and "accounts.operator: unknown account" in err
    assert run_cli("apply", "--preset", "maximum", "--output", str(out))[0] == 0
    assert stray in path.read_text()


def test_audit_flags_missing_accounts():
    store = presets.load(include_user=False)
    config = request.resolve(store, preset="maximum").config
    (finding,) = audit.account_findings(config)
    assert finding.severity == "high" and finding.key == "accounts"
    assert finding.value == "security_admin, administrator, business_partner, system, monitor, voicemail"
    partial = config.with_accounts({"security_admin": hashing.hash_password("x")})
    assert audit.account_findings(partial)[0].value == "administrator, business_partner, system, monitor, voicemail"
    assert audit.account_findings(config.replace(**{"services.require_new_passwords": False})) == []
    assert finding.as_dict()["key"] == "accounts"


def test_answers_never_carry_accounts(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    stdin(_lines(STRONG))
    assert run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))[0] == 0
    store = presets.load()
    config, _ = tomlfile.load_config(out / "security.toml", store.values)
    text = answers.render_answers(config, store.values("medium"))
    assert "accounts" not in text and "$argon2id$" not in text
    code, _, err = run_cli("apply", "--answers", str(out / "security.toml"), "--output", str(tmp_path / "other"))
    assert code == 0 and "password hashes in an answers file are not used" in err
    assert "$argon2id$" not in (tmp_path / "other" / "security.toml").read_text()


def test_preset_with_accounts_is_rejected(tmp_path):
    text = '[preset]\ndescription = "x"\n[accounts]\nadministrator = "%s"\n' % hashing.hash_password("x")
    with pytest.raises(ConfigError, match="never password hashes"):
        presets.parse_preset(text, "bad", str(tmp_path / "bad.toml"))


# --- password-check ---------------------------------------------------------------------

def test_password_check_accepts_and_refuses(run_cli, stdin):
    stdin("Sec-Admin-Pass-2024-zq!\n")
    code, out, _ = run_cli("password-check", "--preset", "maximum")
    assert code == 0 and out.startswith("policy: preset maximum")
    assert "accepted" in out and "per-character sum" in out and "weak measure" in out
    assert "Sec-Admin-Pass-2024-zq!" not in out
    stdin("password\n")
    code, out, _ = run_cli("password-check", "--preset", "minimum")
    assert code == 1 and "refused" in out and "common passwords" in out


def test_password_check_keeps_spaces_and_json(run_cli, stdin):
    import json

    stdin(" ab c \r\n")
    code, out, _ = run_cli("password-check", "--preset", "minimum", "--json")
    data = json.loads(out)
    assert data["length"] == 6 and data["score"] == 3 * 26 + 3 * 28 and code == 1


@pytest.mark.parametrize("text,message", [("", "nothing on standard input"), ("one\ntwo\n", "more than one line")])
def test_password_check_bad_input(run_cli, stdin, text, message):
    stdin(text)
    code, _, err = run_cli("password-check", "--preset", "medium")
    assert code == 2 and message in err


def test_password_check_refuses_argv(run_cli, stdin):
    stdin("irrelevant\n")
    code, out, err = run_cli("password-check", "Hunter2-in-argv")
    assert code == 2 and "never taken from the command line" in err
    assert "Hunter2-in-argv" not in out + err


def test_password_check_uses_policy_file_and_history(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    stdin(_lines(STRONG))
    assert run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))[0] == 0
    stdin(STRONG["administrator"] + "\n")
    code, text, _ = run_cli("password-check", "--policy", str(out / "security.toml"), "--user", "administrator")
    assert code == 1 and "last 8 passwords" in text
    stdin("Fresh-Adm1n-Pass-2026\n")
    assert run_cli("password-check", "--policy", str(out / "security.toml"), "--user", "administrator")[0] == 0


def test_password_check_unknown_preset(run_cli, stdin):
    stdin("x\n")
    code, _, err = run_cli("password-check", "--preset", "nosuch")
    assert code == 2 and "unknown preset" in err


def test_password_file_mode_warning(tmp_path, run_cli):
    f = tmp_path / "pw.txt"
    f.write_text(_lines(STRONG))
    os.chmod(f, 0o644)
    code, _, err = run_cli("apply", "--preset", "medium", "--passwords", str(f), "--output", str(tmp_path / "o"))
    assert code == 0 and "delete it when done" in err


# --- each account's own rules (issue 12 item 3) ----------------------------------------------

def test_every_account_names_its_source_and_what_is_assumed():
    for account in accounts.ACCOUNTS:
        assert account.source and account.assumed, account.name
        assert 1 <= account.min_length <= account.max_length <= 31
    assert accounts.BY_NAME["security_admin"].source.startswith("001: ")  # the scenarios ask for it
    for name in ("system", "monitor", "voicemail"):  # the seeds do not name them
        assert accounts.BY_NAME[name].source.startswith("not in the source documents")
        assert "the seeds do not name" in accounts.BY_NAME[name].assumed


def test_min_length_stops_where_every_account_can_meet_it(run_cli, tmp_path):
    from pbxwizard.settings import catalog

    assert catalog.get("passwords.min_length").kind.maximum == accounts.MAX_LENGTH == 31
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "passwords.min_length=40",
                           "--output", str(tmp_path / "o"))
    assert code == 2 and "passwords.min_length" in err and "31" in err


@pytest.mark.parametrize("name, password, words", [
    ("security_admin", "Sec-Admin-Pass-2024-zq!-and-far-too-long-now", "has 44 characters; the account security_admin "
                                                                      "(Security administrator) allows 9 to 31"),
    ("security_admin", "Sh0rt-Pw", "has 8 characters; the account security_admin (Security administrator) allows 9 to 31"),
    ("administrator", "A" + "dm1n-Ho9se-Batt3ry-x" * 2, "the account administrator (Administrator service user) allows 1 to 31"),
    ("voicemail", "Vm1", "the account voicemail (Voicemail Pro password) allows 5 to 31"),
    ("voicemail", "Vm-Pro/Link 2024-zq", "does not accept; it takes any character except space and \\ / : * ? < > | , ;"),
    ("monitor", "M0nitor-Trace-Reader", "does not accept; it takes ASCII letters and digits only"),
    ("system", "Sy5tem-Upgräde-Pass", "does not accept; it takes printable ASCII"),
])
def test_account_rules_refuse_what_the_vendor_refuses(name, password, words):
    from pbxwizard.passwords import rules

    store = presets.load(include_user=False)
    config = request.resolve(store, preset="minimum", assignments=["passwords.min_length=0"]).config
    verdict = rules.check(password, accounts.policy_for(name, config), user=name)
    assert not verdict.accepted and any(words in f for f in verdict.failures), verdict.failures
    assert not any(password in f for f in verdict.failures)
    with pytest.raises(ConfigError, match=name):
        accounts.set_passwords(config, {name: password})


def test_apply_refuses_a_41_character_security_admin_password_under_maximum(tmp_path, run_cli, stdin):
    long = "Sec-Admin-Pass-2024-zq!-Quokka-Harbour-7x"
    assert len(long) == 41
    stdin(_lines({**STRONG, "security_admin": long}))
    code, _, err = run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(tmp_path / "o"))
    assert code == 2 and not (tmp_path / "o").exists()
    assert "(stdin):1: accounts.security_admin: password refused: it has 41 characters; the account " \
           "security_admin (Security administrator) allows 9 to 31 characters" in err
    assert long not in err


def test_password_check_user_takes_the_accounts_rules(run_cli, stdin):
    stdin("M0nitor-Trace-Reader\n")  # fine for an extension, not for the monitor account
    assert run_cli("password-check", "--preset", "medium", "--user", "ext201")[0] == 0
    stdin("M0nitor-Trace-Reader\n")
    code, out, _ = run_cli("password-check", "--preset", "medium", "--user", "monitor")
    assert code == 1 and "ASCII letters and digits only" in out
    assert "12 to 31 characters of ASCII letters and digits only" in out.splitlines()[0]
    stdin("M0nitorTraceReader7q\n")
    assert run_cli("password-check", "--preset", "medium", "--user", "monitor")[0] == 0


@pytest.mark.parametrize("name", accounts.NAMES)
def test_generated_passwords_meet_each_accounts_rules(name):
    from pbxwizard.passwords import generate, rules

    store = presets.load(include_user=False)
    for preset in ("minimum", "maximum"):
        policy = accounts.policy_for(name, request.resolve(store, preset=preset).config)
        for _ in range(20):
            password = generate.password(policy, user=name)
            assert rules.check(password, policy, user=name).accepted
            assert len(password) <= accounts.BY_NAME[name].max_length


def test_the_new_accounts_are_set_by_apply_and_flagged_while_on_factory_passwords(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    old = {k: STRONG[k] for k in ("security_admin", "administrator", "business_partner")}
    stdin(_lines(old))
    assert run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))[0] == 0
    code, stdout, _ = run_cli("check", str(out / "security.toml"))
    assert code == 1 and "system, monitor, voicemail" in stdout
    stdin(_lines({k: STRONG[k] for k in ("system", "monitor", "voicemail")}))
    assert run_cli("apply", "--preset", "medium", "--passwords", "-", "--output", str(out))[0] == 0
    config, _ = tomlfile.load_config(out / "security.toml", presets.load().values)
    assert hashing.verify_password(STRONG["voicemail"], config.accounts["voicemail"])
    assert audit.account_findings(config) == []
