"""The command line's wording and exit codes as an administrator meets them (issue 11, item 10)."""

import json
import re

import pytest

from pbxwizard.settings import catalog


# --- read-only commands never talk about writing ---------------------------------------------

@pytest.mark.parametrize("argv,stdin_text", [
    (["explain", "timeout"], None),
    (["verify-token", "-"], ""),
    (["certs", "check", "{tmp}/no-store"], None),
    (["diff", "{tmp}/no-such.toml"], None),
    (["password-check", "--preset", "no-such-preset"], "Correct-Horse-Battery-9\n"),
])
def test_read_only_commands_say_what_is_wrong_without_speaking_of_writing(run_cli, stdin, tmp_path, argv, stdin_text):
    if stdin_text is not None:
        stdin(stdin_text)
    code, out, err = run_cli(*[a.format(tmp=tmp_path) for a in argv])
    assert code == 2
    assert err.startswith("pbxwizard: 1 problem:\n"), err
    assert "written" not in out + err and "write" not in err


def test_a_writing_command_still_says_nothing_was_written(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "medium", "--set", "web.session_timeout=soon", "-o", str(tmp_path / "o"))
    assert code == 2 and "1 problem; nothing was written:" in err


# --- verify-token: its own exit code for a folder with no pairing key ---------------------------

def _pair(run_cli, folder, *before):
    code, out, err = run_cli(*before, "pair", "101", "--domain", "pbx.example.com", "--server", "192.0.2.1",
                             "--no-terminal", "--show-token", *(() if before else ("--output", str(folder))))
    assert code == 0, err
    return re.search(r"^token:\s+(\S+)$", out, re.M).group(1)


def test_verify_token_in_a_folder_without_a_key_exits_3_and_says_which_folder_to_give(run_cli, tmp_path):
    token = _pair(run_cli, tmp_path / "made")
    code, out, err = run_cli("verify-token", token)  # the default folder: no key there
    assert code == 3
    assert "has no pairing key" in err and "--output DIR" in err and "malformed" not in out + err
    assert "nothing was written" not in err


def test_a_malformed_token_is_malformed_wherever_it_is_checked(run_cli, tmp_path):
    """Text too short to be a token is malformed (2) whatever the folder: no key is needed to say so."""
    code, out, err = run_cli("verify-token", "not-a-token", "--output", str(tmp_path / "empty"))
    assert code == 2 and out.startswith("malformed:") and "no pairing key" not in err


def test_verify_token_help_and_readme_document_every_exit_code(run_cli):
    from pathlib import Path

    code, out, _ = run_cli("verify-token", "--help")
    assert code == 0
    for line in ("0  valid", "1  expired, revoked or tampered", "2  malformed", "3  no pairing key"):
        assert line in out
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "no pairing key in DIR (3)" in readme


@pytest.mark.parametrize("where", ["before", "after"])
def test_output_given_before_or_after_the_command_is_the_folder_used(run_cli, tmp_path, where):
    folder = tmp_path / "made"
    token = _pair(run_cli, folder, *(("--output", str(folder)) if where == "before" else ()))
    assert (folder / "pairing.key").exists()
    argv = (["--output", str(folder), "verify-token", token] if where == "before"
            else ["verify-token", token, "--output", str(folder)])
    code, out, err = run_cli(*argv)
    assert code == 0 and out.startswith("valid:"), err


def test_output_before_the_command_reaches_every_command_that_takes_a_folder(tmp_path):
    from pbxwizard.cli import build_parser
    from pbxwizard.cli.common import output_dir

    for argv in (["apply", "-p", "medium"], ["certs", "check"], ["certs", "init"], ["export", "kamailio"],
                 ["revoke", "x"], ["pair", "101"], []):
        full = ["-o", str(tmp_path), *argv]
        assert output_dir(build_parser(full).parse_args(full)) == tmp_path, argv


# --- explain: sections and the whole list ----------------------------------------------------

def test_explain_without_a_key_lists_every_section_and_every_setting(run_cli):
    code, out, _ = run_cli("explain")
    assert code == 0
    for section in catalog.SECTIONS:
        assert f"{section.name}: {section.title}" in out
    for setting in catalog.SETTINGS:
        assert re.search(rf"^\s+{re.escape(setting.key)}\s+{re.escape(setting.title)}$", out, re.M), setting.key


def test_explain_a_section_lists_that_sections_settings_only(run_cli):
    code, out, _ = run_cli("explain", "tls")
    assert code == 0
    listed = set(re.findall(r"^\s+(\S+\.\S+)\s", out, re.M))
    assert listed == {s.key for s in catalog.in_section("tls")}


def test_explain_a_mistyped_section_suggests_the_section(run_cli):
    code, _, err = run_cli("explain", "tsl")
    assert code == 2 and "did you mean: tls" in err and "`pbxwizard explain` lists" in err


# --- check: an unknown key beside a bad value; typed JSON -------------------------------------

BAD_AND_UNKNOWN = '[pbxwizard]\npreset = "medium"\n[web]\nsession_timeout = "abc"\nsesion_timeout = 900\n'


def test_check_reports_the_bad_value_and_the_unknown_key_beside_it(run_cli, tmp_path):
    path = tmp_path / "security.toml"
    path.write_text(BAD_AND_UNKNOWN)
    code, out, err = run_cli("check", str(path))
    assert code == 2
    assert f"{path}:4: web.session_timeout: expected a whole number" in err
    assert f"{path}:5: web.sesion_timeout: unknown key" in err
    code, out, _ = run_cli("check", str(path), "--json")
    report = json.loads(out)
    assert code == 2 and not report["valid"]
    assert [p["key"] for p in report["problems"]] == ["web.session_timeout"]
    assert [w["key"] for w in report["warnings"]] == ["web.sesion_timeout"]


def test_apply_from_an_answers_file_reports_the_unknown_key_beside_the_bad_value(run_cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text(BAD_AND_UNKNOWN)
    code, _, err = run_cli("apply", "--answers", str(answers), "-o", str(tmp_path / "o"))
    assert code == 2 and "web.session_timeout" in err and "web.sesion_timeout: unknown key" in err
    code, out, _ = run_cli("apply", "--answers", str(answers), "-o", str(tmp_path / "o"), "--json")
    report = json.loads(out)
    assert report["failed"] and any("web.sesion_timeout" in w for w in report["warnings"])


def test_check_json_gives_values_and_safer_values_typed_as_in_toml(run_cli, tmp_path):
    run_cli("apply", "--preset", "minimum", "--set", "tls.key_log_file=/tmp/keys.log",
            "--set", "access.api_access_list=0.0.0.0/0", "-o", str(tmp_path))
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    findings = {f["key"]: f for f in json.loads(out)["findings"]}
    assert code == 1
    for key, finding in findings.items():
        setting = catalog.BY_KEY.get(key)
        if setting is None:  # accounts and the cross-setting rules: text
            continue
        expected = type(setting.kind.to_toml(setting.default))
        assert type(finding["value"]) is expected and type(finding["safer"]) is expected, (key, finding)
    assert (findings["passwords.min_length"]["value"], findings["passwords.min_length"]["safer"]) == (8, 15)
    assert (findings["access.api_access_list"]["value"], findings["access.api_access_list"]["safer"]) == (["0.0.0.0/0"], [])
    assert (findings["certificates.encrypt_keys"]["value"], findings["certificates.encrypt_keys"]["safer"]) == (False, True)
    assert findings["tls.key_log_file"]["value"] == "/tmp/keys.log"


def test_check_json_masks_a_credential_in_a_typed_list(run_cli, tmp_path, stdin):
    stdin("crm:Tr0ub4dor 0.0.0.0/0\n")
    code, _, err = run_cli("apply", "--preset", "minimum", "--set-file", "access.api_access_list=-", "-o", str(tmp_path))
    assert code == 0, err
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    finding = next(f for f in json.loads(out)["findings"] if f["key"] == "access.api_access_list")
    assert finding["value"] == ["crm:***", "0.0.0.0/0"] and "Tr0ub4dor" not in out


# --- sources named in words -------------------------------------------------------------------

INTERNAL = re.compile(r"\b00\d\b|\bissue \d|source documents?\b|\bseeds?\b")


@pytest.mark.parametrize("key", [s.key for s in catalog.SETTINGS])
def test_explain_names_the_documents_in_words_never_by_number_or_project_issue(run_cli, key):
    code, out, _ = run_cli("explain", key)
    assert code == 0
    assert not INTERNAL.search(out), INTERNAL.search(out)
    source = re.search(r"^  source:  (.*(?:\n {11}.*)*)", out, re.M)
    assert source, out
    named = ("System Security page", "scenarios", "Manager help", "RFC", "current practice",
             "CA/Browser Forum", "pbxwizard's own setting", "NIST")
    assert any(word in " ".join(source.group(1).split()) for word in named), source.group(1)


def test_the_readme_table_footnote_names_the_documents():
    from pbxwizard.settings import docs, presets

    table = docs.settings_table(presets.load(include_user=False))
    assert not INTERNAL.search(table)
    assert "System Security page" in table


# --- a setting weaker than the chosen preset is a finding, as the wizard marks it WEAKER --------

def test_check_reports_a_setting_weaker_than_its_preset_that_the_catalog_does_not_check(run_cli, tmp_path):
    run_cli("apply", "--preset", "medium", "--set", "web.tls_session_duration=7200", "-o", str(tmp_path))
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    found = [f for f in json.loads(out)["findings"] if f["key"] == "web.tls_session_duration"]
    assert found == [{"severity": "low", "key": "web.tls_session_duration", "value": 7200,
                      "why": "Weaker than the medium preset chosen for this config, which sets 3600.",
                      "safer": 3600, "guidance": False}]
    code, out, _ = run_cli("check", str(tmp_path / "security.toml"))
    assert "LOW    web.tls_session_duration = 7200" in out


def test_a_stronger_or_equal_value_and_a_catalog_finding_give_no_extra_finding(run_cli, tmp_path):
    run_cli("apply", "--preset", "medium", "--set", "web.tls_session_duration=600",
            "--set", "web.session_timeout=86400", "-o", str(tmp_path))
    _, out, _ = run_cli("check", str(tmp_path / "security.toml"), "--json")
    findings = json.loads(out)["findings"]
    assert not [f for f in findings if f["key"] == "web.tls_session_duration"]  # shorter than the preset's
    timeout = [f for f in findings if f["key"] == "web.session_timeout"]  # weaker, and the catalog's own check
    assert len(timeout) == 1 and timeout[0]["severity"] == "medium" and not timeout[0]["why"].startswith("Weaker")


@pytest.mark.parametrize("chosen,typed", [("maximum", "minimum"), ("maximum", "medium"), ("medium", "minimum")])
def test_every_change_the_wizard_marks_weaker_has_a_finding_in_the_wizard_and_in_check(run_cli, tmp_path, chosen, typed):
    from pbxwizard.settings import presets
    from pbxwizard.wizard.state import new_state

    store = presets.load()
    state = new_state(tmp_path / "wizard", store)
    state.settings.choose_preset(chosen)
    for setting in catalog.SETTINGS:
        assert state.settings.set_text(setting.key, setting.kind.to_text(store.values(typed)[setting.key])) is None
    weaker = {c.key for c in state.settings.changes() if c.weaker}
    assert weaker  # the typed preset is weaker than the chosen one somewhere
    assert weaker <= {f.key for f in state.report().findings}

    run_cli("apply", "--preset", typed, "-o", str(tmp_path / "typed"))
    code, _, err = run_cli("apply", "--preset", chosen, "--answers", str(tmp_path / "typed" / "security.toml"),
                           "-o", str(tmp_path / "cli"))
    assert code == 0, err
    _, out, _ = run_cli("check", str(tmp_path / "cli" / "security.toml"), "--json")
    assert weaker <= {f["key"] for f in json.loads(out)["findings"]}
