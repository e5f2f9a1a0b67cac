"""Password hashing: one new hash (time and peak memory, each in a fresh interpreter) against
scrypt at OWASP's minimum (what earlier versions stored), and the previous-password check
of a new password against the largest history a policy allows (24 hashes, no match: the
worst case).

Targets: one hash at most half of scrypt's time and memory; the check under 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, Result

RUNS = 7
# The peak is this process's own (VmHWM of its memory map), not getrusage's ru_maxrss: Linux
# carries ru_maxrss across fork and exec, so after a bench that grew the parent (the 100k-entry
# list) every child started above scrypt's peak and measured a growth of 0.
ONE_HASH = (
    "import re, sys, time\n"
    "def peak_kib():\n"
    "    return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "from pbxwizard.passwords import hashing\n"
    "params = hashing.Params() if sys.argv[1] == 'scrypt' else hashing.DEFAULT\n"
    "hashing.hash_password('warm-up', hashing.Params(log_n=10))  # imports cryptography's KDFs\n"
    "before = peak_kib()\n"
    "start = time.perf_counter()\n"
    "hashing.hash_password('Harbour-Quokka-Lantern-1', params)\n"
    "seconds = time.perf_counter() - start\n"
    "print(seconds, peak_kib() - before)\n"
)


def _one(kind: str) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", ONE_HASH, kind], cwd=ROOT, capture_output=True, text=True,
                          check=True, env=os.environ)
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib)


def run() -> list[Result]:
    from pbxwizard.passwords import hashing, rules

    runs: dict[str, list[tuple[float, int]]] = {"argon2id": [], "scrypt": []}
    for _ in range(RUNS):  # alternating, so background load hits both alike
        for kind in runs:
            runs[kind].append(_one(kind))
    (t_new, m_new), (t_old, m_old) = ((statistics.median(r[0] for r in runs[k]),
                                       statistics.median(r[1] for r in runs[k]) / 1024) for k in ("argon2id", "scrypt"))
    limit = 24  # passwords.previous_limit's largest value
    history = [hashing.hash_password(f"Earlier-Pass-{i}-Quokka") for i in range(limit)]
    policy = rules.Policy(previous_limit=limit)
    checks = []
    for _ in range(3):
        start = time.perf_counter()
        verdict = rules.check("Brand-New-Pass-Quokka-7", policy, user="administrator", previous=history)
        checks.append(time.perf_counter() - start)
    t_check = statistics.median(checks)
    return [
        Result(f"one password hash ({hashing.DEFAULT.text()} argon2id)", t_new * 1000, "ms",
               f"scrypt ln=17,r=8,p=1 ({t_old * 1000:.0f} ms)", t_new / t_old, "<= 0.5x", t_new / t_old <= 0.5),
        Result("  its peak memory", m_new, "MiB", f"scrypt ({m_old:.0f} MiB)", m_new / m_old, "<= 0.5x",
               m_new / m_old <= 0.5),
        Result(f"previous-password check, {limit} stored hashes, no match", t_check * 1000, "ms", "", None,
               "< 1000 ms", t_check < 1 and verdict.accepted),
    ]
