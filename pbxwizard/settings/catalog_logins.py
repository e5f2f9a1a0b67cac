"""The catalog's entries for logging in: sections web, passwords, access and pairing.

Who may log in or connect, and with what: sessions and tokens, passwords and PINs, the
lists that let a client in without a login, and the codes that pair the phone apps.
"""

from __future__ import annotations

from pbxwizard.passwords.accounts import MAX_LENGTH as MAX_ACCOUNT_LENGTH
from pbxwizard.settings import durations, netlists
from pbxwizard.settings.kinds import BoolKind, Choice, ChoiceKind, DurationKind, HostKind, IntKind, ListKind
from pbxwizard.settings.schema import ASSUMED, HIGH, INFO, LOW, MEDIUM, NOT_DOCUMENTED, Check, Setting

NIST = "NIST SP 800-63B-4"
VENDOR_MANUAL = (f"{NOT_DOCUMENTED}; the vendor's Manager help gives it, and the wizard takes "
                 "that value as its assumption")


def _is_credential(entry: str) -> bool:
    return netlists.api_entry_kind(entry) == "credential"


def _wide_network(entry: str) -> bool:
    net = netlists.api_network(entry)
    return net is not None and net.prefixlen < (8 if net.version == 4 else 32)


WEB: tuple[Setting, ...] = (
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
        default_note=ASSUMED, source="000: TLS session duration (no default given)",
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
)

PASSWORDS: tuple[Setting, ...] = (
    Setting(
        "passwords", "strength", "Password strength policy",
        ChoiceKind((Choice("accept_all", "Accept all passwords"), Choice("medium", "Medium (score 120+)"),
                    Choice("high", "High (score 200+)"))), "accept_all",
        "The PBX scores each password by its characters (digits 10 points, letters 26, symbols 28) "
        "and refuses those under the threshold: 120 for medium, 200 for high. The page does not say "
        "how the points combine; adding them up character by character is pbxwizard's own reading. "
        "Pick medium at least, knowing the score rewards length and variety but knows nothing of common passwords.",
        risk="Accepting all passwords lets users pick 1234 or their extension number.",
        source="000: Password strength, default Accept All, medium 120, high 200",
        checks=(Check(HIGH, lambda v: v == "accept_all", "Any password is accepted, however short or common.", "medium"),),
    ),
    Setting(
        "passwords", "min_complexity", "Minimum password complexity",
        ChoiceKind((Choice("low", "Low"), Choice("medium", "Medium"), Choice("high", "High"))), "low",
        "Composition rule for service user passwords: low only forbids the user name, medium asks "
        "for two of lowercase, uppercase, digits and other characters and no three identical in a row, "
        f"high for three of the four. It is the vendor's rule; {NIST} advises against composition "
        "rules, and high refuses a long passphrase of lowercase words with spaces. Set low to lift "
        "it and rely on length and the common-password list.",
        risk="Low complexity allows passwords made of one repeated character.",
        source="001: Minimum Password Complexity (minimum low, medium medium, maximum high)",
        checks=(Check(INFO, lambda v: v != "low",
                      f"The vendor asks for composition rules; {NIST} says not to impose them because they push "
                      "users to predictable patterns. Length and a blocklist protect better.", "low", guidance=True),),
    ),
    Setting(
        "passwords", "min_length", "Minimum password length",
        IntKind(0, MAX_ACCOUNT_LENGTH, "characters", safer="higher"), 0,
        "Fewest characters a service user password may have. Length is what makes a password "
        f"hard to guess: {NIST} asks for 15 when the password is the only factor, 8 with a second factor. "
        f"It stops at {MAX_ACCOUNT_LENGTH}, the longest password every one of the vendor's accounts accepts; "
        "each account also keeps its own range and characters (pbxwizard password-check --user ACCOUNT).",
        risk="Short passwords fall to online and offline guessing.",
        default_note=ASSUMED, source="001: Minimum Password Length (maximum scenario: greater than 8)",
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
        "passwords", "reject_limit", "Password reject limit",
        IntKind(0, 255, "failures", safer="lower", zero_means="no limit: the action never runs"), 3,
        "How many wrong passwords in a row a service user may enter before the reject action "
        f"below is taken. A few allow for typing mistakes; {NIST} asks that an account allow "
        "no more than 100 failures in a row before something slows the guessing down.",
        risk="A high limit gives a guesser many tries before anything happens.",
        default_note=VENDOR_MANUAL, source="the vendor's Manager help: Password Reject Limit", system="vendor",
        checks=(Check(MEDIUM, lambda v: v == 0 or v > 100,
                      f"Failed logins are never acted on within {NIST}'s limit of 100 in a row.", 3, guidance=True),),
    ),
    Setting(
        "passwords", "reject_action", "Password reject action",
        # weakest first: a permanent lockout stops guessing but hands out a denial of service
        ChoiceKind((Choice("none", "None"), Choice("log_to_audit_trail", "Log to Audit Trail"),
                    Choice("log_and_disable_account", "Log and Disable Account"),
                    Choice("log_and_temporary_disable", "Log and Temporary Disable"))), "log_to_audit_trail",
        "What the PBX does when a service user reaches the reject limit. Logging alone lets guessing "
        "go on, and disabling the account for good lets anyone who knows a service user's name lock "
        "that account until someone unlocks it by hand. A temporary disable slows guessing to a crawl "
        f"and heals by itself, the rate limiting {NIST} asks for instead of a permanent lockout.",
        risk="Without a disable, password guessing against service users is only logged.",
        source="001: Password Reject Action (minimum and medium Log to Audit Trail, maximum Log and Disable "
               "Account); None and Log and Temporary Disable from the vendor's Manager help",
        checks=(
            Check(MEDIUM, lambda v: v == "none", "Failed logins are neither logged nor slowed down.", "log_and_temporary_disable"),
            Check(MEDIUM, lambda v: v == "log_and_disable_account",
                  "A permanent lockout lets anyone who knows an account name shut it out until it is unlocked by "
                  f"hand; {NIST} asks for rate limiting instead.", "log_and_temporary_disable", guidance=True),
        ),
    ),
    Setting(
        "passwords", "temporary_disable_time", "Temporary disable time",
        IntKind(10, 86400, "seconds"), 60,
        "How long a service user stays disabled after reaching the reject limit, when the reject "
        "action is Log and Temporary Disable. A few minutes makes guessing hopelessly slow while the "
        "real owner only waits; longer lets an attacker keep an account out of use with a few tries.",
        default_note=VENDOR_MANUAL, source="the vendor's Manager help: Log and Temporary Disable",
        system="vendor",
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
        default_note=ASSUMED, source="000: Default tenant PIN size",
        checks=(Check(LOW, lambda v: v < 6, "Four-digit PINs are guessable and a common path to toll fraud.", 6),),
    ),
    Setting(
        "passwords", "welcome_email_credentials", "Password and PIN in the welcome email",
        BoolKind(safe=False), False,
        "Sends each new user their generated password and PIN by email. Convenient, but the "
        "secrets then sit in mailboxes and mail logs you do not control.",
        risk="Credentials in email can be read from mailboxes, backups and mail relays.",
        default_note=ASSUMED, source="000: Include extension password and PIN in user welcome email",
        checks=(Check(MEDIUM, lambda v: v, "Passwords and PINs sent by email end up stored in clear outside the PBX.", False),),
    ),
)

ACCESS: tuple[Setting, ...] = (
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
        default_note=ASSUMED, source="000: Ignore packets from those User-Agents",
    ),
    Setting(
        "access", "ignore_unknown_domains", "Ignore packets for unknown domains",
        BoolKind(safe=True), False,
        "Drops requests that name no domain configured on this PBX, so a scanner must guess the "
        "domain as well as the address. Trunks and white-listed addresses are still served, and "
        "nothing is dropped while the system uses the name localhost.",
        risk="Scanners that only know the IP address still get answers.",
        default_note=ASSUMED, source="000: Ignore packets that do not match a domain on the system",
        checks=(Check(LOW, lambda v: not v, "Requests without a local domain still get answers, which helps scanners.", True),),
    ),
)

PAIRING: tuple[Setting, ...] = (
    Setting(
        "pairing", "barcode_duration", "App pairing barcode duration",
        DurationKind(300, 30 * 86400, off_means="no expiry: the code is bound to the user's password hash"), "7d",
        "How long a pairing QR code for the phone apps stays valid. Short is safer, long is more "
        "convenient. With off the code never expires: it is signed with a key derived from the user's "
        "password hash, so a photo or printout of it pairs a phone until that password changes, and "
        "the price is that changing the password breaks the pairing of every phone that used the code.",
        risk="Codes that never expire can be reused by anyone who photographs or finds a printout; "
             "only a password change or `pbxwizard revoke` stops them.",
        default_note=ASSUMED, source="000: Duration for app pairing barcodes",
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
        default_note="site-specific; empty until the installer sets it",
        source="000: pairing barcodes (the code names the system the app pairs with)",
    ),
    Setting(
        "pairing", "server", "PBX address for pairing",
        HostKind(address=True), "",
        "Where the apps reach the PBX: an IP address or DNS name, with a port if it is not the "
        "default. Give the address the phones can reach from where they are used; a LAN address "
        "fails for phones on the road. `pbxwizard pair --server` overrides it for one run.",
        default_note="site-specific; empty until the installer sets it",
        source="000: pairing barcodes (the code names the system the app pairs with)",
    ),
)
