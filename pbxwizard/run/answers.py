"""The answers file: what replays a run, written beside ``security.toml``.

It holds the preset, the keys changed from it and what else to make (certificate store,
pairing codes); passwords and passphrases never, they are given again at replay.
"""

from __future__ import annotations

from typing import Any

from pbxwizard.run.extras import Extras
from pbxwizard.settings import catalog
from pbxwizard.settings.config import Config


def render_answers(config: Config, base: dict[str, Any], extras: Extras = Extras()) -> str:
    """An answers file that reproduces a run: the preset, the keys changed from it and what
    else to make. Passwords and passphrases are never in it; they are given at replay."""
    import tomlkit

    from pbxwizard.settings.tomlfile import string_array

    doc = tomlkit.document()
    doc.add(tomlkit.comment("Replay with: pbxwizard apply --answers THIS_FILE --output DIR"))
    doc.add(tomlkit.comment("(add --passwords FILE for the account passwords, and --passphrase-env NAME"))
    doc.add(tomlkit.comment(" when certificate keys are encrypted; neither is stored here)"))
    meta = tomlkit.table()
    meta.add("preset", config.preset)
    for key, value in extras.to_meta().items():
        meta.add(key, value)
    doc.add("pbxwizard", meta)
    changed = set(config.changed_from(base))
    for section in catalog.SECTIONS:
        keys = [s for s in catalog.in_section(section.name) if s.key in changed]
        if not keys:
            continue
        table = tomlkit.table()
        for setting in keys:
            raw = setting.kind.to_toml(config[setting.key])
            table.add(setting.name, string_array(raw, multiline=False) if isinstance(raw, list) else raw)
        doc.add(section.name, table)
    return tomlkit.dumps(doc)
