"""`certs renew`: short-lived certificates (maximum: 90 days) renewed without touching the CA.

The phones and management PCs trust ``trusted/ca-bundle.pem``; a renewal that changed it
would mean visiting every phone. So the bundle, the root and the intermediate must come out
byte-identical, while every end-entity key and certificate is new, and openssl must verify
the new ones against the old bundle.
"""

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest
from cryptography import x509

from pbxwizard.errors import ConfigError

PASS_ENV = "PBXW_TEST_STORE_PASSPHRASE"


def digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cert(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def openssl_verify(store, leaf, purpose):
    return subprocess.run(["openssl", "verify", "-purpose", purpose, "-CAfile", str(store / "trusted" / "ca-bundle.pem"),
                           "-untrusted", str(store / "ca" / "intermediate-ca.pem"), str(leaf)],
                          capture_output=True, text=True)


@pytest.fixture
def maximum_box(run_cli, tmp_path, with_store, fast_hashing):
    """A box on the maximum preset with a local CA: encrypted keys, a pinned manager certificate."""
    code, _, err = run_cli("apply", "--preset", "maximum", *with_store, "-o", str(tmp_path))
    assert code == 0, err
    return tmp_path


def test_renewal_keeps_the_ca_and_replaces_every_end_entity(run_cli, maximum_box):
    store = maximum_box / "certs"
    before = digests(store)
    old_pbx, old_manager = cert(store / "identity" / "pbx.pem"), cert(store / "manager" / "manager.pem")
    assert (old_pbx.not_valid_after_utc - old_pbx.not_valid_before_utc).days <= 91  # the preset's 90 days

    code, out, err = run_cli("certs", "renew", "--passphrase-env", PASS_ENV, "-o", str(maximum_box))
    assert code == 0, err
    assert "trusted CA bundle is unchanged" in out
    after = digests(store)
    for same in ("trusted/ca-bundle.pem", "ca/root-ca.pem", "ca/intermediate-ca.pem", "ca/intermediate-ca-key.pem",
                 "ca/offline/root-ca-key-OFFLINE.pem"):
        assert after[same] == before[same], same
    for new in ("identity/pbx.pem", "identity/pbx-key.pem", "identity/pbx-chain.pem", "manager/manager.pem",
                "manager/manager-key.pem", "trusted/manager.pem"):
        assert after[new] != before[new], new
    pbx, manager = cert(store / "identity" / "pbx.pem"), cert(store / "manager" / "manager.pem")
    assert pbx.serial_number != old_pbx.serial_number and pbx.public_key() != old_pbx.public_key()
    assert pbx.subject == old_pbx.subject and manager.subject == old_manager.subject
    assert (store / "trusted" / "manager.pem").read_bytes() == (store / "manager" / "manager.pem").read_bytes()
    assert b"ENCRYPTED" in (store / "identity" / "pbx-key.pem").read_bytes()
    assert (store / "identity" / "pbx-key.pem").stat().st_mode & 0o777 == 0o600
    # the old store is kept, and the new certificates verify against the bundle the phones already have
    assert digests(maximum_box / "certs.previous") == before
    assert openssl_verify(store, store / "identity" / "pbx.pem", "sslserver").returncode == 0
    assert openssl_verify(store, store / "manager" / "manager.pem", "sslclient").returncode == 0
    code, out, err = run_cli("certs", "check", "--passphrase-env", PASS_ENV, "-o", str(maximum_box))
    assert code == 0, out + err


def test_a_wrong_passphrase_or_none_changes_nothing(run_cli, maximum_box, monkeypatch):
    from pbxwizard.certs.renew import renew
    from pbxwizard.settings import presets
    from pbxwizard.settings.config import build

    before = digests(maximum_box / "certs")
    monkeypatch.setenv("WRONG", "not the passphrase at all")
    code, _, err = run_cli("certs", "renew", "--passphrase-env", "WRONG", "-o", str(maximum_box))
    assert code == 2 and "intermediate-ca-key.pem" in err
    config = build("maximum", presets.load().values("maximum"), {"certificates.dns_names": ["pbx.example.test"]})
    with pytest.raises(ConfigError, match="passphrase"):
        renew(config, maximum_box, passphrase=None)
    assert digests(maximum_box / "certs") == before and not (maximum_box / "certs.previous").exists()


def test_a_third_party_store_is_renewed_by_a_new_request_not_here(run_cli, tmp_path):
    code, _, err = run_cli("certs", "csr", "--preset", "medium", "--set", "certificates.dns_names=pbx.example.test",
                           "-o", str(tmp_path))
    assert code == 0, err
    before = digests(tmp_path / "certs")
    code, _, err = run_cli("certs", "renew", "--preset", "medium", "--set", "certificates.dns_names=pbx.example.test",
                           "-o", str(tmp_path))
    assert code == 2 and "no local CA" in err and "certs csr --replace" in err
    assert digests(tmp_path / "certs") == before


def test_the_new_certificate_takes_the_configured_names_and_days(run_cli, tmp_path):
    site = ["--set", "certificates.mode=local_ca", "--set", "certificates.dns_names=pbx.example.test"]
    assert run_cli("apply", "--preset", "medium", *site, "--certs", "-o", str(tmp_path))[0] == 0
    code, _, err = run_cli("certs", "renew", "--preset", "medium", *site, "--set", "certificates.dns_names=new.example.test",
                           "--set", "certificates.validity_days=30", "-o", str(tmp_path))
    assert code == 0, err
    pbx = cert(tmp_path / "certs" / "identity" / "pbx.pem")
    names = pbx.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["new.example.test"]
    assert dt.timedelta(days=29) < pbx.not_valid_after_utc - pbx.not_valid_before_utc <= dt.timedelta(days=31)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_renewed_store_serves_tls_that_openssl_verifies(run_cli, tmp_path):
    """The renewed identity with its chain, served by Python's TLS server, verifies with s_client."""
    import ssl
    import threading
    import socket

    site = ["--set", "certificates.mode=local_ca", "--set", "certificates.dns_names=pbx.example.test"]
    assert run_cli("apply", "--preset", "medium", *site, "--certs", "-o", str(tmp_path))[0] == 0
    assert run_cli("certs", "renew", "--preset", "medium", *site, "-o", str(tmp_path))[0] == 0
    store = tmp_path / "certs"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(store / "identity" / "pbx-chain.pem", store / "identity" / "pbx-key.pem")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve():
            conn, _ = listener.accept()
            try:
                with ctx.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        done = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-verify_return_error",
                               "-verify_hostname", "pbx.example.test", "-CAfile",
                               str(store / "trusted" / "ca-bundle.pem")],
                              input="", capture_output=True, text=True, timeout=30)
        thread.join(timeout=10)
    assert "Verify return code: 0 (ok)" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
