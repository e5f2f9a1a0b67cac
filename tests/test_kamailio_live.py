"""The exported files in a real Kamailio 5.6 on 127.0.0.1, probed by real clients.

openssl s_client proves the TLS side; SIP requests go over TLS from the tests' own small
client (kamhelp.Connection: Python's ssl and digest authentication), because Debian's SIPp
3.6.1 is built without TLS, sipsak 0.9.8's TLS mode did not complete a request against this
server, and sipsak cuts a five-digit port short in the request URI. Silence is proven without waiting where SIP allows it: a dropped request is
followed on the same connection by one that must be answered, and the first reply is that
one's. Only a banned source, which gets no answer at all, is given a read timeout.
"""

from __future__ import annotations

import datetime
import re
import socket
import subprocess
import time
import tomllib

import pytest

import kamhelp as k
from kamhelp import HOST, free_port, make_folder, request, running, status


def s_client(server, *args: str, send: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", HOST,
                           *args], input=send or "Q\n", capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    out = tmp_path_factory.mktemp("medium")
    folder = make_folder(out, "medium", f"sip.port={free_port()}", "media.srtp=required")
    with running(folder) as server:
        yield server


def test_tls_1_1_is_refused_and_1_2_verifies_with_the_host_name(medium):
    old = s_client(medium, "-tls1_1")
    assert old.returncode != 0 and "alert protocol version" in old.stderr + old.stdout
    ca = medium.folder / "certs" / "trusted" / "ca-bundle.pem"
    new = s_client(medium, "-tls1_2", "-verify_hostname", HOST, "-verify_return_error", "-CAfile", str(ca))
    assert new.returncode == 0, new.stderr
    assert "Verification: OK" in new.stdout and f"Verified peername: {HOST}" in new.stdout
    wrong = s_client(medium, "-tls1_2", "-verify_hostname", "other.example.test", "-verify_return_error",
                     "-CAfile", str(ca))
    assert wrong.returncode != 0


def test_options_answered_for_a_phone_and_nothing_for_a_scanner(medium):
    conn = k.Connection(medium.port, k.tls_context(medium.folder))
    try:
        scanner, scanner_id = request("OPTIONS", user_agent="friendly-scanner")
        phone, phone_id = request("OPTIONS")
        conn.send(scanner + phone)
        reply = conn.reply()
        assert k.call_id(reply) == phone_id and status(reply) == 200
        conn.send(request("OPTIONS", user_agent="sipvicious 0.3")[0] + request("OPTIONS", call_id="last")[0])
        assert k.call_id(conn.reply()) == "last"
        assert scanner_id.encode() not in conn.pending()
    finally:
        conn.close()


def test_requests_for_unknown_domains_are_ignored_but_localhost_is_served(medium):
    conn = k.Connection(medium.port, k.tls_context(medium.folder))
    try:
        conn.send(request("OPTIONS", "sip:victim.example.org")[0] + request("OPTIONS", "sip:localhost", call_id="lh")[0])
        reply = conn.reply()  # answered (on to authentication), while the unknown domain got nothing
        assert k.call_id(reply) == "lh" and status(reply) == 407
    finally:
        conn.close()


def test_tls_only_leaves_the_plain_sip_port_closed(medium):
    port = tomllib.loads((medium.folder / "security.toml").read_text())["sip"]["port"]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.settimeout(10)
    try:
        udp.connect(("127.0.0.1", port))
        udp.send(request("OPTIONS")[0].encode())
        with pytest.raises(ConnectionRefusedError):  # the kernel's port unreachable: nothing listens
            udp.recv(4096)
    finally:
        udp.close()


def test_srtp_required_refuses_an_offer_without_srtp(medium):
    def offer(profile: str) -> str:
        body = (f"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio 40000 {profile} 0\r\n")
        return request("INVITE", f"sip:bob@{HOST}", body=body, from_user="alice")[0]

    conn = k.Connection(medium.port, k.tls_context(medium.folder))
    try:
        conn.send(offer("RTP/AVP"))
        assert status(conn.reply()) == 488
        conn.send(offer("RTP/SAVP"))
        assert status(conn.reply()) == 407  # on to authentication, like any call
    finally:
        conn.close()


def test_a_plain_port_answers_where_the_transports_allow_it(tmp_path):
    port = free_port()
    folder = make_folder(tmp_path, "minimum", f"sip.port={port}")
    with running(folder):
        with socket.create_connection(("127.0.0.1", port), timeout=15) as tcp:
            tcp.sendall(request("OPTIONS")[0].replace("SIP/2.0/TLS", "SIP/2.0/TCP").encode())
            assert tcp.recv(4096).startswith(b"SIP/2.0 200 OK")


def _banned(server, after: int) -> None:
    """The ban is in the log, and a request from the banned source now gets no answer at all."""
    server.await_log(r"pbxwizard: banned 127\.0\.0\.1", after=after)
    conn = k.Connection(server.port, k.tls_context(server.folder))
    conn.sock.settimeout(3)
    try:
        conn.send(request("OPTIONS")[0])
        with pytest.raises((TimeoutError, socket.timeout)):
            conn.reply()
    finally:
        conn.close()


def _answered_again(server, banned_at: float, ban: int) -> float:
    """Poll until OPTIONS is answered again; returns how long after the ban that was."""
    deadline = time.monotonic() + ban + 40
    while time.monotonic() < deadline:
        conn = k.Connection(server.port, k.tls_context(server.folder))
        conn.sock.settimeout(1)
        try:
            conn.send(request("OPTIONS")[0])
            if status(conn.reply()) == 200:
                return time.monotonic() - banned_at
        except (TimeoutError, socket.timeout):
            pass
        finally:
            conn.close()
    pytest.fail(f"still banned {ban + 40} s after a {ban} s ban")


def test_failed_registrations_over_the_limit_ban_the_source_for_the_ban_time(tmp_path):
    folder = make_folder(tmp_path, "medium", "sip.failed_auth_limit=3", "sip.ban_time=10s")
    with (folder / "db" / "subscriber").open("a") as table:
        table.write(f"1:alice:{HOST}:Right-Password-1:::\n")
    with running(folder) as server:
        conn = k.Connection(server.port, k.tls_context(folder.parent))
        try:
            assert status(k.register(conn, "alice", "Right-Password-1")) == 200
            for n in range(3):  # three failures are answered: a phone with a typo is told so
                assert status(k.register(conn, "alice", f"guess-{n}")) == 401
            mark = server.log_size()
            first, _ = request("REGISTER", f"sip:{HOST}", from_user="alice")
            conn.send(first)
            challenge = conn.reply()
            fourth, _ = request("REGISTER", f"sip:{HOST}", from_user="alice",
                                extra=k.digest(challenge, "REGISTER", f"sip:{HOST}", "alice", "guess-3"))
            conn.send(fourth)
            banned_at = time.monotonic()
        finally:
            conn.close()
        _banned(server, mark)
        waited = _answered_again(server, banned_at, 10)
        assert 9 <= waited, f"answered again after {waited:.1f} s of a 10 s ban"


def test_a_flood_bans_the_source(tmp_path):
    folder = make_folder(tmp_path, "medium", "sip.flood_limit=20", "sip.ban_time=10s")
    with running(folder) as server:
        conn = k.Connection(server.port, k.tls_context(folder.parent))
        try:
            mark = server.log_size()
            conn.send("".join(request("OPTIONS")[0] for _ in range(200)))
            server.await_log(r"pbxwizard: banned 127\.0\.0\.1 for 10s \(flood\)", after=mark)
        finally:
            conn.close()
        _banned(server, mark)


# --- client certificates at High (the maximum preset) --------------------------------------

def _other_client_cert(out, tmp_path):
    """A client certificate the store's own intermediate CA signs, for someone who is not a manager."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_dir = out / "certs" / "ca"
    issuer = x509.load_pem_x509_certificate((ca_dir / "intermediate-ca.pem").read_bytes())
    issuer_key = serialization.load_pem_private_key((ca_dir / "intermediate-ca-key.pem").read_bytes(),
                                                    password=k.PASSPHRASE.encode())
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "intruder")]))
            .issuer_name(issuer.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(issuer_key, hashes.SHA384()))
    chain = tmp_path / "intruder-chain.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + issuer.public_bytes(serialization.Encoding.PEM))
    keyfile = tmp_path / "intruder-key.pem"
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.BestAvailableEncryption(k.PASSPHRASE.encode())))
    return str(chain), str(keyfile)


def test_at_high_only_the_manager_certificate_is_accepted(tmp_path):
    out = tmp_path / "max"
    folder = make_folder(out, "maximum")
    certs = out / "certs"
    with running(folder) as server:
        none = s_client(server, "-tls1_2", "-CAfile", str(certs / "trusted" / "ca-bundle.pem"),
                        send=request("OPTIONS")[0])
        assert "SIP/2.0 200" not in none.stdout
        assert "certificate required" in none.stderr + none.stdout or "alert" in none.stderr + none.stdout

        def options_with(cert: str, key: str) -> str | None:
            conn = k.Connection(server.port, k.tls_context(out, cert, key))
            conn.sock.settimeout(3)
            mark = server.log_size()
            try:
                conn.send(request("OPTIONS")[0])
                try:
                    return conn.reply()
                except (TimeoutError, socket.timeout):
                    server.await_log("pbxwizard: refused client certificate", after=mark)
                    return None
            finally:
                conn.close()

        manager = options_with(str(certs / "manager" / "manager-chain.pem"), str(certs / "manager" / "manager-key.pem"))
        assert manager is not None and status(manager) == 200
        assert options_with(str(certs / "identity" / "pbx-chain.pem"), str(certs / "identity" / "pbx-key.pem")) is None
        assert options_with(*_other_client_cert(out, tmp_path)) is None


def test_phones_connecting_at_once_leave_it_running(tmp_path):
    """Full handshakes from three clients at once for three seconds, as when every phone
    reconnects after an outage. Kamailio 5.6.3 with its default four TCP workers wrote
    allocator BUG lines in each of three such tries and lost a worker (the whole server) in
    two; the export's one TCP/TLS worker (kamailio#3791) takes them all, unhurt."""
    folder = make_folder(tmp_path, "minimum", f"sip.port={free_port()}")
    with running(folder) as server:
        clients = [subprocess.Popen(["openssl", "s_time", "-connect", f"127.0.0.1:{server.port}", "-new",
                                     "-time", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(3)]
        outputs = [client.communicate(timeout=60) for client in clients]
        made = [re.search(r"^(\d+) connections in [\d.]+s;", out, re.M) for out, _ in outputs]
        assert all(m and int(m.group(1)) >= 10 for m in made), outputs
        assert server.proc.poll() is None and not server.faults(), server.state()
