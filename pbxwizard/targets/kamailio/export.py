"""Gather the settings and the certificate store of one output folder into Kamailio's files.

``build`` only computes (files and what Kamailio cannot express); ``write`` puts the files
in place, each atomically and 0600; ``export_to`` does both under the folder's lock. Paths in the files are absolute, so Kamailio finds the
store wherever it is started from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pbxwizard.errors import ConfigError, Problem
from pbxwizard.targets.base import Export, ExportFile, comment_block
from pbxwizard.targets.kamailio import script, tlscfg

TARGET = "kamailio"
FOLDER = "kamailio"
DECRYPTED_KEY = "pbx-key.pem"

# Every catalog key is expressed in the files or named here with the reason it is not; a
# test holds the two lists to the whole catalog, so a new setting cannot be dropped silently.
EXPRESSED = (
    "tls.min_version", "tls.max_version", "tls.rc4", "services.client_certificate_checks",
    "services.manager_certificate_check_level", "access.ignore_user_agents", "access.ignore_unknown_domains",
    "certificates.dns_names", "pairing.domain", "sip.transports", "sip.tls_port", "sip.port",
    "sip.failed_auth_limit", "sip.failed_auth_window", "sip.ban_time", "sip.flood_limit", "media.srtp",
)
NOT_EXPRESSED = {
    "web.": "the web interface's sessions and logins: Kamailio has no web interface",
    "passwords.": "the password and PIN rules: Kamailio stores SIP passwords as given, with no policy",
    "tls.dtls_": "DTLS versions: Kamailio carries no media; the media relay (rtpengine) negotiates DTLS-SRTP",
    "tls.key_log_file": "the TLS key log file: Kamailio's tls module cannot write one",
    "access.api_access_list": "the API access list: Kamailio has no XML API",
    "access.csta_access_list": "the CSTA access list: Kamailio has no CSTA service",
    "pairing.barcode_duration": "pairing codes: made by pbxwizard pair, not by the SIP server",
    "pairing.server": "the pairing address: used in pairing codes only",
    "services.security_admin_level": "the management service levels: Kamailio has no management service",
    "services.configuration_level": "the management service levels: Kamailio has no management service",
    "services.min_key_size": "key sizes and certificate making: applied when the store was made; Kamailio reads its files",
    "services.require_new_passwords": "the factory accounts: Kamailio has none",
    "certificates.": "key sizes and certificate making: applied when the store was made; Kamailio reads its files",
    "unsecured.": "the legacy unsecured interfaces (TFTP, DevLink, TAPI, HTTP directory): Kamailio has none",
}


def unexpressed_reason(key: str) -> str | None:
    if key in EXPRESSED:
        return None
    return next((why for prefix, why in NOT_EXPRESSED.items() if key == prefix or
                 (prefix.endswith((".", "_")) and key.startswith(prefix))), None)


def gaps(config: Any) -> list[str]:
    """What Kamailio cannot express of this config: one line a reason, the keys in front."""
    from pbxwizard.settings import catalog

    by_reason: dict[str, list[str]] = {}
    for setting in catalog.SETTINGS:
        why = unexpressed_reason(setting.key)
        if why is not None:
            by_reason.setdefault(why, []).append(setting.key)
    lines = [f"{', '.join(keys)}: {why}" for why, keys in by_reason.items()]
    lines += tlscfg.method(config["tls.min_version"], config["tls.max_version"])[1]
    lines += tlscfg.cipher_list(config["tls.rc4"])[1]
    lines.append("key-exchange groups (curves) and the TLS 1.3 suites: tls.cfg has no setting for them; "
                 "openssl.cnf sets them when Kamailio starts with OPENSSL_CONF pointing at it")
    return lines


def _pins(layout: Any) -> tuple[str, ...]:
    """SHA-256 of the PEM text of each manager identity certificate the store holds."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from pbxwizard.certs.pemfiles import is_ca, read_certs

    certs = []
    for path in [p for n in layout.manager_names() for p in (layout.pinned(n), layout.manager_identity(n).cert)]:
        if path.is_file():
            certs += read_certs(path)
    pems = {c.public_bytes(Encoding.PEM) for c in certs if not is_ca(c)}
    return tuple(sorted(hashlib.sha256(p).hexdigest() for p in pems))


def _key(layout: Any, passphrase: bytes | None, here: Path) -> tuple[str, ExportFile | None]:
    """The key file Kamailio reads, and a decrypted copy to write when the store's is encrypted."""
    from pbxwizard.certs import keys
    from pbxwizard.certs.pemfiles import read_bytes
    from pbxwizard.errors import InvalidValue

    path = layout.identity.key
    pem = read_bytes(path)
    if not keys.is_encrypted(pem):
        return str(path), None
    if passphrase is None:
        raise ConfigError([Problem("certificates.encrypt_keys", (
            f"the PBX's key {path} is encrypted, and Kamailio cannot ask for a passphrase when it starts "
            "unattended (it would stop with exit code 255); give the passphrase with --passphrase-env NAME or "
            f"--passphrase-stdin to write a decrypted copy for Kamailio alone ({here / DECRYPTED_KEY}, 0600)"))])
    try:
        key = keys.load_private(pem, passphrase, str(path))
    except InvalidValue as exc:
        raise ConfigError([Problem("passphrase", str(exc))]) from None
    copy = here / DECRYPTED_KEY
    return str(copy), ExportFile(f"{FOLDER}/{DECRYPTED_KEY}", keys.private_pem(key, None), secret=True)


def _store_problems(layout: Any, config: Any) -> list[Problem]:
    problems = []
    if not layout.identity.chain.is_file() or not layout.identity.key.is_file():
        what = ("import the CA-signed certificate with pbxwizard certs import"
                if config["certificates.mode"] == "csr" else "make the store with pbxwizard certs init")
        problems.append(Problem("certs", f"the store in {layout.root} has no PBX certificate and key "
                                f"({layout.identity.chain.name}, {layout.identity.key.name}) yet; {what}"))
    if not layout.trusted_cas.is_file():
        problems.append(Problem("certs", f"the store has no {layout.trusted_cas}; make it with pbxwizard certs init"))
    return problems


def build(config: Any, output: Path, *, address: str = "0.0.0.0", passphrase: bytes | None = None) -> Export:
    """Kamailio's files for ``config`` and the store under ``output``; ConfigError when it cannot be done."""
    import ipaddress

    from pbxwizard.certs.layout import Layout

    try:
        address = str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        raise ConfigError([Problem("--address", f"{address!r} is not an IP address; give one such as 0.0.0.0, "
                                   "192.0.2.10 or ::")]) from None
    output = Path(output).resolve()
    layout = Layout.for_output(output)
    problems = _store_problems(layout, config)
    pins: tuple[str, ...] = ()
    if not problems and config["services.client_certificate_checks"] == "high":
        pins = _pins(layout)
        if not pins:
            problems.append(Problem("services.client_certificate_checks", (
                "is high, but the store holds no manager certificate to accept as a client; make it with "
                "pbxwizard certs init --replace (or import one with --role manager)")))
    if problems:
        raise ConfigError(problems)
    here = output / FOLDER
    key_path, key_copy = _key(layout, passphrase, here)
    paths = tlscfg.Paths(str(layout.identity.chain), key_path, str(layout.trusted_cas),
                         str(layout.identity.chain), key_path)
    tls_body, _ = tlscfg.render(config, paths)
    aliases = tuple(dict.fromkeys((*config["certificates.dns_names"], *filter(None, [config["pairing.domain"]]))))
    site = script.Site(address, str(here / "tls.cfg"), str(here / "db"), aliases, pins)
    missing = gaps(config)
    head = header(config, output, missing)
    files = [
        ExportFile(f"{FOLDER}/kamailio.cfg", (script.render(config, site).replace(
            "#!KAMAILIO\n", "#!KAMAILIO\n" + head, 1)).encode()),
        ExportFile(f"{FOLDER}/tls.cfg", (head + tls_body).encode()),
        ExportFile(f"{FOLDER}/openssl.cnf", (head + tlscfg.openssl_cnf(config)).encode()),
        ExportFile(f"{FOLDER}/db/version", b"id(int,auto) table_name(string) table_version(int) \n0:subscriber:7\n"),
        ExportFile(f"{FOLDER}/db/subscriber", b"id(int,auto) username(string) domain(string) password(string) "
                                              b"ha1(string,null) ha1b(string,null) \n"),
    ]
    if key_copy is not None:
        files.append(key_copy)
    notes = []
    if key_copy is not None:
        notes.append(f"wrote a decrypted copy of the PBX's key for Kamailio: {here / DECRYPTED_KEY} (0600); "
                     "it is as valuable as the encrypted one: keep the folder closed to others")
    return Export(TARGET, tuple(files), tuple(missing), tuple(notes))


#: Seen in the tests against Debian 12's Kamailio 5.6.3: with its default four TCP workers a
#: TLS scanner crashed it within a few scans, and three clients' ordinary handshakes within
#: seconds. tcp_children=1 in kamailio.cfg (script.TCP_WORKERS) stops that; the installer must
#: still hear of it where they start the server, and of what one worker does not cover.
KNOWN_ISSUE = (
    "Known issue: Kamailio 5.6.3 (Debian 12) on OpenSSL 3 crashes when TLS handshakes run in",
    "several worker processes at once, as a TLS scanner or many phones reconnecting together",
    "make them do (memory freed twice through the tls module's allocator; kamailio#3791).",
    "kamailio.cfg therefore keeps one TCP/TLS worker (tcp_children=1). SIP-over-UDP workers",
    "can still write to TLS connections, so run it under a supervisor that restarts it",
    "(systemd Restart=on-failure). On later releases with OpenSSL 3, upstream advises the",
    "core parameter tls_threads_mode=2 (kamailio#4055), and more TCP workers are safe there;",
    "5.6.3 refuses that parameter, so it is not written here.",
)


def header(config: Any, output: Path, missing: list[str]) -> str:
    lines = [
        "Generated by pbxwizard export kamailio from", f"{output / 'security.toml'} (preset {config.preset or 'none'})",
        f"and the certificate store in {output / 'certs'}. Edit the settings there and export again.",
        "",
        "Start: OPENSSL_CONF=" + str(output / FOLDER / "openssl.cnf") + " kamailio -DD -E -f "
        + str(output / FOLDER / "kamailio.cfg"),
        "",
        *KNOWN_ISSUE,
        "",
        "Not expressed in Kamailio's files (nothing is dropped silently):",
        *(f"  - {line}" for line in missing),
        "",
    ]
    return comment_block(lines)


def export_to(config: Any, output: Path, *, address: str = "0.0.0.0",
              passphrase: bytes | None = None) -> tuple[Export, list[Path]]:
    """Build and write under the folder's lock, so no certs init or import swaps the store meanwhile."""
    from pbxwizard import folderlock

    with folderlock.hold(Path(output), "exporting for Kamailio"):
        result = build(config, output, address=address, passphrase=passphrase)
        return result, write(result, output)


def write(export: Export, output: Path) -> list[Path]:
    from pbxwizard.atomic import write_private

    written = []
    for f in export.files:
        path = Path(output) / f.path
        write_private(path, f.data, backup=False)
        written.append(path)
    return written
