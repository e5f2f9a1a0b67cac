import difflib
import os
import stat
import tomllib

import pytest

from pbxwizard.settings import catalog, tomlfile, presets
from pbxwizard.settings.config import build
from pbxwizard.errors import ConfigError


@pytest.fixture(scope="module")
def store():
    return presets.load(include_user=False)


def _config(store, name="maximum", **changes):
    base = store.values(name)
    return build(name, base, {k.replace("__", "."): v for k, v in changes.items()}), base


def test_render_parses_back_to_the_same_values(store, tmp_path):
    for name in presets.BUILTIN:
        config, base = _config(store, name)
        path = tmp_path / name / "security.toml"
        tomlfile.save(path, config, base)
        again, warnings = tomlfile.load_config(path, store.values)
        assert again == config and warnings == []
        data = tomllib.loads(path.read_text())
        assert set(f"{s}.{k}" for s in data if s != "pbxwizard" for k in data[s]) == set(catalog.BY_KEY)


def test_every_key_is_explained_above_it(store, tmp_path):
    config, base = _config(store)
    text = tomlfile.render(config, base)
    lines = text.splitlines()
    for setting in catalog.SETTINGS:
        index = next(i for i, l in enumerate(lines) if l.startswith(f"{setting.name} ="))
        assert lines[index - 1].startswith("# "), setting.key
    assert 'preset = "maximum"' in text


def test_changed_keys_recorded_at_the_top(store, tmp_path):
    config, base = _config(store, web__session_timeout=600)
    text = tomlfile.render(config, base)
    assert tomllib.loads(text)["pbxwizard"]["changed"] == ["web.session_timeout"]


HAND_EDITED = """\
# Site: Berlin office. Ask Dana before changing anything.
[pbxwizard]
preset = "maximum"
changed = ["web.session_timeout"]

[web]
session_timeout   =   600   # agreed with the works council
"""


def test_round_trip_keeps_comments_and_changes_one_line(store, tmp_path):
    path = tmp_path / "security.toml"
    # medium: its TLS minimum is 1.2, so lowering the maximum to 1.2 is a valid change (maximum is 1.3 only)
    config, base = _config(store, "medium", web__session_timeout=600)
    tomlfile.save(path, config, base)
    # the operator adds comments and reformats a line by hand
    text = path.read_text().replace("[access]", "# our own note about access\n[access]")
    text = text.replace("session_timeout = 600", "session_timeout   =   600   # agreed with the works council")
    path.write_text(text)
    loaded, _ = tomlfile.load_config(path, store.values)
    tomlfile.save(path, loaded.replace(**{"tls.max_version": "1.2"}), base)
    diff = [l for l in difflib.unified_diff(text.splitlines(), path.read_text().splitlines(), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    # the value line changes; so does the record of changed keys at the top
    assert diff == [
        '-changed = ["web.session_timeout"]',
        '+changed = ["web.session_timeout", "tls.max_version"]',
        '-max_version = "1.3"',
        '+max_version = "1.2"',
    ]
    # a change to a key already recorded as changed touches exactly one line
    text = path.read_text()
    loaded, _ = tomlfile.load_config(path, store.values)
    tomlfile.save(path, loaded.replace(**{"web.session_timeout": 300}), base)
    diff = [l for l in difflib.unified_diff(text.splitlines(), path.read_text().splitlines(), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    assert diff == ["-session_timeout   =   600   # agreed with the works council",
                    "+session_timeout   =   300   # agreed with the works council"]


def test_unknown_keys_are_kept_and_reported(store, tmp_path):
    path = tmp_path / "security.toml"
    config, base = _config(store)
    tomlfile.save(path, config, base)
    path.write_text(path.read_text().replace("[tls]", "[tls]\nfuture_knob = 3\n", 1) + "\n[vendor_extra]\nx = 1\n")
    loaded, warnings = tomlfile.load_config(path, store.values)
    assert {w.key for w in warnings} == {"tls.future_knob", "vendor_extra"}
    assert all(w.line for w in warnings)
    tomlfile.save(path, loaded.replace(**{"web.session_timeout": 1200}), base)
    data = tomllib.loads(path.read_text())
    assert data["tls"]["future_knob"] == 3 and data["vendor_extra"] == {"x": 1}


def test_every_problem_listed_with_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[pbxwizard]\npreset = "maximum"\n\n[web]\nsession_timeout = -5\nlogin_history = "long"\n\n'
                    '[tls]\nmin_version = "1.3"\nmax_version = "1.2"\n')
    with pytest.raises(ConfigError) as info:
        tomlfile.load(path)
    shown = [str(p) for p in info.value.problems]
    assert any(s.startswith(f"{path}:5: web.session_timeout:") and "-5" in s for s in shown), shown
    assert any(s.startswith(f"{path}:6: web.login_history:") and "whole number" in s for s in shown), shown
    assert any(s.startswith(f"{path}:9: tls.min_version:") and "above the maximum" in s for s in shown), shown


@pytest.mark.parametrize("content,expect", [
    (b"[web\nsession_timeout = 1", "not valid TOML"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[web]\n[web]\n", "not valid TOML"),
])
def test_broken_files_are_refused_clearly(tmp_path, content, expect):
    path = tmp_path / "security.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=expect):
        tomlfile.load(path)


def test_write_is_private_and_keeps_a_backup(store, tmp_path):
    os.umask(0)
    try:
        folder = tmp_path / "out"
        path = folder / "security.toml"
        config, base = _config(store)
        tomlfile.save(path, config, base)
        first = path.read_text()
        tomlfile.save(path, config.replace(**{"web.session_timeout": 1200}), base)
    finally:
        os.umask(0o022)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    backup = folder / "security.toml.bak"
    assert backup.read_text() == first and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["security.toml", "security.toml.bak"]


def test_loose_existing_folder_is_reported_and_tightened(store, tmp_path):
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    config, base = _config(store)
    notes = tomlfile.save(folder / "security.toml", config, base)
    assert any("0755" in n for n in notes)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
