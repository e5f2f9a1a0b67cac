"""QR codes through a real decoder (zxing-cpp), and the pair / verify-token / revoke commands."""

import re
import stat

import pytest

from pbxwizard.cli import pairing as cli_pairing
from pbxwizard.pairing import tokens, codefiles, qr
from qrhelp import HALF_BLOCKS, HASHES, decode_png, decode_text

KEY = bytes(range(32))
LONG_DOMAIN = ".".join(["a" * 60, "b" * 60, "c" * 60, "example"])  # 191 characters


def _token(domain="pbx.example.com", server="192.0.2.10:5061", ext="2001"):
    return tokens.issue(KEY, ext, domain, server, ttl=86400, now=lambda: 1_800_000_000)


def test_terminal_size_payload_fits_version_10_and_round_trips():
    token = _token(domain="tenant-one.pbx.example.com", server="[2001:db8:85a3::8a2e:370:7334]:5061")
    code = qr.make(token.uri)
    assert code.version <= qr.MAX_SCREEN_VERSION
    assert decode_png(qr.png(code)) == [token.uri]


def test_long_domain_round_trips():
    token = _token(domain=LONG_DOMAIN)
    code = qr.make(token.uri)
    assert code.version > qr.MAX_SCREEN_VERSION  # dense, but still exact
    assert decode_png(qr.png(code, scale=6)) == [token.uri]


@pytest.mark.parametrize("dark_background", [True, False])
def test_half_block_rendering_decodes(dark_background):
    token = _token()
    text = qr.terminal(qr.make(token.uri), style=qr.BLOCKS, dark_background=dark_background)
    assert set(text) <= set(HALF_BLOCKS) | {"\n"}
    assert decode_text(text, cell_w=1, cell_h=2, ink=HALF_BLOCKS) == [token.uri]


def test_ascii_rendering_decodes():
    token = _token()
    text = qr.terminal(qr.make(token.uri), style=qr.ASCII)
    assert set(text) <= {"#", " ", "\n"}
    assert decode_text(text, cell_w=1, cell_h=1, ink=HASHES) == [token.uri]


def test_svg_draws_exactly_the_modules():
    code = qr.make(_token().uri)
    svg = qr.svg(code)
    side = code.size + 2 * qr.BORDER
    assert f'viewBox="0 0 {side} {side}"' in svg
    drawn = [[False] * code.size for _ in range(code.size)]
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for i in range(int(run)):
            drawn[int(y) - qr.BORDER][int(x) - qr.BORDER + i] = True
    assert tuple(tuple(r) for r in drawn) == code.modules


def test_svg_names_the_text_its_code_holds():
    uri = _token().uri
    svg = qr.svg(qr.make(uri))
    assert "&amp;i=" in svg and qr.payload_of(svg) == uri
    assert qr.payload_of('<svg xmlns="http://www.w3.org/2000/svg"/>') is None


@pytest.mark.parametrize("level", list(qr.LEVELS))
def test_fast_mask_choice_matches_qrcode_module_for_module(level):
    import random
    import string

    import qrcode

    rng = random.Random(7)
    for length in list(range(1, 40, 3)) + [100, 150, 213, 214, 300, 420]:  # versions 1 to 15 at M
        payload = "".join(rng.choice(string.ascii_letters + string.digits + ":/?&=.-_") for _ in range(length))
        ref = qrcode.QRCode(error_correction=getattr(qrcode.constants, f"ERROR_CORRECT_{level}"), border=0)
        ref.add_data(payload.encode(), optimize=0)
        ref.make(fit=True)
        code = qr.make(payload, level)
        assert (code.version, code.error_correction) == (ref.version, level)
        assert code.modules == tuple(tuple(bool(m) for m in row) for row in ref.get_matrix()), length


def test_fit_takes_m_then_l_then_gives_up():
    """80x24 less the text beside the code holds version 6: M up to 106 bytes, L up to 134."""
    for length, level in ((106, "M"), (107, "L"), (134, "L")):
        code = qr.fit("a" * length, 54, 24)
        assert (code.version, code.error_correction) == (6, level)
        assert qr.drawing_size(code) == (45, 23)
        assert decode_text(qr.terminal(code)) == ["a" * length]
    assert qr.fit("a" * 135, 54, 24) is None  # version 7 needs 49x25: never a cut-off code
    smaller = qr.fit("a" * 106, 44, 22)  # version 5 holds 106 bytes at L
    assert (smaller.version, smaller.error_correction, qr.drawing_size(smaller)) == (5, "L", (41, 21))
    assert qr.fit("a" * 107, 44, 24) is None and qr.fit("a" * 107, 45, 22) is None
    assert qr.drawing_size(qr.make("a" * 106), qr.ASCII) == (90, 45)


@pytest.mark.parametrize("dark_background", [True, False])
def test_text_beside_the_code_keeps_its_quiet_zone(dark_background):
    code = qr.make(_token().uri)
    drawing = qr.terminal(code, dark_background=dark_background)
    columns, lines = qr.drawing_size(code)
    both = qr.beside(drawing, columns, ["", "Pairing code for 2001", "expires: tomorrow"]).split("\n")
    assert len(both) == lines and both[1][columns:] == "  Pairing code for 2001"
    assert [line[:columns].rstrip() for line in both] == drawing.split("\n")


def test_terminal_style_choice():
    """Half blocks wherever the output encodes them, the Linux console included (issue 11)."""
    assert qr.terminal_style("ascii") == qr.ASCII
    assert qr.terminal_style("utf-8") == qr.BLOCKS
    assert qr.terminal_style("cp437") == qr.BLOCKS  # the console fonts' code page has them


def test_parallel_writing_matches_serial(tmp_path):
    tokens = [_token(ext=str(3000 + i)) for i in range(codefiles.PARALLEL_FROM + 6)]
    versions = codefiles.write_codes(tmp_path / "p", tokens, workers=2)
    assert len(versions) == len(tokens)
    for token in (tokens[0], tokens[37], tokens[-1]):
        assert decode_png((tmp_path / "p" / f"{token.extension}.png").read_bytes()) == [token.uri]
    assert stat.S_IMODE((tmp_path / "p" / "3000.png").stat().st_mode) == 0o600


# --- the commands --------------------------------------------------------------------------

def test_pair_writes_codes_that_verify(tmp_path, run_cli):
    out = tmp_path / "out"
    code, text, err = run_cli("pair", "201", "--domain", "pbx.example.com", "--server", "192.0.2.10:5061",
                              "--ttl", "1h", "--output", str(out))
    assert code == 0, err
    assert "\u2580" in text or "\u2584" in text
    assert "1 hour from now" in text
    folder = out / "pairing"
    for name in ("201.png", "201.svg"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (uri,) = decode_png((folder / "201.png").read_bytes())
    code, text, _ = run_cli("verify-token", uri, "--output", str(out))
    assert code == 0 and text.startswith("valid")
    token_id = re.search(r"id:\s+(\S+)", run_cli("pair", "202", "--domain", "pbx.example.com", "--server",
                                                 "192.0.2.10", "--output", str(out), "--ascii")[1]).group(1)
    assert run_cli("revoke", token_id, "--output", str(out))[0] == 0
    (uri2,) = decode_png((folder / "202.png").read_bytes())
    code, text, _ = run_cli("verify-token", uri2, "--output", str(out))
    assert code == 1 and text.startswith("revoked")
    code, text, _ = run_cli("verify-token", uri[:-3] + "AAA", "--output", str(out))
    assert code == 1 and text.startswith("tampered")
    code, text, _ = run_cli("verify-token", "not a token", "--output", str(out))
    assert code == 2 and text.startswith("malformed")


def test_pair_expired_with_injected_clock(tmp_path, run_cli, monkeypatch):
    out = tmp_path / "out"
    clock = [1_800_000_000]
    monkeypatch.setattr(cli_pairing, "_store", lambda args: tokens.Store(out, now=lambda: clock[0]))
    assert run_cli("pair", "201", "--domain", "pbx.example.com", "--server", "pbx.example.com",
                   "--ttl", "5m", "--output", str(out), "--no-terminal")[0] == 0
    (uri,) = decode_png((out / "pairing" / "201.png").read_bytes())
    clock[0] += 299
    assert run_cli("verify-token", uri, "--output", str(out))[0] == 0
    clock[0] += 1
    code, text, _ = run_cli("verify-token", uri, "--output", str(out))
    assert code == 1 and text.startswith("expired")


def test_pair_uses_the_config_and_explains_no_expiry(tmp_path, run_cli, stdin):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "medium", "--set", "pairing.domain=pbx.example.com",
                   "--set", "pairing.server=pbx.example.com:5061", "--set", "pairing.barcode_duration=off",
                   "--output", str(out))[0] == 0
    stdin("$scrypt$the-users-hash\n")
    code, text, err = run_cli("pair", "201", "--output", str(out), "--no-terminal")
    assert code == 0, err
    assert "never" in text and "password changes" in text and str(out / "security.toml") in text
    assert "the-users-hash" not in text + err
    (uri,) = decode_png((out / "pairing" / "201.png").read_bytes())
    assert "e=never" in uri and "the-users-hash" not in uri
    stdin("$scrypt$the-users-hash\n")
    assert run_cli("verify-token", uri, "--output", str(out))[0] == 0
    stdin("$scrypt$after-a-password-change\n")
    code, text, _ = run_cli("verify-token", uri, "--output", str(out))
    assert code == 1 and "password changed" in text
    _, explained, _ = run_cli("explain", "pairing.barcode_duration")
    assert "breaks the pairing" in explained


def test_pair_needs_domain_and_server(tmp_path, run_cli):
    code, _, err = run_cli("pair", "201", "--output", str(tmp_path / "o"))
    assert code == 2 and "--domain" in err and "--server" in err
    assert not (tmp_path / "o").exists()
    code, _, err = run_cli("pair", "201", "--domain", "x.example", "--server", "999.1.1.1", "--output", str(tmp_path / "o"))
    assert code == 2 and "999.1.1.1" in err


def test_pair_all_writes_codes_and_sheet(tmp_path, run_cli):
    csv = tmp_path / "ext.csv"
    csv.write_text("extension,name,domain\n201,Alice Example,\n202,Bob <b>,other.example.com\n\n203,,\n")
    out = tmp_path / "out"
    code, text, err = run_cli("pair", "--all", "--extensions", str(csv), "--domain", "pbx.example.com",
                              "--server", "192.0.2.10", "--output", str(out))
    assert code == 0, err
    assert "made 3 pairing codes" in text
    folder = out / "pairing"
    assert sorted(p.name for p in folder.iterdir()) == [
        "201.png", "201.svg", "202.png", "202.svg", "203.png", "203.svg", "sheet.html"]
    sheet = (folder / "sheet.html").read_text()
    for ext in ("201", "202", "203"):
        assert f'src="{ext}.svg"' in sheet and f"<b>{ext}</b>" in sheet
    assert sheet.count("<br>until ") == 3 and "Bob &lt;b&gt;" in sheet
    assert sheet.count("other.example.com") == 1, "a cell names its domain only when it differs"
    (uri,) = decode_png((folder / "202.png").read_bytes())
    assert "202@other.example.com" in uri


def test_pair_all_reports_every_bad_row(tmp_path, run_cli):
    csv = tmp_path / "ext.csv"
    csv.write_text("extension,server\n201,\n../x,\n201,\n204,300.0.0.1\n")
    code, _, err = run_cli("pair", "--all", "--extensions", str(csv), "--domain", "pbx.example.com",
                           "--server", "192.0.2.10", "--output", str(tmp_path / "o"))
    assert code == 2 and "ext.csv:3: extension" in err and "ext.csv:4: 201: listed twice" in err
    assert not (tmp_path / "o" / "pairing").exists()
    csv.write_text("ext,name\n1,a\n")
    code, _, err = run_cli("pair", "--all", "--extensions", str(csv), "--output", str(tmp_path / "o"))
    assert code == 2 and "must name the columns" in err


def test_pair_many_without_expiry_needs_each_users_hash(tmp_path):
    store = tokens.Store(tmp_path, now=lambda: 1_800_000_000)
    rows = codefiles.read_extensions("extension,password_hash\n201,$scrypt$one\n202,\n", "x.csv")
    with pytest.raises(codefiles.ConfigError) as info:
        codefiles.pair_many(store, rows, domain="pbx.example.com", server="192.0.2.10", ttl=None, source="x.csv")
    assert [str(p) for p in info.value.problems] == [
        "x.csv:3: 202: a code with no expiry needs this user's password_hash column"]
    assert not (tmp_path / "pairing").exists()
    rows = rows[:1]
    batch = codefiles.pair_many(store, rows, domain="pbx.example.com", server="192.0.2.10", ttl=None)
    (token, _), = batch.tokens
    assert store.verify(token.uri, password_hash="$scrypt$one").ok
    assert "works until the user&#x27;s password changes" in batch.sheet.read_text()


def test_bitwise_penalty_equals_qrcodes_own_score():
    """qr_penalty must score exactly like qrcode's util.lost_point, or the chosen mask drifts."""
    import random

    from qrcode import util

    from pbxwizard.pairing.qr_penalty import columns_to_ints, pack, penalty_packed, rows_to_ints

    def penalty(modules):
        n = len(modules)
        return penalty_packed(pack(rows_to_ints(modules), n), pack(columns_to_ints(modules), n), n)

    rng = random.Random(7)
    for n in (21, 25, 45, 57):
        for bias in (0.2, 0.5, 0.8):
            modules = [[rng.random() < bias for _ in range(n)] for _ in range(n)]
            assert penalty(modules) == util.lost_point(modules), (n, bias)
    stripes = [[(c // 6) % 2 == 0 for c in range(21)] for _ in range(21)]  # long runs, many 2x2 blocks
    assert penalty(stripes) == util.lost_point(stripes)
