"""Start-up: process start to the first screen ready, against a bare Textual app (Header,
Static, Footer) started the same way by ``bench.startup_driver``; and peak memory.

Twice: with bytecode cached, and with none (every module compiled at each start).
Targets: at most 1.05 times the bare app's time cached and 1.15 times without, at most
1.3 times its peak memory. Runs alternate between the two apps so background load hits
both alike; the figure is the median of the runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, Result, bytecode_env

RUNS = 15


def _once(which: str, output: str, env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.startup_driver", which, output], cwd=ROOT,
                          capture_output=True, text=True, check=True, env={**env, "XDG_CONFIG_HOME": f"{output}/cfg"})
    return time.perf_counter() - start, int(done.stdout.split()[-1])


def run() -> list[Result]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for cached, target in ((True, 1.05), (False, 1.15)):
            env = bytecode_env(dict(os.environ), cached, f"{tmp}/no-cache")
            times: dict[str, list[float]] = {"bare": [], "pbxwizard": []}
            memory: dict[str, list[int]] = {"bare": [], "pbxwizard": []}
            for which in times:  # warm the file cache (and, cached, write the bytecode)
                _once(which, tmp, env)
            for _ in range(RUNS):
                for which in times:
                    seconds, rss = _once(which, tmp, env)
                    times[which].append(seconds)
                    memory[which].append(rss)
            t_bare, t_ours = statistics.median(times["bare"]), statistics.median(times["pbxwizard"])
            how = "bytecode cached" if cached else "no bytecode cache"
            rows.append(Result(f"start-up to first screen, {how}", t_ours * 1000, "ms",
                               f"bare Textual app ({t_bare * 1000:.0f} ms)", t_ours / t_bare, f"<= {target}x",
                               t_ours / t_bare <= target))
            if cached:
                m_bare, m_ours = statistics.median(memory["bare"]), statistics.median(memory["pbxwizard"])
                rows.append(Result("peak memory at first screen", m_ours / 1024, "MiB",
                                   f"bare Textual app ({m_bare / 1024:.1f} MiB)", m_ours / m_bare, "<= 1.3x",
                                   m_ours / m_bare <= 1.3))
    return rows
