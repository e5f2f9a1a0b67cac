"""The store in words: what is sound, what is about to expire, what will fail.

``check_store`` serves ``pbxwizard certs check``, the import (which refuses a certificate
when its role fails) and the TUI's summary screen. Each finding is an ``Item`` with a
level, what it is about, a sentence, and a fix where there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pbxwizard.certs import authority, chain, keys, pemfiles, policy, request
from pbxwizard.certs.layout import MANAGER, PREVIOUS, STORE, Layout
from pbxwizard.errors import ConfigError, InvalidValue, Problem

OK, INFO, WARN, FAIL = "ok", "info", "warn", "fail"
LEVELS = (OK, INFO, WARN, FAIL)
TRUSTED, LOCAL_CA = "trusted store", "local CA"
STORE_FIX = ("Trust one root instead of each certificate: let an intermediate CA issue the others "
             "(pbxwizard certs init builds a root and an intermediate), and keep only the root in the store.")


class Item(NamedTuple):
    level: str
    subject: str  # "identity", "manager", TRUSTED or LOCAL_CA
    message: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.level.upper():<5} {self.subject}: {self.message}"
        return text + (f"\n      fix: {self.fix}" if self.fix else "")


@dataclass
class Report:
    store: Path
    items: list[Item] = field(default_factory=list)

    def add(self, level: str, subject: str, message: str, fix: str = "") -> None:
        self.items.append(Item(level, subject, message, fix))

    def about(self, *subjects: str) -> list[Item]:
        return [i for i in self.items if i.subject in subjects]

    def failures(self, *subjects: str) -> list[Item]:
        return [i for i in (self.about(*subjects) if subjects else self.items) if i.level == FAIL]

    @property
    def failed(self) -> bool:
        return bool(self.failures())

    def count(self, level: str) -> int:
        return sum(1 for i in self.items if i.level == level)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(level)} {level}" for level in LEVELS)
        verdict = "FAILED" if self.failed else "passed"
        return f"{self.store}: checks {verdict} ({counts})"


def subject(role: str, name: str = MANAGER) -> str:
    """What a report item is about: "identity", "manager", or "manager NAME" for a further manager identity."""
    return role if role == "identity" or name == MANAGER else f"{role} {name}"


def locate(folder: Path) -> Layout:
    """The store in ``folder``: an output folder holding ``certs/``, or the store itself."""
    folder = Path(folder)
    if (folder / STORE).is_dir():
        return Layout.for_output(folder)
    if any((folder / part).is_dir() for part in ("identity", "trusted", "ca", "manager", "csr")):
        return Layout(folder)
    hint = ""
    if (folder / PREVIOUS).is_dir():
        hint = f"; {folder / PREVIOUS} exists: an interrupted replace? rename it back to {STORE}"
    raise ConfigError([Problem("certs", f"no certificate store in {folder}{hint}", str(folder))])


def check_store(folder: Path, config: Any = None, *, passphrase: bytes | None = None,
                now: dt.datetime | None = None) -> Report:
    """Check the store in ``folder`` against ``config`` (optional: names and levels come from it).

    Raises ConfigError only when there is no store to check; everything wrong inside one
    is an item of the report.
    """
    layout = locate(folder)
    checker = _Checker(layout, config, passphrase, now or dt.datetime.now(dt.timezone.utc))
    checker.run()
    return checker.report


class _Checker:
    def __init__(self, layout: Layout, config: Any, passphrase: bytes | None, now: dt.datetime):
        self.layout = layout
        self.config = config
        self.passphrase = passphrase
        self.now = now
        self.report = Report(layout.root)
        minimum = config["services.min_key_size"] if config is not None else policy.MIN_RSA_BITS
        self.required = policy.required_strength(minimum)
        self.trusted: list[Any] = []

    def add(self, *args: str) -> None:
        self.report.add(*args)

    def rel(self, path: Path) -> str:
        """Paths in messages are relative to the store, so a staged copy reads the same."""
        return str(Path(path).relative_to(self.layout.root))

    def run(self) -> None:
        self.trusted_store()
        self.local_ca()
        self.role("identity")
        names = set(self.layout.manager_names())  # every identity in the store, and each one the config names
        if self.config is not None and policy.needs_manager_certificate(self.config):
            names.update(self.config["certificates.manager_identities"])
        for name in sorted(names) or (MANAGER,):
            self.role("manager", name)

    # --- the trusted store ----------------------------------------------------------------
    def trusted_store(self) -> None:
        folder = self.layout.trusted
        files = sorted(folder.glob("*.pem")) if folder.is_dir() else []
        for path in files:
            try:
                self.trusted += pemfiles.read_certs(path, self.rel(path))
            except InvalidValue as exc:
                self.add(FAIL, TRUSTED, str(exc))
        count = len(self.trusted)
        if not count:
            self.add(FAIL, TRUSTED, f"{self.rel(folder)}/ holds no certificate, so no chain can be trusted",
                     "import the CA's root with pbxwizard certs import --chain, or run pbxwizard certs init")
        elif count > policy.STORE_LIMIT:
            self.add(FAIL, TRUSTED, f"{count} certificates, more than the PBX keeps in one store ({policy.STORE_LIMIT})",
                     STORE_FIX)
        else:
            self.add(OK, TRUSTED, f"{count} certificate{'s' if count != 1 else ''}, within the PBX's limit of {policy.STORE_LIMIT}")
        if self.config is not None and self.config["services.client_certificate_checks"] == "high":
            for name in self.layout.manager_names():
                if self.layout.manager_identity(name).cert.exists() and not self.layout.pinned(name).exists():
                    self.add(FAIL, TRUSTED, f"client certificate checks are high, but manager identity {name}'s "
                             f"own certificate is not in the store ({self.layout.pinned(name).name})",
                             f"run pbxwizard certs import --role manager --name {name} again, or re-create the store")

    def anchors(self) -> list[Any]:
        return [c for c in self.trusted if pemfiles.is_ca(c)]

    # --- the local CA ---------------------------------------------------------------------
    def local_ca(self) -> None:
        lay = self.layout
        if not lay.ca.is_dir():
            return
        if lay.root_key.exists():
            self.add(WARN, LOCAL_CA, f"the root CA key is still on this machine ({self.rel(lay.root_key)})",
                     "copy it to offline media and delete it here; it is needed only to replace the intermediate CA")
        else:
            self.add(OK, LOCAL_CA, "the root CA key is not on this machine")
        if lay.intermediate_cert.exists() and not lay.intermediate_key.exists():
            self.add(INFO, LOCAL_CA, "the intermediate CA key is missing, so no new certificate can be issued here")

    # --- end entities ---------------------------------------------------------------------
    def role(self, role: str, name: str = MANAGER) -> None:
        files = self.layout.role(role, name)
        title = subject(role, name)
        present = any(p.exists() for p in (files.cert, files.key, files.csr))
        wanted = role == "identity" or (self.config is not None and self.config["services.client_certificate_checks"] != "none")
        if not present:
            if wanted:
                why = "" if role == "identity" else " (client certificate checks are on)"
                self.add(FAIL, title, f"no certificate and no key{why}", "run pbxwizard certs init")
            return
        if not files.cert.exists():
            if files.csr.exists():
                self.add(FAIL, title, f"waiting for its signed certificate: {self.rel(files.csr)} has not been imported yet",
                         f"send {files.csr.name} to your CA, then run pbxwizard certs import"
                         + (f" --role manager --name {name}" if role == "manager" else ""))
            else:
                self.add(FAIL, title, f"no certificate at {self.rel(files.cert)}")
            return
        try:
            leaf = pemfiles.read_certs(files.cert, self.rel(files.cert))[0]
            presented = pemfiles.read_certs(files.chain, self.rel(files.chain)) if files.chain.exists() else [leaf]
        except InvalidValue as exc:
            self.add(FAIL, title, str(exc))
            return
        if pemfiles.fingerprint(presented[0]) != pemfiles.fingerprint(leaf):
            self.add(FAIL, title, f"{files.chain.name} does not start with the certificate in {files.cert.name}")
        self.key_match(title, files, leaf)
        path = chain.build(leaf, presented[1:], self.anchors())
        if path.complete:
            via = len(path.intermediates)
            through = f" through {via} intermediate{'s' if via != 1 else ''}" if via else ""
            self.add(OK, title, f"chain builds to the trusted root '{pemfiles.common_name(path.anchor)}'{through}")
        else:
            self.add(FAIL, title, path.problem,
                     "put the missing intermediate in the chain file and its root in the trusted store")
        self.usage(title, role, leaf)
        self.strength(title, path)
        self.hashes(title, path)
        self.validity(title, role, path)
        if role == "identity":
            self.names(title, leaf)

    def key_match(self, title: str, files: Any, leaf: Any) -> None:
        mine = keys.public_der(leaf.public_key())
        if not files.key.exists():
            self.add(FAIL, title, f"no private key at {self.rel(files.key)}")
            return
        pem = files.key.read_bytes()
        if keys.is_encrypted(pem) and not self.passphrase:
            if files.csr.exists():
                try:
                    ok = keys.public_der(request.load_csr(files.csr.read_bytes(), self.rel(files.csr)).public_key()) == mine
                except InvalidValue as exc:
                    self.add(INFO, title, f"{exc}; give the key's passphrase to compare it with the certificate")
                    return
                self._match(title, ok, "the certificate matches the request its (encrypted) key was made for")
            else:
                self.add(INFO, title, "the private key is encrypted; give its passphrase to check it matches the certificate")
            return
        try:
            key = keys.load_private(pem, self.passphrase, self.rel(files.key))
        except InvalidValue as exc:
            self.add(FAIL, title, str(exc))
            return
        self._match(title, keys.public_der(key.public_key()) == mine, "the private key matches the certificate")

    def _match(self, title: str, ok: bool, good: str) -> None:
        if ok:
            self.add(OK, title, good)
        else:
            self.add(FAIL, title, "the certificate is for another key than the one in this store",
                     "import the certificate issued for this store's request, or re-create the store")

    def usage(self, title: str, role: str, leaf: Any) -> None:
        from cryptography import x509

        problems = []
        if pemfiles.is_ca(leaf):
            problems.append("it is a CA certificate, not an end-entity one")
        required = authority.ROLE_REQUIRED[role]
        try:
            eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            if authority.purpose_oid(required) not in eku:
                problems.append(f"its extended key usage lacks {required}")
        except x509.ExtensionNotFound:
            pass  # no EKU means no restriction on purpose
        try:
            ku = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
            if not ku.digital_signature:
                problems.append("its key usage does not allow digital signatures, which TLS needs")
        except x509.ExtensionNotFound:
            pass
        kind = "TLS server" if role == "identity" else "TLS client"
        if problems:
            self.add(FAIL, title, f"not usable as a {kind}: " + "; ".join(problems),
                     f"ask the CA for a certificate with {required} in its extended key usage")
        else:
            self.add(OK, title, f"key usage fits a {kind} ({required})")

    def strength(self, title: str, path: chain.Path) -> None:
        weak = []
        for cert in path.certs:
            words, algorithm, size = keys.describe(cert.public_key())
            if algorithm == "rsa" and size < policy.MIN_RSA_BITS or policy.strength(algorithm, size) < self.required:
                weak.append(f"'{pemfiles.common_name(cert)}' has {words}")
        if weak:
            self.add(FAIL, title, f"keys below the {self.required}-bit minimum: " + "; ".join(weak),
                     "issue new certificates with a stronger key type (certificates.key_type)")
        else:
            words = keys.describe(path.certs[0].public_key())[0]
            self.add(OK, title, f"{words}, every key in the chain meets the {self.required}-bit minimum")

    def hashes(self, title: str, path: chain.Path) -> None:
        signed = [c for c in path.certs if c is not path.anchor]  # a root's self-signature proves nothing
        weak = []
        for cert in signed:
            algorithm = cert.signature_hash_algorithm
            name = algorithm.name if algorithm is not None else "none"
            if name in policy.WEAK_HASHES:
                weak.append(f"'{pemfiles.common_name(cert)}' is signed with {_hash_words(algorithm)}")
        if weak:
            self.add(FAIL, title, "; ".join(weak) + ", which can be forged",
                     "ask the CA to re-issue with SHA-256 or stronger")
        else:
            names = sorted({_hash_words(c.signature_hash_algorithm) for c in signed})
            self.add(OK, title, f"signed with {', '.join(names)}")

    def validity(self, title: str, role: str, path: chain.Path) -> None:
        leaf = path.certs[0]
        lifetime = (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days
        if role == "identity" and lifetime > policy.MAX_SERVER_DAYS:
            self.add(FAIL, title, f"valid for {lifetime} days; clients refuse server certificates valid for "
                     f"more than {policy.MAX_SERVER_DAYS}", "issue it again with a shorter validity")
        worst: tuple[str, str] | None = None
        for cert in path.certs:
            who = pemfiles.common_name(cert)
            if self.now < cert.not_valid_before_utc:
                worst = (FAIL, f"'{who}' is not valid before {cert.not_valid_before_utc:%Y-%m-%d}")
                break
            left = cert.not_valid_after_utc - self.now
            if left.total_seconds() <= 0:
                worst = (FAIL, f"'{who}' expired on {cert.not_valid_after_utc:%Y-%m-%d}")
                break
            if left.days < policy.EXPIRY_WARN_DAYS and worst is None:
                worst = (WARN, f"'{who}' expires in {left.days} days, on {cert.not_valid_after_utc:%Y-%m-%d}")
        if worst:
            self.add(worst[0], title, worst[1], "renew it: pbxwizard certs init --replace, or a new request to your CA")
        else:
            end = min(c.not_valid_after_utc for c in path.certs)
            self.add(OK, title, f"valid until {end:%Y-%m-%d} ({(end - self.now).days} days left)")

    def names(self, title: str, leaf: Any) -> None:
        if self.config is None:
            self.add(INFO, title, "no config given, so the names it covers were not compared with the configured ones")
            return
        wanted = authority.Names.from_config(self.config)
        dns, ips = _san(leaf)
        missing = [n for n in wanted.dns if not any(_covers(pattern, n) for pattern in dns)]
        missing += [a for a in wanted.ips if a not in ips]
        if missing:
            self.add(FAIL, title, f"its names do not cover {', '.join(missing)}; clients connecting by "
                     f"{'that name' if len(missing) == 1 else 'those names'} will refuse it",
                     "issue it again with every configured name (certificates.dns_names, certificates.ip_addresses)")
        elif wanted:
            self.add(OK, title, f"covers every configured name: {', '.join(wanted.dns + wanted.ips)}")


def _san(cert: Any) -> tuple[list[str], set[str]]:
    import ipaddress

    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [], set()
    dns = [n.lower().rstrip(".") for n in san.get_values_for_type(x509.DNSName)]
    ips = {str(ipaddress.ip_address(a)) for a in san.get_values_for_type(x509.IPAddress)}
    return dns, ips


def _covers(pattern: str, name: str) -> bool:
    """A SAN entry covers a name exactly, or as a wildcard for one leftmost label."""
    if pattern == name:
        return True
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return False


def _hash_words(algorithm: Any) -> str:
    if algorithm is None:
        return "EdDSA"
    name = algorithm.name
    return f"SHA-{name[3:]}" if name.startswith("sha") and name[3:].isdigit() else name.upper()
