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
