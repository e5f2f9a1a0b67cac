"""Pairing tokens for the phone apps: signed, expiring, revocable.

A token is the URI the QR code holds (format in the README)::

    pbx-pair://SERVER/EXTENSION@DOMAIN?e=EXPIRY&i=ID&s=SIGNATURE

``EXPIRY`` is Unix seconds (UTC) or ``never``; ``ID`` is 72 random bits (12 base64url
characters) used to revoke one code; ``SIGNATURE`` is HMAC-SHA256, cut to 128 bits (22
base64url characters) to keep the QR code small, over every character before it.

The signature is checked first, over the raw text, before any field is parsed: a change to
any byte (a separator included) shows as ``tampered``, and nothing an attacker wrote is
interpreted before it is authenticated. ``malformed`` is left for text that cannot be a
token at all (wrong length or characters) or, signed, does not parse.

Expiring tokens are signed with a key derived from the 256-bit pairing key. Tokens with no
expiry are signed with a key derived from the pairing key *and the user's password hash*,
so a password change makes every such code fail: that is the only way they stop, short of
revoking them one by one.

The clock is injected (``now``) so tests never sleep.
"""


import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from pbxwizard.settings import netlists
from pbxwizard.errors import ConfigError, InvalidValue, Problem

SCHEME = "pbx-pair://"
KEY_NAME = "pairing.key"
REVOKED_NAME = "pairing-revoked.txt"
KEY_BYTES = 32
ID_BYTES = 9
ID_RANDOM = 6  # the rest of the id is a MAC of these under the pairing key, so `revoke` can tell
               # an id this folder issued from a typo (one in 16 million typos passes)
SIG_BYTES = 16
SIG_CHARS = 22  # base64url of 16 bytes, no padding
ID_CHARS = 12
NEVER = "never"
DOMAIN_NOT_IP = "the SIP domain is a name; the address goes in --server (pairing.server)"
MAX_TOKEN = 600
MAX_REVOKED_BYTES = 16 * 1024 * 1024  # some 400,000 revoked codes
MIN_TOKEN = len(SCHEME) + len("a/1@b?e=1&i=&s=") + ID_CHARS + SIG_CHARS
EXTENSION_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_B64URL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

VALID, EXPIRED, REVOKED, TAMPERED, MALFORMED = "valid", "expired", "revoked", "tampered", "malformed"

NO_EXPIRY_COST = (
    "This code never expires. It is signed with a key derived from the user's password hash: "
    "anyone holding a copy can pair a phone until that password changes, and changing the "
    "password breaks the pairing of every phone that used it."
)

Clock = Callable[[], float]


class Token(NamedTuple):
    extension: str
    domain: str
    server: str
    expires: int | None  # Unix seconds; None: no expiry (bound to the password hash)
    id: str
    uri: str  # the signed token itself, as the QR code holds it


class Verification(NamedTuple):
    status: str  # valid, expired, revoked, tampered or malformed
    reason: str
    token: Token | None = None

    @property
    def ok(self) -> bool:
        return self.status == VALID


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def check_extension(extension: str) -> str:
    if (not extension or len(extension) > 64 or not extension[0].isascii() or not extension[0].isalnum()
            or not set(extension) <= EXTENSION_CHARS):
        raise InvalidValue(f"{extension!r} is not an extension: use 1 to 64 of the characters "
                           "A-Z a-z 0-9 . _ -, starting with a letter or digit")
    return extension


def _signing_key(key: bytes, password_hash: str | None) -> bytes:
    """Separate keys for the two kinds of token, so one can never pass as the other."""
    if password_hash is None:
        return hmac.new(key, b"pbx-pair/v1/expiring", hashlib.sha256).digest()
    label = b"pbx-pair/v1/no-expiry\x00" + password_hash.encode("utf-8")
    return hmac.new(key, label, hashlib.sha256).digest()


def _sign(key: bytes, message: str, password_hash: str | None) -> str:
    mac = hmac.new(_signing_key(key, password_hash), message.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return _b64(mac[:SIG_BYTES])


def issue(key: bytes, extension: str, domain: str, server: str, *, ttl: int | None,
          now: Clock = time.time, password_hash: str | None = None) -> Token:
    """A new signed token. ``ttl`` in seconds, or None for no expiry (needs ``password_hash``)."""
    check_extension(extension)
    domain = netlists.check_dns_name(domain, ip_hint=DOMAIN_NOT_IP)
    server = netlists.format_host_port(*netlists.parse_host_port(server))
    if ttl is None and not password_hash:
        raise InvalidValue("a code with no expiry is bound to the user's password hash; none was given")
    if ttl is not None and ttl <= 0:
        raise InvalidValue("the lifetime of a code must be positive")
    expires = None if ttl is None else int(now()) + int(ttl)
    token_id = _new_id(key)
    body = f"{SCHEME}{server}/{extension}@{domain}?e={NEVER if expires is None else expires}&i={token_id}&s="
    uri = body + _sign(key, body, password_hash if expires is None else None)
    if len(uri) > MAX_TOKEN:
        raise InvalidValue(f"the code would be {len(uri)} characters, more than {MAX_TOKEN}; use a shorter domain or address")
    return Token(extension, domain, server, expires, token_id, uri)


def _id_mac(key: bytes, random_part: bytes) -> bytes:
    return hmac.new(key, b"pbx-pair/v1/id\x00" + random_part, hashlib.sha256).digest()[:ID_BYTES - ID_RANDOM]


def _new_id(key: bytes) -> str:
    while True:
        random_part = secrets.token_bytes(ID_RANDOM)
        token_id = _b64(random_part + _id_mac(key, random_part))
        if not token_id.startswith("-"):  # `pbxwizard revoke -abc...` would read the id as an option
            return token_id


def issued_with(key: bytes, token_id: str) -> bool:
    """True when ``token_id`` is one that ``key`` made (its last 3 bytes are their MAC)."""
    try:
        raw = base64.urlsafe_b64decode(token_id + "=" * (-len(token_id) % 4))
    except ValueError:
        return False
    if len(raw) != ID_BYTES:
        return False
    return hmac.compare_digest(raw[ID_RANDOM:], _id_mac(key, raw[:ID_RANDOM]))


def needs_password_hash(text: str) -> bool:
    """True when ``text`` claims to be a no-expiry token (checking it needs the password hash)."""
    return f"?e={NEVER}&" in text


def _parse(uri: str) -> Token:
    rest = uri[len(SCHEME):] if uri.startswith(SCHEME) else None
    if rest is None:
        raise InvalidValue(f"does not start with {SCHEME}")
    where, q, query = rest.partition("?")
    server, slash, who = where.partition("/")
    extension, at, domain = who.rpartition("@")
    if not (q and slash and at):
        raise InvalidValue("expected SERVER/EXTENSION@DOMAIN?e=..&i=..&s=..")
    fields = query.split("&")
    if [f.partition("=")[0] for f in fields] != ["e", "i", "s"]:
        raise InvalidValue("expected the fields e, i and s, in that order")
    expiry, token_id = fields[0][2:], fields[1][2:]
    if expiry != NEVER and not (expiry.isascii() and expiry.isdigit() and len(expiry) <= 12):
        raise InvalidValue("the expiry is not a time")
    if len(token_id) != ID_CHARS or not set(token_id) <= _B64URL:
        raise InvalidValue("the id is not 12 base64url characters")
    check_extension(extension)
    netlists.check_dns_name(domain, ip_hint=DOMAIN_NOT_IP)
    netlists.parse_host_port(server)
    return Token(extension, domain, server, None if expiry == NEVER else int(expiry), token_id, uri)


def misshapen(text: object) -> Verification | None:
    """The verdict on text that cannot be a token whatever the key: no key is needed to say so."""
    if not isinstance(text, str):
        return Verification(MALFORMED, "not text")
    if not MIN_TOKEN <= len(text) <= MAX_TOKEN:
        return Verification(MALFORMED, f"a pairing token has {MIN_TOKEN} to {MAX_TOKEN} characters; this has {len(text)}")
    return None


def verify(key: bytes, text: str, *, now: Clock = time.time, revoked: Iterable[str] = (),
           password_hash: str | None = None) -> Verification:
    """Tell a valid token from an expired, revoked, tampered or malformed one.

    The signature is compared in constant time (``hmac.compare_digest``) over the raw text
    before anything is parsed. A no-expiry token needs the user's current password hash.
    """
    shape = misshapen(text)
    if shape is not None:
        return shape
    body, given = text[:-SIG_CHARS], text[-SIG_CHARS:]
    no_expiry = needs_password_hash(body)
    if no_expiry and not password_hash:
        return Verification(TAMPERED, "this code has no expiry; checking it needs the user's current password hash")
    expected = _sign(key, body, password_hash if no_expiry else None)
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "surrogatepass")):
        why = "the signature does not match: the code was changed, or made with another key"
        if no_expiry:
            why += ", or the user's password changed since it was made"
        return Verification(TAMPERED, why)
    try:
        token = _parse(text)
    except InvalidValue as exc:
        return Verification(MALFORMED, f"signed, but not a pairing token: {exc}")
    if token.id in set(revoked):
        return Verification(REVOKED, f"code {token.id} was revoked", token)
    if token.expires is not None and now() >= token.expires:
        return Verification(EXPIRED, f"expired at {format_time(token.expires)}", token)
    until = "no expiry (until the password changes)" if token.expires is None else f"until {format_time(token.expires)}"
    return Verification(VALID, f"valid {until}", token)


def format_time(seconds: int | None) -> str:
    if seconds is None:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


def token_id_of(text: str) -> str:
    """The id a user means: a bare id, or the one inside a token."""
    text = text.strip()
    if len(text) == ID_CHARS and set(text) <= _B64URL:
        return text
    marker = text.rfind("&i=")
    candidate = text[marker + 3: marker + 3 + ID_CHARS] if marker >= 0 else ""
    if len(candidate) == ID_CHARS and set(candidate) <= _B64URL:
        return candidate
    raise InvalidValue("expected a code id (12 characters, shown by pbxwizard pair) or a whole token")


# --- the key and the revocation list in the output folder -----------------------------------

class NoKey(ConfigError):
    """The folder holds no pairing key, so it made no codes: not the folder that made the one at hand."""


class Store:
    """The pairing key and revocation list kept in an output folder (both 0600, folder 0700)."""

    def __init__(self, folder: Path, *, now: Clock = time.time):
        self.folder = Path(folder)
        self.now = now

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_NAME

    @property
    def revoked_path(self) -> Path:
        return self.folder / REVOKED_NAME

    def key(self, *, create: bool = True) -> bytes:
        """The 256-bit key, made on first use. A damaged key file is an error, never replaced."""
        from pbxwizard.atomic import write_private

        path = self.key_path
        data = self._read(path, 4096)
        if data is not None:
            if len(data) != KEY_BYTES:
                raise ConfigError([Problem("pairing key", f"is {len(data)} bytes, not {KEY_BYTES}; it is damaged. "
                                           "Move it away to make a new key (every code made with it stops working)",
                                           str(path))])
            return data
        if not create:
            raise NoKey([Problem("pairing key", "no pairing key here yet; no code was made with this folder", str(path))])
        from pbxwizard import folderlock

        with folderlock.hold(self.folder, "making the pairing key"):
            if os.path.lexists(path):  # another run made it while this one waited for the lock
                return self.key(create=False)
            data = secrets.token_bytes(KEY_BYTES)
            write_private(path, data, backup=False)
        return data

    def _read(self, path: Path, cap: int) -> bytes | None:
        """A file of this folder's, trusted only if ours (see ``pbxwizard.trust``); None if missing."""
        from pbxwizard import trust

        problems = trust.folder_problems(self.folder)
        if problems:
            raise ConfigError(problems)
        return trust.read_own(path, cap)

    def _revoked_text(self) -> str | None:
        data = self._read(self.revoked_path, MAX_REVOKED_BYTES)
        try:
            return None if data is None else data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError([Problem("revocation list", f"not UTF-8 text (byte {exc.start})",
                                       str(self.revoked_path))]) from None

    def revoked(self) -> set[str]:
        text = self._revoked_text()
        if text is None:
            return set()
        return {line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")}

    def revoke(self, id_or_token: str) -> tuple[str, bool]:
        """Add a code's id to the list; returns (id, True if it was new)."""
        from pbxwizard.atomic import write_private

        from pbxwizard import folderlock

        token_id = token_id_of(id_or_token)
        key = self.key(create=False)  # a folder with no key issued nothing: refused, nothing written
        if not self._issued_here(key, id_or_token.strip(), token_id):
            raise InvalidValue(f"{token_id} is not a code this folder's key made: check it for a typo, or give "
                               "the whole token (pbxwizard revoke - reads it from standard input)")
        with folderlock.hold(self.folder, "revoking a pairing code"):  # read, add, write: one run at a time
            if token_id in self.revoked():
                return token_id, False
            old = self._revoked_text() or "# Revoked pairing codes: one id a line, with the time it was revoked.\n"
            line = f"{token_id} revoked {format_time(int(self.now()))}\n"
            write_private(self.revoked_path, (old + line).encode("utf-8"))
        return token_id, True

    def _issued_here(self, key: bytes, text: str, token_id: str) -> bool:
        """An id this key made, or a whole token this key signed (codes from before ids carried a MAC)."""
        if issued_with(key, token_id):
            return True
        return len(text) > ID_CHARS and verify(key, text, now=self.now).status in (VALID, EXPIRED)

    def issue(self, extension: str, domain: str, server: str, *, ttl: int | None,
              password_hash: str | None = None) -> Token:
        return issue(self.key(), extension, domain, server, ttl=ttl, now=self.now, password_hash=password_hash)

    def verify(self, text: str, *, password_hash: str | None = None) -> Verification:
        return verify(self.key(create=False), text, now=self.now, revoked=self.revoked(), password_hash=password_hash)
