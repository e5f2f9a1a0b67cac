"""``tomlfile.render`` writes a fresh security.toml as text, piece by piece; it must be the
text tomlkit renders for the same document built with its document API (as render did
before: the slow way, kept here as the reference). Its comments are wrapped as textwrap
wraps them, most by a faster fill of its own."""

import string
import textwrap

import pytest
import tomlkit
from hypothesis import given, settings, strategies as st

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


def wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width - 2) or [""]


def test_every_explanation_is_wrapped_as_textwrap_wraps_it():
    texts = [f"{s.explain} Honoured by {catalog.SYSTEMS[s.honoured_by]}." for s in catalog.SETTINGS]
    texts += [tomlfile.ACCOUNTS_COMMENT, tomlfile.HISTORY_COMMENT, *tomlfile.HEADER, ""]
    for text in texts:
        assert tomlfile._comment_lines(text) == wrapped(text, 88), text


words = st.text(string.ascii_letters + ".,'", min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.lists(words, max_size=40).map(" ".join),
                      st.text(string.ascii_letters + "  -\t\n\u00a0\u00e9.", max_size=200)),
       width=st.sampled_from([10, 20, 40, 88]))
def test_any_text_is_wrapped_as_textwrap_wraps_it(text, width):
    assert tomlfile._comment_lines(text, width) == wrapped(text, width)
