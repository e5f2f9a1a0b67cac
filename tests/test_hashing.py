"""Password hashes: argon2id for new ones (PHC string form), scrypt ones from earlier versions
still verify and are hashed again when the password is next set."""

from __future__ import annotations

import pytest

from pbxwizard.errors import InvalidValue
from pbxwizard.passwords import argon2id, hashing

OLD = hashing.Params(log_n=10)  # a cheap scrypt hash, as earlier versions wrote them (at ln=17)
SALT = "AAAAAAAAAAAAAAAAAAAAAA"


def test_new_hashes_are_argon2id_at_owasp_first_choice_in_phc_form():
    assert hashing.DEFAULT == argon2id.Params(memory_kib=19_456, iterations=2, lanes=1)
    stored = hashing.hash_password("correct horse battery")
    head, version, params, salt, key = stored.split("$")[1:]
    assert (head, version, params) == ("argon2id", "v=19", "m=19456,t=2,p=1")
    assert len(hashing._unb64(salt)) == 16 and len(hashing._unb64(key)) == 32 and "=" not in salt + key
    assert hashing.verify_password("correct horse battery", stored)
    assert not hashing.verify_password("correct horse batterz", stored)
    assert not hashing.needs_rehash(stored)


def test_the_phc_string_is_the_standard_one():
    """RFC 9106's encoding as the reference implementation writes it: the same password, salt and
    parameters give the same string (argon2's own test vector, "password" / "somesalt")."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    if not hasattr(Argon2id, "verify_phc_encoded"):
        pytest.skip("cryptography too old to cross-check PHC strings")
    stored = hashing.hash_password("password", argon2id.Params(memory_kib=256, iterations=2))
    Argon2id.verify_phc_encoded(b"password", stored)  # cryptography's own parser accepts ours
    theirs = Argon2id(salt=b"somesalt" * 2, length=32, iterations=2, lanes=1, memory_cost=256).derive_phc_encoded(
        b"password")
    assert hashing.verify_password("password", theirs) and hashing.parse_hash(theirs)[0] == (256, 2, 1)


def test_scrypt_hashes_from_earlier_versions_still_verify_and_need_a_rehash():
    old = hashing.hash_password("Rotating-Pass-1-Qz", OLD)
    assert old.startswith("$scrypt$ln=10,r=8,p=1$")
    assert hashing.verify_password("Rotating-Pass-1-Qz", old)
    assert not hashing.verify_password("Rotating-Pass-2-Qz", old)
    assert hashing.needs_rehash(old)
    assert hashing.needs_rehash(hashing.hash_password("x", argon2id.Params(memory_kib=256, iterations=1)))
    assert hashing.needs_rehash("not a hash at all")


def test_a_password_set_again_replaces_a_scrypt_hash_with_argon2id(fast_hashing):
    from pbxwizard.passwords import accounts
    from pbxwizard.run import request
    from pbxwizard.settings import presets

    config = request.resolve(presets.load(include_user=False), preset="medium").config  # previous_limit 4
    older, current = (hashing.hash_password(f"Rotating-Pass-{i}-Qz", OLD) for i in (0, 1))
    config = config.with_accounts({"administrator": current}, {"administrator": (older,)})
    with pytest.raises(Exception, match="last 4 passwords"):
        accounts.set_passwords(config, {"administrator": "Rotating-Pass-0-Qz"})  # scrypt history still counts
    same = accounts.set_passwords(config, {"administrator": "Rotating-Pass-1-Qz"})  # hashed again, not a reuse
    assert same.accounts["administrator"].startswith("$argon2id$")
    assert same.account_history == {"administrator": (older,)}
    new = accounts.set_passwords(config, {"administrator": "Rotating-Pass-2-Qz"})
    assert new.accounts["administrator"].startswith("$argon2id$")
    assert new.account_history == {"administrator": (current, older)}


@pytest.mark.parametrize("bad", [
    "$argon2id$", "$argon2id$v=19$m=256,t=1,p=1$" + SALT,
    f"$argon2id$v=16$m=256,t=1,p=1${SALT}${SALT}",                 # Argon2 1.0: never written
    f"$argon2id$v=19$m=4194304,t=1,p=1${SALT}${SALT}",             # 4 GiB: a memory bomb
    f"$argon2id$v=19$m=256,t=1000,p=1${SALT}${SALT}",              # a time bomb
    f"$argon2id$v=19$m=8,t=1,p=4${SALT}${SALT}",                   # under 8 KiB a lane
    f"$argon2id$v=19$t=1,m=256,p=1${SALT}${SALT}",                 # PHC order is m, t, p
    f"$argon2id$v=19$m=256,t=1,p=1,p=1${SALT}${SALT}",
    f"$argon2id$v=19$m=256,t=1,p=1$short${SALT}",
    f"$argon2id$v=19$m=256,t=1,p=1${SALT}$not*base64",
    f"$argon2i$v=19$m=256,t=1,p=1${SALT}${SALT}",
])
def test_malformed_argon2id_hashes_are_refused_without_echoing_them(bad):
    with pytest.raises(InvalidValue) as info:
        hashing.parse_hash(bad)
    if len(bad) > 12:
        assert bad not in str(info.value)
    assert not hashing.is_hash(bad)


def test_the_previous_password_check_finds_a_match_anywhere_in_the_history(fast_hashing):
    history = [hashing.hash_password(f"Old-pass-{i}-qz") for i in range(6)]
    history.insert(3, hashing.hash_password("Old-pass-scrypt-qz", OLD))
    for i in range(6):
        assert hashing.matches_any(f"Old-pass-{i}-qz", history)
    assert hashing.matches_any("Old-pass-scrypt-qz", history)
    assert not hashing.matches_any("Never-used-qz", history)
    assert hashing.matches_any("Old-pass-5-qz", history[-1:]) and not hashing.matches_any("x", [])
    argon_only = [h for h in history if h.startswith("$argon2id$")]
    assert hashing.matches_any("Old-pass-0-qz", argon_only) and not hashing.matches_any("Never-used-qz", argon_only)


def test_without_argon2_in_the_crypto_library_new_hashes_fall_back_to_scrypt(monkeypatch):
    """cryptography built on an OpenSSL older than 3.2 (or LibreSSL) has no Argon2id."""
    from cryptography.exceptions import UnsupportedAlgorithm

    def unsupported(*args, **kwargs):
        raise UnsupportedAlgorithm("argon2id is not supported by this version of OpenSSL.")

    monkeypatch.setattr(argon2id, "kdf", unsupported)
    stored = hashing.hash_password("Harbour-Quokka-Lantern-1")
    assert stored.startswith("$scrypt$ln=17,r=8,p=1$") and hashing.verify_password("Harbour-Quokka-Lantern-1", stored)


def test_apply_given_the_password_of_a_scrypt_hash_stores_it_as_argon2id_once(tmp_path, monkeypatch):
    """The same password is hashed again, not refused as a reuse; the history stays; the run
    after that keeps the new hash (nothing written)."""
    from pbxwizard.run.execute import Secrets, execute
    from pbxwizard.run.plan import make_plan
    from pbxwizard.run.request import resolve
    from pbxwizard.settings import presets, tomlfile

    resolved = resolve(presets.load(include_user=False), preset="medium")  # previous_limit 4
    out, given = tmp_path / "out", {"administrator": "Copper-Meadow-Falcon-58!"}

    def run():
        plan = make_plan(resolved, out, new_passwords=given)
        execute(plan, Secrets({n: given[n] for n in plan.new_passwords}))
        return plan, tomlfile.load(out / "security.toml")

    monkeypatch.setattr(hashing, "DEFAULT", OLD)  # as an earlier version stored it
    _, before = run()
    assert before.accounts["administrator"].startswith("$scrypt$")
    monkeypatch.setattr(hashing, "DEFAULT", argon2id.Params(memory_kib=256, iterations=1))
    plan, after = run()
    assert plan.new_passwords == ("administrator",) and plan.kept_passwords == ()
    assert after.accounts["administrator"].startswith("$argon2id$")
    assert hashing.verify_password(given["administrator"], after.accounts["administrator"])
    assert after.history == before.history == {}
    plan, again = run()
    assert plan.kept_passwords == ("administrator",) and not plan.changed
    assert again.accounts == after.accounts
