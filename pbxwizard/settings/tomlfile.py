"""Reading and writing ``security.toml`` (and answers files, which share its shape).

Reading uses ``tomllib`` (fast, in the standard library). Writing uses tomlkit, imported
only here, so an operator's comments and layout survive a re-save: an existing file is
edited in place and only values that changed are touched.
"""


import os
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from pbxwizard.settings import catalog
from pbxwizard.atomic import write_private
from pbxwizard.passwords.accounts import HISTORY_TABLE, TABLE
from pbxwizard.settings.config import META, Config, LineFinder, Parsed, build, check_rules, parse_document
from pbxwizard.errors import ConfigError, Problem

MAX_BYTES = 4 * 1024 * 1024  # a real config is a few KiB; refuse to chew on huge files


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Loaded:
    """A file's checked values (possibly partial, as in an answers file) and its warnings."""

    path: Path
    preset: str | None
    values: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)  # stored password hashes
    history: dict[str, tuple[str, ...]] = field(default_factory=dict)


def read_text(path: Path, *, own: bool = False) -> str:
    """The file's text, at most MAX_BYTES (counted as it is read: ``/dev/zero`` has no size).

    ``own``: the file is one pbxwizard wrote into an output folder, trusted only when this
    user owns it and others cannot write it; a symlink there is refused, never followed.
    """
    from pbxwizard import trust

    name = str(path)
    if own:
        raw = trust.read_own(Path(path), MAX_BYTES, "a config")
        if raw is None:
            raise ConfigError([Problem("(file)", "no such file", name)])
    else:
        raw = trust.read_capped(Path(path), MAX_BYTES, "a config")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem("(file)", f"not UTF-8 text (byte {exc.start}); is this a TOML file?", name)]) from None


def parse_text(text: str, name: str) -> Parsed:
    """Parse and check TOML source; raises ConfigError with every problem."""
    from pbxwizard.settings import bounds

    bounds.check_text(text, name)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise bounds.too_deep(name) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        if "(at line " in message:
            try:
                line = int(message.split("(at line ")[1].split(",")[0])
            except ValueError:
                pass
        raise ConfigError([Problem("(toml)", f"not valid TOML: {message}", name, line)]) from None
    bounds.check_document(data, name)
    parsed = parse_document(data, file=name, text=text)
    for key, message in check_rules({**catalog.defaults(), **parsed.values}):
        if key in parsed.values:
            parsed.problems.append(Problem(key, message, name, LineFinder(text).find(key)))
    if parsed.problems:  # the warnings go along: a file with a bad value and an unknown key reports both
        raise ConfigError(parsed.problems, parsed.warnings)
    return parsed


def load(path: Path, *, own: bool = False) -> Loaded:
    """Read any file of security.toml's shape; values may be partial (``own``: see read_text)."""
    path = Path(path)
    parsed = parse_text(read_text(path, own=own), str(path))
    preset = parsed.meta.get("preset")
    return Loaded(path, preset if isinstance(preset, str) else None, parsed.values, parsed.warnings, parsed.meta,
                  parsed.accounts, parsed.history)


def load_config(path: Path, base_for: Any = None, *, own: bool = False) -> tuple[Config, list[Problem]]:
    """A complete Config from a file; keys it leaves out come from its preset.

    ``base_for`` maps a preset name to that preset's values (``PresetSet.values``);
    ``own``: the output folder's own security.toml (see ``read_text``).
    """
    loaded = load(path, own=own)
    preset = loaded.preset or ""
    try:
        base = base_for(preset) if base_for is not None and preset else catalog.defaults()
        return build(preset, base, loaded.values, accounts=loaded.accounts, history=loaded.history), loaded.warnings
    except ConfigError as exc:
        finder = LineFinder(read_text(path, own=own))
        problems = [Problem(p.key, p.message, str(path), p.line or finder.find(p.key if "." in p.key else f"{META}.{p.key}"))
                    for p in exc.problems]
        raise ConfigError(problems, loaded.warnings) from None


# --- writing ----------------------------------------------------------------------------

HEADER = (
    "pbxwizard security settings for the PBX.",
    "Written by pbxwizard; your own comments and layout are kept when it saves again.",
    "Each setting has its explanation above it; `pbxwizard explain KEY` says more.",
)


def _comment_lines(text: str, width: int = 88) -> list[str]:
    """``text`` as ``textwrap.wrap`` wraps it to ``width - 2`` columns (a comment's "# ").

    Explanations are words parted by single spaces, none longer than a line: for those
    textwrap's lines are the greedy fill made here, at a tenth of its cost (its regular
    expression and chunk loop were 5 ms of an apply), up to a line whose overflowing word
    has a hyphen, after which textwrap may break it: the rest, from that line on, is
    textwrap's, as is any other text. A test compares the two.
    """
    width -= 2
    words = text.split(" ")
    if not (text.isprintable() and all(words) and max(map(len, words)) <= width):
        return textwrap.wrap(text, width=width) or [""]
    lines, first = [], 0  # the words of the line being filled start at words[first]
    length = len(words[0])
    for index, word in enumerate(words[1:], start=1):
        if length + 1 + len(word) <= width:
            length += 1 + len(word)
        elif "-" in word:
            return lines + textwrap.wrap(" ".join(words[first:]), width=width)
        else:
            lines.append(" ".join(words[first:index]))
            first, length = index, len(word)
    return [*lines, " ".join(words[first:])]


def _plain(text: str) -> bool:
    """Printable ASCII with no quote or backslash: a TOML basic string as it stands."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def string_array(values: Any, multiline: bool) -> Any:
    """A TOML array of strings made in one go.

    tomlkit's ``Array.extend`` re-indexes the whole array on every item it adds, which makes
    a long list quadratic (10,000 entries took 10 s); the array built from its items at once
    is linear. Plain entries (most: addresses, names) skip tomlkit's per-character escaping.
    """
    import tomlkit
    from tomlkit.items import Array, String, StringType, Trivia, Whitespace

    items: list[Any] = []
    for value in values:
        if items:
            items.append(Whitespace(", "))
        items.append(String(StringType.SLB, value, value, Trivia()) if _plain(value) else tomlkit.item(value))
    return Array(items, Trivia(), multiline=multiline)


def _toml_value(setting: catalog.Setting, value: Any) -> Any:
    raw = setting.kind.to_toml(value)
    if isinstance(raw, list):
        return string_array(raw, multiline=len(raw) > 3)
    return raw


def _meta_table(config: Config, changed: list[str]) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.add("preset", config.preset)
    table.add("changed", _changed_array(changed))
    return table


def _changed_array(changed: list[str]) -> Any:
    return string_array(changed, multiline=False)


def _explanation(setting: catalog.Setting) -> list[str]:
    return _comment_lines(f"{setting.explain} Honoured by {catalog.SYSTEMS[setting.honoured_by]}.")


def _add_setting(table: Any, setting: catalog.Setting, value: Any) -> None:
    import tomlkit

    for line in _explanation(setting):
        table.add(tomlkit.comment(line))
    table.add(setting.name, _toml_value(setting, value))


class _Text:
    """A fresh file's TOML text, each comment, header, key and value as tomlkit writes it.

    Text a fresh document would render to the byte (a test builds one to compare), made
    without one: adding 300 items to tomlkit tables and dumping them took 10 ms of a 150 ms
    apply, most of it tomlkit's bookkeeping for edits that a fresh file never sees.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []

    def comments(self, lines: Any) -> None:
        import tomlkit

        self.parts += [tomlkit.comment(line).as_string() for line in lines]

    def table(self, name: str) -> None:
        """A blank line, then the table's header."""
        from tomlkit.items import SingleKey

        self.parts.append(f"\n[{SingleKey(name).as_string()}]\n")

    def pair(self, key: str, value: Any) -> None:
        import tomlkit
        from tomlkit.items import SingleKey

        self.parts.append(f"{SingleKey(key).as_string()} = {tomlkit.item(value).as_string()}\n")


def render(config: Config, base: Mapping[str, Any]) -> str:
    """A fresh security.toml: sections in catalog order, every key explained."""
    out = _Text()
    out.comments(HEADER)
    out.table(META)
    out.pair("preset", config.preset)
    out.pair("changed", _changed_array(config.changed_from(base)))
    for section in catalog.SECTIONS:
        out.table(section.name)
        out.comments([f"{section.title}: {section.blurb}"])
        for index, setting in enumerate(catalog.in_section(section.name)):
            out.parts += ["\n"] * bool(index)
            out.comments(_explanation(setting))
            out.pair(setting.name, _toml_value(setting, config[setting.key]))
    for name, entries, comment in _account_tables(config):
        if entries or name == TABLE:
            out.table(name)
            out.comments(_comment_lines(comment))
            for account, value in entries.items():
                if value is not None and value != ():  # what _write_accounts leaves out of a table too
                    out.pair(account, _account_value(value))
    return "".join(out.parts)


ACCOUNTS_COMMENT = (
    "Argon2id hashes of the new passwords of the service users and the security administrator; "
    "the passwords themselves are never stored. Set them in the wizard or with "
    "`pbxwizard apply --passwords FILE`."
)
HISTORY_COMMENT = "Hashes of earlier passwords, newest first, as deep as passwords.previous_limit needs."


def _account_tables(config: Config) -> list[tuple[str, Mapping[str, Any], str]]:
    """(table, its entries, its comment): the current hashes, then the earlier ones."""
    return [(TABLE, config.accounts, ACCOUNTS_COMMENT), (HISTORY_TABLE, config.account_history, HISTORY_COMMENT)]


def _account_value(value: Any) -> Any:
    return string_array(value, multiline=True) if isinstance(value, tuple) else value


def _write_accounts(doc: Any, config: Config) -> None:
    """Put the config's hashes into ``doc``: the account tables come after the catalog's.

    Current hashes the config does not name are left alone, so saving never drops one; the
    history of a known account follows the config, which trims it to the policy's depth.
    """
    import tomlkit

    from pbxwizard.passwords.accounts import BY_NAME

    for name, entries, comment in _account_tables(config):
        if name not in doc:
            if not entries and name == HISTORY_TABLE:
                continue
            table = tomlkit.table()
            for line in _comment_lines(comment):
                table.add(tomlkit.comment(line))
            doc.add(tomlkit.nl())
            doc.add(name, table)
        table = doc[name]
        if name == HISTORY_TABLE:
            for account in [a for a in table if a in BY_NAME and a not in entries]:
                del table[account]
        for account, value in entries.items():
            if isinstance(value, tuple):
                if list(table.get(account, [])) != list(value):
                    table[account] = _account_value(value)
            elif table.get(account) != value:
                table[account] = value


def update(text: str, config: Config, base: Mapping[str, Any]) -> str:
    """Apply ``config`` to existing TOML source, touching only what changed."""
    import tomlkit

    doc = tomlkit.parse(text)
    if META not in doc or not isinstance(doc[META], dict):
        doc[META] = _meta_table(config, config.changed_from(base))
    else:
        meta = doc[META]
        if meta.get("preset") != config.preset:
            meta["preset"] = config.preset
        changed = config.changed_from(base)
        if list(meta.get("changed", [])) != changed:
            meta["changed"] = _changed_array(changed)
    for section in catalog.SECTIONS:
        if section.name not in doc:
            table = tomlkit.table()
            doc.add(tomlkit.nl())
            doc.add(section.name, table)
        table = doc[section.name]
        for setting in catalog.in_section(section.name):
            value = config[setting.key]
            if setting.name in table:
                current = table[setting.name]
                current = current.unwrap() if hasattr(current, "unwrap") else current
                try:
                    same = setting.kind.from_toml(current) == value
                except Exception:
                    same = False
                if not same:
                    table[setting.name] = _toml_value(setting, value)
            else:
                table.add(tomlkit.nl())
                _add_setting(table, setting, value)
    _write_accounts(doc, config)
    return tomlkit.dumps(doc)


class Planned(NamedTuple):
    """What saving a config would put at a path, worked out without writing."""

    text: str  # the new file
    old: str | None  # the current file's text, when it is a valid config
    replaces_invalid: bool  # a file is there that is not a valid config: it is replaced whole


def plan_save(path: Path, config: Config, base: Mapping[str, Any]) -> Planned:
    """An existing file that is valid TOML is updated in place so its comments survive; one
    that is not is replaced (its old text stays in the ``.bak``)."""
    path = Path(path)
    old, invalid = None, False
    if os.path.lexists(path):  # a symlink or another user's file is refused (read_own); make_plan says why
        try:
            old = read_text(path, own=True)
            parse_text(old, str(path))
        except ConfigError:
            old, invalid = None, True
    text = update(old, config, base) if old is not None else render(config, base)
    return Planned(text, old, invalid)


def save(path: Path, config: Config, base: Mapping[str, Any], planned: Planned | None = None) -> list[str]:
    """Write ``config`` to ``path`` atomically (0600, keeping ``.bak``); returns notes.

    ``planned`` is what ``plan_save`` gave for the same config, when the caller has it.
    """
    from pbxwizard.atomic import ensure_private_dir

    path = Path(path)
    notes = ensure_private_dir(path.parent)
    planned = planned or plan_save(path, config, base)
    if planned.replaces_invalid:
        notes.append(f"{path} was not a valid config; writing a fresh file (old one kept as {path.name}.bak)")
    write_private(path, planned.text.encode("utf-8"))
    return notes


def carry_over(config: Config, path: Path) -> Config:
    """``config`` with the hashes already stored in the security.toml at ``path``.

    A re-apply must never drop a stored hash. A missing or invalid file carries nothing
    (an invalid one is replaced on save and kept as ``.bak``).
    """
    path = Path(path)
    if not os.path.lexists(path):
        return config
    try:  # a symlink or another user's file carries nothing over (make_plan refuses it)
        loaded = load(path, own=True)
    except ConfigError:
        return config
    accounts = {**loaded.accounts, **config.accounts}
    history = {**loaded.history, **config.account_history}
    return config.with_accounts(accounts, history)
