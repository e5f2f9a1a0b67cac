"""No password or token secret in argv, logs, the TOML in clear, or an exception message."""

import argparse
import io
import logging
import subprocess
import sys

import pytest

from pbxwizard.passwords import accounts, hashing
from pbxwizard.run import request
from pbxwizard.settings import presets
from pbxwizard.cli import build_parser
from pbxwizard.errors import ConfigError

SECRET = "Sekr1t-Correct-Horse-99"
WEAK = "qwerty123"  # on the common-password list

pytestmark = pytest.mark.usefixtures("fast_hashing")


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def test_no_command_takes_a_password_or_hash_as_an_argument():
    for name, sub in _subparsers(build_parser()):
        for action in sub._actions:
            words = " ".join([action.dest, *action.option_strings]).lower()
            if "password" in words or "hash" in words or "secret" in words:
                assert action.dest == "passwords" and action.metavar == "FILE", (name, action.dest)


def test_secrets_stay_out_of_logs_output_and_files(tmp_path, run_cli, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "out"

    def feed(text):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))

    feed(f"security_admin={SECRET}\nadministrator={WEAK}\n")
    code, o1, e1 = run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))
    assert code == 2
    feed(f"security_admin={SECRET}\n")
    code, o2, e2 = run_cli("apply", "--preset", "maximum", "--passwords", "-", "--output", str(out))
    assert code == 0
    feed(SECRET + "\n")
    _, o3, e3 = run_cli("password-check", "--policy", str(out / "security.toml"), "--user", "security_admin")
    feed("$scrypt$users-hash\n")
    _, o4, e4 = run_cli("pair", "201", "--domain", "pbx.example.com", "--server", "pbx.example.com",
                        "--ttl", "off", "--output", str(out), "--no-terminal")
    key = (out / "pairing.key").read_bytes()
    seen = caplog.text + o1 + e1 + o2 + e2 + o3 + e3 + o4 + e4
    files = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "pairing.key")
    for secret in (SECRET, WEAK, "users-hash"):
        assert secret not in seen
        assert secret.encode() not in files
    assert key.hex() not in seen and key not in files


def test_exception_messages_never_carry_the_password():
    config = request.resolve(presets.load(include_user=False), preset="maximum").config
    with pytest.raises(ConfigError) as info:
        accounts.set_passwords(config, {"administrator": WEAK, "security_admin": "Sh0rt!"})
    text = str(info.value) + repr(info.value.problems)
    assert WEAK not in text and "Sh0rt!" not in text
    with pytest.raises(ConfigError) as info:
        accounts.read_password_lines(f"{SECRET}=x\nadministrator={SECRET}\nadministrator={WEAK}\n{SECRET}\n", "f")
    text = str(info.value) + repr(info.value.problems)
    assert SECRET not in text and WEAK not in text


def test_headless_start_imports_no_heavy_module():
    code = ("import sys, pbxwizard.cli as c; c.build_parser(); "
            "heavy = [m for m in ('cryptography', 'qrcode', 'tomlkit', 'png', 'textual') if m in sys.modules]; "
            "print(heavy); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
