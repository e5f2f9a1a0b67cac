"""A real OpenSSH server for tests: its own host key, authorized_keys and config in a folder.

It listens on 127.0.0.1 on a free port, runs in the foreground (-D) logging to a file in its
folder (-E), and is stopped by its process handle, with the per-connection children it forked.
The log is a file, not a pipe: a connection child that outlives the listener would hold a pipe
open and keep the test waiting for its end. No system file is read or changed, except the
privilege separation folder /run/sshd that sshd insists on (made 0755 if missing, as the Debian
service does at start).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
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
    def __init__(self, folder: Path, port: int, client_key: Path, known_hosts: Path, log_file: Path):
        self.folder, self.port, self.client_key, self.known_hosts = folder, port, client_key, known_hosts
        self.log_file = log_file

    @property
    def log(self) -> list[str]:
        return self.log_file.read_text(errors="replace").splitlines(keepends=True)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``: sshd's connection children (they call setsid)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _stop(proc: subprocess.Popen) -> None:
    for child in _children(proc.pid):
        try:
            os.kill(child, signal.SIGTERM)
        except ProcessLookupError:
            pass
    proc.terminate()
    try:
        proc.wait(timeout=READY_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
    log_file = folder / "sshd.log"
    log_file.touch()
    proc = subprocess.Popen([sshd_path(), "-D", "-E", str(log_file), "-f", str(config)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = f"Server listening on 127.0.0.1 port {port}"
        deadline = time.monotonic() + READY_TIMEOUT
        while ready not in log_file.read_text(errors="replace"):
            if proc.poll() is not None:
                raise RuntimeError("sshd stopped before listening:\n" + log_file.read_text(errors="replace"))
            if time.monotonic() > deadline:
                raise RuntimeError(f"sshd not listening after {READY_TIMEOUT} s:\n" + log_file.read_text())
            time.sleep(0.02)
        yield Server(folder, port, folder / "client_ed25519", folder / "known_hosts", log_file)
    finally:
        _stop(proc)
