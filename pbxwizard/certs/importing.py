"""Bringing a certificate signed by a third-party CA back into the store.

The new files are put into a staged copy of the store and the whole copy is checked;
only when the imported role and the trusted store pass does the copy replace the live
store. A refused import therefore changes nothing, and the refusal says why in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from pbxwizard.certs import authority, chain, checks, pemfiles
from pbxwizard.certs.layout import MANAGER, ROLES, Layout
from pbxwizard.certs.staging import Staging
from pbxwizard.errors import ConfigError, InvalidValue, Problem


class Refused(ConfigError):
    """The certificate was read but fails the checks; ``report`` holds every finding."""

    def __init__(self, problems: list[Problem], report: checks.Report):
        super().__init__(problems)
        self.report = report


@dataclass
class Imported:
    store: Path
    role: str
    report: checks.Report
    added_roots: int = 0
    notes: list[str] = field(default_factory=list)


def import_signed(output: Path, certificate: bytes, chain_pems: Sequence[bytes] = (), *,
                  role: str = "identity", config: Any = None, passphrase: bytes | None = None,
                  now: dt.datetime | None = None, source: str = "the certificate", name: str = MANAGER) -> Imported:
    """Import ``certificate`` (PEM; may carry its chain after it) for ``role``.

    ``chain_pems`` are further PEM files: intermediates and the CA's root. A self-signed
    CA certificate among them goes into the trusted store; the others form the chain.
    ``name`` is the manager identity a manager certificate is for. Raises ConfigError for unreadable input and ``Refused`` when checks fail.
    """
    if role not in ROLES:
        raise ConfigError([Problem("role", f"{role!r} is not one of {', '.join(ROLES)}")])
    layout = Layout.for_output(output)
    files = layout.role(role, name)
    if not files.key.exists():
        raise ConfigError([Problem(role, f"the store has no key for the {authority.ROLE_TITLES[role]} "
                                   f"({files.key}); make the request here first with pbxwizard certs csr")])
    try:
        given = pemfiles.parse_certs(certificate, source)
        extra = [c for i, pem in enumerate(chain_pems) for c in pemfiles.parse_certs(pem, f"chain file {i + 1}")]
    except InvalidValue as exc:
        raise ConfigError([Problem(role, str(exc))]) from None
    leaf, others = given[0], pemfiles.unique(given[1:] + extra)
    if pemfiles.is_ca(leaf):
        raise ConfigError([Problem(role, f"the first certificate in {source} is a CA certificate "
                                   f"('{pemfiles.common_name(leaf)}'); put the {authority.ROLE_TITLES[role]}'s own certificate first")])
    roots = [c for c in others if pemfiles.is_self_issued(c) and pemfiles.is_ca(c)]
    intermediates = [c for c in others if c not in roots and pemfiles.fingerprint(c) != pemfiles.fingerprint(leaf)]
    with Staging(Path(output), copy_current=True) as staging:
        staged = staging.layout
        trusted = _trusted(staged)
        known = {pemfiles.fingerprint(t) for t in trusted}
        offered = [r for r in roots if pemfiles.fingerprint(r) not in known]
        path = chain.build(leaf, intermediates, [c for c in trusted + offered if pemfiles.is_ca(c)])
        if path.broken_rule:  # said as it is; the check below would only see the root missing
            report = checks.Report(layout.root)
            report.add(checks.FAIL, role, path.problem)
            raise Refused([Problem(role, path.problem)], report)
        # only the root that anchors this certificate's chain is trusted, never every root in the files
        new_roots = [path.anchor] if path.complete and any(path.anchor is r for r in offered) else []
        if len(offered) > len(new_roots):
            staging.notes.append(f"{len(offered) - len(new_roots)} root certificate(s) in the files do not anchor "
                                 "this certificate's chain and were not added to trusted/")
        if new_roots:
            staging.write(staged.trusted_cas, authority.pem(_cas(staged) + new_roots))
        staged_files = staged.role(role, name)
        staging.write(staged_files.cert, authority.pem([leaf]))
        staging.write(staged_files.chain, authority.pem([leaf, *path.intermediates]))
        if role == "manager" and config is not None and config["services.client_certificate_checks"] == "high":
            staging.write(staged.pinned(name), authority.pem([leaf]))
        report = checks.check_store(staged.root, config, passphrase=passphrase, now=now)
        report.store = layout.root
        failures = report.failures(checks.subject(role, name), checks.TRUSTED)
        if failures:
            problems = [Problem(i.subject, i.message + (f" (fix: {i.fix})" if i.fix else "")) for i in failures]
            raise Refused(problems, report)
        staging.commit()
    return Imported(layout.root, role, report, len(new_roots), staging.notes)


def _trusted(layout: Layout) -> list[Any]:
    out: list[Any] = []
    if layout.trusted.is_dir():
        for path in sorted(layout.trusted.glob("*.pem")):
            try:
                out += pemfiles.read_certs(path)
            except InvalidValue:
                continue  # the check reports an unreadable file; here it simply adds no anchor
    return out


def _cas(layout: Layout) -> list[Any]:
    try:
        return pemfiles.read_certs(layout.trusted_cas) if layout.trusted_cas.exists() else []
    except InvalidValue:
        return []
