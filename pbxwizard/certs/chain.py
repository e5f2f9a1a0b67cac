"""Building a certificate's path to a trusted root, one verified signature at a time.

Done by hand rather than with cryptography's verifier (``cryptography.x509.verification``)
because that verifier applies the Web PKI's rules in one opaque step: it requires a
subjectAltName and EKU shapes a private CA need not use, and it reports only that the
chain failed. Here each link is checked against RFC 5280's rules for a CA (basicConstraints
CA:TRUE, keyCertSign where key usage is given, pathLenConstraint) and a break is described
in words, so an installer learns which certificate is missing or which rule a CA breaks.
tests/test_chain_rules.py holds these rules to what ``openssl verify`` decides.
Expiry, key sizes and hashes are judged separately by ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from pbxwizard.certs.pemfiles import common_name, fingerprint, is_ca

MAX_DEPTH = 8


@dataclass
class Path:
    certs: list[Any]  # the leaf first, the trust anchor last when complete
    complete: bool
    problem: str = ""
    broken_rule: bool = False  # a CA in the path may not sign what it signed (RFC 5280), not just a gap

    @property
    def anchor(self) -> Any | None:
        return self.certs[-1] if self.complete else None

    @property
    def intermediates(self) -> list[Any]:
        return self.certs[1:-1] if self.complete else self.certs[1:]


def signed_by(cert: Any, issuer: Any) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def build(leaf: Any, pool: Sequence[Any], anchors: Sequence[Any]) -> Path:
    """The path from ``leaf`` through certificates of ``pool`` to one of ``anchors``.

    ``anchors`` are the trusted CA certificates; a leaf pinned in the trusted store is
    not one, so its path still runs to the CA that issued it.
    """
    anchor_prints = {fingerprint(a) for a in anchors}
    path = [leaf]
    current = leaf
    for _ in range(MAX_DEPTH):
        if fingerprint(current) in anchor_prints and current is not leaf:
            return Path(path, True)
        issuer = next((a for a in anchors if a.subject == current.issuer and signed_by(current, a)), None)
        if issuer is not None:
            if fingerprint(issuer) != fingerprint(current):
                broken = _ca_problem(issuer, current, path)
                if broken:
                    return Path(path, False, broken, True)
                path.append(issuer)
            return Path(path, True)
        named = [c for c in pool if c.subject == current.issuer and all(c is not p for p in path)]
        issuer = next((c for c in named if signed_by(current, c)), None)
        if issuer is None:
            return Path(path, False, _missing(current, named))
        broken = _ca_problem(issuer, current, path)
        if broken:
            return Path(path, False, broken, True)
        path.append(issuer)
        current = issuer
    return Path(path, False, f"the chain is longer than {MAX_DEPTH} certificates")


def _ca_problem(issuer: Any, cert: Any, below: list[Any]) -> str:
    """Why ``issuer`` may not sign ``cert`` as RFC 5280 (and ``openssl verify``) see it, or "".

    ``below`` is the path so far, the leaf first: the CA certificates in it after the leaf
    count against the issuer's pathLenConstraint (self-issued ones do not).
    """
    from cryptography import x509

    if not is_ca(issuer):
        return f"'{common_name(issuer)}' signed '{common_name(cert)}' but is not a CA certificate"
    try:
        usage = issuer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.key_cert_sign:
        return (f"'{common_name(issuer)}' signed '{common_name(cert)}' but its key usage does not allow signing "
                "certificates (keyCertSign)")
    limit = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length
    under = sum(1 for c in below[1:] if c.subject != c.issuer)
    if limit is not None and under > limit:
        return (f"'{common_name(issuer)}' allows {limit} CA certificate(s) below it (pathLenConstraint) but "
                f"the chain to '{common_name(below[0])}' has {under}")
    return ""


def _missing(cert: Any, same_name: list[Any]) -> str:
    wanted = common_name(cert.issuer)
    if same_name:
        return (f"'{common_name(cert)}' names '{wanted}' as its issuer, but the certificate of that name "
                "here has a different key: it is from another CA or another generation of it")
    if cert.subject == cert.issuer:
        return f"'{common_name(cert)}' is self-signed and not in the trusted store"
    return (f"the chain stops at '{common_name(cert)}': its issuer '{wanted}' is neither in the chain "
            "nor in the trusted store")
