"""Headless ``pbxwizard apply --preset maximum`` end to end (local CA, identity, one pairing
code), against importing what it needs.

Target: at most 1.5 times the time to import the libraries it needs, in a fresh process.
"""

from __future__ import annotations

import tempfile

from bench.common import Result, median_seconds, run_python

IMPORTS = ("import tomllib, tomlkit, platformdirs, qrcode, png\n"
           "from cryptography import x509\n"
           "from cryptography.hazmat.primitives.asymmetric import ec\n"
           "from cryptography.hazmat.primitives import hashes, hmac, serialization")
ARGS = ["-m", "pbxwizard", "apply", "--preset", "maximum", "--set", "certificates.mode=local_ca",
        "--set", "certificates.dns_names=pbx.example.com", "--set", "pairing.domain=example.com",
        "--set", "pairing.server=pbx.example.com", "--certs", "--pair", "201", "--passphrase-env", "BENCH_PASS"]


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"XDG_CONFIG_HOME": f"{tmp}/cfg", "BENCH_PASS": "a passphrase for the benchmark"}
        runs = iter(range(1000))
        apply = lambda: run_python(args=[*ARGS, "-o", f"{tmp}/out{next(runs)}"], env=env)  # noqa: E731
        imports = lambda: run_python(code=IMPORTS, env=env)  # noqa: E731
        apply()  # warm the disk cache and bytecode for both
        imports()
        t_apply = median_seconds(apply, 9)
        t_imports = median_seconds(imports, 9)
    ratio = t_apply / t_imports
    return [Result("headless apply --preset maximum", t_apply * 1000, "ms", f"import of its libraries ({t_imports * 1000:.0f} ms)",
                   ratio, "<= 1.5x", ratio <= 1.5)]
