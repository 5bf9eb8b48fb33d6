"""Incremental scans end to end: the real `pdscan scan` command, real files, the real detector.

"No file content is read" is proved with inotify (store_helpers.OpenProbe): the kernel reports
every open() of a file in the watched folders by any process — worker processes included,
O_NOATIME or not — so an empty event set means nothing was opened, hence nothing was read.
The first scan's events show the probe does see the scanner's reads.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from store_helpers import OpenProbe, run_pdscan, snils, snils_digits, snils_text

from pdscan.store import Store


def make_tree(root: Path) -> dict[str, Path]:
    (root / "Кадры").mkdir(parents=True)
    (root / "Общая").mkdir()
    files = {
        "p1": root / "Кадры" / "анкета_1.txt",
        "p2": root / "Кадры" / "анкета_2.txt",
        "p3": root / "Общая" / "список.csv",
        "n1": root / "Общая" / "заметка.txt",
        "n2": root / "readme.txt",
    }
    files["p1"].write_text(snils_text(1), encoding="utf-8")
    files["p2"].write_text(snils_text(2), encoding="utf-8")
    files["p3"].write_text(
        "фамилия;снилс\nПетров;" + snils(snils_digits(3)) + "\nСидоров;" + snils(snils_digits(4)) + "\n",
        encoding="utf-8",
    )
    files["n1"].write_text("Совещание перенесено на четверг.\n", encoding="utf-8")
    files["n2"].write_text("Здесь лежат общие документы отдела.\n", encoding="utf-8")
    return files


def scan(cmd, tree, db, *extra, jobs: int = 0):
    """jobs=0 reads in-process (cheapest start); the first test uses the worker pool."""
    return run_pdscan(cmd, "scan", str(tree), "--db", str(db), "--format", "jsonl", "-j", str(jobs), *extra)


def test_rescan_reads_nothing_and_a_changed_file_is_reread(tmp_path, pdscan_cmd):
    tree, db = tmp_path / "share", tmp_path / "state" / "pd.db"
    files = make_tree(tree)
    probe = OpenProbe(tree)
    try:
        first = scan(pdscan_cmd, tree, db, jobs=2)
        assert first.rc == 1, first.stderr
        assert probe.opened() == {str(p) for p in files.values()}  # the probe sees every read
        assert len(first.of("finding")) == 4

        second = scan(pdscan_cmd, tree, db, jobs=2)
        assert second.rc == 0, second.stderr
        assert probe.opened() == set()  # nothing opened, nothing read
        assert second.summary["files_reused"] == 5 and second.summary["bytes"] == 0
        # Cached findings are still reported in full.
        key = lambda r: (r["path"], r["entity"], r["fingerprint"], r["count"], r["location"])  # noqa: E731
        assert sorted(map(key, second.of("finding"))) == sorted(map(key, first.of("finding")))

        # One file gains a value: only that file is read again, and it is new (exit 1).
        with open(files["p1"], "a", encoding="utf-8") as f:
            f.write("СНИЛС супруги " + snils(snils_digits(9)) + "\n")
        third = scan(pdscan_cmd, tree, db, jobs=1)
        assert third.rc == 1, third.stderr
        assert probe.opened() == {str(files["p1"])}
        assert third.summary["files_reused"] == 4

        diff = run_pdscan(pdscan_cmd, "diff", "--db", str(db), "--format", "jsonl")
        assert diff.rc == 0, diff.stderr
        changes = diff.of("change")
        assert [(c["change"], c["path"], c["entity"]) for c in changes] == [
            ("new", str(files["p1"]), "RU_SNILS")
        ]
        assert changes[0]["masked"].endswith(snils(snils_digits(9))[-2:])

        # A deleted file is marked gone and its values resolved; --full reads everything again.
        files["p2"].unlink()
        fourth = scan(pdscan_cmd, tree, db, "--full")
        assert fourth.rc == 0, fourth.stderr
        assert probe.opened() == {str(p) for k, p in files.items() if k != "p2"}
        out = run_pdscan(pdscan_cmd, "diff", "--db", str(db), "--format", "jsonl")
        assert [(c["change"], c["path"], c["reason"]) for c in out.of("change")] == [
            ("resolved", str(files["p2"]), "gone")
        ]
    finally:
        probe.close()
    p = subprocess_table(pdscan_cmd, db)
    assert "Устранено (1):" in p and "файл удалён" in p
    with Store(db) as s:
        assert [
            tuple(r) for r in s.conn.execute("SELECT gone FROM files WHERE path=?", (str(files["p2"]),))
        ] == [(1,)]


def subprocess_table(cmd, db) -> str:
    import subprocess

    return subprocess.run([*cmd, "diff", "--db", str(db)], capture_output=True, text=True, check=True).stdout


POLICY = """version: 1
retention:
  - name: "Кадровые анкеты"
    match: ["Кадры/**"]
    years: 1
    count_from: modified
"""


def test_retention_violation_appears_later_without_reading(tmp_path, pdscan_cmd):
    tree, db = tmp_path / "share", tmp_path / "pd.db"
    files = make_tree(tree)
    modified = time.mktime(dt.datetime(2024, 3, 10, 12, 0).timetuple())
    for p in files.values():
        os.utime(p, (modified, modified))
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    probe = OpenProbe(tree)
    try:
        early = scan(pdscan_cmd, tree, db, "--policy", str(policy), "--as-of", "2024-06-01")
        assert early.rc == 1 and early.of("violation") == [], early.stderr
        assert len(probe.opened()) == 5

        late = scan(pdscan_cmd, tree, db, "--policy", str(policy), "--as-of", "2025-06-01")
        assert probe.opened() == set()  # decided from the store: no file opened
        assert late.rc == 1, late.stderr
        got = sorted((v["path"], v["rule"], v["deadline"]) for v in late.of("violation"))
        assert got == [
            (str(files["p1"]), "retention_expired", "2025-03-10"),
            (str(files["p2"]), "retention_expired", "2025-03-10"),
        ]
        again = scan(pdscan_cmd, tree, db, "--policy", str(policy), "--as-of", "2025-06-02")
        assert again.rc == 0 and len(again.of("violation")) == 2  # still there, no longer new
        assert probe.opened() == set()
    finally:
        probe.close()
    with Store(db) as s:
        rows = s.conn.execute("SELECT rule, deadline FROM violations ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [("retention_expired", "2025-03-10")] * 2


def test_store_holds_no_raw_values_and_is_private(tmp_path, pdscan_cmd):
    tree, db = tmp_path / "share", tmp_path / "pd.db"
    make_tree(tree)
    (tree / "contacts.txt").write_text(
        "Иванова Мария Петровна, e-mail maria.ivanova.hr@example.ru, тел. +7 916 555-12-34\n",
        encoding="utf-8",
    )
    r = scan(pdscan_cmd, tree, db)
    assert r.rc == 1, r.stderr
    assert {f["entity"] for f in r.of("finding")} >= {"RU_SNILS", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("pd.db*"))
    raw = [snils(snils_digits(i)) for i in (1, 2, 3, 4)] + ["maria.ivanova.hr@example.ru", "555-12-34"]
    raw += [v.replace("-", "").replace(" ", "") for v in raw[:4]] + ["79165551234", "Иванова"]
    for value in raw:
        assert value.encode() not in blob, value
    assert "Иванова".encode() not in blob
    for p in tmp_path.glob("pd.db*"):
        assert os.stat(p).st_mode & 0o077 == 0, p


def test_second_scan_on_a_busy_store_exits_2(tmp_path, pdscan_cmd):
    tree, db = tmp_path / "share", tmp_path / "pd.db"
    make_tree(tree)
    holder = Store(db)
    holder.lock()  # as a running scan holds it
    try:
        r = scan(pdscan_cmd, tree, db)
        assert r.rc == 2
        assert "занята другим сканированием" in r.stderr and str(os.getpid()) in r.stderr
        assert r.records == []  # refused before any output
        en = scan(pdscan_cmd, tree, db, "--lang", "en")
        assert en.rc == 2 and f"is in use by another scan (process {os.getpid()})" in en.stderr
    finally:
        holder.close()
    assert scan(pdscan_cmd, tree, db).rc == 1


def test_no_store_leaves_no_database(tmp_path, pdscan_cmd):
    tree = tmp_path / "share"
    make_tree(tree)
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "PDSCAN_DB": None}  # the default place
    r = run_pdscan(pdscan_cmd, "scan", str(tree), "--no-store", "--format", "jsonl", "-j", "0", env=env)
    assert r.rc == 1 and not (tmp_path / "data").exists()
    # Without --db the store goes to the user's data dir, created private.
    r = run_pdscan(pdscan_cmd, "scan", str(tree), "--format", "jsonl", "-j", "0", env=env)
    assert r.rc == 1
    db = tmp_path / "data" / "pdscan" / "pdscan.db"
    assert db.exists() and os.stat(db).st_mode & 0o777 == 0o600
    assert run_pdscan(pdscan_cmd, "scan", str(tree), "--format", "jsonl", "-j", "0", env=env).rc == 0


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_diff_without_scans_is_a_clear_error(tmp_path, pdscan_cmd, fmt):
    r = run_pdscan(pdscan_cmd, "diff", "--db", str(tmp_path / "none.db"), "--format", fmt)
    assert r.rc == 2 and "не найдена" in r.stderr


def test_non_utf8_file_name_is_stored_and_reused(tmp_path, pdscan_cmd):
    tree, db = tmp_path / "share", tmp_path / "pd.db"
    tree.mkdir()
    raw_name = os.path.join(
        os.fsencode(tree), b"\xcf\xe0\xf1\xef\xee\xf0\xf2_\xff.txt"
    )  # cp1251 + a stray byte
    with open(raw_name, "wb") as f:
        f.write(snils_text(5).encode("utf-8"))
    first = scan(pdscan_cmd, tree, db)
    assert first.rc == 1, first.stderr
    assert [os.fsencode(r["path"]) for r in first.of("finding")] == [raw_name]
    probe = OpenProbe(tree)
    try:
        second = scan(pdscan_cmd, tree, db)
        assert probe.opened() == set()
    finally:
        probe.close()
    assert second.rc == 0 and second.summary["files_reused"] == 1, second.stderr
    assert [os.fsencode(r["path"]) for r in second.of("finding")] == [raw_name]
