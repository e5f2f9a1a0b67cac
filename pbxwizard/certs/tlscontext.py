"""An ``ssl`` server context set up the way the PBX is asked to be: proof the store works.

The tests run a real handshake against it, and the TUI can offer the same self-test:
the identity chain and key from the store, the TLS versions from the config, and client
certificates required according to ``services.client_certificate_checks``.
"""

from __future__ import annotations

import ssl
from typing import Any

from pbxwizard.certs.layout import Layout

VERSIONS = {
    "1.0": ssl.TLSVersion.TLSv1,
    "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}
CLIENT_CHECKS = {
    "none": ssl.CERT_NONE,  # no certificate is asked for
    "low": ssl.CERT_OPTIONAL,  # asked for, checked when one is sent
    "medium": ssl.CERT_REQUIRED,
    "high": ssl.CERT_REQUIRED,  # and the store holds the manager's own certificate
}


def server_context(layout: Layout, config: Any, passphrase: bytes | None = None) -> ssl.SSLContext:
    import warnings

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        # Python warns when TLS 1.0/1.1 is allowed; the config asked for it and the audit already says why not.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = VERSIONS[config["tls.min_version"]]
        context.maximum_version = VERSIONS[config["tls.max_version"]]
    files = layout.identity
    context.load_cert_chain(files.chain, files.key, password=passphrase)
    mode = CLIENT_CHECKS[config["services.client_certificate_checks"]]
    context.verify_mode = mode
    if mode != ssl.CERT_NONE:
        context.load_verify_locations(cafile=layout.trusted_cas)
    return context
