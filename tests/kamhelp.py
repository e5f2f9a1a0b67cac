"""Kamailio for the tests: the binary, an exported folder, and a running server with its own handle.

Under CI=true a missing Kamailio fails the test (``.ci/run`` installs it); elsewhere the
test is skipped with the package names to install. A server listens on 127.0.0.1 on a free
port; ``running`` waits for its port (never a fixed sleep) and always stops its process
group, even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from porthelp import free_port  # noqa: F401  (the live tests import it from here)

PACKAGES = "kamailio kamailio-tls-modules"
HOST = "pbx.example.test"
PASSPHRASE = "correct horse battery staple"

#: A line Kamailio writes when it catches a fault of its own. With several TCP workers 5.6.3
#: writes them (double frees through the tls module) before it crashes (kamailio#3791); the
#: export's one worker writes none, and the tests hold it to that.
FAULT = re.compile(r"^.*\bBUG: .*$", re.M)


def need(tool: str, package: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if os.path.exists(f"/usr/sbin/{tool}") else None)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is not installed; .ci/run installs it (apt-get install {package})", pytrace=False)
    pytest.skip(f"{tool} is not installed (apt-get install {package})")


def kamailio() -> str:
    return need("kamailio", PACKAGES)


def cli(*argv: str, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    import sys

    return subprocess.run([sys.executable, "-m", "pbxwizard", *argv], capture_output=True, text=True,
                          input=stdin, env={**os.environ, **(env or {})}, timeout=300)


def make_folder(folder: Path, preset: str, *sets: str, tls_port: int | None = None) -> Path:
    """apply --preset --certs (a local CA, so every preset has a certificate) and export kamailio."""
    from pbxwizard.settings import presets

    env = {"PBX_KEYS": PASSPHRASE}
    encrypted = presets.load(include_user=False).values(preset)["certificates.encrypt_keys"]
    secret = ["--passphrase-env", "PBX_KEYS"] if encrypted else []
    args = ["apply", "--preset", preset, "--set", f"certificates.dns_names={HOST}",
            "--set", "certificates.mode=local_ca", "--set", f"sip.tls_port={tls_port or free_port()}",
            *[a for s in sets for a in ("--set", s)], "--certs", *secret, "--output", str(folder)]
    done = cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    done = cli("export", "kamailio", "--output", str(folder), "--address", "127.0.0.1", *secret, env=env)
    assert done.returncode == 0, done.stderr
    return folder / "kamailio"


def check(cfg: Path) -> subprocess.CompletedProcess:
    return subprocess.run([kamailio(), "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=60)


class Server:
    def __init__(self, proc: subprocess.Popen, log: Path, port: int, folder: Path):
        self.proc, self.log, self.port, self.folder = proc, log, port, folder

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def await_log(self, pattern: str, *, after: int = 0, deadline: float = 30.0) -> re.Match:
        """Wait until the log (from offset ``after``) matches ``pattern``; fail with the log if it never does."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            found = re.search(pattern, self.log_text()[after:])
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"no log line matching {pattern!r}; Kamailio's log:\n{self.log_text()[-3000:]}")

    def faults(self) -> list[str]:
        """The FAULT lines in the log so far."""
        return FAULT.findall(self.log_text())

    def log_size(self) -> int:
        return len(self.log_text())

    def answers_again(self) -> bool:
        """After a reset: wait until it answers a handshake again (True), or until it has exited
        (False, for the caller to read why in the log)."""
        return _await_port(self.port, self.proc, self.log, exit_fails=False)

    def state(self) -> str:
        """Whether Kamailio still runs, with the end of its log: what a failed probe needs beside it."""
        code = self.proc.poll()
        alive = "Kamailio is still running" if code is None else f"Kamailio exited with {code}"
        return f"{alive}; the end of its log:\n{self.log_text()[-3000:]}"


def _speaks_tls(port: int) -> bool:
    """Whether the server answers a TLS handshake, not just a TCP connect.

    Kamailio's main process listens before its TCP workers run, so a connect alone can
    succeed while the handshake is still reset; a scanner that starts then (sslyze tries
    its connectivity test once) reports "Server rejected the connection". An alert counts
    as an answer: the server refused us for a reason, so it is up (at High it wants a
    client certificate).
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as raw, \
                ctx.wrap_socket(raw, server_hostname=HOST):
            return True
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionError, TimeoutError, socket.timeout):
        return False
    except ssl.SSLError:
        return True
    except OSError:
        return False


def _await_port(port: int, proc: subprocess.Popen, log: Path, deadline: float = 30.0, *,
                exit_fails: bool = True) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            if not exit_fails:
                return False
            pytest.fail(f"kamailio exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if _speaks_tls(port):
            return True
        time.sleep(0.05)
    pytest.fail(f"kamailio never listened on {port}:\n{log.read_text(errors='replace')[-3000:]}")


@contextlib.contextmanager
def running(folder: Path, *, openssl_conf: bool = True):
    """Kamailio started from the exported files in ``folder`` (OUTPUT/kamailio), stopped by its own handle."""
    cfg = folder / "kamailio.cfg"
    port = int(re.search(r"^listen=tls:[^\n]*:(\d+)$", cfg.read_text(), re.M).group(1))
    run = folder.parent / "run"
    run.mkdir(exist_ok=True)
    log = folder.parent / "kamailio.log"
    env = {**os.environ}
    if openssl_conf:
        env["OPENSSL_CONF"] = str(folder / "openssl.cnf")
    with log.open("wb") as out:
        proc = subprocess.Popen([kamailio(), "-DD", "-E", "-Y", str(run), "-f", str(cfg)], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        _await_port(port, proc, log)
        yield Server(proc, log, port, folder.parent)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- a SIP client over TLS (Python's ssl, for what openssl s_client cannot do in one go) ------

def tls_context(folder: Path, cert: str = "", key: str = "") -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(folder / "certs" / "trusted" / "ca-bundle.pem"))
    if cert:
        ctx.load_cert_chain(cert, key, password=PASSPHRASE)
    return ctx


def request(method: str, uri: str = f"sip:{HOST}", *, user_agent: str = "Linphone/5.2", call_id: str = "",
            extra: str = "", body: str = "", from_user: str = "probe") -> tuple[str, str]:
    """A SIP request over TLS and its Call-ID."""
    call_id = call_id or uuid.uuid4().hex
    head = (f"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK{uuid.uuid4().hex}\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:{from_user}@{HOST}>;tag={uuid.uuid4().hex[:8]}\r\n"
            f"To: <sip:{from_user}@{HOST}>\r\nCall-ID: {call_id}\r\nCSeq: 1 {method}\r\n"
            f"Contact: <sip:{from_user}@127.0.0.1:5099;transport=tls>\r\nUser-Agent: {user_agent}\r\n{extra}")
    if body:
        head += "Content-Type: application/sdp\r\n"
    return head + f"Content-Length: {len(body.encode())}\r\n\r\n" + body, call_id


class Connection:
    """One TLS connection to the server; replies are read in order."""

    def __init__(self, port: int, ctx: ssl.SSLContext):
        raw = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.sock = ctx.wrap_socket(raw, server_hostname=HOST)
        self.buffer = b""

    def send(self, text: str) -> None:
        self.sock.sendall(text.encode())

    def reply(self) -> str:
        """The next reply (head and body); raises TimeoutError when the server says nothing."""
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return (head + sep + rest[:length]).decode()
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk

    def pending(self) -> bytes:
        """Whatever has arrived and not been read, without waiting."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buffer += chunk
        except (ssl.SSLWantReadError, BlockingIOError):
            pass
        finally:
            self.sock.setblocking(True)
        return self.buffer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def status(reply: str) -> int:
    return int(reply.split(" ", 2)[1])


def call_id(reply: str) -> str:
    return re.search(r"(?im)^call-id:\s*(\S+)", reply).group(1)


def digest(challenge: str, method: str, uri: str, user: str, password: str) -> str:
    """An Authorization header answering a 401's WWW-Authenticate (RFC 2617, MD5, qop auth or none)."""
    import hashlib

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    field = re.search(r"(?im)^www-authenticate:\s*digest\s+(.*)$", challenge).group(1)
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', field))
    ha1, ha2 = md5(f"{user}:{params['realm']}:{password}"), md5(f"{method}:{uri}")
    extra = ""
    if "auth" in params.get("qop", "").split(","):
        cnonce = uuid.uuid4().hex[:16]
        response = md5(f"{ha1}:{params['nonce']}:00000001:{cnonce}:auth:{ha2}")
        extra = f", qop=auth, nc=00000001, cnonce=\"{cnonce}\""
    else:
        response = md5(f"{ha1}:{params['nonce']}:{ha2}")
    return (f'Authorization: Digest username="{user}", realm="{params["realm"]}", nonce="{params["nonce"]}", '
            f'uri="{uri}", response="{response}", algorithm=MD5{extra}\r\n')


def register(conn: "Connection", user: str, password: str, domain: str = HOST) -> str:
    """REGISTER with digest authentication, as a phone does: the 401, then the answer to it."""
    uri = f"sip:{domain}"
    first, cid = request("REGISTER", uri, from_user=user)
    conn.send(first)
    challenge = conn.reply()
    if status(challenge) != 401:
        return challenge
    again, _ = request("REGISTER", uri, from_user=user, call_id=cid, extra=digest(challenge, "REGISTER", uri, user, password))
    conn.send(again.replace("CSeq: 1 REGISTER", "CSeq: 2 REGISTER"))
    return conn.reply()
