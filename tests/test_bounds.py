"""Hostile input made cheap: every case is refused with exit 2 and a message, never a
traceback, a MemoryError or a process the kernel kills.

The commands run in a child process whose address space is capped (RLIMIT_AS), so a
regression shows as a failed run here instead of a machine that swaps.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pbxwizard.passwords import hashing

MEMORY_CAP = 1536 * 1024 * 1024


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbxwizard", *argv], input=stdin, capture_output=True, text=True,
                          preexec_fn=_capped, timeout=600)


def _refused(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr[-2000:]


# --- scrypt parameters in a stored hash --------------------------------------------------------

HUGE_HASH = "$scrypt$ln=20,r=32,p=16$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"


def _config_with_hash(folder: Path, stored: str) -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / "security.toml"
    path.write_text(f'[pbxwizard]\npreset = "medium"\n\n[accounts]\nadministrator = "{stored}"\n')
    path.chmod(0o600)
    return path


def test_scrypt_parameters_past_what_the_tool_writes_are_refused_before_hashing(tmp_path):
    path = _config_with_hash(tmp_path / "out", HUGE_HASH)
    _refused(run("check", str(path)), "ln must be from 10 to 18")
    _refused(run("password-check", "--user", "administrator", "--policy", str(path),
                 stdin="Another-Long-Passw0rd!\n"), "ln must be from 10 to 18")


@pytest.mark.parametrize("params, allowed", [
    ("ln=18,r=8,p=2", True), ("ln=17,r=8,p=1", True), ("ln=19,r=8,p=1", False), ("ln=18,r=9,p=1", False),
    ("ln=18,r=8,p=3", False),
])
def test_the_scrypt_cap_is_what_the_tool_itself_would_write(params, allowed):
    stored = HUGE_HASH.replace("ln=20,r=32,p=16", params)
    assert hashing.is_hash(stored) is allowed
    scrypt = hashing.Params()  # what this tool writes when it writes scrypt (new hashes are argon2id)
    assert scrypt.log_n <= 18 and scrypt.r <= 8 and scrypt.p <= 2


# --- parser depth and key counts ---------------------------------------------------------------

def test_arrays_nested_900_deep_are_refused(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("[pbxwizard]\npreset = \"medium\"\n[web]\nx = " + "[" * 900 + "]" * 900 + "\n")
    _refused(run("check", str(path)), "nested too deeply")


def test_arrays_nested_past_the_bound_but_within_the_parser_are_refused(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("[pbxwizard]\npreset = \"medium\"\n[web]\nx = " + "[" * 40 + "]" * 40 + "\n")
    _refused(run("check", str(path)), "nested too deeply")


def test_a_dotted_key_20000_parts_deep_is_refused_before_parsing(tmp_path):
    path = tmp_path / "dotted.toml"
    path.write_text("[pbxwizard]\npreset = \"medium\"\n" + ".".join(["a"] * 20_000) + " = 1\n")
    _refused(run("check", str(path)), f"{path}:3: (toml): a key with more than 64 dotted parts")


def test_dots_inside_strings_do_not_count(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('[pbxwizard]\npreset = "medium"\n# ' + "." * 200 + '\n[access]\nignore_user_agents = ["'
                    + "." * 200 + '"]\n')
    result = run("check", str(path))
    assert result.returncode in (0, 1), result.stderr


def test_a_hundred_thousand_unknown_keys_are_refused_by_count(tmp_path):
    path = tmp_path / "wide.toml"
    path.write_text("[pbxwizard]\npreset = \"medium\"\n[web]\n" + "".join(f"k{i} = 1\n" for i in range(100_000)))
    _refused(run("check", str(path)), "more than 20000 keys")


def test_a_hundred_thousand_list_entries_are_read_not_refused(tmp_path):
    """List entries are capped apart from keys: a 100,000-entry access list is a large site's, not an attack."""
    path = tmp_path / "long.toml"
    entries = ", ".join(f'"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"' for i in range(100_000))
    path.write_text(f'[pbxwizard]\npreset = "medium"\n[access]\napi_access_list = [{entries}]\n')
    result = run("check", str(path))
    assert result.returncode in (0, 1), result.stderr[-2000:]


def test_list_entries_past_their_own_cap_are_refused(tmp_path):
    path = tmp_path / "longer.toml"
    path.write_text('[pbxwizard]\npreset = "medium"\n[access]\nignore_user_agents = ['
                    + ", ".join(['"a"'] * 200_001) + "]\n")
    _refused(run("check", str(path)), "more than 200000 list entries")


# --- byte caps on the read itself --------------------------------------------------------------

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_by_a_cap_on_the_read(tmp_path, device):
    out = str(tmp_path / "out")
    _refused(run("check", device), "too large")
    _refused(run("apply", "--answers", device, "--output", out), "too large")
    _refused(run("password-check", "--policy", device, stdin="Another-Long-Passw0rd!\n"), "too large")
    _refused(run("certs", "import", device, "--output", out, "--preset", "maximum"), "too large")
    users = tmp_path / "users.csv"
    users.write_text("extension\n201\n")
    _refused(run("pair", "--all", "--extensions", device, "--domain", "example.com", "--server", "pbx.example.com",
                 "--output", out), "too large")
    assert not os.path.exists(out) or sorted(os.listdir(out)) == []
