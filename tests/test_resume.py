"""kill -9 in the middle of a real scan, then rerun: the store stays consistent, the rerun continues
(files recorded before the kill are not read again) and ends with exactly the findings of an
uninterrupted scan, with nothing lost from the news either."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from store_helpers import run_pdscan, snils, snils_digits

N_FILES = 900


def make_corpus(root: Path) -> None:
    for d in range(9):
        sub = root / f"отдел_{d:02d}"
        sub.mkdir(parents=True)
        for i in range(N_FILES // 9):
            n = d * 1000 + i
            if n % 3 == 0:  # a third of the files hold a person's СНИЛС
                text = f"Карточка работника {n}\nСНИЛС {snils(snils_digits(n))}\n"
            else:
                text = f"Служебная записка {n}: закупка бумаги, {n % 7 + 1} пачек.\n"
            (sub / f"док_{i:03d}.txt").write_text(text, encoding="utf-8")


def findings(db: Path) -> list[tuple]:
    c = sqlite3.connect(db)
    try:
        return sorted(
            c.execute(
                "SELECT p.path, f.member, f.entity, f.fingerprint, f.masked, f.count, f.location "
                "FROM findings f JOIN files p ON p.id = f.file_id WHERE p.gone = 0"
            ).fetchall()
        )
    finally:
        c.close()


def committed_files(db: Path) -> int:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return c.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0  # not created yet


def new_items(cmd, db: Path) -> set[tuple]:
    d = run_pdscan(cmd, "diff", "--db", str(db), "--format", "jsonl")
    assert d.rc == 0, d.stderr
    return {(c["change"], c["path"], c.get("fingerprint")) for c in d.of("change")}


def test_kill_9_then_rerun_gives_the_uninterrupted_result(tmp_path, pdscan_cmd):
    tree = tmp_path / "share"
    make_corpus(tree)
    scan_args = ["scan", str(tree), "--format", "jsonl", "-j", "1", "-q"]

    ref_db = tmp_path / "reference.db"
    reference = run_pdscan(pdscan_cmd, *scan_args, "--db", str(ref_db))
    assert reference.rc == 1, reference.stderr
    expected = findings(ref_db)
    assert len(expected) == N_FILES // 3

    db = tmp_path / "pd.db"
    proc = subprocess.Popen(
        [*pdscan_cmd, *scan_args, "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while committed_files(db) < 150:
            assert proc.poll() is None, "the scan ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its worker processes, if any are left
        except ProcessLookupError:
            pass

    # Consistent right after the kill, part of the tree recorded, the scan left "running".
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    recorded = c.execute("SELECT count(*) FROM files").fetchone()[0]
    assert 150 <= recorded < N_FILES
    assert c.execute("SELECT status FROM scans").fetchall() == [("running",)]
    c.close()

    resumed = run_pdscan(pdscan_cmd, *scan_args, "--db", str(db))
    assert resumed.rc == 1, resumed.stderr  # the killed run's findings are still news
    assert resumed.summary["files_reused"] >= recorded  # continued, did not start over
    assert resumed.summary["files_seen"] == N_FILES
    assert findings(db) == expected  # same final findings, no duplicates, none lost
    key = lambda r: (r["path"], r["fingerprint"], r["count"])  # noqa: E731
    assert sorted(map(key, resumed.of("finding"))) == sorted(map(key, reference.of("finding")))
    assert new_items(pdscan_cmd, db) == new_items(pdscan_cmd, ref_db)

    c = sqlite3.connect(db)
    assert c.execute("SELECT status FROM scans ORDER BY id").fetchall() == [("interrupted",), ("complete",)]
    c.close()
    again = run_pdscan(pdscan_cmd, *scan_args, "--db", str(db))
    assert again.rc == 0 and again.summary["files_reused"] == N_FILES


# A writer that records synthetic results for WRITER_FILES paths, as run_scan drives the store.
WRITER = """
import sys
import time
from pdscan.model import FileRef, FileResult, Finding
from pdscan.scan import ScanOptions, Summary
from pdscan.store import Store

db, n = sys.argv[1], int(sys.argv[2])
s = Store(db)
s.begin(["/share"], ScanOptions())
for i in range(n):
    ref = FileRef(path=f"/share/d{i % 7}/f{i:05d}.txt", root="/share", rel=f"d{i % 7}/f{i:05d}.txt",
                  size=10 + i, mtime=1.7e9, inode=i + 1)
    res = s.cached(ref)
    if res is None:
        fp = f"{i:064x}"
        res = FileResult(ref=ref, findings=[Finding("RU_SNILS", fp, "*******0000", 1.0, "line 1")] if i % 2 else [],
                         bytes_read=10 + i)
    s.record(res)
    time.sleep(0.0005)  # as if reading: a run lasts > 2 s, so every kill below lands inside it
s.finish(Summary(), True)
"""
WRITER_FILES = 4000


def test_store_survives_kill_9_at_random_points(tmp_path):
    """The store alone, killed again and again at random moments of a run: always consistent,
    and the run that finally completes has every file once and every value as news."""
    import random
    import sys

    db = tmp_path / "pd.db"
    rng = random.Random(5)
    cmd = [sys.executable, "-c", WRITER, str(db), str(WRITER_FILES)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for _ in range(8):
        p = subprocess.Popen(cmd, env=env)
        time.sleep(rng.uniform(0.2, 1.2))
        assert p.poll() is None  # still running when killed
        p.send_signal(signal.SIGKILL)
        p.wait()
        c = sqlite3.connect(db)
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        c.close()
    assert subprocess.run(cmd, env=env, timeout=120).returncode == 0
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*), count(DISTINCT path) FROM files").fetchone() == (
        WRITER_FILES,
        WRITER_FILES,
    )
    assert c.execute("SELECT count(*) FROM findings").fetchone()[0] == WRITER_FILES // 2
    statuses = [r[0] for r in c.execute("SELECT status FROM scans ORDER BY id")]
    assert statuses[-1] == "complete" and set(statuses[:-1]) <= {"interrupted"}
    # No complete scan before it: everything recorded by the killed runs is still news.
    assert (
        c.execute("SELECT new_count FROM scans ORDER BY id DESC LIMIT 1").fetchone()[0] == WRITER_FILES // 2
    )
    c.close()
