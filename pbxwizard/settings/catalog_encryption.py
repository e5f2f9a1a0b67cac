"""The catalog's entries for encryption: sections tls, services, certificates and unsecured.

Which protocols and ciphers protect a connection, how the management services and the
PBX's own certificates are secured, and the legacy interfaces that carry data in clear.
"""

from __future__ import annotations

from pbxwizard.certs import policy
from pbxwizard.certs.layout import MANAGER
from pbxwizard.settings import netlists
from pbxwizard.settings.kinds import BoolKind, Choice, ChoiceKind, IntKind, ListKind, PathOrOffKind
from pbxwizard.settings.schema import ASSUMED, HIGH, INFO, LOW, MEDIUM, OWN_SETTING, Check, Setting, below

_LEVELS = (
    Choice("unsecure_only", "Unsecure only"),
    Choice("unsecure_secure", "Unsecure + Secure"),
    Choice("secure_low", "Secure, Low"),
    Choice("secure_medium", "Secure, Medium"),
    Choice("secure_high", "Secure, High"),
)
_CERT_CHECKS = (Choice("none", "None"), Choice("low", "Low"), Choice("medium", "Medium"), Choice("high", "High"))
_TLS_VERSIONS = tuple(Choice(v, f"TLS {v}") for v in ("1.0", "1.1", "1.2", "1.3"))
_DTLS_VERSIONS = tuple(Choice(v, f"DTLS {v}") for v in ("1.0", "1.2"))


def _unsecured(name: str, title: str, carries: str) -> Setting:
    return Setting(
        "unsecured", name, title, BoolKind(safe=False), True,
        f"{carries} Turn it off unless a device that cannot use the secure service still needs it.",
        risk="Left on, anyone on the network can reach this interface without TLS, and what it carries can be read or changed in transit.",
        default_note="the vendor's security scenarios list no factory values; the wizard assumes the interface is on",
        source="001: medium and maximum scenarios disable all unsecured interfaces",
        checks=(Check(MEDIUM, lambda v: v, f"{title} is an unencrypted interface; the medium and maximum scenarios turn every one off.", False),),
    )


TLS: tuple[Setting, ...] = (
    Setting(
        "tls", "min_version", "TLS minimum version",
        ChoiceKind(_TLS_VERSIONS), "1.0",
        "Oldest TLS version the PBX accepts for HTTPS, SIPS and every other TLS connection except "
        "DTLS. Use 1.2; 1.3 alone (Mozilla's \"modern\" profile) when every phone and app speaks it; "
        "go lower only for equipment that cannot be upgraded, and know the apps may misbehave.",
        risk="TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996).",
        default_note=ASSUMED, source="000: TLS Minimum Version, 1.2 recommended",
        checks=(Check(HIGH, below("1.2", _TLS_VERSIONS), "TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken by known attacks.", "1.2", guidance=True),),
    ),
    Setting(
        "tls", "max_version", "TLS maximum version",
        ChoiceKind(_TLS_VERSIONS, ordered=False), "1.3",
        "Newest TLS version the PBX offers. Leave it at the highest; lower it only to work around "
        "a device that fails with the newer version.",
        source="000: TLS Maximum Version",
        checks=(Check(LOW, lambda v: v != "1.3", "Capping TLS below 1.3 gives up its faster, safer handshake.", "1.3"),),
    ),
    Setting(
        "tls", "dtls_min_version", "DTLS minimum version",
        ChoiceKind(_DTLS_VERSIONS), "1.0",
        "Oldest DTLS version accepted when negotiating keys for encrypted media (DTLS-SRTP). "
        "DTLS 1.0 is based on TLS 1.1; choose 1.2 unless old phones need 1.0.",
        risk="DTLS 1.0 inherits the weaknesses of TLS 1.1.",
        default_note=ASSUMED, source="000: DTLS Minimum Version",
        checks=(Check(MEDIUM, lambda v: v == "1.0", "DTLS 1.0 is built on TLS 1.1, deprecated by RFC 8996.", "1.2", guidance=True),),
    ),
    Setting(
        "tls", "dtls_max_version", "DTLS maximum version",
        ChoiceKind(_DTLS_VERSIONS, ordered=False), "1.2",
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
)

SERVICES: tuple[Setting, ...] = (
    Setting(
        "services", "security_admin_level", "Security Administration service level",
        ChoiceKind(_LEVELS), "unsecure_secure",
        "How the service that changes security settings may be reached. Secure levels require "
        "TLS; medium and high add stronger ciphers and message authentication.",
        risk="Unsecure levels let security settings be changed over an unencrypted link.",
        default_note=ASSUMED, source="001: Security Administration (Secure Low / Medium / High by scenario)",
        checks=(Check(HIGH, below("secure_low", _LEVELS), "Security settings can be administered over an unencrypted connection.", "secure_high"),),
    ),
    Setting(
        "services", "configuration_level", "Configuration service level",
        ChoiceKind(_LEVELS), "unsecure_secure",
        "How the configuration service used by the management tool may be reached. Use a secure "
        "level so the configuration and passwords travel encrypted.",
        risk="Unsecure levels send the whole configuration, passwords included, in clear.",
        default_note=ASSUMED, source="001: Configuration service level (medium Secure Medium, maximum Secure High)",
        checks=(Check(HIGH, below("secure_low", _LEVELS), "The configuration, passwords included, may travel unencrypted.", "secure_medium"),),
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
        checks=(Check(MEDIUM, below("medium", _CERT_CHECKS), "The management tool accepts certificates it cannot verify.", "high"),),
    ),
    Setting(
        "services", "min_key_size", "Minimum certificate key size",
        IntKind(1024, 16384, "bits", safer="higher"), 1024,
        "Smallest RSA key accepted in the PBX's certificates. The vendor's text allows 1024 bits; "
        "today 2048 is the floor and 3072 is better for certificates meant to last. Elliptic-curve "
        "keys count by equal strength: P-256 as 3072 bits, P-384 as 7680.",
        risk="RSA keys under 2048 bits are within reach of well-funded attackers.",
        source="001: 1024-bit+ third-party certificates (maximum scenario)", system="both",
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
)

CERTIFICATES: tuple[Setting, ...] = (
    Setting(
        "certificates", "mode", "Certificate source",
        ChoiceKind((Choice("local_ca", "Local CA (root + intermediate)"),
                    Choice("csr", "Request to a third-party CA")), ordered=False), "local_ca",
        "Local CA makes a private root and intermediate CA here and issues the PBX's certificate "
        "at once; every client must then be given the root to trust. A request (CSR) goes to a CA "
        "your organisation already trusts, and the signed certificate is imported back.",
        default_note=ASSUMED, source="001: maximum scenario, third-party certificates derived from a trusted CA",
        system="both",
    ),
    Setting(
        "certificates", "key_type", "Certificate key type",
        ChoiceKind(tuple(Choice(k.value, k.label) for k in policy.KEY_TYPES)), "ecdsa_p256",
        "Algorithm and size of every key in the store. ECDSA P-256 is as strong as RSA 3072 and "
        "much faster; choose RSA where phones or tools predate ECDSA. Nothing under RSA 2048 is offered.",
        risk="RSA 2048 is the floor today and will not be enough for keys meant to last past 2030.",
        default_note=ASSUMED, source="001: 1024-bit+ certificates (maximum scenario); raised to current practice",
        system="both",
        checks=(Check(LOW, lambda v: v == "rsa_2048",
                      "RSA 2048 gives 112-bit security, accepted only until 2030 (NIST SP 800-57); "
                      "RSA 3072 or P-256 lasts longer.", "ecdsa_p256", guidance=True),),
    ),
    Setting(
        "certificates", "dns_names", "Certificate DNS names",
        ListKind(netlists.check_dns_name, "DNS host names"), (),
        "Every host name phones, browsers and the management tool use to reach the PBX. Each one "
        "goes into the certificate; a client that connects by a name not listed refuses the connection.",
        default_note="site-specific; the wizard cannot guess it", source=f"{OWN_SETTING}: the names written into the certificate (subject alternative names, RFC 5280)",
    ),
    Setting(
        "certificates", "ip_addresses", "Certificate IP addresses",
        ListKind(netlists.check_ip_address, "IPv4 or IPv6 addresses"), (),
        "Addresses clients use to reach the PBX directly, without a name. List them only if "
        "devices are configured with the bare address, since each one is written into the certificate.",
        default_note="site-specific; the wizard cannot guess it", source=f"{OWN_SETTING}: the names written into the certificate (subject alternative names, RFC 5280)",
    ),
    Setting(
        "certificates", "manager_identities", "Manager identities",
        ListKind(policy.check_identity_name, "names of management PCs or installers (a-z, 0-9, - and _)",
                 max_entries=policy.STORE_LIMIT - 1),
        (MANAGER,),
        "The management installations that get a client certificate of their own, one name each "
        "(such as the office PC and the installer's laptop). With a service at Secure, High or client "
        "certificate checks on, only these can administer the PBX; give each one its own certificate so "
        "a lost laptop is revoked alone. pbxwizard certs export --p12 NAME bundles one for the PC to import.",
        risk="A single certificate shared by every management PC cannot be withdrawn from one of them alone.",
        default_note=ASSUMED,
        source="001: maximum scenario, certificates in the stores of all permissible Manager entities",
        system="vendor",
    ),
    Setting(
        "certificates", "validity_days", "Server certificate validity",
        IntKind(1, policy.MAX_SERVER_DAYS, "days", safer="lower"), 365,
        "Days the PBX's certificate stays valid when the local CA issues it. Shorter limits how "
        "long a copied key stays useful but means renewing more often. 398 days is the cap on "
        "certificates from public CAs; a private CA is not bound by it, but the wizard keeps to it "
        "so that clients which apply the rule to every certificate still accept this one.",
        risk="A long-lived certificate keeps a leaked key usable until it expires.",
        default_note=ASSUMED, source="CA/Browser Forum baseline requirements: public CAs issue at most 398 days",
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
        default_note=ASSUMED, source=f"{OWN_SETTING}: the maximum preset encrypts the keys",
        checks=(Check(LOW, lambda v: not v, "Private keys sit unencrypted on disk; a copied folder is a stolen identity.", True),),
    ),
)

UNSECURED: tuple[Setting, ...] = (
    _unsecured("tftp_server", "TFTP server", "Serves files to phones and tools over plain TFTP, which has no authentication."),
    _unsecured("tftp_directory_read", "TFTP directory read", "Lets devices read the system directory over TFTP without a password."),
    _unsecured("tftp_voicemail", "TFTP voicemail", "Lets a voicemail server exchange data with the PBX over TFTP."),
    _unsecured("program_code", "Program code", "Accepts firmware uploads over the legacy unencrypted channel."),
    _unsecured("devlink", "DevLink", "Streams call records and events to third-party applications over an unencrypted link."),
    _unsecured("tapi", "TAPI", "Lets TAPI and CTI applications control calls over an unencrypted link."),
    _unsecured("http_directory_read", "HTTP directory read", "Lets devices read the system directory over plain HTTP."),
    _unsecured("http_directory_write", "HTTP directory write", "Lets devices change the system directory over plain HTTP."),
)
