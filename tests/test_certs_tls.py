"""Done when: a real TLS server runs from the generated store and OpenSSL verifies it.

The server is Python's ssl module on 127.0.0.1, set up by ``server_context`` from the
config's TLS versions and client certificate level; the client is ``openssl s_client``
with ``-verify_return_error`` against the store's trusted CA file.
"""

import datetime as dt
import os
import shutil
import ssl
import subprocess

import pytest

from certhelp import HOST, TLSServer, config
from pbxwizard.certs.generate import generate_store
from pbxwizard.certs.layout import Layout
from pbxwizard.certs.tlscontext import server_context

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def s_client(port: int, layout: Layout, *extra: str, env=None) -> subprocess.CompletedProcess:
    command = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", HOST,
               "-verify_return_error", "-CAfile", str(layout.trusted_cas), "-ign_eof", "-brief", *extra]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          env=env)


def store(tmp_path, cfg, passphrase=None):
    generate_store(cfg, tmp_path, passphrase=passphrase, mode="local_ca")
    return Layout.for_output(tmp_path)


@pytest.mark.parametrize("low,high,negotiated", [("1.2", "1.3", "TLSv1.3"), ("1.2", "1.2", "TLSv1.2")])
def test_openssl_connects_and_verifies_the_generated_identity(tmp_path, low, high, negotiated):
    cfg = config(tls__min_version=low, tls__max_version=high)
    layout = store(tmp_path, cfg)
    with TLSServer(server_context(layout, cfg), connections=2) as server:
        by_name = s_client(server.port, layout, "-verify_hostname", HOST)
        by_address = s_client(server.port, layout, "-verify_ip", "127.0.0.1")
    for client in (by_name, by_address):
        assert client.returncode == 0, client.stderr
        assert "Verification: OK" in client.stderr + client.stdout
        assert TLSServer.GREETING.decode().strip() in client.stdout
    assert [r[:2] for r in server.results] == [("accepted", negotiated)] * 2


def test_a_name_the_certificate_does_not_cover_fails_verification(tmp_path):
    cfg = config()
    layout = store(tmp_path, cfg)
    with TLSServer(server_context(layout, cfg)) as server:
        client = s_client(server.port, layout, "-verify_hostname", "other.example.test")
    assert client.returncode != 0
    assert TLSServer.GREETING.decode().strip() not in client.stdout


def _old_client_allowed(context: ssl.SSLContext) -> ssl.SSLContext:
    # OpenSSL's default security level refuses TLS 1.1 on its own; lower it on both ends
    # so that only the configured minimum version decides.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def test_with_minimum_tls_1_2_the_server_refuses_a_tls_1_1_client(tmp_path):
    old_client = ("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-verify_hostname", HOST)
    permissive = config(tls__min_version="1.0")
    layout = store(tmp_path, permissive)
    # control: the same client gets in when the config allows TLS 1.0, so the client can do TLS 1.1
    with TLSServer(_old_client_allowed(server_context(layout, permissive))) as server:
        control = s_client(server.port, layout, *old_client)
    assert control.returncode == 0, control.stderr
    assert server.results[0][:2] == ("accepted", "TLSv1.1")

    strict = config(tls__min_version="1.2")
    with TLSServer(_old_client_allowed(server_context(layout, strict))) as server:
        refused = s_client(server.port, layout, *old_client)
    assert refused.returncode != 0
    assert TLSServer.GREETING.decode().strip() not in refused.stdout
    outcome, reason, _ = server.results[0]
    assert outcome == "refused" and "unsupported protocol" in reason.lower(), reason
    assert "protocol version" in refused.stderr  # the server's alert, as the client saw it


def _manager_args(layout: Layout, *extra: str) -> list[str]:
    m = layout.manager
    return ["-cert", str(m.cert), "-key", str(m.key), "-cert_chain", str(m.chain), *extra]


def test_with_client_certificate_checks_only_the_manager_gets_in(tmp_path):
    cfg = config(services__client_certificate_checks="high")
    layout = store(tmp_path, cfg)
    with TLSServer(server_context(layout, cfg), connections=2) as server:
        stranger = s_client(server.port, layout, "-verify_hostname", HOST)
        manager = s_client(server.port, layout, "-verify_hostname", HOST, *_manager_args(layout))
    assert TLSServer.GREETING.decode().strip() not in stranger.stdout
    assert stranger.returncode != 0
    assert manager.returncode == 0, manager.stderr
    assert TLSServer.GREETING.decode().strip() in manager.stdout
    (first, why, _), (second, _, peer) = server.results
    assert first == "refused" and "certificate" in why.lower()
    assert second == "accepted"
    subject = dict(item for rdn in peer["subject"] for item in rdn)
    assert "management client" in subject["commonName"]


def test_a_client_certificate_from_another_ca_is_refused(tmp_path):
    cfg = config(services__client_certificate_checks="medium")
    layout = store(tmp_path / "pbx", cfg)
    other = store(tmp_path / "elsewhere", cfg)
    with TLSServer(server_context(layout, cfg)) as server:
        client = s_client(server.port, layout, "-verify_hostname", HOST, *_manager_args(other))
    assert TLSServer.GREETING.decode().strip() not in client.stdout
    assert server.results[0][0] == "refused"


def test_encrypted_keys_of_the_maximum_preset_serve_tls_with_the_passphrase(tmp_path):
    cfg = config("maximum")  # client certificate checks high, keys encrypted
    passphrase = b"correct horse battery staple"
    layout = store(tmp_path, cfg, passphrase)
    for key in (layout.identity.key, layout.manager.key, layout.intermediate_key, layout.root_key):
        assert b"ENCRYPTED PRIVATE KEY" in key.read_bytes()
    with pytest.raises(ssl.SSLError):
        server_context(layout, cfg, b"the wrong passphrase")
    env = {**os.environ, "PBXW_TEST_KEY_PASS": passphrase.decode()}
    with TLSServer(server_context(layout, cfg, passphrase)) as server:
        client = s_client(server.port, layout, "-verify_hostname", HOST,
                          *_manager_args(layout, "-pass", "env:PBXW_TEST_KEY_PASS"), env=env)
    assert client.returncode == 0, client.stderr
    assert server.results[0][0] == "accepted"


def test_an_imported_third_party_certificate_serves_tls(tmp_path):
    from certhelp import TODAY, ThirdPartyCA, load_csr, pem
    from pbxwizard.certs.importing import import_signed

    cfg = config(certificates__mode="csr")
    generate_store(cfg, tmp_path)
    layout = Layout.for_output(tmp_path)
    ca = ThirdPartyCA()
    leaf = ca.sign(load_csr(layout.identity.csr), start=TODAY - dt.timedelta(days=1), days=90)  # openssl reads the clock
    import_signed(tmp_path, pem(leaf), [pem(ca.cert, ca.root)], config=cfg)
    with TLSServer(server_context(layout, cfg)) as server:
        client = s_client(server.port, layout, "-verify_hostname", HOST)
    assert client.returncode == 0, client.stderr
    assert "Verification: OK" in client.stderr + client.stdout


def test_a_sha1_signed_certificate_is_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization

    from certhelp import ThirdPartyCA, pem
    from pbxwizard.certs.importing import Refused, import_signed

    cfg = config(certificates__mode="csr")
    generate_store(cfg, tmp_path / "out")
    layout = Layout.for_output(tmp_path / "out")
    ca = ThirdPartyCA()
    (tmp_path / "ca.pem").write_bytes(pem(ca.cert))
    (tmp_path / "ca-key.pem").write_bytes(ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    # cryptography refuses to sign with SHA-1 at all, so let openssl play the careless CA
    made = subprocess.run(["openssl", "x509", "-req", "-in", str(layout.identity.csr), "-CA", str(tmp_path / "ca.pem"),
                           "-CAkey", str(tmp_path / "ca-key.pem"), "-sha1", "-days", "30", "-copy_extensions", "copyall",
                           "-out", str(tmp_path / "leaf.pem")], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    with pytest.raises(Refused, match="signed with SHA-1"):
        import_signed(tmp_path / "out", (tmp_path / "leaf.pem").read_bytes(), [pem(ca.cert, ca.root)], config=cfg)
    assert not layout.identity.cert.exists()
