"""Ports for the servers the tests start: free, on 127.0.0.1, and never handed out twice.

A port is chosen before its server starts (it goes into the server's config first), so
between the choice and the server's bind another process could take it. Ports from the
kernel's ephemeral range can be, by any client's connect or any bind to port 0; so these
come from below that range, from a slice of their own for each pytest-xdist worker, and a
worker never hands the same port out twice. The port is still checked free when chosen.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import socket

FIRST, LAST = 20000, 32000  # below Linux's default ephemeral range (32768-60999)
_SLICES = 8


def _worker_slice() -> range:
    worker = int((re.search(r"\d+", os.environ.get("PYTEST_XDIST_WORKER", "gw0")) or ["0"])[0]) % _SLICES
    size = (LAST - FIRST) // _SLICES
    return range(FIRST + worker * size, FIRST + (worker + 1) * size)


_SLICE = _worker_slice()
_NEXT = itertools.chain(iter(_SLICE[random.randrange(len(_SLICE)):]), itertools.cycle(_SLICE))


def free_port() -> int:
    """A TCP and UDP port on 127.0.0.1 that nothing uses now and this worker has not handed out."""
    for port in itertools.islice(_NEXT, len(_SLICE)):
        try:
            with socket.socket() as tcp, socket.socket(type=socket.SOCK_DGRAM) as udp:
                tcp.bind(("127.0.0.1", port))
                udp.bind(("127.0.0.1", port))
        except OSError:
            continue
        return port
    raise RuntimeError(f"no free port left in {_SLICE.start}-{_SLICE.stop - 1}")
