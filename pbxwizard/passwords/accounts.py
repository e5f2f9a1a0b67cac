"""The PBX accounts whose factory passwords the wizard replaces, and their stored hashes.

Every vendor scenario starts with "change the default passwords of all service users and
the security administrator" (seed 001), but neither seed names those accounts. The list
below is the wizard's assumption, taken from the vendor's public security guide: the
security administrator of the Security Administration service, and the two service users
that exist on every new system and have published default passwords (Administrator, used
by the management tool and the web manager, and BusinessPartner, the web manager's second
default account). It is the only place that names them.

Only password hashes are kept (argon2id; scrypt ones from earlier versions still count),
in two tables of ``security.toml``::

    [accounts]             # account name -> hash of its current password
    [account_history]      # account name -> hashes of earlier passwords, newest first

History is kept only as deep as ``passwords.previous_limit`` needs, so no more old hashes
sit on disk than the policy uses. Neither table ever goes into an answers file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, NamedTuple

from pbxwizard.errors import ConfigError, InvalidValue, Problem

TABLE = "accounts"
HISTORY_TABLE = "account_history"
MAX_HISTORY = 24  # the largest passwords.previous_limit


class Account(NamedTuple):
    name: str  # the key in [accounts]
    title: str
    role: str


ACCOUNTS = (
    Account("security_admin", "Security administrator",
            "Changes the security settings themselves, this wizard's included; the most valuable account on the system."),
    Account("administrator", "Administrator service user",
            "The default full-rights service user of the management tool and the web manager."),
    Account("business_partner", "BusinessPartner service user",
            "The web manager's second default service user, also with full configuration rights."),
)
NAMES = tuple(a.name for a in ACCOUNTS)
BY_NAME = {a.name: a for a in ACCOUNTS}


# --- reading ------------------------------------------------------------------------------

def parse_tables(data: Mapping[str, Any], problem) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The two account tables of a TOML document, checked.

    ``problem(key, message, warn=False)`` records what is wrong; a malformed hash is an
    error, an account the wizard does not know is a warning (the entry stays in the file).
    """
    from pbxwizard.passwords.hashing import parse_hash

    accounts: dict[str, str] = {}
    history: dict[str, tuple[str, ...]] = {}
    for table, many in ((TABLE, False), (HISTORY_TABLE, True)):
        body = data.get(table)
        if body is None:
            continue
        if not isinstance(body, Mapping):
            problem(table, f"[{table}] must be a table of account = {'[hashes]' if many else 'hash'}")
            continue
        for name, raw in body.items():
            key = f"{table}.{name}"
            if name not in BY_NAME:
                problem(key, f"unknown account; it is kept but not used (known: {', '.join(NAMES)})", warn=True)
                continue
            items = raw if many else [raw]
            if many and not isinstance(raw, list):
                problem(key, "expected a list of password hashes")
                continue
            try:
                for item in items:
                    if not isinstance(item, str):
                        raise InvalidValue("expected a password hash string")
                    parse_hash(item)
            except InvalidValue as exc:
                problem(key, f"{exc} (pbxwizard stores only password hashes; set the password again with the wizard or apply --passwords)")
                continue
            if many:
                history[name] = tuple(items[:MAX_HISTORY])
            else:
                accounts[name] = raw
    return accounts, history


def missing(config: Any) -> list[str]:
    """Accounts with no stored hash, in ``ACCOUNTS`` order."""
    return [n for n in NAMES if n not in config.accounts]


# --- setting passwords ---------------------------------------------------------------------

def read_password_lines(text: str, source: str) -> dict[str, tuple[str, int]]:
    """``account=password`` lines (``#`` comments and blank lines skipped) -> {account: (password, line)}.

    Problems name the file, line and account, never the password.
    """
    found: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, eq, password = line.partition("=")
        name = name.strip()
        if not eq:
            problems.append(Problem("(line)", "expected account=password", source, number))
        elif name not in BY_NAME:  # not echoed: it may be a password typed on the wrong side of "="
            problems.append(Problem("(line)", f"unknown account name; known: {', '.join(NAMES)}", source, number))
        elif name in found:
            problems.append(Problem(f"{TABLE}.{name}", f"given twice (first on line {found[name][1]})", source, number))
        else:
            found[name] = (password, number)
    if problems:
        raise ConfigError(problems)
    return found


def set_passwords(config: Any, new: Mapping[str, str], *, source: str = "",
                  lines: Mapping[str, int] | None = None) -> Any:
    """``config`` with new passwords hashed into it, or ConfigError listing every refusal.

    Each password is checked against the config's own policy, with the account name as the
    user name and its current and earlier hashes as the previous passwords. Nothing is
    hashed unless every password passes, so a refusal changes nothing. A password that
    matches its account's current hash of an older form (scrypt) is the same password
    hashed again: it is not a reuse, and the history stays as it is.
    """
    from pbxwizard.passwords import hashing, rules

    policy = rules.Policy.from_config(config)
    problems = []
    rehashed = set()
    for name, password in new.items():
        if name not in BY_NAME:
            problems.append(Problem(name, f"unknown account; known: {', '.join(NAMES)}", source))
            continue
        previous = _previous(config, name)
        current = config.accounts.get(name)
        if current and hashing.needs_rehash(current) and hashing.verify_password(password, current):
            rehashed.add(name)
            previous = []
        verdict = rules.check(password, policy, user=name, previous=previous)
        if not verdict.accepted:
            where = (lines or {}).get(name)
            problems.append(Problem(f"{TABLE}.{name}", "password refused: " + "; ".join(verdict.failures), source, where))
    if problems:
        raise ConfigError(problems)
    accounts = dict(config.accounts)
    history = dict(config.account_history)
    keep = max(policy.previous_limit - 1, 0)
    for name, password in new.items():
        older = _previous(config, name)
        accounts[name] = hashing.hash_password(password)
        if name in rehashed:
            continue
        if keep and older:
            history[name] = tuple(older[:keep])
        else:
            history.pop(name, None)
    return config.with_accounts(accounts, history)


def _previous(config: Any, name: str) -> list[str]:
    current = [config.accounts[name]] if name in config.accounts else []
    return current + list(config.account_history.get(name, ()))
