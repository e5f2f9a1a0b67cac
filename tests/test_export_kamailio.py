"""pbxwizard export kamailio: the files, what they say, and Kamailio's own check of them."""

from __future__ import annotations

import hashlib
import re
import stat

import pytest

from kamhelp import HOST, PASSPHRASE, check, cli, make_folder
from pbxwizard.settings import catalog, presets
from pbxwizard.targets.kamailio import export


def test_every_setting_is_expressed_or_named_with_a_reason():
    for setting in catalog.SETTINGS:
        listed = export.unexpressed_reason(setting.key) is not None
        assert listed != (setting.key in export.EXPRESSED), setting.key


@pytest.mark.parametrize("preset", presets.BUILTIN)
def test_kamailio_accepts_the_export_of_every_preset(tmp_path, preset):
    folder = make_folder(tmp_path / preset, preset)
    done = check(folder / "kamailio.cfg")
    assert done.returncode == 0 and "config file ok" in (done.stdout + done.stderr).lower(), done.stderr[-3000:]
    # one TCP/TLS worker whatever the preset: 5.6.3 crashes with more under a TLS scanner (kamailio#3791)
    assert re.findall(r"^tcp_children=.*$", (folder / "kamailio.cfg").read_text(), re.M) == ["tcp_children=1"]
    for path in [*folder.rglob("*")]:
        wanted = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == wanted, path


def test_listeners_follow_the_transports(tmp_path):
    cfg = (make_folder(tmp_path / "a", "minimum", "sip.port=25060", tls_port=25061) / "kamailio.cfg").read_text()
    assert re.findall(r"^listen=.*$", cfg, re.M) == [
        "listen=tls:127.0.0.1:25061", "listen=tcp:127.0.0.1:25060", "listen=udp:127.0.0.1:25060"]
    cfg = (make_folder(tmp_path / "b", "medium", tls_port=25061) / "kamailio.cfg").read_text()
    assert re.findall(r"^listen=.*$", cfg, re.M) == ["listen=tls:127.0.0.1:25061"]
    assert f'alias="{HOST}"' in cfg


def test_tls_cfg_follows_the_tls_and_certificate_settings(tmp_path):
    medium = (make_folder(tmp_path / "m", "medium") / "tls.cfg").read_text()
    assert "method = TLSv1.2+" in medium and "verify_client = off" in medium
    assert ":!RC4" in medium and "RC4-SHA" not in medium
    maximum = make_folder(tmp_path / "x", "maximum")
    text = (maximum / "tls.cfg").read_text()
    assert "verify_client = on" in text and "verify_certificate = yes" in text
    assert str(tmp_path / "x" / "certs" / "trusted" / "ca-bundle.pem") in text
    # High pins the manager identity's own certificate, not every certificate the CA signed
    pem = (tmp_path / "x" / "certs" / "manager" / "manager.pem").read_bytes()
    script = (maximum / "kamailio.cfg").read_text()
    assert hashlib.sha256(pem).hexdigest() in script
    identity = (tmp_path / "x" / "certs" / "identity" / "pbx.pem").read_bytes()
    assert hashlib.sha256(identity).hexdigest() not in script


def test_what_kamailio_cannot_express_is_listed_by_the_command_and_in_each_file(tmp_path):
    folder = make_folder(tmp_path / "m", "medium", "tls.max_version=1.2")
    done = cli("export", "kamailio", "--output", str(tmp_path / "m"))
    assert done.returncode == 0, done.stderr
    assert "tls.max_version = 1.2" not in done.stdout  # min = max = 1.2 is expressible: method = TLSv1.2
    assert "tls.dtls_min_version, tls.dtls_max_version" in done.stdout
    for name in ("kamailio.cfg", "tls.cfg", "openssl.cnf"):
        text = (folder / name).read_text()
        assert "Not expressed in Kamailio's files" in text and "web.session_timeout" in text, name
        assert "Known issue" in text and "kamailio#3791" in text, name  # the 5.6.3 crash under TLS scanners
    assert "method = TLSv1.2\n" in (folder / "tls.cfg").read_text()


def test_an_encrypted_key_is_refused_without_its_passphrase_and_copied_decrypted_with_it(tmp_path):
    out = tmp_path / "x"
    make_folder(out, "maximum")
    copy = out / "kamailio" / "pbx-key.pem"
    copy.unlink()
    done = cli("export", "kamailio", "--output", str(out))
    assert done.returncode == 2
    assert "certificates.encrypt_keys" in done.stderr and "--passphrase-env" in done.stderr
    assert not copy.exists()
    done = cli("export", "kamailio", "--output", str(out), "--passphrase-stdin", stdin="not the passphrase at all\n")
    assert done.returncode == 2 and "passphrase does not open" in done.stderr
    done = cli("export", "kamailio", "--output", str(out), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr
    assert "decrypted copy" in done.stderr and PASSPHRASE not in done.stdout + done.stderr
    assert b"ENCRYPTED" not in copy.read_bytes() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert f"private_key = {copy}" in (out / "kamailio" / "tls.cfg").read_text()


@pytest.mark.parametrize("args, says", [
    (["--address", "pbx.example.test"], "--address: 'pbx.example.test' is not an IP address"),
    (["--address", "300.1.1.1"], "'300.1.1.1' is not an IP address"),
])
def test_bad_input_names_the_field_and_writes_nothing(tmp_path, args, says):
    out = tmp_path / "m"
    make_folder(out, "medium")
    before = {p: p.read_bytes() for p in (out / "kamailio").rglob("*") if p.is_file()}
    done = cli("export", "kamailio", "--output", str(out), *args)
    assert done.returncode == 2 and says in done.stderr
    assert {p: p.read_bytes() for p in (out / "kamailio").rglob("*") if p.is_file()} == before


def test_a_folder_without_settings_or_store_is_explained(tmp_path):
    done = cli("export", "kamailio", "--output", str(tmp_path / "empty"))
    assert done.returncode == 2 and "no security.toml" in done.stderr
    assert cli("apply", "--preset", "medium", "--output", str(tmp_path / "nostore")).returncode == 0
    done = cli("export", "kamailio", "--output", str(tmp_path / "nostore"))
    assert done.returncode == 2 and "pbxwizard certs init" in done.stderr
    assert not (tmp_path / "nostore" / "kamailio").exists()


def test_the_export_waits_for_the_folders_lock_and_then_names_its_holder(tmp_path):
    from pbxwizard import folderlock

    out = tmp_path / "m"
    make_folder(out, "medium")
    before = (out / "kamailio" / "tls.cfg").read_bytes()
    with folderlock.hold(out, "making the certificate store"):
        done = cli("export", "kamailio", "--output", str(out), env={"PBXWIZARD_LOCK_WAIT": "0"})
    assert done.returncode == 2 and "making the certificate store" in done.stderr
    assert (out / "kamailio" / "tls.cfg").read_bytes() == before
