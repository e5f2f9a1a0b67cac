"""One call that makes a whole store: a local CA and its certificates, or keys and requests.

The TUI runs ``generate_store`` in a worker thread and drives a progress bar from the
callback; the CLI prints the same steps. Everything is built in a staging folder and
swapped in at the end, so a failure at any step (the callback may even raise to cancel)
leaves the previous store as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pbxwizard.certs import authority, keys, policy, request
from pbxwizard.certs.authority import Names
from pbxwizard.certs.layout import MANAGER, Layout
from pbxwizard.certs.staging import Staging
from pbxwizard.errors import ConfigError, Problem

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what happens next)
MODES = ("local_ca", "csr")


@dataclass(eq=False, repr=False)  # none is compared or printed; each generated method is an exec at import
class Result:
    """What a store generation wrote and what the installer has to do next by hand."""

    store: Path
    mode: str
    written: list[str] = field(default_factory=list)  # paths relative to the store
    notes: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def store_exists(output: Path) -> bool:
    """True when ``output`` already holds a store, so the caller must ask before replacing it."""
    return Layout.for_output(output).exists()


def wants_manager(config: Any) -> bool:
    """Client certificate checks or a service at Secure, High: without one the tool is shut out."""
    return policy.needs_manager_certificate(config)


def manager_names(config: Any) -> tuple[str, ...]:
    """The manager identities to make a certificate for: each of certificates.manager_identities
    when the settings need a manager certificate, else none."""
    return tuple(config["certificates.manager_identities"]) if wants_manager(config) else ()


def _who(name: str) -> str:
    return "the management client" if name == MANAGER else f"the management client '{name}'"


def validate(config: Any, mode: str) -> list[Problem]:
    """Settings that would stop generation, found before any key is made (or passphrase asked)."""
    problems = []
    if mode not in MODES:
        problems.append(Problem("certificates.mode", f"{mode!r} is not one of {', '.join(MODES)}"))
    if not Names.from_config(config):
        problems.append(Problem("certificates.dns_names", "no DNS name and no IP address: the certificate would "
                                "name no host; set certificates.dns_names or certificates.ip_addresses"))
    key_type, minimum = config["certificates.key_type"], config["services.min_key_size"]
    if not policy.key_type_fits(key_type, minimum):
        problems.append(Problem("certificates.key_type", f"{policy.BY_VALUE[key_type].label} is weaker than the "
                                f"{policy.required_strength(minimum)}-bit minimum (services.min_key_size)"))
    return problems


def steps(config: Any, mode: str) -> list[str]:
    """The steps ``generate_store`` reports, in order (the UI may list them up front)."""
    label = policy.BY_VALUE[config["certificates.key_type"]].label
    out = []
    if mode == "local_ca":
        out += [f"Generating the root CA key ({label})", "Signing the root CA certificate",
                f"Generating the intermediate CA key ({label})", "Signing the intermediate CA certificate",
                f"Generating the PBX key ({label})", "Issuing the PBX certificate"]
        for name in manager_names(config):
            out += [f"Generating {_who(name)} key ({label})", f"Issuing {_who(name)} certificate"]
    else:
        out += [f"Generating the PBX key ({label})", "Writing the PBX certificate request"]
        for name in manager_names(config):
            out += [f"Generating {_who(name)} key ({label})", f"Writing {_who(name)} request"]
    out.append("Putting the store in place")
    return out


def generate_store(config: Any, output: Path, *, passphrase: bytes | None = None, mode: str | None = None,
                   replace: bool = False, progress: Progress | None = None,
                   now: dt.datetime | None = None) -> Result:
    """Make the store under ``output/certs`` for ``config``; ConfigError for bad input.

    ``mode`` overrides ``certificates.mode``; ``replace`` must be true to replace an
    existing store (kept as ``certs.previous``). Keys are encrypted with ``passphrase``
    when one is given, and one must be when ``certificates.encrypt_keys`` is on.
    """
    from pbxwizard import folderlock

    mode = mode or config["certificates.mode"]
    problems = validate(config, mode)
    if config["certificates.encrypt_keys"] and not passphrase:
        problems.append(Problem("certificates.encrypt_keys", "keys must be encrypted: a passphrase is needed"))
    if problems:
        raise ConfigError(problems)
    with folderlock.hold(Path(output), "making the certificate store"):  # so two runs never both make one
        if store_exists(output) and not replace:
            raise ConfigError([Problem("certs", f"{Layout.for_output(output).root} already holds a store; replace "
                                       "it explicitly (the old one is kept as certs.previous)")])
        return _generate_store(config, Path(output), mode, progress=progress, now=now, passphrase=passphrase)


def _generate_store(config: Any, output: Path, mode: str, *, progress: Progress | None, now: dt.datetime | None,
                    passphrase: bytes | None) -> Result:
    now = now or dt.datetime.now(dt.timezone.utc)
    plan = steps(config, mode)
    done = 0

    def step() -> None:
        nonlocal done
        if progress:
            progress(done, len(plan), plan[done])
        done += 1

    with Staging(Path(output)) as staging:
        builder = _Builder(staging, config, passphrase, now, step)
        if mode == "local_ca":
            builder.local_ca()
        else:
            builder.requests()
        step()
        store = staging.commit()
    if progress:
        progress(len(plan), len(plan), "Store ready")
    return Result(store, mode, builder.written, staging.notes, _next_steps(mode, config, store))


class _Builder:
    """The steps themselves, writing each file into the staging folder as it is made."""

    def __init__(self, staging: Staging, config: Any, passphrase: bytes | None, now: dt.datetime,
                 step: Callable[[], None]):
        self.staging = staging
        self.layout = staging.layout
        self.config = config
        self.passphrase = passphrase
        self.now = now
        self.step = step
        self.names = Names.from_config(config)
        self.key_type = config["certificates.key_type"]
        self.written: list[str] = []

    def _write(self, path: Path, data: bytes) -> None:
        self.staging.write(path, data)
        self.written.append(str(path.relative_to(self.layout.root)))

    def _key(self, path: Path) -> Any:
        self.step()
        key = keys.generate(self.key_type)
        self._write(path, keys.private_pem(key, self.passphrase))
        return key

    def local_ca(self) -> None:
        lay, tag, cn = self.layout, authority.store_tag(), self.names.common_name
        root_key = self._key(lay.root_key)
        self.step()
        root = authority.make_root(root_key, f"{cn} root CA {tag}", self.now)
        self._write(lay.root_cert, authority.pem([root]))
        self._write(lay.trusted_cas, authority.pem([root]))
        ca_key = self._key(lay.intermediate_key)
        self.step()
        ca = authority.make_intermediate(ca_key, root, root_key, f"{cn} intermediate CA {tag}", self.now)
        self._write(lay.intermediate_cert, authority.pem([ca]))
        days = self.config["certificates.validity_days"]
        for role, name, names, common_name in self._roles(f" {tag}"):
            files = lay.role(role, name)
            key = self._key(files.key)
            self.step()
            cert = authority.issue(role, key.public_key(), ca, ca_key, names, days, self.now, common_name)
            self._write(files.cert, authority.pem([cert]))
            self._write(files.chain, authority.pem([cert, ca]))
            if role == "manager" and self.config["services.client_certificate_checks"] == "high":
                self._write(lay.pinned(name), authority.pem([cert]))

    def _roles(self, tag: str = "") -> list[tuple[str, str, Names, str | None]]:
        """(role, manager identity name, names, common name): the PBX's, then one per manager identity."""
        cn = self.names.common_name
        out: list[tuple[str, str, Names, str | None]] = [("identity", MANAGER, self.names, None)]
        for name in manager_names(self.config):
            label = "" if name == MANAGER else f" {name}"
            out.append(("manager", name, Names(), f"{cn} management client{label}{tag}"))
        return out

    def requests(self) -> None:
        for role, name, names, common_name in self._roles():
            files = self.layout.role(role, name)
            key = self._key(files.key)
            self.step()
            csr = request.make_csr(role, key, names, common_name)
            self._write(files.csr, request.csr_pem(csr))


def _next_steps(mode: str, config: Any, store: Path) -> list[str]:
    lay = Layout(store)
    if mode == "local_ca":
        out = [f"Copy {lay.root_key} to offline media, then delete it here; it is needed only to replace the intermediate CA.",
               f"Install {lay.trusted_cas} as the trusted CA on every management PC and in the PBX's trusted store.",
               f"Install {lay.identity.chain} and {lay.identity.key} as the PBX's identity certificate."]
        for name in manager_names(config):
            files = lay.manager_identity(name)
            out.append(f"Install {files.chain} and {files.key} in the certificate store of {_who(name)}, or "
                       f"bundle them for it: pbxwizard certs export --p12 {name}")
        return out
    out = [f"Send {lay.identity.csr} to your certificate authority."]
    for name in manager_names(config):
        out.append(f"Send {lay.manager_identity(name).csr} too: the request of {_who(name)}.")
    out.append("Import what comes back: pbxwizard certs import SIGNED.pem --chain CA-CHAIN.pem "
               "[--role manager [--name NAME]]")
    return out
