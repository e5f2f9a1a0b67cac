"""Headless ``pbxwizard apply --preset maximum`` end to end, against importing what it needs.

Target: at most 1.5 times the time to import the libraries it needs, in a fresh process.
"""

from __future__ import annotations

import tempfile

from bench.common import Result, median_seconds, run_python

IMPORTS = "import tomllib, tomlkit, platformdirs"


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"XDG_CONFIG_HOME": f"{tmp}/cfg"}
        apply = lambda: run_python(args=["-m", "pbxwizard", "apply", "--preset", "maximum", "-o", f"{tmp}/out"], env=env)  # noqa: E731
        imports = lambda: run_python(code=IMPORTS, env=env)  # noqa: E731
        apply()  # warm the disk cache and bytecode for both
        imports()
        t_apply = median_seconds(apply, 9)
        t_imports = median_seconds(imports, 9)
    ratio = t_apply / t_imports
    return [Result("headless apply --preset maximum", t_apply * 1000, "ms", f"import of its libraries ({t_imports * 1000:.0f} ms)",
                   ratio, "<= 1.5x", ratio <= 1.5)]
