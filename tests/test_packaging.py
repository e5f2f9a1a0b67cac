"""The built-in presets ship inside the wheel and are found from an editable install too."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import pbxwizard, pbxwizard.settings.presets as p\n"
    "store = p.load(include_user=False)\n"
    "print(pbxwizard.__file__)\n"
    "print(p.builtin_folder())\n"
    "print(' '.join(store.names()))\n"
    "from pbxwizard.passwords import blocklist\n"
    "assert blocklist.size() >= 10000 and blocklist.is_common('PassWord')\n"
)


def _probe(cwd, env_path=None):
    env = {"PATH": "/usr/bin:/bin"}
    if env_path:
        env["PYTHONPATH"] = str(env_path)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_presets_load_from_the_built_wheel(tmp_path):
    # build from a clean copy: setuptools reuses ./build, which could hide a packaging mistake
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "snapshots"))
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True)
    if build.returncode != 0 and "No module named build" in build.stderr:
        pytest.skip("the 'build' package is not installed")
    assert build.returncode == 0, build.stderr[-2000:]
    # issue 11: every install printed "Package 'pbxwizard.data' is absent from the packages configuration"
    assert "absent from the `packages` configuration" not in build.stdout + build.stderr
    wheel = next((tmp_path / "dist").glob("pbxwizard-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for preset in ("minimum", "medium", "maximum"):
        assert f"pbxwizard/preset_files/{preset}.toml" in names
    assert "screens/__init__.py" in names
    styles = {str(p.relative_to(ROOT)) for p in (ROOT / "screens").rglob("*.tcss")}
    assert styles and styles <= set(names), "every screen's and widget's .tcss ships beside it"
    assert "pbxwizard/certs/generate.py" in names, "the certs package ships too"
    assert "pbxwizard/data/common-passwords.txt" in names, "the common-password list is package data"
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    module, folder, presets = _probe(tmp_path, target)
    assert module.startswith(str(target)) and folder.startswith(str(target))
    assert presets == "minimum medium maximum"


def test_presets_load_from_an_installed_checkout(tmp_path):
    module, folder, presets = _probe(tmp_path)
    assert module.startswith(str(ROOT)), "run from elsewhere, the editable install points at the checkout"
    assert presets == "minimum medium maximum"
