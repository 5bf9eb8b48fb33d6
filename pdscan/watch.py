"""Watch mode: follow changes under the roots and scan each changed file once it is complete.

    observers (inotify, or polling on network mounts) ──events──► _Pending (debounce: size+mtime stable)
        ──► bounded work queue ──► scanner thread: store cache check → run_pool (long-lived) → policy
        → store → alerts (only what is new)

One thread (the scanner) owns the store, so SQLite is only touched from one thread. The scanner first
catches up with what changed while pdscan was not running (run_scan with the store: unchanged files
are not read again). A root that vanishes is retried; when it is back, it is caught up again.

smb:// roots have no observer: a thread per root polls it with SmbPoller (one listing pass per
--poll-interval). A file changed at one pass is queued once the next pass sees it unchanged (the
SMB debounce); files gone since the last pass are marked gone. A host that is down is logged and
polled again; nothing under it is marked gone meanwhile, and the next good pass picks up what
changed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import re
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from pdscan.i18n import EXTRACT_MESSAGES, t
from pdscan.model import FileRef, FileResult
from pdscan.output import result_records
from pdscan.pool import IDLE, run_pool
from pdscan.scan import ScanOptions, Summary, has_personal_data, run_scan
from pdscan.sources.local import WalkError, _ref
from pdscan.store import StoreError, StoreLocked
from pdscan.worker import WorkerConfig

log = logging.getLogger("pdscan.watch")

# File systems where inotify does not see changes made by other machines: poll them instead.
NETWORK_FS = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "ceph", "glusterfs", "afs", "davfs"})

# Events worth reacting to; opened / closed-without-writing (our own reads among them) are not.
EVENT_FILTER = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileAttribEvent,  # chmod/chown/setfacl: access violations change
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]


# Error messages (pdscan.worker / sources) worth another try later: the cause may go away.
# Both languages: a watch may meet errors of a scan run in the other one.
RETRY_ERRORS = tuple(
    word.partition("{")[0] for key in ("access_denied", "read_error") for word in EXTRACT_MESSAGES[key]
)


# ---- where a root lives ------------------------------------------------------------------------


def is_smb(path: str) -> bool:
    return path.lower().startswith("smb://")


def normalize_root(root: str) -> str:
    """An absolute local path, or the smb:// URL in the form the SMB walk gives file paths in."""
    if is_smb(root):
        from pdscan.sources.smb import SmbUrl

        return SmbUrl.parse(root).url()
    return os.path.abspath(root)


def _exists(path: str) -> bool:
    # An SMB path is not checked here (a round trip): its poller reports it gone.
    return is_smb(path) or os.path.lexists(path)


_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field_: str) -> str:
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field_)


def parse_mountinfo(text: str) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs from /proc/self/mountinfo text."""
    out = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields = left.split()
        rest = right.split()
        if len(fields) >= 5 and rest:
            out.append((_unescape(fields[4]), rest[0]))
    return out


def fs_type(path: str, mountinfo: str | None = None) -> str:
    """File system type of the mount holding path ('' when unknown)."""
    if mountinfo is None:
        try:
            with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as f:
                mountinfo = f.read()
        except OSError:
            return ""
    real = os.path.realpath(path)
    best, kind = "", ""
    for mnt, fstype in parse_mountinfo(mountinfo):
        if (real == mnt or real.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
            best, kind = mnt, fstype  # later entries over the same point win (they are on top)
    return kind


def needs_polling(path: str, mountinfo: str | None = None) -> bool:
    kind = fs_type(path, mountinfo)
    return kind in NETWORK_FS or kind == "fuse" or kind.startswith("fuse.")


# ---- settings ----------------------------------------------------------------------------------


@dataclass
class WatchOptions:
    scan: ScanOptions = field(default_factory=ScanOptions)
    polling: bool = False  # poll every root, even where inotify works
    debounce: float = 1.0  # a file is complete when size and mtime stay put this long
    poll_interval: float = 2.0  # seconds between snapshots of a polled root
    queue_size: int = 256  # work queue bound; more changes wait in the (deduplicated) pending set
    recheck_interval: float = 2.0  # how often vanished roots and dead watches are looked at
    retry_delays: tuple[float, ...] = (10.0, 60.0, 300.0)  # re-reads of an unreadable file
    initial_scan: bool = True  # catch up with changes made while not running
    initial_alerts: bool = True  # alert what that catch-up finds (off: first start on a big share)
    status_interval: float = 300.0  # a status line in the log this often


@dataclass
class WatchStats:
    results: int = 0  # files read by the workers
    reused: int = 0  # changed-event files whose content was unchanged (store cache)
    gone: int = 0
    alerts: int = 0
    errors: int = 0
    catch_ups: int = 0


# ---- pending changes and debounce --------------------------------------------------------------


@dataclass
class _Entry:
    kind: str  # "file" | "dir" | "gone"
    since: float
    sig: tuple | None = None  # (size, mtime_ns, inode) at the last event
    is_dir: bool = False
    force: bool = False  # re-read even if the store has it (a retry of an unreadable file)


def _sig(path: str) -> tuple | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)


class _Pending:
    """Changed paths waiting to become stable. Keyed by path, so a burst of events is one entry."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: dict[str, _Entry] = {}

    def touch(self, path: str, is_dir: bool = False, force: bool = False) -> None:
        sig = None if is_dir else _sig(path)
        with self.lock:
            old = self.items.pop(path, None)
            self.items[path] = _Entry(
                "dir" if is_dir else "file",
                time.monotonic(),
                sig,
                force=force or bool(old and old.force),
            )

    def gone(self, path: str, is_dir: bool) -> None:
        with self.lock:
            if is_dir:
                prefix = path.rstrip("/") + "/"
                for p in [p for p in self.items if p.startswith(prefix)]:
                    del self.items[p]
            self.items.pop(path, None)
            self.items[path] = _Entry("gone", time.monotonic(), is_dir=is_dir)

    def __len__(self) -> int:
        return len(self.items)

    def take_ready(self, debounce: float, limit: int) -> list[tuple[str, _Entry]]:
        """Entries whose file did not change for `debounce` seconds (gone entries at once)."""
        now = time.monotonic()
        ready: list[tuple[str, _Entry]] = []
        with self.lock:
            candidates = [
                (p, e) for p, e in self.items.items() if e.kind == "gone" or now - e.since >= debounce
            ]
        for path, e in candidates:
            if len(ready) >= limit:
                break
            if e.kind == "file":
                sig = _sig(path)
                if sig != e.sig:  # still being written (or vanished: the delete event follows)
                    with self.lock:
                        if self.items.get(path) is e:
                            if sig is None:
                                del self.items[path]
                            else:
                                e.sig, e.since = sig, time.monotonic()
                    continue
            with self.lock:
                if self.items.get(path) is e:
                    del self.items[path]
                    ready.append((path, e))
        return ready


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.w = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self._dispatch(event)
        except Exception:  # noqa: BLE001 — an observer thread that dies stops all events
            log.exception(t("w_event_error"), event.event_type)

    def _dispatch(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        src = os.fsdecode(event.src_path)
        if kind == "moved":
            dest = os.fsdecode(event.dest_path)
            self.w.on_gone(src, event.is_directory)
            if dest:
                self.w.on_change(dest, event.is_directory)
        elif kind == "deleted":
            self.w.on_gone(src, event.is_directory)
        elif kind == "created" or (not event.is_directory and kind in ("modified", "closed", "attrib")):
            self.w.on_change(src, event.is_directory)


# ---- the watcher -------------------------------------------------------------------------------


class _Stopped(Exception):
    """Raised inside the scanner's feed to unwind run_pool / run_scan when stopping."""


@dataclass
class _Root:
    path: str
    polling: bool
    watch: ObservedWatch | None = None
    observer: BaseObserver | None = None
    down: bool = False  # announced as unavailable; caught up again when it is back
    ident: tuple[int, int] | None = None  # (dev, inode) of the folder being watched


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


class Watcher:
    """Watch roots until stop(). open_store() gives a pdscan.store.Store (opened in the scanner thread)."""

    def __init__(
        self,
        roots: list[str],
        options: WatchOptions,
        open_store: Callable[[], object],
        alerter,
        on_result: Callable[[FileResult, bool], None] | None = None,
    ):
        self.roots = [normalize_root(r) for r in roots]
        self.smb_roots = [r for r in self.roots if is_smb(r)]
        self.options = options
        self.open_store = open_store  # called in the scanner thread (SQLite is per thread)
        self.store = None
        self._in_session = False
        self.session_summary = Summary()
        self.alerter = alerter
        self.on_result = on_result  # (result, read) for tests and the soak benchmark
        self.stats = WatchStats()
        self.pending = _Pending()
        self.work: queue.Queue = queue.Queue(options.queue_size)
        self.stopping = threading.Event()
        self.ready = threading.Event()  # set once the catch-up scan is done
        self.retries: dict[str, tuple[int, float]] = {}  # path → (attempts, due)
        self._dirty = False  # recorded since the last commit
        self._muted = False  # the initial catch-up records without alerting (--no-initial-alerts)
        self.muted_alerts = 0
        self._root_deleted: set[str] = set()  # roots whose own deletion an observer reported
        self._inflight: dict[str, tuple] = {}  # path → (size, mtime, inode) being read by a worker
        self.retry_lock = threading.Lock()
        self._native: BaseObserver | None = None
        self._polling: BaseObserver | None = None
        self._states = [_Root(r, options.polling or needs_polling(r)) for r in self.roots if not is_smb(r)]
        self._smb_first = {r: threading.Event() for r in self.smb_roots}  # first pass done
        self._smb_retry: set[str] = set()  # SMB files due for another read (under retry_lock)
        self._smb_threads: list[threading.Thread] = []
        self._handler = _Handler(self)
        self._threads: list[threading.Thread] = []
        self.failed: BaseException | None = None

    # -- events (observer threads) --

    def root_of(self, path: str) -> str | None:
        for r in self.roots:
            if path == r or path.startswith(r.rstrip("/") + "/"):
                return r
        return None

    def on_change(self, path: str, is_dir: bool) -> None:
        if self.root_of(path) is not None:
            self.pending.touch(path, is_dir)

    def on_gone(self, path: str, is_dir: bool) -> None:
        if path in self.roots:
            # The root itself: unavailable, not emptied. Its watch ends; the supervisor retries.
            self._root_deleted.add(path)
            return
        if self.root_of(path) is not None:
            self.pending.gone(path, is_dir)
        with self.retry_lock:
            self.retries.pop(path, None)

    # -- lifecycle --

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Block until stop(); raises only if the scanner failed for good (e.g. the store broke)."""
        log.info(t("w_started"), ", ".join(self.roots))
        try:
            self._supervise_roots()  # observers first, so nothing changes unseen during the catch-up
            for target, name in ((self._debounce_loop, "debounce"), (self._scanner_loop, "scanner")):
                th = threading.Thread(target=target, name=f"watch-{name}", daemon=True)
                th.start()
                self._threads.append(th)
            for r in self.smb_roots:
                th = threading.Thread(target=self._smb_loop, args=(r,), name="watch-smb", daemon=True)
                th.start()
                self._smb_threads.append(th)
            last_status = time.monotonic()
            while not self.stopping.wait(self.options.recheck_interval):
                self._supervise_roots()
                if not self._threads[1].is_alive():
                    break
                if time.monotonic() - last_status >= self.options.status_interval:
                    last_status = time.monotonic()
                    self._log_status()
        finally:
            self.stopping.set()
            for obs in (self._native, self._polling):
                if obs is not None:
                    obs.stop()
            for obs in (self._native, self._polling):
                if obs is not None and obs.is_alive():
                    obs.join(5)
            for th in self._threads:
                th.join(15)
            for th in self._smb_threads:
                th.join(2)  # a pass waiting on a host that is down: daemon, ends with the process
            self._log_status()
            log.info(t("w_stopped"))
        if self.failed is not None:
            raise self.failed

    def _log_status(self) -> None:
        s = self.stats
        log.info(
            t("w_status"),
            s.results,
            s.reused,
            s.gone,
            s.alerts,
            s.errors,
            len(self.pending),
            self.work.qsize(),
        )

    # -- roots: schedule, notice when they vanish, catch up when they are back --

    def _observer(self, polling: bool) -> BaseObserver:
        if polling:
            if self._polling is None:
                self._polling = PollingObserver(timeout=self.options.poll_interval)
                self._polling.start()
            return self._polling
        if self._native is None:
            self._native = Observer()
            self._native.start()
        return self._native

    def _alive(self, st: _Root) -> bool:
        if st.watch is None or st.observer is None:
            return False
        return any(e.watch == st.watch and e.is_alive() for e in list(st.observer.emitters))

    def _unschedule(self, st: _Root) -> None:
        if st.watch is not None and st.observer is not None:
            try:
                st.observer.unschedule(st.watch)
            except (KeyError, OSError):
                pass
        st.watch = st.observer = None

    def _supervise_roots(self) -> None:
        for st in self._states:
            ident = _identity(st.path)
            exists = ident is not None
            if st.watch is not None:
                if exists and ident == st.ident and self._alive(st):
                    continue
                self._unschedule(st)
                deleted = st.path in self._root_deleted
                self._root_deleted.discard(st.path)
                if exists and (ident != st.ident or deleted):
                    # Replaced (deleted and made again, unmounted and mounted): the old watch saw
                    # nothing of the new folder, so watch it afresh and catch up.
                    log.warning(t("w_root_replaced"), st.path)
                    self._catch_up_later(st.path)
                elif exists and not st.polling:
                    # The inotify emitter died with the root present: watch limit, odd mount. Poll it.
                    log.warning(t("w_no_inotify"), st.path)
                    st.polling = True
                    self._catch_up_later(st.path)
                elif not exists:
                    log.warning(
                        t("w_root_down_every"),
                        st.path,
                        self.options.recheck_interval,
                    )
                    st.down = True
            if st.watch is None and exists:
                try:
                    obs = self._observer(st.polling)
                    st.watch = obs.schedule(self._handler, st.path, recursive=True, event_filter=EVENT_FILTER)
                    st.observer = obs
                    st.ident = ident
                except OSError as e:
                    log.warning(t("w_watch_failed"), st.path, e.strerror or e)
                    if not st.polling:
                        st.polling = True  # e.g. inotify watch limit reached: polling still works
                    continue
                log.info(
                    t("w_watching"),
                    st.path,
                    t("w_polling") if st.polling else t("w_inotify"),
                )
                if st.down:
                    st.down = False
                    log.warning(t("w_root_back"), st.path)
                    self._catch_up_later(st.path)
            elif st.watch is None and not st.down:
                log.warning(t("w_root_down"), st.path)
                st.down = True

    def _catch_up_later(self, root: str) -> None:
        # Through the work queue, so the catch-up runs in the scanner thread (the store's thread).
        self._put(("catch_up", root))

    def _put(self, item) -> None:
        while not self.stopping.is_set():
            try:
                self.work.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    # -- debounce thread: stable files → work queue --

    def _debounce_loop(self) -> None:
        tick = min(0.25, self.options.debounce / 4) if self.options.debounce > 0 else 0.05
        while not self.stopping.wait(tick):
            try:
                self._requeue_retries()
                room = self.work.maxsize - self.work.qsize() if self.work.maxsize else 1000
                if room <= 0:
                    continue
                for path, e in self.pending.take_ready(self.options.debounce, room):
                    if e.kind == "dir":
                        self._walk_new_dir(path)
                        continue
                    item = ("gone", path, e.is_dir) if e.kind == "gone" else ("file", path, e.force)
                    try:
                        self.work.put_nowait(item)
                    except queue.Full:  # raced with the scanner: keep it pending
                        if e.kind == "gone":
                            self.pending.gone(path, e.is_dir)
                        else:
                            self.pending.touch(path, force=e.force)
            except Exception:  # noqa: BLE001 — keep debouncing whatever one path did
                log.exception(t("w_queue_error"))

    def _walk_new_dir(self, path: str) -> None:
        """A created or moved-in folder: its files may predate the watch on it, so list them."""
        try:
            for dirpath, _dirs, files in os.walk(path):
                for name in files:
                    self.pending.touch(os.path.join(dirpath, name))
        except OSError as e:
            log.warning(t("w_listdir_failed"), path, e.strerror or e)

    def _requeue_retries(self) -> None:
        now = time.monotonic()
        with self.retry_lock:
            due = [p for p, (_n, t) in self.retries.items() if t <= now]
            for p in due:
                n, _t = self.retries[p]
                self.retries[p] = (n, float("inf"))  # waiting for its result
        for p in due:
            if is_smb(p):
                with self.retry_lock:
                    self._smb_retry.add(p)  # its poller lists it as new on the next pass
            else:
                self.pending.touch(p, force=True)

    # -- smb:// roots: a polling thread per root --

    def _smb_loop(self, root: str) -> None:
        from pdscan.sources.smb import SmbPoller

        poller = SmbPoller(root)
        waiting: dict[str, FileRef] = {}  # changed at the last pass: queued when the next sees it unchanged
        forced: set[str] = set()  # retries: read again even if the store has them
        down = False
        reported: set[str] = set()
        log.info(t("w_smb_polling"), root, self.options.poll_interval)
        while not self.stopping.is_set():
            try:
                down, reported, waiting = self._smb_pass(root, poller, waiting, forced, down, reported)
            except _Stopped:
                break
            except Exception:  # noqa: BLE001 — the poll thread never dies; the next pass tries again
                log.exception(t("w_poll_error"), root)
            self._smb_first[root].set()
            self.stopping.wait(self.options.poll_interval)
        self._smb_first[root].set()

    def _smb_pass(
        self,
        root: str,
        poller,
        waiting: dict[str, FileRef],
        forced: set[str],
        down: bool,
        reported: set[str],
    ) -> tuple[bool, set[str], dict[str, FileRef]]:
        prefix = root.rstrip("/") + "/"
        with self.retry_lock:
            due = {p for p in self._smb_retry if p.startswith(prefix)}
            self._smb_retry -= due
        for p in due:
            if poller.state is not None:
                poller.state.pop(p, None)  # unknown again: the next pass lists it as new
            forced.add(p)
        if down:
            _retry_host_now(root)
        fresh = poller.state is None
        changed, gone = poller.poll()
        errors = [x for x in changed if isinstance(x, WalkError)]
        root_error = next((e for e in errors if e.path.rstrip("/") == root.rstrip("/")), None)
        if root_error is not None:
            if fresh:
                poller.state = None  # nothing known yet: the first good pass is a snapshot + catch-up
            if not down:
                log.warning(
                    t("w_smb_down"),
                    root,
                    root_error.error,
                    self.options.poll_interval,
                )
            return True, reported, waiting  # nothing released or marked gone while it is down
        if down:
            log.warning(t("w_smb_back"), root)
            if fresh and self.options.initial_scan:
                self._catch_up_later(root)  # the start-up catch-up could not reach it
        now_errors = {f"{e.path}: {e.error}" for e in errors}
        for msg in sorted(now_errors - reported):
            log.warning(t("w_smb_poll_error"), msg)
        for path in gone:
            waiting.pop(path, None)
            forced.discard(path)
            self.on_gone(path, False)
        changed_now = {x.path: x for x in changed if not isinstance(x, WalkError)}
        ready = [ref for path, ref in waiting.items() if path not in changed_now]
        if self.options.debounce <= 0:
            ready += changed_now.values()
            changed_now = {}
        for ref in ready:
            force = ref.path in forced
            forced.discard(ref.path)
            self._put(("ref", ref, force))
        return False, now_errors, changed_now

    # -- scanner thread: owns the store and the pool --

    def _scanner_loop(self) -> None:
        try:
            # SQLite connections belong to the thread that opened them: open the store here.
            self.store = self.open_store()
            # Writes take the store's lock batch by batch, waiting while a scheduled scan runs.
            self.store.role = "watch"
            self.store.should_stop = self.stopping.is_set
            for ev in self._smb_first.values():
                # The first SMB pass is the baseline of what the catch-up covers: take it first.
                while not ev.wait(0.2):
                    if self.stopping.is_set():
                        raise _Stopped
            if self.options.initial_scan:
                self._muted = not self.options.initial_alerts
                try:
                    self._catch_up(self.roots)
                finally:
                    self._muted = False
            self._begin_session()
            config = WorkerConfig(limits=self.options.scan.limits, ner=self.options.scan.ner)
            for result in run_pool(self._feed(), config, self.options.scan.jobs):
                self._finish(result, read=True)
        except _Stopped:
            pass
        except Exception as e:  # noqa: BLE001 — reported by run() to the CLI (exit 2)
            if isinstance(e, StoreLocked) and self.stopping.is_set():
                pass  # stopped while a scan held the store: what was not written is read next time
            else:
                if not isinstance(e, StoreError):
                    log.exception(t("w_stopped_error"))
                self.failed = e
                self.stopping.set()
        finally:
            self.ready.set()
            if self.store is not None:
                self._close_store()

    def _close_store(self) -> None:
        try:
            if self._in_session:
                self._end_session()
        except StoreLocked:
            log.warning(t("w_store_busy"))
        except Exception:  # noqa: BLE001
            log.exception(t("w_session_close_failed"))
        try:
            self.store.close()
        except Exception:  # noqa: BLE001
            log.exception(t("w_db_close_failed"))

    def _begin_session(self) -> None:
        """A 'watch' scan row that the records of this session belong to."""
        self.options.scan.as_of = dt.date.today()
        self.store.begin(self.roots, self.options.scan, kind="watch")
        self.session_summary = Summary()
        self._in_session = True

    def _end_session(self) -> None:
        # Never "complete": a complete scan marks every file it did not see as gone.
        self._in_session = False
        self.store.finish(self.session_summary, complete=False)

    def _feed(self) -> Iterator[FileRef | object]:
        # run_pool first asks for work once a worker has started (its detector loaded).
        log.info(t("w_ready"))
        self.ready.set()
        while True:
            if self.stopping.is_set():
                raise _Stopped
            try:
                item = self.work.get(timeout=0.1)
            except queue.Empty:
                if self._dirty:
                    self.store.flush()  # nothing waiting: make what was recorded durable and visible
                    self._dirty = False
                yield IDLE
                continue
            kind = item[0]
            if kind == "gone":
                self._mark_gone(item[1], item[2])
            elif kind == "catch_up":
                self._end_session()
                try:
                    self._catch_up([item[1]])
                finally:
                    if not self.stopping.is_set():
                        self._begin_session()
            else:
                ref = item[1] if kind == "ref" else self._make_ref(item[1])
                if ref is None:
                    continue
                sig = (ref.size, ref.mtime, ref.inode)
                busy = self._inflight.get(ref.path)
                if busy is not None:
                    # Queued twice (file event and the walk of its new folder): the read under way
                    # covers it; if it changed meanwhile, come back after that read.
                    if busy != sig:
                        self.pending.touch(ref.path, force=item[2])
                    continue
                cached = None if item[2] else self.store.cached(ref)
                if cached is not None:
                    self.stats.reused += 1
                    self._finish(cached, read=False)
                    continue
                self._inflight[ref.path] = sig
                yield ref

    def _make_ref(self, path: str) -> FileRef | None:
        root = self.root_of(path)
        if root is None:
            return None
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                if not self.options.scan.follow_symlinks:
                    return None
                st = os.stat(path)
        except FileNotFoundError:
            return None  # gone before its turn; the delete event marks it
        except OSError as e:
            log.warning(t("w_stat_failed"), path, e.strerror or e)
            self._schedule_retry(path)
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        return _ref(path, root, rel, st)

    def _catch_up(self, roots: list[str]) -> None:
        self.stats.catch_ups += 1
        started = time.monotonic()
        opts = self.options.scan
        opts.as_of = dt.date.today()
        summary = run_scan(roots, opts, lambda r: None, store=_AlertingStore(self))
        log.info(
            t("w_catch_up"),
            ", ".join(roots),
            summary.files_seen,
            summary.files_scanned - summary.files_reused,
            summary.files_reused,
            time.monotonic() - started,
        )
        if self._muted and self.muted_alerts:
            log.info(t("w_catch_up_muted"), self.muted_alerts)

    def _mark_gone(self, path: str, is_dir: bool) -> None:
        paths = self.store.paths_under(path) if is_dir else [path]
        n = self.store.mark_gone(paths) if paths else 0
        self.stats.gone += n
        if n:
            log.info(t("w_gone"), path)

    def _finish(self, result: FileResult, read: bool) -> None:
        """Policy → store → alerts for one file (the watch loop's finish_result)."""
        opts = self.options.scan
        if result.ref.source == "smb" and not result.ref.owner and has_personal_data(result):
            # As in run_scan: the ACL of an SMB file with personal data (when its poll did not get it).
            from pdscan.sources import smb

            result.ref, acl_error = smb.with_access(result.ref)
            if acl_error:
                result.errors.append(acl_error)
        if opts.policy is not None and has_personal_data(result):
            result.violations = opts.policy.evaluate(result, dt.date.today())
        else:
            result.violations = []
        _AlertingStore(self).record(result)
        _count(self.session_summary, result)
        if read:
            self.stats.results += 1
            self._inflight.pop(result.ref.path, None)
            if not _exists(result.ref.path):
                # Deleted while a worker read it: its delete was handled before this row existed.
                self.stats.gone += self.store.mark_gone([result.ref.path])
        if self.on_result is not None:
            self.on_result(result, read)

    def _after_record(self, result: FileResult, new_records: list[dict]) -> None:
        self._dirty = True
        path = result.ref.path
        if result.errors:
            self.stats.errors += 1
            for e in result.errors:
                log.warning(t("w_file_error"), path, e)
            # Only causes that may pass are retried (permissions, I/O); a timeout or a size limit is not.
            if (
                not result.findings
                and not result.bytes_read
                and any(e.startswith(RETRY_ERRORS) for e in result.errors)
                and _exists(path)
            ):
                self._schedule_retry(path)
        else:
            with self.retry_lock:
                self.retries.pop(path, None)
        if new_records and self._muted:
            self.muted_alerts += len(new_records)
        elif new_records:
            self.stats.alerts += len(new_records)
            self.alerter.send(new_records)

    def _schedule_retry(self, path: str) -> None:
        delays = self.options.retry_delays
        with self.retry_lock:
            n = self.retries.get(path, (0, 0.0))[0]
            if n >= len(delays):
                self.retries.pop(path, None)
                log.warning(t("w_gave_up"), path)
                return
            self.retries[path] = (n + 1, time.monotonic() + delays[n])


def _retry_host_now(root: str) -> None:
    """Let the next pass connect to a host that is down now, not after smb.DOWN_RETRY (60 s).

    The scan's fail-fast for a host that is off suits a walk of many files; the watcher polls a
    root once a pass and should resume as soon as the host is back."""
    from pdscan.sources import smb

    u = smb.SmbUrl.parse(root)
    down = getattr(smb, "_down", None)
    if isinstance(down, dict):
        with smb._lock:
            down.pop((u.host.lower(), u.port), None)


class _AlertingStore:
    """The store as run_scan sees it, with each record() turned into alerts for what is new.

    Also the stop point: when the watcher stops, the next store call unwinds run_scan cleanly
    (its finally marks the catch-up scan interrupted)."""

    def __init__(self, watcher: Watcher):
        self.w = watcher
        self.store = watcher.store

    def _check(self) -> None:
        if self.w.stopping.is_set():
            raise _Stopped

    def begin(self, roots, options) -> None:
        self.store.begin(roots, options)

    def cached(self, ref: FileRef) -> FileResult | None:
        self._check()
        return self.store.cached(ref)

    def record(self, result: FileResult) -> int:
        self._check()
        state = None
        if result.findings or result.violations or result.errors:
            state = self.store.watch_state(result.ref.path)  # before record() replaces it
        n = self.store.record(result)
        self.w._after_record(result, new_records(result, state) if state else [])
        return n

    def finish(self, summary, complete: bool) -> None:
        self.store.finish(summary, complete)


def new_records(result: FileResult, state: tuple) -> list[dict]:
    """The records of a result that were not stored for its path before and are not triaged away.

    state = Store.watch_state(path) taken before the result was recorded: (finding keys
    (member, entity, fingerprint), violation rules, error messages, hidden triage targets)."""
    findings, rules, errors, hidden = state
    if "*" in hidden:
        return []
    out, seen = [], set()
    for rec in result_records(result):
        kind = rec["type"]
        if kind == "finding":
            key = (rec.get("member") or "", rec["entity"], rec["fingerprint"])
            fresh = key not in findings and rec["fingerprint"] not in hidden
        elif kind == "violation":
            key = ("rule", rec["rule"])
            fresh = rec["rule"] not in rules and f"rule:{rec['rule']}" not in hidden
        else:
            key = ("error", rec["error"])
            fresh = rec["error"] not in errors
        if fresh and key not in seen:
            seen.add(key)
            out.append(rec)
    return out


def _count(summary: Summary, result: FileResult) -> None:
    """The session's running totals (saved with the watch scan row when it ends)."""
    summary.files_seen += 1
    if result.skipped:
        summary.files_skipped += 1
    elif result.bytes_read:
        summary.files_scanned += 1
    else:
        summary.files_reused += 1
    if result.errors:
        summary.errors += 1
    summary.bytes += result.bytes_read
    if has_personal_data(result):
        summary.files_with_pd += 1
    for f in result.findings:
        summary.findings_by_entity[f.entity] += 1
    for v in result.violations:
        summary.violations_by_rule[v.rule] += 1
        summary.violations_by_clause[v.clause] += 1
