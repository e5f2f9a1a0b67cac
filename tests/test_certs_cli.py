"""pbxwizard certs init|csr|import|check: settings, passphrases, exit codes."""

import io
import json
import stat
import sys

import pytest

import datetime as dt

from certhelp import HOST, TODAY, ThirdPartyCA, load_csr, pem
from pbxwizard.certs import keys
from pbxwizard.certs.layout import PREVIOUS, Layout

NAMES = ["--set", f"certificates.dns_names={HOST}", "--set", "certificates.key_type=ecdsa_p256"]
SECRET = "a passphrase nobody guesses"


def test_init_from_a_preset_reports_progress_and_next_steps(run_cli, tmp_path):
    code, out, err = run_cli("certs", "init", "--preset", "medium", *NAMES, "-o", str(tmp_path))
    assert code == 0, err
    assert "[1/7] Generating the root CA key (ECDSA P-256)" in err and "[7/7] Putting the store in place" in err
    assert "wrote a local CA" in out and "offline" in out
    assert Layout.for_output(tmp_path).identity.cert.exists()


def test_init_takes_its_settings_from_security_toml(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "medium", *NAMES, "--set", "services.client_certificate_checks=medium",
                           "-o", str(tmp_path))
    assert code == 0, err
    code, out, err = run_cli("certs", "init", "-o", str(tmp_path))
    assert code == 0, err
    assert Layout.for_output(tmp_path).manager.cert.exists(), "client checks from security.toml"
    code, out, _ = run_cli("certs", "check", str(tmp_path))
    assert code == 0 and f"covers every configured name: {HOST}" in out


@pytest.mark.parametrize("args,words", [
    ([], "pass --preset NAME"),
    (["--preset", "medium"], "name no host"),
    (["--preset", "medium", "--set", "certificates.dns_names=*.example.test"], "wildcards"),
    (["--preset", "maximum", "--set", f"certificates.dns_names={HOST}", "--set", "certificates.key_type=rsa_2048"],
     "weaker than the minimum key size"),
    (["--preset", "nosuch"], "unknown preset"),
])
def test_bad_settings_exit_2_and_write_nothing(run_cli, tmp_path, args, words):
    code, _, err = run_cli("certs", "init", *args, "-o", str(tmp_path / "out"))
    assert code == 2 and words in err
    assert not (tmp_path / "out" / "certs").exists()


def test_encrypted_keys_need_a_passphrase_from_env_or_stdin(run_cli, tmp_path, monkeypatch):
    out = str(tmp_path / "out")
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *NAMES, "-o", out)
    assert code == 2 and "--passphrase-env NAME or --passphrase-stdin" in err
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *NAMES, "--passphrase-env", "PBXW_UNSET", "-o", out)
    assert code == 2 and "PBXW_UNSET is not set" in err
    monkeypatch.setenv("PBXW_SHORT", "too short")
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *NAMES, "--passphrase-env", "PBXW_SHORT", "-o", out)
    assert code == 2 and "at least 12 characters" in err and "too short" not in err
    assert not (tmp_path / "out" / "certs").exists()

    monkeypatch.setenv("PBXW_PASS", SECRET)
    code, stdout, err = run_cli("certs", "csr", "--preset", "maximum", *NAMES, "--passphrase-env", "PBXW_PASS", "-o", out)
    assert code == 0, err
    assert "keys encrypted" in stdout and SECRET not in stdout + err
    key = Layout.for_output(tmp_path / "out").identity.key.read_bytes()
    keys.load_private(key, SECRET.encode(), "pbx-key.pem")

    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *NAMES, "--set", "certificates.mode=local_ca",
                           "--passphrase-stdin", "--replace", "-o", out)
    assert code == 0, err
    assert keys.is_encrypted(Layout.for_output(tmp_path / "out").root_key.read_bytes())


def test_an_existing_store_needs_replace(run_cli, tmp_path):
    args = ("certs", "init", "--preset", "medium", *NAMES, "-o", str(tmp_path))
    assert run_cli(*args)[0] == 0
    code, _, err = run_cli(*args)
    assert code == 2 and "already holds a store" in err
    code, _, err = run_cli(*args, "--replace")
    assert code == 0 and "certs.previous" in err
    assert (tmp_path / PREVIOUS / "identity" / "pbx.pem").exists()


def test_csr_then_import_then_check(run_cli, tmp_path):
    assert run_cli("apply", "--preset", "medium", *NAMES, "-o", str(tmp_path))[0] == 0
    code, out, err = run_cli("certs", "csr", "-o", str(tmp_path))
    assert code == 0, err and "Send" in out
    code, out, _ = run_cli("certs", "check", str(tmp_path))
    assert code == 1 and "waiting for its signed certificate" in out
    lay = Layout.for_output(tmp_path)
    ca = ThirdPartyCA()
    signed, chain = tmp_path / "signed.pem", tmp_path / "chain.pem"
    signed.write_bytes(pem(ca.sign(load_csr(lay.identity.csr), start=TODAY - dt.timedelta(days=1))))
    chain.write_bytes(pem(ca.cert, ca.root))
    code, out, err = run_cli("certs", "import", str(signed), "--chain", str(chain), "-o", str(tmp_path))
    assert code == 0, err
    assert "1 CA root added" in out
    code, out, _ = run_cli("certs", "check", str(tmp_path), "--json")
    report = json.loads(out)
    assert code == 0 and not report["failed"]
    assert {i["subject"] for i in report["items"]} >= {"identity", "trusted store"}


def test_refused_import_exits_2_and_says_why(run_cli, tmp_path):
    run_cli("certs", "csr", "--preset", "medium", *NAMES, "-o", str(tmp_path))
    ca = ThirdPartyCA()
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(pem(ca.sign(keys.generate("ecdsa_p256"), start=TODAY - dt.timedelta(days=1)), ca.cert, ca.root))
    code, _, err = run_cli("certs", "import", str(stranger), "-o", str(tmp_path))
    assert code == 2 and "for another key" in err and "nothing was written" in err
    code, _, err = run_cli("certs", "import", str(tmp_path / "missing.pem"), "-o", str(tmp_path))
    assert code == 2 and "no such file" in err
    assert not Layout.for_output(tmp_path).identity.cert.exists()


def test_check_exit_codes(run_cli, tmp_path):
    code, _, err = run_cli("certs", "check", str(tmp_path))
    assert code == 2 and "no certificate store" in err
    run_cli("certs", "init", "--preset", "medium", *NAMES, "-o", str(tmp_path))
    code, out, err = run_cli("certs", "check", str(tmp_path / "certs"))
    assert code == 0 and "not compared" in out + err
    code, out, _ = run_cli("certs", "check", str(tmp_path), "--preset", "medium",
                           "--set", f"certificates.dns_names={HOST} voip.example.test")
    assert code == 1 and "do not cover voip.example.test" in out and "FAILED" in out
    lay = Layout.for_output(tmp_path)
    assert stat.S_IMODE(lay.identity.key.stat().st_mode) == 0o600


def test_help_for_every_certs_command(run_cli):
    for command in ("init", "csr", "import", "check"):
        code, out, _ = run_cli("certs", command, "--help")
        assert code == 0 and "usage:" in out and "--output" in out
    code, _, err = run_cli("certs")
    assert code == 2 and "init" in err


def test_certs_commands_load_cryptography_only_when_they_run(tmp_path):
    from test_cli import _run_module

    for argv in (["certs", "--help"], ["certs", "init", "--help"], ["presets"]):
        assert "cryptography" not in _run_module(argv, tmp_path), argv


def test_a_passphrase_that_is_not_utf8_is_refused_without_echoing_it(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PASS": "\udce9t\udce9-secret-passphrase"}  # the bytes e9 74 e9 ... of Latin-1 text
    for how, stdin in ((["--passphrase-env", "PASS"], b""), (["--passphrase-stdin"], b"\xe9t\xe9-secret-passphrase\n")):
        result = subprocess.run([sys.executable, "-m", "pbxwizard", "certs", "init", "--preset", "maximum", "--set",
                                 "certificates.mode=local_ca", "--set", "certificates.dns_names=pbx.example.com",
                                 *how, "--output", str(tmp_path / "out")], input=stdin, capture_output=True,
                                env={k: v.encode("utf-8", "surrogateescape") for k, v in env.items()})
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 2, err
        assert "not UTF-8 text" in err and "Traceback" not in err and "secret" not in err and "position" not in err
    assert not (tmp_path / "out" / "certs").exists()
