"""Building a certificate's path to a trusted root, one verified signature at a time.

Done by hand rather than with cryptography's Web-PKI verifier because that verifier
enforces browser rules (and time) in one opaque step; here each link is checked and a
break is described in words, so an installer learns which certificate is missing.
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
                path.append(issuer)
            return Path(path, True)
        named = [c for c in pool if c.subject == current.issuer and all(c is not p for p in path)]
        issuer = next((c for c in named if signed_by(current, c)), None)
        if issuer is None:
            return Path(path, False, _missing(current, named))
        if not is_ca(issuer):
            return Path(path, False, f"'{common_name(issuer)}' signed '{common_name(current)}' but is not a CA certificate")
        path.append(issuer)
        current = issuer
    return Path(path, False, f"the chain is longer than {MAX_DEPTH} certificates")


def _missing(cert: Any, same_name: list[Any]) -> str:
    wanted = common_name(cert.issuer)
    if same_name:
        return (f"'{common_name(cert)}' names '{wanted}' as its issuer, but the certificate of that name "
                "here has a different key: it is from another CA or another generation of it")
    if cert.subject == cert.issuer:
        return f"'{common_name(cert)}' is self-signed and not in the trusted store"
    return (f"the chain stops at '{common_name(cert)}': its issuer '{wanted}' is neither in the chain "
            "nor in the trusted store")
