"""pbxwizard: harden an IP PBX during its first setup.

The package root stays import-light on purpose: the headless CLI must start fast on a
slow box, so nothing heavy (Textual, cryptography, qrcode, tomlkit) is imported here.

Modules whose NamedTuples are made at import leave out ``from __future__ import
annotations`` where that is cheaper: ``typing.NamedTuple`` compiles every field annotation
given as a string, which cost a headless apply about 8M instructions (2 ms on this box).
"""

__version__ = "0.1.0"
