"""The SIP side of the catalog: transports, ports, bans and SRTP, their presets and audit."""

from __future__ import annotations

import pytest

from pbxwizard.errors import ConfigError
from pbxwizard.settings import audit, catalog, presets
from pbxwizard.settings.config import build


@pytest.fixture(scope="module")
def store():
    return presets.load(include_user=False)


def flagged(config, key):
    return {f.severity for f in audit.findings(config) if f.key == key}


def test_presets_tighten_signalling_media_and_bans_step_by_step(store):
    lo, mid, hi = (store.values(n) for n in presets.BUILTIN)
    assert (lo["sip.transports"], mid["sip.transports"], hi["sip.transports"]) == ("tls_tcp_udp", "tls", "tls")
    assert (lo["media.srtp"], mid["media.srtp"], hi["media.srtp"]) == ("optional", "optional", "required")
    assert lo["sip.failed_auth_limit"] > mid["sip.failed_auth_limit"] > hi["sip.failed_auth_limit"] > 0
    assert 0 < hi["sip.flood_limit"] < mid["sip.flood_limit"] < lo["sip.flood_limit"]
    ban = catalog.get("sip.ban_time").kind
    assert ban.seconds(lo["sip.ban_time"]) < ban.seconds(mid["sip.ban_time"]) < ban.seconds(hi["sip.ban_time"])


def test_audit_flags_plain_signalling_and_unencrypted_media(store):
    defaults = build("", catalog.defaults())
    assert flagged(defaults, "sip.transports") == {catalog.MEDIUM}
    assert flagged(defaults, "media.srtp") == {catalog.HIGH}
    assert flagged(defaults, "sip.failed_auth_limit") == {catalog.HIGH}
    assert flagged(defaults, "sip.flood_limit") == {catalog.MEDIUM}
    tcp = defaults.replace(**{"sip.transports": "tls_tcp", "media.srtp": "optional"})
    assert flagged(tcp, "sip.transports") == {catalog.LOW} and flagged(tcp, "media.srtp") == {catalog.LOW}
    maximum = build("maximum", store.values("maximum"))
    for key in ("sip.transports", "media.srtp", "sip.failed_auth_limit", "sip.flood_limit", "sip.ban_time"):
        assert not flagged(maximum, key), key


def test_weaker_choices_rank_lower():
    assert catalog.get("sip.transports").weakens("tls", "tls_tcp_udp")
    assert catalog.get("media.srtp").weakens("required", "off")
    assert catalog.get("sip.failed_auth_limit").weakens(5, 0), "0 means never ban"
    assert catalog.get("sip.failed_auth_limit").weakens(3, 10)


def test_one_port_for_tls_and_plain_sip_is_refused_only_when_plain_is_allowed(store):
    base = store.values("minimum")
    with pytest.raises(ConfigError) as err:
        build("minimum", base, {"sip.port": 5061})
    assert "SIP port" in str(err.value.problems[0])
    assert build("medium", store.values("medium"), {"sip.port": 5061})["sip.port"] == 5061


@pytest.mark.parametrize("key, text", [("sip.tls_port", "0"), ("sip.tls_port", "65536"), ("sip.ban_time", "5s"),
                                       ("sip.transports", "udp"), ("media.srtp", "maybe")])
def test_bad_values_name_what_is_allowed(key, text):
    from pbxwizard.errors import InvalidValue

    with pytest.raises(InvalidValue) as err:
        catalog.get(key).kind.from_text(text)
    assert text in str(err.value)
