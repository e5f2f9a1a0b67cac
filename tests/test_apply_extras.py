"""`pbxwizard apply` makes what the wizard makes: certificate store and pairing codes too."""

import stat
import tomllib

import pytest

from pbxwizard.run.execute import execute
from pbxwizard.run.plan import make_plan
from pbxwizard.run.request import resolve
from pbxwizard.settings import presets
from pbxwizard.run.extras import Extras

SITE = ["--set", "certificates.mode=local_ca", "--set", "certificates.dns_names=pbx.example.com",
        "--set", "pairing.domain=example.com", "--set", "pairing.server=pbx.example.com"]


def test_apply_makes_store_and_codes_and_keeps_an_existing_store(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PBX_PASS", "a long key passphrase here")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("apply", "--preset", "maximum", *SITE, "--certs", "--pair", "201", "--pair", "202",
                                   "--passphrase-env", "PBX_PASS", "-o", str(out))
    assert code == 0, stderr
    assert (out / "certs" / "identity" / "pbx-chain.pem").is_file()
    key = (out / "certs" / "identity" / "pbx-key.pem").read_bytes()
    assert b"ENCRYPTED" in key and stat.S_IMODE((out / "certs" / "identity" / "pbx-key.pem").stat().st_mode) == 0o600
    for ext in ("201", "202"):
        assert (out / "pairing" / f"{ext}.png").stat().st_size > 0
    assert "a long key passphrase" not in stdout + stderr
    # a second run keeps the store: phones and PCs already trust its CA
    code, stdout, _ = run_cli("apply", "--preset", "maximum", *SITE, "--certs", "-o", str(out))
    assert code == 0 and "kept the existing certificate store" in stdout
    assert (out / "certs" / "identity" / "pbx-key.pem").read_bytes() == key


@pytest.mark.parametrize("extra,key", [
    (["--certs"], "certificates.encrypt_keys"),            # maximum encrypts keys: a passphrase is needed
    (["--pair", "201", "--set", "pairing.domain="], "pairing.domain"),
    (["--pair", "20 1"], "--pair"),
    (["--pair", "201", "--set", "pairing.barcode_duration=off"], "pairing.barcode_duration"),
])
def test_extras_problems_stop_the_run_before_anything_is_written(run_cli, tmp_path, extra, key):
    code, _, stderr = run_cli("apply", "--preset", "maximum", *SITE, *extra, "-o", str(tmp_path / "out"))
    assert code == 2 and key in stderr
    assert not (tmp_path / "out").exists()


def test_answers_file_replays_the_same_config_and_extras(run_cli, tmp_path):
    store = presets.load(include_user=False)
    resolved = resolve(store, preset="medium", assignments=[*SITE[1::2], "web.session_timeout=600"],
                               certificates=True, pair=["201"])
    first = tmp_path / "first"
    execute(make_plan(resolved, first))
    path = first / "answers.toml"
    meta = tomllib.loads(path.read_text())["pbxwizard"]
    assert meta == {"preset": "medium", "certificates": True, "pair": ["201"]}
    code, _, stderr = run_cli("apply", "--answers", str(path), "-o", str(tmp_path / "again"))
    assert code == 0, stderr
    assert (tmp_path / "again" / "security.toml").read_text() == (first / "security.toml").read_text()
    assert (tmp_path / "again" / "certs").is_dir() and (tmp_path / "again" / "pairing" / "201.svg").is_file()
    replay = resolve(store, answers=path)
    assert replay.config == resolved.config and replay.extras == Extras(True, ("201",))


def test_every_secret_file_is_0600_and_every_folder_0700_even_with_umask_0(run_cli, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("PBX_PASS", "a long key passphrase here")
    passwords = tmp_path / "pw.txt"
    passwords.write_text("security_admin=correct horse battery staple 9!\nadministrator=Quiet-Lantern-Orbit-77\n"
                         "business_partner=Velvet#Harbor#Mosaic#31\n")
    os.chmod(passwords, 0o600)
    out = tmp_path / "out"
    old = os.umask(0)
    try:
        code, _, stderr = run_cli("apply", "--preset", "maximum", *SITE, "--certs", "--pair", "201",
                                  "--passwords", str(passwords), "--passphrase-env", "PBX_PASS", "-o", str(out))
    finally:
        os.umask(old)
    assert code == 0, stderr
    seen = 0
    for folder, dirs, files in os.walk(out):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
        for name in files:
            path = os.path.join(folder, name)
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
            seen += 1
    assert seen >= 15
