"""`apply --check` plans and writes nothing; `--json` prints one object, with or without --check."""

import json
import os

from test_run_plan import PASSWORDS, _state

SITE = ["--set", "pairing.domain=example.com", "--set", "pairing.server=pbx.example.com"]


def _passwords(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_text("".join(f"{name}={password}\n" for name, password in PASSWORDS.items()))
    os.chmod(path, 0o600)
    return str(path)


def test_check_on_a_fresh_folder_lists_every_file_and_writes_nothing(run_cli, tmp_path, fast_hashing):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("apply", "--preset", "medium", *SITE, "--pair", "201",
                                   "--passwords", _passwords(tmp_path), "--check", "-o", str(out))
    assert code == 0, stderr
    assert not out.exists()
    lines = stdout.splitlines()
    assert lines[0].startswith(f"plan for {out}: changes (")
    assert any(line.split()[:2] == ["create", f"{out / 'security.toml'}:"] for line in lines)
    assert any(line.split()[:2] == ["create", f"{out / 'pairing' / '201.png'}:"] for line in lines)
    assert "+++ security.toml (planned)" in stdout and "+session_timeout = 1800" in stdout
    assert "new passwords to hash: security_admin, administrator, business_partner" in stdout
    assert lines[-1] == "nothing was written (--check)"
    assert not any(pw in stdout + stderr for pw in PASSWORDS.values())


def test_check_after_a_change_shows_the_diff_and_leaves_the_folder_alone(run_cli, tmp_path, fast_hashing):
    out = tmp_path / "out"
    argv = ["apply", "--preset", "maximum", "--passwords", _passwords(tmp_path), "-o", str(out)]
    assert run_cli(*argv)[0] == 0
    before = _state(out)
    code, stdout, _ = run_cli(*argv, "--check")
    assert code == 0 and f"plan for {out}: no changes" in stdout and "security.toml: no change" in stdout
    assert "passwords matching the stored hashes (kept): security_admin, administrator, business_partner" in stdout
    code, stdout, _ = run_cli(*argv, "--set", "web.session_timeout=600", "--check")
    assert code == 0 and f"plan for {out}: changes" in stdout
    assert "-session_timeout = 900\n+session_timeout = 600" in stdout
    assert _state(out) == before


def test_json_is_one_object_with_changed_files_diff_findings_and_notes(run_cli, tmp_path, fast_hashing):
    out = tmp_path / "out"
    argv = ["apply", "--preset", "minimum", *SITE, "--pair", "201", "-o", str(out), "--json"]
    code, stdout, stderr = run_cli(*argv, "--check")
    assert code == 0, stderr
    planned = json.loads(stdout)
    assert planned["check"] is True and planned["changed"] is True and not out.exists()
    actions = {os.path.basename(f["path"]): f["action"] for f in planned["files"]}
    assert actions == {"security.toml": "create", "pairing.key": "create", "201.png": "create",
                       "201.svg": "create", "answers.toml": "create"}
    assert planned["diff"].startswith("--- security.toml (now)\n+++ security.toml (planned)\n")
    assert "accounts" in {f["key"] for f in planned["findings"] if f["severity"] == "high"}  # no passwords yet
    code, stdout, _ = run_cli(*argv)
    done = json.loads(stdout)
    assert code == 0 and done["check"] is False and done["changed"] is True
    assert any("made pairing codes for 201" in note for note in done["notes"])
    code, stdout, _ = run_cli(*argv)
    again = json.loads(stdout)
    assert code == 0 and again["changed"] is False and again["diff"] == ""
    assert {f["action"] for f in again["files"]} == {"keep"}


def test_json_refusal_is_an_object_too_and_exits_2(run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("apply", "--preset", "medium", "--set", "web.session_timeout=5", "--json",
                                   "--check", "-o", str(out))
    assert code == 2 and not out.exists()
    refused = json.loads(stdout)
    assert refused["failed"] is True and refused["changed"] is False
    assert [p["key"] for p in refused["problems"]] == ["web.session_timeout"]
    assert "web.session_timeout" in stderr and "nothing was written" in stderr


def test_apply_help_documents_check_json_and_the_exit_codes(run_cli):
    code, stdout, _ = run_cli("apply", "--help")
    assert code == 0
    for text in ("--check", "--json", "exit codes:", "0  done: written, unchanged, or (--check) planned",
                 "2  invalid input"):
        assert text in stdout
