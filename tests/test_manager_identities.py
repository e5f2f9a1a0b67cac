"""Issue 12 item 4: a manager certificate for each management installation, and a .p12 to import it."""

import stat
import subprocess

from cryptography.hazmat.primitives.serialization import Encoding

import pytest

from certhelp import HOST
from pbxwizard.certs.layout import Layout
from pbxwizard.settings import catalog

STORE = ["--set", f"certificates.dns_names={HOST}", "--set", "certificates.key_type=ecdsa_p256",
         "--set", "certificates.mode=local_ca"]
TWO = ["--set", "certificates.manager_identities=office laptop"]
KEY_PASSPHRASE = "a passphrase for the test store"
BUNDLE_PASSPHRASE = "the bundle's own passphrase 42"



@pytest.fixture
def two_identities(run_cli, tmp_path, monkeypatch):
    """An output folder whose store (keys encrypted, maximum preset) holds two manager identities."""
    monkeypatch.setenv("PBXW_KEY", KEY_PASSPHRASE)
    monkeypatch.setenv("PBXW_P12", BUNDLE_PASSPHRASE)
    out = tmp_path / "out"
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *STORE, *TWO, "--passphrase-env", "PBXW_KEY",
                           "-o", str(out))
    assert code == 0, err
    return out


def test_the_setting_is_in_the_catalog_with_its_explanation_and_source():
    setting = catalog.get("certificates.manager_identities")
    assert setting.default == ("manager",)
    assert setting.explain and setting.risk and setting.source.startswith("001: ")
    assert "all permissible Manager entities" in setting.source
    assert setting.kind.from_text("office laptop-2 site_b") == ("office", "laptop-2", "site_b")
    for bad in ("Office", "pbx", "ca-bundle", "x-key", "../up", "a b/c"):
        with pytest.raises(Exception):
            setting.kind.from_text(bad)


def test_one_manager_certificate_each_and_each_pinned_at_high(two_identities, run_cli):
    layout = Layout.for_output(two_identities)
    assert layout.manager_names() == ("laptop", "office")
    for name in ("office", "laptop"):
        files = layout.manager_identity(name)
        assert files.cert.is_file() and files.key.is_file() and layout.pinned(name).is_file()
        assert layout.pinned(name).read_bytes() == files.cert.read_bytes()
    assert not layout.manager.cert.exists()  # no "manager" unless it is one of the names
    code, out, err = run_cli("certs", "check", str(two_identities), "--preset", "maximum", *STORE, *TWO,
                             "--passphrase-env", "PBXW_KEY")
    assert code == 0, out + err
    assert "OK    manager office: the private key matches the certificate" in out
    assert "OK    manager laptop: key usage fits a TLS client" in out


def test_secure_high_with_no_manager_identity_is_refused_with_the_rule(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "maximum", *STORE, "--set", "certificates.manager_identities=",
                           "-o", str(tmp_path / "o"))
    assert code == 2 and "certificates.manager_identities names none" in err
    code, _, err = run_cli("apply", "--preset", "minimum", "--set", "certificates.manager_identities=",
                           "-o", str(tmp_path / "min"))
    assert code == 0, err  # nothing needs a manager certificate there


def test_more_identities_than_the_vendor_store_holds_are_refused(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "maximum", *STORE,
                           "--set", "certificates.manager_identities=a b c d e f", "-o", str(tmp_path / "o"))
    assert code == 2 and "certificates.manager_identities" in err and "5 allowed" in err


def test_apply_certs_makes_every_identity(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PBXW_KEY", KEY_PASSPHRASE)
    out = tmp_path / "out"
    code, _, err = run_cli("apply", "--preset", "medium", *STORE, *TWO, "--set",
                           "services.security_admin_level=secure_high", "--certs", "-o", str(out))
    assert code == 0, err
    assert Layout.for_output(out).manager_names() == ("laptop", "office")
    assert all(Layout.for_output(out).manager_identity(n).cert.is_file() for n in ("office", "laptop"))


def test_export_p12_is_read_by_openssl_with_its_passphrase_only(two_identities, run_cli, monkeypatch):
    code, out, err = run_cli("certs", "export", "--p12", "laptop", "--passphrase-env", "PBXW_KEY",
                             "--p12-passphrase-env", "PBXW_P12", "-o", str(two_identities))
    assert code == 0, err
    path = Layout.for_output(two_identities).p12("laptop")
    assert path.parent == Layout.for_output(two_identities).manager_identity("laptop").cert.parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert BUNDLE_PASSPHRASE not in out + err and KEY_PASSPHRASE not in out + err
    info = subprocess.run(["openssl", "pkcs12", "-info", "-in", str(path), "-passin", "env:PBXW_P12", "-noout"],
                          capture_output=True, text=True)
    assert info.returncode == 0, info.stderr
    assert "AES-256-CBC" in info.stderr and "hmacWithSHA256" in info.stderr and "MAC: sha256" in info.stderr
    certs = subprocess.run(["openssl", "pkcs12", "-in", str(path), "-passin", "env:PBXW_P12", "-nokeys"],
                           capture_output=True, text=True)
    assert certs.returncode == 0, certs.stderr
    assert "management client laptop" in certs.stdout and "intermediate CA" in certs.stdout and "root CA" in certs.stdout
    monkeypatch.setenv("PBXW_WRONG", "not the bundle passphrase")
    wrong = subprocess.run(["openssl", "pkcs12", "-info", "-in", str(path), "-passin", "env:PBXW_WRONG", "-noout"],
                           capture_output=True, text=True)
    assert wrong.returncode != 0 and "invalid password" in wrong.stderr


def test_export_p12_takes_the_passphrase_from_stdin_never_argv(two_identities, run_cli, stdin):
    from cryptography.hazmat.primitives.serialization import pkcs12

    stdin(f"{KEY_PASSPHRASE}\n{BUNDLE_PASSPHRASE}\n")
    code, _, err = run_cli("certs", "export", "--p12", "office", "--passphrase-stdin", "--p12-passphrase-stdin",
                           "-o", str(two_identities))
    assert code == 0, err
    data = Layout.for_output(two_identities).p12("office").read_bytes()
    key, cert, cas = pkcs12.load_key_and_certificates(data, BUNDLE_PASSPHRASE.encode())
    assert key is not None and "management client office" in cert.subject.rfc4514_string() and len(cas) == 2
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b"a wrong passphrase")
    code, _, err = run_cli("certs", "export", "--p12", "office", "--p12-passphrase", BUNDLE_PASSPHRASE,
                           "-o", str(two_identities))
    assert code == 2 and BUNDLE_PASSPHRASE not in err


def test_export_p12_refusals_name_what_is_wrong(two_identities, run_cli, monkeypatch, stdin):
    monkeypatch.setenv("PBXW_BADKEY", "not the store's key passphrase")
    code, _, err = run_cli("certs", "export", "--p12", "office", "--passphrase-env", "PBXW_BADKEY",
                           "--p12-passphrase-env", "PBXW_P12", "-o", str(two_identities))
    assert code == 2 and "the passphrase does not open this key" in err
    code, _, err = run_cli("certs", "export", "--p12", "desk", "--passphrase-env", "PBXW_KEY",
                           "--p12-passphrase-env", "PBXW_P12", "-o", str(two_identities))
    assert code == 2 and "manager identity 'desk'" in err and "laptop, office" in err
    monkeypatch.setenv("PBXW_SHORT", "short")
    code, _, err = run_cli("certs", "export", "--p12", "office", "--passphrase-env", "PBXW_KEY",
                           "--p12-passphrase-env", "PBXW_SHORT", "-o", str(two_identities))
    assert code == 2 and "p12-passphrase: the .p12 passphrase needs at least 12 characters" in err
    stdin("")
    code, _, err = run_cli("certs", "export", "--p12", "office", "--passphrase-env", "PBXW_KEY",
                           "-o", str(two_identities))  # no terminal to ask at
    assert code == 2 and "--p12-passphrase-env NAME or --p12-passphrase-stdin" in err
    assert not list(Layout.for_output(two_identities).root.glob("manager/*.p12"))


def test_renew_renews_every_identity_and_drops_a_stale_p12(two_identities, run_cli):
    code, _, err = run_cli("certs", "export", "--p12", "office", "--passphrase-env", "PBXW_KEY",
                           "--p12-passphrase-env", "PBXW_P12", "-o", str(two_identities))
    assert code == 0, err
    layout = Layout.for_output(two_identities)
    before = {n: layout.manager_identity(n).cert.read_bytes() for n in ("office", "laptop")}
    code, out, err = run_cli("certs", "renew", "--preset", "maximum", *STORE, *TWO, "--passphrase-env", "PBXW_KEY",
                             "-o", str(two_identities))
    assert code == 0, err
    for name, old in before.items():
        assert layout.manager_identity(name).cert.read_bytes() != old
        assert layout.pinned(name).read_bytes() == layout.manager_identity(name).cert.read_bytes()
    assert not layout.p12("office").exists()  # it held the old key


def test_certs_init_p12_writes_one_bundle_beside_each_identity(run_cli, tmp_path, stdin):
    from cryptography.hazmat.primitives.serialization import pkcs12

    out = tmp_path / "out"
    stdin(f"{KEY_PASSPHRASE}\n{BUNDLE_PASSPHRASE}\n")
    code, stdout, err = run_cli("certs", "init", "--preset", "maximum", *STORE, *TWO, "--passphrase-stdin",
                                "--p12", "--p12-passphrase-stdin", "-o", str(out))
    assert code == 0, err
    layout = Layout.for_output(out)
    for name in ("office", "laptop"):
        path = layout.p12(name)
        assert f"wrote {path} (mode 0600)" in stdout and stat.S_IMODE(path.stat().st_mode) == 0o600
        key, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), BUNDLE_PASSPHRASE.encode())
        assert cert.public_bytes(Encoding.PEM) == layout.manager_identity(name).cert.read_bytes()
    code, _, err = run_cli("certs", "init", "--preset", "maximum", *STORE, "--set", "certificates.mode=csr",
                           "--p12", "-o", str(tmp_path / "csr"))
    assert code == 2 and "--p12: a .p12 needs a signed certificate" in err and not (tmp_path / "csr").exists()


def test_check_names_an_identity_the_config_lists_but_the_store_lacks(two_identities, run_cli):
    code, out, _ = run_cli("certs", "check", str(two_identities), "--preset", "maximum", *STORE,
                           "--set", "certificates.manager_identities=office laptop desk", "--passphrase-env", "PBXW_KEY")
    assert code == 1
    assert "FAIL  manager desk: no certificate and no key (client certificate checks are on)" in out
    assert "FAIL  manager office" not in out and "FAIL  manager laptop" not in out
