"""``tomlfile.render`` writes a fresh security.toml as text, piece by piece; it must be the
text tomlkit renders for the same document built with its document API (as render did
before: the slow way, kept here as the reference)."""

import pytest
import tomlkit

from pbxwizard.passwords.accounts import HISTORY_TABLE, TABLE
from pbxwizard.settings import catalog, presets, tomlfile
from pbxwizard.settings.config import build

STORE = presets.load(include_user=False)


def reference(config, base) -> str:
    doc = tomlkit.document()
    for line in tomlfile.HEADER:
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    meta = tomlkit.table()
    meta.add("preset", config.preset)
    meta.add("changed", tomlfile.string_array(config.changed_from(base), multiline=False))
    doc.add("pbxwizard", meta)
    for section in catalog.SECTIONS:
        table = tomlkit.table()
        table.add(tomlkit.comment(f"{section.title}: {section.blurb}"))
        for index, setting in enumerate(catalog.in_section(section.name)):
            if index:
                table.add(tomlkit.nl())
            tomlfile._add_setting(table, setting, config[setting.key])
        doc.add(tomlkit.nl())
        doc.add(section.name, table)
    tomlfile._write_accounts(doc, config)
    return tomlkit.dumps(doc)


HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"


@pytest.mark.parametrize("name", presets.BUILTIN)
@pytest.mark.parametrize("accounts", [({}, {}),
                                      ({"administrator": HASH, "system": 'odd "quoted" \\ text, caf\u00e9'},
                                       {"administrator": (HASH, HASH + "x"), "monitor": ()}),
                                      ({}, {"voicemail": (HASH,)})], ids=["none", "current+history", "history only"])
def test_render_is_the_text_tomlkit_writes_for_the_document(name, accounts):
    base = STORE.values(name)
    config = build(name, base, {"web.session_timeout": 600}).with_accounts(*accounts)
    text = tomlfile.render(config, base)
    assert text == reference(config, base)
    assert (TABLE in tomlkit.parse(text)) and (HISTORY_TABLE in tomlkit.parse(text)) == bool(accounts[1])
