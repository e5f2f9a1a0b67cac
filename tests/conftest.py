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
