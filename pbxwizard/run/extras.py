"""What a run makes besides ``security.toml``: the certificate store and pairing codes.

The wizard's last step and ``pbxwizard apply`` both call ``make``, so a run replayed from
an answers file makes the same things. What to make is recorded in the answers file's
``[pbxwizard]`` table (``certificates = true``, ``pair = ["201", "202"]``); secrets (the
passwords and the key passphrase) never are.
"""


from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from pbxwizard.settings.config import Config
from pbxwizard.errors import ConfigError, InvalidValue, Problem


class Extras(NamedTuple):
    certificates: bool = False
    pair: tuple[str, ...] = ()

    def to_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if self.certificates:
            meta["certificates"] = True
        if self.pair:
            meta["pair"] = list(self.pair)
        return meta


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Made:
    """What ``make`` wrote, in words a person can follow."""

    lines: list[str] = field(default_factory=list)
    codes: list[tuple[Any, Any]] = field(default_factory=list)  # (pairing.Token, qr.Code)
    paths: list[Path] = field(default_factory=list)  # every file written, for the wizard's last screen


def from_meta(meta: Mapping[str, Any], source: str = "") -> Extras:
    """Read the ``certificates`` and ``pair`` entries of an answers file's meta table."""
    problems = []
    certificates = meta.get("certificates", False)
    if not isinstance(certificates, bool):
        problems.append(Problem("pbxwizard.certificates", "expected true or false", source))
        certificates = False
    pair = meta.get("pair", [])
    if not isinstance(pair, list) or not all(isinstance(e, str) for e in pair):
        problems.append(Problem("pbxwizard.pair", "expected a list of extensions such as [\"201\", \"202\"]", source))
        pair = []
    problems += check_extensions(pair, "pbxwizard.pair", source)
    if problems:
        raise ConfigError(problems)
    return Extras(certificates, tuple(pair))


LEFT_OUT = "left_out"  # the answers file's list of settings left out because their values hold credentials


def left_out_keys(meta: Mapping[str, Any], source: str = "") -> list[str]:
    """The settings an answers file leaves out (``left_out = ["access.api_access_list"]``):
    each must be given at replay, by ``--set-file``."""
    from pbxwizard.settings import catalog

    keys = meta.get(LEFT_OUT, [])
    if not isinstance(keys, list) or not all(isinstance(k, str) and k in catalog.BY_KEY for k in keys):
        raise ConfigError([Problem(f"pbxwizard.{LEFT_OUT}", "expected a list of setting keys such as "
                                   "[\"access.api_access_list\"]", source)])
    return keys


def check_extensions(extensions: Iterable[str], key: str, source: str = "") -> list[Problem]:
    from pbxwizard.pairing.tokens import check_extension

    problems = []
    seen = set()
    for ext in extensions:
        try:
            check_extension(ext)
        except InvalidValue as exc:
            problems.append(Problem(key, str(exc), source))
        if ext in seen:
            problems.append(Problem(key, f"extension {ext!r} is listed twice", source))
        seen.add(ext)
    return problems


def problems_before_writing(config: Config, extras: Extras, output: Path, passphrase: bytes | None) -> list[Problem]:
    """Everything that would stop ``make``, found before any file is written."""
    problems: list[Problem] = []
    if extras.certificates:
        from pbxwizard.certs import generate

        problems += generate.validate(config, config["certificates.mode"])
        if config["certificates.encrypt_keys"] and not passphrase and not generate.store_exists(output):
            problems.append(Problem("certificates.encrypt_keys", "keys are to be encrypted: give the passphrase "
                                    "(--passphrase-env NAME or --passphrase-stdin)"))
    if extras.pair:
        for key in ("pairing.domain", "pairing.server"):
            if not config[key]:
                problems.append(Problem(key, "needed for pairing codes; set it with --set " + key + "=..."))
        if config["pairing.barcode_duration"] == "off":
            problems.append(Problem("pairing.barcode_duration", "codes without expiry need each user's password "
                                    "hash; make them one by one with `pbxwizard pair EXT`"))
    return problems


def make(config: Config, extras: Extras, output: Path, *, passphrase: bytes | None = None,
         progress: Callable[[int, int, str], None] | None = None, now: Callable[[], float] | None = None,
         keep: Iterable[str] = ()) -> Made:
    """Make the certificate store (unless one exists) and the pairing codes.

    ``keep`` names extensions whose existing code stays (the plan found it still valid): it
    is read back for showing, not made again. ``now`` (Unix seconds) is the one clock for
    both: certificate validity and code expiry.
    """
    problems = problems_before_writing(config, extras, output, passphrase)
    if problems:
        raise ConfigError(problems)
    made = Made()
    if extras.certificates:
        from pbxwizard.certs import generate

        if generate.store_exists(output):
            made.lines.append(f"kept the existing certificate store in {Path(output) / 'certs'} "
                              "(replace it with: pbxwizard certs init --replace)")
        else:
            import datetime as dt

            when = dt.datetime.fromtimestamp(now(), dt.timezone.utc) if now else None
            result = generate.generate_store(config, Path(output), passphrase=passphrase, progress=progress, now=when)
            made.lines.append(f"made the certificate store in {result.store} ({result.mode}, {len(result.written)} files)")
            made.lines += result.next_steps
            made.paths += [result.store / name for name in result.written]
    if extras.pair:
        import time

        from pbxwizard.settings import catalog
        from pbxwizard.pairing import codefiles, qr, tokens

        ttl = catalog.get("pairing.barcode_duration").kind.seconds(config["pairing.barcode_duration"])
        store = tokens.Store(Path(output), now=now or time.time)
        keep = set(keep)
        kept = {ext: codefiles.existing_code(store, ext, domain=config["pairing.domain"],
                                             server=config["pairing.server"], ttl=ttl) for ext in keep}
        fresh = [ext for ext in extras.pair if not kept.get(ext)]
        if fresh and not store.key_path.exists():
            made.paths.append(store.key_path)
        revoked = []
        for ext in extras.pair:
            token = kept.get(ext)
            if token:
                made.codes.append((token, qr.make(token.uri)))
                continue
            old = codefiles.code_on_disk(store, ext)
            if old is not None:  # its files are replaced: the code must stop working too
                store.revoke(old.uri)  # the whole token: an id from before ids carried a MAC is taken too
                revoked.append(f"{ext} (id {old.id})")
                made.paths += [store.revoked_path] * (len(revoked) == 1)
            made.codes.append(codefiles.pair_one(store, ext, domain=config["pairing.domain"],
                                                 server=config["pairing.server"], ttl=ttl))
            made.paths += codefiles.code_paths(output, ext)
        if fresh:
            made.lines.append(f"made pairing codes for {', '.join(fresh)} in {codefiles.folder(output)}")
        if revoked:
            made.lines.append(f"revoked the codes these replace: {', '.join(revoked)}")
        sheet = codefiles.refresh_sheet(store, fresh, domain=config["pairing.domain"]) if fresh else None
        if sheet and sheet.exists():
            made.paths.append(sheet)
            made.lines.append(f"made {sheet} again: it lists the new codes")
        elif sheet:
            made.lines.append(f"removed {sheet}: none of the codes it listed pairs a phone any more")
        if len(fresh) < len(extras.pair):
            made.lines.append(f"kept the pairing codes for {', '.join(e for e in extras.pair if e not in fresh)} "
                              "(still valid; `pbxwizard pair EXT` makes a new one)")
    return made

