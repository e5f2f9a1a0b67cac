"""The command line loads only what the command that runs needs: its own command module,
and never Pillow (pairing codes are drawn with pypng)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import import_module

import pytest

from pbxwizard import cli

PROBE = (
    "import json, sys\n"
    "from pbxwizard.cli import main\n"
    "code = main(json.loads(sys.argv[1]))\n"
    "print(json.dumps({'code': code, 'modules': sorted(m for m in sys.modules if m.startswith('pbxwizard.cli.')),\n"
    "                  'pil': 'PIL' in sys.modules}))\n"
)


def _run(argv: list[str], tmp_path, path: str = "") -> dict:
    env = {"PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_each_command_is_registered_by_the_module_the_table_names():
    for module in cli.COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        import_module(module).register(sub)
        assert sorted(sub.choices) == sorted(c for c, m in cli.COMMANDS.items() if m == module), module


@pytest.mark.parametrize("argv, module", [
    (["explain", "web.session_timeout"], "pbxwizard.cli.config"),
    (["--output", "OUT", "presets"], "pbxwizard.cli.config"),
    (["verify-token", "not-a-token"], "pbxwizard.cli.pairing"),
])
def test_only_the_running_commands_module_is_imported(argv, module, tmp_path):
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    found = _run(argv, tmp_path)
    assert found["modules"] == sorted(["pbxwizard.cli.common", module])


def test_help_and_a_mistyped_command_still_list_every_command(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and all(command in out for command in cli.COMMANDS)
    code, _, err = run_cli("aply")
    assert code == 2 and "invalid choice" in err and "apply" in err


def test_pillow_is_never_imported_even_when_installed(tmp_path):
    """A stand-in Pillow on the path: qrcode would import it; apply --pair must not."""
    fake = tmp_path / "site" / "PIL"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    out = tmp_path / "out"
    found = _run(["apply", "--preset", "medium", "--set", "pairing.domain=example.com", "--set",
                  "pairing.server=pbx.example.com", "--pair", "201", "--output", str(out)],
                 tmp_path, str(tmp_path / "site"))
    assert found["code"] == 0 and (out / "pairing" / "201.png").is_file()
    assert not found["pil"]
    check = subprocess.run([sys.executable, "-c", "import qrcode, PIL, sys; print('PIL' in sys.modules)"],
                           capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path / "site")})
    assert check.stdout.strip() == "True", "the stand-in is importable, and plain qrcode would load it"
