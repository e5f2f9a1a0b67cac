"""Generating a store: layout, modes, limits, progress, and nothing half-written on failure."""

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from certhelp import HOST, NOW, config
from pbxwizard.certs import authority, keys, policy
from pbxwizard.certs.checks import FAIL, OK, WARN, check_store
from pbxwizard.certs.generate import generate_store, steps
from pbxwizard.certs.layout import PREVIOUS, STAGING_PREFIX, Layout
from pbxwizard.errors import ConfigError, InvalidValue

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict:
    """Every file and folder under ``folder`` with its bytes and mode."""
    out = {}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else None
        out[str(path.relative_to(folder))] = (data, stat.S_IMODE(path.stat().st_mode))
    return out


def cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificates(path.read_bytes())[0]


def test_local_ca_store_has_the_documented_layout_and_private_modes(tmp_path):
    cfg = config(services__client_certificate_checks="high")
    result = generate_store(cfg, tmp_path, now=NOW)
    lay = Layout.for_output(tmp_path)
    expected = set(lay.all_files()) - {lay.identity.csr, lay.manager.csr}
    assert {p for p in lay.root.rglob("*") if p.is_file()} == expected
    assert sorted(result.written) == sorted(str(p.relative_to(lay.root)) for p in expected)
    for path in [lay.root, *lay.root.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert lay.root_key.parent.name == "offline" and "OFFLINE" in lay.root_key.name
    for path in (*lay.trusted.iterdir(), lay.identity.cert, lay.identity.chain, lay.root_cert):
        assert b"PRIVATE KEY" not in path.read_bytes(), path
    assert any("offline" in step for step in result.next_steps)


def _flushes_before_swap(events: list, output: Path) -> tuple[dict, int]:
    """(fsyncs per path inside the staged folder, os.sync calls) before it became certs/."""
    import collections

    swap = events.index(("rename", str(Layout.for_output(output).root)))
    staged = collections.Counter()
    for what, path in events[:swap]:
        if what == "fsync" and f"/{STAGING_PREFIX}" in path:
            staged[path.split(f"/{STAGING_PREFIX}", 1)[1].partition("/")[2]] += 1
    return staged, events[:swap].count(("sync", ""))


def test_each_file_of_a_new_store_is_flushed_once_before_the_swap(tmp_path, monkeypatch):
    """The staged store is private and never live: its files are written plainly and the
    tree is flushed once at commit (every file durable before the rename), not once per
    write and again at commit, which doubled a store's fsyncs. A local CA's tree (more
    paths than atomic.FSYNC_EACH_UP_TO) is flushed by one os.sync instead of an fsync each;
    a store of requests, a few paths, by an fsync each."""
    import os

    events = []
    real_fsync, real_sync, real_rename = os.fsync, os.sync, os.rename

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def sync():
        events.append(("sync", ""))
        return real_sync()

    def rename(src, dst, *args, **kwargs):
        events.append(("rename", str(dst)))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    monkeypatch.setattr(os, "rename", rename)
    generate_store(config(services__client_certificate_checks="high"), tmp_path / "ca", now=NOW)
    assert _flushes_before_swap(events, tmp_path / "ca") == ({}, 1) and events.count(("sync", "")) == 1, events
    events.clear()
    generate_store(config(certificates__mode="csr"), tmp_path / "csr", now=NOW)
    staged, syncs = _flushes_before_swap(events, tmp_path / "csr")
    root = Layout.for_output(tmp_path / "csr").root
    live = {str(p.relative_to(root)) for p in root.rglob("*")} | {""}
    assert set(staged) == live and set(staged.values()) == {1} and syncs == 0, staged


def test_local_ca_certificates_fit_their_roles(tmp_path):
    generate_store(config(services__client_certificate_checks="low"), tmp_path, now=NOW)
    lay = Layout.for_output(tmp_path)
    root, inter = cert(lay.root_cert), cert(lay.intermediate_cert)
    ident, manager = cert(lay.identity.cert), cert(lay.manager.cert)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 1
    assert inter.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    inter.verify_directly_issued_by(root)
    ident.verify_directly_issued_by(inter)
    san = ident.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [HOST]
    assert [str(a) for a in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert ExtendedKeyUsageOID.SERVER_AUTH in ident.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    eku = manager.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert (ident.not_valid_after_utc - NOW).days == 365  # medium preset's validity
    assert lay.identity.chain.read_bytes() == lay.identity.cert.read_bytes() + lay.intermediate_cert.read_bytes()
    assert not lay.pinned_manager.exists(), "only the high level pins the manager's certificate"
    report = check_store(tmp_path, config(services__client_certificate_checks="low"), now=NOW)
    assert not report.failed, [i.line() for i in report.failures()]
    assert [i.subject for i in report.items if i.level == WARN] == ["local CA"]  # the root key is still here


def test_rsa_store_and_min_key_size(tmp_path):
    cfg = config(certificates__key_type="rsa_2048", services__min_key_size=2048)
    generate_store(cfg, tmp_path, now=NOW)
    lay = Layout.for_output(tmp_path)
    usage = cert(lay.identity.cert).extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment
    assert not check_store(tmp_path, cfg, now=NOW).failed
    stricter = config(certificates__key_type="rsa_3072", services__min_key_size=3072)
    failed = check_store(tmp_path, stricter, now=NOW).failures("identity")
    assert any("below the 3072-bit minimum" in i.message and "RSA 2048" in i.message for i in failed)


def test_generation_refuses_weak_keys_whatever_the_config_says(tmp_path):
    # Config.replace skips the catalog's rules, as a hand-edited or buggy preset might
    weak = config().replace(**{"services.min_key_size": 4096})
    with pytest.raises(ConfigError, match="weaker than the 4096-bit minimum"):
        generate_store(weak, tmp_path)
    assert not any(tmp_path.iterdir())


def test_server_validity_is_capped_at_398_days(tmp_path):
    key = keys.generate("ecdsa_p256")
    ca = authority.make_root(key, "test root", NOW)
    leaf = authority.issue("identity", keys.generate("ecdsa_p256").public_key(), ca, key,
                           authority.Names((HOST,)), 5000, NOW)
    lifetime = leaf.not_valid_after_utc - leaf.not_valid_before_utc
    assert lifetime <= dt.timedelta(days=policy.MAX_SERVER_DAYS, minutes=5)


def test_progress_reports_each_step_then_done(tmp_path):
    cfg = config(services__client_certificate_checks="high")
    calls = []
    generate_store(cfg, tmp_path, progress=lambda done, total, text: calls.append((done, total, text)))
    plan = steps(cfg, "local_ca")
    assert [c[0] for c in calls] == list(range(len(plan) + 1))
    assert {c[1] for c in calls} == {len(plan)}
    assert [c[2] for c in calls[:-1]] == plan and calls[-1][2] == "Store ready"


@pytest.mark.parametrize("fail_at", [0, 3, 7])
def test_a_failure_midway_leaves_the_old_store_as_it_was(tmp_path, fail_at):
    cfg = config(services__client_certificate_checks="high")
    generate_store(cfg, tmp_path)
    before = snapshot(tmp_path)

    def broken(done, total, text):
        if done == fail_at:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        generate_store(cfg, tmp_path, replace=True, progress=broken)
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.glob(STAGING_PREFIX + "*")) and not (tmp_path / PREVIOUS).exists()


def test_a_failure_in_key_generation_leaves_no_store_at_all(tmp_path, monkeypatch):
    made = []
    real = keys.generate

    def flaky(key_type):
        if len(made) == 2:
            raise MemoryError("simulated")
        made.append(key_type)
        return real(key_type)

    monkeypatch.setattr(keys, "generate", flaky)
    with pytest.raises(MemoryError):
        generate_store(config(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_an_existing_store_is_replaced_only_when_asked_and_kept_once(tmp_path):
    cfg = config()
    generate_store(cfg, tmp_path)
    first = Layout.for_output(tmp_path).root_cert.read_bytes()
    with pytest.raises(ConfigError, match="already holds a store"):
        generate_store(cfg, tmp_path)
    assert Layout.for_output(tmp_path).root_cert.read_bytes() == first
    generate_store(cfg, tmp_path, replace=True)
    assert (tmp_path / PREVIOUS / "ca" / "root-ca.pem").read_bytes() == first
    second = Layout.for_output(tmp_path).root_cert.read_bytes()
    generate_store(cfg, tmp_path, replace=True)
    assert (tmp_path / PREVIOUS / "ca" / "root-ca.pem").read_bytes() == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["certs", "certs.previous"]


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    stale = tmp_path / (STAGING_PREFIX + "killed")
    (stale / "identity").mkdir(parents=True)
    (stale / "identity" / "pbx-key.pem").write_bytes(b"half a key")
    result = generate_store(config(), tmp_path)
    assert not stale.exists() and any("interrupted" in n for n in result.notes)


def test_csr_mode_writes_encrypted_keys_and_requests(tmp_path):
    cfg = config("maximum")  # csr mode, client certificate checks high, encrypted keys
    passphrase = b"a long enough passphrase"
    result = generate_store(cfg, tmp_path, passphrase=passphrase)
    lay = Layout.for_output(tmp_path)
    assert result.mode == "csr" and not lay.ca.exists()
    for role in (lay.identity, lay.manager):
        assert keys.is_encrypted(role.key.read_bytes())
        csr = x509.load_pem_x509_csr(role.csr.read_bytes())
        assert csr.is_signature_valid
        key = keys.load_private(role.key.read_bytes(), passphrase, "key")
        assert keys.public_der(key.public_key()) == keys.public_der(csr.public_key())
    csr = x509.load_pem_x509_csr(lay.identity.csr.read_bytes())
    assert csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName) == [HOST]
    waiting = check_store(tmp_path, cfg).failures("identity")
    assert waiting and "waiting for its signed certificate" in waiting[0].message
    assert any("import" in s for s in result.next_steps)


def test_encrypted_keys_need_a_passphrase_and_names(tmp_path):
    with pytest.raises(ConfigError, match="passphrase"):
        generate_store(config("maximum"), tmp_path)
    with pytest.raises(ConfigError, match="name no host"):
        generate_store(config(certificates__dns_names=(), certificates__ip_addresses=()), tmp_path)
    assert not any(tmp_path.iterdir())


def test_passphrases_are_checked_without_being_repeated():
    with pytest.raises(InvalidValue) as info:
        keys.check_passphrase("short-one")
    assert "short-one" not in str(info.value) and str(policy.MIN_PASSPHRASE) in str(info.value)
    assert keys.check_passphrase("twelve chars") == b"twelve chars"
    key = keys.generate("ecdsa_p256")
    pem = keys.private_pem(key, b"twelve chars")
    with pytest.raises(InvalidValue, match="does not open"):
        keys.load_private(pem, b"something else", "pbx-key.pem")
    with pytest.raises(InvalidValue, match="give its passphrase"):
        keys.load_private(pem, None, "pbx-key.pem")


def test_check_warns_before_expiry_and_fails_after(tmp_path):
    cfg = config()
    generate_store(cfg, tmp_path, now=NOW)
    end = cert(Layout.for_output(tmp_path).identity.cert).not_valid_after_utc
    soon = check_store(tmp_path, cfg, now=end - dt.timedelta(days=10)).about("identity")
    assert any(i.level == WARN and "expires in 10 days" in i.message for i in soon)
    late = check_store(tmp_path, cfg, now=end + dt.timedelta(days=1)).failures("identity")
    assert any("expired on" in i.message for i in late)
    early = check_store(tmp_path, cfg, now=NOW - dt.timedelta(days=2)).failures("identity")
    assert any("not valid before" in i.message for i in early)


def test_check_fails_a_store_with_more_than_six_certificates_and_offers_the_fix(tmp_path):
    cfg = config()
    generate_store(cfg, tmp_path, now=NOW)
    lay = Layout.for_output(tmp_path)
    extra = []
    for n in range(6):
        k = keys.generate("ecdsa_p256")
        extra.append(authority.make_root(k, f"device {n}", NOW))
    lay.trusted_cas.write_bytes(lay.trusted_cas.read_bytes() + authority.pem(extra))
    failed = check_store(tmp_path, cfg, now=NOW).failures("trusted store")
    assert len(failed) == 1 and "7 certificates" in failed[0].message
    assert "intermediate CA" in failed[0].fix


def test_check_names_what_the_certificate_does_not_cover(tmp_path):
    generate_store(config(), tmp_path, now=NOW)
    wider = config(certificates__dns_names=(HOST, "voip.example.test"), certificates__ip_addresses=("192.0.2.5",))
    failed = check_store(tmp_path, wider, now=NOW).failures("identity")
    assert len(failed) == 1 and "voip.example.test, 192.0.2.5" in failed[0].message
    assert all(i.level == OK for i in check_store(tmp_path, config(), now=NOW).about("identity"))


def test_check_catches_a_chain_file_from_another_store(tmp_path):
    generate_store(config(), tmp_path / "a", now=NOW)
    generate_store(config(), tmp_path / "b", now=NOW)
    a, b = Layout.for_output(tmp_path / "a"), Layout.for_output(tmp_path / "b")
    b.trusted_cas.write_bytes(a.trusted_cas.read_bytes())  # trust the other store's root
    failed = [i.message for i in check_store(tmp_path / "b", config(), now=NOW).failures()]
    assert any("different key" in m or "not in the trusted store" in m or "chain stops" in m for m in failed), failed


def test_check_without_a_store_is_bad_input(tmp_path):
    with pytest.raises(ConfigError, match="no certificate store"):
        check_store(tmp_path)
    (tmp_path / PREVIOUS).mkdir()
    with pytest.raises(ConfigError, match="rename it back"):
        check_store(tmp_path)


def test_readme_draws_every_file_of_the_layout():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Output"):readme.index("## Settings")]
    lay = Layout(Path("certs"))
    for path in lay.all_files():
        assert path.name in section, f"README's Output tree lacks {path}"
    for folder in ("ca/", "offline/", "identity/", "trusted/", "manager/", "csr/"):
        assert folder in section
