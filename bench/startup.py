"""Start-up: process start to the first screen ready, against a bare Textual app (Header,
Static, Footer) started the same way by ``bench.startup_driver``; and peak memory.

Targets: at most 1.15 times the bare app's time, at most 1.3 times its peak memory.
Runs alternate between the two apps so background load hits both alike; the figure is
the median of the runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, Result

RUNS = 15


def _once(which: str, output: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.startup_driver", which, output], cwd=ROOT,
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "XDG_CONFIG_HOME": f"{output}/cfg"})
    return time.perf_counter() - start, int(done.stdout.split()[-1])


def run() -> list[Result]:
    times: dict[str, list[float]] = {"bare": [], "pbxwizard": []}
    memory: dict[str, list[int]] = {"bare": [], "pbxwizard": []}
    with tempfile.TemporaryDirectory() as tmp:
        for which in times:  # warm caches and bytecode
            _once(which, tmp)
        for _ in range(RUNS):
            for which in times:
                seconds, rss = _once(which, tmp)
                times[which].append(seconds)
                memory[which].append(rss)
    t_bare, t_ours = statistics.median(times["bare"]), statistics.median(times["pbxwizard"])
    m_bare, m_ours = statistics.median(memory["bare"]), statistics.median(memory["pbxwizard"])
    return [
        Result("start-up to first screen", t_ours * 1000, "ms", f"bare Textual app ({t_bare * 1000:.0f} ms)",
               t_ours / t_bare, "<= 1.15x", t_ours / t_bare <= 1.15),
        Result("peak memory at first screen", m_ours / 1024, "MiB", f"bare Textual app ({m_bare / 1024:.1f} MiB)",
               m_ours / m_bare, "<= 1.3x", m_ours / m_bare <= 1.3),
    ]
