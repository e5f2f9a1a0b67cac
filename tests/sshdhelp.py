"""A real OpenSSH server for tests: its own host key, authorized_keys and config in a folder.

It listens on 127.0.0.1 on a free port, runs in the foreground (-D) logging to standard
error (-e), and is stopped by its process handle. No system file is read or changed, except
the privilege separation folder /run/sshd that sshd insists on (made 0755 if missing, as
the Debian service does at start).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from porthelp import free_port

READY_TIMEOUT = 30  # seconds; a bound on a broken server, never a wait


def sshd_path() -> str | None:
    return shutil.which("sshd") or next((p for p in ("/usr/sbin/sshd",) if os.access(p, os.X_OK)), None)


def _keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pbxwizard-test", "-f", str(path)],
                   check=True)
    return (path.with_suffix(".pub")).read_text().strip()


class Server:
    def __init__(self, folder: Path, port: int, client_key: Path, known_hosts: Path, log: list[str]):
        self.folder, self.port, self.client_key, self.known_hosts, self.log = folder, port, client_key, known_hosts, log


@contextmanager
def running_sshd(folder: Path):
    """Yields a ``Server`` once sshd says it listens; stops it by its handle on the way out."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    host_pub = _keygen(folder / "host_ed25519")
    client_pub = _keygen(folder / "client_ed25519")
    (folder / "authorized_keys").write_text(client_pub + "\n")
    port = free_port()
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub}\n")
    config = folder / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {folder / 'host_ed25519'}",
        f"PidFile {folder / 'sshd.pid'}", f"AuthorizedKeysFile {folder / 'authorized_keys'}",
        "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no", "LogLevel INFO",
        "Subsystem sftp internal-sftp", "",
    ]))
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    proc = subprocess.Popen([sshd_path(), "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def drain() -> None:
        for line in proc.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        while True:
            line = lines.get(timeout=READY_TIMEOUT)
            if line is None:
                raise RuntimeError("sshd stopped before listening:\n" + "".join(log))
            if f"Server listening on 127.0.0.1 port {port}" in line:
                break
        yield Server(folder, port, folder / "client_ed25519", folder / "known_hosts", log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=READY_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=READY_TIMEOUT)
