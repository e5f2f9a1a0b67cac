"""The PBX accounts whose factory passwords the wizard replaces, their rules and stored hashes.

Every vendor scenario starts with "change the default passwords of all service users and
the security administrator" (seed 001), but neither seed names those accounts, nor the
lengths and characters the vendor's system accepts for each. The list below is the
wizard's assumption, taken from the vendor's public documentation (its Manager help and
security guide, outside the seeds): the security administrator, the two service users
that exist on every new system with published default passwords (Administrator and
BusinessPartner), and the three system passwords the vendor's hardening also asks to
change (System, Monitor for SysMonitor, Voicemail Pro). Each account's ``source`` says
which part comes from a seed and which is assumed. It is the only place that names them.

``policy_for(account, values)`` is the one policy every face checks an account's password
against: the catalog's ``passwords`` settings plus the account's own length range and
characters, so a password the vendor's system would refuse is refused here first.

Only password hashes are kept (argon2id; scrypt ones from earlier versions still count),
in two tables of ``security.toml``::

    [accounts]             # account name -> hash of its current password
    [account_history]      # account name -> hashes of earlier passwords, newest first

History is kept only as deep as ``passwords.previous_limit`` needs, so no more old hashes
sit on disk than the policy uses. Neither table ever goes into an answers file.
"""


from pathlib import Path
from typing import Any, Mapping, NamedTuple

from pbxwizard.errors import ConfigError, InvalidValue, Problem
from pbxwizard.passwords.rules import Charset, Policy

TABLE = "accounts"
HISTORY_TABLE = "account_history"
MAX_HISTORY = 24  # the largest passwords.previous_limit

SCENARIOS = "001: every scenario, change the default passwords of all service users and the security administrator"
OUTSIDE = "not in the source documents"
VOICEMAIL_REFUSED = '\\/:*?<>|,;'

PRINTABLE_ASCII = Charset(lambda ch: " " <= ch <= "~", "printable ASCII characters (letters, digits, symbols, space)")
ALPHANUMERIC = Charset(lambda ch: ch.isascii() and ch.isalnum(), "ASCII letters and digits only")
NO_PATH_CHARACTERS = Charset(lambda ch: ch != " " and ch not in VOICEMAIL_REFUSED,
                             "any character except space and " + " ".join(VOICEMAIL_REFUSED))


class Account(NamedTuple):
    name: str  # the key in [accounts]
    title: str
    role: str
    min_length: int  # the range the vendor's system accepts for this account
    max_length: int
    source: str  # which seed asks to change it, and where its rules come from
    charset: Charset | None = None  # None: the length range is the account's only rule of its own
    assumed: str = ""  # what of the above is the wizard's assumption

    def rules_text(self) -> str:
        chars = f", {self.charset.words}" if self.charset else ""
        return f"{self.min_length} to {self.max_length} characters{chars}"


ACCOUNTS = (
    Account("security_admin", "Security administrator",
            "Changes the security settings themselves, this wizard's included; the most valuable account on the system.",
            9, 31, f"{SCENARIOS}; 9 to 31 characters from the vendor's Manager help ({OUTSIDE})",
            assumed="the 9 to 31 character range"),
    Account("administrator", "Administrator service user",
            "The default full-rights service user of the management tool and the web manager.",
            1, 31, f"{SCENARIOS}; 1 to 31 characters for a service user from the vendor's Manager help ({OUTSIDE})",
            assumed="the account's name and its 1 to 31 character range"),
    Account("business_partner", "BusinessPartner service user",
            "The web manager's second default service user, also with full configuration rights.",
            1, 31, f"{SCENARIOS}; 1 to 31 characters for a service user from the vendor's Manager help ({OUTSIDE})",
            assumed="the account's name and its 1 to 31 character range"),
    Account("system", "System password",
            "The system-wide password the management tool asks for before firmware upgrades and system commands.",
            1, 31, f"{OUTSIDE}: the vendor's security guide asks to change it; 1 to 31 printable ASCII "
                   "characters from its Manager help", PRINTABLE_ASCII,
            assumed="the whole entry: the seeds do not name this account"),
    Account("monitor", "Monitor password (SysMonitor)",
            "Lets System Monitor connect and read the system's traces, which show calls, numbers and logins.",
            1, 31, f"{OUTSIDE}: the vendor's security guide asks to change it; 1 to 31 letters and digits "
                   "from its Manager help", ALPHANUMERIC,
            assumed="the whole entry: the seeds do not name this account"),
    Account("voicemail", "Voicemail Pro password",
            "Lets the Voicemail Pro server log in to the system; the same password is set on the voicemail server.",
            5, 31, f"{OUTSIDE}: the vendor's security guide asks to change it; 5 to 31 characters from its "
                   "Manager help", NO_PATH_CHARACTERS,
            assumed="the whole entry: the seeds do not name this account; the refused characters (space and "
                    "\\ / : * ? < > | , ;) are the wizard's own reading"),
)
NAMES = tuple(a.name for a in ACCOUNTS)
MAX_LENGTH = min(a.max_length for a in ACCOUNTS)  # passwords.min_length stops here, so every account can meet it
BY_NAME = {a.name: a for a in ACCOUNTS}


def policy_for(account: Account | str, values: Any) -> Policy:
    """The policy ``account``'s password must meet: the ``passwords`` settings of ``values``
    (a Config or a mapping of catalog values) and the account's own range and characters."""
    account = BY_NAME[account] if isinstance(account, str) else account
    return Policy.from_values(values)._replace(account_min=account.min_length, max_length=account.max_length,
                                               charset=account.charset, account=f"account {account.name} ({account.title})")


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
        verdict = rules.check(password, policy_for(name, config), user=name, previous=previous)
        if not verdict.accepted:
            where = (lines or {}).get(name)
            problems.append(Problem(f"{TABLE}.{name}", "password refused: " + "; ".join(verdict.failures), source, where))
    if problems:
        raise ConfigError(problems)
    accounts = dict(config.accounts)
    history = dict(config.account_history)
    keep = max(config["passwords.previous_limit"] - 1, 0)
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
