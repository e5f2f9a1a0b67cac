"""Pairing codes on disk: ``pairing/EXT.png`` and ``.svg`` per extension, the CSV of
extensions for bulk runs, and one printable sheet.

A pairing code lets whoever holds it pair a phone as that extension, so the files are
written like secrets (0600, folder 0700). Bulk runs compute each QR matrix once, write the
PNG straight from it, and spread the work over the machine's cores in worker processes.
"""


import io
import os
from pathlib import Path
from typing import Iterable, NamedTuple

from pbxwizard.pairing import qr
from pbxwizard.pairing.tokens import Store, Token, check_extension, format_time, issue
from pbxwizard.errors import ConfigError, InvalidValue, Problem

FOLDER = "pairing"
SHEET_NAME = "sheet.html"
COLUMNS = ("extension", "name", "domain", "server", "password_hash")
MAX_ROWS = 100_000
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


class Row(NamedTuple):
    extension: str
    name: str = ""
    domain: str = ""
    server: str = ""
    password_hash: str = ""
    line: int = 0


def folder(output: Path) -> Path:
    return Path(output) / FOLDER


def code_paths(output: Path, extension: str) -> list[Path]:
    """The files ``pair_one`` writes for ``extension`` under the output folder ``output``."""
    return [folder(output) / name for name in _names(extension)]


def _names(extension: str) -> tuple[str, str]:
    return f"{extension}.png", f"{extension}.svg"


# --- the CSV of extensions ------------------------------------------------------------------

def read_extensions(text: str, source: str) -> list[Row]:
    """Rows of a CSV with a header line; ``extension`` is required, the other columns
    (``name``, ``domain``, ``server``, ``password_hash``) optional. Every problem is listed."""
    import csv

    text = text.removeprefix("\ufeff")  # the byte order mark Excel writes before the header
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _rows(reader, source)
    except csv.Error as exc:  # a field over csv.field_size_limit (128 KiB), a NUL, ...
        raise ConfigError([Problem("(line)", f"not a CSV line this tool reads: {exc}", source, reader.line_num + 1)]) from None


def _rows(reader, source: str) -> list[Row]:
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "extension" not in header:
        raise ConfigError([Problem("(header)", f"the first line must name the columns, including extension "
                                               f"(known: {', '.join(COLUMNS)})", source, 1)])
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ConfigError([Problem("(header)", f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}", source, 1)])
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise ConfigError([Problem("(header)", f"column(s) named twice: {', '.join(twice)}", source, 1)])
    reader.fieldnames = header
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            problems.append(Problem("(file)", f"more than {MAX_ROWS} extensions", source, line))
            break
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:
            problems.append(Problem("(line)", "more fields than the header names", source, line))
            continue
        if not any(values.values()):
            continue
        ext = values.get("extension", "")
        try:
            check_extension(ext)
        except InvalidValue as exc:
            problems.append(Problem("extension", str(exc), source, line))
            continue
        if ext in seen:
            problems.append(Problem(ext, f"listed twice (first on line {seen[ext]})", source, line))
            continue
        seen[ext] = line
        rows.append(Row(ext, values.get("name", ""), values.get("domain", ""), values.get("server", ""),
                        values.get("password_hash", ""), line))
    if problems:
        raise ConfigError(problems)
    if not rows:
        raise ConfigError([Problem("(file)", "no extensions listed", source)])
    return rows


# --- writing codes --------------------------------------------------------------------------

def _files(extension: str, code: qr.Code) -> dict[str, bytes]:
    png, svg = _names(extension)
    return {png: qr.png(code), svg: qr.svg(code).encode("utf-8")}


def write_code(target: Path, extension: str, uri: str) -> qr.Code:
    """``target/EXT.png`` and ``target/EXT.svg`` for one token; returns the QR code."""
    from pbxwizard.atomic import ensure_private_dir, sweep_temp_files, write_private_files

    code = qr.make(uri)
    ensure_private_dir(Path(target))
    sweep_temp_files(target)
    write_private_files(target, _files(extension, code))
    return code


def _write_chunk(job: tuple[str, list[tuple[str, str]]]) -> list[int]:
    from pbxwizard.atomic import write_private_files

    target, items = job
    versions, files = [], {}
    for ext, uri in items:
        code = qr.make(uri)
        versions.append(code.version)
        files.update(_files(ext, code))
    write_private_files(Path(target), files)
    return versions


def write_codes(target: Path, tokens: Iterable[Token], *, workers: int | None = None) -> list[int]:
    """PNG and SVG for every token, in worker processes when there are many; returns versions."""
    from pbxwizard.atomic import ensure_private_dir, sweep_temp_files

    ensure_private_dir(Path(target))
    sweep_temp_files(target)  # once, before any worker starts writing
    items = [(t.extension, t.uri) for t in tokens]
    workers = workers if workers is not None else min(os.cpu_count() or 1, 2)
    if workers <= 1 or len(items) < PARALLEL_FROM:
        return _write_chunk((str(target), items))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(items) // (workers * 4))
    chunks = [(str(target), items[i:i + size]) for i in range(0, len(items), size)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [v for part in pool.map(_write_chunk, chunks) for v in part]


# --- one call per face: the CLI and the wizard both use these ------------------------------

def pair_one(store: Store, extension: str, *, domain: str, server: str, ttl: int | None,
             password_hash: str | None = None) -> tuple[Token, qr.Code]:
    """Issue a code for one extension and write its PNG and SVG under ``store.folder/pairing``.

    ``ttl`` in seconds, or None for no expiry (then ``password_hash`` is required).
    Raises InvalidValue for a bad extension, domain or address.
    """
    from pbxwizard import folderlock

    with folderlock.hold(store.folder, f"making a pairing code for {extension}"):
        token = store.issue(extension, domain, server, ttl=ttl, password_hash=password_hash)
        return token, write_code(folder(store.folder), token.extension, token.uri)


def existing_code(store: Store, extension: str, *, domain: str, server: str, ttl: int) -> Token | None:
    """The code already on disk for ``extension`` when it can stay: both files there, signed
    with this folder's key, not revoked, not expired, for the same domain and server, and
    expiring no later than a code made now would (a shorter lifetime replaces it)."""
    from pbxwizard.settings import netlists

    token = code_on_disk(store, extension)
    if token is None or token.expires is None:
        return None
    try:
        want = (netlists.check_dns_name(domain), netlists.format_host_port(*netlists.parse_host_port(server)))
    except InvalidValue:
        return None
    if (token.extension, token.domain, token.server) != (extension, *want):
        return None
    return token if token.expires <= int(store.now()) + ttl else None


def code_on_disk(store: Store, extension: str) -> Token | None:
    """The code in ``extension``'s files if it still pairs a phone: both files there, signed
    with this folder's key, not revoked, not expired. A run that replaces it revokes it."""
    from pbxwizard import trust

    png, svg = code_paths(store.folder, extension)
    try:
        data = trust.read_own(svg, 64 * 1024) if png.is_file() else None  # no symlink, no endless file
        if data is None:
            return None
        payload = qr.payload_of(data.decode("utf-8"))
        if payload is None or not store.key_path.is_file():
            return None
        found = store.verify(payload)
    except (OSError, UnicodeDecodeError, ConfigError, InvalidValue):
        return None
    return found.token if found.ok and found.token is not None and found.token.extension == extension else None


class Batch(NamedTuple):
    tokens: list[tuple[Token, str]]  # (token, display name), in CSV order
    versions: list[int]
    sheet: Path


def pair_many(store: Store, rows: list[Row], *, domain: str, server: str, ttl: int | None,
              source: str = "", workers: int | None = None) -> Batch:
    """Codes for every row (a row's own domain and server win), plus the printable sheet.

    Every row is checked before anything is written; problems carry the CSV line.
    """
    from pbxwizard import folderlock

    with folderlock.hold(store.folder, f"making {len(rows)} pairing codes"):
        return _pair_many(store, rows, domain=domain, server=server, ttl=ttl, source=source, workers=workers)


def _pair_many(store: Store, rows: list[Row], *, domain: str, server: str, ttl: int | None,
               source: str, workers: int | None) -> Batch:
    key = store.key()
    problems, tokens = [], []
    for row in rows:
        try:
            if ttl is None and not row.password_hash:
                raise InvalidValue("a code with no expiry needs this user's password_hash column")
            token = issue(key, row.extension, row.domain or domain, row.server or server, ttl=ttl,
                                  now=store.now, password_hash=row.password_hash or None)
            tokens.append((token, row.name))
        except InvalidValue as exc:
            problems.append(Problem(row.extension, str(exc), source, row.line))
    if problems:
        raise ConfigError(problems)
    versions = write_codes(folder(store.folder), [t for t, _ in tokens], workers=workers)
    return Batch(tokens, versions, write_sheet(store, tokens, domain=domain))


def write_sheet(store: Store, entries: list[tuple[Token, str]], *, domain: str = "") -> Path:
    """The printable sheet for codes whose files are already in ``store.folder/pairing``."""
    from pbxwizard import folderlock
    from pbxwizard.atomic import write_private

    title = f"Pairing codes, {domain or entries[0][0].domain}, made {format_time(int(store.now()))}"
    sheet = folder(store.folder) / SHEET_NAME
    with folderlock.hold(store.folder, "writing the printable sheet of pairing codes"):
        write_private(sheet, sheet_html(entries, title=title).encode("utf-8"))
    return sheet


# --- the printable sheet --------------------------------------------------------------------

def sheet_listing(store: Store) -> list[tuple[str, str]]:
    """The (extension, name) of each code on the printable sheet, in its order; [] without one.

    Read back from the page ``sheet_html`` writes, so a run that replaces a code can make
    the sheet again for the same extensions and names.
    """
    import html
    import re

    from pbxwizard import trust

    try:
        text = (trust.read_own(folder(store.folder) / SHEET_NAME, 16 << 20) or b"").decode("utf-8")
    except (ConfigError, UnicodeDecodeError):
        return []  # not one of ours to read (a link, another user's): left alone
    if not text:
        return []  # no sheet (the usual case): no pattern to compile
    return [(html.unescape(ext), html.unescape(name or "")) for ext, name in
            re.findall(r"<figcaption><b>([^<]*)</b>(?: ([^<]*))?<br>", text)]


def refresh_sheet(store: Store, replaced: Iterable[str], *, domain: str) -> Path | None:
    """Make the sheet again when it lists a code that was just ``replaced``, so its ids and
    expiry are always those of the images beside it (names and order kept); None when it
    lists none of them. A code that no longer pairs a phone is left off."""
    listed = sheet_listing(store)
    if not set(replaced) & {ext for ext, _ in listed}:
        return None
    entries = [(token, name) for ext, name in listed if (token := code_on_disk(store, ext)) is not None]
    sheet = folder(store.folder) / SHEET_NAME
    if not entries:
        sheet.unlink()
        return sheet
    return write_sheet(store, entries, domain=domain)


def sheet_html(entries: list[tuple[Token, str]], *, title: str) -> str:
    """A printable page of codes, four across: the code, the extension, the user's name and
    the expiry under each. ``entries`` are (token, display name) pairs; the images are the
    ``EXT.svg`` files beside the sheet. A cell names its domain only when it is not the
    sheet's (the first code's), to keep cells short enough for four rows a page."""
    import html

    esc = html.escape
    main_domain = entries[0][0].domain if entries else ""
    cells = []
    for token, name in entries:
        expiry = ("no expiry: works until the user's password changes" if token.expires is None
                  else f"until {format_time(token.expires)}")
        domain = f"<br>{esc(token.domain)}" if token.domain != main_domain else ""
        cells.append(
            '<figure class="cell">'
            f'<img src="{esc(token.extension)}.svg" alt="pairing code for extension {esc(token.extension)}">'
            f'<figcaption><b>{esc(token.extension)}</b>{" " + esc(name) if name else ""}{domain}<br>'
            f'{esc(expiry)}<br><small>id {esc(token.id)}</small></figcaption></figure>'
        )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(title)}</title><style>"
        "@page{margin:10mm}body{font-family:sans-serif;margin:0}"
        "h1{font-size:14pt;margin:0 0 2mm}p{font-size:9pt;margin:0 0 4mm}"
        ".grid{display:grid;grid-template-columns:repeat(4,1fr);gap:4mm}"
        ".cell{margin:0;padding:2mm;border:1px dashed #999;text-align:center;break-inside:avoid}"
        ".cell img{width:32mm;height:32mm}"
        "figcaption{font-size:9pt;line-height:1.25}"
        "</style></head><body>"
        f"<h1>{esc(title)}</h1>"
        "<p>Each code pairs a phone app as its extension until it expires. Treat this sheet like a list "
        "of passwords: hand each code to its user only, and shred the sheet afterwards. A lost code can "
        "be cancelled with <code>pbxwizard revoke ID</code>.</p>"
        f"<div class=\"grid\">{''.join(cells)}</div></body></html>\n"
    )
