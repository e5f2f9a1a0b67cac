"""Pairing tokens: validity window (injected clock), tampering, revocation, malformed input."""

import base64
import stat

import pytest

from pbxwizard.pairing import tokens
from pbxwizard.errors import ConfigError, InvalidValue

KEY = bytes(range(32))
T0 = 1_800_000_000


class Clock:
    def __init__(self, t=T0):
        self.t = t

    def __call__(self):
        return self.t


def _issue(clock=None, ttl=3600, **kw):
    return tokens.issue(KEY, "201", "pbx.example.com", "192.0.2.10:5061", ttl=ttl, now=clock or Clock(), **kw)


def test_valid_until_expiry_and_not_after():
    clock = Clock()
    token = _issue(clock, ttl=3600)
    assert token.expires == T0 + 3600
    for t in (T0, T0 + 1800, T0 + 3599):
        clock.t = t
        assert tokens.verify(KEY, token.uri, now=clock).status == tokens.VALID
    for t in (T0 + 3600, T0 + 3601, T0 + 10 ** 6):
        clock.t = t
        result = tokens.verify(KEY, token.uri, now=clock)
        assert result.status == tokens.EXPIRED and result.token == token


def test_token_fields_and_format():
    token = _issue()
    assert token.uri.startswith("pbx-pair://192.0.2.10:5061/201@pbx.example.com?e=1800003600&i=")
    assert len(token.id) == tokens.ID_CHARS and f"&i={token.id}&s=" in token.uri
    assert len(token.uri.rpartition("&s=")[2]) == tokens.SIG_CHARS
    result = tokens.verify(KEY, token.uri, now=Clock())
    assert (result.token.extension, result.token.domain, result.token.server) == ("201", "pbx.example.com", "192.0.2.10:5061")
    assert _issue().id != token.id, "ids are random"


@pytest.mark.parametrize("mask", [0x01, 0x02, 0x20, 0x40, 0x80])
def test_one_flipped_byte_anywhere_is_tampered(mask):
    token = _issue().uri
    for i in range(len(token)):
        changed = token[:i] + chr(ord(token[i]) ^ mask) + token[i + 1:]
        result = tokens.verify(KEY, changed, now=Clock())
        assert result.status == tokens.TAMPERED, (i, mask, result)
        assert result.token is None


def test_flipped_bit_in_the_signature_bytes_is_tampered():
    token = _issue().uri
    body, sig = token[:-tokens.SIG_CHARS], token[-tokens.SIG_CHARS:]
    raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
    for byte in range(len(raw)):
        for bit in range(8):
            raw[byte] ^= 1 << bit
            forged = body + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
            raw[byte] ^= 1 << bit
            assert tokens.verify(KEY, forged, now=Clock()).status == tokens.TAMPERED


def test_other_key_is_tampered():
    token = _issue().uri
    assert tokens.verify(bytes(32), token, now=Clock()).status == tokens.TAMPERED


def test_expiry_cannot_be_swapped_for_never():
    token = _issue().uri
    forged = token.replace("e=1800003600", "e=never")
    assert tokens.verify(KEY, forged, now=Clock(), password_hash="anything").status == tokens.TAMPERED


@pytest.mark.parametrize("text", ["", "hello", "x" * 601, "pbx-pair://" + "a" * 40])
def test_malformed(text):
    assert tokens.verify(KEY, text, now=Clock()).status == tokens.MALFORMED


def test_not_text_is_malformed():
    assert tokens.verify(KEY, None, now=Clock()).status == tokens.MALFORMED  # type: ignore[arg-type]


def test_signed_junk_is_malformed():
    body = "pbx-pair://host.example/ext?x=1&y=2&z=3&s="  # a key holder signing something that is no token
    junk = body + tokens._sign(KEY, body, None)
    result = tokens.verify(KEY, junk, now=Clock())
    assert result.status == tokens.MALFORMED and "signed, but" in result.reason


def test_no_expiry_is_bound_to_the_password_hash():
    token = _issue(ttl=None, password_hash="$scrypt$hash-one")
    assert token.expires is None and "e=never" in token.uri
    far = Clock(T0 + 50 * 365 * 86400)
    assert tokens.verify(KEY, token.uri, now=far, password_hash="$scrypt$hash-one").ok
    changed = tokens.verify(KEY, token.uri, now=far, password_hash="$scrypt$hash-two")
    assert changed.status == tokens.TAMPERED and "password changed" in changed.reason
    assert tokens.verify(KEY, token.uri, now=far).status == tokens.TAMPERED
    with pytest.raises(InvalidValue, match="password hash"):
        _issue(ttl=None)


@pytest.mark.parametrize("field,value", [
    ("extension", "../etc"), ("extension", ".hidden"), ("extension", "a b"), ("extension", ""),
    ("domain", "-bad-.example"), ("domain", "bücher.example"), ("server", "300.1.1.1"),
    ("server", "pbx.example.com:99999"), ("server", "[2001:db8::1"),
])
def test_issue_checks_its_fields(field, value):
    args = {"extension": "201", "domain": "pbx.example.com", "server": "192.0.2.10"}
    args[field] = value
    with pytest.raises(InvalidValue):
        tokens.issue(KEY, args["extension"], args["domain"], args["server"], ttl=60, now=Clock())


def test_ipv6_server_round_trips():
    token = tokens.issue(KEY, "201", "pbx.example.com", "[2001:db8::1]:5061", ttl=60, now=Clock())
    assert tokens.verify(KEY, token.uri, now=Clock()).token.server == "[2001:db8::1]:5061"


def test_store_key_made_once_private(tmp_path):
    store = tokens.Store(tmp_path / "out", now=Clock())
    key = store.key()
    assert len(key) == 32 and store.key() == key
    assert stat.S_IMODE(store.key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.key_path.parent.stat().st_mode) == 0o700
    assert tokens.Store(tmp_path / "other").key() != key


def test_damaged_key_is_never_replaced(tmp_path):
    store = tokens.Store(tmp_path, now=Clock())
    store.key_path.write_bytes(b"short")
    with pytest.raises(ConfigError, match="damaged"):
        store.key()
    assert store.key_path.read_bytes() == b"short"


def test_revoked_is_refused(tmp_path):
    clock = Clock()
    store = tokens.Store(tmp_path, now=clock)
    a = store.issue("201", "pbx.example.com", "192.0.2.10", ttl=600)
    b = store.issue("202", "pbx.example.com", "192.0.2.10", ttl=600)
    assert store.revoke(a.id) == (a.id, True)
    assert store.revoke(a.uri) == (a.id, False), "a whole token names its id"
    assert store.verify(a.uri).status == tokens.REVOKED
    assert store.verify(b.uri).ok
    assert stat.S_IMODE(store.revoked_path.stat().st_mode) == 0o600
    store.revoke(b.uri)
    assert tokens.Store(tmp_path, now=clock).revoked() == {a.id, b.id}
    with pytest.raises(InvalidValue):
        store.revoke("not-an-id")


def test_key_never_shows_in_tokens_or_reasons():
    token = _issue()
    shown = [token.uri] + [tokens.verify(KEY, t, now=Clock()).reason
                           for t in (token.uri, token.uri[:-1] + "A", "junk")]
    for encoding in (KEY.hex(), base64.b64encode(KEY).decode(), base64.urlsafe_b64encode(KEY).decode()):
        assert not any(encoding in s for s in shown)


# --- ids, extensions and revoke checks (issue 10) ----------------------------------------------

def test_revoke_refuses_an_id_this_folder_never_issued(run_cli, tmp_path):
    store = tokens.Store(tmp_path)
    token = store.issue("201", "example.com", "pbx.example.com", ttl=3600)
    typo = token.id[:5] + ("A" if token.id[5] != "A" else "B") + token.id[6:]
    for wrong in (typo, "AAAAAAAAAAAA"):
        code, out, err = run_cli("revoke", wrong, "--output", str(tmp_path))
        assert code == 2 and "is not a code this folder's key made" in err and not out
    assert not store.revoked_path.exists()
    assert store.verify(token.uri).status == tokens.VALID
    code, out, _ = run_cli("revoke", token.id, "--output", str(tmp_path))
    assert code == 0 and out.startswith(f"revoked {token.id}")


def test_revoke_refuses_a_folder_without_a_pairing_key(run_cli, tmp_path):
    empty = tmp_path / "empty"
    code, _, err = run_cli("revoke", "AAAAAAAAAAAA", "--output", str(empty))
    assert code == 2 and "no pairing key here yet" in err
    assert not (empty / tokens.REVOKED_NAME).exists()


def test_a_whole_token_signed_by_this_key_is_revoked_even_with_an_id_from_before(tmp_path):
    store = tokens.Store(tmp_path)
    token = store.issue("201", "example.com", "pbx.example.com", ttl=3600)
    body = token.uri[:token.uri.index("&i=") + 3] + "AAAAAAAAAAAA&s="  # an id made before ids had a MAC
    old = body + tokens._sign(store.key(), body, None)
    assert not tokens.issued_with(store.key(), "AAAAAAAAAAAA")
    assert store.revoke(old) == ("AAAAAAAAAAAA", True)
    assert store.verify(old).status == tokens.REVOKED


def test_ids_never_start_with_a_dash(tmp_path):
    key = tokens.Store(tmp_path).key()
    ids = [tokens.issue(key, "201", "example.com", "pbx.example.com", ttl=60).id for _ in range(2000)]
    assert not [i for i in ids if i.startswith("-")]
    assert all(tokens.issued_with(key, i) for i in ids) and len(set(ids)) == len(ids)


@pytest.mark.parametrize("bad", ["-rf", "--", "-", "_x", ".hidden"])
def test_extensions_must_start_with_a_letter_or_digit(run_cli, tmp_path, bad):
    code, _, err = run_cli("pair", "--domain", "example.com", "--server", "pbx.example.com",
                           "--no-terminal", "--output", str(tmp_path), "--", bad)
    assert code == 2 and "starting with a letter or digit" in err
    users = tmp_path / "users.csv"
    users.write_text(f"extension\n201\n{bad}\n")
    code, _, err = run_cli("pair", "--all", "--extensions", str(users), "--domain", "example.com",
                           "--server", "pbx.example.com", "--output", str(tmp_path))
    assert code == 2 and f"{users}:3: extension: {bad!r} is not an extension" in err
    assert not (tmp_path / "pairing").exists()


def test_tokens_are_read_from_stdin_with_a_dash(tmp_path, monkeypatch, capsys):
    import io

    from pbxwizard.cli import main

    store = tokens.Store(tmp_path)
    token = store.issue("201", "example.com", "pbx.example.com", ttl=3600)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{token.uri}\n".encode())))
    assert main(["verify-token", "-", "--output", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("valid:")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{token.uri}\n".encode())))
    assert main(["revoke", "-", "--output", str(tmp_path)]) == 0
    assert store.verify(token.uri).status == tokens.REVOKED


# --- the CSV of extensions as spreadsheets write it (issue 10) -------------------------------

def test_a_bom_header_is_read(tmp_path):
    from pbxwizard.pairing import codefiles

    rows = codefiles.read_extensions("\ufeffextension,name\n201,Ann\n", "users.csv")
    assert [(r.extension, r.name) for r in rows] == [("201", "Ann")]


def test_a_column_named_twice_is_refused(tmp_path):
    from pbxwizard.pairing import codefiles

    with pytest.raises(ConfigError, match="users.csv:1: \\(header\\): column\\(s\\) named twice: extension"):
        codefiles.read_extensions("extension,extension\n201,202\n", "users.csv")


def test_a_field_over_the_csv_limit_is_a_message_not_a_traceback(run_cli, tmp_path):
    users = tmp_path / "users.csv"
    users.write_text("extension,name\n201," + "x" * 140_000 + "\n")
    code, _, err = run_cli("pair", "--all", "--extensions", str(users), "--domain", "example.com",
                           "--server", "pbx.example.com", "--output", str(tmp_path / "out"))
    assert code == 2 and f"{users}:2: (line): not a CSV line this tool reads: field larger than field limit" in err
    assert not (tmp_path / "out").exists()
