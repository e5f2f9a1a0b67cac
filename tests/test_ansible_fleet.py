"""The Ansible collection in ansible/: the example playbook against three PBXs on this machine.

Two hosts use ``ansible_connection=local`` with their own output folders; the third is
reached over SSH through a real sshd on 127.0.0.1. Secrets come from an Ansible Vault file.
Every run is at -vvv with a log file, and no password or passphrase may appear in either.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sshdhelp import running_sshd, sshd_path
from test_run_plan import _state

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORDS = {"security_admin": "Quokka-Harbour-Lantern-2026!", "administrator": "Velvet#Harbor#Mosaic#31x",
             "business_partner": "Quiet-Lantern-Orbit-77x!", "system": "Amber-Falcon-Kettle-48x",
             "monitor": "TraceOwlHarbour2026x", "voicemail": "Mailbox-Cedar-Orbit-19x"}
KEY_PASSPHRASE = "box key passphrase 2026"
CA_PASSPHRASE = "control node passphrase 7"
VAULT_PASSWORD = "vault password for the test"
SECRETS = (*PASSWORDS.values(), KEY_PASSPHRASE, CA_PASSPHRASE, VAULT_PASSWORD)
HOSTS = ("pbx1", "pbx2", "pbx3")
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def _needs(what: str, found: bool) -> None:
    if not found:
        message = f"{what} is missing; .ci/run and the test extras install it"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


def _answers(timeout: int = 900) -> str:
    return ('[pbxwizard]\npreset = "maximum"\n\n[web]\nsession_timeout = %d\n\n'
            '[certificates]\ndns_names = ["{name}.example.net"]\nip_addresses = []\n' % timeout)


class Fleet:
    def __init__(self, tmp: Path, server) -> None:
        self.tmp = tmp
        self.inv = tmp / "inventory"
        self.ca = tmp / "control" / "ca"
        self.out = {h: tmp / "boxes" / h for h in HOSTS}
        (self.inv / "group_vars" / "all").mkdir(parents=True)
        (self.inv / "answers").mkdir()
        for host in HOSTS:
            self.write_answers(host, _answers())
        ssh = (f"-o UserKnownHostsFile={server.known_hosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes "
               "-o ControlMaster=no")
        (self.inv / "inventory.yml").write_text(f"""\
all:
  vars:
    ansible_python_interpreter: {sys.executable}
    pbx_ca_dir: {self.ca}
    pbx_ca_name: ca.fleet.example.net
  children:
    pbx:
      hosts:
        pbx1: {{ansible_connection: local, pbx_output: {self.out['pbx1']}, pbx_answers_file: "{{{{ inventory_dir }}}}/answers/pbx1.toml"}}
        pbx2: {{ansible_connection: local, pbx_output: {self.out['pbx2']}, pbx_answers_file: "{{{{ inventory_dir }}}}/answers/pbx2.toml"}}
        pbx3:
          ansible_host: 127.0.0.1
          ansible_port: {server.port}
          ansible_user: root
          ansible_ssh_private_key_file: {server.client_key}
          ansible_ssh_common_args: "{ssh}"
          pbx_output: {self.out['pbx3']}
          pbx_answers_file: "{{{{ inventory_dir }}}}/answers/pbx3.toml"
""")
        vault = self.inv / "group_vars" / "all" / "vault.yml"
        vault.write_text("pbx_passwords:\n" + "".join(f'  {k}: "{v}"\n' for k, v in PASSWORDS.items())
                         + f'pbx_key_passphrase: "{KEY_PASSPHRASE}"\npbx_ca_passphrase: "{CA_PASSPHRASE}"\n')
        self.vault_password = tmp / "vault-password"
        self.vault_password.write_text(VAULT_PASSWORD + "\n")
        os.chmod(self.vault_password, 0o600)
        subprocess.run([str(BIN / "ansible-vault"), "encrypt", "--vault-password-file", str(self.vault_password),
                        str(vault)], check=True, env=self.env(), capture_output=True)
        assert vault.read_text().startswith("$ANSIBLE_VAULT;")
        self.outputs: list[str] = []

    def write_answers(self, host: str, text: str) -> None:
        (self.inv / "answers" / f"{host}.toml").write_text(text.replace("{name}", host))

    def env(self) -> dict[str, str]:
        collections = self.tmp / "collections" / "ansible_collections" / "pbxwizard"
        if not collections.exists():
            collections.mkdir(parents=True)
            (collections / "pbx").symlink_to(ROOT / "ansible")
        return {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(self.tmp / "collections"), "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_HOME": str(self.tmp / "ansible-home"), "ANSIBLE_LOCAL_TEMP": str(self.tmp / "local-tmp"),
                "ANSIBLE_REMOTE_TEMP": str(self.tmp / "remote-tmp"), "ANSIBLE_LOG_PATH": str(self.tmp / "ansible.log"),
                "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_PIPELINING": "1",
                # No ControlPersist master: one would outlive the test (and its sshd) for 60 s.
                # Ansible's default ssh_args come first and ssh keeps the first value it reads.
                "ANSIBLE_SSH_ARGS": "-o ControlMaster=no -o ControlPersist=no",
                "ANSIBLE_SSH_CONTROL_PATH_DIR": str(self.tmp / "cp")}

    def play(self, *extra: str) -> tuple[int, str, dict[str, dict[str, int]], float]:
        started = time.monotonic()
        done = subprocess.run([str(BIN / "ansible-playbook"), "-vvv", "-i", str(self.inv / "inventory.yml"),
                               "--vault-password-file", str(self.vault_password),
                               str(ROOT / "ansible" / "playbooks" / "harden.yml"), *extra],
                              capture_output=True, text=True, env=self.env(), stdin=subprocess.DEVNULL)
        took = time.monotonic() - started
        text = done.stdout + done.stderr
        self.outputs.append(text)
        recap = {m[1]: {"ok": int(m[2]), "changed": int(m[3]), "unreachable": int(m[4]), "failed": int(m[5])}
                 for m in RECAP.finditer(done.stdout)}
        return done.returncode, text, recap, took


def test_the_example_playbook_hardens_three_pbxs_idempotently_with_one_ca(tmp_path):
    _needs("ansible-playbook (ansible-core)", (BIN / "ansible-playbook").exists())
    _needs("sshd (openssh-server)", sshd_path() is not None)
    with running_sshd(tmp_path / "sshd") as server:
        fleet = Fleet(tmp_path, server)

        code, text, recap, took = fleet.play()
        assert code == 0, text[-4000:]
        print(f"first run of the playbook: {took:.1f} s")
        assert all(recap[h]["changed"] > 0 and recap[h]["failed"] == 0 for h in HOSTS), recap
        assert any("Accepted publickey for root from 127.0.0.1" in line for line in server.log), "pbx3 came over SSH"
        for host in HOSTS:
            assert (fleet.out[host] / "certs" / "identity" / "pbx.pem").is_file()

        code, text, recap, took = fleet.play()
        assert code == 0, text[-4000:]
        print(f"second run (nothing to change): {took:.1f} s")
        assert {h: recap[h]["changed"] for h in (*HOSTS, "localhost")} == dict.fromkeys((*HOSTS, "localhost"), 0)

        before = {h: _state(fleet.out[h]) for h in HOSTS}
        fleet.write_answers("pbx2", _answers(timeout=600))
        code, text, recap, _ = fleet.play("--check", "--diff")
        assert code == 0, text[-4000:]
        assert "-session_timeout = 900\n+session_timeout = 600" in text
        assert recap["pbx2"]["changed"] == 1 and recap["pbx1"]["changed"] == recap["pbx3"]["changed"] == 0
        assert {h: _state(fleet.out[h]) for h in HOSTS} == before, "--check writes nothing"

        fleet.write_answers("pbx1", _answers(timeout=5))
        code, text, recap, _ = fleet.play()
        assert code == 2, text[-4000:]
        assert recap["pbx1"]["failed"] == 1 and "web.session_timeout" in text
        assert recap["pbx2"]["failed"] == recap["pbx3"]["failed"] == 0 and recap["pbx2"]["changed"] > 0
        assert _state(fleet.out["pbx1"]) == before["pbx1"], "the refused host keeps its files"
        assert "session_timeout = 600" in (fleet.out["pbx2"] / "security.toml").read_text()

    root = fleet.ca / "certs" / "ca" / "root-ca.pem"
    root_key = (fleet.ca / "certs" / "ca" / "offline" / "root-ca-key-OFFLINE.pem").read_bytes()
    for host in HOSTS:
        identity = fleet.out[host] / "certs" / "identity"
        verified = subprocess.run(["openssl", "verify", "-CAfile", str(root), "-untrusted", str(identity / "pbx-chain.pem"),
                                   str(identity / "pbx.pem")], capture_output=True, text=True, check=False)
        assert verified.returncode == 0 and verified.stdout.strip().endswith(": OK"), verified.stderr
    holders = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink() and p.read_bytes() == root_key]
    assert holders == [fleet.ca / "certs" / "ca" / "offline" / "root-ca-key-OFFLINE.pem"]

    log = (tmp_path / "ansible.log").read_text()
    written = "".join(p.read_text(errors="replace") for h in HOSTS for p in fleet.out[h].rglob("*") if p.is_file())
    for secret in SECRETS:
        assert not any(secret in out for out in fleet.outputs), "a secret in the -vvv output"
        assert secret not in log, "a secret in the Ansible log"
        assert secret not in written, "a secret in a written file"


@pytest.mark.parametrize("plugin", ["security_config", "certificate_sign", "certificate_import"])
def test_ansible_doc_reads_every_module_and_its_secret_options(plugin, tmp_path):
    _needs("ansible-doc (ansible-core)", (BIN / "ansible-doc").exists())
    collections = tmp_path / "ansible_collections" / "pbxwizard"
    collections.mkdir(parents=True)
    (collections / "pbx").symlink_to(ROOT / "ansible")
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(tmp_path), "ANSIBLE_HOME": str(tmp_path / "home")}
    done = subprocess.run([str(BIN / "ansible-doc"), "--json", f"pbxwizard.pbx.{plugin}"], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    import json

    doc = json.loads(done.stdout)[f"pbxwizard.pbx.{plugin}"]["doc"]
    assert doc["attributes"]["check_mode"]["support"] == "full"
    source = (ROOT / "ansible" / "plugins" / "modules" / f"{plugin}.py").read_text()
    for option in ("passwords", "passphrase"):
        if option in doc["options"]:
            assert re.search(rf"{option}=dict\([^)]*no_log=True", source), f"{option} must be no_log"
