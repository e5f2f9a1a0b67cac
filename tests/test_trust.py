"""Shared and foreign folders, planted files and symlinks: refused, never trusted or followed.

Another user is played by a made-up uid that files are chown'ed to (the suite runs as
root under CI; as another user, chown to a foreign uid is not possible and those tests
are skipped outside CI, failing under it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pbxwizard.pairing import tokens

OTHER_UID = 4242
PAIR_SETTINGS = ("--set", "pairing.domain=example.com", "--set", "pairing.server=pbx.example.com")


def _can_chown() -> bool:
    return os.geteuid() == 0


needs_root = pytest.mark.skipif(not _can_chown() and os.environ.get("CI") != "true",
                                reason="playing another user takes root (chown to a foreign uid)")


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes | str]]:
    """Every entry under ``folder``: owner, mode and content (or link target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = os.lstat(path)
        body = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else b""
        found[str(path.relative_to(folder))] = (st.st_uid, stat.S_IMODE(st.st_mode), body)
    return found


def _planted(tmp_path: Path, *, mode: int, owner: int) -> tuple[Path, bytes]:
    """A folder as another user leaves it: her pairing key (0644) and a security.toml of hers."""
    out = tmp_path / "shared"
    out.mkdir()
    key = os.urandom(tokens.KEY_BYTES)
    (out / tokens.KEY_NAME).write_bytes(key)
    (out / "security.toml").write_text('[pbxwizard]\npreset = "medium"\n\n[accounts]\n'
                                       'administrator = "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$'
                                       'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"\n')
    for path in (out / tokens.KEY_NAME, out / "security.toml"):
        os.chmod(path, 0o644)
        os.chown(path, owner, owner)
    os.chmod(out, mode)
    os.chown(out, owner, owner)
    return out, key


@needs_root
def test_a_folder_another_user_owns_is_refused_and_left_as_it_was(run_cli, tmp_path, passwords_file, fast_hashing):
    out, _ = _planted(tmp_path, mode=0o755, owner=OTHER_UID)
    before = _snapshot(out)
    code, _, err = run_cli("apply", "--preset", "medium", "--passwords", str(passwords_file), "--pair", "201",
                           *PAIR_SETTINGS, "--output", str(out))
    assert code == 2
    assert f"{out}: (folder): folder is owned by another user (uid {OTHER_UID})" in err
    assert _snapshot(out) == before and stat.S_IMODE(out.stat().st_mode) == 0o755


@needs_root
def test_a_token_signed_with_a_planted_key_does_not_verify(run_cli, tmp_path):
    out, key = _planted(tmp_path, mode=0o755, owner=OTHER_UID)
    forged = tokens.issue(key, "201", "example.com", "pbx.example.com", ttl=3600)
    code, out_text, err = run_cli("verify-token", forged.uri, "--output", str(out))
    assert code == 2 and "valid" not in out_text
    assert "owned by another user" in err


@needs_root
def test_planted_files_in_a_folder_of_ours_are_refused(run_cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    key = os.urandom(tokens.KEY_BYTES)
    (out / tokens.KEY_NAME).write_bytes(key)
    os.chown(out / tokens.KEY_NAME, OTHER_UID, OTHER_UID)
    forged = tokens.issue(key, "201", "example.com", "pbx.example.com", ttl=3600)
    code, _, err = run_cli("verify-token", forged.uri, "--output", str(out))
    assert code == 2 and f"{out / tokens.KEY_NAME}: (file): file is owned by another user (uid {OTHER_UID})" in err
    code, _, err = run_cli("pair", "201", "--domain", "example.com", "--server", "pbx.example.com",
                           "--no-terminal", "--output", str(out))
    assert code == 2 and "owned by another user" in err
    assert not (out / "pairing").exists()


def test_a_world_writable_folder_is_refused_even_when_root_owns_it(run_cli, tmp_path):
    out = tmp_path / "drop"
    out.mkdir()
    os.chmod(out, 0o1777)
    code, _, err = run_cli("apply", "--preset", "minimum", "--output", str(out))
    assert code == 2 and "writable by group or others (mode 1777)" in err
    assert list(out.iterdir()) == [] and stat.S_IMODE(out.stat().st_mode) == 0o1777


def test_a_group_writable_key_file_is_refused(run_cli, tmp_path):
    out = tmp_path / "out"
    store = tokens.Store(out)
    token = store.issue("201", "example.com", "pbx.example.com", ttl=3600)
    os.chmod(store.key_path, 0o620)
    code, _, err = run_cli("verify-token", token.uri, "--output", str(out))
    assert code == 2 and "writable by group or others (mode 0620)" in err


# --- symlinks where our files belong ---------------------------------------------------------

def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("the victim's own text\n")
    os.chmod(victim, 0o644)
    return victim


def test_a_symlinked_security_toml_is_refused_and_its_target_untouched(run_cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    victim = _victim(tmp_path)
    (out / "security.toml").symlink_to(victim)
    code, _, err = run_cli("apply", "--preset", "minimum", "--output", str(out))
    assert code == 2 and f"{out / 'security.toml'}: (file): file is a symbolic link" in err
    assert victim.read_text() == "the victim's own text\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert sorted(p.name for p in out.iterdir()) == ["security.toml"]


def test_a_symlinked_revocation_list_is_refused(run_cli, tmp_path):
    out = tmp_path / "out"
    token = tokens.Store(out).issue("201", "example.com", "pbx.example.com", ttl=3600)
    victim = _victim(tmp_path)
    (out / tokens.REVOKED_NAME).symlink_to(victim)
    code, _, err = run_cli("revoke", token.id, "--output", str(out))
    assert code == 2 and "is a symbolic link" in err
    assert victim.read_text() == "the victim's own text\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert (out / tokens.REVOKED_NAME).is_symlink()


@pytest.mark.parametrize("link", ["pairing", "output"])
def test_a_symlinked_folder_is_refused_not_chmodded_or_swept(run_cli, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chmod(elsewhere, 0o755)
    (elsewhere / ".201.png.p1.abc.tmp").write_bytes(b"someone's")
    out = tmp_path / "out"
    if link == "pairing":
        out.mkdir(mode=0o700)
        (out / "pairing").symlink_to(elsewhere)
    else:
        out.symlink_to(elsewhere)
    code, _, err = run_cli("pair", "201", "--domain", "example.com", "--server", "pbx.example.com",
                           "--no-terminal", "--output", str(out))
    assert code == 2 and "(folder): folder is a symbolic link" in err
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755
    assert sorted(p.name for p in elsewhere.iterdir()) == [".201.png.p1.abc.tmp"]


def test_a_symlinked_sheet_is_refused(run_cli, tmp_path):
    out = tmp_path / "out"
    (out / "pairing").mkdir(parents=True, mode=0o700)
    os.chmod(out, 0o700)
    victim = _victim(tmp_path)
    (out / "pairing" / "sheet.html").symlink_to(victim)
    users = tmp_path / "users.csv"
    users.write_text("extension\n201\n")
    code, _, err = run_cli("pair", "--all", "--extensions", str(users), "--domain", "example.com",
                           "--server", "pbx.example.com", "--output", str(out))
    assert code == 2 and "sheet.html: (file): file is a symbolic link" in err
    assert victim.read_text() == "the victim's own text\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644


def test_parents_made_on_the_way_are_private_whatever_the_umask(run_cli, tmp_path):
    old = os.umask(0)
    try:
        code, _, err = run_cli("apply", "--preset", "minimum", "--output", str(tmp_path / "a" / "b" / "c"))
    finally:
        os.umask(old)
    assert code == 0, err
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
