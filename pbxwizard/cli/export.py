"""``pbxwizard export kamailio``: the settings and the store of a folder as a SIP server's files."""

from __future__ import annotations

import argparse
import sys

from pbxwizard.cli.common import (
    EXIT_OK, add_output_option, add_passphrase_options, load_presets, output_dir, read_passphrase, usage, warn,
)


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write another product's configuration from the settings and the store",
                            description="Write another product's configuration from OUTPUT/security.toml "
                                        "and the certificate store in OUTPUT/certs.")
    export.set_defaults(handler=lambda args: usage(export))
    group = export.add_subparsers(dest="export_target", metavar="TARGET")
    p = group.add_parser("kamailio", help="OUTPUT/kamailio/kamailio.cfg, tls.cfg and openssl.cnf for Kamailio 5.6",
                         description="Write OUTPUT/kamailio/kamailio.cfg, tls.cfg and openssl.cnf for Kamailio 5.6 "
                                     "and list what Kamailio cannot express.")
    add_output_option(p)
    p.add_argument("--address", default="0.0.0.0", metavar="ADDR",
                   help="the IP address Kamailio listens on (default 0.0.0.0, every IPv4 address)")
    add_passphrase_options(p)
    p.set_defaults(handler=cmd_kamailio)


def cmd_kamailio(args: argparse.Namespace) -> int:
    from pbxwizard.errors import ConfigError, Problem
    from pbxwizard.paths import CONFIG_NAME
    from pbxwizard.settings import tomlfile
    from pbxwizard.targets.kamailio import export

    output = output_dir(args)
    path = output / CONFIG_NAME
    if not path.is_file():
        raise ConfigError([Problem("security.toml", f"no {CONFIG_NAME} in {output}: write one first with "
                                   "pbxwizard apply or the wizard")])
    config, warnings = tomlfile.load_config(path, load_presets().values)
    warn(warnings)
    passphrase = read_passphrase(args, needed=False, confirm=False)
    result, written_files = export.export_to(config, output, address=args.address, passphrase=passphrase)
    for written in written_files:
        print(f"wrote {written}")
    for note in result.notes:
        print(f"pbxwizard: note: {note}", file=sys.stderr)
    print("Kamailio cannot express these; they are listed at the top of each file too:")
    for line in result.unexpressed:
        print(f"  - {line}")
    folder = output / export.FOLDER
    print(f"check it:  kamailio -c -f {folder / 'kamailio.cfg'}")
    print(f"start it:  OPENSSL_CONF={folder / 'openssl.cnf'} kamailio -DD -E -f {folder / 'kamailio.cfg'}")
    return EXIT_OK
