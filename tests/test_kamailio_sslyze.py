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


def scan(server, profile: str, attempts: int = 3) -> subprocess.CompletedProcess:
    """Scan until sslyze completes every scan command, and fail the test if it never does.

    Under a loaded machine (the suite runs in parallel) a handshake can time out and sslyze
    then reports a scan command error instead of the server's curves or suites; such a scan
    says nothing about the export, so it is repeated, with sslyze's fewer-connections mode,
    once the server answers a handshake again. The failure names the server's state and log.
    """
    ca = server.folder / "certs" / "trusted" / "ca-bundle.pem"
    for _ in range(attempts):
        done = subprocess.run([sys.executable, "-W", "ignore", "-m", "sslyze", "--slow_connection",
                               "--mozilla_config", profile, "--certinfo_ca_file", str(ca),
                               f"{k.HOST}:{server.port}{{127.0.0.1}}"],
                              capture_output=True, text=True, timeout=600)
        if SCAN_ERROR not in done.stdout and "configuration" in done.stdout:
            return done
        if server.proc.poll() is not None:
            break  # a server that died is the failure itself: no retry hides it
        server.await_tls()  # refused or reset while it still runs: wait until it answers again
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
    with k.running(folder) as server:
        done = scan(server, profile)
    assert compliant(done, profile), done.stdout[-4000:]


def test_without_the_openssl_configuration_the_curves_fail_intermediate(tmp_path):
    """tls.cfg alone (TLS 1.2+, ECDHE with AES-GCM and ChaCha20) still offers X448 and P-521:
    Kamailio 5.6 has no setting for the groups, so openssl.cnf carries them."""
    folder = k.make_folder(tmp_path, "medium")
    with k.running(folder, openssl_conf=False) as server:
        done = scan(server, "intermediate")
    assert not compliant(done, "intermediate")
    assert "X448" in done.stdout and "secp521r1" in done.stdout
    assert "FAILED" in done.stdout and "curves" in done.stdout.lower()
