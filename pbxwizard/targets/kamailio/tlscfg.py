"""tls.cfg for Kamailio's tls module: one server domain for the SIP TLS listener, one client domain.

Versions: Kamailio 5.6's ``method`` knows ``TLSv1+``, ``TLSv1.1+``, ``TLSv1.2+`` and the
single versions up to ``TLSv1.2``; it cannot say "TLS 1.3 only" or cap at 1.1 while
allowing 1.0. Ciphers: ``cipher_list`` sets the TLS 1.2 and older suites only (TLS 1.3's are
AEAD in every OpenSSL build); key-exchange groups (curves) have no setting at all. Both are
set through the OpenSSL configuration written beside it (``openssl.cnf``) where Kamailio
leaves a gap.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# Mozilla's "intermediate" TLS 1.2 suites (ssl-config.mozilla.org, guideline 5.7) without the
# finite-field DHE ones, which need DH parameters Kamailio 5.6 cannot be given in tls.cfg.
MODERN_SUITES = (
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
)
RC4_SUITES = "ECDHE-RSA-RC4-SHA:RC4-SHA"
# Client certificate checks -> Kamailio's verify_client (see the tls module's README).
VERIFY_CLIENT = {"none": "off", "low": "optional_no_ca", "medium": "on", "high": "on"}
_NAME = {"1.0": "TLSv1", "1.1": "TLSv1.1", "1.2": "TLSv1.2", "1.3": "TLSv1.3"}


class Paths(NamedTuple):
    chain: str  # the PBX's certificate and intermediates
    key: str
    ca_list: str
    client_cert: str = ""  # presented when Kamailio connects out (the PBX's own)
    client_key: str = ""


def method(min_version: str, max_version: str) -> tuple[str, list[str]]:
    """Kamailio's ``method`` for a version range, and what it cannot say of that range."""
    gaps: list[str] = []
    lo = min_version
    if lo == "1.3":
        gaps.append("tls.min_version = 1.3: Kamailio 5.6's method goes no higher than TLSv1.2+; "
                    "openssl.cnf turns TLS 1.2 off (Protocol = -TLSv1.2) when Kamailio starts with OPENSSL_CONF")
        lo = "1.2"
    if max_version == "1.3":
        return _NAME[lo] + "+", gaps
    if lo == max_version:
        return _NAME[lo], gaps
    gaps.append(f"tls.max_version = {max_version}: Kamailio 5.6 cannot cap a range of versions; "
                "openssl.cnf turns the newer ones off when Kamailio starts with OPENSSL_CONF")
    return _NAME[lo] + "+", gaps


def cipher_list(rc4: bool) -> tuple[str, list[str]]:
    if not rc4:
        return MODERN_SUITES + ":!aNULL:!eNULL:!RC4", []
    return (MODERN_SUITES + ":" + RC4_SUITES,
            ["tls.rc4 = true: the RC4 suites are listed, but the OpenSSL 3 that Debian's Kamailio "
             "uses has no RC4, so no RC4 connection is possible"])


def render(config: Any, paths: Paths) -> tuple[str, list[str]]:
    """The body of tls.cfg (without the header) and the gaps found on the way."""
    meth, gaps = method(config["tls.min_version"], config["tls.max_version"])
    ciphers, more = cipher_list(config["tls.rc4"])
    gaps += more
    checks = config["services.client_certificate_checks"]
    verify = VERIFY_CLIENT[checks]
    server = [
        "[server:default]",
        f"# tls.min_version = {config['tls.min_version']}, tls.max_version = {config['tls.max_version']}",
        f"method = {meth}",
        f"# services.client_certificate_checks = {checks}"
        + (": only the manager identities are accepted, pinned in kamailio.cfg" if checks == "high" else ""),
        f"verify_client = {verify}",
        "verify_depth = 3",
        f"certificate = {paths.chain}",
        f"private_key = {paths.key}",
        f"ca_list = {paths.ca_list}",
        f"# tls.rc4 = {'true' if config['tls.rc4'] else 'false'}",
        f"cipher_list = {ciphers}",
    ]
    level = config["services.manager_certificate_check_level"]
    strict = level in ("medium", "high")
    client = [
        "[client:default]",
        f"method = {meth}",
        f"# services.manager_certificate_check_level = {level}: "
        + ("the server Kamailio connects to must show a certificate the store's CA signed"
           if strict else "the server's certificate is not verified"),
        f"verify_certificate = {'yes' if strict else 'no'}",
        f"require_certificate = {'yes' if strict else 'no'}",
        "verify_depth = 3",
        f"ca_list = {paths.ca_list}",
        f"cipher_list = {ciphers}",
    ]
    if paths.client_cert:
        client += [f"certificate = {paths.client_cert}", f"private_key = {paths.client_key}"]
    return "\n".join(server) + "\n\n" + "\n".join(client) + "\n", gaps


def protocol_line(lo: str, hi: str) -> list[str]:
    """``Protocol = -...`` for the versions outside [lo, hi].

    Kamailio sets its own minimum version after OpenSSL has read this file, which overrides
    MinProtocol; a version switched off here stays off (tried against Kamailio 5.6.3).
    """
    off = [_NAME[v] for v in _NAME if not float(lo) <= float(v) <= float(hi)]
    if not off:
        return []
    return ["# Kamailio's method overrides MinProtocol; switching the versions off holds.",
            "Protocol = " + ", ".join(f"-{v}" for v in off)]


def openssl_cnf(config: Any) -> str:
    """An OpenSSL configuration for what tls.cfg cannot set: groups, TLS 1.3 and the version cap.

    Kamailio reads it when started with ``OPENSSL_CONF`` pointing at it (OpenSSL applies the
    ``system_default`` section to every context the tls module makes).
    """
    lo, hi = config["tls.min_version"], config["tls.max_version"]
    cipher_string, _ = cipher_list(config["tls.rc4"])
    lines = [
        "openssl_conf = pbxwizard_init",
        "",
        "[pbxwizard_init]",
        "ssl_conf = pbxwizard_ssl",
        "",
        "[pbxwizard_ssl]",
        "system_default = pbxwizard_tls",
        "",
        "[pbxwizard_tls]",
        f"MinProtocol = {_NAME[lo]}",
        f"MaxProtocol = {_NAME[hi]}",
        *protocol_line(lo, hi),
        "# X25519, P-256 and P-384 only: no X448 or P-521, which Mozilla's profiles leave out.",
        "Groups = X25519:prime256v1:secp384r1",
        f"CipherString = {cipher_string}",
        "Ciphersuites = TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
    ]
    return "\n".join(lines) + "\n"
