import json
import os
import stat
import subprocess
import sys
import tomllib

import pytest

from pbxwizard import __version__
from pbxwizard.settings import catalog


def test_apply_maximum_writes_a_complete_private_config_that_checks_clean(run_cli, tmp_path, fast_hashing,
                                                                         passwords_file, with_store):
    out = tmp_path / "D"
    code, stdout, _ = run_cli("apply", "--preset", "maximum", "--passwords", str(passwords_file), *with_store,
                              "--output", str(out))
    assert code == 0 and "security.toml" in stdout
    path = out / "security.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    data = tomllib.loads(path.read_text())
    keys = {f"{s}.{k}" for s in data if s not in ("pbxwizard", "accounts") for k in data[s]}
    assert keys == set(catalog.BY_KEY)
    code, stdout, _ = run_cli("check", str(path))
    assert code == 0, stdout
    assert "0 high" in stdout and "closest to the maximum preset" in stdout


def test_maximum_without_new_passwords_has_one_high_finding(run_cli, tmp_path, with_store):
    out = tmp_path / "D"
    code, _, err = run_cli("apply", "--preset", "maximum", *with_store, "--output", str(out))
    assert code == 0 and "no new password yet" in err
    code, stdout, _ = run_cli("check", str(out / "security.toml"), "--json")
    high = [f for f in json.loads(stdout)["findings"] if f["severity"] == "high"]
    assert code == 1 and [f["key"] for f in high] == ["accounts"]


def test_apply_minimum_gives_high_findings_naming_the_weak_keys(run_cli, tmp_path):
    run_cli("apply", "--preset", "minimum", "--output", str(tmp_path))
    code, stdout, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    report = json.loads(stdout)
    assert code == 1
    high = {f["key"] for f in report["findings"] if f["severity"] == "high"}
    assert "services.configuration_level" in high
    assert report["posture"]["closest"] == "minimum"


@pytest.mark.parametrize("assignment,key", [
    ("access.api_access_list=192.168.1.0/16", "access.api_access_list"),
    ("access.api_access_list=10.0.0.0/40", "access.api_access_list"),
    ("access.csta_access_list=alice@pbx.example.com", "access.csta_access_list"),
    ('access.ignore_user_agents=scanner "SIP Call', "access.ignore_user_agents"),
    ("tls.min_version=1.3", "tls.min_version"),
    ("web.session_timeout=-60", "web.session_timeout"),
    ("web.session_timeout=soon", "web.session_timeout"),
    ("pairing.barcode_duration=3 fortnights", "pairing.barcode_duration"),
    ("tls.rc4=maybe", "tls.rc4"),
    ("web.no_such_key=1", "web.no_such_key"),
])
def test_bad_set_values_exit_2_name_the_key_and_write_nothing(run_cli, tmp_path, assignment, key):
    set_args = ["--set", assignment]
    if assignment.startswith("tls.min_version"):
        set_args += ["--set", "tls.max_version=1.2"]
    code, stdout, stderr = run_cli("apply", "--preset", "maximum", *set_args, "--output", str(tmp_path / "out"))
    assert code == 2
    assert key in stderr and "nothing was written" in stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("body,key", [
    ('[access]\napi_access_list = ["10.0.0.0/33"]\n', "access.api_access_list"),
    ('[access]\ncsta_access_list = ["bob@example.org"]\n', "access.csta_access_list"),
    ('[access]\nignore_user_agents = \'scanner "SIP\'\n', "access.ignore_user_agents"),
    ('[tls]\nmin_version = "1.3"\nmax_version = "1.2"\n', "tls.min_version"),
    ("[web]\nsession_timeout = -1\n", "web.session_timeout"),
    ('[web]\nsession_timeout = "3600"\n', "web.session_timeout"),
])
def test_bad_answers_files_exit_2_and_leave_the_existing_config_untouched(run_cli, tmp_path, body, key):
    out = tmp_path / "out"
    run_cli("apply", "--preset", "medium", "--output", str(out))
    before = (out / "security.toml").read_bytes()
    answers = tmp_path / "answers.toml"
    answers.write_text('[pbxwizard]\npreset = "maximum"\n' + body)
    code, _, stderr = run_cli("apply", "--answers", str(answers), "--output", str(out))
    assert code == 2 and key in stderr and str(answers) in stderr
    assert (out / "security.toml").read_bytes() == before
    assert not (out / "security.toml.bak").exists()


def test_every_problem_is_listed_at_once(run_cli, tmp_path):
    code, _, stderr = run_cli("apply", "--preset", "maximum", "--set", "web.session_timeout=0",
                              "--set", "tls.rc4=perhaps", "--set", "passwords.min_length=x", "-o", str(tmp_path))
    assert code == 2 and "3 problems" in stderr
    for key in ("web.session_timeout", "tls.rc4", "passwords.min_length"):
        assert key in stderr


def test_answers_file_and_set_combine(run_cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('[pbxwizard]\npreset = "medium"\n[web]\nsession_timeout = 600\n'
                       '[access]\napi_access_list = ["192.0.2.10", "10.20.0.0/16"]\n')
    code, _, _ = run_cli("apply", "--answers", str(answers), "--set", 'access.ignore_user_agents=a "SIP Call"',
                         "-o", str(tmp_path / "o"))
    assert code == 0
    data = tomllib.loads((tmp_path / "o" / "security.toml").read_text())
    assert data["pbxwizard"]["preset"] == "medium"
    assert data["web"]["session_timeout"] == 600
    assert data["access"]["api_access_list"] == ["192.0.2.10", "10.20.0.0/16"]
    assert data["access"]["ignore_user_agents"] == ["a", "SIP Call"]


def test_check_invalid_file_exits_2(run_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[web]\nsession_timeout = 'x'\n")
    code, _, stderr = run_cli("check", str(bad))
    assert code == 2 and f"{bad}:2: web.session_timeout" in stderr
    code, _, stderr = run_cli("check", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in stderr


def test_diff_against_own_and_other_preset(run_cli, tmp_path):
    run_cli("apply", "--preset", "maximum", "--set", "web.session_timeout=7200", "-o", str(tmp_path))
    code, stdout, _ = run_cli("diff", str(tmp_path / "security.toml"))
    assert code == 0 and "web.session_timeout: 900 -> 7200  (weaker)" in stdout and "1 change" in stdout
    code, stdout, _ = run_cli("diff", str(tmp_path / "security.toml"), "--preset", "medium")
    assert "services.security_admin_level: secure_medium -> secure_high" in stdout


def test_explain_and_suggestions(run_cli):
    code, stdout, _ = run_cli("explain", "passwords.min_length")
    assert code == 0 and "maximum: 15" in stdout and "a whole number from 0 to 31" in stdout
    code, _, stderr = run_cli("explain", "tls.min_verison")
    assert code == 2 and "tls.min_version" in stderr


def test_presets_lists_user_presets_and_skips_broken_ones(run_cli, isolated_config_home):
    folder = isolated_config_home / "pbxwizard" / "presets"
    folder.mkdir(parents=True)
    (folder / "site.toml").write_text('[preset]\ndescription = "Ours"\nextends = "maximum"\n[pairing]\nbarcode_duration = "7d"\n')
    (folder / "broken.toml").write_text("[preset\n")
    (folder / "loop.toml").write_text('[preset]\nextends = "loop"\n')
    code, stdout, stderr = run_cli("presets")
    assert code == 0 and "site" in stdout and "Ours" in stdout
    assert "broken.toml" in stderr and "loop" in stderr
    code, _, _ = run_cli("apply", "--preset", "site", "-o", str(isolated_config_home / "o"))
    data = tomllib.loads((isolated_config_home / "o" / "security.toml").read_text())
    assert data["pairing"]["barcode_duration"] == "7d" and data["web"]["session_timeout"] == 900


def test_version_and_help(run_cli):
    code, stdout, _ = run_cli("--version")
    assert code == 0 and __version__ in stdout
    for command in ("presets", "explain", "apply", "check", "diff"):
        code, stdout, _ = run_cli(command, "--help")
        assert code == 0 and "usage:" in stdout


def _run_module(argv, tmp_path, codes=(0,)):
    """Run `python -m pbxwizard ARGV` in a fresh interpreter; return the heavy modules it loaded."""
    code = (
        "import sys, runpy, json\n"
        f"sys.argv = ['pbxwizard', *{list(argv)!r}]\n"
        "try:\n    runpy.run_module('pbxwizard', run_name='__main__')\n"
        f"except SystemExit as e:\n    assert e.code in {tuple(codes)!r}, e.code\n"
        "print(json.dumps([m for m in ('textual', 'cryptography', 'qrcode', 'tomlkit') if m in sys.modules]))\n"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_headless_apply_never_imports_textual(tmp_path):
    heavy = _run_module(["apply", "--preset", "maximum", "-o", str(tmp_path)], tmp_path)
    assert "textual" not in heavy
    assert (tmp_path / "security.toml").exists()


@pytest.mark.parametrize("argv", [["presets"], ["explain", "tls.rc4"], ["check", "{out}/security.toml"]])
def test_reading_commands_defer_heavy_imports(tmp_path, argv):
    _run_module(["apply", "--preset", "medium", "-o", str(tmp_path)], tmp_path)
    # check exits 1 here: the accounts still have no new passwords (a high finding)
    heavy = _run_module([a.format(out=tmp_path) for a in argv], tmp_path, codes=(0, 1))
    assert heavy == []


def test_credentials_in_the_api_list_are_masked_in_output(run_cli, tmp_path, stdin):
    stdin("crm:Tr0ub4dor 192.0.2.7\n")  # --set refuses a credential on the command line (issue 10)
    code, _, err = run_cli("apply", "--preset", "maximum", "--set-file", "access.api_access_list=-", "-o", str(tmp_path))
    assert code == 0, err
    for argv in (("check", str(tmp_path / "security.toml")), ("check", str(tmp_path / "security.toml"), "--json"),
                 ("diff", str(tmp_path / "security.toml"))):
        code, out, err = run_cli(*argv)
        assert "Tr0ub4dor" not in out + err and "crm:***" in out, argv
