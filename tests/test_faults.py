"""Broken configs and killed writes: clear messages, exit 2, never a traceback or a torn file."""

import os
import subprocess
import sys
import textwrap

import pytest

from pbxwizard.settings import tomlfile, presets

VALID_HEAD = '[pbxwizard]\npreset = "maximum"\n'


def _corpus(tmp_path):
    full = tmp_path / "full.toml"
    subprocess.run([sys.executable, "-m", "pbxwizard", "apply", "--preset", "maximum", "-o", str(tmp_path / "f")],
                   check=True, capture_output=True, env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "x")})
    text = (tmp_path / "f" / "security.toml").read_text()
    full.write_text(text)
    return {
        "truncated": text[: len(text) // 2].rsplit("=", 1)[0] + "= ",
        "binary": bytes(range(256)) * 4,
        "wrong types": VALID_HEAD + '[web]\nsession_timeout = "an hour"\n[tls]\nrc4 = "no"\n',
        "huge number": VALID_HEAD + "[web]\nsession_timeout = 99999999999999999999\n",
        "10 MB string": VALID_HEAD + '[tls]\nkey_log_file = "' + "a" * (10 * 1024 * 1024) + '"\n',
        "duplicate tables": VALID_HEAD + "[web]\nsession_timeout = 900\n[web]\nlogin_history = 30\n",
        "duplicate keys": VALID_HEAD + "[web]\nsession_timeout = 900\nsession_timeout = 901\n",
        "float for int": VALID_HEAD + "[web]\nsession_timeout = 900.5\n",
        "table for value": VALID_HEAD + "[web.session_timeout]\nx = 1\n",
        "empty file": "",
        "preset unknown": '[pbxwizard]\npreset = "ultra"\n',
        "preset wrong type": "[pbxwizard]\npreset = 3\n",
        "NUL in path": VALID_HEAD + '[tls]\nkey_log_file = "/tmp/\\u0000x"\n',
    }


def test_broken_config_corpus_gives_clear_messages_and_exit_2(tmp_path):
    for name, content in _corpus(tmp_path).items():
        path = tmp_path / "case.toml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        result = subprocess.run([sys.executable, "-m", "pbxwizard", "check", str(path)], capture_output=True, text=True,
                                env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "x")})
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if name == "empty file":
            # an empty file is a valid TOML document: it names no preset, so every key falls back to the defaults
            assert result.returncode in (0, 1), (name, result.stderr)
            continue
        assert result.returncode == 2, (name, result.stdout, result.stderr[:500])
        assert str(path) in result.stderr and len(result.stderr) < 5000, name


def test_unknown_keys_are_warnings_not_errors(tmp_path, run_cli, fast_hashing, passwords_file, with_store):
    run_cli("apply", "--preset", "maximum", "--passwords", str(passwords_file), *with_store, "-o", str(tmp_path))
    path = tmp_path / "security.toml"
    path.write_text(path.read_text() + "\n[site]\nowner = 'Dana'\n")
    code, out, err = run_cli("check", str(path))
    assert code == 0 and "unknown section [site]" in err and "Traceback" not in err


KILLER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from pbxwizard.settings import tomlfile, presets
    from pbxwizard.settings.config import build
    step, target = int(sys.argv[1]), Path(sys.argv[2])
    calls = {"n": 0}
    real_replace, real_fsync = os.replace, os.fsync
    def tick():
        calls["n"] += 1
        if calls["n"] == step:
            os._exit(9)          # as abrupt as kill -9: no cleanup, no flush
    def replace(a, b):
        tick(); real_replace(a, b); tick()
    def fsync(fd):
        tick(); real_fsync(fd)
    os.replace, os.fsync = replace, fsync
    store = presets.load(include_user=False)
    base = store.values("maximum")
    tomlfile.save(target, build("maximum", base, {"web.session_timeout": 1234}), base)
    print("finished", calls["n"])
""")


def test_a_write_killed_at_any_step_leaves_old_or_new_and_a_good_backup(tmp_path):
    store = presets.load(include_user=False)
    base = store.values("maximum")
    steps = None
    step = 1
    while steps is None or step <= steps + 1:
        folder = tmp_path / f"kill{step}"
        target = folder / "security.toml"
        from pbxwizard.settings.config import build

        tomlfile.save(target, build("maximum", base, {"web.session_timeout": 600}), base)
        tomlfile.save(target, build("maximum", base, {"web.session_timeout": 700}), base)
        old = target.read_text()
        result = subprocess.run([sys.executable, "-c", KILLER, str(step), str(target)], capture_output=True, text=True)
        if result.returncode == 0:
            steps = int(result.stdout.split()[-1])
        else:
            assert result.returncode == 9, result.stderr
        config, _ = tomlfile.load_config(target, store.values)
        assert config["web.session_timeout"] in (700, 1234), f"killed at step {step}: torn config"
        if config["web.session_timeout"] == 700:
            assert target.read_text() == old
        backup, _ = tomlfile.load_config(folder / "security.toml.bak", store.values)
        assert backup["web.session_timeout"] in (600, 700), f"killed at step {step}: bad backup"
        tomlfile.save(target, config, base)  # the next save clears what the killed one left
        assert sorted(p.name for p in folder.iterdir()) == ["security.toml", "security.toml.bak"]
        step += 1
    assert steps and steps >= 4, "the write has at least fsync, backup rename, rename, folder fsync"
