"""The certificate settings in the catalog: names, addresses, key types against min_key_size."""

import pytest

from pbxwizard.settings import catalog, presets
from pbxwizard.certs import policy
from pbxwizard.settings.config import build, check_rules
from pbxwizard.errors import ConfigError, InvalidValue
from pbxwizard.settings.netlists import check_dns_name, check_ip_address


def test_dns_names_are_normalised():
    assert check_dns_name("PBX.Example.COM.") == "pbx.example.com"
    assert check_dns_name("pbx") == "pbx"
    assert check_dns_name("xn--bcher-kva.example") == "xn--bcher-kva.example"


@pytest.mark.parametrize("entry,words", [
    ("*.example.com", "wildcards"), ("192.0.2.1", "ip_addresses"), ("2001:db8::1", "ip_addresses"),
    ("1.2.3.999", "not a valid"), ("bücher.example", "xn--"), ("-pbx.example.com", "not a valid domain"),
    ("a..b", "not a valid domain"), ("", "empty"), ("pbx example", "spaces"), ("a" * 64 + ".com", "not a valid domain"),
])
def test_bad_dns_names(entry, words):
    with pytest.raises(InvalidValue, match=words):
        check_dns_name(entry)


def test_ip_addresses_are_canonical_and_single():
    assert check_ip_address("2001:DB8:0:0::1") == "2001:db8::1"
    assert check_ip_address(" 192.0.2.7 ") == "192.0.2.7"
    for bad in ("192.0.2.0/24", "fe80::1%eth0", "999.1.1.1", "pbx.example.com"):
        with pytest.raises(InvalidValue):
            check_ip_address(bad)


def test_list_settings_parse_what_people_type():
    names = catalog.get("certificates.dns_names").kind
    assert names.from_text("pbx.example.com  PBX2.example.com") == ("pbx.example.com", "pbx2.example.com")
    with pytest.raises(InvalidValue, match="wildcards"):
        names.from_toml(["pbx.example.com", "*.example.com"])


def test_key_types_run_from_weakest_to_safest():
    strengths = [k.strength for k in policy.KEY_TYPES]
    assert strengths == sorted(strengths)
    assert all(k.strength >= policy.MIN_RSA_BITS for k in policy.KEY_TYPES)
    kind = catalog.get("certificates.key_type").kind
    assert catalog.get("certificates.key_type").weakens("ecdsa_p384", "rsa_2048")
    with pytest.raises(InvalidValue):
        kind.from_text("rsa_1024")


def test_validity_is_capped_at_398_days():
    kind = catalog.get("certificates.validity_days").kind
    assert kind.from_text("398") == 398
    with pytest.raises(InvalidValue, match="out of range"):
        kind.from_text("399")


def test_key_type_must_meet_min_key_size():
    values = {**catalog.defaults(), "services.min_key_size": 3072, "certificates.key_type": "rsa_2048"}
    broken = check_rules(values)
    assert [k for k, _ in broken] == ["certificates.key_type"]
    assert not check_rules({**values, "certificates.key_type": "ecdsa_p256"}), "P-256 counts as 3072 bits"
    assert check_rules({**values, "services.min_key_size": 4096, "certificates.key_type": "ecdsa_p256"})
    with pytest.raises(ConfigError, match="weaker than the minimum key size"):
        build("maximum", presets.load(include_user=False).values("maximum"), {"certificates.key_type": "rsa_2048"})


def test_presets_choose_certificates_by_scenario():
    store = presets.load(include_user=False)
    lo, mid, hi = (store.values(n) for n in presets.BUILTIN)
    assert hi["certificates.mode"] == "csr", "maximum: third-party certificates from a trusted CA"
    assert hi["certificates.encrypt_keys"] is True and not lo["certificates.encrypt_keys"]
    for values in (lo, mid, hi):
        assert policy.key_type_fits(values["certificates.key_type"], values["services.min_key_size"])
        assert values["certificates.validity_days"] <= policy.MAX_SERVER_DAYS
