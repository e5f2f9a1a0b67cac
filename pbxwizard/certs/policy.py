"""What every certificate in the store must meet, whatever a preset or an import says.

Kept free of cryptography so the catalog can use it at start-up. Key strength is compared
as the RSA modulus size of equal security (NIST SP 800-57 Part 1, table 2), so one
``services.min_key_size`` governs RSA and elliptic-curve keys alike.
"""


from typing import Any, NamedTuple


MIN_RSA_BITS = 2048  # below this nothing is accepted, even if services.min_key_size allows it
MAX_SERVER_DAYS = 398  # the CA/Browser Forum's cap on a server certificate's lifetime
EXPIRY_WARN_DAYS = 30
STORE_LIMIT = 6  # the vendor's limit of certificates in one PBX certificate store
ROOT_DAYS = 3650
INTERMEDIATE_DAYS = 1825
WEAK_HASHES = frozenset({"md5", "sha1", "sha224"})
EC_STRENGTH = {256: 3072, 384: 7680, 521: 15360}  # curve bits -> RSA bits of equal strength


class KeyType(NamedTuple):
    value: str
    label: str
    algorithm: str  # "rsa" or "ec"
    size: int  # RSA modulus or curve size in bits
    hash_name: str  # the hash the store signs with when this key type signs

    @property
    def strength(self) -> int:
        return strength("rsa" if self.algorithm == "rsa" else "ec", self.size)


# Weakest first: the catalog's ChoiceKind ranks them in this order.
KEY_TYPES = (
    KeyType("rsa_2048", "RSA 2048", "rsa", 2048, "sha256"),
    KeyType("rsa_3072", "RSA 3072", "rsa", 3072, "sha256"),
    KeyType("ecdsa_p256", "ECDSA P-256", "ec", 256, "sha256"),
    KeyType("rsa_4096", "RSA 4096", "rsa", 4096, "sha384"),
    KeyType("ecdsa_p384", "ECDSA P-384", "ec", 384, "sha384"),
)
BY_VALUE = {k.value: k for k in KEY_TYPES}


def strength(algorithm: str, size: int) -> int:
    """RSA-equivalent bits of a key; 0 for a curve the policy does not know."""
    if algorithm == "rsa":
        return size
    return EC_STRENGTH.get(size, 0)


def required_strength(min_key_size: int) -> int:
    """The RSA-equivalent size a key needs under ``services.min_key_size`` and the floor."""
    return max(MIN_RSA_BITS, min_key_size)


def key_type_fits(key_type: str, min_key_size: int) -> bool:
    return BY_VALUE[key_type].strength >= required_strength(min_key_size)


CERTIFICATE_ONLY_LEVEL = "secure_high"  # the service level that accepts only clients presenting a certificate
MANAGED_SERVICES = ("services.security_admin_level", "services.configuration_level")


def certificate_only_services(values: Any) -> tuple[str, ...]:
    """The management services whose level admits only a client that presents a certificate."""
    return tuple(k for k in MANAGED_SERVICES if values[k] == CERTIFICATE_ONLY_LEVEL)


def needs_manager_certificate(values: Any) -> bool:
    """True when the management tool cannot work without a certificate of its own."""
    return _needs(*(values[k] for k in MANAGED_SERVICES), values["services.client_certificate_checks"])


def _needs(admin_level: str, configuration_level: str, client_checks: str) -> bool:
    return CERTIFICATE_ONLY_LEVEL in (admin_level, configuration_level) or client_checks != "none"


IDENTITY_NAME_MAX = 32
RESERVED_NAMES = frozenset({"pbx", "ca-bundle"})  # file stems the store already uses


def check_identity_name(entry: str) -> str:
    """A manager identity's name, which names its files: lowercase letters, digits, - and _."""
    from pbxwizard.errors import InvalidValue

    name = entry.strip()
    allowed = "lowercase letters, digits, - and _, starting with a letter or digit, " \
              f"at most {IDENTITY_NAME_MAX} characters"
    if not name or len(name) > IDENTITY_NAME_MAX or not name[0].isalnum() \
            or any(not (c.isascii() and (c.islower() or c.isdigit() or c in "-_")) for c in name):
        raise InvalidValue(f"{entry!r} is not a manager identity name: {allowed}")
    if name in RESERVED_NAMES or name.endswith(("-key", "-chain")):
        raise InvalidValue(f"{entry!r} would clash with the store's own file names (pbx, ca-bundle, *-key, *-chain)")
    return name


def manager_identities_fit(admin_level: str, configuration_level: str, client_checks: str, names: Any) -> bool:
    """A service that needs a manager certificate has at least one manager identity to make it for."""
    return not _needs(admin_level, configuration_level, client_checks) or bool(names)


MIN_PASSPHRASE = 12  # characters; it guards every private key in the store
