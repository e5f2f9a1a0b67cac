"""Issue 10, item 9: a setting whose value carries a credential (the API list's
``user:password``) never goes on the command line nor into answers.toml.

``--set`` refuses it and points to ``--set-file KEY=FILE`` (``-`` reads standard input);
the answers file, from ``apply`` and from the wizard, names the setting in ``left_out``
and shows it masked; a replay stops until the value is given by the safe path, and given
it writes the same security.toml.
"""

from __future__ import annotations

import tomllib

from pbxwizard.app import WizardApp
from test_tui_steps import prepare, write_and_finish

SECRET = "Tr0ub4dor-xyzzy"
LIST = f"crm:{SECRET} 192.0.2.7"


def _secret_file(tmp_path):
    path = tmp_path / "api-list.txt"
    path.write_text(LIST.replace(" ", "\n") + "\n")
    path.chmod(0o600)
    return path


def _answers_hold_no_credential(answers):
    text = answers.read_text()
    assert SECRET not in text
    data = tomllib.loads(text)
    assert data["pbxwizard"]["left_out"] == ["access.api_access_list"]
    assert "api_access_list" not in data.get("access", {})
    assert "crm:***" in text  # shown masked, so a reader sees what to give


def _replay(run_cli, tmp_path, answers, written):
    """Without the value the replay stops (exit 2, nothing written); with it, the same security.toml."""
    out = tmp_path / "replay"
    code, _, err = run_cli("apply", "--answers", str(answers), "--output", str(out))
    assert code == 2 and not out.exists()
    assert "access.api_access_list" in err and "--set-file access.api_access_list=FILE" in err
    code, _, err = run_cli("apply", "--answers", str(answers), "--output", str(out),
                           "--set-file", f"access.api_access_list={_secret_file(tmp_path)}")
    assert code == 0, err
    assert (out / "security.toml").read_text() == written
    assert SECRET not in (out / "answers.toml").read_text()


def test_set_refuses_a_credential_and_names_the_safe_form(run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli("apply", "--preset", "maximum", "--set", f"access.api_access_list={LIST}",
                                "-o", str(out))
    assert code == 2
    assert "access.api_access_list" in err and "--set-file access.api_access_list=FILE" in err
    assert "- reads standard input" in err
    assert SECRET not in stdout + err and "crm:***" in err
    assert not out.exists()
    code, _, err = run_cli("apply", "--preset", "maximum", "--set", "access.api_access_list=192.0.2.7",
                           "-o", str(out))  # addresses alone are no secret
    assert code == 0, err


def test_apply_takes_the_credential_from_stdin_and_leaves_it_out_of_the_answers(run_cli, stdin, tmp_path):
    out = tmp_path / "out"
    stdin(LIST + "\n")
    code, _, err = run_cli("apply", "--preset", "maximum", "--set-file", "access.api_access_list=-", "-o", str(out))
    assert code == 0, err
    written = (out / "security.toml").read_text()
    assert tomllib.loads(written)["access"]["api_access_list"] == [f"crm:{SECRET}", "192.0.2.7"]
    _answers_hold_no_credential(out / "answers.toml")
    _replay(run_cli, tmp_path, out / "answers.toml", written)


def test_standard_input_feeds_one_reader_only(run_cli, stdin, tmp_path):
    stdin(LIST + "\n")
    code, _, err = run_cli("apply", "--preset", "maximum", "--set-file", "access.api_access_list=-",
                           "--passwords", "-", "-o", str(tmp_path / "out"))
    assert code == 2 and "standard input can feed only one" in err
    assert not (tmp_path / "out").exists()


def test_the_wizards_answers_hold_no_credential_and_replay_with_set_file(tmp_path, drive, run_cli):
    out = tmp_path / "out"

    async def script(pilot):
        prepare(pilot.app, "medium", access__api_access_list=LIST)
        await write_and_finish(pilot)

    app = drive(WizardApp(out), script)
    written = (out / "security.toml").read_text()
    assert f"crm:{SECRET}" in written  # the PBX's own config holds it (and check flags it high)
    _answers_hold_no_credential(out / "answers.toml")
    assert "--set-file access.api_access_list=FILE" in app.state.replay_options
    _replay(run_cli, tmp_path, out / "answers.toml", written)
