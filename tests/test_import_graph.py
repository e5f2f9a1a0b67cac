"""The shape of the code: no import cycles between the project's modules, no oversized module.

A cycle makes import order matter and hides which room depends on which; a module past
a few hundred lines has usually grown two jobs. Both checks read the source, so they cover
imports inside functions that a test run might never reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphhelp import components, cycles, import_graph, module_files

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pbxwizard", "screens")
MAX_LINES = 400


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_no_import_cycles():
    found = cycles(import_graph(ROOT, PACKAGES))
    if found:
        pytest.fail("import cycles:\n  " + "\n  ".join(found), pytrace=False)


def test_no_module_over_the_size_limit():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in module_files(ROOT, PACKAGES).values()}
    over = sorted(f"{name}: {count} lines" for name, count in sizes.items() if count > MAX_LINES)
    if over:
        pytest.fail(f"modules over {MAX_LINES} lines:\n  " + "\n  ".join(over), pytrace=False)


def test_a_planted_cycle_is_reported(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "def late():\n    from pkg import b\n",  # a function-level import counts
        "pkg/b.py": "from .c import thing\n",  # and a relative one
        "pkg/c.py": "import pkg.a\nthing = 1\n",
        "pkg/d.py": "from pkg import c\n",  # leads into the knot but is not part of it
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert components(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert cycles(graph) == ["pkg.a -> pkg.b -> pkg.c -> pkg.a"]


def test_each_edge_of_a_knot_gets_its_cycle(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "from pkg.hub import VERSION\n",  # a name, so an edge to the package
        "pkg/hub.py": "from pkg import left, right\nVERSION = 1\n",
        "pkg/left.py": "from pkg.hub import VERSION\n",
        "pkg/right.py": "import pkg\n",
    })
    assert cycles(import_graph(tmp_path, ["pkg"])) == [
        "pkg -> pkg.hub -> pkg.right -> pkg",
        "pkg.hub -> pkg.left -> pkg.hub",
    ]


def test_a_clean_package_reports_nothing(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "from importlib import import_module\n",
        "pkg/a.py": "from pkg import b, c\nfrom pkg.b import helper\n",  # submodules, not the package
        "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\ndef helper(): ...\n",
        "pkg/c.py": "import os.path\nfrom . import b\n",
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg.a"] == {"pkg.b", "pkg.c"} and graph["pkg.b"] == set()
    assert cycles(graph) == []


def test_modules_named_to_import_module_count(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": 'from importlib import import_module\nPARTS = ("pkg.a",)\n'
                           "def load():\n    for name in PARTS:\n        import_module(name)\n",
        "pkg/a.py": "from pkg import load\n",
    })
    assert cycles(import_graph(tmp_path, ["pkg"])) == ["pkg -> pkg.a -> pkg"]


def test_the_first_screen_loads_neither_the_catalog_nor_the_later_steps():
    """Start-up (issue 15): the welcome step is shown before any setting is; the catalog,
    the presets and the other screens load when first needed."""
    import subprocess
    import sys

    later = ("pbxwizard.settings.catalog", "pbxwizard.settings.presets", "screens.settings", "screens.review")
    code = ("import sys, pbxwizard.app, screens.welcome\n"
            f"print(sorted(m for m in {later!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "[]", done.stdout
