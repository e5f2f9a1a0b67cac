"""Runs at once into one folder: real processes, released together, several rounds.

Each process imports everything first, says it is ready, and waits on its standard input;
the test releases all of them at once only when every one is ready, so the commands
overlap as closely as the machine allows. What is asserted is the end state, which the
folder's lock makes the same whatever order the runs took.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pbxwizard import folderlock
from pbxwizard.pairing import tokens

RUNS = 20
ROUNDS = 3
GATE = """
import sys
from pbxwizard.cli import build_parser, main
build_parser()
import pbxwizard.pairing.codefiles, pbxwizard.pairing.qr, pbxwizard.run.execute, pbxwizard.certs.generate
print("ready", flush=True)
sys.stdin.readline()
raise SystemExit(main(sys.argv[1:]))
"""


def parallel(commands: list[list[str]], env: dict[str, str] | None = None) -> list[subprocess.CompletedProcess]:
    """Start every command, wait until all are ready, release them together, collect results."""
    env = {**os.environ, folderlock.WAIT_ENV: "300", **(env or {})}
    procs = [subprocess.Popen([sys.executable, "-c", GATE, *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for argv in commands]
    for proc in procs:
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for argv, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(argv, proc.returncode, out, err))
    return results


def _issue(folder: Path, count: int) -> list[tokens.Token]:
    store = tokens.Store(folder)
    return [store.issue(f"{200 + i}", "example.com", "pbx.example.com", ttl=3600) for i in range(count)]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_twenty_revokes_at_once_lose_none(tmp_path, round_):
    out = tmp_path / "out"
    issued = _issue(out, RUNS)
    results = parallel([["revoke", t.id, "--output", str(out)] for t in issued])
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"revoked {result.args[1]}"), result.stdout
    store = tokens.Store(out)
    assert store.revoked() == {t.id for t in issued}
    assert [store.verify(t.uri).status for t in issued] == [tokens.REVOKED] * RUNS
    assert sorted(p.name for p in out.iterdir()) == ["pairing-revoked.txt", "pairing-revoked.txt.bak", "pairing.key"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_twenty_pair_runs_at_once_share_one_key(tmp_path, round_):
    out = tmp_path / "out"
    results = parallel([["pair", f"{300 + i}", "--domain", "example.com", "--server", "pbx.example.com",
                         "--no-terminal", "--show-token", "--output", str(out)] for i in range(RUNS)])
    store = tokens.Store(out)
    for i, result in enumerate(results):
        assert result.returncode == 0, result.stderr
        uri = next(line.split()[1] for line in result.stdout.splitlines() if line.startswith("token:"))
        assert store.verify(uri).status == tokens.VALID, (i, store.verify(uri))
    names = sorted(p.name for p in (out / "pairing").iterdir())
    assert names == sorted(f"{300 + i}.{ext}" for i in range(RUNS) for ext in ("png", "svg"))


@pytest.mark.parametrize("round_", range(2))
def test_twenty_applies_with_certs_at_once_make_one_store(tmp_path, round_):
    out = tmp_path / "out"
    results = parallel([["apply", "--preset", "minimum", "--certs", "--set", "certificates.dns_names=pbx.example.com",
                         "--output", str(out)] for _ in range(RUNS)])
    assert [r.returncode for r in results] == [0] * RUNS, [r.stderr for r in results if r.returncode]
    made = [r for r in results if "made the certificate store" in r.stdout]
    kept = [r for r in results if "kept the existing certificate store" in r.stdout]
    assert (len(made), len(kept)) == (1, RUNS - 1)
    assert not (out / "certs.previous").exists()
    # A .bak appears only if some run planned before the first one wrote that file; under load
    # every other run may plan later (security.toml.bak was missing once at a load average of 20)
    names = {p.name for p in out.iterdir()} - {"security.toml.bak", "answers.toml.bak"}
    assert names == {"answers.toml", "certs", "security.toml"}, "nothing else: no temporary file or lock left"


def test_a_busy_folder_is_refused_after_the_wait_naming_the_other_run(tmp_path):
    out = tmp_path / "out"
    issued = _issue(out, 1)
    with folderlock.hold(out, "a test holding the lock"):
        result = subprocess.run([sys.executable, "-m", "pbxwizard", "revoke", issued[0].id, "--output", str(out)],
                                capture_output=True, text=True, env={**os.environ, folderlock.WAIT_ENV: "0"})
        assert not (out / tokens.REVOKED_NAME).exists()
    assert result.returncode == 2
    assert f"pid {os.getpid()}, a test holding the lock, since" in result.stderr
    assert f"{out}: lock: another pbxwizard run is writing into this folder" in result.stderr
    assert tokens.Store(out).verify(issued[0].uri).status == tokens.VALID
    assert not (out / folderlock.LOCK_NAME).exists()


def test_the_lock_is_taken_again_inside_a_run_and_dropped_at_the_end(tmp_path):
    out = tmp_path / "out"
    with folderlock.hold(out, "outer"):
        with folderlock.hold(out, "inner"):
            assert folderlock.held(out / "pairing")
        assert folderlock.held(out)
        assert (out / folderlock.LOCK_NAME).read_text().startswith(f"pid {os.getpid()}, outer, since")
    assert not folderlock.held(out)
    assert not (out / folderlock.LOCK_NAME).exists()


def test_the_sweep_leaves_a_live_runs_temp_file_and_removes_a_dead_ones(tmp_path):
    from pbxwizard.atomic import write_private

    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    live = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    try:
        theirs = out / f".answers.toml.p{live.pid}.abc123.tmp"
        stale = out / f".answers.toml.p{dead.stdout.strip()}.def456.tmp"
        legacy = out / ".answers.toml.ghi789.tmp"
        for path in (theirs, stale, legacy):
            path.write_bytes(b"half")
        write_private(out / "answers.toml", b"x = 1\n")  # not under the lock: only the dead run's goes
        assert theirs.exists() and legacy.exists() and not stale.exists()
        with folderlock.hold(out, "a run"):  # under the lock every other temp file is a dead run's
            write_private(out / "answers.toml", b"x = 2\n")
        assert not theirs.exists() and not legacy.exists()
    finally:
        live.communicate(b"")
