"""Validation of a 10,000-entry API access list and of a config with every key; writing and
reading a config that holds 10,000 and 100,000 entries.

Targets: linear in the number of entries (10 times the entries, at most 15 times the
time) and validation under 100 ms.
"""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path

from bench.common import Result, median_seconds


def _entries(n: int) -> list[str]:
    out = []
    for i in range(n):
        if i % 4 == 0:
            out.append(str(ipaddress.ip_network((0x0A000000 + (i << 8), 24))))
        elif i % 4 == 1:
            out.append(str(ipaddress.ip_address(0x20010DB8 << 96 | i)))
        elif i % 4 == 2:
            out.append(str(ipaddress.ip_address(0xC0000200 + i)))
        else:
            out.append(f"integration{i}:pass{i}")
    return out


def run() -> list[Result]:
    from pbxwizard.settings import catalog, netlists, tomlfile, presets
    from pbxwizard.settings.config import build

    kind = catalog.get("access.api_access_list").kind
    small, big = _entries(1_000), _entries(10_000)
    fresh = netlists._api_entry.cache_clear  # each run classifies its entries anew, as a fresh process does
    t_small = median_seconds(lambda: (fresh(), kind.from_toml(small)), 7)
    t_big = median_seconds(lambda: (fresh(), kind.from_toml(big)), 7)
    store = presets.load(include_user=False)
    base = store.values("maximum")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "security.toml"
        tomlfile.save(path, build("maximum", base, {"access.api_access_list": tuple(big)}), base)
        t_file = median_seconds(lambda: (fresh(), tomlfile.load_config(path, store.values)), 5)
        tomlfile.save(path, build("maximum", base), base)
        t_every = median_seconds(lambda: tomlfile.load_config(path, store.values), 20)
        lists = _long_lists(path, store, base)
    growth = t_big / t_small
    return [*lists,
        Result("API access list, 10,000 entries", t_big * 1000, "ms", "1,000 entries", growth,
               "< 100 ms, ratio ~10 (linear)", t_big < 0.1 and growth < 15),
        Result("config with every key, read + checked", t_every * 1000, "ms", "", None, "< 100 ms", t_every < 0.1),
        Result("config holding the 10,000-entry list", t_file * 1000, "ms", "", None, "< 100 ms", t_file < 0.1),
    ]


def _long_lists(path: Path, store, base) -> list[Result]:
    """security.toml holding 10k and then 100k entries: save (tomlkit) and load (checked).

    Medians of five, after a collection: a single 30 ms run at 10k swings by half with the
    cyclic collector's timing, which made the growth ratio read 15-21x for a linear 10x.
    """
    import gc

    from pbxwizard.settings import netlists, tomlfile
    from pbxwizard.settings.config import build

    def timed(fn) -> float:
        return median_seconds(lambda: (gc.collect(), fn()) and None, 5)

    times = {}
    for n in (10_000, 100_000):
        config = build("maximum", base, {"access.api_access_list": tuple(_entries(n))})
        written = timed(lambda: tomlfile.save(path, config, base))
        read = timed(lambda: (netlists._api_entry.cache_clear(), tomlfile.load_config(path, store.values)))
        times[n] = written, read
    rows = []
    for i, what in enumerate(("write", "read")):
        small, big = times[10_000][i], times[100_000][i]
        rows += [Result(f"config with a 10,000-entry list, {what}", small, "s", "", None, "(scale)", None),
                 Result(f"config with a 100,000-entry list, {what}", big, "s", "10,000 entries", big / small,
                        "ratio <= 15 (linear)", big / small <= 15)]
    return rows
