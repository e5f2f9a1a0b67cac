#!/usr/bin/python
# Copyright: pbxwizard developers; MIT licence (see the project's pyproject.toml)
"""Ansible module: sign a box's certificate request with the local CA in a control node's folder."""

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_sign
short_description: Sign a PBX's certificate request with one CA kept on the control node
description:
  - The same call as C(pbxwizard certs sign CSR --ca DIR); run it with C(delegate_to) the
    control node. Only the CA's intermediate key signs; the root key is never read.
  - The request gets the local CA's checks and limits (key strength, names, purposes, at
    most 398 days and never past the CA's own lifetime).
options:
  csr:
    description: The request as PEM text (a box's certs/csr/pbx.csr, e.g. read with slurp).
    type: str
    required: true
  ca:
    description: The CA's folder on the host the module runs on (an output folder holding certs/ca).
    type: path
    required: true
  role:
    description: The PBX's server certificate (identity) or the management client's (manager).
    type: str
    choices: [identity, manager]
    default: identity
  days:
    description: Validity in days (1 to 398; never past the CA's own).
    type: int
    default: 365
  passphrase:
    description: The passphrase of the CA's intermediate key, when it is encrypted.
    type: str
extends_documentation_fragment:
  - pbxwizard.pbx._attributes.CHECK_MODE
"""

RETURN = r"""
certificate:
  description: The certificate followed by the intermediate and root, for certificate_import. Empty in check mode.
  type: str
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxwizard.pbx.plugins.module_utils._pbxwizard import fail_refused, require_pbxwizard, secret_bytes


def main():
    module = AnsibleModule(
        argument_spec=dict(
            csr=dict(type="str", required=True),
            ca=dict(type="path", required=True),
            role=dict(type="str", choices=["identity", "manager"], default="identity"),
            days=dict(type="int", default=365),
            passphrase=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
    )
    require_pbxwizard(module)
    from pbxwizard.certs.signing import sign_request
    from pbxwizard.errors import ConfigError

    if module.check_mode:
        module.exit_json(changed=True, certificate="")
    p = module.params
    try:
        signed = sign_request(p["ca"], p["csr"].encode("ascii", "replace"), role=p["role"], days=p["days"],
                              passphrase=secret_bytes(p["passphrase"]), source="csr")
    except ConfigError as exc:
        fail_refused(module, exc, "the control node's CA refused the request")
    module.exit_json(changed=True, certificate=signed.pem().decode("ascii"), days=signed.days)


if __name__ == "__main__":
    main()
