"""Long access lists: written in one go (what tomlkit writes item by item), read with each
entry classified once."""

from __future__ import annotations

import tomllib

import pytest

from pbxwizard.settings import netlists, presets, tomlfile
from pbxwizard.settings.config import build

AWKWARD = ["plain", 'with "quotes"', "back\\slash", "caf\u00e9", "tab\there", "new\nline", "del\x7f", "\U0001f512", ""]


@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("values", [[], ["one"], AWKWARD, [f"10.0.{i}.0/24" for i in range(50)]])
def test_an_array_made_at_once_is_what_tomlkit_writes_item_by_item(values, multiline):
    import tomlkit

    theirs = tomlkit.array()
    theirs.extend(values)
    theirs.multiline(multiline)
    ours = tomlfile.string_array(values, multiline)
    mine, reference = tomlkit.document(), tomlkit.document()
    mine["k"], reference["k"] = ours, theirs
    assert mine.as_string() == reference.as_string()
    assert tomllib.loads(mine.as_string())["k"] == values


def _entries(n: int) -> tuple[str, ...]:
    """Addresses, networks (some wide), IPv6 and credentials, each distinct."""
    kinds = [lambda i: f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", lambda i: f"2001:db8::{i:x}",
             lambda i: f"{(i % 200) + 1}.{i // 256 % 256}.{i % 256}.0/24", lambda i: f"user{i}:secret{i}"]
    return tuple(kinds[i % 4](i) for i in range(n)) + ("0.0.0.0/0", "localhost")


def test_a_long_list_is_read_and_audited_with_each_entry_classified_once(tmp_path, monkeypatch):
    from pbxwizard.settings import audit

    store = presets.load(include_user=False)
    base = store.values("maximum")
    entries = _entries(4_000)
    path = tmp_path / "security.toml"
    tomlfile.save(path, build("maximum", base, {"access.api_access_list": entries}), base)
    netlists._api_entry.cache_clear()
    parsed = []
    real_network, real_is_address = netlists.ipaddress.ip_network, netlists._is_address
    monkeypatch.setattr(netlists.ipaddress, "ip_network", lambda text, *a, **k: parsed.append(text) or real_network(text, *a, **k))
    monkeypatch.setattr(netlists, "_is_address", lambda text: parsed.append(text) or real_is_address(text))
    config, _ = tomlfile.load_config(path, store.values)
    found = audit.findings(config)
    assert config["access.api_access_list"] == entries
    assert sorted(parsed) == sorted(e for e in entries if e != "localhost"), "each entry parsed once"
    messages = " ".join(f.why for f in found)
    assert "Basic-auth string" in messages and "wider than /8" in messages
