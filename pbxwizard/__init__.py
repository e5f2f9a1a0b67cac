"""pbxwizard: harden an IP PBX during its first setup.

The package root stays import-light on purpose: the headless CLI must start fast on a
slow box, so nothing heavy (Textual, cryptography, qrcode, tomlkit) is imported here.
"""

__version__ = "0.1.0"
