"""Shared fixtures: every test gets its own config folder, never the developer's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_config_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("xdg-config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    from pbxwizard.cli import main

    def run(*argv: str):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own exits (--help, usage errors)
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def fast_scrypt(monkeypatch):
    """Cheap scrypt parameters for new hashes (the default costs half a second each).

    Hashes keep their parameters in the string, so verification is unchanged.
    """
    from pbxwizard import hashing

    monkeypatch.setattr(hashing, "DEFAULT", hashing.Params(log_n=10))


@pytest.fixture
def passwords_file(tmp_path):
    """A file of strong new passwords for every account, as apply --passwords reads it."""
    from pbxwizard.accounts import NAMES

    path = tmp_path / "new-passwords.txt"
    path.write_text("".join(f"{name}=Strong-Pass-{i}-Quokka-2026!\n" for i, name in enumerate(NAMES)))
    path.chmod(0o600)
    return path
