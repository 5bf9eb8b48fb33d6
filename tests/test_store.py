"""The findings store on its own: schema, cache keys, new/changed/resolved, gone files, triage, lock.

These tests drive pdscan.store.Store directly with FileResults built here (the store knows rows,
not formats or recognizers); the end-to-end tests with the real detector are in
test_incremental.py and test_resume.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time

import pytest

from pdscan.migrations import MIGRATIONS
from pdscan.model import FileRef, FileResult, Finding, Violation
from pdscan.scan import ScanOptions, Summary
from pdscan.store import Store, StoreError, StoreLocked, detector_version

FP_A = "a" * 64
FP_B = "b" * 64


def ref(
    path: str, root: str = "/share", size: int = 10, mtime: float = 1_700_000_000.0, inode: int = 1
) -> FileRef:
    return FileRef(
        path=path, root=root, rel=path[len(root) + 1 :], size=size, mtime=mtime, inode=inode, mode=0o100644
    )


def result(
    r: FileRef, *findings: Finding, violations=(), errors=(), bytes_read: int | None = None
) -> FileResult:
    return FileResult(
        ref=r,
        content_type="text/plain",
        findings=list(findings),
        violations=list(violations),
        errors=list(errors),
        bytes_read=r.size if bytes_read is None else bytes_read,
        persons=1 if findings else 0,
    )


def snils(fp: str = FP_A, count: int = 1, location: str = "line 1") -> Finding:
    return Finding("RU_SNILS", fp, "*******4595", 1.0, location, None, count)


def scan_once(store: Store, results: list[FileResult], roots=("/share",), complete=True, **opts) -> int:
    """One scan as run_scan drives it: cached() first, record() the stored or the given result."""
    store.begin(list(roots), ScanOptions(**opts))
    new = 0
    for res in results:
        cached = store.cached(res.ref)
        if cached is not None:
            cached.violations = res.violations  # run_scan re-evaluates the policy on cached results
            res = cached
        new += store.record(res)
    store.finish(Summary(), complete)
    return new


@pytest.fixture
def db(tmp_path):
    s = Store(tmp_path / "sub" / "pd.db")
    yield s
    s.close()


def rows(store: Store, sql: str, *args) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute(sql, args)]


def test_schema_versioned_and_private(tmp_path):
    path = tmp_path / "d" / "pd.db"
    s = Store(path)
    s.begin(["/share"], ScanOptions())
    s.record(result(ref("/share/a.txt"), snils()))
    s.finish(Summary(), True)
    assert s.schema_version == len(MIGRATIONS) >= 1
    for p in (path, path.with_name("pd.db-wal"), path.with_name("pd.db.lock")):
        if p.exists():
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    # Reopening does not migrate again and keeps the data.
    s2 = Store(path)
    assert s2.schema_version == len(MIGRATIONS)
    assert rows(s2, "SELECT path FROM files") == [("/share/a.txt",)]
    s2.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "pd.db"
    Store(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    c.close()
    with pytest.raises(StoreError, match="более новой версией"):
        Store(path)


def test_unchanged_file_is_cached_changed_is_not(db):
    a = ref("/share/a.txt")
    assert scan_once(db, [result(a, snils(), snils(FP_B, count=3))]) == 2
    cached = db.cached(a)
    assert cached is not None and cached.bytes_read == 0
    assert sorted((f.fingerprint, f.count) for f in cached.findings) == [(FP_A, 1), (FP_B, 3)]
    for changed in (
        ref("/share/a.txt", size=11),
        ref("/share/a.txt", mtime=1_700_000_001.5),
        ref("/share/a.txt", inode=2),
    ):
        assert db.cached(changed) is None
    # Another detector configuration (OCR off) cannot reuse the findings.
    db.begin(["/share"], ScanOptions(limits=type(ScanOptions().limits)(ocr=False)))
    assert db.cached(a) is None
    db.finish(Summary(), False)


def test_unreadable_file_is_retried_partly_read_is_reused(db):
    denied, partial = ref("/share/denied.txt"), ref("/share/partial.zip", inode=2)
    scan_once(
        db,
        [
            result(denied, errors=["доступ запрещён"], bytes_read=0),
            result(partial, snils(), errors=["вложение зашифровано: x.zip"]),
        ],
    )
    assert db.cached(denied) is None
    again = db.cached(partial)
    assert again is not None and again.errors == ["вложение зашифровано: x.zip"] and again.findings


def test_second_scan_reports_nothing_new_then_new_changed_resolved(db):
    a, b = ref("/share/a.txt"), ref("/share/b.txt", inode=2)
    assert scan_once(db, [result(a, snils()), result(b)]) == 1
    assert scan_once(db, [result(a, snils()), result(b)]) == 0
    scan_id = db.scan_id
    assert db.changes(scan_id) == []
    # b gains a value, a's value changes count (content changed → re-read).
    a2, b2 = ref("/share/a.txt", size=20), ref("/share/b.txt", size=30, inode=2)
    assert scan_once(db, [result(a2, snils(count=2)), result(b2, snils(FP_B))]) == 1
    got = {(c["kind"], c["path"], c["fingerprint"], c["reason"]) for c in db.changes(db.scan_id)}
    assert got == {("new", "/share/b.txt", FP_B, ""), ("changed", "/share/a.txt", FP_A, "count")}
    from pdscan.diff import change_record, render_table

    recs = [change_record(c) for c in db.changes(db.scan_id)]
    assert {"type": "change", "change": "changed", "item": "finding", "path": "/share/a.txt"}.items() <= recs[
        1
    ].items() and recs[1]["previous_count"] == 1
    assert "вхождений: 1 → 2" in render_table(db.scan(db.scan_id), db.changes(db.scan_id))
    # A value that only moved (a line inserted above) is not a change.
    assert scan_once(db, [result(a2, snils(count=2, location="line 9")), result(b2, snils(FP_B))]) == 0
    assert db.changes(db.scan_id) == []
    # a loses its value.
    a3 = ref("/share/a.txt", size=5)
    assert scan_once(db, [result(a3), result(b2, snils(FP_B))]) == 0
    got = [(c["kind"], c["path"], c["reason"]) for c in db.changes(db.scan_id)]
    assert got == [("resolved", "/share/a.txt", "removed")]
    assert rows(db, "SELECT count(*) FROM findings") == [(1,)]
    scan = db.scan(None)
    assert (scan["new_count"], scan["changed_count"], scan["resolved_count"]) == (0, 0, 1)
    assert scan["baseline_id"] == scan["id"] - 1


def test_deleted_file_marked_gone_only_by_a_complete_scan(db):
    a, b = ref("/share/a.txt"), ref("/share/b.txt", inode=2)
    scan_once(db, [result(a, snils()), result(b, snils(FP_B))])
    scan_once(db, [result(a, snils())], complete=False)  # interrupted: b may just not be reached yet
    assert rows(db, "SELECT path, gone FROM files ORDER BY path") == [
        ("/share/a.txt", 0),
        ("/share/b.txt", 0),
    ]
    scan_once(db, [result(a, snils())])
    assert rows(db, "SELECT path, gone FROM files ORDER BY path") == [
        ("/share/a.txt", 0),
        ("/share/b.txt", 1),
    ]
    assert rows(db, "SELECT count(*) FROM findings f JOIN files p ON p.id=f.file_id WHERE p.gone=1") == [(0,)]
    got = [(c["kind"], c["path"], c["reason"]) for c in db.changes(db.scan_id)]
    assert got == [("resolved", "/share/b.txt", "gone")]
    # Files outside the scanned roots are not touched; a file that comes back is current again.
    scan_once(db, [result(ref("/other/x.txt", root="/other"), snils())], roots=("/other",))
    assert rows(db, "SELECT gone FROM files WHERE path='/share/a.txt'") == [(0,)]
    assert scan_once(db, [result(a, snils()), result(b, snils(FP_B))]) == 1
    assert rows(db, "SELECT gone FROM files WHERE path='/share/b.txt'") == [(0,)]


def test_unlistable_directory_hides_nothing_as_gone(db):
    a, b = ref("/share/a.txt"), ref("/share/hr/b.txt", inode=2)
    scan_once(db, [result(a, snils()), result(b, snils(FP_B))])
    walk_error = FileResult(
        ref=FileRef(path="/share/hr", root="", rel="/share/hr", size=0, mtime=0.0), errors=["доступ запрещён"]
    )
    scan_once(db, [result(a, snils()), walk_error])
    assert rows(db, "SELECT gone FROM files WHERE path='/share/hr/b.txt'") == [(0,)]


def test_violations_new_changed_resolved(db):
    a = ref("/share/a.txt")
    soon = Violation(a.path, "expires_soon", "п. 3.6.4", {"deadline": "2025-03-01", "days_left": 20})
    # The finding is new; expires_soon is a warning (INFO_RULES): logged in the diff, not counted.
    assert scan_once(db, [result(a, snils(), violations=[soon])]) == 1
    assert sorted(c["entity"] for c in db.changes(db.scan_id)) == ["RU_SNILS", "expires_soon"]
    # days_left alone changes every day: not a change, nothing new.
    soon2 = Violation(a.path, "expires_soon", "п. 3.6.4", {"deadline": "2025-03-01", "days_left": 10})
    assert scan_once(db, [result(a, snils(), violations=[soon2])]) == 0
    assert db.changes(db.scan_id) == []
    assert rows(db, "SELECT deadline, details FROM violations") == [
        ("2025-03-01", '{"days_left": 10, "deadline": "2025-03-01"}')
    ]
    expired = Violation(a.path, "retention_expired", "п. 3.6.4", {"deadline": "2025-03-01"})
    assert scan_once(db, [result(a, snils(), violations=[expired])]) == 1
    got = sorted((c["kind"], c["entity"]) for c in db.changes(db.scan_id))
    assert got == [("new", "retention_expired"), ("resolved", "expires_soon")]


def test_triage_hides_items_from_new(db):
    a, b = ref("/share/a.txt"), ref("/share/b.txt", inode=2)
    db.set_triage("/share/a.txt", FP_A, "false_positive", "номер договора")
    db.set_triage("/share/b.txt", "*", "accepted", "архив кадров")
    v = Violation(a.path, "outside_authorized", "п. 3.10", {})
    db.set_triage("/share/a.txt", "rule:outside_authorized", "accepted")
    assert scan_once(db, [result(a, snils(), snils(FP_B), violations=[v]), result(b, snils())]) == 1
    assert [(c["path"], c["fingerprint"]) for c in db.changes(db.scan_id)] == [("/share/a.txt", FP_B)]
    # Hidden values stay hidden when they go and come back; a remediated one coming back is news.
    db.set_triage("/share/a.txt", FP_B, "remediated")
    a2, a3 = ref("/share/a.txt", size=2), ref("/share/a.txt", size=3)
    assert scan_once(db, [result(a2), result(b, snils())]) == 0
    assert scan_once(db, [result(a3, snils(), snils(FP_B)), result(b, snils())]) == 1
    assert [(c["kind"], c["fingerprint"]) for c in db.changes(db.scan_id)] == [("new", FP_B)]


def test_interrupted_scan_items_stay_new_for_the_resuming_scan(db):
    a, b = ref("/share/a.txt"), ref("/share/b.txt", inode=2)
    scan_once(db, [result(a)])  # baseline: nothing found
    # A scan records a's new value and dies (no finish: kill -9).
    db.begin(["/share"], ScanOptions())
    db.record(result(ref("/share/a.txt", size=11), snils()))
    db._commit()
    db.conn.close()
    db.unlock()
    s = Store(db.path)
    assert rows(s, "SELECT status FROM scans ORDER BY id") == [("complete",), ("running",)]
    # The next run finds a unchanged (cached, not read) and still reports its value as new.
    assert scan_once(s, [result(ref("/share/a.txt", size=11), snils()), result(b)]) == 1
    assert rows(s, "SELECT status FROM scans ORDER BY id") == [("complete",), ("interrupted",), ("complete",)]
    assert [(c["kind"], c["fingerprint"]) for c in s.changes(s.scan_id)] == [("new", FP_A)]
    assert rows(s, "SELECT count(*), count(DISTINCT fingerprint) FROM findings") == [(1, 1)]
    s.close()


def test_resolved_in_interrupted_run_carries_into_the_resuming_diff(db):
    a = ref("/share/a.txt")
    scan_once(db, [result(a, snils())])
    a2 = ref("/share/a.txt", size=3)
    scan_once(db, [result(a2)], complete=False)
    scan_once(db, [result(a2)])
    assert [(c["kind"], c["fingerprint"]) for c in db.changes(db.scan_id)] == [("resolved", FP_A)]


def test_second_writer_is_refused(tmp_path):
    first, second = Store(tmp_path / "pd.db"), Store(tmp_path / "pd.db")
    first.begin(["/share"], ScanOptions())
    with pytest.raises(StoreLocked, match="занята другим сканированием"):
        second.begin(["/share"], ScanOptions())
    first.finish(Summary(), True)
    second.begin(["/share"], ScanOptions())  # free again after finish
    second.finish(Summary(), True)
    first.close()
    second.close()


def test_subject_lookup_by_fingerprint(db):
    scan_once(db, [result(ref("/share/a.txt"), snils()), result(ref("/share/b.txt", inode=2), snils(FP_B))])
    got = db.files_by_fingerprint([FP_A])
    assert [(r["path"], r["entity"]) for r in got] == [("/share/a.txt", "RU_SNILS")]


def test_scan_row_keeps_options_and_summary(db):
    s = Summary(files_seen=3)
    db.begin(["/share/"], ScanOptions(as_of=dt.date(2025, 1, 2), policy_version="abc"))
    db.finish(s, True)
    row = db.scan(None)
    assert row["as_of"] == "2025-01-02" and row["policy_version"] == "abc"
    assert row["roots_key"] == '["/share"]'  # "/share/" and "/share" are the same roots
    assert '"files_seen": 3' in row["summary"]


def test_unchanged_file_keeps_metadata_current(db):
    a = ref("/share/a.txt")
    scan_once(db, [result(a, snils())])
    first_scan = db.scan_id
    # chmod/chown keep mtime: the file is reused, its mode and owner are refreshed all the same.
    a2 = FileRef(**{**{f: getattr(a, f) for f in a.__slots__}, "mode": 0o100600, "owner": "hr"})
    cached = db.cached(a2)
    assert cached is not None
    scan_once(db, [result(a2, snils())])
    assert rows(db, "SELECT mode, owner, last_seen_scan FROM files") == [(0o100600, "hr", db.scan_id)]
    scan_once(db, [result(a2, snils())])  # unchanged metadata: written in bulk, still current
    assert rows(db, "SELECT last_seen_scan, last_read_scan FROM files") == [(db.scan_id, first_scan)]
    scan_once(db, [result(a2, snils())], policy_version="p2")  # evaluated under another policy
    assert rows(db, "SELECT policy_version, last_read_scan FROM files") == [("p2", first_scan)]


def test_watch_helpers(db):
    a, b, c = ref("/share/hr/a.txt"), ref("/share/hr/sub/b.txt", inode=2), ref("/share/hr2/c.txt", inode=3)
    scan_once(db, [result(a, snils(), errors=["вложение зашифровано"]), result(b), result(c)])
    assert db.paths_under("/share/hr/") == ["/share/hr/a.txt", "/share/hr/sub/b.txt"]  # not /share/hr2
    db.set_triage("/share/hr/a.txt", FP_B, "false_positive")
    assert db.watch_state("/share/hr/a.txt") == (
        {("", "RU_SNILS", FP_A)},
        set(),
        {"вложение зашифровано"},
        {FP_B},
    )
    db.begin(["/share"], ScanOptions(), kind="watch")
    assert db.mark_gone(db.paths_under("/share/hr")) == 2
    db.finish(Summary(), False)
    assert db.paths_under("/share") == ["/share/hr2/c.txt"]
    assert db.watch_state("/share/hr/a.txt")[0] == set()
    assert [(ch["kind"], ch["reason"]) for ch in db.changes(db.scan_id)] == [("resolved", "gone")]


def test_two_processes_creating_one_store_at_once(tmp_path):
    """First use from two processes at the same moment (a scan and a diff): both open the store."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    path = tmp_path / "pd.db"
    with ctx.Pool(4) as pool:
        versions = pool.map(_open_version, [str(path)] * 8)
    assert versions == [len(MIGRATIONS)] * 8


def _open_version(path: str) -> int:
    with Store(path) as s:
        return s.schema_version


def test_a_scan_of_a_subfolder_in_between_hides_nothing_from_the_next_diff(db):
    a, b = ref("/share/hr/a.txt"), ref("/share/b.txt", inode=2)
    scan_once(db, [result(a, snils()), result(b)])  # the nightly scan of /share
    a2 = ref("/share/hr/a.txt", size=3)
    sub = FileRef(**{**{f: getattr(a2, f) for f in a2.__slots__}, "root": "/share/hr", "rel": "a.txt"})
    assert scan_once(db, [result(sub)], roots=("/share/hr",)) == 0  # ad hoc: the value was removed
    assert db.changes(db.scan_id) == []  # nothing to compare with for /share/hr yet
    assert scan_once(db, [result(a2), result(b)]) == 0  # next nightly: sees a unchanged since the ad hoc run
    assert [(c["kind"], c["path"], c["fingerprint"]) for c in db.changes(db.scan_id)] == [
        ("resolved", "/share/hr/a.txt", FP_A)
    ]


def test_a_damaged_database_is_a_clear_error(tmp_path, pdscan_cmd):
    import subprocess

    from pdscan.store import open_store

    bad = tmp_path / "pd.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="не удалось открыть базу"):
        open_store(bad)
    tree = tmp_path / "share"
    tree.mkdir()
    p = subprocess.run([*pdscan_cmd, "scan", str(tree), "--db", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2 and "не удалось открыть базу" in p.stderr and "Traceback" not in p.stderr


def test_has_pd_follows_the_scan_rule(db):
    """An address alone is kept but does not make the file personal data (pdscan.scan decides)."""
    addr = Finding("LOCATION", FP_A, "г. М*****", 0.9, "line 1")
    ip = Finding("IP_ADDRESS", FP_B, "10.*.*.*", 0.9, "line 2")
    scan_once(db, [result(ref("/share/a.txt"), addr, ip), result(ref("/share/b.txt", inode=2), snils())])
    assert rows(db, "SELECT path, has_pd, n_findings FROM files ORDER BY path") == [
        ("/share/a.txt", 0, 2),
        ("/share/b.txt", 1, 1),
    ]
    assert len(db.cached(ref("/share/a.txt")).findings) == 2  # kept and reused all the same


def test_non_utf8_names_round_trip(db):
    """os.fsdecode form in, the same form out (sqlite3 alone refuses lone surrogates)."""
    name = os.fsdecode(b"/share/\xcf\xe0\xf1\xef\xee\xf0\xf2/\xff.txt")  # cp1251 "Паспорт", then 0xFF
    a = ref(name)
    assert scan_once(db, [result(a, snils()), result(ref("/share/b.txt", inode=2))]) == 1
    assert rows(db, "SELECT path FROM files ORDER BY id")[0] == (name,)
    assert db.cached(a) is not None and db.cached(a).findings[0].fingerprint == FP_A
    assert scan_once(db, [result(a, snils()), result(ref("/share/b.txt", inode=2))]) == 0
    assert db.paths_under(os.fsdecode(b"/share/\xcf\xe0\xf1\xef\xee\xf0\xf2")) == [name]
    assert [c["path"] for c in db.changes(1)] == [name]
    assert (
        os.fsencode(db.files_by_fingerprint([FP_A])[0]["path"])
        == b"/share/\xcf\xe0\xf1\xef\xee\xf0\xf2/\xff.txt"
    )


def test_a_version_1_store_is_upgraded_in_place(tmp_path):
    from pdscan.migrations import m0001_initial

    path = tmp_path / "old.db"
    c = sqlite3.connect(path)
    c.executescript(m0001_initial.SQL + "\nPRAGMA user_version = 1;")
    c.execute(
        "INSERT INTO files (path, root, rel, size, mtime, inode, detector_version, first_seen_scan, last_seen_scan, "
        "last_read_scan, bytes_read) VALUES ('/share/a.txt', '/share', 'a.txt', 10, 1700000000.0, 1, ?, 1, 1, 1, 10)",
        (detector_version("fast", True, 3),),
    )
    c.commit()
    c.close()
    s = Store(path)
    assert s.schema_version == len(MIGRATIONS) >= 2
    assert rows(s, "SELECT path, meta_key FROM files") == [("/share/a.txt", 0)]
    # The old row is still a cache hit; its metadata is refreshed once.
    assert scan_once(s, [result(ref("/share/a.txt"))]) == 0
    assert rows(s, "SELECT last_read_scan FROM files") == [(1,)]
    assert rows(s, "SELECT meta_key != 0 FROM files") == [(1,)]
    s.close()


def test_scan_and_watch_session_share_the_store(tmp_path, monkeypatch):
    """A watch session holds the lock per batch: the nightly scan waits for a batch, not for the
    watch to end; the watch's next batch waits for the scan; the live session is not 'interrupted'."""
    import pdscan.store as store_module

    monkeypatch.setattr(store_module, "WAIT_FOR_WATCH", 10.0)
    path = tmp_path / "pd.db"
    watch = Store(path)
    watch.role = "watch"
    watch.begin(["/share"], ScanOptions(), kind="watch")
    watch.record(result(ref("/share/w1.txt"), snils()))  # a batch is open: the watch holds the lock
    began, errors = threading.Event(), []

    def nightly() -> None:
        try:
            s = Store(path)  # SQLite connections belong to their thread
            s.begin(["/share"], ScanOptions())
            began.set()
            for name in ("w1.txt", "n1.txt"):
                s.record(result(ref(f"/share/{name}")))
            time.sleep(0.8)
            s.finish(Summary(), True)
            s.close()
        except Exception as e:  # noqa: BLE001 — handed to the test thread
            errors.append(e)
            began.set()

    t = threading.Thread(target=nightly)
    t.start()
    assert not began.wait(0.6)  # the watch's batch is not written yet
    watch.flush()  # written: the lock is free between batches
    assert began.wait(5) and errors == []
    # The scan runs now: the watch's next write waits until it has finished.
    watch.record(result(ref("/share/w2.txt"), snils(FP_B)))
    assert rows(watch, "SELECT status FROM scans WHERE kind='scan'") == [("complete",)]
    watch.flush()
    t.join(5)
    assert rows(watch, "SELECT status FROM scans WHERE kind='watch'") == [("running",)]
    gone = dict(rows(watch, "SELECT path, gone FROM files"))
    assert gone == {"/share/w1.txt": 0, "/share/n1.txt": 0, "/share/w2.txt": 0}
    watch.finish(Summary(), False)
    watch.close()


def test_watch_lets_a_waiting_scan_go_first_and_stops_waiting_on_request(tmp_path):
    path = tmp_path / "pd.db"
    watch = Store(path)
    watch.role = "watch"
    stop = []
    watch.should_stop = lambda: bool(stop)
    # A scan of another live process waits for this store: a free lock is left to it.
    (tmp_path / "pd.db.lock.wait").write_text(str(os.getppid()))
    threading.Timer(0.5, lambda: stop.append(True)).start()
    with pytest.raises(StoreLocked):
        watch.lock()
    # The mark of a process that is gone does not hold the watch back.
    (tmp_path / "pd.db.lock.wait").write_text("999999999")
    stop.clear()
    watch.lock()
    watch.close()


def test_watch_session_forgets_rows_the_scan_changed(tmp_path):
    """Between its batches a watch session may have cached a folder's rows; a scan that rewrote one
    of them meanwhile must not leave the watch reusing the old result."""
    path = tmp_path / "pd.db"
    watch = Store(path)
    watch.role = "watch"
    watch.begin(["/share"], ScanOptions(), kind="watch")
    a, b = ref("/share/a.txt"), ref("/share/b.txt", inode=2)
    watch.record(result(a, snils()))
    watch.record(result(b))
    watch.flush()
    assert watch.cached(a) is not None and watch.cached(b) is not None  # the folder's rows cached
    scan = Store(path)
    scan.begin(["/share"], ScanOptions())
    scan.record(result(ref("/share/a.txt", size=11)))  # a changed, read by the scan
    scan.finish(Summary(), False)
    scan.close()
    assert watch.cached(a) is None  # the old size no longer matches the stored row
    assert watch.cached(ref("/share/a.txt", size=11)) is not None
    watch.finish(Summary(), False)
    watch.close()
