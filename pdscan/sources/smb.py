"""SMB shares as a source: roots `smb://host[:port]/share/path`, read-only, with each file's NT ACL.

Walk: one directory listing per folder (name, size, mtime, file id). ACL: per file one compound
CREATE(READ_CONTROL) + QUERY_INFO(SECURITY: owner, group, DACL) + CLOSE — one round trip; the scan
asks it only for files with personal data (walk(acl=False) + with_access), walk(acl=True) asks it
for every file on a few threads, each over its own connection, since smbd answers a connection's
requests one at a time. Read: CREATE(FILE_READ_DATA|FILE_READ_ATTRIBUTES, share
read/write/delete) + READ + CLOSE in one compound for small files, streamed READs for big ones.

Sessions are cached per process, keyed by (host, port, user, slot): each worker process of the
pool opens its own connection, so N workers are N parallel connections to a host. Each
connection has its own client GUID, and every SMB call runs under a deadline (PDSCAN_SMB_TIMEOUT,
default 30 s) that turns a lost response into an error record for that file or folder: see
smb_conn.py.
"""

from __future__ import annotations

import atexit
import errno
import logging
import os
import queue
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from pdscan.i18n import t
from pdscan.model import FileRef, Reader
from pdscan.smbconfig import SmbConfigError, credentials_for, sid_names
from pdscan.sources.local import WalkError
from pdscan.sources.ntsd import (
    DACL_SECURITY_INFORMATION,
    GROUP_SECURITY_INFORMATION,
    OWNER_SECURITY_INFORMATION,
    SecurityDescriptorError,
    is_broad_sid,
    parse_security_descriptor,
    readers_of,
    sid_name,
)
from pdscan.sources.smb_conn import RequestTimeout, deadline, new_connection

log = logging.getLogger("pdscan.smb")
# smbprotocol logs every request at INFO (file names included): keep --log-file readable and small.
for _noisy in ("smbprotocol", "smbclient", "spnego"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)
atexit.register(lambda: reset_sessions())  # log off cleanly, so servers do not keep dead sessions
DEFAULT_PORT = 445
CONNECT_TIMEOUT = 10  # seconds; an offline PC should not hold the scan for a minute
SD_THREADS = 4  # concurrent security queries per host walk, each thread on its own connection
FILE_ATTRIBUTE_DIRECTORY = 0x10
FILE_ATTRIBUTE_REPARSE_POINT = 0x400  # symlinks/junctions: not followed, like local symlinks
READ_ACCESS = 0x00000001 | 0x00000080  # FILE_READ_DATA | FILE_READ_ATTRIBUTES: nothing that could write


class SmbError(Exception):
    """A host, share or folder that cannot be reached; the message is for the user (Russian)."""


@dataclass(frozen=True, slots=True)
class SmbUrl:
    host: str
    port: int
    share: str
    path: str  # POSIX, no leading or trailing slash; "" for the share's top

    @classmethod
    def parse(cls, url: str) -> SmbUrl:
        if not url.lower().startswith("smb://"):
            raise SmbError(t("smb_not_url", url=url))
        rest = url[6:].replace("\\", "/")
        hostport, _, tail = rest.partition("/")
        if "@" in hostport:
            raise SmbError(t("smb_creds_in_url", where=url.split("@")[-1]))
        host, port = hostport, DEFAULT_PORT
        if hostport.startswith("["):  # [ipv6]:port
            host, _, p = hostport[1:].partition("]")
            if p.startswith(":"):
                port = int(p[1:])
        elif hostport.count(":") == 1:
            host, p = hostport.split(":")
            try:
                port = int(p)
            except ValueError:
                raise SmbError(t("smb_bad_port", url=url)) from None
        parts = [p for p in tail.split("/") if p]
        if not host or not parts:
            raise SmbError(t("smb_url_form", url=url))
        return cls(host, port, parts[0], "/".join(parts[1:]))

    def join(self, rel: str) -> str:
        return "/".join(p for p in (self.path, rel) if p)

    def unc(self, rel: str = "") -> str:
        p = self.join(rel)
        return f"\\\\{self.host}\\{self.share}" + ("\\" + p.replace("/", "\\") if p else "")

    def url(self, rel: str = "") -> str:
        hp = self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"
        p = self.join(rel)
        return f"smb://{hp}/{self.share}" + (f"/{p}" if p else "")


DEFAULT_HOST_PATH = "C$/Users"  # a bare host in a hosts file: the employees' profiles on the admin share


def roots_from_hosts_file(path: str) -> list[str]:
    """Roots from a hosts file, one PC per line; '#' starts a comment.

    pc-buh-01                     -> smb://pc-buh-01/C$/Users
    pc-buh-02 D$/Документы        -> smb://pc-buh-02/D$/Документы
    fs01:4450 share/Отдел кадров  -> smb://fs01:4450/share/Отдел кадров (the rest of the line)
    smb://fs01/hr                 -> as written
    """
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise SmbError(t("smb_hosts_unreadable", path=path, error=e)) from None
    roots = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("smb://") else line.strip()
        if not line:
            continue
        if line.lower().startswith("smb://"):
            root = line
        else:
            host, *rest = line.split(None, 1)
            path = rest[0].strip().replace("\\", "/").strip("/") if rest else ""
            root = f"smb://{host}/{path or DEFAULT_HOST_PATH}"
        try:
            SmbUrl.parse(root)
        except SmbError as e:
            raise SmbError(t("smb_hosts_line", path=path, n=n, error=e)) from None
        roots.append(root)
    return roots


# ---- sessions (per process) -------------------------------------------------------------------

_lock = threading.Lock()
_sessions: dict[tuple[str, int, str], dict] = {}


_key_locks: dict[tuple, threading.Lock] = {}
# A host that just failed to connect fails fast for DOWN_RETRY seconds: a PC switched off in the
# middle of a scan then costs one connect timeout, not one per queued file.
DOWN_RETRY = 60.0
LOGOFF_TIMEOUT = 5.0  # closing sessions (exit, reset): a host that does not answer is left behind
_down: dict[tuple[str, int], tuple[float, str]] = {}
_slot = threading.local()
_slot_counter = iter(range(1, 1 << 30))


def thread_slot() -> int:
    """A number per thread: threads that query in parallel each get their own connection."""
    n = getattr(_slot, "n", None)
    if n is None:
        n = _slot.n = next(_slot_counter)
    return n


def _session(host: str, port: int, slot: int = 0) -> dict:
    """smbclient keyword arguments for this host, registering the session once per process and slot.

    smbd serves each connection in one process, one request at a time, so parallel queries need
    parallel connections: slot 0 is the walker's and the reader's, other slots are query threads'.
    """
    import smbclient

    try:
        creds = credentials_for(host)
    except SmbConfigError as e:
        raise SmbError(str(e)) from None
    if creds is None:
        raise SmbError(t("smb_no_creds"))
    key = (host.lower(), port, creds.username, slot)
    with _lock:
        kw = _sessions.get(key)
        if kw is not None and _alive(kw):
            return kw
        _sessions.pop(key, None)  # cut by a deadline or closed by the server: connect anew
        down = _down.get((host.lower(), port))
        if down and time.monotonic() - down[0] < DOWN_RETRY:
            raise SmbError(down[1])  # failed moments ago: do not wait CONNECT_TIMEOUT per file
        key_lock = _key_locks.setdefault(key, threading.Lock())
    with key_lock:  # connecting may take CONNECT_TIMEOUT: never under the global lock
        with _lock:
            kw = _sessions.get(key)
        if kw is not None and _alive(kw):
            return kw
        kw = {
            "port": port,
            "username": creds.username,
            "password": creds.password,
            "connection_cache": {},  # its own connection
            "connection_timeout": CONNECT_TIMEOUT,
        }
        cache = kw["connection_cache"]
        try:
            # our own connection (own client GUID, see smb_conn), then smbclient's session on it
            cache[f"{host.lower()}:{port}"] = new_connection(host, port, CONNECT_TIMEOUT)
            with deadline(cache):  # SESSION_SETUP has no timeout of its own
                smbclient.register_session(
                    host,
                    username=creds.username,
                    password=creds.password,
                    port=port,
                    connection_cache=cache,
                    connection_timeout=CONNECT_TIMEOUT,
                )
        except Exception as e:  # noqa: BLE001 — every failure to connect becomes one clear message
            message = _connect_message(host, port, e)
            with _lock:
                _down[(host.lower(), port)] = (time.monotonic(), message)
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=cache)
            raise SmbError(message) from None
        with _lock:
            _sessions[key] = kw
            _down.pop((host.lower(), port), None)
        return kw


def _alive(kw: dict) -> bool:
    return all(c.transport.connected for c in kw["connection_cache"].values())


@contextmanager
def _guard(kw: dict) -> Iterator[None]:
    """SMB calls on this session's connection, with the request deadline (smb_conn.deadline).

    On a timeout the session is forgotten, so the next call connects anew (or fails fast if
    the host is down) instead of waiting on a connection that was cut.
    """
    try:
        with deadline(kw["connection_cache"]):
            yield
    except RequestTimeout:
        _forget(kw)
        raise


@contextmanager
def _op(host: str, port: int, slot: int = 0) -> Iterator[dict]:
    """The session for (host, port, slot), its calls under the request deadline."""
    kw = _session(host, port, slot)
    with _guard(kw):
        yield kw


def _forget(kw: dict) -> None:
    with _lock:
        for key in [k for k, v in _sessions.items() if v is kw]:
            del _sessions[key]


def reset_sessions() -> None:
    """Close this process's connections (tests; long-lived processes between scans)."""
    import smbclient

    with _lock:
        sessions = list(_sessions.values())
        _sessions.clear()
        _resolvers.clear()
        _down.clear()
    # LOGOFF waits for its answer without a limit: one short deadline over all of them (a copy of
    # the connections, since smbclient takes each out of its cache before logging it off)
    conns = {f"{i}/{k}": c for i, kw in enumerate(sessions) for k, c in kw["connection_cache"].items()}
    with deadline(conns, LOGOFF_TIMEOUT):
        for kw in sessions:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=kw["connection_cache"])


def _connect_message(host: str, port: int, e: BaseException) -> str:
    text = str(e)
    name = type(e).__name__
    where = f"{host}:{port}"
    if isinstance(e, RequestTimeout):
        return t("smb_host_down", where=where, error=e.strerror)
    if "timeout" in text.lower() and "exceeded" in text.lower():  # NEGOTIATE unanswered
        return t("smb_no_answer", where=where, s=CONNECT_TIMEOUT)
    if "Failed to connect" in text or isinstance(e, (OSError, TimeoutError)):
        if "refused" in text.lower():
            return t("smb_refused", where=where)
        if "timed out" in text.lower() or isinstance(e, TimeoutError):
            return t("smb_timed_out", where=where, s=CONNECT_TIMEOUT)
        if "Name or service not known" in text or "not known" in text:
            return t("smb_unknown_host", host=host)
        return t("smb_host_down", where=where, error=text)
    if "LOGON_FAILURE" in text.upper() or "logon failure" in text.lower() or "Authentication" in name:
        return t("smb_logon_failed", where=where)
    if "ACCESS_DENIED" in text.upper():
        return t("smb_host_denied", where=where)
    return t("smb_connect_error", where=where, error=name)


STATUS_BAD_NETWORK_NAME = 0xC00000CC
STATUS_ACCESS_DENIED = 0xC0000022
STATUS_LOGON_FAILURE = 0xC000006D


def _os_message(e: BaseException) -> str:
    if isinstance(e, RequestTimeout):
        return str(e.strerror)
    if isinstance(e, SmbError):  # the host could not be (re)connected: its own message
        return str(e)
    text = str(e).upper()
    status = getattr(e, "ntstatus", None) or getattr(e, "status", None)
    if status == STATUS_BAD_NETWORK_NAME or "BAD_NETWORK_NAME" in text:
        return t("smb_no_share")
    if status == STATUS_ACCESS_DENIED or isinstance(e, OSError) and e.errno == errno.EACCES:
        return t("access_denied")
    if isinstance(e, OSError) and e.errno == errno.ENOENT:
        return t("smb_not_found")
    if status == STATUS_LOGON_FAILURE or "LOGON_FAILURE" in text:
        return t("smb_bad_logon")
    if "SMBConnectionClosed" in type(e).__name__ or "CLOSED" in text:
        return t("smb_closed")
    return t("smb_error", error=type(e).__name__)


def _root_message(e: BaseException, u: SmbUrl) -> str:
    """At the root a 'not found' means the share or the path in the address is wrong."""
    if isinstance(e, OSError) and e.errno == errno.ENOENT:
        if not u.path:
            return t("smb_share_missing", share=u.share, host=u.host)
        return t("smb_path_missing", path=u.path, share=u.share, host=u.host)
    return _os_message(e)


# ---- security descriptor ----------------------------------------------------------------------


def query_security(unc: str, kw: dict) -> bytes:
    """One compound CREATE(READ_CONTROL) + QUERY_INFO(owner, group, DACL) + CLOSE; the raw descriptor."""
    from smbclient._io import SMBFileTransaction, SMBRawIO
    from smbprotocol.file_info import InfoType
    from smbprotocol.open import FilePipePrinterAccessMask, SMB2QueryInfoRequest, SMB2QueryInfoResponse

    raw = SMBRawIO(
        unc,
        mode="r",
        share_access="rwd",
        desired_access=FilePipePrinterAccessMask.READ_CONTROL
        | FilePipePrinterAccessMask.FILE_READ_ATTRIBUTES,
        **kw,
    )
    req = SMB2QueryInfoRequest()
    req["info_type"] = InfoType.SMB2_0_INFO_SECURITY
    req["output_buffer_length"] = 65536
    req["additional_information"] = (
        OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION
    )
    req["file_id"] = raw.fd.file_id

    def receive(request):
        response = raw.fd.connection.receive(request)
        resp = SMB2QueryInfoResponse()
        resp.unpack(response["data"].get_value())
        return resp["buffer"].get_value()

    with SMBFileTransaction(raw) as tx:
        tx += (req, receive)
    return tx.results[0]


def _sid_id(sid: str | None, prefix: str) -> int:
    """Samba's unix-account SIDs carry the id: S-1-22-1-<uid>, S-1-22-2-<gid>."""
    if sid and sid.startswith(prefix):
        try:
            return int(sid[len(prefix) :])
        except ValueError:
            pass
    return -1


class SidNames:
    """SID → name for one host: the config's [sids], the well-known table, then the host's LSA.

    Lookups go to the server once per unknown SID (a share has few distinct SIDs). Samba's unix
    accounts ("Unix User\\bin", "Unix Group\\adm") are given by their bare unix names, as local
    scans give them; domain accounts keep their domain ("CORP\\buh"). If the LSA pipe cannot be
    used, SIDs stay SIDs.
    """

    UNIX_DOMAINS = ("unix user\\", "unix group\\")

    def __init__(self, host: str, kw: dict):
        self.host, self.kw = host, kw
        self.cache: dict[str, str] = dict(sid_names())
        self.client = None
        self.broken = False
        self.lock = threading.Lock()

    def _short(self, name: str) -> str:
        low = name.lower()
        for d in self.UNIX_DOMAINS:
            if low.startswith(d):
                return name[len(d) :]
        return name

    def resolve(self, sids: Iterable[str]) -> dict[str, str]:
        todo = {s for s in sids if s and s not in self.cache and sid_name(s) == s}
        if todo and not self.broken:
            with self.lock:
                todo = sorted(s for s in todo if s not in self.cache)
                if todo:
                    found: dict[str, str] = {}
                    try:
                        from pdscan.sources.lsa import LsaClient

                        if self.client is None:  # the current session: the first may have been cut
                            self.kw = _session(self.host, self.kw["port"])
                        with deadline(self.kw["connection_cache"]):
                            if self.client is None:
                                self.client = LsaClient(self.host, self.kw)
                            found = self.client.lookup(todo)
                    except Exception as e:  # noqa: BLE001 — names are a nicety; SIDs still work
                        self.broken = True
                        log.warning(t("smb_lsa_failed"), self.host, type(e).__name__)
                    for s in todo:
                        self.cache[s] = self._short(found.get(s, s))
        return self.cache


_resolvers: dict[tuple, SidNames] = {}


def _after_fork_in_child() -> None:
    """A forked child has none of the parent's receiver threads: its copies of the sessions would
    wait for answers nobody reads, so it starts with none (and with fresh locks)."""
    global _lock
    _lock = threading.Lock()
    _sessions.clear()
    _key_locks.clear()
    _resolvers.clear()
    _down.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _names_for(host: str, port: int, kw: dict) -> SidNames:
    key = (host.lower(), port, kw["username"])
    with _lock:
        r = _resolvers.get(key)
        if r is None:
            r = _resolvers[key] = SidNames(host, kw)
        return r


def _reader_kind(sid: str, owner: str | None, group: str | None) -> str:
    """The reader's kind, as the policy judges it.

    "owner" for the owner's own ACE (allow_owner applies, as for local files); "other" for
    Everyone-like SIDs (Everyone, Authenticated Users, Domain Users, BUILTIN\\Users…: never in an
    allowed list, like a local file's "other" bits); "group" for the file's primary group (so
    Samba's "root" group is not read as the user root); "sid" for other users and groups.
    """
    if sid == owner:
        return "owner"
    if is_broad_sid(sid):
        return "other"
    if sid == group:
        return "group"
    return "sid"


def _access(u: SmbUrl, unc: str, names: SidNames, slot: int = 0) -> tuple[dict, str | None]:
    """FileRef fields from the descriptor, and an error message when it could not be read."""
    try:
        with _op(u.host, u.port, slot) as kw:
            raw = query_security(unc, kw)
        sd = parse_security_descriptor(raw)
    except SecurityDescriptorError as e:
        return {}, t("smb_acl_unread", error=e)
    except Exception as e:  # noqa: BLE001 — a file whose ACL cannot be read is still scanned
        return {}, t("smb_acl_unread", error=_os_message(e))
    allowed = readers_of(sd)
    known = names.resolve([sd.owner or "", sd.group or "", *(sid for sid, _ in allowed)])
    readers = tuple(
        Reader(_reader_kind(sid, sd.owner, sd.group), sid_name(sid, known), detail) for sid, detail in allowed
    )
    return {
        "owner": sid_name(sd.owner, known) if sd.owner else "",
        "group": sid_name(sd.group, known) if sd.group else "",
        "uid": _sid_id(sd.owner, "S-1-22-1-"),
        "gid": _sid_id(sd.group, "S-1-22-2-"),
        "readers": readers,
    }, None


# ---- walk -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    rel: str
    size: int
    mtime: float
    file_id: int


def _list_dir(u: SmbUrl, rel: str) -> tuple[list[_Entry], list[tuple[str, int]]]:
    import smbclient

    files, dirs = [], []
    with _op(u.host, u.port) as kw, smbclient.scandir(u.unc(rel), **kw) as it:
        for e in it:
            info = e.smb_info
            attrs = info.file_attributes
            if attrs & FILE_ATTRIBUTE_REPARSE_POINT:
                continue
            child = f"{rel}/{e.name}" if rel else e.name
            if attrs & FILE_ATTRIBUTE_DIRECTORY:
                dirs.append((child, info.file_id))
            else:
                files.append(_Entry(child, info.end_of_file, info.last_write_time.timestamp(), info.file_id))
    files.sort(key=lambda x: x.rel)
    dirs.sort()
    return files, dirs


class AclFetcher:
    """Reads the descriptors of a folder's files in parallel (walk(acl=True)).

    Each query is one round trip, and smbd answers one connection's requests one at a time, so
    `threads` threads query, each over its own connection. (Helper processes were tried as well:
    their start-up and hand-over cost more than the GIL did, see benchmarks/bench_smb.py.)
    """

    def __init__(self, threads: int = SD_THREADS):
        self.threads = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="pdscan-smb-sd")

    def fetch(self, u: SmbUrl, uncs: list[str], names: SidNames) -> list:
        if len(uncs) <= 2:
            return [_access(u, unc, names) for unc in uncs]

        def one(unc: str) -> tuple[dict, str | None]:
            slot = thread_slot()
            try:
                _session(u.host, u.port, slot)
            except SmbError:
                slot = 0  # the server takes no more connections: share the walker's
            return _access(u, unc, names, slot)

        return list(self.threads.map(one, uncs))

    def close(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)


def walk(
    root: str,
    threads: int = SD_THREADS,
    fetcher: AclFetcher | None = None,
    acl: bool = True,
) -> Iterator[FileRef | WalkError]:
    """Yield every file under an smb:// root (sorted, depth-first), or WalkError for what failed.

    A host that is down or refuses the credentials yields one WalkError for the root.
    threads: parallel ACL queries (each on its own connection).
    acl=False: listing only (no owner/readers; file_access(ref) fills them later, e.g. for PD files).
    """
    try:
        u = SmbUrl.parse(root)
        kw = _session(u.host, u.port)
    except SmbError as e:
        yield WalkError(root, str(e))
        return
    names = _names_for(u.host, u.port, kw)
    dev = zlib.crc32(f"{u.host.lower()}:{u.port}/{u.share.lower()}".encode())
    seen_dirs: set[int] = set()
    top = SmbUrl(u.host, u.port, u.share, "")

    def refs(entries: list[_Entry], base_rel: str, root: str = root) -> Iterator[FileRef | WalkError]:
        if acl:
            access = fetcher_.fetch(u, [top.unc(e.rel) for e in entries], names)
        else:
            access = [({}, None)] * len(entries)
        for entry, (fields, err) in zip(entries, access, strict=True):
            ref = FileRef(
                path=top.url(entry.rel),
                root=root,
                rel=entry.rel[len(base_rel) + 1 :] if base_rel else entry.rel,
                size=entry.size,
                mtime=entry.mtime,
                inode=entry.file_id,
                dev=dev,
                source="smb",
                **fields,
            )
            yield ref
            if err:  # the file is still scanned; the unread ACL is its own error record
                yield WalkError(ref.path, err)

    fetcher_ = fetcher or AclFetcher(threads if acl else 1)
    try:
        if u.path:  # the root itself may be a file
            try:
                import smbclient

                with _op(u.host, u.port) as kw_:
                    st = smbclient.stat(u.unc(), **kw_)
            except Exception as e:  # noqa: BLE001
                yield WalkError(root, _root_message(e, u))
                return
            if not st.st_file_attributes & FILE_ATTRIBUTE_DIRECTORY:
                entry = _Entry(u.path, st.st_size, st.st_mtime, st.st_ino)
                parent = u.path.rpartition("/")[0]
                # like a local file root: the root is its folder, rel its name
                yield from refs([entry], parent, top.url(parent))
                return
        stack = [u.path]
        while stack:
            rel_dir = stack.pop()
            try:
                files, dirs = _list_dir(top, rel_dir)
            except Exception as e:  # noqa: BLE001 — one unreadable folder never stops the walk
                at_root = rel_dir == u.path
                yield WalkError(top.url(rel_dir), _root_message(e, u) if at_root else _os_message(e))
                continue
            yield from refs(files, u.path)
            sub = []
            for d, fid in dirs:
                if fid and fid in seen_dirs:
                    continue  # a server-side link back to a folder already walked
                seen_dirs.add(fid)
                sub.append(d)
            stack.extend(reversed(sub))
    finally:
        if fetcher is None:
            fetcher_.close()


def walk_many(roots: Iterable[str], parallel: int = 4, acl: bool = True) -> Iterator[FileRef | WalkError]:
    """Walk several smb:// roots at once (hosts are slow one by one); items arrive as found.

    Each root runs in its own thread; the ACL query threads are shared. A host that is
    down yields its WalkError and the rest go on. acl=False: listing only (see walk).
    """
    roots = list(roots)
    fetcher = AclFetcher(SD_THREADS if acl else 1)
    try:
        if len(roots) <= 1 or parallel <= 1:
            for r in roots:
                yield from walk(r, fetcher=fetcher, acl=acl)
            return
        yield from _merged(roots, parallel, fetcher, acl)
    finally:
        fetcher.close()


def _merged(roots: list[str], parallel: int, fetcher: AclFetcher, acl: bool) -> Iterator[FileRef | WalkError]:
    q: queue.Queue = queue.Queue(maxsize=1000)
    done = object()
    todo = iter(roots)
    todo_lock = threading.Lock()
    stop = threading.Event()

    def runner() -> None:
        try:
            while not stop.is_set():
                with todo_lock:
                    r = next(todo, None)
                if r is None:
                    break
                try:
                    for item in walk(r, fetcher=fetcher, acl=acl):
                        if stop.is_set():
                            return
                        q.put(item)
                except Exception as e:  # noqa: BLE001 — a host never takes the others down
                    q.put(WalkError(r, t("smb_walk_error", error=_os_message(e))))
        finally:
            q.put(done)

    n = min(parallel, len(roots))
    threads = [threading.Thread(target=runner, daemon=True, name="pdscan-smb-host") for _ in range(n)]
    for th in threads:
        th.start()
    finished = 0
    try:
        while finished < n:
            item = q.get()
            if item is done:
                finished += 1
            else:
                yield item
    finally:
        stop.set()
        while any(th.is_alive() for th in threads):  # unblock runners waiting on a full queue
            try:
                q.get(timeout=0.1)
            except queue.Empty:
                pass


def with_access(ref: FileRef) -> tuple[FileRef, str | None]:
    """The ref with owner, group and readers filled (one query), or unchanged and why not."""
    try:
        return file_access(ref), None
    except (OSError, SmbError) as e:
        return ref, (e.strerror if isinstance(e, OSError) and e.strerror else str(e))


def file_access(ref: FileRef) -> FileRef:
    """The ref with owner, group and readers read now (one query): for refs walked with acl=False."""
    from dataclasses import replace

    u = SmbUrl.parse(ref.path)
    kw = _session(u.host, u.port)
    fields, err = _access(u, u.unc(), _names_for(u.host, u.port, kw))
    if err:
        raise OSError(errno.EIO, err)
    return replace(ref, **fields)


class SmbPoller:
    """Change detection for watch mode on smb:// roots, by polling.

    Each poll() is one listing pass (no ACL queries: ~1,400 files/s per connection), compared
    with the previous pass by size, mtime and file id. Changed or new files come back with their
    ACL read (one query each); a folder or host that could not be listed marks nothing under it
    gone. The first poll() only takes the snapshot. SMB2 CHANGE_NOTIFY would avoid the passes but
    is lost on every reconnect, so the pass is needed anyway.
    """

    def __init__(self, root: str):
        self.root = root
        self.state: dict[str, tuple[int, float, int]] | None = None

    def poll(self) -> tuple[list[FileRef | WalkError], list[str]]:
        """(changed or new refs and errors, paths gone since the previous poll)."""
        now: dict[str, tuple[int, float, int]] = {}
        changed: list[FileRef | WalkError] = []
        failed: list[str] = []
        for item in walk(self.root, acl=False):
            if isinstance(item, WalkError):
                failed.append(item.path.rstrip("/") + "/")
                changed.append(item)
                continue
            sig = (item.size, item.mtime, item.inode)
            now[item.path] = sig
            if self.state is not None and self.state.get(item.path) != sig:
                try:
                    changed.append(file_access(item))
                except OSError as e:
                    changed.extend([item, WalkError(item.path, e.strerror or str(e))])
        gone: list[str] = []
        if self.state is not None:
            root_failed = any(self.root.rstrip("/") + "/" == f for f in failed)
            for path in self.state:
                if path in now or root_failed or any(path.startswith(f) for f in failed):
                    if path not in now:
                        now[path] = self.state[path]  # unknown: keep until it can be listed
                    continue
                gone.append(path)
        self.state = now
        return changed, gone


# ---- read -------------------------------------------------------------------------------------


STATUS_END_OF_FILE = 0xC0000011
SMALL_READ = 1024 * 1024  # files up to this size are read in one compound round trip


def _read_small(unc: str, kw: dict, length: int) -> bytes:
    """CREATE + READ + CLOSE in one compound request: one round trip for a small file."""
    from smbclient._io import SMBFileTransaction, SMBRawIO

    try:
        with _guard(kw):
            raw = SMBRawIO(unc, mode="r", share_access="rwd", desired_access=READ_ACCESS, **kw)
            tx = SMBFileTransaction(raw)
            raw.open(transaction=tx)
            tx += raw.fd.read(0, min(length, raw.fd.connection.max_read_size), send=False)
            raw.close(transaction=tx)
            tx.commit()
    except RequestTimeout:
        raise
    except OSError as e:
        if getattr(e, "ntstatus", None) == STATUS_END_OF_FILE:
            return b""  # emptied since the listing
        raise
    return tx.results[1]


def _read_stream(unc: str, kw: dict, limit: int) -> bytes:
    """Streamed READs; the deadline is per request (open, each 4 MiB read, close), not per file."""
    import smbclient

    with _guard(kw):
        f = smbclient.open_file(
            unc, mode="rb", share_access="rwd", desired_access=READ_ACCESS, buffering=0, **kw
        )
    try:
        chunks, remaining = [], limit + 1
        while remaining > 0:
            with _guard(kw):
                b = f.read(min(remaining, 4 * 1024 * 1024))
            if not b:
                break
            chunks.append(b)
            remaining -= len(b)
        return b"".join(chunks)
    finally:
        try:
            with _guard(kw):
                f.close()
        except Exception:  # noqa: BLE001, S110 — the data read stands; a failed read keeps its own error
            pass


def read_bytes(ref: FileRef, limit: int) -> bytes:
    """Read at most limit + 1 bytes, opening read-only and sharing read/write/delete with users."""
    try:
        u = SmbUrl.parse(ref.path)
        kw = _session(u.host, u.port)
    except SmbError as e:
        raise OSError(errno.EIO, str(e)) from None
    try:
        if ref.size < SMALL_READ and limit >= SMALL_READ:
            # +1: a file grown since the listing still shows it is bigger than listed
            data = _read_small(u.unc(), kw, ref.size + 1)
            if len(data) <= ref.size:
                return data
        return _read_stream(u.unc(), kw, limit)
    except OSError as e:
        if e.errno == errno.EACCES or getattr(e, "ntstatus", None) == STATUS_ACCESS_DENIED:
            raise PermissionError(errno.EACCES, t("access_denied")) from None
        if e.errno == errno.ENOENT:
            raise FileNotFoundError(errno.ENOENT, t("file_vanished")) from None
        raise OSError(errno.EIO, _os_message(e)) from None
    except Exception as e:  # noqa: BLE001 — protocol errors become a read error for this file only
        _drop_broken(u)
        raise OSError(errno.EIO, _os_message(e)) from None


def _drop_broken(u: SmbUrl) -> None:
    """Forget a connection that failed, so the next file reconnects instead of failing too."""
    with _lock:
        for key in [k for k in _sessions if k[0] == u.host.lower() and k[1] == u.port]:
            _sessions.pop(key, None)
