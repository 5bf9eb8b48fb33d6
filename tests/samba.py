"""A real Samba server for tests: smbd on 127.0.0.1 on a free non-standard port, all state in a temp dir.

Started with `setsid smbd --foreground --no-process-group`, so the whole process group is killed at the end.
Needs root (smbd switches to the connected user's uid) and Debian's samba package.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
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

    def set_nt_acl(
        self, rel: str, owner: str, group: str, aces: list[tuple[str, str, int, int]], writer: str = "auto"
    ) -> str:
        """Set an NT ACL: aces are (SID, "ALLOWED"|"DENIED", flags, mask), in order.

        Written by smbcacls when it can reach this server (port 445 was free), else sent as an
        SMB2 SET_INFO built with smbprotocol's own descriptor classes — either way Samba's
        acl_xattr stores it and serialises it back, which is what the scanner parses.
        Returns which writer was used.
        """
        if writer == "smbcacls" or (writer == "auto" and self.smbcacls_ok):
            acl = ",".join(f"ACL:{sid}:{kind}/0x{flags:x}/0x{mask:08x}" for sid, kind, flags, mask in aces)
            self.smbcacls(rel, "-S", f"REVISION:1,OWNER:{owner},GROUP:{group},{acl}")
            return "smbcacls"
        _set_info_acl(self, rel, owner, group, aces)
        return "smb2-set-info"

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


def _set_info_acl(srv: Samba, rel: str, owner: str, group: str, aces) -> None:
    import smbclient
    from smbclient._io import SMBFileTransaction, SMBRawIO
    from smbprotocol.file_info import InfoType
    from smbprotocol.open import SMB2SetInfoRequest, SMB2SetInfoResponse
    from smbprotocol.security_descriptor import (
        AccessAllowedAce,
        AccessDeniedAce,
        AclPacket,
        SDControl,
        SIDPacket,
        SMB2CreateSDBuffer,
    )

    def sid(text: str) -> SIDPacket:
        p = SIDPacket()
        p.from_string(text)
        return p

    entries = []
    for who, kind, flags, mask in aces:
        ace = AccessAllowedAce() if kind == "ALLOWED" else AccessDeniedAce()
        ace["ace_flags"] = flags
        ace["mask"] = mask
        ace["sid"] = sid(who)
        entries.append(ace)
    dacl = AclPacket()
    dacl["aces"] = entries
    sd = SMB2CreateSDBuffer()
    sd["control"].set_flag(SDControl.SELF_RELATIVE)
    sd.set_owner(sid(owner))
    sd.set_group(sid(group))
    sd.set_dacl(dacl)

    kw = {"port": srv.port, "username": srv.user, "password": srv.password, "connection_cache": {}}
    smbclient.register_session(srv.host, **kw)
    try:
        unc = f"\\\\{srv.host}\\share\\" + rel.replace("/", "\\")
        write_dac_owner = 0x00040000 | 0x00080000 | 0x00020000  # WRITE_DAC | WRITE_OWNER | READ_CONTROL
        raw = SMBRawIO(unc, mode="r", share_access="rwd", desired_access=write_dac_owner, **kw)
        req = SMB2SetInfoRequest()
        req["info_type"] = InfoType.SMB2_0_INFO_SECURITY
        req["additional_information"] = 0x1 | 0x2 | 0x4  # OWNER | GROUP | DACL
        req["file_id"] = raw.fd.file_id
        req["buffer"] = sd.pack()

        def receive(request):
            resp = SMB2SetInfoResponse()
            resp.unpack(raw.fd.connection.receive(request)["data"].get_value())
            return resp

        with SMBFileTransaction(raw) as tx:
            tx += (req, receive)
    finally:
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=kw["connection_cache"])


@contextlib.contextmanager
def running_samba(prefix: str) -> Iterator[Samba]:
    """A Samba server in a fresh folder, stopped and removed afterwards. The folder is not under
    pytest's 0700 tmp dirs: a non-root SMB user must be able to traverse to the share."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o755)
    srv = start_samba(base)
    try:
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(base, ignore_errors=True)
