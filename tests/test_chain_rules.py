"""Chains judged as a real verifier judges them, cross-checked with ``openssl verify``.

Each case is built here, given to ``openssl verify`` (the root as the only trust anchor,
the intermediates as untrusted), to ``chain.build``, and to ``certs import``; all three
must agree. openssl comes through .ci/run: under CI a missing openssl fails these tests.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certhelp import TODAY, ThirdPartyCA, config, load_csr, pem
from pbxwizard.certs import chain
from pbxwizard.certs.checks import check_store
from pbxwizard.certs.generate import generate_store
from pbxwizard.certs.importing import Refused, import_signed
from pbxwizard.certs.layout import Layout

if shutil.which("openssl") is None and os.environ.get("CI") != "true":
    pytest.skip("needs the openssl command (installed by .ci/run)", allow_module_level=True)

SIGNS = x509.KeyUsage(True, False, False, False, False, True, True, False, False)  # digitalSignature, keyCertSign, cRLSign
NO_CERT_SIGN = x509.KeyUsage(True, False, False, False, False, False, True, False, False)


def _cert(cn: str, key, issuer=None, issuer_key=None, *, ca: bool, pathlen=None, usage=SIGNS, public=None):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer.subject if issuer else name)
               .public_key(public or key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(TODAY - dt.timedelta(days=1)).not_valid_after(TODAY + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), critical=True))
    if ca:
        builder = builder.add_extension(usage, critical=True)
    else:
        builder = (builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("pbx.example.test"),
                                                               x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False))
    return builder.sign(issuer_key or key, hashes.SHA256())


def _chain(case: str, leaf_public=None):
    """(leaf, intermediates leaf-side first, root) for one case."""
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    root = _cert(f"{case} Root", keys[0], ca=True)
    if case == "pathlen exceeded":  # root -> A (pathlen 0) -> B -> leaf: B is one CA too many under A
        a = _cert("A pathlen 0", keys[1], root, keys[0], ca=True, pathlen=0)
        issuers, signer = [_cert("B under A", keys[2], a, keys[1], ca=True), a], keys[2]
    elif case == "no keyCertSign":  # root -> A (CA:TRUE, key usage without keyCertSign) -> leaf
        issuers, signer = [_cert("A cannot sign certs", keys[1], root, keys[0], ca=True, usage=NO_CERT_SIGN)], keys[1]
    else:  # sound: root -> A (pathlen 0) -> leaf
        issuers, signer = [_cert("A pathlen 0", keys[1], root, keys[0], ca=True, pathlen=0)], keys[1]
    leaf = _cert("pbx.example.test", keys[3], issuers[0], signer, ca=False, public=leaf_public)
    return leaf, issuers, root


def _openssl_accepts(tmp_path, leaf, intermediates, root) -> bool:
    (tmp_path / "root.pem").write_bytes(pem(root))
    (tmp_path / "untrusted.pem").write_bytes(pem(*intermediates))
    (tmp_path / "leaf.pem").write_bytes(pem(leaf))
    result = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "root.pem"), "-untrusted",
                             str(tmp_path / "untrusted.pem"), str(tmp_path / "leaf.pem")], capture_output=True, text=True)
    return result.returncode == 0


@pytest.mark.parametrize("case, sound, words", [
    ("sound", True, ""),
    ("pathlen exceeded", False, "allows 0 CA certificate(s) below it (pathLenConstraint)"),
    ("no keyCertSign", False, "does not allow signing certificates (keyCertSign)"),
])
def test_chain_rules_agree_with_openssl_verify(tmp_path, case, sound, words):
    leaf, intermediates, root = _chain(case)
    assert _openssl_accepts(tmp_path, leaf, intermediates, root) is sound
    path = chain.build(leaf, intermediates, [root])
    assert path.complete is sound and words in path.problem


@pytest.fixture
def pending(tmp_path):
    cfg = config("maximum", certificates__encrypt_keys=False)
    generate_store(cfg, tmp_path)
    return tmp_path, cfg, Layout.for_output(tmp_path)


@pytest.mark.parametrize("case", ["pathlen exceeded", "no keyCertSign"])
def test_certs_import_refuses_what_openssl_refuses(pending, case):
    out, cfg, lay = pending
    csr = load_csr(lay.identity.csr)
    leaf, intermediates, root = _chain(case, leaf_public=csr.public_key())
    assert not _openssl_accepts(out.parent, leaf, intermediates, root)
    with pytest.raises(Refused) as info:
        import_signed(out, pem(leaf), [pem(*intermediates, root)], config=cfg)
    assert ("pathLenConstraint" if case == "pathlen exceeded" else "keyCertSign") in str(info.value), str(info.value)
    assert not lay.identity.cert.exists()


def test_certs_check_fails_a_store_whose_chain_breaks_a_rule(pending):
    out, cfg, lay = pending
    csr = load_csr(lay.identity.csr)
    leaf, intermediates, root = _chain("pathlen exceeded", leaf_public=csr.public_key())
    lay.identity.cert.write_bytes(pem(leaf))
    lay.identity.chain.write_bytes(pem(leaf, *intermediates))
    lay.trusted_cas.parent.mkdir(exist_ok=True)
    lay.trusted_cas.write_bytes(pem(root))
    report = check_store(out, cfg)
    assert any("pathLenConstraint" in item.message for item in report.failures("identity"))


def test_only_the_root_that_anchors_the_chain_becomes_trusted(pending):
    out, cfg, lay = pending
    ca = ThirdPartyCA()
    leaf = ca.sign(load_csr(lay.identity.csr), start=TODAY - dt.timedelta(days=1))
    strangers = [ThirdPartyCA(f"Stranger {n}").root for n in range(2)]
    result = import_signed(out, pem(leaf), [pem(ca.cert, ca.root, *strangers)], config=cfg)
    assert result.added_roots == 1
    assert lay.trusted_cas.read_bytes() == pem(ca.root)
    assert any("2 root certificate(s)" in note for note in result.notes)
