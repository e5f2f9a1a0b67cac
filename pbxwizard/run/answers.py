"""The answers file: what replays a run, written beside ``security.toml``.

It holds the preset, the keys changed from it and what else to make (certificate store,
pairing codes); passwords, passphrases and settings whose values carry a credential (an API
list's ``user:password``) never: those are given again at replay. Such a setting is named in
``[pbxwizard] left_out`` and shown masked in a comment, so a replay without it stops and says
how to give it (``--set-file KEY=FILE``) instead of writing a config without it.
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

    from pbxwizard.run.extras import LEFT_OUT
    from pbxwizard.settings.config import SET_FILE
    from pbxwizard.settings.tomlfile import string_array

    changed = set(config.changed_from(base))
    secret = [s.key for s in catalog.SETTINGS if s.key in changed and s.kind.holds_secret(config[s.key])]
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Replay with: pbxwizard apply --answers THIS_FILE --output DIR"))
    doc.add(tomlkit.comment("(add --passwords FILE for the account passwords, and --passphrase-env NAME"))
    doc.add(tomlkit.comment(" when certificate keys are encrypted; neither is stored here)"))
    meta = tomlkit.table()
    meta.add("preset", config.preset)
    for key, value in extras.to_meta().items():
        meta.add(key, value)
    if secret:
        meta.add(LEFT_OUT, secret)
    doc.add("pbxwizard", meta)
    for section in catalog.SECTIONS:
        keys = [s for s in catalog.in_section(section.name) if s.key in changed]
        if not keys:
            continue
        table = tomlkit.table()
        for setting in keys:
            if setting.key in secret:
                table.add(tomlkit.comment(f"{setting.name}: {setting.kind.display(config[setting.key])}; it holds a "
                                          "credential, so it is left out: give it with"))
                table.add(tomlkit.comment("  " + SET_FILE.format(key=setting.key)))
                continue
            raw = setting.kind.to_toml(config[setting.key])
            table.add(setting.name, string_array(raw, multiline=False) if isinstance(raw, list) else raw)
        doc.add(section.name, table)
    return tomlkit.dumps(doc)
