"""Bounds that keep a hostile TOML file cheap to refuse.

A real ``security.toml`` nests three levels and holds a few hundred keys. Hand-made files
can make the parser or the checks after it slow or deep: arrays nested 900 levels (1.8 KB)
overflow the interpreter's stack in ``tomllib``, a dotted key 20,000 parts long takes it
seconds and gigabytes, and 400,000 unknown keys each cost a line search and a spelling
suggestion. So, before parsing, no line may hold more than ``MAX_DOTS`` dots outside
strings; parsing that still recurses too deep is refused; and after parsing, the document
is walked without recursion and refused past ``MAX_DEPTH`` levels, ``MAX_KEYS`` keys or
``MAX_ITEMS`` list items. Keys and items are capped apart: an unknown key costs a spelling
suggestion, a list entry only its one classification, and an access list of 100,000
entries is a real (if large) site's, which the benchmarks read and write.
"""

from __future__ import annotations

import re
from typing import Any

from pbxwizard.errors import ConfigError, Problem

MAX_DOTS = 64  # per line, outside strings: a key of this tool has two parts
MAX_DEPTH = 16  # tables and arrays inside each other
MAX_KEYS = 20_000  # table keys: each unknown one costs a line search and a suggestion
MAX_ITEMS = 200_000  # array items, all lists together: each costs one classification

_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')


def check_text(text: str, name: str) -> None:
    """Before parsing: refuse a line with a dotted key far longer than any real one."""
    if all(line.count(".") <= MAX_DOTS for line in text.splitlines()):
        return  # each line with its strings taken out keeps a part of its dots: none can be over
    bare = _STRINGS.sub(lambda m: "\n" * m.group().count("\n"), text)  # line numbers stay
    for number, line in enumerate(bare.splitlines(), 1):
        if line.count(".") > MAX_DOTS:
            raise ConfigError([Problem("(toml)", f"a key with more than {MAX_DOTS} dotted parts; no setting "
                                       "nests that deep", name, number)])


def too_deep(name: str) -> ConfigError:
    """For a RecursionError while parsing: the nesting went past what the parser can follow."""
    return ConfigError([Problem("(toml)", f"tables or arrays nested too deeply (at most {MAX_DEPTH} levels)", name)])


def check_document(data: Any, name: str) -> None:
    """After parsing: at most MAX_DEPTH levels, MAX_KEYS keys and MAX_ITEMS items, walked with a stack."""
    stack = [(data, 0)]
    keys = items = 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(name)
        if isinstance(value, dict):
            keys += len(value)
            children = value.values()
        elif isinstance(value, list):
            items += len(value)
            children = value
        else:
            continue
        if keys > MAX_KEYS:
            raise ConfigError([Problem("(toml)", f"more than {MAX_KEYS} keys; a config has a few hundred", name)])
        if items > MAX_ITEMS:
            raise ConfigError([Problem("(toml)", f"more than {MAX_ITEMS} list entries in all; the longest real "
                                       "access lists hold thousands", name)])
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
