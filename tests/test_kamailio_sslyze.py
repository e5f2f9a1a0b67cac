"""A real TLS scanner against the running Kamailio: sslyze's Mozilla profile checks.

sslyze connects to 127.0.0.1 but checks the certificate for pbx.example.test (its
``NAME:PORT{IP}`` form) against the store's CA. Its SSL 2.0 probe runs on a legacy OpenSSL
that cannot load a client certificate chain, so the scans of the maximum preset lower
``services.client_certificate_checks`` to low (a certificate is asked for, not required);
versions, suites and curves do not depend on it, and the live suite proves High by itself.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import kamhelp as k


#: What sslyze prints when one of its scan commands could not finish (a connection timed out
#: or was reset), as opposed to a verdict on the server.
SCAN_ERROR = "Error when running"


def assert_healthy(server: k.Server, done: subprocess.CompletedProcess) -> None:
    """Kamailio still runs and its log holds no FAULT line (kamhelp), after a scan.

    A server with several TCP workers writes such lines within a scan or two (the allocator's
    double frees through the tls module, or a read error with errno 0), then crashes
    (kamailio#3791): 11 of 67 back-to-back scans of a four-worker server on 3 December. With
    the export's one TCP worker (tcp_children=1), 600 scans gave neither.
    """
    faults = server.faults()
    if faults or server.proc.poll() is not None:
        pytest.fail(f"Kamailio is hurt by a TLS scan (kamailio#3791 is what tcp_children=1 prevents):\n"
                    + "\n".join(faults[:10]) + f"\n{done.stdout[-2000:]}\n{server.state()}")


def scan(folder, profile: str, *, openssl_conf: bool = True, attempts: int = 4) -> subprocess.CompletedProcess:
    """Start Kamailio from ``folder`` and scan it until sslyze completes every scan command.

    Under a loaded machine a handshake can time out and sslyze reports a scan command error
    instead of the server's curves or suites; such a scan says nothing about the export, so
    it is repeated, with sslyze's fewer-connections mode, once the server answers a handshake
    again. Every scan must leave the server running with no fault in its log.
    """
    ca = folder.parent / "certs" / "trusted" / "ca-bundle.pem"
    with k.running(folder, openssl_conf=openssl_conf) as server:
        for _ in range(attempts):
            done = subprocess.run([sys.executable, "-W", "ignore", "-m", "sslyze", "--slow_connection",
                                   "--mozilla_config", profile, "--certinfo_ca_file", str(ca),
                                   f"{k.HOST}:{server.port}{{127.0.0.1}}"],
                                  capture_output=True, text=True, timeout=600)
            assert_healthy(server, done)
            if SCAN_ERROR not in done.stdout and "configuration" in done.stdout:
                return done
            if not server.answers_again():  # refused or reset while it ran: wait until it answers
                assert_healthy(server, done)
    pytest.fail(f"sslyze could not complete a scan in {attempts} attempts:\n{done.stdout[-4000:]}\n{server.state()}")


@pytest.fixture(autouse=True)
def sslyze():
    import importlib.util

    if importlib.util.find_spec("sslyze") is None:
        k.need("sslyze-is-not-installed", "sslyze (pip install -e '.[test]')")


def compliant(done: subprocess.CompletedProcess, profile: str) -> bool:
    return f"Mozilla's \"{profile}\" configuration" in done.stdout and "OK - Compliant" in done.stdout


@pytest.mark.parametrize("preset, profile, sets", [
    ("medium", "intermediate", ()),
    ("maximum", "intermediate", ("services.client_certificate_checks=low",)),
    # Mozilla's "modern" (TLS 1.3 only, certificates of at most 90 days) is the maximum preset as it stands.
    ("maximum", "modern", ("services.client_certificate_checks=low",)),
])
def test_the_export_meets_mozillas_profile(tmp_path, preset, profile, sets):
    folder = k.make_folder(tmp_path, preset, *sets)
    done = scan(folder, profile)
    assert compliant(done, profile), done.stdout[-4000:]


def test_without_the_openssl_configuration_the_curves_fail_intermediate(tmp_path):
    """tls.cfg alone (TLS 1.2+, ECDHE with AES-GCM and ChaCha20) still offers X448 and P-521:
    Kamailio 5.6 has no setting for the groups, so openssl.cnf carries them."""
    folder = k.make_folder(tmp_path, "medium")
    done = scan(folder, "intermediate", openssl_conf=False)
    assert not compliant(done, "intermediate")
    assert "X448" in done.stdout and "secp521r1" in done.stdout
    assert "FAILED" in done.stdout and "curves" in done.stdout.lower()
