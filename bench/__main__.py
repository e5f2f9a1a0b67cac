"""``python -m bench [NAME ...]``: run the benchmarks and print a Markdown table."""

from __future__ import annotations

import sys
from importlib import import_module

from bench.common import HEADER

BENCHES = ("startup", "validation", "headless", "passwords", "pairing", "ui_flow")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    rows = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr)
        rows += import_module(f"bench.{name}").run()
    print(HEADER)
    for row in rows:
        print(row.row())
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
