"""Headless ``pbxwizard apply --preset maximum`` end to end (local CA, identity, one pairing
code), against importing the libraries it needs.

"The libraries it needs" is measured, not guessed: one traced run lists every module the
apply loads that is not pbxwizard's own (standard library and third-party alike), and the
reference is a fresh interpreter importing exactly those. Runs alternate between the two so
background load hits both alike; figures are medians.

Twice: with bytecode cached, and with none. Target: at most 1.3 times the reference.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, Result, bytecode_env

RUNS = 11
ARGS = ["apply", "--preset", "maximum", "--set", "certificates.mode=local_ca",
        "--set", "certificates.dns_names=pbx.example.com", "--set", "pairing.domain=example.com",
        "--set", "pairing.server=pbx.example.com", "--certs", "--pair", "201", "--passphrase-env", "BENCH_PASS"]
TRACE = (
    "import sys, runpy, json\n"
    "sys.argv = ['pbxwizard', *json.loads(sys.argv[1])]\n"
    "try:\n    runpy.run_module('pbxwizard', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "ours = ('pbxwizard', 'screens', '__main__')\n"
    "print(json.dumps(sorted(m for m in sys.modules if not m.startswith(ours))))\n"
)


def _timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CONFIG_HOME": f"{tmp}/cfg", "BENCH_PASS": "a passphrase for the benchmark"}
        traced = subprocess.run([sys.executable, "-c", TRACE, json.dumps([*ARGS, "-o", f"{tmp}/trace"])], cwd=ROOT,
                                env=env, check=True, capture_output=True, text=True)
        modules = json.loads(traced.stdout.splitlines()[-1])
        reference = "\n".join(f"try:\n    import {m}\nexcept Exception:\n    pass" for m in modules)
        rows = []
        for cached in (True, False):
            run_env = bytecode_env(env, cached, f"{tmp}/no-cache")
            apply_times, import_times = [], []
            for i in range(RUNS + 1):
                a = _timed([sys.executable, "-m", "pbxwizard", *ARGS, "-o", f"{tmp}/out{cached}{i}"], run_env)
                b = _timed([sys.executable, "-c", reference], run_env)
                if i:  # the first pair warms caches (and, cached, writes the bytecode)
                    apply_times.append(a)
                    import_times.append(b)
            t_apply, t_imports = statistics.median(apply_times), statistics.median(import_times)
            ratio = t_apply / t_imports
            how = "bytecode cached" if cached else "no bytecode cache"
            rows.append(Result(f"headless apply --preset maximum --certs --pair 201, {how}", t_apply * 1000, "ms",
                               f"importing the {len(modules)} library modules it loads ({t_imports * 1000:.0f} ms)",
                               ratio, "<= 1.3x", ratio <= 1.3))
    return rows
