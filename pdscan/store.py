"""The findings store: SQLite (WAL), current state of every file plus a per-scan history.

`Store` implements the `ResultStore` protocol of pdscan.scan (begin / cached / record / finish)
and offers small read helpers for the report, triage, subject search and watch mode.

How "new" is decided. Each finding and violation row keeps `first_seen_scan`, the scan that
first saw it (kept while the item stays). A scan's *baseline* is the previous complete scan of
the same roots. An item is new in a scan when it was first seen after the baseline — so items
found by an interrupted run are still reported as new by the run that resumes it, and an item
that comes and goes between two complete scans leaves no trace in the diff.

Crash safety. Results are committed in small batches (one transaction each); a kill -9 loses at
most the last uncommitted batch, whose files are simply read again next time. A scan row left
"running" by a dead process is marked "interrupted" by the next scan, which holds the lock.

One writer at a time (a flock on DB.lock). A scan holds it from begin to finish. A watch session
(role "watch") takes it only while it writes a batch, so the nightly scan and `pdscan watch` can
share one store: the scan waits up to WAIT_FOR_WATCH for the watch's batch, and the watch keeps
its results in memory while a scan runs and writes them when the scan has finished.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs

import pdscan
from pdscan.i18n import t
from pdscan.migrations import MIGRATIONS
from pdscan.model import INFO_RULES, FileRef, FileResult, Finding, Violation

log = logging.getLogger(__name__)

# Files recorded per transaction, and the longest a batch stays open (seconds).
BATCH_FILES = 500
BATCH_SECONDS = 1.0
# How long a scan waits for a watch session's batch to be written (a watch holds the lock for
# about BATCH_SECONDS at a time; its start-up catch-up, a whole scan, may hold it longer).
WAIT_FOR_WATCH = 120.0
LOCK_POLL = 0.2
HIDDEN_STATES = ("false_positive", "accepted")


# Non-UTF-8 file names. Paths are kept in os.fsdecode form, where an undecodable byte is a lone
# surrogate U+DC80..U+DCFF, and sqlite3 refuses to bind those. So every str bound to SQLite maps
# them to U+10FF80..U+10FFFF (the end of a private use plane, not found in real names), and the
# store's connection maps them back when reading: callers see and pass the os.fsdecode form.
_TO_DB = {c: c - 0xDC80 + 0x10FF80 for c in range(0xDC80, 0xDD00)}
_FROM_DB = {v: k for k, v in _TO_DB.items()}


def _adapt_str(s: str) -> str:
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.translate(_TO_DB)


def _text_factory(b: bytes) -> str:
    s = b.decode("utf-8", "replace")
    return s.translate(_FROM_DB) if b"\xf4\x8f" in b else s


sqlite3.register_adapter(str, _adapt_str)


class StoreError(Exception):
    """A store problem with a message for the user (Russian)."""


class StoreLocked(StoreError):
    pass


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("pdscan")) / "pdscan.db"


def detector_version(ner: str, ocr: bool, archive_depth: int) -> str:
    """What must match for stored findings to be reused: detector code, NER mode, OCR, archive depth."""
    base = getattr(pdscan, "DETECTOR_VERSION", "0")
    return f"{base};ner={ner};ocr={int(bool(ocr))};depth={archive_depth}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _norm_root(root: str) -> str:
    """'share/' and 'share' are the same root; '/' stays '/'."""
    return root.rstrip("/") or "/"


def _under_sql(column: str = "path") -> str:
    """path == root, or path inside root ('/' is 0x2F, '0' is 0x30: a range the index can use)."""
    return f"({column} = ? OR ({column} >= ? AND {column} < ?))"


def _under_args(root: str) -> tuple[str, str, str]:
    prefix = root if root.endswith("/") else root + "/"
    return (root, prefix, prefix[:-1] + "0")


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root if root.endswith("/") else root + "/")


def _meta_key(ref: FileRef, policy_version: str) -> int:
    """A stable 64-bit digest of where and whose a file is (see migration m0002).

    Local readers follow from mode, owner and group; SMB readers (NT ACEs) are part of the key."""
    parts = (ref.root, ref.rel, ref.uid, ref.gid, ref.owner, ref.group, ref.mode, ref.dev, policy_version)
    text = "\0".join(map(str, parts))
    if ref.source != "local":
        text += "\0" + _readers_json(ref)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _readers_json(ref: FileRef) -> str:
    return json.dumps([[r.kind, r.name, r.detail] for r in ref.readers], ensure_ascii=False)


def _details_json(v: Violation) -> str:
    return json.dumps(v.details, ensure_ascii=False, sort_keys=True, default=str)


# Details that change by themselves every day (expires_soon's days_left): stored, not a "change".
_VOLATILE_DETAILS = ("days_left",)


def _stable(details_json: str) -> str:
    d = json.loads(details_json)
    if isinstance(d, dict):
        for k in _VOLATILE_DETAILS:
            d.pop(k, None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def _deadline(v: Violation) -> str | None:
    d = v.details.get("deadline") if isinstance(v.details, dict) else None
    return str(d) if d else None


# What cached() needs of a files row, in this order (indexes used there and in _touch).
_CACHE_COLUMNS = (
    "id, size, mtime, inode, detector_version, content_type, skipped, persons, bytes_read, n_findings, "
    "has_errors, gone, meta_key"
)

# The changes log keeps every event with the scan that first saw the item; a scan's diff shows
# the changes and resolutions of items its baseline already had (the others came and went since).
# Kept raw, a later scan of other roots can carry them over against its own baseline.
_AGAINST_BASELINE = "(c.kind = 'new' OR c.first_seen_scan <= COALESCE(s.baseline_id, 0))"


@dataclass
class _Old:
    """A file's stored state, loaded once per file and compared with the new result."""

    file_id: int
    findings: dict[tuple[str, str, str], sqlite3.Row]
    violations: dict[str, sqlite3.Row]
    errors: list[str]
    meta_key: int = 0  # see _meta_key


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass


class Store:
    """One SQLite database. Not thread-safe: one Store per thread or process."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()
        _create_private(self.path)
        # WAL and shm files take the database file's mode (SQLite does that itself).
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.text_factory = _text_factory
        self._plain = self.conn.cursor()
        self._plain.row_factory = None
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()
        self._lock_fd: int | None = None
        # "watch": a watch session takes the lock per batch and waits for scans (see the module doc).
        self.role = "scan"
        self.should_stop: Callable[[], bool] = lambda: False  # ends a watch's wait for the lock
        self._shared = False  # in a watch session: the lock is held only while a batch is written
        self._data_version = -1  # PRAGMA data_version when this session last took the lock
        self.scan_id: int | None = None
        self.baseline: int = 0
        self._in_tx = False
        self._batch_n = 0
        self._batch_t = 0.0
        self._reused: dict[str, _Old] = {}
        self._dir, self._last_dir, self._dir_rows = None, None, {}  # see _file_row
        self._seen: list[tuple[int, int]] = []  # (scan, file id) of unchanged files, not yet written
        self._blind: list[str] = []  # directories the walk could not enter: nothing under them is gone
        self._counts = {"new": 0, "changed": 0, "resolved": 0}
        self.detector_version = ""
        self.policy_version = ""

    # ---- schema -------------------------------------------------------------------------------

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(t("store_newer", path=self.path, version=version))
        for i in range(version, len(MIGRATIONS)):
            # One script per migration, applied atomically with its version number.
            try:
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{MIGRATIONS[i]}\nPRAGMA user_version = {i + 1};\nCOMMIT;"
                )
            except sqlite3.OperationalError:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                # Another process opening the same new database may have applied it first.
                if self.conn.execute("PRAGMA user_version").fetchone()[0] <= i:
                    raise

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        if self._in_tx:
            self.conn.execute("COMMIT")
            self._in_tx = False
        self.unlock()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- lock -----------------------------------------------------------------------------------

    def lock(self) -> None:
        """Take the writer lock (a flock on DB.lock), or raise StoreLocked with a clear message.

        Held by another scan: refused at once. Held by a watch: waited for, up to WAIT_FOR_WATCH
        (with a mark in DB.lock.wait, so the watch lets the scan go first). This store is a watch's:
        waits for as long as a scan runs, until ``should_stop()``.
        """
        if self._lock_fd is not None:
            return
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        since, told, marked = time.monotonic(), False, False
        try:
            while True:
                if not (self.role == "watch" and _scan_waiting(self.path)):
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as e:
                        if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                            raise
                pid, _, role = os.pread(fd, 64, 0).decode(errors="replace").strip().partition(" ")
                if self.role == "watch":
                    limit = None
                else:  # the holder writes "pid role" just after it takes the lock: give it a moment
                    limit = WAIT_FOR_WATCH if role == "watch" else (0.0 if pid else 1.0)
                if (limit is not None and time.monotonic() - since >= limit) or self.should_stop():
                    who = t("store_locked_by", pid=pid) if pid else ""
                    raise StoreLocked(t("store_locked", path=self.path, who=who))
                if role == "watch" and not marked:
                    _write_private(f"{self.path}.lock.wait", str(os.getpid()))
                    marked = True
                if not told and (self.role == "watch" or role == "watch"):
                    log.info(t("store_waiting", path=self.path, pid=pid or "?"))
                    told = True
                time.sleep(LOCK_POLL)
        except BaseException:
            os.close(fd)
            raise
        finally:
            if marked:
                with contextlib.suppress(OSError):
                    os.unlink(f"{self.path}.lock.wait")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.role}".encode(), 0)
        self._lock_fd = fd
        if self._shared:
            self._drop_stale()

    def _drop_stale(self) -> None:
        """In a watch session: forget rows cached from the files table when another connection
        (the nightly scan) has written since (SQLite's data_version says so)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._reused.clear()
            self._dir, self._last_dir, self._dir_rows = None, None, {}
            self._data_version = version

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    # ---- transactions ---------------------------------------------------------------------------

    def _tx(self) -> None:
        if not self._in_tx:
            if self._shared:
                self.lock()
            self.conn.execute("BEGIN IMMEDIATE")
            self._in_tx = True
            self._batch_t = time.monotonic()

    def _flush_seen(self) -> None:
        if self._seen:
            self._tx()
            self.conn.executemany("UPDATE files SET last_seen_scan=? WHERE id=?", self._seen)
            self._seen = []

    def _commit(self) -> None:
        self._flush_seen()
        if self._in_tx:
            self.conn.execute("COMMIT")
            self._in_tx = False
            self._batch_n = 0
        if self._shared:
            self.unlock()

    def _maybe_commit(self) -> None:
        self._batch_n += 1
        if self._batch_n >= BATCH_FILES or time.monotonic() - self._batch_t > BATCH_SECONDS:
            self._commit()

    # ---- ResultStore: begin -----------------------------------------------------------------------

    def begin(self, roots: list[str], options, kind: str = "scan") -> int:
        """Start a scan: lock, close stale runs, find the baseline, carry over an interrupted run's diff."""
        self.lock()
        self.roots = [_norm_root(r) for r in roots]
        roots_key = json.dumps(sorted(set(self.roots)), ensure_ascii=False)
        limits = getattr(options, "limits", None)
        self.detector_version = detector_version(
            getattr(options, "ner", "fast"),
            getattr(limits, "ocr", True),
            getattr(limits, "max_archive_depth", 3),
        )
        self.policy_version = getattr(options, "policy_version", "") or ""
        c = self.conn
        self._tx()
        # We hold the lock, so a scan still "running" belongs to a process that died. A watch
        # session holds the lock only while it writes: its row stays while its process lives.
        host = socket.gethostname()
        stale = [
            (_now(), sid)
            for sid, kind, pid, on in c.execute(
                "SELECT id, kind, pid, host FROM scans WHERE status='running'"
            )
            if not (kind == "watch" and on == host and _alive(pid))
        ]
        c.executemany(
            "UPDATE scans SET status='interrupted', finished_at=COALESCE(finished_at, ?) WHERE id=?", stale
        )
        row = c.execute(
            "SELECT max(id) FROM scans WHERE roots_key=? AND status='complete'", (roots_key,)
        ).fetchone()
        self.baseline = row[0] or 0
        as_of = getattr(options, "as_of", None)
        cur = c.execute(
            "INSERT INTO scans (started_at, status, roots, roots_key, baseline_id, kind, as_of, "
            "detector_version, policy_version, full, pid, host) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                _now(),
                "running",
                json.dumps(list(roots), ensure_ascii=False),
                roots_key,
                self.baseline or None,
                kind,
                as_of.isoformat() if as_of else None,
                self.detector_version,
                self.policy_version,
                int(bool(getattr(options, "full", False))),
                os.getpid(),
                socket.gethostname(),
            ),
        )
        self.scan_id = cur.lastrowid
        self._carry_over()
        self._shared = kind == "watch" and self.role == "watch"
        self._commit()
        self._reused.clear()
        self._dir, self._last_dir, self._dir_rows = None, None, {}
        self._blind = []
        self._counts = {"new": 0, "changed": 0, "resolved": 0}
        return self.scan_id

    def _carry_over(self) -> None:
        """Copy 'changed' and 'resolved' entries of scans since the baseline into this scan's diff.

        Those entries compare with the baseline too; a resumed scan would not see them again
        (the items are already updated or deleted). 'new' entries are recomputed per file.
        """
        for root in self.roots:
            self.conn.execute(
                "INSERT OR REPLACE INTO changes (scan_id, kind, item, path, member, entity, fingerprint, "
                "masked, count, clause, details, reason, first_seen_scan) "
                "SELECT ?, kind, item, path, member, entity, fingerprint, masked, count, clause, details, "
                "reason, first_seen_scan FROM changes WHERE scan_id > ? AND scan_id < ? "
                "AND kind IN ('changed', 'resolved') AND first_seen_scan <= ? AND " + _under_sql() + " "
                "ORDER BY id",
                (self.scan_id, self.baseline, self.scan_id, self.baseline, *_under_args(root)),
            )

    # ---- ResultStore: cached ----------------------------------------------------------------------

    def cached(self, ref: FileRef) -> FileResult | None:
        """The stored result of an unchanged file (size, mtime, inode, detector version), or None."""
        if self._shared and not self._in_tx:
            self._drop_stale()
        row = self._file_row(ref.path)
        if (
            row is None
            or row[11]  # gone
            or row[1] != ref.size
            or row[2] != ref.mtime
            or row[3] != ref.inode
            or row[4] != self.detector_version
        ):
            return None
        # A file that could not be read at all (denied, vanished, timed out) is tried again:
        # the cause may be gone. A file read with partial errors (a broken member) is reused.
        if row[10] and not row[8]:
            return None
        old = self._load_old(row[0], bool(row[9] or row[10]))
        old.meta_key = row[12]
        self._reused[ref.path] = old
        findings = [
            Finding(
                entity=f["entity"],
                fingerprint=f["fingerprint"],
                masked=f["masked"],
                score=f["score"],
                location=f["location"],
                member=f["member"] or None,
                count=f["count"],
            )
            for f in old.findings.values()
        ]
        return FileResult(
            ref=ref,
            content_type=row[5] or "",
            findings=findings,
            errors=list(old.errors),
            skipped=row[6],
            bytes_read=0,  # nothing was read this time
            persons=row[7],
        )

    def _file_row(self, path: str) -> tuple | None:
        """The files row of a path, as a plain tuple (the hot path of a rescan).

        The walk yields a directory's files one after another, so from the second file of a
        directory on, the rows of all its files are fetched with one range query. A lone lookup
        (watch mode: one file here, one there) stays a single indexed query.
        """
        directory, _, name = path.rpartition("/")
        if directory == self._dir:
            return self._dir_rows.get(name)
        if directory == self._last_dir:
            self._dir = directory
            prefix = directory + "/"
            self._dir_rows = {
                r[0][len(prefix) :]: r[1:]
                for r in self._plain.execute(
                    f"SELECT path, {_CACHE_COLUMNS} FROM files WHERE path > ? AND path < ? "
                    "AND instr(substr(path, ?), '/') = 0",
                    (prefix, directory + "0", len(prefix) + 1),
                )
            }
            return self._dir_rows.get(name)
        self._last_dir = directory
        return self._plain.execute(f"SELECT {_CACHE_COLUMNS} FROM files WHERE path=?", (path,)).fetchone()

    def _forget(self, path: str) -> None:
        """Drop a prefetched row once the file's row changes (watch mode may look it up again)."""
        directory, _, name = path.rpartition("/")
        if directory == self._dir:
            self._dir_rows.pop(name, None)

    def _load_old(self, file_id: int, any_items: bool = True) -> _Old:
        if not any_items:
            # No findings or errors stored; violations exist only for files with findings.
            return _Old(file_id, {}, {}, [])
        c = self.conn
        findings = {
            (r["member"], r["entity"], r["fingerprint"]): r
            for r in c.execute("SELECT * FROM findings WHERE file_id=? ORDER BY id", (file_id,))
        }
        violations = {
            r["rule"]: r
            for r in c.execute("SELECT * FROM violations WHERE file_id=? ORDER BY id", (file_id,))
        }
        errors = [
            r[0] for r in c.execute("SELECT message FROM errors WHERE file_id=? ORDER BY id", (file_id,))
        ]
        return _Old(file_id, findings, violations, errors)

    # ---- ResultStore: record ----------------------------------------------------------------------

    def record(self, result: FileResult) -> int:
        """Store one file's result; return how many of its findings and violations are new."""
        assert self.scan_id is not None, "begin() first"
        self._tx()
        ref = result.ref
        self._forget(ref.path)
        if not ref.root:
            self._blind.append(ref.path)
        old = self._reused.pop(ref.path, None)
        if old is not None:
            self._touch(old, ref)
            if not (old.findings or old.violations or old.errors or result.violations):
                self._maybe_commit()  # most files of a rescan: unchanged and empty
                return 0
        else:
            old = self._upsert_file(result)
        new = self._sync_findings(ref.path, old, result.findings)
        new += self._sync_violations(ref.path, old, result.violations)
        if result.errors != old.errors:
            self.conn.execute("DELETE FROM errors WHERE file_id=?", (old.file_id,))
            self.conn.executemany(
                "INSERT INTO errors (file_id, message, first_seen_scan) VALUES (?,?,?)",
                [(old.file_id, e, self.scan_id) for e in result.errors],
            )
        self._maybe_commit()
        return new

    def _touch(self, old: _Old, ref: FileRef) -> None:
        """An unchanged file: note it was seen; refresh owner, mode and readers (chmod keeps mtime)."""
        key = _meta_key(ref, self.policy_version)
        if key == old.meta_key:
            self._seen.append((self.scan_id, old.file_id))  # written in bulk at commit
            return
        self.conn.execute(
            "UPDATE files SET last_seen_scan=?, root=?, rel=?, uid=?, gid=?, owner=?, grp=?, mode=?, "
            "readers=?, dev=?, policy_version=?, meta_key=? WHERE id=?",
            (
                self.scan_id,
                ref.root,
                ref.rel,
                ref.uid,
                ref.gid,
                ref.owner,
                ref.group,
                ref.mode,
                _readers_json(ref),
                ref.dev,
                self.policy_version,
                key,
                old.file_id,
            ),
        )

    def _upsert_file(self, result: FileResult) -> _Old:
        ref = result.ref
        from pdscan.scan import has_personal_data  # the one definition (scan.py decides, the store keeps it)

        has_pd = int(has_personal_data(result))
        row = self.conn.execute(
            "INSERT INTO files (path, root, rel, source, size, mtime, inode, dev, uid, gid, owner, grp, "
            "mode, readers, content_type, skipped, persons, bytes_read, has_pd, n_findings, has_errors, "
            "detector_version, policy_version, first_seen_scan, last_seen_scan, last_read_scan, "
            "last_read_at, meta_key, gone, gone_scan, gone_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,NULL,NULL) "
            "ON CONFLICT (path) DO UPDATE SET root=excluded.root, rel=excluded.rel, "
            "source=excluded.source, size=excluded.size, mtime=excluded.mtime, inode=excluded.inode, "
            "dev=excluded.dev, uid=excluded.uid, gid=excluded.gid, owner=excluded.owner, grp=excluded.grp, "
            "mode=excluded.mode, readers=excluded.readers, content_type=excluded.content_type, "
            "skipped=excluded.skipped, persons=excluded.persons, bytes_read=excluded.bytes_read, "
            "has_pd=excluded.has_pd, n_findings=excluded.n_findings, has_errors=excluded.has_errors, "
            "detector_version=excluded.detector_version, policy_version=excluded.policy_version, "
            "last_seen_scan=excluded.last_seen_scan, last_read_scan=excluded.last_read_scan, "
            "last_read_at=excluded.last_read_at, meta_key=excluded.meta_key, gone=0, gone_scan=NULL, gone_at=NULL "
            "RETURNING id",
            (
                ref.path,
                ref.root,
                ref.rel,
                ref.source,
                ref.size,
                ref.mtime,
                ref.inode,
                ref.dev,
                ref.uid,
                ref.gid,
                ref.owner,
                ref.group,
                ref.mode,
                _readers_json(ref),
                result.content_type,
                result.skipped,
                result.persons,
                result.bytes_read,
                has_pd,
                len(result.findings),
                int(bool(result.errors)),
                self.detector_version,
                self.policy_version,
                self.scan_id,
                self.scan_id,
                self.scan_id,
                _now(),
                _meta_key(ref, self.policy_version),
            ),
        ).fetchone()
        return self._load_old(row[0])

    def _hidden(self, path: str) -> set[str]:
        """Triage targets hidden for this path ('*' = the whole file)."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT target FROM triage WHERE path IN (?, '*') AND state IN (?, ?)",
                (path, *HIDDEN_STATES),
            )
        }

    def _log(self, kind: str, item: str, path: str, member: str, entity: str, fp: str, **kw) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO changes (scan_id, kind, item, path, member, entity, fingerprint, masked, "
            "count, clause, details, reason, first_seen_scan) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                self.scan_id,
                kind,
                item,
                path,
                member,
                entity,
                fp,
                kw.get("masked", ""),
                kw.get("count"),
                kw.get("clause", ""),
                kw.get("details", "{}"),
                kw.get("reason", ""),
                kw.get("first_seen"),
            ),
        )
        self._counts[kind] += 1

    def _sync_findings(self, path: str, old: _Old, findings: list[Finding]) -> int:
        c, scan = self.conn, self.scan_id
        merged: dict[tuple[str, str, str], Finding] = {}
        for f in findings:
            key = (f.member or "", f.entity, f.fingerprint)
            if key in merged:  # the same value twice: one row, counts added
                merged[key].count += f.count
            else:
                merged[key] = Finding(
                    f.entity, f.fingerprint, f.masked, f.score, f.location, f.member, f.count
                )
        new_keys = []
        for key, f in merged.items():
            prev = old.findings.get(key)
            if prev is None:
                c.execute(
                    "INSERT INTO findings (file_id, member, entity, fingerprint, masked, count, score, location, "
                    "first_seen_scan, last_seen_scan) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        old.file_id,
                        key[0],
                        f.entity,
                        f.fingerprint,
                        f.masked,
                        f.count,
                        f.score,
                        f.location,
                        scan,
                        scan,
                    ),
                )
                first = scan
            else:
                first = prev["first_seen_scan"]
                if (prev["count"], prev["location"], prev["masked"], prev["score"]) != (
                    f.count,
                    f.location,
                    f.masked,
                    f.score,
                ):
                    c.execute(
                        "UPDATE findings SET count=?, location=?, masked=?, score=?, last_seen_scan=? WHERE id=?",
                        (f.count, f.location, f.masked, f.score, scan, prev["id"]),
                    )
                    # Only the number of occurrences is a change: locations move whenever a
                    # line is inserted above, which is noise for the officer.
                    if prev["count"] != f.count:
                        self._log(
                            "changed",
                            "finding",
                            path,
                            key[0],
                            f.entity,
                            f.fingerprint,
                            masked=f.masked,
                            count=f.count,
                            details=json.dumps({"previous_count": prev["count"]}),
                            reason="count",
                            first_seen=first,
                        )
            if first > self.baseline:
                new_keys.append((key, f, first))
        for key, prev in old.findings.items():
            if key not in merged:
                c.execute("DELETE FROM findings WHERE id=?", (prev["id"],))
                self._log_resolved_finding(path, prev, "removed")
        return self._log_new_findings(path, new_keys)

    def _log_new_findings(self, path: str, new_keys: list) -> int:
        if not new_keys:
            return 0
        hidden = self._hidden(path)
        if "*" in hidden:
            return 0
        n = 0
        for key, f, first in new_keys:
            if f.fingerprint in hidden:
                continue
            self._log(
                "new",
                "finding",
                path,
                key[0],
                f.entity,
                f.fingerprint,
                masked=f.masked,
                count=f.count,
                first_seen=first,
            )
            n += 1
        return n

    def _log_resolved_finding(self, path: str, prev: sqlite3.Row, reason: str) -> None:
        self._log(
            "resolved",
            "finding",
            path,
            prev["member"],
            prev["entity"],
            prev["fingerprint"],
            masked=prev["masked"],
            count=prev["count"],
            reason=reason,
            first_seen=prev["first_seen_scan"],
        )

    def _sync_violations(self, path: str, old: _Old, violations: list[Violation]) -> int:
        c, scan = self.conn, self.scan_id
        current: dict[str, Violation] = {}
        for v in violations:
            current.setdefault(v.rule, v)  # one per rule and file
        new: list[tuple[Violation, str, int]] = []
        for rule, v in current.items():
            details = _details_json(v)
            prev = old.violations.get(rule)
            if prev is None:
                c.execute(
                    "INSERT INTO violations (file_id, rule, clause, deadline, details, first_seen_scan, "
                    "last_seen_scan) VALUES (?,?,?,?,?,?,?)",
                    (old.file_id, rule, v.clause, _deadline(v), details, scan, scan),
                )
                first = scan
            else:
                first = prev["first_seen_scan"]
                if (prev["clause"], prev["details"]) != (v.clause, details):
                    c.execute(
                        "UPDATE violations SET clause=?, deadline=?, details=?, last_seen_scan=? WHERE id=?",
                        (v.clause, _deadline(v), details, scan, prev["id"]),
                    )
                    if (prev["clause"], _stable(prev["details"])) != (
                        v.clause,
                        _stable(details),
                    ):
                        self._log(
                            "changed", "violation", path, "", rule, "", clause=v.clause, details=details,
                            reason="details", first_seen=first,
                        )  # fmt: skip
            if first > self.baseline:
                new.append((v, details, first))
        for rule, prev in old.violations.items():
            if rule not in current:
                c.execute("DELETE FROM violations WHERE id=?", (prev["id"],))
                self._log_resolved_violation(path, prev, "removed")
        if not new:
            return 0
        hidden = self._hidden(path)
        n = 0
        for v, details, first in new:
            if "*" in hidden or f"rule:{v.rule}" in hidden:
                continue
            self._log(
                "new", "violation", path, "", v.rule, "", clause=v.clause, details=details, first_seen=first
            )
            n += v.rule not in INFO_RULES  # a warning is logged in the diff, but is no new violation
        return n

    def _log_resolved_violation(self, path: str, prev: sqlite3.Row, reason: str) -> None:
        self._log(
            "resolved",
            "violation",
            path,
            "",
            prev["rule"],
            "",
            clause=prev["clause"],
            details=prev["details"],
            reason=reason,
            first_seen=prev["first_seen_scan"],
        )

    # ---- ResultStore: finish ----------------------------------------------------------------------

    def finish(self, summary, complete: bool) -> None:
        """Close the scan: mark files gone (complete scans only), save the summary, release the lock."""
        try:
            self._tx()
            self._flush_seen()
            if complete:
                for root in self.roots:
                    self._mark_gone_under(root)
            summary_dict = summary.to_dict() if hasattr(summary, "to_dict") else dict(summary or {})
            self.conn.execute(
                "UPDATE scans SET status=?, finished_at=?, summary=?, new_count=?, changed_count=?, "
                "resolved_count=? WHERE id=?",
                (
                    "complete" if complete else "interrupted",
                    _now(),
                    json.dumps(summary_dict, ensure_ascii=False),
                    *self._diff_counts(),
                    self.scan_id,
                ),
            )
            self._commit()
        finally:
            if self._in_tx:
                self.conn.execute("ROLLBACK")
                self._in_tx = False
            self._reused.clear()
            self._dir, self._last_dir, self._dir_rows = None, None, {}
            self._seen = []
            self._shared = False
            self.unlock()

    def _diff_counts(self) -> tuple[int, int, int]:
        rows = dict(
            self.conn.execute(
                "SELECT c.kind, count(*) FROM changes c JOIN scans s ON s.id = c.scan_id WHERE c.scan_id=? AND "
                + _AGAINST_BASELINE
                + " GROUP BY c.kind",
                (self.scan_id,),
            ).fetchall()
        )
        return rows.get("new", 0), rows.get("changed", 0), rows.get("resolved", 0)

    def _mark_gone_under(self, root: str) -> None:
        rows = self.conn.execute(
            "SELECT id, path FROM files WHERE gone=0 AND (last_seen_scan IS NULL OR last_seen_scan < ?) AND "
            + _under_sql(),
            (self.scan_id, *_under_args(root)),
        ).fetchall()
        for r in rows:
            # Under a directory the walk could not enter, absence proves nothing.
            if not any(_is_under(r["path"], b) for b in self._blind):
                self._gone(r["id"], r["path"])

    def _gone(self, file_id: int, path: str) -> None:
        self._forget(path)
        old = self._load_old(file_id)
        for prev in old.findings.values():
            self._log_resolved_finding(path, prev, "gone")
        for prev in old.violations.values():
            self._log_resolved_violation(path, prev, "gone")
        c = self.conn
        c.execute("DELETE FROM findings WHERE file_id=?", (file_id,))
        c.execute("DELETE FROM violations WHERE file_id=?", (file_id,))
        c.execute("DELETE FROM errors WHERE file_id=?", (file_id,))
        c.execute(
            "UPDATE files SET gone=1, gone_scan=?, gone_at=?, has_pd=0, n_findings=0, has_errors=0 WHERE id=?",
            (self.scan_id, _now(), file_id),
        )

    # ---- for watch mode ---------------------------------------------------------------------------

    def mark_gone(self, paths: list[str]) -> int:
        """Mark files gone now (watch mode: deleted or moved out). Needs begin() (a watch scan row)."""
        assert self.scan_id is not None, "begin() first"
        self._tx()
        n = 0
        for p in paths:
            row = self.conn.execute("SELECT id FROM files WHERE path=? AND gone=0", (p,)).fetchone()
            if row:
                self._gone(row[0], p)
                n += 1
        self._commit()
        return n

    def flush(self) -> None:
        """Commit what has been recorded so far (watch mode calls it after each batch of events)."""
        self._commit()

    def watch_state(self, path: str) -> tuple[set[tuple[str, str, str]], set[str], set[str], set[str]]:
        """Watch mode, before record(): a file's stored finding keys (member, entity, fingerprint),
        violation rules, error messages and hidden triage targets, so only what is new is alerted."""
        row = self.conn.execute("SELECT id FROM files WHERE path=? AND gone=0", (path,)).fetchone()
        hidden = self._hidden(path)
        if row is None:
            return set(), set(), set(), hidden
        old = self._load_old(row[0])
        return set(old.findings), set(old.violations), set(old.errors), hidden

    def paths_under(self, directory: str) -> list[str]:
        """Watch mode: stored (not gone) files inside a folder that was deleted or moved out."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT path FROM files WHERE gone=0 AND " + _under_sql() + " ORDER BY path",
                _under_args(_norm_root(directory)),
            )
        ]

    # ---- read helpers (report, diff, triage, subject search) ---------------------------------------

    def scans(self, limit: int = 50) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM scans ORDER BY id DESC LIMIT ?", (limit,)).fetchall()

    def scan(self, scan_id: int | None = None) -> sqlite3.Row | None:
        """One scan, or the latest one that finished (complete or interrupted)."""
        if scan_id is not None:
            return self.conn.execute("SELECT * FROM scans WHERE id=?", (scan_id,)).fetchone()
        return self.conn.execute(
            "SELECT * FROM scans WHERE status != 'running' ORDER BY id DESC LIMIT 1"
        ).fetchone()

    def changes(self, scan_id: int) -> list[sqlite3.Row]:
        """The diff of a scan against its baseline: new, changed, resolved."""
        return self.conn.execute(
            "SELECT c.* FROM changes c JOIN scans s ON s.id = c.scan_id WHERE c.scan_id=? AND "
            + _AGAINST_BASELINE
            + " ORDER BY CASE c.kind WHEN 'new' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, "
            "c.path, c.member, c.item, c.entity, c.id",
            (scan_id,),
        ).fetchall()

    def files(self, with_pd_only: bool = False, include_gone: bool = False) -> Iterator[sqlite3.Row]:
        where = []
        if not include_gone:
            where.append("gone=0")
        if with_pd_only:
            where.append("has_pd=1")
        sql = "SELECT * FROM files" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY path"
        yield from self.conn.execute(sql)

    def files_by_fingerprint(self, fingerprints: list[str]) -> list[sqlite3.Row]:
        """Current (not gone) files holding any of these fingerprints: subject requests."""
        if not fingerprints:
            return []
        marks = ",".join("?" * len(fingerprints))
        return self.conn.execute(
            "SELECT f.path, f.owner, f.mtime, g.entity, g.fingerprint, g.masked, g.count, g.location, g.member "
            f"FROM findings g JOIN files f ON f.id = g.file_id WHERE f.gone=0 AND g.fingerprint IN ({marks}) "
            "ORDER BY f.path, g.entity",
            fingerprints,
        ).fetchall()

    def set_triage(self, path: str, target: str, state: str, reason: str = "", actor: str = "") -> None:
        """Mark a finding (target = fingerprint), a whole file ('*') or a violation ('rule:<rule>')."""
        self.conn.execute(
            "INSERT INTO triage (path, target, state, reason, actor, created_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (path, target) DO UPDATE SET state=excluded.state, reason=excluded.reason, "
            "actor=excluded.actor, created_at=excluded.created_at",
            (path, target, state, reason, actor, _now()),
        )


def _scan_waiting(db: Path) -> bool:
    """A scan of another live process waits for this store (its mark in DB.lock.wait)."""
    try:
        pid = int(Path(f"{db}.lock.wait").read_text().strip() or 0)
    except (OSError, ValueError):
        return False
    return pid != os.getpid() and _alive(pid)


def _write_private(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _alive(pid: int | None) -> bool:
    """Whether a process of this host still runs (a watch session's owner)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process
    except (OSError, OverflowError):
        return False  # no such process (or no valid pid)
    return True


def open_store(path: str | os.PathLike | None = None) -> Store:
    try:
        return Store(path)
    except sqlite3.DatabaseError as e:
        raise StoreError(t("store_open_failed", path=path or default_db_path(), error=e)) from None
