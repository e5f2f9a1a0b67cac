"""Where each file of the certificate store lives under the output folder.

One layout for both paths (local CA and third-party CA), so checks, imports and the TUI
find files without knowing how the store was made. The README's Output section draws
the same tree; a test keeps the two in step.
"""


from typing import NamedTuple

from pathlib import Path

STORE = "certs"
PREVIOUS = "certs.previous"  # the store before the last replace or import
STAGING_PREFIX = ".certs.new-"  # a store being built; never the live one

ROLES = ("identity", "manager")
MANAGER = "manager"  # the first manager identity's name; its files keep the paths of a single one
P12 = ".p12"  # a manager identity's bundle for the management PC, beside its certificate


class RoleFiles(NamedTuple):
    """An end-entity's files: the PBX's identity or the management client's certificate."""

    role: str
    cert: Path  # the certificate alone
    chain: Path  # the certificate followed by its intermediates: what the endpoint presents
    key: Path
    csr: Path


class Layout(NamedTuple):
    root: Path  # the store folder itself, normally OUTPUT/certs

    @classmethod
    def for_output(cls, output: Path) -> "Layout":
        return cls(Path(output) / STORE)

    def moved_to(self, folder: Path) -> "Layout":
        """The same layout under another folder (a staging copy)."""
        return Layout(Path(folder))

    @property
    def ca(self) -> Path:
        return self.root / "ca"

    @property
    def offline(self) -> Path:
        """The root key's own folder: copy it to offline media and delete it here."""
        return self.ca / "offline"

    @property
    def root_cert(self) -> Path:
        return self.ca / "root-ca.pem"

    @property
    def root_key(self) -> Path:
        return self.offline / "root-ca-key-OFFLINE.pem"

    @property
    def intermediate_cert(self) -> Path:
        return self.ca / "intermediate-ca.pem"

    @property
    def intermediate_key(self) -> Path:
        return self.ca / "intermediate-ca-key.pem"

    @property
    def trusted(self) -> Path:
        return self.root / "trusted"

    @property
    def trusted_cas(self) -> Path:
        """The CA certificates clients and the PBX trust (the root, never a key)."""
        return self.trusted / "ca-bundle.pem"

    @property
    def pinned_manager(self) -> Path:
        """With client certificate checks on high the PBX holds the manager's own certificate."""
        return self.pinned(MANAGER)

    def pinned(self, name: str) -> Path:
        """The pinned copy of manager identity ``name``'s certificate (client certificate checks high)."""
        return self.trusted / f"{name}.pem"

    @property
    def csr_dir(self) -> Path:
        return self.root / "csr"

    def role(self, role: str, name: str = MANAGER) -> RoleFiles:
        """The files of the PBX's identity, or of the manager identity ``name``."""
        if role not in ROLES:
            raise ValueError(f"unknown certificate role {role!r}")
        stem = "pbx" if role == "identity" else name
        folder = self.root / role
        return RoleFiles(role, folder / f"{stem}.pem", folder / f"{stem}-chain.pem",
                         folder / f"{stem}-key.pem", self.csr_dir / f"{stem}.csr")

    def manager_identity(self, name: str) -> RoleFiles:
        return self.role("manager", name)

    def p12(self, name: str) -> Path:
        return self.root / "manager" / f"{name}{P12}"

    def manager_names(self) -> tuple[str, ...]:
        """The manager identities the store holds a certificate, key or request for, sorted."""
        names = set()
        for folder, suffixes in ((self.root / "manager", ("-key.pem", "-chain.pem", ".pem")), (self.csr_dir, (".csr",))):
            for path in folder.glob("*") if folder.is_dir() else ():
                suffix = next((s for s in suffixes if path.name.endswith(s)), None)
                if suffix and path.name != "pbx.csr":
                    names.add(path.name[: -len(suffix)])
        return tuple(sorted(names))

    def pending_requests(self) -> tuple[RoleFiles, ...]:
        """The roles with a request waiting for its certificate: what a CA still has to sign."""
        return tuple(files for files in map(self.role, ROLES) if files.csr.is_file() and not files.cert.exists())

    @property
    def identity(self) -> RoleFiles:
        return self.role("identity")

    @property
    def manager(self) -> RoleFiles:
        return self.role("manager")

    def private_keys(self) -> tuple[Path, ...]:
        managers = {self.manager_identity(n).key for n in self.manager_names()} | {self.manager.key}
        return (self.root_key, self.intermediate_key, self.identity.key, *sorted(managers))

    def all_files(self) -> tuple[Path, ...]:
        """Every file the store may hold, for the README tree and for tests."""
        files = [self.root_cert, self.intermediate_cert, self.intermediate_key, self.root_key,
                 self.trusted_cas, self.pinned_manager]
        for role in ROLES:
            f = self.role(role)
            files += [f.cert, f.chain, f.key, f.csr]
        return tuple(files)

    def has_manager_certificate(self) -> bool:
        """True when the store holds a signed certificate for at least one manager identity."""
        return any(self.manager_identity(n).cert.is_file() for n in self.manager_names())

    def exists(self) -> bool:
        return self.root.is_dir() and any(self.root.iterdir())
