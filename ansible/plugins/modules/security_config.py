#!/usr/bin/python
# Copyright: pbxwizard developers; MIT licence (see the project's pyproject.toml)
"""Ansible module: write a PBX's security.toml (and its certificate store and pairing codes)
with pbxwizard's own plan and execute, so a host is changed only when its files would be."""

from __future__ import annotations

DOCUMENTATION = r"""
module: security_config
short_description: Harden a PBX with pbxwizard (security.toml, certificate store, pairing codes)
description:
  - Plans the run with pbxwizard's C(make_plan) on the managed host and, unless in check
    mode, carries it out with C(execute), the same core calls as C(pbxwizard apply).
  - Idempotent. A file whose content would not change is not written, a password that
    verifies against the stored hash keeps that hash, an existing certificate store and
    still-valid pairing codes stay. C(changed) is true only when something was written.
  - pbxwizard must be importable by the managed host's Python (C(ansible_python_interpreter)).
options:
  output:
    description: The folder pbxwizard writes into (security.toml, answers.toml, certs/, pairing/).
    type: path
    required: true
  preset:
    description: The preset to start from; overrides the answers file's.
    type: str
  answers_content:
    description: The text of an answers file (the shape of security.toml), e.g. from a file lookup.
    type: str
  answers_source:
    description: What to call the answers file in messages (its path on the control node).
    type: str
    default: answers file
  set:
    description: Overrides in pbxwizard's KEY=VALUE notation, applied after the answers file.
    type: list
    elements: str
    default: []
  certificates:
    description: Also make the certificate store as the certificates settings say (an existing one is kept).
    type: bool
    default: false
  pair:
    description: Extensions to make pairing codes for (a still-valid code is kept).
    type: list
    elements: str
    default: []
  passwords:
    description: New passwords of the accounts, account name to password. Only argon2id hashes are stored.
    type: dict
    default: {}
  passphrase:
    description: The passphrase that encrypts the store's private keys, when certificates.encrypt_keys is on.
    type: str
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - O(passwords) and O(passphrase) are C(no_log); give them from Ansible Vault, never on the command line.
"""

EXAMPLES = r"""
- name: Harden the PBX from its answers file
  pbxwizard.pbx.security_config:
    output: /etc/pbxwizard
    answers_content: "{{ lookup('ansible.builtin.file', 'answers/pbx1.toml') }}"
    certificates: true
    passwords: "{{ vault_pbx_passwords }}"
    passphrase: "{{ vault_pbx_key_passphrase }}"
"""

RETURN = r"""
changed:
  description: Whether any file was (or, in check mode, would be) written.
  type: bool
files:
  description: Every file of the plan with its action (create, update, replace or keep).
  type: list
  returned: always
diff:
  description: The unified diff of security.toml; new hashes stand as "(new hash, made when writing)".
  type: dict
  returned: when diff mode is on
findings:
  description: The audit findings of the planned config (as C(pbxwizard check --json) gives them).
  type: list
  returned: always
notes:
  description: What executing did, in words (folders tightened, the store kept, codes made).
  type: list
  returned: always
requests:
  description: >-
    The certificate requests still waiting for a certificate (certificates.mode=csr), each with
    its role (identity or manager) and the request in PEM, for a CA to sign; empty in check mode.
  type: list
  elements: dict
  returned: always
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxwizard.pbx.plugins.module_utils._pbxwizard import fail_refused, require_pbxwizard, secret_bytes


def _resolve(module, presets):
    """The inputs as pbxwizard's ``Resolved``; the answers text goes through a private temp file."""
    from pathlib import Path

    from pbxwizard.errors import ConfigError, Problem
    from pbxwizard.run.request import resolve

    p = module.params
    if p["answers_content"] is None:
        return resolve(presets, preset=p["preset"], assignments=p["set"], certificates=p["certificates"], pair=p["pair"])
    with tempfile.TemporaryDirectory(prefix="pbxwizard-answers-") as folder:
        path = Path(folder) / "answers.toml"
        path.write_text(p["answers_content"], encoding="utf-8")
        try:
            return resolve(presets, preset=p["preset"], answers=path, assignments=p["set"],
                           certificates=p["certificates"], pair=p["pair"])
        except ConfigError as exc:
            named = [Problem(q.key, q.message, p["answers_source"] if q.file == str(path) else q.file, q.line)
                     for q in exc.problems]
            raise ConfigError(named) from None


def _requests(output):
    """The store's requests still to be signed, so the play needs no round trips to find them."""
    from pbxwizard.certs.layout import Layout

    return [{"role": files.role, "csr": files.csr.read_text(encoding="ascii")}
            for files in Layout.for_output(output).pending_requests()]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            output=dict(type="path", required=True),
            preset=dict(type="str"),
            answers_content=dict(type="str"),
            answers_source=dict(type="str", default="answers file"),
            set=dict(type="list", elements="str", default=[]),
            certificates=dict(type="bool", default=False),
            pair=dict(type="list", elements="str", default=[]),
            passwords=dict(type="dict", default={}, no_log=True),
            passphrase=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
    )
    require_pbxwizard(module)
    from pbxwizard.errors import ConfigError
    from pbxwizard.run import report
    from pbxwizard.run.execute import Secrets, execute
    from pbxwizard.run.plan import make_plan
    from pbxwizard.settings import presets as preset_files

    p = module.params
    output = os.path.abspath(p["output"])
    passwords = {str(k): str(v) for k, v in (p["passwords"] or {}).items()}
    passphrase = secret_bytes(p["passphrase"])
    try:
        presets = preset_files.load()
        resolved = _resolve(module, presets)
        plan = make_plan(resolved, output, new_passwords=passwords, passphrase=passphrase)
        if plan.problems:
            raise ConfigError(list(plan.problems))
        notes = []
        if not module.check_mode and plan.changed:
            new = {name: passwords[name] for name in plan.new_passwords}
            outcome = execute(plan, Secrets(new, passphrase, source="passwords"))
            notes = outcome.notes + outcome.lines
    except ConfigError as exc:
        fail_refused(module, exc)
    except OSError as exc:
        module.fail_json(msg=f"{exc.filename or output}: {exc.strerror or exc}", changed=False)
    data = report.as_json(plan, report.findings(plan, presets), check=module.check_mode, notes=notes)
    result = dict(changed=plan.changed, output=output, files=data["files"], findings=data["findings"],
                  passwords=data["passwords"], warnings_found=data["warnings"], notes=notes,
                  requests=[] if module.check_mode else _requests(output))
    if module._diff:
        result["diff"] = {"prepared": data["diff"]} if data["diff"] else {}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
