import re
from pathlib import Path

import pytest

from pbxwizard.settings import catalog, presets
from pbxwizard.settings.docs import refresh

ROOT = Path(__file__).resolve().parent.parent


def test_keys_are_unique_and_sections_known():
    keys = [s.key for s in catalog.SETTINGS]
    assert len(keys) == len(set(keys))
    sections = {s.name for s in catalog.SECTIONS}
    assert {s.section for s in catalog.SETTINGS} == sections


@pytest.mark.parametrize("setting", catalog.SETTINGS, ids=lambda s: s.key)
def test_every_setting_is_complete(setting):
    assert setting.title and setting.source
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", setting.explain.strip()) if x]
    assert 1 <= len(sentences) <= 3, setting.explain
    # the default must be a value the setting itself accepts, and survive its own round trip
    assert setting.kind.from_toml(setting.kind.to_toml(setting.default)) == setting.default
    assert setting.kind.from_text(setting.kind.to_text(setting.default)) == setting.default
    for check in setting.checks:
        assert check.severity in catalog.SEVERITIES
        assert not check.weak(check.safer), f"{setting.key}: the safer value is itself flagged"


def test_documented_defaults():
    get = lambda k: catalog.get(k).default  # noqa: E731
    assert get("web.session_timeout") == 3600
    assert get("web.login_token_validity") == 30
    assert get("web.login_history") == 14
    assert get("passwords.strength") == "accept_all"
    assert get("passwords.previous_limit") == 0
    assert get("services.client_certificate_checks") == "none"
    assert get("services.manager_certificate_check_level") == "low"
    assert get("services.min_key_size") == 1024


def test_weakens_follows_rank():
    timeout = catalog.get("web.session_timeout")
    assert timeout.weakens(900, 3600) and not timeout.weakens(3600, 900)
    tls = catalog.get("tls.min_version")
    assert tls.weakens("1.2", "1.0") and not tls.weakens("1.0", "1.2")
    rc4 = catalog.get("tls.rc4")
    assert rc4.weakens(False, True)
    idle = catalog.get("passwords.account_idle_time")
    assert idle.weakens(60, 0), "0 means never, weaker than any limit"


def test_suggest_finds_typos():
    assert catalog.suggest("min_lenght")[0] == "passwords.min_length"
    assert "tls.min_version" in catalog.suggest("tls.min_verison")


@pytest.mark.parametrize("name", presets.BUILTIN)
def test_builtin_presets_set_every_key_with_a_comment(name):
    text = (ROOT / "presets" / f"{name}.toml").read_text()
    preset = presets.parse_preset(text, name, "built-in")
    assert set(preset.own) == set(catalog.BY_KEY), "a built-in preset sets every catalog key"
    lines = text.splitlines()
    section = ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line and not line.startswith("#") and section != "preset":
            assert lines[i - 1].startswith("# "), f"{name}: no comment above {section}.{line}"


def test_presets_follow_the_vendor_scenarios():
    store = presets.load(include_user=False)
    lo, mid, hi = (store.values(n) for n in presets.BUILTIN)
    assert lo["services.security_admin_level"] == "secure_low"
    assert lo["passwords.min_complexity"] == "low" and lo["passwords.previous_limit"] == 0
    assert lo["passwords.change_period"] == 0 and lo["passwords.account_idle_time"] == 0
    assert lo["services.manager_certificate_check_level"] == "low"
    assert mid["services.security_admin_level"] == mid["services.configuration_level"] == "secure_medium"
    assert mid["passwords.min_complexity"] == "medium"
    assert mid["passwords.previous_limit"] > 0 and mid["passwords.change_period"] > 0 and mid["passwords.account_idle_time"] > 0
    assert not any(v for k, v in mid.items() if k.startswith("unsecured."))
    assert hi["services.security_admin_level"] == hi["services.configuration_level"] == "secure_high"
    # issue 12: maximum moves from the scenario's Log and Disable Account to a temporary disable
    # (NIST SP 800-63B-4 rate limiting; a permanent lockout is a denial of service)
    assert hi["passwords.reject_action"] == "log_and_temporary_disable"
    assert hi["services.client_certificate_checks"] == "high"
    assert hi["passwords.min_complexity"] == "high" and hi["passwords.min_length"] > 8
    assert hi["passwords.previous_limit"] > 5
    assert hi["services.manager_certificate_check_level"] == "high"
    # issue 13: maximum is TLS 1.3 only (Mozilla "modern"); the others keep 1.2 for desk phones
    assert (lo["tls.min_version"], mid["tls.min_version"], hi["tls.min_version"]) == ("1.2", "1.2", "1.3")
    for values in (lo, mid, hi):  # current practice over the vendor's text
        assert values["tls.rc4"] is False
        assert values["services.min_key_size"] >= 2048
        assert values["services.require_new_passwords"] is True


def test_readme_settings_table_is_fresh():
    readme = (ROOT / "README.md").read_text()
    assert refresh(readme, presets.load(include_user=False)) == readme, "run `make docs`"
