"""Done when: a CSR round trip through a third-party CA, and refusals that change nothing."""

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from certhelp import NOW, ThirdPartyCA, config, load_csr, pem, rsa_key
from pbxwizard.certs import keys
from pbxwizard.certs.checks import check_store
from pbxwizard.certs.generate import generate_store
from pbxwizard.certs.importing import Refused, import_signed
from pbxwizard.certs.layout import PREVIOUS, STAGING_PREFIX, Layout
from pbxwizard.errors import ConfigError
from test_certs_store import snapshot

PASSPHRASE = b"the installer's passphrase"


@pytest.fixture
def pending(tmp_path):
    """A csr-mode store waiting for its certificates (maximum: encrypted keys, manager on)."""
    cfg = config("maximum")
    generate_store(cfg, tmp_path, passphrase=PASSPHRASE, now=NOW)
    return tmp_path, cfg, Layout.for_output(tmp_path)


def test_csr_round_trip_imports_the_signed_certificate(pending):
    out, cfg, lay = pending
    assert [f.role for f in lay.pending_requests()] == ["identity", "manager"]
    ca = ThirdPartyCA()
    leaf = ca.sign(load_csr(lay.identity.csr))
    result = import_signed(out, pem(leaf), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    assert [f.role for f in lay.pending_requests()] == ["manager"], "what Ansible's role still signs"
    assert result.added_roots == 1
    assert lay.identity.cert.read_bytes() == pem(leaf)
    assert lay.identity.chain.read_bytes() == pem(leaf, ca.cert)
    assert lay.trusted_cas.read_bytes() == pem(ca.root)
    assert not result.report.failures("identity", "trusted store")
    assert (out / PREVIOUS).is_dir(), "the store before the import is kept"
    # the manager's request goes the same way; the high level pins its certificate
    manager = ca.sign(load_csr(lay.manager.csr), eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    import_signed(out, pem(manager, ca.cert), role="manager", config=cfg, now=NOW)
    assert lay.pinned_manager.read_bytes() == pem(manager)
    assert lay.pending_requests() == ()
    report = check_store(out, cfg, passphrase=PASSPHRASE, now=NOW)
    assert not report.failed, [i.line() for i in report.failures()]


def test_the_chain_may_follow_the_certificate_in_one_file_in_any_order(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA()
    leaf = ca.sign(load_csr(lay.identity.csr))
    import_signed(out, pem(leaf, ca.root, ca.cert), config=cfg, now=NOW)
    assert lay.identity.chain.read_bytes() == pem(leaf, ca.cert)


def _refused(out, *args, **kwargs) -> str:
    before = snapshot(out)
    with pytest.raises(Refused) as info:
        import_signed(out, *args, **kwargs)
    assert snapshot(out) == before, "a refused import changes nothing"
    assert not list(out.glob(STAGING_PREFIX + "*"))
    return str(info.value)


def test_a_certificate_for_another_key_is_refused(pending):
    out, cfg, _ = pending
    ca = ThirdPartyCA()
    stranger = ca.sign(keys.generate("ecdsa_p256"))
    message = _refused(out, pem(stranger), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    assert "for another key" in message


def test_an_expired_certificate_is_refused(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA()
    old = ca.sign(load_csr(lay.identity.csr), start=NOW.replace(year=2025), days=90)
    message = _refused(out, pem(old), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    assert "expired on 2025-" in message


def test_a_broken_chain_is_refused(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA()
    leaf = ca.sign(load_csr(lay.identity.csr))
    message = _refused(out, pem(leaf), [pem(ca.root)], config=cfg, now=NOW)  # the intermediate is missing
    assert "Example Trust Issuing CA" in message and "neither in the chain nor in the trusted store" in message
    other = ThirdPartyCA("Other Trust")
    message = _refused(out, pem(leaf), [pem(other.cert, other.root)], config=cfg, now=NOW)
    assert "chain stops" in message


def test_a_certificate_for_the_wrong_purpose_or_names_is_refused(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA()
    client_only = ca.sign(load_csr(lay.identity.csr), eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    assert "lacks serverAuth" in _refused(out, pem(client_only), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    elsewhere = ca.sign(load_csr(lay.identity.csr), names=["mail.example.test"])
    assert "do not cover pbx.example.test" in _refused(out, pem(elsewhere), [pem(ca.cert, ca.root)], config=cfg, now=NOW)


def test_a_chain_with_a_weak_key_is_refused(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA(weak_intermediate=True)
    leaf = ca.sign(load_csr(lay.identity.csr))
    message = _refused(out, pem(leaf), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    assert "RSA 1024" in message and "3072-bit minimum" in message


def test_a_trusted_store_over_six_certificates_is_refused_with_the_fix(pending):
    out, cfg, lay = pending
    # Roots that anchor nothing are never added (test_chain_rules), so the store fills up the way
    # it does in use: each import from another CA adds the one root that anchors its chain.
    for n in range(6):
        ca = ThirdPartyCA(f"Trust {n}")
        import_signed(out, pem(ca.sign(load_csr(lay.identity.csr))), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    ca = ThirdPartyCA("Trust 6")
    message = _refused(out, pem(ca.sign(load_csr(lay.identity.csr))), [pem(ca.cert, ca.root)], config=cfg, now=NOW)
    assert "7 certificates" in message and "intermediate CA" in message


def test_unreadable_input_is_bad_input_not_a_refusal(pending):
    out, cfg, _ = pending
    before = snapshot(out)
    for data in (b"not a certificate", b"\x30\x82\x01\x00", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"):
        with pytest.raises(ConfigError) as info:
            import_signed(out, data, config=cfg, now=NOW)
        assert not isinstance(info.value, Refused)
    ca = ThirdPartyCA()
    with pytest.raises(ConfigError, match="is a CA certificate"):
        import_signed(out, pem(ca.cert), config=cfg, now=NOW)
    assert snapshot(out) == before


def test_import_needs_the_store_the_request_came_from(tmp_path):
    ca = ThirdPartyCA()
    with pytest.raises(ConfigError, match="certs csr"):
        import_signed(tmp_path, pem(ca.sign(rsa_key(2048))), config=config(), now=NOW)
