"""The settings catalog: the one place where pbxwizard's settings are listed.

The TOML writer, validation, the audit, ``pbxwizard explain``, the screens and the README's
settings table all walk this catalog; nothing else names a setting. The entries sit one
tuple a section in ``catalog_logins``, ``catalog_encryption`` and ``catalog_sip``; this module puts them in
the order of ``SECTIONS`` (listed in ``sections``) and looks them up.

Sources: ``000`` is the PBX's System Security page, ``001`` the vendor's minimum / medium /
maximum scenarios (see ``shared/seeds``). Where neither gives a factory default, the
entry's ``default_note`` says that the value is the wizard's assumption.
"""

from __future__ import annotations

from typing import Any, Iterator

from pbxwizard.certs import policy
from pbxwizard.settings.catalog_encryption import CERTIFICATES, SERVICES, TLS, UNSECURED
from pbxwizard.settings.catalog_logins import ACCESS, PAIRING, PASSWORDS, WEB
from pbxwizard.settings.catalog_sip import MEDIA, SIP, plain_allowed
# The severities, Setting and Section are part of the catalog's face: callers say catalog.HIGH.
from pbxwizard.settings.schema import HIGH, INFO, LOW, MEDIUM, NOT_DOCUMENTED, SEVERITIES, SYSTEM_SHORT, SYSTEMS, CrossCheck, Facts, Rule, Setting
from pbxwizard.settings.sections import SECTIONS, Section

SETTINGS: tuple[Setting, ...] = (*WEB, *PASSWORDS, *TLS, *ACCESS, *PAIRING, *SERVICES, *CERTIFICATES, *UNSECURED,
                               *SIP, *MEDIA)

RULES = (
    Rule(("tls.min_version", "tls.max_version"), lambda lo, hi: float(lo) <= float(hi),
         "the TLS minimum version is above the maximum version"),
    Rule(("tls.dtls_min_version", "tls.dtls_max_version"), lambda lo, hi: float(lo) <= float(hi),
         "the DTLS minimum version is above the maximum version"),
    Rule(("certificates.key_type", "services.min_key_size"), policy.key_type_fits,
         "the certificate key type is weaker than the minimum key size allows"),
    Rule(("services.security_admin_level", "services.configuration_level", "services.client_certificate_checks",
          "certificates.manager_identities"),
         policy.manager_identities_fit,
         "a service at Secure, High or client certificate checks need a manager certificate, and "
         "certificates.manager_identities names none"),
    Rule(("sip.transports", "sip.port", "sip.tls_port"), lambda t, port, tls: not plain_allowed(t) or port != tls,
         "the SIP port and the SIP TLS port are the same while TCP or UDP is allowed"),
)

# Audit rules across settings and the output folder: findings, never a reason to refuse a config.
CHECK_RULES = (
    CrossCheck(
        HIGH, "manager_certificate", policy.certificate_only_services,
        lambda values, facts: bool(policy.certificate_only_services(values)) and facts.manager_certificate is False,
        "A service at Secure, High accepts only a client that presents a certificate, and the store holds "
        "no manager certificate: the management tool is shut out of that service.",
        "make one with `pbxwizard certs init --replace` (or `apply --certs` on a folder without a store); "
        "in csr mode import the signed one with `certs import --role manager`",
        "Secure, High admits only a client with a certificate; the certificate store makes one for the manager.",
    ),
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
