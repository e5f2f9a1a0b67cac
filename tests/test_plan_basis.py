"""Issue 10: a plan is made without the folder's lock, so another run may change the folder
before it is carried out. ``execute`` reads the files the plan read again under the lock and
refuses (exit 2, nothing written) when any differs, instead of writing over the other run's
change or keeping a code it revoked. ``apply`` takes the lock after planning and, when the
folder moved meanwhile, plans again under it (the same as running again). The races here are
real processes: one plans, then waits while another changes the folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pbxwizard import folderlock
from pbxwizard.errors import ConfigError
from pbxwizard.run.plan import make_plan
from pbxwizard.run.execute import execute
from pbxwizard.run.request import resolve
from pbxwizard.settings import presets

PAIRING = ["--set", "pairing.domain=example.com", "--set", "pairing.server=pbx.example.com"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _waiting_on_lock(proc: subprocess.Popen, folder: Path) -> bool:
    """The process has the folder's lock file open: it has made its plan and waits to write."""
    lock = str(folder / folderlock.LOCK_NAME)
    fds = Path(f"/proc/{proc.pid}/fd")
    try:
        return any(os.readlink(fd) == lock for fd in fds.iterdir())
    except OSError:  # a descriptor closed while listing
        return False


def _start_and_wait(argv: list[str], folder: Path) -> subprocess.Popen:
    """``pbxwizard ARGV`` started, once it has planned and waits for the folder's lock."""
    proc = subprocess.Popen([sys.executable, "-m", "pbxwizard", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, folderlock.WAIT_ENV: "120"})
    deadline = time.monotonic() + 60
    while not _waiting_on_lock(proc, folder):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached the lock"
        time.sleep(0.02)
    return proc


# A run in its own process that plans, says so, and executes when told: the wizard's review
# and the Ansible module hold a plan like this while other runs may write.
PLANNER = """
import sys
from pathlib import Path
from pbxwizard.cli.common import report_problems
from pbxwizard.errors import ConfigError
from pbxwizard.run.execute import execute
from pbxwizard.run.plan import make_plan
from pbxwizard.run.request import resolve
from pbxwizard.settings import presets

plan = make_plan(resolve(presets.load(include_user=False), preset="medium", assignments=sys.argv[2:]), Path(sys.argv[1]))
print("planned", flush=True)
sys.stdin.readline()
try:
    execute(plan)
except ConfigError as exc:
    report_problems(exc)
    raise SystemExit(2)
"""


def test_a_plan_overtaken_by_another_process_refuses_and_writes_nothing(tmp_path, run_cli):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "medium", "-o", str(out))[0] == 0
    planner = subprocess.Popen([sys.executable, "-c", PLANNER, str(out), "web.session_timeout=600"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert planner.stdout.readline() == "planned\n", planner.stderr.read()
    other = subprocess.run([sys.executable, "-m", "pbxwizard", "apply", "--preset", "medium", "--set",
                            "web.session_timeout=900", "-o", str(out)], capture_output=True, text=True)
    assert other.returncode == 0, other.stderr
    after_other = _snapshot(out)
    _, err = planner.communicate("go\n", timeout=120)
    assert planner.returncode == 2, err
    assert "the folder changed since the plan was made (security.toml, answers.toml); run again" in err
    assert "nothing was written" in err
    assert _snapshot(out) == after_other  # the other run's 900 stands, no new .bak
    assert "session_timeout = 900" in (out / "security.toml").read_text()


def test_apply_plans_again_under_the_lock_when_another_run_wrote_meanwhile(tmp_path, run_cli):
    """apply itself never writes a stale plan: it waits on the lock after planning (here held
    by the test while it revokes the code apply planned to keep), then plans again."""
    from pbxwizard.pairing import tokens

    out = tmp_path / "out"
    argv = ["apply", "--preset", "medium", *PAIRING, "--pair", "201", "-o", str(out)]
    assert run_cli(*argv)[0] == 0
    token = _token_of(out, "201")
    with folderlock.hold(out, "the test, standing in for another run"):
        slow = _start_and_wait(argv, out)
        tokens.Store(out).revoke(token)
    stdout, err = slow.communicate(timeout=120)
    assert slow.returncode == 0, err
    assert "another run changed" in err and "planned again" in err
    assert "made pairing codes for 201" in stdout  # not "kept": the kept code was revoked meanwhile
    fresh = _token_of(out, "201")
    assert fresh != token and tokens.Store(out).verify(fresh).ok


def test_a_code_revoked_between_plan_and_execute_is_not_kept(tmp_path, run_cli):
    out = tmp_path / "out"
    argv = ["apply", "--preset", "medium", *PAIRING, "--pair", "201", "-o", str(out)]
    assert run_cli(*argv)[0] == 0
    resolved = resolve(presets.load(include_user=False), preset="medium", pair=["201"],
                       assignments=["pairing.domain=example.com", "pairing.server=pbx.example.com"])
    plan = make_plan(resolved, out)
    assert plan.keep_codes == ("201",) and not plan.changed
    token = _token_of(out, "201")
    revoke = subprocess.run([sys.executable, "-m", "pbxwizard", "revoke", token, "--output", str(out)],
                            capture_output=True, text=True)
    assert revoke.returncode == 0, revoke.stderr
    before = _snapshot(out)
    with pytest.raises(ConfigError) as info:
        execute(plan)
    assert "the folder changed since the plan was made (pairing-revoked.txt); run again" in str(info.value)
    assert _snapshot(out) == before
    assert run_cli(*argv)[0] == 0  # run again: a new plan makes a new code
    assert _token_of(out, "201") != token


def test_a_symlink_planted_after_the_plan_is_refused_not_followed(tmp_path, run_cli):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "medium", "-o", str(out))[0] == 0
    plan = make_plan(resolve(presets.load(include_user=False), preset="minimum"), out)
    victim = tmp_path / "victim"
    victim.write_text("left alone\n")
    (out / "answers.toml").unlink()
    (out / "answers.toml").symlink_to(victim)
    with pytest.raises(ConfigError, match=r"changed since the plan was made \(answers.toml\)"):
        execute(plan)
    assert victim.read_text() == "left alone\n" and "preset = \"medium\"" in (out / "security.toml").read_text()


def _token_of(out: Path, ext: str) -> str:
    from pbxwizard.pairing import qr

    return qr.payload_of((out / "pairing" / f"{ext}.svg").read_text())
