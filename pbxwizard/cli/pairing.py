"""Commands about app pairing: ``pair``, ``verify-token`` and ``revoke``."""

from __future__ import annotations

import argparse
import os
import sys

from pbxwizard.settings import catalog
from pbxwizard.cli.common import (
    EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, add_output_option, load_presets, output_dir, read_password, read_secret_text,
)
from pbxwizard.errors import ConfigError, InvalidValue, Problem

HASH_PROMPT = "Current password hash of {who}, as the PBX stores it (not shown): "


EXIT_NO_KEY = 3  # verify-token: the folder has no pairing key, so it cannot tell anything about the token
VERIFY_EPILOG = f"""\
exit codes:
  {EXIT_OK}  valid
  {EXIT_FINDINGS}  expired, revoked or tampered
  {EXIT_INVALID}  malformed (not a pairing token), or other bad input
  {EXIT_NO_KEY}  no pairing key in the folder: it is not the folder that made the code;
     give that one with --output DIR"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pair", help="make pairing QR codes for the phone apps",
        description="Make a signed pairing code for an extension: drawn in the terminal and written to "
                    "pairing/EXT.png and pairing/EXT.svg in the output folder. With --all, make one for every "
                    "extension in a CSV file plus a printable sheet (pairing/sheet.html). Domain, server and "
                    "lifetime default to the output folder's security.toml (pairing section).",
    )
    p.add_argument("extension", nargs="?", help="the extension (user) to pair")
    p.add_argument("--all", action="store_true", help="make codes for every extension in --extensions FILE")
    p.add_argument("--extensions", metavar="FILE",
                   help="CSV with a header line: extension (required), name, domain, server, password_hash")
    p.add_argument("--domain", "-d", metavar="DOMAIN", help="the SIP domain (default: pairing.domain)")
    p.add_argument("--server", metavar="ADDR", help="the PBX address, host[:port] (default: pairing.server)")
    p.add_argument("--ttl", metavar="DURATION",
                   help="how long the code stays valid, e.g. 30m, 12h, 1d, or off (default: pairing.barcode_duration)")
    p.add_argument("--ascii", action="store_true",
                   help="draw with # only, at twice the size, for a terminal without block characters "
                        "(the Linux console has them)")
    p.add_argument("--light-background", action="store_true", help="the terminal has dark text on a light background")
    p.add_argument("--no-terminal", action="store_true", help="write the files but draw nothing")
    p.add_argument("--show-token", action="store_true", help="also print the token text the code holds")
    add_output_option(p)
    p.set_defaults(handler=cmd_pair)

    p = sub.add_parser("verify-token", help="check a pairing token: valid, expired, revoked, tampered or malformed",
                       description="Check a pairing token against the pairing key of the folder that made it\n"
                                   "(--output DIR, default: your pbxwizard config folder). A token with no expiry\n"
                                   "needs the user's current password hash, read from standard input or a prompt.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=VERIFY_EPILOG)
    p.add_argument("token", help="the token text (the pbx-pair:// URI the QR code holds); - reads it from the first "
                                 "line of standard input, where other users cannot see it (the second line is then "
                                 "the password hash a code with no expiry needs)")
    add_output_option(p, what="the folder that made the code, holding its pairing.key")
    p.set_defaults(handler=cmd_verify, read_only=True)

    p = sub.add_parser("revoke", help="cancel a pairing code by its id (or by the token itself)")
    p.add_argument("id", help="the code's id, as pbxwizard pair printed it, or the whole token; - reads either from "
                              "standard input")
    add_output_option(p)
    p.set_defaults(handler=cmd_revoke)


def _settings(args: argparse.Namespace) -> tuple[str, str, int | None, str]:
    """Domain, server and lifetime (seconds, None for no expiry), and where they came from."""
    from pbxwizard.settings import tomlfile
    from pbxwizard.paths import CONFIG_NAME

    path = output_dir(args) / CONFIG_NAME
    values, origin = catalog.defaults(), "built-in defaults (no security.toml in the output folder)"
    if os.path.lexists(path):
        config, _ = tomlfile.load_config(path, load_presets().values, own=True)
        values, origin = dict(config.values), str(path)
    duration_kind = catalog.get("pairing.barcode_duration").kind
    problems = []
    duration = values["pairing.barcode_duration"]
    if args.ttl is not None:
        try:
            duration = duration_kind.from_text(args.ttl)
        except InvalidValue as exc:
            problems.append(Problem("--ttl", str(exc)))
    domain = args.domain if args.domain is not None else values["pairing.domain"]
    server = args.server if args.server is not None else values["pairing.server"]
    for option, value, key in (("--domain", domain, "pairing.domain"), ("--server", server, "pairing.server")):
        if not args.all and not value:
            problems.append(Problem(option, f"not given and {key} is not set in {origin}"))
    if problems:
        raise ConfigError(problems)
    return domain, server, duration_kind.seconds(duration), origin


def _store(args: argparse.Namespace):
    from pbxwizard.pairing import tokens

    return tokens.Store(output_dir(args))


def _expiry_words(token, ttl: int | None) -> str:
    from pbxwizard.pairing import tokens
    from pbxwizard.settings.durations import describe_seconds

    if token.expires is None or ttl is None:
        return "never (bound to the user's password hash)"
    return f"{tokens.format_time(token.expires)} ({describe_seconds(ttl)} from now)"


def cmd_pair(args: argparse.Namespace) -> int:
    if args.all:
        if args.extension or not args.extensions:
            raise ConfigError([Problem("pair", "use either EXT, or --all with --extensions FILE")])
        return _pair_all(args)
    if not args.extension:
        raise ConfigError([Problem("pair", "name an extension, or use --all --extensions FILE")])
    from pbxwizard.pairing import tokens, codefiles, qr

    try:
        tokens.check_extension(args.extension)
    except InvalidValue as exc:
        raise ConfigError([Problem("extension", str(exc))]) from None
    domain, server, ttl, origin = _settings(args)
    password_hash = None
    if ttl is None:
        password_hash = read_password(HASH_PROMPT.format(who=args.extension))
        if not password_hash:
            raise ConfigError([Problem("password hash", "empty; a code with no expiry needs the user's password hash")])
    try:
        token, code = codefiles.pair_one(_store(args), args.extension, domain=domain, server=server,
                                             ttl=ttl, password_hash=password_hash)
    except InvalidValue as exc:
        raise ConfigError([Problem("pair", str(exc))]) from None
    target = codefiles.folder(output_dir(args))
    print(f"id:       {token.id}  (cancel with: pbxwizard revoke {token.id})")
    print(f"files:    {target / (token.extension + '.png')}, {target / (token.extension + '.svg')}")
    print(f"settings: {origin}; QR version {code.version}, error correction {code.error_correction} in the files")
    if code.version > qr.MAX_SCREEN_VERSION:
        print(f"note: the code needs version {code.version}, denser than version {qr.MAX_SCREEN_VERSION}; "
              "a shorter domain or address makes it easier to scan from a screen", file=sys.stderr)
    if token.expires is None:
        print(f"note: {tokens.NO_EXPIRY_COST}")
    if args.show_token:
        print(f"token:    {token.uri}")
    about = [f"Pairing code for {token.extension}", f"{token.extension}@{token.domain}", f"via {token.server}",
             f"expires: {_expiry_words(token, ttl)}"]
    # the code comes last, with what a phone's user needs beside it, so it stays on the screen
    print("\n".join(about[1:]) if args.no_terminal else _drawn(args, token, about, target))
    return EXIT_OK


ABOUT_WIDTH = 24  # the narrowest column that the title and expiry beside the code wrap into


def _drawn(args: argparse.Namespace, token, about: list[str], target) -> str:
    """The code with its title and expiry beside it, sized for the terminal (80x24 holds a
    typical code), so it is printed last and stays whole on the screen; where the terminal is
    too small, what to do instead of a cut-off code."""
    import textwrap

    from pbxwizard.pairing import qr

    encoding = getattr(sys.stdout, "encoding", None)
    style = qr.ASCII if args.ascii else qr.terminal_style(encoding=encoding)
    try:  # the terminal itself: COLUMNS and LINES may be stale, exported from another window
        width, height = os.get_terminal_size(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a file or a pipe: no screen to fit
        width, height = 10_000, 10_000
    # the shell's prompt takes the line after the output
    code = qr.fit(token.uri, width - 2 - ABOUT_WIDTH, height - 1, style=style)
    if code is None:
        need_w, need_h = qr.drawing_size(qr.smallest(token.uri), style)
        png = target / (token.extension + ".png")
        other = ("without --ascii, in half blocks, it needs less" if style == qr.ASCII
                 else "--ascii draws it with # where a terminal lacks block characters, at twice the size")
        return textwrap.fill(
            f"{about[0]}: this terminal ({width}x{height}) is too small to show the code whole, and a cut-off "
            f"code does not scan. Enlarge the terminal (or choose a smaller font) to at least "
            f"{need_w + 2 + ABOUT_WIDTH}x{need_h + 1} and run this command again for a new code ({other}); "
            f"or scan {png} from a screen that shows pictures, or print it. {about[3]}",
            width=max(20, width - 1), break_on_hyphens=False, break_long_words=False)
    drawing = qr.terminal(code, style=style, dark_background=not args.light_background)
    columns = qr.drawing_size(code, style)[0]
    column = max(ABOUT_WIDTH, width - 2 - columns - 1)
    text = [part for line in about for part in textwrap.wrap(line, column, break_on_hyphens=False,
                                                             subsequent_indent="  ")]
    return qr.beside(drawing, columns, ["", *text])


def _pair_all(args: argparse.Namespace) -> int:
    from pbxwizard.pairing import tokens, codefiles, qr

    domain, server, ttl, origin = _settings(args)
    text, source = read_secret_text(args.extensions, "the extensions list (and any password hashes in it)")
    rows = codefiles.read_extensions(text, source)
    batch = codefiles.pair_many(_store(args), rows, domain=domain, server=server, ttl=ttl, source=source)
    tokens, versions, sheet, target = batch.tokens, batch.versions, batch.sheet, batch.sheet.parent
    expiry = _expiry_words(tokens[0][0], ttl)
    print(f"made {len(tokens)} pairing codes in {target} (PNG and SVG each), QR versions {min(versions)}-{max(versions)}")
    print(f"printable sheet: {sheet}")
    print(f"expire: {expiry}; settings: {origin}")
    if ttl is None:
        print(f"note: {tokens.NO_EXPIRY_COST}")
    dense = sum(1 for v in versions if v > qr.MAX_SCREEN_VERSION)
    if dense:
        print(f"note: {dense} code(s) need a QR version above {qr.MAX_SCREEN_VERSION}; shorter domains or addresses scan more easily", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from pbxwizard.pairing import tokens

    lines = _stdin_lines(2) if args.token == "-" else [args.token]
    text = lines[0].strip()
    password_hash = None
    if tokens.needs_password_hash(text):
        password_hash = lines[1] if len(lines) > 1 else read_password(HASH_PROMPT.format(who="the code's user"))
    store = _store(args)
    try:
        result = tokens.misshapen(text) or store.verify(text, password_hash=password_hash)
    except tokens.NoKey:
        print(f"pbxwizard: {store.folder} has no pairing key ({store.key_path.name}), so it made no codes and "
              "cannot check this one: give the folder that made the code with --output DIR", file=sys.stderr)
        return EXIT_NO_KEY
    print(f"{result.status}: {result.reason}")
    token = result.token
    if token is not None:
        print(f"  extension {token.extension}@{token.domain} via {token.server}, id {token.id}, "
              f"expires {tokens.format_time(token.expires)}")
    if result.status == tokens.MALFORMED:
        return EXIT_INVALID
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _stdin_lines(most: int) -> list[str]:
    """Up to ``most`` lines of standard input, for a token kept off the command line (``-``)."""
    text, name = read_secret_text("-")
    lines = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    if not lines or len(lines) > most:
        raise ConfigError([Problem("token", f"expected the token on the first line of standard input"
                                   f"{' (and the password hash on the second)' if most > 1 else ''}", name)])
    return lines


def cmd_revoke(args: argparse.Namespace) -> int:
    store = _store(args)
    given = _stdin_lines(1)[0] if args.id == "-" else args.id
    try:
        token_id, new = store.revoke(given)
    except InvalidValue as exc:
        raise ConfigError([Problem("id", str(exc))]) from None
    if new:
        print(f"revoked {token_id}; listed in {store.revoked_path}")
    else:
        print(f"{token_id} was already revoked ({store.revoked_path})")
    return EXIT_OK

