"""SMB connections that never hang: a client GUID of their own, and a deadline on every request.

Deadline: smbprotocol waits for a response without a time limit (Connection.receive(timeout=None)
in session setup, tree connect, create, query, read, close, logoff; smbclient's calls pass no
timeout), so one lost response, or a PC switched off mid-scan that drops packets silently, would
hold the scan forever. One watchdog thread per process watches the calls in flight; when one
passes its deadline it shuts the connection's socket down. smbprotocol's receiver thread then
sees the socket closed and wakes every waiting caller with SMBConnectionClosed, which
`deadline()` turns into RequestTimeout for that file or folder only.

Client GUID: smbclient gives every connection of a process the same client GUID. Samba hands a
new connection with a GUID it already serves over to the smbd process serving it (SMB3
multichannel connection passing; its log says "Server exit (passed connection)"), so N
"parallel" connections were all served by one smbd process, one request at a time, and under
CPU load the SESSION_SETUP reply on a handed-over connection was sometimes never sent. With a
GUID per connection each connection gets its own smbd process: no hand-over, and parallel
queries really run in parallel.
"""

from __future__ import annotations

import errno
import itertools
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from pdscan.i18n import t

DEFAULT_TIMEOUT = 30.0  # seconds for one SMB request; env PDSCAN_SMB_TIMEOUT overrides
ENV_TIMEOUT = "PDSCAN_SMB_TIMEOUT"


class RequestTimeout(TimeoutError):
    """No answer within the deadline: the connection was cut, the caller gets an error record."""

    def __init__(self, seconds: float):
        super().__init__(errno.ETIMEDOUT, t("smb_timeout", s=seconds))


def request_timeout() -> float:
    """The per-request deadline: PDSCAN_SMB_TIMEOUT (seconds) or DEFAULT_TIMEOUT."""
    raw = os.environ.get(ENV_TIMEOUT, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if value > 0:
            return value
    return DEFAULT_TIMEOUT


def new_connection(host: str, port: int, connect_timeout: float):
    """A connected smbprotocol Connection with its own client GUID (see the module docstring)."""
    from smbprotocol.connection import Connection

    conn = Connection(uuid.uuid4(), host, port, require_signing=True)
    try:
        conn.connect(timeout=connect_timeout)
    except BaseException:
        if conn.transport is not None:  # NEGOTIATE unanswered: do not leave its socket and thread
            conn.disconnect(False)
        raise
    return conn


def cut(cache: dict) -> None:
    """Shut down the sockets of the connections in an smbclient connection cache.

    shutdown(), not Tcp.close(): close() takes the transport's send lock, which a sender stuck in
    send() on a full socket buffer holds; shutdown() wakes both that sender and the receiver.
    """
    for conn in list(cache.values()):
        sock = getattr(getattr(conn, "transport", None), "_sock", None)
        if sock is None:
            continue
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


class _Watchdog:
    """One thread per process: cuts the connection of a call that is past its deadline."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.cond = threading.Condition()
        self.armed: dict[int, tuple[float, dict]] = {}
        self.fired: set[int] = set()
        self.tokens = itertools.count()
        self.thread: threading.Thread | None = None

    def arm(self, cache: dict, seconds: float) -> int:
        with self.cond:
            token = next(self.tokens)
            self.armed[token] = (time.monotonic() + seconds, cache)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, daemon=True, name="pdscan-smb-watchdog")
                self.thread.start()
            self.cond.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Forget the call; True when its deadline passed and its connection was cut."""
        with self.cond:
            self.armed.pop(token, None)
            if token in self.fired:
                self.fired.discard(token)
                return True
            return False

    def _run(self) -> None:
        while True:
            with self.cond:
                now = time.monotonic()
                due = [(t, c) for t, (d, c) in self.armed.items() if d <= now]
                for t, _ in due:
                    del self.armed[t]
                    self.fired.add(t)
                if not due:
                    nearest = min((d for d, _ in self.armed.values()), default=now + 60)
                    self.cond.wait(max(nearest - now, 0.01))
                    continue
            for _, cache in due:
                cut(cache)


_watchdog = _Watchdog()
os.register_at_fork(after_in_child=_watchdog._reset)  # a forked worker starts its own watchdog


@contextmanager
def deadline(cache: dict, seconds: float | None = None) -> Iterator[None]:
    """Run SMB calls on the connections in `cache` with a deadline; RequestTimeout when it passes.

    Every call on the cut connection fails, also in other threads sharing it: they get
    SMBConnectionClosed, and the next session lookup reconnects.
    """
    seconds = request_timeout() if seconds is None else seconds
    token = _watchdog.arm(cache, seconds)
    try:
        yield
    except Exception:
        if _watchdog.disarm(token):
            raise RequestTimeout(seconds) from None
        raise
    _watchdog.disarm(token)  # answered just as it was cut: the result stands, the connection is gone
