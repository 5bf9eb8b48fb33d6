"""Watch mode with real file system events: `pdscan watch` runs as a subprocess, we read its stdout."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest

from pdscan.watch import needs_polling, parse_mountinfo
from recognizers.snils import snils_check

PASSPORT_TEXT = "Паспорт серия 45 06 № 123456 выдан ОВД района Марьино"
SNILS = "112233445" + snils_check("112233445")
SNILS_TEXT = f"СНИЛС работника {SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}"
POLICY = 'version: 1\nauthorized_locations:\n  - "Кадры/**"\n'

MODES = [pytest.param([], id="inotify"), pytest.param(["--polling", "--poll-interval", "0.5"], id="polling")]


class WatchProc:
    """`pdscan watch` in the background; stdout JSON lines and stderr log lines collected as they come."""

    def __init__(self, cmd: list[str], env: dict | None = None, **popen):
        self.records: list[tuple[float, dict]] = []
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, **(env or {})},
            **popen,
        )
        self._threads = [
            threading.Thread(target=self._read_out, daemon=True),
            threading.Thread(target=self._read_err, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _read_out(self):
        for line in self.proc.stdout:
            with self.lock:
                self.records.append((time.monotonic(), json.loads(line)))

    def _read_err(self):
        for line in self.proc.stderr:
            with self.lock:
                self.log.append(line.rstrip("\n"))

    def wait_for(self, pred, timeout: float = 15.0, what: str = "records"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                items = list(self.records if what == "records" else self.log)
            found = [x for x in items if pred(x)]
            if found:
                return found[0]
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"не дождались ({what}); журнал:\n" + "\n".join(self.log[-30:]))

    def wait_ready(self, timeout: float = 60.0):
        self.wait_for(lambda line: "готово" in line, timeout, what="log")

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout)
        for t in self._threads:
            t.join(5)
        return rc

    def for_path(self, path: Path) -> list[dict]:
        with self.lock:
            return [r for _, r in self.records if r.get("path") == str(path)]


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    (root / "Кадры").mkdir(parents=True)
    (root / "Общая").mkdir()
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return root


def start(pdscan_cmd, share: Path, extra: list[str], *more: str) -> WatchProc:
    tmp = share.parent
    cmd = [
        *pdscan_cmd,
        "watch",
        str(share),
        "--policy",
        str(tmp / "policy.yaml"),
        "--db",
        str(tmp / "db.sqlite"),
        "--ner",
        "off",
        "--no-ocr",
        "-j",
        "1",
        "--debounce",
        "1",
        *extra,
        *more,
    ]
    w = WatchProc(cmd)
    w.wait_ready()
    return w


def store_rows(db: Path) -> dict[str, int]:
    """path → gone, read through a separate connection as another program would."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return dict(c.execute("SELECT path, gone FROM files").fetchall())


def wait_store(db: Path, pred, timeout: float = 15.0) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    rows: dict[str, int] = {}
    while time.monotonic() < deadline:
        rows = store_rows(db)
        if pred(rows):
            return rows
        time.sleep(0.1)
    raise AssertionError(f"база не пришла в ожидаемое состояние: {rows}")


def read_count(w: WatchProc) -> int:
    """Files read by the workers, from the status line written at exit."""
    line = [x for x in w.log if "наблюдение: прочитано" in x][-1]
    return int(line.split("прочитано ", 1)[1].split(",", 1)[0])


@pytest.mark.parametrize("mode", MODES)
def test_passport_docx_in_public_folder_alerts_within_5s(pdscan_cmd, share, mode):
    w = start(pdscan_cmd, share, mode)
    try:
        target = share / "Общая" / "анкета.docx"
        d = docx.Document()
        d.add_paragraph("Анкета соискателя")
        d.add_paragraph(PASSPORT_TEXT)
        saved = time.monotonic()
        d.save(target)
        t, rec = w.wait_for(lambda x: x[1].get("type") == "violation", timeout=10)
        assert t - saved < 5.0, f"оповещение через {t - saved:.1f} с"
        assert rec["rule"] == "outside_authorized" and rec["path"] == str(target)
        finding = [r for r in w.for_path(target) if r["type"] == "finding"]
        assert [f["entity"] for f in finding] == ["RU_PASSPORT"]
        # No raw value in any alert: the number is masked.
        assert "123456" not in json.dumps(w.for_path(target), ensure_ascii=False)
    finally:
        assert w.stop() == 0


@pytest.mark.parametrize("mode", MODES)
def test_file_written_slowly_is_scanned_once_complete(pdscan_cmd, share, mode):
    w = start(pdscan_cmd, share, mode)
    target = share / "Общая" / "список.txt"
    try:
        with open(target, "w", encoding="utf-8") as f:
            f.write(PASSPORT_TEXT + "\n")
            for i in range(8):  # ~2.4 s of writing in pieces, each pause shorter than the debounce
                f.flush()
                time.sleep(0.3)
                f.write(f"строка {i} без персональных данных\n")
            f.write(SNILS_TEXT + "\n")
        w.wait_for(lambda x: x[1].get("type") == "violation", timeout=15)
        time.sleep(2.5)  # a second (partial or repeated) scan would show up by now
    finally:
        assert w.stop() == 0
    recs = w.for_path(target)
    assert sorted(r["entity"] for r in recs if r["type"] == "finding") == ["RU_PASSPORT", "RU_SNILS"]
    assert [r["type"] for r in recs] == ["finding", "finding", "violation"]  # one result, whole file
    assert read_count(w) == 1


@pytest.mark.parametrize("mode", MODES)
def test_move_between_folders_updates_the_store(pdscan_cmd, share, mode):
    db = share.parent / "db.sqlite"
    old = share / "Общая" / "анкета.txt"
    old.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
    w = start(pdscan_cmd, share, mode)  # the catch-up scan records it
    try:
        w.wait_for(lambda x: x[1].get("path") == str(old) and x[1]["type"] == "violation")
        new = share / "Кадры" / "анкета.txt"
        os.rename(old, new)
        rows = wait_store(db, lambda r: r.get(str(old)) == 1 and r.get(str(new)) == 0)
        assert rows[str(old)] == 1 and rows[str(new)] == 0
        # Moved into an authorized folder: its finding is there, no new violation.
        w.wait_for(lambda x: x[1].get("path") == str(new) and x[1]["type"] == "finding")
        time.sleep(1.0)
        assert not [r for r in w.for_path(new) if r["type"] == "violation"]
        # A folder moved out of the root: every file under it is gone.
        sub = share / "Общая" / "Архив"
        sub.mkdir()
        inner = sub / "паспорт.txt"
        inner.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        wait_store(db, lambda r: r.get(str(inner)) == 0)
        os.rename(sub, share.parent / "вне_корня")
        wait_store(db, lambda r: r.get(str(inner)) == 1)
    finally:
        assert w.stop() == 0


def test_catch_up_on_start_reads_only_what_changed(pdscan_cmd, share):
    db = share.parent / "db.sqlite"
    kept = share / "Общая" / "старый.txt"
    kept.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
    gone = share / "Кадры" / "удалённый.txt"
    gone.write_text("пусто\n", encoding="utf-8")
    w = start(pdscan_cmd, share, [])
    w.wait_for(lambda x: x[1].get("path") == str(kept) and x[1]["type"] == "violation")
    assert w.stop() == 0
    # While it is not running: one file added, one deleted.
    added = share / "Общая" / "новый.txt"
    added.write_text(SNILS_TEXT + "\n", encoding="utf-8")
    gone.unlink()
    w = start(pdscan_cmd, share, [])
    try:
        w.wait_for(lambda x: x[1].get("path") == str(added) and x[1]["type"] == "violation")
        wait_store(db, lambda r: r.get(str(gone)) == 1)
        time.sleep(0.5)
    finally:
        assert w.stop() == 0
    assert w.for_path(kept) == []  # alerted by the first run: not again
    catch_up = [x for x in w.log if "сверка" in x][0]
    assert "прочитано 1," in catch_up, catch_up  # only the new file was read


def test_root_that_vanishes_and_comes_back(pdscan_cmd, share):
    """A share unmounted and mounted again (polled): alerts resume, what changed meanwhile is caught up."""
    w = start(pdscan_cmd, share, [], "--polling", "--poll-interval", "0.3")
    try:
        hidden = share.parent / "share.away"
        share.rename(hidden)
        w.wait_for(lambda line: "недоступна" in line, timeout=15, what="log")
        (hidden / "Общая" / "пока_не_было.txt").write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        hidden.rename(share)
        w.wait_for(lambda line: "снова доступна" in line, timeout=15, what="log")
        back = share / "Общая" / "пока_не_было.txt"
        w.wait_for(lambda x: x[1].get("path") == str(back) and x[1]["type"] == "violation", timeout=15)
        # And it keeps watching afterwards.
        later = share / "Общая" / "потом.txt"
        later.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(later) and x[1]["type"] == "violation", timeout=15)
        assert w.proc.poll() is None
    finally:
        assert w.stop() == 0


def test_root_deleted_and_made_again_is_watched_again(pdscan_cmd, share):
    """inotify: the watch dies with its folder; a new folder at the same path is watched and caught up."""
    import shutil

    w = start(pdscan_cmd, share, [])
    try:
        shutil.rmtree(share)
        (share / "Общая").mkdir(parents=True)
        first = share / "Общая" / "сразу.txt"
        first.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(first) and x[1]["type"] == "violation", timeout=20)
        later = share / "Общая" / "потом.txt"
        later.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(later) and x[1]["type"] == "violation", timeout=15)
        assert not any("опрос" in line for line in w.log), "\n".join(w.log)  # still inotify
    finally:
        assert w.stop() == 0


def test_sigterm_stops_cleanly_and_releases_the_store(pdscan_cmd, share):
    w = start(pdscan_cmd, share, [])
    started = time.monotonic()
    assert w.stop() == 0
    assert time.monotonic() - started < 10
    assert any("наблюдение остановлено" in x for x in w.log)
    assert not any("Traceback" in x for x in w.log), "\n".join(w.log)
    # The lock is released: a scan can use the same store right away.
    with sqlite3.connect(share.parent / "db.sqlite") as c:
        kinds = [r[0] for r in c.execute("SELECT kind FROM scans WHERE status = 'running'")]
    assert kinds == []


def _drop_file_read_override():
    """In the child before exec: root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH obeys file modes."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_unreadable_file_is_logged_retried_and_read_once_allowed(pdscan_cmd, share):
    if os.geteuid() != 0:
        pytest.skip("needs root (a file of another user with mode 0600 stands for an unreadable one)")
    tmp = share.parent
    cmd = [
        *pdscan_cmd,
        "watch",
        str(share),
        "--policy",
        str(tmp / "policy.yaml"),
        "--db",
        str(tmp / "db.sqlite"),
    ]
    cmd += ["--ner", "off", "--no-ocr", "-j", "1"]
    w = WatchProc(cmd, preexec_fn=_drop_file_read_override)
    w.wait_ready()
    try:
        secret = share / "Общая" / "закрытый.txt"
        secret.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        os.chown(secret, 65534, 65534)
        os.chmod(secret, 0o600)  # another user's private file: the watcher cannot read it
        w.wait_for(lambda line: "доступ запрещён" in line and str(secret) in line, timeout=15, what="log")
        time.sleep(0.5)
        assert w.proc.poll() is None
        assert w.for_path(secret) == []
        os.chmod(secret, 0o644)  # an attribute change is an event too
        w.wait_for(lambda x: x[1].get("path") == str(secret) and x[1]["type"] == "violation", timeout=15)
    finally:
        assert w.stop() == 0


MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/share\040docs rw,relatime shared:20 - cifs //srv/docs rw,vers=3.0
41 22 0:36 / /mnt/nfs rw - nfs4 srv:/export rw
42 22 0:37 / /home/u/remote rw,nosuid - fuse.sshfs u@h:/ rw
43 41 0:38 / /mnt/nfs/local rw - tmpfs tmpfs rw
"""


def test_network_mounts_are_polled():
    assert ("/mnt/share docs", "cifs") in parse_mountinfo(MOUNTINFO)
    assert needs_polling("/mnt/share docs/Кадры", MOUNTINFO)
    assert needs_polling("/mnt/nfs/x", MOUNTINFO)
    assert needs_polling("/home/u/remote/a", MOUNTINFO)
    assert not needs_polling("/mnt/nfs/local/a", MOUNTINFO)  # a local mount on top wins
    assert not needs_polling("/mnt/share", MOUNTINFO)  # a different name, not a prefix
    assert not needs_polling("/srv", MOUNTINFO)


def test_watch_started_during_a_scan_waits_for_it_then_runs(pdscan_cmd, share):
    from pdscan.store import Store

    db = share.parent / "db.sqlite"
    (share / "Общая" / "до.txt").write_text(SNILS_TEXT, encoding="utf-8")
    other = Store(db)
    other.lock()  # as a running `pdscan scan` holds it
    cmd = [*pdscan_cmd, "watch", str(share), "--db", str(db), "--ner", "off", "--no-ocr", "-j", "1"]
    w = WatchProc(cmd)
    try:
        w.wait_for(lambda line: "занята" in line and "ждём" in line, timeout=30, what="log")
        time.sleep(1.0)
        assert w.proc.poll() is None  # still waiting, not failed
        assert "готово" not in "\n".join(w.log)
        other.close()  # the scan ends
        w.wait_ready()
        # Its start-up catch-up ran once the store was free: the file is recorded.
        wait_store(db, lambda rows: str(share / "Общая" / "до.txt") in rows)
    finally:
        other.close()
        assert w.stop() == 0
    assert not any("Traceback" in x for x in w.log), "\n".join(w.log)


def test_watch_waiting_for_a_scan_stops_cleanly_on_sigterm(pdscan_cmd, share):
    from pdscan.store import Store

    db = share.parent / "db.sqlite"
    with Store(db) as other:
        other.lock()  # a scan that will not end soon
        cmd = [*pdscan_cmd, "watch", str(share), "--db", str(db), "--ner", "off", "--no-ocr", "-j", "1"]
        w = WatchProc(cmd)
        w.wait_for(lambda line: "ждём" in line, timeout=30, what="log")
        started = time.monotonic()
        assert w.stop() == 0
        assert time.monotonic() - started < 10
    assert not any("Traceback" in x for x in w.log), "\n".join(w.log)


def test_scheduled_scan_and_watch_share_one_store(pdscan_cmd, share):
    """The nightly scan runs on the store a watch is using; the watch goes on recording after it."""
    db = share.parent / "db.sqlite"
    w = start(pdscan_cmd, share, [])
    try:
        first = share / "Общая" / "первый.txt"
        first.write_text(SNILS_TEXT, encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(first), timeout=15)
        scan = subprocess.run(
            [
                *pdscan_cmd,
                "scan",
                str(share),
                "--db",
                str(db),
                "--ner",
                "off",
                "--no-ocr",
                "--format",
                "jsonl",
                "-q",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert scan.returncode == 1, scan.stderr  # personal data found, no error
        assert f'"path": "{first}"' in scan.stdout or f'"path":"{first}"' in scan.stdout
        second = share / "Общая" / "второй.txt"
        second.write_text(SNILS_TEXT, encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(second), timeout=15)
        wait_store(db, lambda rows: rows.get(str(second)) == 0 and rows.get(str(first)) == 0)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
            states = dict(c.execute("SELECT kind, status FROM scans WHERE kind IN ('watch', 'scan')"))
            scan_kinds = [r[0] for r in c.execute("SELECT kind FROM scans WHERE status='complete'")]
        # The scan did not take the live watch session for a dead one.
        assert states.get("watch") == "running"
        assert "scan" in scan_kinds
    finally:
        assert w.stop() == 0
    assert not any("Traceback" in x for x in w.log), "\n".join(w.log)


def test_alerts_config_file_and_hook_from_the_command_line(pdscan_cmd, share, tmp_path):
    alerts_file = tmp_path / "alerts.jsonl"
    hook_out = tmp_path / "hook.out"
    script = f"import sys; open({str(hook_out)!r}, 'a', encoding='utf-8').write(sys.stdin.read())"
    cfg = tmp_path / "alerts.yaml"
    cfg.write_text(
        json.dumps({"jsonl_file": str(alerts_file), "command": {"argv": [sys.executable, "-c", script]}}),
        encoding="utf-8",
    )  # JSON is YAML too
    w = start(pdscan_cmd, share, ["--alerts-config", str(cfg)])
    try:
        target = share / "Общая" / "анкета.txt"
        target.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda x: x[1].get("type") == "violation")
    finally:
        assert w.stop() == 0  # the hook thread is drained on exit
    stdout_recs = w.for_path(target)
    assert [json.loads(x) for x in alerts_file.read_text(encoding="utf-8").splitlines()] == stdout_recs
    assert [json.loads(x) for x in hook_out.read_text(encoding="utf-8").splitlines()] == stdout_recs


def test_no_initial_alerts_records_quietly_then_alerts_new_files(pdscan_cmd, share):
    db = share.parent / "db.sqlite"
    old = share / "Общая" / "давний.txt"
    old.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")
    w = start(pdscan_cmd, share, ["--no-initial-alerts"])
    try:
        assert store_rows(db).get(str(old)) == 0  # recorded by the catch-up
        fresh = share / "Общая" / "новый.txt"
        fresh.write_text(SNILS_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda x: x[1].get("path") == str(fresh) and x[1]["type"] == "violation")
    finally:
        assert w.stop() == 0
    assert w.for_path(old) == []
    assert any("без оповещения: 2" in line for line in w.log)  # its finding and its violation
