"""Issue 12: what an installer of either source system still needed (lockout, failed logins, accounts)."""

import json

import pytest

from certhelp import HOST
from pbxwizard.certs.layout import Layout
from pbxwizard.settings import audit, catalog, presets
from pbxwizard.settings.config import build

SECURE_HIGH = ["--set", "services.security_admin_level=secure_high",
               "--set", "services.configuration_level=secure_high"]
NAMES = ["--set", f"certificates.dns_names={HOST}", "--set", "certificates.key_type=ecdsa_p256"]


def builtin_values(name):
    return presets.load(include_user=False).values(name)


def _lockout(findings):
    return [f for f in findings if f["key"] == "manager_certificate"]


def test_secure_high_without_a_manager_certificate_is_high_and_apply_certs_makes_one(run_cli, tmp_path):
    # medium leaves client certificate checks at none: before, no manager certificate and no finding
    code, _, err = run_cli("apply", "--preset", "medium", *SECURE_HIGH, *NAMES, "-o", str(tmp_path))
    assert code == 0, err
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    (finding,) = _lockout(json.loads(out)["findings"])
    assert code == 1 and finding["severity"] == "high"
    assert finding["value"] == "none, for services.security_admin_level and services.configuration_level"
    assert "certs init" in finding["safer"]
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"))
    assert "HIGH   manager_certificate = none, for" in out and "shut out" in out

    fresh = tmp_path / "fresh"
    code, _, err = run_cli("apply", "--preset", "medium", *SECURE_HIGH, *NAMES, "--certs", "-o", str(fresh))
    assert code == 0, err
    assert Layout.for_output(fresh).manager.cert.is_file()
    code, out, _ = run_cli("check", str(fresh / "security.toml"), "--json")
    assert _lockout(json.loads(out)["findings"]) == []


def test_certs_init_makes_the_manager_certificate_for_one_service_at_secure_high(run_cli, tmp_path):
    code, out, err = run_cli("certs", "init", "--preset", "medium", *NAMES,
                             "--set", "services.configuration_level=secure_high", "-o", str(tmp_path))
    assert code == 0, err
    assert "management client certificate" in err
    assert Layout.for_output(tmp_path).manager.cert.is_file()


def test_the_audit_stays_silent_when_it_knows_nothing_of_the_folder():
    config = build("maximum", builtin_values("maximum"))
    assert not [f for f in audit.findings(config) if f.key == "manager_certificate"]
    missing = audit.findings(config, catalog.Facts(manager_certificate=False))
    assert [f.severity for f in missing if f.key == "manager_certificate"] == ["high"]
    assert not [f for f in audit.findings(config, catalog.Facts(manager_certificate=True))
                if f.key == "manager_certificate"]
    medium = build("medium", builtin_values("medium"))
    assert not [f for f in audit.findings(medium, catalog.Facts(manager_certificate=False))
                if f.key == "manager_certificate"], "no service at Secure, High"


def test_the_wizard_notes_the_reason_on_the_service_screen_and_reviews_the_store_it_will_make(tmp_path):
    from pbxwizard.wizard.state import new_state

    state = new_state(tmp_path / "out", presets.load(include_user=False))
    state.settings.choose_preset("medium")
    assert state.settings.notices() == {}
    state.settings.set_text("services.security_admin_level", "secure_high")
    (key, note), = state.settings.notices().items()
    assert key == "services.security_admin_level" and "certificate" in note
    keys = [f.key for f in state.report().findings]
    assert "manager_certificate" in keys, "no store in the folder and none to be made"
    state.certificates.set_make(True)
    assert "manager_certificate" not in [f.key for f in state.report().findings]


def test_failed_logins_have_a_limit_and_a_temporary_disable(run_cli):
    code, out, _ = run_cli("explain", "passwords.reject_limit")
    assert code == 0 and "0 to 255" in out
    code, out, _ = run_cli("explain", "passwords.reject_action")
    assert code == 0 and "log_and_temporary_disable" in out and "none (None)" in out
    code, out, _ = run_cli("explain", "passwords.temporary_disable_time")
    assert code == 0 and "seconds" in out


def test_maximum_moves_to_a_temporary_disable_with_its_reason():
    maximum = builtin_values("maximum")
    assert maximum["passwords.reject_action"] == "log_and_temporary_disable"
    assert maximum["passwords.temporary_disable_time"] == 300 and maximum["passwords.reject_limit"] == 3
    text = presets.builtin_texts()["maximum"]
    comment = text[:text.index('reject_action = "log_and_temporary_disable"')].rsplit("reject_limit", 1)[1]
    assert "NIST SP 800-63B-4" in comment and "rate limiting" in comment


def test_the_audit_flags_a_permanent_lockout_and_no_reaction_at_all(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "passwords.reject_action=log_and_disable_account",
                           "-o", str(tmp_path))
    assert code == 0, err
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    (finding,) = [f for f in json.loads(out)["findings"] if f["key"] == "passwords.reject_action"]
    assert finding["severity"] == "medium" and "rate limiting" in finding["why"] and finding["guidance"]
    assert finding["safer"] == "log_and_temporary_disable"
    config = build("medium", builtin_values("medium"), {"passwords.reject_action": "none", "passwords.reject_limit": 0})
    keys = {f.key: f.severity for f in audit.findings(config)}
    assert keys["passwords.reject_action"] == "medium" and keys["passwords.reject_limit"] == "medium"
    assert "passwords.reject_action" not in {f.key for f in audit.findings(build("maximum", builtin_values("maximum")))}


def test_reject_limit_out_of_the_vendor_range_is_refused_with_its_field(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "passwords.reject_limit=256", "-o", str(tmp_path))
    assert code == 2 and "passwords.reject_limit" in err and "256" in err and "255" in err
    assert not (tmp_path / "security.toml").exists()


def test_apply_check_counts_the_store_the_run_would_make(run_cli, tmp_path):
    code, out, _ = run_cli("apply", "--preset", "medium", *SECURE_HIGH, *NAMES, "--check", "--json", "-o", str(tmp_path))
    assert code == 0 and _lockout(json.loads(out)["findings"])
    code, out, _ = run_cli("apply", "--preset", "medium", *SECURE_HIGH, *NAMES, "--certs", "--check", "--json",
                           "-o", str(tmp_path))
    assert code == 0 and _lockout(json.loads(out)["findings"]) == []


def test_explain_names_the_source_in_words_and_the_system_that_honours_it(run_cli):
    code, out, _ = run_cli("explain", "passwords.min_complexity")
    out = out.replace("\n           ", " ")  # a long source line wraps with a hanging indent
    assert code == 0 and "001:" not in out
    assert "source:  the vendor's minimum / medium / maximum scenarios: Minimum Password Complexity" in out
    assert "honoured by: the vendor's management model" in out
    code, out, _ = run_cli("explain", "web.session_timeout")
    assert "source:  the PBX's System Security page: Web Session Timeout" in out
    assert "honoured by: the web PBX page" in out
    _, out, _ = run_cli("explain", "certificates.key_type")
    assert "honoured by: both" in out
    assert {s.honoured_by for s in catalog.SETTINGS} == set(catalog.SYSTEMS)


def test_the_readme_table_and_security_toml_say_which_system_honours_each_setting(run_cli, tmp_path):
    from pbxwizard.settings import docs

    table = docs.settings_table(presets.load(include_user=False))
    assert table.startswith("| key | setting | honoured by | allowed |")
    assert "| `passwords.reject_limit` | Password reject limit | vendor model |" in table
    assert "| `web.session_timeout` | Web session timeout | web PBX page |" in table
    assert run_cli("apply", "--preset", "medium", "-o", str(tmp_path))[0] == 0
    text = (tmp_path / "security.toml").read_text()
    before = text[:text.index("\nmin_complexity = ")].rsplit("\n\n", 1)[1]
    assert "Honoured by the vendor's management model" in " ".join(before.replace("# ", "").split())
    assert text.count("# Honoured by") + text.count("Honoured by") >= len(catalog.SETTINGS)


def test_the_texts_item_5_asked_to_fix():
    validity = catalog.get("certificates.validity_days").explain
    assert "any client accepts" not in validity and "public CAs" in validity and "private CA" in validity
    assert "localhost" in catalog.get("access.ignore_unknown_domains").explain
    assert "pbxwizard's own reading" in catalog.get("passwords.strength").explain
    complexity = catalog.get("passwords.min_complexity").explain
    assert "NIST SP 800-63B-4" in complexity and "Set low to lift it" in complexity


def test_a_passphrase_refused_by_the_vendors_composition_rule_says_so_and_how_to_lift_it(run_cli, stdin):
    stdin("correct horse battery staple\n")
    code, out, _ = run_cli("password-check", "--preset", "maximum", "--json")
    result = json.loads(out)
    assert code == 1 and not result["accepted"]
    (failure,) = [f for f in result["failures"] if "character classes" in f]
    assert "NIST SP 800-63B-4 advises against" in failure and "passwords.min_complexity = low" in failure
    stdin("correct horse battery staple\n")
    code, out, _ = run_cli("password-check", "--preset", "maximum")
    assert code == 1 and "passwords.min_complexity = low lifts it" in out
