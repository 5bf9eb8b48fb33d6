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
