"""The settings catalog: the one place where pbxwizard's settings are listed.

The TOML writer, validation, the audit, ``pbxwizard explain``, the screens and the README's
settings table all walk this catalog; nothing else names a setting.

Sources: ``000`` is the PBX's System Security page, ``001`` the vendor's minimum / medium /
maximum scenarios (see ``shared/seeds``). Where neither gives a factory default, the
entry's ``default_note`` says that the value is the wizard's assumption.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, NamedTuple

from pbxwizard.settings import durations, netlists
from pbxwizard.certs import policy
from pbxwizard.settings.kinds import (
    BoolKind, Choice, ChoiceKind, DurationKind, HostKind, IntKind, Kind, ListKind, PathOrOffKind,
)

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITIES = (HIGH, MEDIUM, LOW, INFO)
NIST = "NIST SP 800-63B-4"


class Check(NamedTuple):
    """An audit rule on one setting's value: when ``weak(value)`` holds, report it."""

    severity: str
    weak: Callable[[Any], bool]
    why: str
    safer: Any
    guidance: bool = False  # True where current guidance, not the vendor, is the source


class Setting(NamedTuple):
    section: str
    name: str
    title: str
    kind: Kind
    default: Any
    explain: str
    risk: str = ""
    default_note: str = ""  # empty: the default is the documented factory value
    source: str = ""
    checks: tuple[Check, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    def weakens(self, old: Any, new: Any) -> bool:
        """True when going from ``old`` to ``new`` makes the system less safe."""
        a, b = self.kind.rank(old), self.kind.rank(new)
        return a is not None and b is not None and b < a


class Section(NamedTuple):
    name: str
    title: str
    blurb: str


class Rule(NamedTuple):
    """A constraint across settings; breaking it makes a config invalid."""

    keys: tuple[str, ...]
    holds: Callable[..., bool]
    message: str


SECTIONS = (
    Section("web", "Web and login", "How long administrator sessions, TLS sessions and login tokens live."),
    Section("passwords", "Passwords and PINs", "What a password or PIN must look like and what happens around it."),
    Section("tls", "TLS and DTLS", "Which protocol versions and ciphers encrypted connections may use."),
    Section("access", "Access control", "Who may reach the PBX without logging in, and whose traffic it ignores."),
    Section("pairing", "App pairing", "How long the QR codes that pair the phone apps stay valid."),
    Section("services", "Service security", "How the management services and their certificates are secured."),
    Section("certificates", "Certificates", "How the PBX's own certificates are made: by a local CA or a third-party one, with which keys and names."),
    Section("unsecured", "Unsecured interfaces", "Legacy interfaces that carry configuration or data without encryption."),
)

_LEVELS = (
    Choice("unsecure_only", "Unsecure only"),
    Choice("unsecure_secure", "Unsecure + Secure"),
    Choice("secure_low", "Secure, Low"),
    Choice("secure_medium", "Secure, Medium"),
    Choice("secure_high", "Secure, High"),
)
_CERT_CHECKS = (Choice("none", "None"), Choice("low", "Low"), Choice("medium", "Medium"), Choice("high", "High"))
_TLS = tuple(Choice(v, f"TLS {v}") for v in ("1.0", "1.1", "1.2", "1.3"))
_DTLS = tuple(Choice(v, f"DTLS {v}") for v in ("1.0", "1.2"))
_ASSUMED = "not stated in the source documents; the wizard assumes this value"


def _below(limit: Any, order: tuple[Choice, ...]) -> Callable[[Any], bool]:
    values = [c.value for c in order]
    return lambda v: values.index(v) < values.index(limit)


def _is_credential(entry: str) -> bool:
    return netlists.api_entry_kind(entry) == "credential"


def _wide_network(entry: str) -> bool:
    import ipaddress

    if netlists.api_entry_kind(entry) != "network":
        return False
    net = ipaddress.ip_network(entry)
    return net.prefixlen < (8 if net.version == 4 else 32)


def _unsecured(name: str, title: str, carries: str) -> Setting:
    return Setting(
        "unsecured", name, title, BoolKind(safe=False), True,
        f"{carries} Turn it off unless a device that cannot use the secure service still needs it.",
        risk="Left on, anyone on the network can reach this interface without TLS, and what it carries can be read or changed in transit.",
        default_note="the source document lists no factory values; the wizard assumes the interface is on",
        source="001: medium and maximum scenarios disable all unsecured interfaces",
        checks=(Check(MEDIUM, lambda v: v, f"{title} is an unencrypted interface; the medium and maximum scenarios turn every one off.", False),),
    )


SETTINGS: tuple[Setting, ...] = (
    # --- Web and login -------------------------------------------------------------------
    Setting(
        "web", "session_timeout", "Web session timeout",
        IntKind(60, 86400, "seconds", safer="lower"), 3600,
        "Seconds an idle administrator web session stays logged in. Shorter limits the damage "
        "when someone walks away from a logged-in browser; 15 to 30 minutes suits a shared desk.",
        risk="A long timeout leaves admin sessions open on unattended browsers for anyone to reuse.",
        source="000: Web Session Timeout, default 3600 seconds",
        checks=(Check(MEDIUM, lambda v: v > 3600, "Admin web sessions idle for over an hour stay usable by whoever sits down next.", 1800),),
    ),
    Setting(
        "web", "tls_session_duration", "TLS session duration",
        IntKind(0, 86400, "seconds", safer="lower", zero_means="no session reuse"), 3600,
        "Seconds the PBX keeps a finished TLS handshake so a client can resume it quickly. "
        "Resumption saves CPU on busy systems; a shorter lifetime narrows the window in which a stolen session key is useful.",
        risk="Long-lived TLS sessions widen the window in which captured session keys can be replayed or abused.",
        default_note=_ASSUMED, source="000: TLS session duration (no default given)",
        checks=(Check(LOW, lambda v: v > 86400 // 4, "TLS sessions kept for many hours weaken forward secrecy for resumed connections.", 3600),),
    ),
    Setting(
        "web", "login_token_validity", "Login token validity",
        IntKind(1, 365, "days", safer="lower"), 30,
        "Days a remembered login token stays valid before the user must log in again. "
        "Shorter is safer when devices get lost; longer saves users from re-entering passwords.",
        risk="Long-lived tokens keep working on a lost or stolen device for that long.",
        source="000: Login token validity duration, default 30 days",
        checks=(Check(LOW, lambda v: v > 30, "Tokens valid for more than a month outlive most lost-device reports.", 30),),
    ),
    Setting(
        "web", "login_history", "Administrator login history",
        IntKind(1, 3650, "days", safer="higher"), 14,
        "Days of administrator logins the PBX keeps. Keep enough to look back over an incident "
        "that is noticed late; 90 days is a common audit window.",
        risk="A short history can erase the evidence before anyone looks for it.",
        source="000: Keep track of login, default 14 days",
        checks=(Check(LOW, lambda v: v < 30, "Two weeks of login history is often gone before an intrusion is noticed.", 90),),
    ),
    # --- Passwords and PINs --------------------------------------------------------------
    Setting(
        "passwords", "strength", "Password strength policy",
        ChoiceKind((Choice("accept_all", "Accept all passwords"), Choice("medium", "Medium (score 120+)"),
                    Choice("high", "High (score 200+)"))), "accept_all",
        "The PBX scores each password by its characters (digits 10 points, letters 26, symbols 28) "
        "and refuses those under the threshold: 120 for medium, 200 for high. Pick medium at least; "
        "the score rewards length and variety but knows nothing of common passwords.",
        risk="Accepting all passwords lets users pick 1234 or their extension number.",
        source="000: Password strength, default Accept All, medium 120, high 200",
        checks=(Check(HIGH, lambda v: v == "accept_all", "Any password is accepted, however short or common.", "medium"),),
    ),
    Setting(
        "passwords", "min_complexity", "Minimum password complexity",
        ChoiceKind((Choice("low", "Low"), Choice("medium", "Medium"), Choice("high", "High"))), "low",
        "Composition rule for service user passwords. Low only forbids the user name; medium asks "
        "for two of lowercase, uppercase, digits and other characters and no three identical in a row; "
        "high asks for three of the four.",
        risk="Low complexity allows passwords made of one repeated character.",
        source="001: Minimum Password Complexity (minimum low, medium medium, maximum high)",
        checks=(Check(INFO, lambda v: v != "low",
                      f"The vendor asks for composition rules; {NIST} says not to impose them because they push "
                      "users to predictable patterns. Length and a blocklist protect better.", "low", guidance=True),),
    ),
    Setting(
        "passwords", "min_length", "Minimum password length",
        IntKind(0, 64, "characters", safer="higher"), 0,
        "Fewest characters a service user password may have. Length is what makes a password "
        f"hard to guess: {NIST} asks for 15 when the password is the only factor, 8 with a second factor.",
        risk="Short passwords fall to online and offline guessing.",
        default_note=_ASSUMED, source="001: Minimum Password Length (maximum scenario: greater than 8)",
        checks=(
            Check(HIGH, lambda v: v < 8, "Passwords shorter than 8 characters fall to guessing.", 15),
            Check(MEDIUM, lambda v: 8 <= v < 15, f"{NIST} asks for at least 15 characters when the password is the only factor.", 15, guidance=True),
        ),
    ),
    Setting(
        "passwords", "previous_limit", "Previous password limit",
        IntKind(0, 24, "passwords", safer="higher"), 0,
        "How many earlier passwords a user may not reuse. It stops users flipping back to an old, "
        "possibly leaked password right after a forced change.",
        risk="With no history a user can set the same password again.",
        source="001: Previous Password Limit (minimum 0, medium non-zero, maximum greater than 5)",
    ),
    Setting(
        "passwords", "change_period", "Password change period",
        IntKind(0, 999, "days", zero_means="never"), 0,
        "Days after which a service user must choose a new password; 0 never forces it. The vendor's "
        f"medium and maximum scenarios set it, but {NIST} advises changing a password only when it may have been exposed.",
        source="001: Password Change Period (minimum 0, medium and maximum non-zero)",
        checks=(Check(INFO, lambda v: v > 0,
                      f"Forced periodic changes lead to weaker, predictable passwords; {NIST} asks for a change only on evidence of compromise.",
                      0, guidance=True),),
    ),
    Setting(
        "passwords", "account_idle_time", "Account idle time",
        IntKind(0, 999, "days", safer="lower", zero_means="never"), 0,
        "Days an account may go unused before the PBX disables it; 0 never does. Dormant accounts "
        "are a favourite way in because nobody notices when they are used.",
        risk="Forgotten accounts stay usable indefinitely.",
        source="001: Account Idle Time (minimum 0, medium and maximum non-zero)",
        checks=(Check(LOW, lambda v: v == 0, "Unused accounts are never disabled.", 90),),
    ),
    Setting(
        "passwords", "reject_action", "Password reject action",
        ChoiceKind((Choice("log_to_audit_trail", "Log to Audit Trail"),
                    Choice("log_and_disable_account", "Log and Disable Account"))), "log_to_audit_trail",
        "What the PBX does when a service user enters a wrong password. Logging alone lets an "
        "attacker keep guessing; disabling the account stops guessing but lets anyone lock an admin out.",
        risk="Without disabling, password guessing against service users is only logged.",
        source="001: Password Reject Action (minimum and medium Log to Audit Trail, maximum Log and Disable Account)",
    ),
    Setting(
        "passwords", "allow_empty", "Allow empty passwords",
        BoolKind(safe=False), False,
        "Lets extensions register without any password. Only turn it on for a device that cannot "
        "send one, and keep such a device on an isolated network.",
        risk="An extension without a password can be registered by anyone who can reach the PBX.",
        source="000: Allow empty passwords, off by default",
        checks=(Check(HIGH, lambda v: v, "Extensions without a password can be taken over by anyone on the network.", False),),
    ),
    Setting(
        "passwords", "tenant_pin_size", "Default tenant PIN size",
        IntKind(4, 20, "digits", safer="higher"), 4,
        "PIN length used for voicemail and features when a tenant sets none of its own. Each extra "
        "digit makes guessing ten times harder.",
        risk="Short PINs are guessed quickly over the phone, which leads to toll fraud.",
        default_note=_ASSUMED, source="000: Default tenant PIN size",
        checks=(Check(LOW, lambda v: v < 6, "Four-digit PINs are guessable and a common path to toll fraud.", 6),),
    ),
    Setting(
        "passwords", "welcome_email_credentials", "Password and PIN in the welcome email",
        BoolKind(safe=False), False,
        "Sends each new user their generated password and PIN by email. Convenient, but the "
        "secrets then sit in mailboxes and mail logs you do not control.",
        risk="Credentials in email can be read from mailboxes, backups and mail relays.",
        default_note=_ASSUMED, source="000: Include extension password and PIN in user welcome email",
        checks=(Check(MEDIUM, lambda v: v, "Passwords and PINs sent by email end up stored in clear outside the PBX.", False),),
    ),
    # --- TLS and DTLS --------------------------------------------------------------------
    Setting(
        "tls", "min_version", "TLS minimum version",
        ChoiceKind(_TLS), "1.0",
        "Oldest TLS version the PBX accepts for HTTPS, SIPS and every other TLS connection except "
        "DTLS. Use 1.2; go lower only for equipment that cannot be upgraded, and know the apps may misbehave.",
        risk="TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996).",
        default_note=_ASSUMED, source="000: TLS Minimum Version, 1.2 recommended",
        checks=(Check(HIGH, _below("1.2", _TLS), "TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken by known attacks.", "1.2", guidance=True),),
    ),
    Setting(
        "tls", "max_version", "TLS maximum version",
        ChoiceKind(_TLS, ordered=False), "1.3",
        "Newest TLS version the PBX offers. Leave it at the highest; lower it only to work around "
        "a device that fails with the newer version.",
        source="000: TLS Maximum Version",
        checks=(Check(LOW, lambda v: v != "1.3", "Capping TLS below 1.3 gives up its faster, safer handshake.", "1.3"),),
    ),
    Setting(
        "tls", "dtls_min_version", "DTLS minimum version",
        ChoiceKind(_DTLS), "1.0",
        "Oldest DTLS version accepted when negotiating keys for encrypted media (DTLS-SRTP). "
        "DTLS 1.0 is based on TLS 1.1; choose 1.2 unless old phones need 1.0.",
        risk="DTLS 1.0 inherits the weaknesses of TLS 1.1.",
        default_note=_ASSUMED, source="000: DTLS Minimum Version",
        checks=(Check(MEDIUM, lambda v: v == "1.0", "DTLS 1.0 is built on TLS 1.1, deprecated by RFC 8996.", "1.2", guidance=True),),
    ),
    Setting(
        "tls", "dtls_max_version", "DTLS maximum version",
        ChoiceKind(_DTLS, ordered=False), "1.2",
        "Newest DTLS version offered for media key negotiation. Keep the highest unless a device fails with it.",
        source="000: DTLS Maximum Version",
    ),
    Setting(
        "tls", "rc4", "TLS RC4",
        BoolKind(safe=False), False,
        "Allows the RC4 cipher, which only very old phones still need. Keep it off; replace or "
        "isolate phones that cannot do without it.",
        risk="RC4 is broken: RFC 7465 forbids it in TLS.",
        source="000: TLS RC4, recommended disabled",
        checks=(Check(HIGH, lambda v: v, "RC4 is broken and forbidden in TLS by RFC 7465.", False, guidance=True),),
    ),
    Setting(
        "tls", "key_log_file", "TLS key log file",
        PathOrOffKind(), "off",
        "File where the PBX writes TLS session secrets so Wireshark can decrypt a capture. Set it "
        "only while debugging and turn it off again straight after.",
        risk="Anyone who can read this file can decrypt every captured TLS session.",
        source="000: TLS key log file",
        checks=(Check(HIGH, lambda v: v != "off", "Session secrets written to disk let anyone with the file decrypt captured traffic.", "off"),),
    ),
    # --- Access control ------------------------------------------------------------------
    Setting(
        "access", "api_access_list", "API access list (deprecated)",
        ListKind(netlists.check_api_entry, "IP addresses, CIDR networks, localhost or username:password strings",
                 safer_when_empty=True, mask=netlists.mask_api_entry), (),
        "Sources allowed to use the deprecated XML API without an administrator session: IP "
        "addresses, networks such as 192.168.0.0/16, localhost, or a Basic-auth string. Leave it "
        "empty unless an old integration needs it, and then list single addresses.",
        risk="Every entry can use the API with no login; a credential entry is stored and sent in clear.",
        source="000: API access list (formerly SOAP Trusted IP)",
        checks=(
            Check(HIGH, lambda v: any(_is_credential(e) for e in v), "A Basic-auth string in the list is a shared password stored in clear in the config.", ()),
            Check(HIGH, lambda v: any(_wide_network(e) for e in v), "A network wider than /8 (IPv6: /32) opens the API to a large part of the internet.", ()),
            Check(LOW, lambda v: bool(v), "The XML API is deprecated; entries here bypass the administrator login.", ()),
        ),
    ),
    Setting(
        "access", "csta_access_list", "CSTA access list",
        ListKind(netlists.check_csta_entry, "user@domain:address entries", safer_when_empty=True), (),
        "CSTA clients that cannot open an application session, authenticated by the address they "
        "connect from instead. Each entry is user@domain:address with an existing account and the "
        "IPv4 or IPv6 address the PBX sees.",
        risk="Each entry trusts a source address alone, which anyone on that path can spoof or share.",
        source="000: CSTA access list",
        checks=(Check(LOW, lambda v: bool(v), "CSTA clients listed here are trusted by address alone, without a password.", ()),),
    ),
    Setting(
        "access", "ignore_user_agents", "User-Agents to ignore",
        ListKind(netlists.check_user_agent, "User-Agent names", quoted=True, safer_when_empty=False), (),
        "SIP User-Agent names of known scanners; the PBX drops their packets without answering, so "
        'they tend to move on. Quote a name that holds spaces, such as "SIP Call".',
        default_note=_ASSUMED, source="000: Ignore packets from those User-Agents",
    ),
    Setting(
        "access", "ignore_unknown_domains", "Ignore packets for unknown domains",
        BoolKind(safe=True), False,
        "Drops requests that name no domain configured on this PBX, so a scanner must guess the "
        "domain as well as the address. Trunks and white-listed addresses are still served.",
        risk="Scanners that only know the IP address still get answers.",
        default_note=_ASSUMED, source="000: Ignore packets that do not match a domain on the system",
        checks=(Check(LOW, lambda v: not v, "Requests without a local domain still get answers, which helps scanners.", True),),
    ),
    # --- App pairing ---------------------------------------------------------------------
    Setting(
        "pairing", "barcode_duration", "App pairing barcode duration",
        DurationKind(300, 30 * 86400, off_means="no expiry: the code is bound to the user's password hash"), "7d",
        "How long a pairing QR code for the phone apps stays valid. Short is safer, long is more "
        "convenient. With off the code never expires: it is signed with a key derived from the user's "
        "password hash, so a photo or printout of it pairs a phone until that password changes, and "
        "the price is that changing the password breaks the pairing of every phone that used the code.",
        risk="Codes that never expire can be reused by anyone who photographs or finds a printout; "
             "only a password change or `pbxwizard revoke` stops them.",
        default_note=_ASSUMED, source="000: Duration for app pairing barcodes",
        checks=(
            Check(MEDIUM, lambda v: v == "off", "Pairing codes without expiry work until the user's password changes, on every printout and screenshot.", "1d"),
            Check(LOW, lambda v: v != "off" and durations.parse_duration(v) > 7 * 86400,
                  "Pairing codes valid for over a week stay usable on printouts and screenshots.", "1d"),
        ),
    ),
    Setting(
        "pairing", "domain", "PBX domain for pairing",
        HostKind(), "",
        "The SIP domain the phone apps register in, written into every pairing code so nobody "
        "types it on a phone. On a multi-tenant system use the tenant's domain; "
        "`pbxwizard pair --domain` overrides it for one run.",
        default_note="site-specific, not in the source documents; empty until the installer sets it",
        source="000: pairing barcodes (the code names the system the app pairs with)",
    ),
    Setting(
        "pairing", "server", "PBX address for pairing",
        HostKind(address=True), "",
        "Where the apps reach the PBX: an IP address or DNS name, with a port if it is not the "
        "default. Give the address the phones can reach from where they are used; a LAN address "
        "fails for phones on the road. `pbxwizard pair --server` overrides it for one run.",
        default_note="site-specific, not in the source documents; empty until the installer sets it",
        source="000: pairing barcodes (the code names the system the app pairs with)",
    ),
    # --- Service security ----------------------------------------------------------------
    Setting(
        "services", "security_admin_level", "Security Administration service level",
        ChoiceKind(_LEVELS), "unsecure_secure",
        "How the service that changes security settings may be reached. Secure levels require "
        "TLS; medium and high add stronger ciphers and message authentication.",
        risk="Unsecure levels let security settings be changed over an unencrypted link.",
        default_note=_ASSUMED, source="001: Security Administration (Secure Low / Medium / High by scenario)",
        checks=(Check(HIGH, _below("secure_low", _LEVELS), "Security settings can be administered over an unencrypted connection.", "secure_high"),),
    ),
    Setting(
        "services", "configuration_level", "Configuration service level",
        ChoiceKind(_LEVELS), "unsecure_secure",
        "How the configuration service used by the management tool may be reached. Use a secure "
        "level so the configuration and passwords travel encrypted.",
        risk="Unsecure levels send the whole configuration, passwords included, in clear.",
        default_note=_ASSUMED, source="001: Configuration service level (medium Secure Medium, maximum Secure High)",
        checks=(Check(HIGH, _below("secure_low", _LEVELS), "The configuration, passwords included, may travel unencrypted.", "secure_medium"),),
    ),
    Setting(
        "services", "client_certificate_checks", "Client certificate checks",
        ChoiceKind(_CERT_CHECKS), "none",
        "How strictly the PBX checks the certificate a management client presents. High accepts "
        "only clients whose certificate is in the PBX's store, which locks the system to known installations.",
        risk="Without checks any client with the right password can manage the system.",
        source="001: Client Certificate Checks (None, except High in the maximum scenario)",
        checks=(Check(LOW, lambda v: v == "none", "Any management client is accepted; only the password protects the service.", "high"),),
    ),
    Setting(
        "services", "manager_certificate_check_level", "Manager certificate check level",
        ChoiceKind(_CERT_CHECKS), "low",
        "How strictly the management tool checks the certificate the PBX presents. High refuses "
        "systems whose certificate it cannot verify, so a man in the middle is caught.",
        risk="Low checks let the management tool talk to an impostor presenting any certificate.",
        source="001: Certificate Check Level in the Manager preferences (Low, High in the maximum scenario)",
        checks=(Check(MEDIUM, _below("medium", _CERT_CHECKS), "The management tool accepts certificates it cannot verify.", "high"),),
    ),
    Setting(
        "services", "min_key_size", "Minimum certificate key size",
        IntKind(1024, 16384, "bits", safer="higher"), 1024,
        "Smallest RSA key accepted in the PBX's certificates. The vendor's text allows 1024 bits; "
        "today 2048 is the floor and 3072 is better for certificates meant to last. Elliptic-curve "
        "keys count by equal strength: P-256 as 3072 bits, P-384 as 7680.",
        risk="RSA keys under 2048 bits are within reach of well-funded attackers.",
        source="001: 1024-bit+ third-party certificates (maximum scenario)",
        checks=(Check(HIGH, lambda v: v < 2048, "RSA keys under 2048 bits are no longer considered safe (NIST SP 800-131A).", 2048, guidance=True),),
    ),
    Setting(
        "services", "require_new_passwords", "Change default passwords",
        BoolKind(safe=True), True,
        "Every scenario starts by replacing the factory passwords of all service users and the "
        "security administrator. The wizard asks for the new ones and stores only their hashes.",
        risk="Factory passwords are published in the vendor's manuals.",
        source="001: all scenarios, change the default passwords",
        checks=(Check(HIGH, lambda v: not v, "Factory passwords are public; every scenario requires changing them.", True),),
    ),
    # --- Certificates ---------------------------------------------------------------------
    Setting(
        "certificates", "mode", "Certificate source",
        ChoiceKind((Choice("local_ca", "Local CA (root + intermediate)"),
                    Choice("csr", "Request to a third-party CA")), ordered=False), "local_ca",
        "Local CA makes a private root and intermediate CA here and issues the PBX's certificate "
        "at once; every client must then be given the root to trust. A request (CSR) goes to a CA "
        "your organisation already trusts, and the signed certificate is imported back.",
        default_note=_ASSUMED, source="001: maximum scenario, third-party certificates derived from a trusted CA",
    ),
    Setting(
        "certificates", "key_type", "Certificate key type",
        ChoiceKind(tuple(Choice(k.value, k.label) for k in policy.KEY_TYPES)), "ecdsa_p256",
        "Algorithm and size of every key in the store. ECDSA P-256 is as strong as RSA 3072 and "
        "much faster; choose RSA where phones or tools predate ECDSA. Nothing under RSA 2048 is offered.",
        risk="RSA 2048 is the floor today and will not be enough for keys meant to last past 2030.",
        default_note=_ASSUMED, source="001: 1024-bit+ certificates (maximum scenario); raised to current practice",
        checks=(Check(LOW, lambda v: v == "rsa_2048",
                      "RSA 2048 gives 112-bit security, accepted only until 2030 (NIST SP 800-57); "
                      "RSA 3072 or P-256 lasts longer.", "ecdsa_p256", guidance=True),),
    ),
    Setting(
        "certificates", "dns_names", "Certificate DNS names",
        ListKind(netlists.check_dns_name, "DNS host names"), (),
        "Every host name phones, browsers and the management tool use to reach the PBX. Each one "
        "goes into the certificate; a client that connects by a name not listed refuses the connection.",
        default_note="site-specific; the wizard cannot guess it", source="issue 4: subject alternative names",
    ),
    Setting(
        "certificates", "ip_addresses", "Certificate IP addresses",
        ListKind(netlists.check_ip_address, "IPv4 or IPv6 addresses"), (),
        "Addresses clients use to reach the PBX directly, without a name. List them only if "
        "devices are configured with the bare address, since each one is written into the certificate.",
        default_note="site-specific; the wizard cannot guess it", source="issue 4: subject alternative names",
    ),
    Setting(
        "certificates", "validity_days", "Server certificate validity",
        IntKind(1, policy.MAX_SERVER_DAYS, "days", safer="lower"), 365,
        "Days the PBX's certificate stays valid when the local CA issues it. Shorter limits how "
        "long a copied key stays useful but means renewing more often; 398 days is the most any "
        "client accepts.",
        risk="A long-lived certificate keeps a leaked key usable until it expires.",
        default_note=_ASSUMED, source="CA/Browser Forum baseline requirements: at most 398 days",
        checks=(Check(INFO, lambda v: v > 200,
                      "Public CAs issue server certificates for at most 200 days from March 2026 and 47 days by "
                      "2029 (CA/Browser Forum ballot SC-081); plan renewals to match.", 200, guidance=True),),
    ),
    Setting(
        "certificates", "encrypt_keys", "Encrypt private keys",
        BoolKind(safe=True), False,
        "Protects every private key file with a passphrase the installer types when the store is "
        "made. The passphrase is never stored, so keep it somewhere safe: without it the keys cannot be used.",
        risk="An unencrypted key file gives whoever copies it the PBX's identity.",
        default_note=_ASSUMED, source="issue 4: keys encrypted with the maximum preset",
        checks=(Check(LOW, lambda v: not v, "Private keys sit unencrypted on disk; a copied folder is a stolen identity.", True),),
    ),
    # --- Unsecured interfaces ------------------------------------------------------------
    _unsecured("tftp_server", "TFTP server", "Serves files to phones and tools over plain TFTP, which has no authentication."),
    _unsecured("tftp_directory_read", "TFTP directory read", "Lets devices read the system directory over TFTP without a password."),
    _unsecured("tftp_voicemail", "TFTP voicemail", "Lets a voicemail server exchange data with the PBX over TFTP."),
    _unsecured("program_code", "Program code", "Accepts firmware uploads over the legacy unencrypted channel."),
    _unsecured("devlink", "DevLink", "Streams call records and events to third-party applications over an unencrypted link."),
    _unsecured("tapi", "TAPI", "Lets TAPI and CTI applications control calls over an unencrypted link."),
    _unsecured("http_directory_read", "HTTP directory read", "Lets devices read the system directory over plain HTTP."),
    _unsecured("http_directory_write", "HTTP directory write", "Lets devices change the system directory over plain HTTP."),
)

RULES = (
    Rule(("tls.min_version", "tls.max_version"), lambda lo, hi: float(lo) <= float(hi),
         "the TLS minimum version is above the maximum version"),
    Rule(("tls.dtls_min_version", "tls.dtls_max_version"), lambda lo, hi: float(lo) <= float(hi),
         "the DTLS minimum version is above the maximum version"),
    Rule(("certificates.key_type", "services.min_key_size"), policy.key_type_fits,
         "the certificate key type is weaker than the minimum key size allows"),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def get(key: str) -> Setting:
    return BY_KEY[key]


def in_section(section: str) -> Iterator[Setting]:
    return (s for s in SETTINGS if s.section == section)


def defaults() -> dict[str, Any]:
    return {s.key: s.default for s in SETTINGS}


def suggest(key: str, n: int = 3) -> list[str]:
    """Keys close to a misspelt one, also matching on the bare name after the dot."""
    import difflib

    names = {s.name: s.key for s in SETTINGS}
    out = difflib.get_close_matches(key, list(BY_KEY), n=n, cutoff=0.5)
    for name in difflib.get_close_matches(key.rpartition(".")[2], list(names), n=n, cutoff=0.6):
        if names[name] not in out:
            out.append(names[name])
    return out[:n]
