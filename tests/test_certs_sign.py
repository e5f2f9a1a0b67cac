"""`certs sign`: one CA folder on a control node signs the requests of many boxes.

The boxes make their keys and requests, the control node signs them with its intermediate
(the root key is never read and never leaves the CA folder), each box imports the result,
and every box's store verifies against the one root with openssl.
"""

import datetime as dt
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pbxwizard.certs import request
from pbxwizard.certs.authority import Names
from pbxwizard.certs.signing import sign_request

CA_SITE = ["--set", "certificates.mode=local_ca", "--set", "certificates.dns_names=ca.example.net",
           "--set", "certificates.key_type=ecdsa_p256"]
PASSPHRASE = "box key passphrase 2026"


@pytest.fixture(scope="module")
def control(tmp_path_factory):
    """A control node's CA folder, made once with `certs init` (medium: keys not encrypted)."""
    from pbxwizard.cli import main

    folder = tmp_path_factory.mktemp("control")
    assert main(["certs", "init", "--preset", "medium", *CA_SITE, "-o", str(folder)]) == 0
    return folder


def _box(run_cli, folder, name):
    """A box on the maximum preset (requests for a third-party CA, keys encrypted)."""
    code, _, err = run_cli("apply", "--preset", "maximum", "--set", f"certificates.dns_names={name}.example.net",
                           "--set", "certificates.ip_addresses=", "--certs", "--passphrase-env", "BOX_PASS",
                           "-o", str(folder))
    assert code == 0, err
    return folder


def _csr(key, names=Names(("box.example.net",)), algorithm=hashes.SHA256()):
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "box")]))
    if names:
        builder = builder.add_extension(names.san(), critical=False)
    return request.csr_pem(builder.sign(key, algorithm))


def test_one_ca_signs_many_boxes_and_every_store_verifies_against_its_root(control, run_cli, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("BOX_PASS", PASSPHRASE)
    root = control / "certs" / "ca" / "root-ca.pem"
    root_key = (control / "certs" / "ca" / "offline" / "root-ca-key-OFFLINE.pem").read_bytes()
    for name in ("box1", "box2"):
        box = _box(run_cli, tmp_path / name, name)
        for role, stem in (("identity", "pbx"), ("manager", "manager")):  # maximum checks client certificates
            signed = tmp_path / f"{name}-{stem}.pem"
            code, out, err = run_cli("certs", "sign", str(box / "certs" / "csr" / f"{stem}.csr"), "--ca", str(control),
                                     "--role", role, "--days", "90", "--output", str(signed))
            assert code == 0, err
            assert out == "" and f"signed the {role} certificate" in err and "valid 90 days" in err
            code, _, err = run_cli("certs", "import", str(signed), "--role", role, "--passphrase-env", "BOX_PASS",
                                   "-o", str(box))
            assert code == 0, err
        code, out, err = run_cli("certs", "check", str(box), "--passphrase-env", "BOX_PASS")
        assert code == 0, out + err
        identity = box / "certs" / "identity"
        verified = subprocess.run(["openssl", "verify", "-CAfile", str(root), "-untrusted",
                                   str(identity / "pbx-chain.pem"), str(identity / "pbx.pem")],
                                  capture_output=True, text=True, check=False)
        assert verified.returncode == 0 and verified.stdout.strip().endswith(": OK"), verified.stderr
        assert (box / "certs" / "trusted" / "ca-bundle.pem").read_bytes() == root.read_bytes()
        everything = [p for p in box.rglob("*") if p.is_file()]
        assert not any("root-ca-key" in p.name or p.read_bytes() == root_key for p in everything)
    assert (control / "certs" / "ca" / "offline" / "root-ca-key-OFFLINE.pem").read_bytes() == root_key


def test_without_output_the_certificate_and_chain_go_to_stdout(control, run_cli, tmp_path):
    path = tmp_path / "box.csr"
    path.write_bytes(_csr(ec.generate_private_key(ec.SECP256R1())))
    code, out, err = run_cli("certs", "sign", str(path), "--ca", str(control / "certs" / "ca"))
    assert code == 0, err
    certs = x509.load_pem_x509_certificates(out.encode())
    leaf, intermediate, root = certs
    assert leaf.issuer == intermediate.subject and intermediate.issuer == root.subject == root.issuer
    assert leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName) == ["box.example.net"]
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days == 365


@pytest.mark.parametrize("make,args,message", [
    (lambda: _csr(rsa.generate_private_key(65537, 1024)), [], "weaker than the 2048-bit minimum"),
    (lambda: _csr(ec.generate_private_key(ec.SECP256R1()), names=Names()), [], "names no host"),
    (lambda: _csr(ec.generate_private_key(ec.SECP256R1()), names=Names(("*.example.net",))), [], "ildcard"),
    (lambda: _csr(ec.generate_private_key(ec.SECP256R1())), ["--days", "500"], "outside 1 to 398 days"),
    (lambda: b"not a request", [], "is not a PEM certificate signing request"),
])
def test_a_request_the_local_ca_would_not_issue_is_refused(control, run_cli, tmp_path, make, args, message):
    path = tmp_path / "bad.csr"
    path.write_bytes(make())
    target = tmp_path / "signed.pem"
    code, out, err = run_cli("certs", "sign", str(path), "--ca", str(control), *args, "-o", str(target))
    assert code == 2 and message in err and "nothing was written" in err and out == ""
    assert not target.exists()


def test_a_folder_without_a_ca_and_an_encrypted_ca_key_without_passphrase(run_cli, tmp_path, monkeypatch):
    path = tmp_path / "box.csr"
    path.write_bytes(_csr(ec.generate_private_key(ec.SECP256R1())))
    code, _, err = run_cli("certs", "sign", str(path), "--ca", str(tmp_path))
    assert code == 2 and "no local CA in" in err
    monkeypatch.setenv("CA_PASS", "control node passphrase")
    ca = tmp_path / "locked"
    assert run_cli("certs", "init", "--preset", "maximum", *CA_SITE, "--passphrase-env", "CA_PASS",
                   "-o", str(ca))[0] == 0
    code, _, err = run_cli("certs", "sign", str(path), "--ca", str(ca))
    assert code == 2 and "is encrypted; give its passphrase" in err
    code, out, err = run_cli("certs", "sign", str(path), "--ca", str(ca), "--passphrase-env", "CA_PASS")
    assert code == 0 and out.count("BEGIN CERTIFICATE") == 3, err
    assert "control node passphrase" not in out + err


def test_the_certificate_never_outlives_the_intermediate(control):
    key = ec.generate_private_key(ec.SECP256R1())
    intermediate = x509.load_pem_x509_certificate((control / "certs" / "ca" / "intermediate-ca.pem").read_bytes())
    late = intermediate.not_valid_after_utc - dt.timedelta(days=30)
    signed = sign_request(control, _csr(key), days=398, now=late)
    assert signed.certificate.not_valid_after_utc <= intermediate.not_valid_after_utc
    assert signed.days < 31


def test_openssl_is_here():
    assert shutil.which("openssl"), "the CI script installs openssl"
