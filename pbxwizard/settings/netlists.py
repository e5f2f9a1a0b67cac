"""Entries of the PBX's access lists, parsed with ``ipaddress`` and ``shlex``.

The PBX reads these lists as one space-separated string; the config keeps them as TOML
arrays (one entry an element) and ``pbx_string`` renders them back for the PBX's page.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import shlex

from pbxwizard.errors import InvalidValue

_HEX = set("0123456789abcdefABCDEF")
_V6_CHARS = _HEX | set(":.")
_SPACE = re.compile(r"\s")  # the characters str.isspace() names, searched in C (10,000 entries a read)


def _is_address(entry: str) -> bool:
    """``ipaddress.ip_address``'s verdict without the parses bound to fail (each raises, which
    is most of their cost): an IPv6 address holds a colon and an IPv4 one never does, and
    before any ``%scope`` an IPv6 address has only hex digits, colons and dots."""
    try:
        if ":" not in entry:
            ipaddress.IPv4Address(entry)
        elif set(entry.partition("%")[0]) <= _V6_CHARS:
            ipaddress.IPv6Address(entry)
        else:
            return False
    except ValueError:
        return False
    return True


def _looks_like_address(entry: str) -> bool:
    """True for text that was meant as an IP address even if it is not a valid one."""
    if all(c.isdigit() or c == "." for c in entry) and "." in entry:
        return True
    if entry.count(":") >= 2 and set(entry) <= _V6_CHARS:
        return True
    return False


def api_entry_kind(entry: str) -> str:
    """Classify one API access list entry: address, network, localhost or credential."""
    return _api_entry(entry)[0]


def api_network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network a ``network`` entry names (None for the other kinds)."""
    return _api_entry(entry)[1]


@functools.lru_cache(maxsize=1 << 17)
def _api_entry(entry: str) -> tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network | None]:
    """An entry's kind and network, worked out once: reading a list checks every entry, then
    the audit asks again which are credentials and which networks are wide; a 100,000-entry
    list stays in the cache for all three."""
    if not entry or _SPACE.search(entry):
        raise InvalidValue(f"{entry!r}: an entry may not be empty or contain spaces")
    if entry == "localhost":
        return "localhost", None
    if "/" in entry:
        try:
            network = ipaddress.ip_network(entry, strict=True)
        except ValueError as exc:
            raise InvalidValue(
                f"{entry!r} is not a valid CIDR network ({exc}); write it as "
                "address/prefix with no host bits set, for example 192.168.0.0/16"
            ) from None
        return "network", network
    if _is_address(entry):
        return "address", None
    if _looks_like_address(entry):
        raise InvalidValue(f"{entry!r} is not a valid IPv4 or IPv6 address")
    user, sep, _password = entry.partition(":")
    if not sep or not user:
        raise InvalidValue(
            f"{entry!r} is neither an IP address, a CIDR network, localhost nor a "
            "Basic-auth credential of the form username:password"
        )
    return "credential", None


def mask_api_entry(entry: str) -> str:
    """``user:secret`` shows as ``user:***``; addresses show as they are."""
    try:
        if api_entry_kind(entry) == "credential":
            return entry.partition(":")[0] + ":***"
    except InvalidValue:
        pass
    return entry


def check_api_entry(entry: str) -> str:
    api_entry_kind(entry)
    return entry


def _check_domain(domain: str, entry: str) -> None:
    if not domain or len(domain) > 253:
        raise InvalidValue(f"{entry!r}: the domain is missing or too long")
    for label in domain.rstrip(".").split("."):
        ok = 0 < len(label) <= 63 and all(c.isalnum() or c == "-" for c in label)
        if not ok or label.startswith("-") or label.endswith("-"):
            raise InvalidValue(f"{entry!r}: {domain!r} is not a valid domain name")


def parse_host_port(text: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[IPv6]:port`` or a bare IPv6 address; host an IP or DNS name."""
    form = "use an IP address or DNS name, optionally with :port (IPv6 with a port: [2001:db8::1]:5061)"
    if not text or _SPACE.search(text):
        raise InvalidValue(f"{text!r}: an address may not be empty or contain spaces; {form}")
    host, port = text, None
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise InvalidValue(f"{text!r}: unbalanced brackets; {form}")
        port = rest[1:] if rest else None
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise InvalidValue(f"{text!r}: {host!r} is not an IPv6 address; {form}") from None
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    if port is not None:
        if not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
            raise InvalidValue(f"{text!r}: the port must be a number from 1 to 65535")
    try:
        return str(ipaddress.ip_address(host)), int(port) if port else None
    except ValueError:
        pass
    if _looks_like_address(host):
        raise InvalidValue(f"{text!r} is not a valid IPv4 or IPv6 address; {form}")
    return check_dns_name(host), int(port) if port else None


def format_host_port(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


def parse_csta_entry(entry: str) -> tuple[str, str, str]:
    """Split ``user@domain:address`` into its parts, checking each."""
    form = "use user@domain:address, for example alice@pbx.example.com:192.0.2.10"
    if not entry or _SPACE.search(entry):
        raise InvalidValue(f"{entry!r}: an entry may not be empty or contain spaces; {form}")
    user, at, rest = entry.partition("@")
    if not at or not user:
        raise InvalidValue(f"{entry!r} has no user name before '@'; {form}")
    domain, colon, address = rest.partition(":")
    if not colon or not address:
        raise InvalidValue(f"{entry!r} has no address after the domain; {form}")
    _check_domain(domain, entry)
    bare = address[1:-1] if address.startswith("[") and address.endswith("]") else address
    try:
        ipaddress.ip_address(bare)
    except ValueError:
        raise InvalidValue(f"{entry!r}: {address!r} is not an IPv4 or IPv6 address; {form}") from None
    return user, domain, bare


def check_csta_entry(entry: str) -> str:
    parse_csta_entry(entry)
    return entry


def check_user_agent(entry: str) -> str:
    if not entry or entry != entry.strip():
        raise InvalidValue(f"{entry!r}: a User-Agent entry may not be empty or start or end with a space")
    if '"' in entry or "\\" in entry or any(not c.isprintable() for c in entry):
        raise InvalidValue(f"{entry!r}: a User-Agent entry may not contain quotes, backslashes or control characters")
    return entry


def split_plain(text: str) -> list[str]:
    """The PBX's space-separated format."""
    return text.split()


def split_quoted(text: str) -> list[str]:
    """Space-separated with double quotes around entries that hold spaces ("SIP Call")."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise InvalidValue(f"{text!r}: {exc} (every opening \" needs a closing one)") from None


def join_quoted(entries: list[str] | tuple[str, ...]) -> str:
    return " ".join(f'"{e}"' if _SPACE.search(e) else e for e in entries)


def check_dns_name(entry: str, *, ip_hint: str = "put it in certificates.ip_addresses") -> str:
    """A host name for a certificate's SAN, lower-cased and without a trailing dot.

    Wildcards are refused: the PBX's certificate should name the hosts it serves, so a
    stolen key does not also vouch for every other host in the domain.
    """
    name = entry.strip().rstrip(".").lower()
    if not name or _SPACE.search(entry.strip()):
        raise InvalidValue(f"{entry!r}: a DNS name may not be empty or contain spaces")
    if "*" in name:
        raise InvalidValue(f"{entry!r}: wildcards are not accepted; list each host name the PBX answers to")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        raise InvalidValue(f"{entry!r} is an IP address; {ip_hint}")
    if _looks_like_address(name):
        raise InvalidValue(f"{entry!r} looks like an IP address but is not a valid one")
    if not name.isascii():
        raise InvalidValue(f"{entry!r}: give an international name in its ASCII (xn--) form")
    _check_domain(name, entry)
    return name


def check_ip_address(entry: str) -> str:
    """An IPv4 or IPv6 address for a certificate's SAN, in its canonical spelling."""
    text = entry.strip()
    if "/" in text:
        raise InvalidValue(f"{entry!r} is a network; a certificate names single addresses")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise InvalidValue(f"{entry!r} is not a valid IPv4 or IPv6 address") from None
    if getattr(address, "scope_id", None):
        raise InvalidValue(f"{entry!r}: a certificate cannot carry a zone (%{address.scope_id}); drop it")
    return str(address)
