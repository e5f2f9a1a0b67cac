#!/usr/bin/python
# Copyright: pbxwizard developers; MIT licence (see the project's pyproject.toml)
"""Ansible module: bring a signed certificate into a PBX's store, after pbxwizard's checks."""

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_import
short_description: Import a signed certificate and its chain into a PBX's certificate store
description:
  - The same call as C(pbxwizard certs import) on the managed host. The certificate must be
    for the store's key, unexpired, chain to a root it carries or the store trusts, fit its
    role and cover the configured names; a self-signed root in the chain goes into trusted/.
  - Idempotent. When the store already holds this very certificate nothing is written.
options:
  output:
    description: The folder holding security.toml and certs/.
    type: path
    required: true
  certificate:
    description: The certificate as PEM text, followed by its chain (what certificate_sign returns).
    type: str
    required: true
  role:
    description: Whose certificate it is.
    type: str
    choices: [identity, manager]
    default: identity
  passphrase:
    description: The passphrase of the store's private keys, when they are encrypted.
    type: str
extends_documentation_fragment:
  - pbxwizard.pbx._attributes.CHECK_MODE
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxwizard.pbx.plugins.module_utils._pbxwizard import fail_refused, require_pbxwizard, secret_bytes


def main():
    module = AnsibleModule(
        argument_spec=dict(
            output=dict(type="path", required=True),
            certificate=dict(type="str", required=True),
            role=dict(type="str", choices=["identity", "manager"], default="identity"),
            passphrase=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
    )
    require_pbxwizard(module)
    from pathlib import Path

    from pbxwizard.certs import pemfiles
    from pbxwizard.certs.importing import import_signed
    from pbxwizard.certs.layout import Layout
    from pbxwizard.errors import ConfigError, InvalidValue
    from pbxwizard.paths import CONFIG_NAME
    from pbxwizard.settings import presets, tomlfile

    p = module.params
    output = Path(os.path.abspath(p["output"]))
    pem = p["certificate"].encode("ascii", "replace")
    current = Layout.for_output(output).role(p["role"]).cert
    try:
        leaf = pemfiles.parse_certs(pem, "certificate")[0]
        if current.is_file() and pemfiles.fingerprint(pemfiles.read_certs(current)[0]) == pemfiles.fingerprint(leaf):
            module.exit_json(changed=False, msg=f"{current} already holds this certificate")
        if module.check_mode:
            module.exit_json(changed=True, msg=f"would import the {p['role']} certificate")
        config = None
        if (output / CONFIG_NAME).is_file():
            config, _ = tomlfile.load_config(output / CONFIG_NAME, presets.load().values)
        result = import_signed(output, pem, role=p["role"], config=config,
                               passphrase=secret_bytes(p["passphrase"]), source="certificate")
    except (InvalidValue, ConfigError) as exc:
        fail_refused(module, exc, "the certificate was not imported; the store is as it was")
    module.exit_json(changed=True, msg=f"imported the {p['role']} certificate into {result.store}",
                     added_roots=result.added_roots, notes=result.notes)


if __name__ == "__main__":
    main()
