"""Shared fixtures: every test gets its own config folder, never the developer's."""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "snapshots"


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
def fast_hashing(monkeypatch):
    """Cheap argon2id parameters for new hashes (the default costs tens of ms and 19 MiB each).

    Hashes keep their parameters in the string, so verification is unchanged.
    """
    from pbxwizard.passwords import argon2id, hashing

    monkeypatch.setattr(hashing, "DEFAULT", argon2id.Params(memory_kib=256, iterations=1))


@pytest.fixture
def stdin(monkeypatch):
    """Feeds ``text`` to standard input, as a pipe would."""
    def feed(text: str):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    return feed


@pytest.fixture
def passwords_file(tmp_path):
    """A file of strong new passwords for every account, as apply --passwords reads it."""
    from pbxwizard.passwords.accounts import NAMES

    path = tmp_path / "new-passwords.txt"
    # letters and digits only: the monitor account takes nothing else
    path.write_text("".join(f"{name}=StrongPass{i}Quokka2026x\n" for i, name in enumerate(NAMES)))
    path.chmod(0o600)
    return path


@pytest.fixture
def with_store(monkeypatch):
    """apply arguments that also make a local-CA store, so a service at Secure, High has its
    manager certificate (issue 12: without one, check reports the lockout as high)."""
    monkeypatch.setenv("PBXW_TEST_STORE_PASSPHRASE", "a passphrase for the test store")
    return ["--certs", "--set", "certificates.mode=local_ca", "--set", "certificates.dns_names=pbx.example.test",
            "--passphrase-env", "PBXW_TEST_STORE_PASSPHRASE"]


# --- the wizard ---------------------------------------------------------------------------

def _top_level_snapshots() -> None:
    """SVG snapshots go to the top-level snapshots/ folder, one subfolder per test module.

    pytest-textual-snapshot's ``snap_compare`` looks its extension class up by name when it
    runs, so putting a subclass with another ``dirname`` in its place is all it takes.
    """
    try:
        import pytest_textual_snapshot as plugin
    except ImportError:  # a test extra; the rest of the suite runs without it
        return

    class TopLevelSVG(plugin.SVGImageExtension):
        @classmethod
        def dirname(cls, *, test_location) -> str:
            return str(SNAPSHOTS / test_location.basename)

    plugin.SVGImageExtension = TopLevelSVG


_top_level_snapshots()


def _quicker_pilot() -> None:
    """Pilot waits for the app to go idle after every key by sleeping 20 ms at a time and
    watching the CPU clock; a tenth of that finds the same idle points sooner. The flow
    tests never rely on time passing: they wait for conditions (see ``until``)."""
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = 1 / 500
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20


_quicker_pilot()


@pytest.fixture
def drive():
    """Run a Textual app headless (80x24 unless told) and hand its Pilot to ``script``."""

    def run(app, script, size=(80, 24)):
        async def main():
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await script(pilot)

        asyncio.run(main())
        return app

    return run


# --- order ---------------------------------------------------------------------------------

SLOW_FIRST = ("test_ansible_fleet.py", "test_tui_tmux.py", "test_kamailio_live.py", "test_tui_flow.py",
              "test_tui_steps.py")


def pytest_xdist_auto_num_workers(config):
    """One worker more than cores for ``-n auto``: the tmux, Kamailio and SSH tests spend most
    of their time waiting on another process, and a third worker computes meanwhile (on this
    2-core machine the suite took 180 s with three workers, 195 s with two)."""
    import os

    return (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items):
    """The longest runs (the Ansible fleet, tmux, the live server's ban waits, whole Pilot
    flows) first: with pytest-xdist they start at once on every worker instead of trailing
    alone at the end. The sort is stable, so every worker collects the same order, as xdist
    requires."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))
