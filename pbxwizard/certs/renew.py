"""Renewing the store's end-entity certificates with the local CA it already holds.

Short lifetimes (the maximum preset's 90 days) are bearable only when a renewal changes
nothing the phones and management PCs were given: the root and the intermediate stay, so
``trusted/ca-bundle.pem`` is byte-identical; only the PBX's and the management client's keys
and certificates are new (new keys, so a key that leaked before the renewal is useless
after it). Only the intermediate key signs; the root key is not read. The new store is built
beside the live one and swapped in, the old one kept as ``certs.previous``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from pbxwizard.certs import authority, keys, pemfiles
from pbxwizard.certs.authority import Names
from pbxwizard.certs.checks import subject
from pbxwizard.certs.layout import MANAGER, Layout
from pbxwizard.certs.staging import Staging
from pbxwizard.errors import ConfigError, InvalidValue, Problem

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what happens next)


def renewable_roles(output: Path) -> list[tuple[str, str]]:
    """(role, manager identity name) of each certificate the live store holds: the PBX's, then
    every manager identity's."""
    layout = Layout.for_output(output)
    wanted = [("identity", MANAGER)] + [("manager", name) for name in layout.manager_names()]
    return [(role, name) for role, name in wanted if layout.role(role, name).cert.is_file()]


def renew(config: Any, output: Path, *, passphrase: bytes | None = None, progress: Progress | None = None,
          now: dt.datetime | None = None) -> tuple[Path, list[str], list[str]]:
    """New keys and certificates for every end entity of the store in ``output``.

    Returns (store, files written relative to it, notes). ConfigError when the store has no
    local CA (a third-party CA's certificates are renewed by a new request and import), when
    the intermediate key cannot be read, or when keys must be encrypted and no passphrase is
    given. The PBX certificate takes the configured names and validity; the management
    client keeps its own name.
    """
    from pbxwizard.certs.signing import load_ca

    now = now or dt.datetime.now(dt.timezone.utc)
    live = Layout.for_output(output)
    if not (live.intermediate_cert.is_file() and live.intermediate_key.is_file()):
        raise ConfigError([Problem("certs", f"{live.root} has no local CA (ca/intermediate-ca.pem and its key): "
                                   "renew a third-party CA's certificates with pbxwizard certs csr --replace, "
                                   "then certs import", str(live.root))])
    if config["certificates.encrypt_keys"] and not passphrase:
        raise ConfigError([Problem("certificates.encrypt_keys", "keys are encrypted: the passphrase is needed "
                                   "to read the intermediate key and to encrypt the new keys")])
    roles = renewable_roles(output)
    if not roles:
        raise ConfigError([Problem("certs", f"{live.root} holds no certificate to renew", str(live.root))])
    ca_cert, ca_key, _root = load_ca(live, passphrase, now, field="certs")
    names = Names.from_config(config)
    if not names:
        raise ConfigError([Problem("certificates.dns_names", "no DNS name and no IP address: the certificate "
                                   "would name no host")])
    total, done = 2 * len(roles) + 1, 0
    written: list[str] = []

    def step(text: str) -> None:
        nonlocal done
        if progress:
            progress(done, total, text)
        done += 1

    with Staging(Path(output), copy_current=True) as staging:
        layout = staging.layout
        for role, name in roles:
            files = layout.role(role, name)
            old = _read_cert(files.cert)
            who = subject(role, name)
            step(f"Generating a new {who} key")
            key = keys.generate(config["certificates.key_type"])
            step(f"Issuing the new {who} certificate")
            common_name = None if role == "identity" else _common_name(old)
            cert = authority.issue(role, key.public_key(), ca_cert, ca_key, names if role == "identity" else Names(),
                                   config["certificates.validity_days"], now, common_name)
            for path, data in ((files.key, keys.private_pem(key, passphrase)), (files.cert, authority.pem([cert])),
                               (files.chain, authority.pem([cert, ca_cert]))):
                staging.write(path, data)
                written.append(str(path.relative_to(layout.root)))
            if role == "manager" and layout.pinned(name).is_file():
                staging.write(layout.pinned(name), authority.pem([cert]))
                written.append(str(layout.pinned(name).relative_to(layout.root)))
            staging.remove(files.csr)  # a request for the old key no longer matches anything
            if role == "manager":
                staging.remove(layout.p12(name))  # it holds the old key; export the new one again
        step("Putting the renewed store in place")
        store = staging.commit()
    if progress:
        progress(total, total, "Store renewed")
    return store, written, staging.notes


def _read_cert(path: Path) -> Any:
    try:
        return pemfiles.read_certs(path)[0]
    except InvalidValue as exc:
        raise ConfigError([Problem("certs", str(exc), str(path))]) from None


def _common_name(cert: Any) -> str | None:
    from cryptography.x509.oid import NameOID

    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else None
