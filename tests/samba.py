"""A real Samba server for tests: smbd on 127.0.0.1 on a free non-standard port, all state in a temp dir.

Started with `setsid smbd --foreground --no-process-group`, so the whole process group is killed at the end.
Needs root (smbd switches to the connected user's uid) and Debian's samba package.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SMBD = shutil.which("smbd") or ("/usr/sbin/smbd" if os.path.exists("/usr/sbin/smbd") else None)
SMBPASSWD = shutil.which("smbpasswd")
SMBCACLS = shutil.which("smbcacls")


def skip_reason() -> str | None:
    """Why Samba tests cannot run here, or None when they can."""
    if not SMBD or not SMBPASSWD:
        return "smbd/smbpasswd не установлены (пакет samba; scripts/setup.sh ставит его)"
    if os.geteuid() != 0:
        return "smbd в тестах запускается от root (CI запускает тесты от root)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


CONF = """\
[global]
  workgroup = PDTEST
  netbios name = PDSCANTEST
  server role = standalone server
  smb ports = {ports}
  interfaces = 127.0.0.1
  bind interfaces only = yes
  private dir = {d}/private
  lock directory = {d}/lock
  state directory = {d}/state
  cache directory = {d}/cache
  pid directory = {d}/pid
  ncalrpc dir = {d}/ncalrpc
  binddns dir = {d}/bind-dns
  passdb backend = tdbsam:{d}/private/passdb.tdb
  log file = {d}/log.smbd
  log level = 1
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  disable netbios = yes
  server min protocol = SMB2_02
  map to guest = never
  unix charset = UTF-8
  smb passwd file = {d}/private/smbpasswd

[share]
  path = {share}
  read only = no
  browseable = yes
  vfs objects = acl_xattr
  map acl inherit = yes
  store dos attributes = yes
"""


@dataclass
class Samba:
    host: str
    port: int
    share_dir: Path  # the share's directory on the local disk (the tests write files here)
    conf: Path
    user: str
    password: str
    proc: subprocess.Popen
    state: Path

    @property
    def url(self) -> str:
        return f"smb://{self.host}:{self.port}/share"

    def add_user(self, name: str, password: str) -> None:
        subprocess.run(
            [SMBPASSWD, "-c", str(self.conf), "-a", "-s", name],
            input=f"{password}\n{password}\n",
            text=True,
            check=True,
            capture_output=True,
        )

    @property
    def smbcacls_ok(self) -> bool:
        """smbcacls has no port option: it works only when this server also listens on 445."""
        return bool(SMBCACLS) and " 445" in self.conf.read_text()

    def smbcacls(self, rel: str, *args: str) -> str:
        """Run smbcacls against the running server (e.g. to set an NT ACL)."""
        assert self.smbcacls_ok, "smbcacls недоступен (нет smbcacls или порт 445 занят)"
        r = subprocess.run(
            [
                SMBCACLS,
                "-s",
                str(self.conf),
                "-U",
                f"{self.user}%{self.password}",
                f"//{self.host}/share",
                rel,
                *args,
            ],
            text=True,
            capture_output=True,
            timeout=60,
        )
        if r.returncode != 0:
            raise RuntimeError(f"smbcacls failed: {r.stdout} {r.stderr}")
        return r.stdout

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def start_samba(base: Path, user: str = "root", password: str = "Pdscan-test-1") -> Samba:
    """Start smbd serving `base/share` as [share]; `user` (an existing unix user) gets an SMB password."""
    base.mkdir(parents=True, exist_ok=True)
    state = base / "samba-state"
    share = base / "share"
    for sub in ("private", "lock", "state", "cache", "pid", "ncalrpc", "bind-dns"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    (state / "private").chmod(0o700)
    share.mkdir(exist_ok=True)
    share.chmod(0o755)
    port = free_port()
    conf = state / "smb.conf"
    # smbcacls (used to write NT ACLs) can only reach port 445, so smbd also listens there when it is free.
    ports = f"{port} 445" if port_free(445) else str(port)
    conf.write_text(CONF.format(ports=ports, d=state, share=share))
    out = open(state / "stdout.log", "wb")
    proc = subprocess.Popen(
        ["setsid", SMBD, "--foreground", "--no-process-group", "--debug-stdout", "-s", str(conf)],
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    out.close()
    srv = Samba("127.0.0.1", port, share, conf, user, password, proc, state)
    try:
        srv.add_user(user, password)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(
                    "smbd exited: " + (state / "stdout.log").read_text(errors="replace")[-2000:]
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return srv
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("smbd did not start listening in 30 s")
    except BaseException:
        srv.stop()
        raise
