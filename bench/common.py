"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    figure: float
    unit: str
    reference: str
    ratio: float | None
    target: str
    ok: bool | None

    def row(self) -> str:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}x"
        verdict = {True: "met", False: "MISSED", None: ""}[self.ok]
        return f"| {self.name} | {self.figure:.1f} {self.unit} | {self.reference} | {ratio} | {self.target} | {verdict} |"


HEADER = "| benchmark | figure | reference | ratio | target | result |\n|---|---|---|---|---|---|"


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bytecode_env(base: dict, cached: bool, empty_dir: str) -> dict:
    """``base`` with bytecode caching on (caches written and read as usual) or off (no cache
    read or written: every module compiled at each start, as on a box that sets
    PYTHONDONTWRITEBYTECODE and never had caches, which .ci/run and these machines do)."""
    env = {k: v for k, v in base.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if not cached:
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=empty_dir)
    return env
