"""Watch mode on smb:// roots against a real Samba server (tests/samba.py): `pdscan watch smb://…`
runs as a subprocess, files are written into the share's folder on disk, alerts are read from stdout."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.samba import SMBD, running_samba, skip_reason
from tests.test_watch import PASSPORT_TEXT, POLICY, SNILS_TEXT, WatchProc, read_count, store_rows, wait_store

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@pytest.fixture(scope="module")
def server():
    with running_samba("pdscan-samba-watch-") as srv:
        yield srv


@pytest.fixture
def share(server, tmp_path):
    """A fresh folder per test inside the share: (its local path, its smb:// URL)."""
    local = server.share_dir / tmp_path.name
    (local / "Кадры").mkdir(parents=True)
    (local / "Общая").mkdir()
    for d in (local, local / "Кадры", local / "Общая"):
        d.chmod(0o755)
    # Everyone may read a 0644 file: excessive_access, which needs the ACL read over SMB.
    access = "access:\n  allowed_groups: [buh]\n  allow_owner: true\n"
    (tmp_path / "policy.yaml").write_text(POLICY + access, encoding="utf-8")
    yield local, f"{server.url}/{tmp_path.name}"
    shutil.rmtree(local, ignore_errors=True)


def start(pdscan_cmd, server, url: str, tmp_path: Path) -> WatchProc:
    cfg = tmp_path / "smb.ini"
    cfg.write_text(f"[default]\nuser = {server.user}\npassword = {server.password}\n", encoding="utf-8")
    cfg.chmod(0o600)
    cmd = [
        *pdscan_cmd,
        "watch",
        url,
        "--smb-config",
        str(cfg),
        "--policy",
        str(tmp_path / "policy.yaml"),
        "--db",
        str(tmp_path / "db.sqlite"),
        "--ner",
        "off",
        "--no-ocr",
        "-j",
        "1",
        "--poll-interval",
        "0.5",
    ]
    # Credentials come from --smb-config only: the environment's must not be what makes it work.
    env = {"PDSCAN_SMB_USER": "", "PDSCAN_SMB_PASSWORD": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    w = WatchProc(cmd, env=env)
    w.wait_ready()
    return w


def alerts_for(w: WatchProc, url: str) -> list[dict]:
    with w.lock:
        return [r for _, r in w.records if r.get("path") == url]


def test_new_file_alerts_and_deleted_file_is_marked_gone(pdscan_cmd, server, share, tmp_path):
    local, url = share
    old = local / "Кадры" / "старая анкета.txt"
    old.write_text(SNILS_TEXT + "\n", encoding="utf-8")
    w = start(pdscan_cmd, server, url, tmp_path)
    try:
        # The catch-up at start records what was there before (in an authorized folder: no violation).
        w.wait_for(
            lambda x: x[1].get("path") == f"{url}/Кадры/старая анкета.txt" and x[1]["type"] == "finding"
        )

        target = local / "Общая" / "паспорт.txt"
        written = time.monotonic()
        target.write_text("Анкета соискателя\n" + PASSPORT_TEXT + "\n", encoding="utf-8")
        target_url = f"{url}/Общая/паспорт.txt"
        t, rec = w.wait_for(
            lambda x: x[1].get("path") == target_url and x[1].get("rule") == "outside_authorized", timeout=10
        )
        w.wait_for(lambda x: x[1].get("path") == target_url and x[1].get("rule") == "excessive_access")
        assert t - written < 10.0, f"оповещение через {t - written:.1f} с"
        recs = alerts_for(w, target_url)
        assert [r["entity"] for r in recs if r["type"] == "finding"] == ["RU_PASSPORT"]
        assert "123456" not in json.dumps(recs, ensure_ascii=False)  # masked, never raw
        excessive = [r for r in recs if r["type"] == "violation" and r["rule"] == "excessive_access"]
        assert len(excessive) == 1 and excessive[0]["owner"] == "PDSCANTEST\\root"  # ACL read over SMB

        db = tmp_path / "db.sqlite"
        wait_store(db, lambda r: r.get(target_url) == 0, timeout=5)  # recorded (flushed when idle)
        target.unlink()
        rows = wait_store(db, lambda r: r.get(target_url) == 1, timeout=10)
        assert rows[f"{url}/Кадры/старая анкета.txt"] == 0  # the others stay

        # Written in pieces, each pause well under the poll interval: read once, when complete.
        slow = local / "Общая" / "список.txt"
        slow_url = f"{url}/Общая/список.txt"
        with open(slow, "w", encoding="utf-8") as f:
            f.write(PASSPORT_TEXT + "\n")
            for i in range(10):
                f.flush()
                time.sleep(0.15)
                f.write(f"строка {i} без персональных данных\n")
            f.write(SNILS_TEXT + "\n")
        w.wait_for(lambda x: x[1].get("path") == slow_url and x[1].get("rule") == "outside_authorized")
        time.sleep(1.5)  # a second (partial or repeated) read would show up by now
    finally:
        assert w.stop() == 0
    # One read per new file (the old one was read by the catch-up, before the watch loop).
    assert len([r for r in alerts_for(w, target_url) if r["type"] == "finding"]) == 1
    slow_recs = alerts_for(w, slow_url)
    assert sorted(r["entity"] for r in slow_recs if r["type"] == "finding") == ["RU_PASSPORT", "RU_SNILS"]
    assert len([r for r in slow_recs if r.get("rule") == "outside_authorized"]) == 1
    assert read_count(w) == 2


def _restart_smbd(server) -> subprocess.Popen:
    """smbd again on the same port with the same state (the host comes back)."""
    out = open(server.state / "stdout-2.log", "wb")
    proc = subprocess.Popen(
        ["setsid", SMBD, "--foreground", "--no-process-group", "--debug-stdout", "-s", str(server.conf)],
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    out.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection((server.host, server.port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("smbd did not come back")


def test_host_down_marks_nothing_gone_and_watching_resumes(pdscan_cmd, server, share, tmp_path):
    local, url = share
    kept = local / "Кадры" / "анкета.txt"
    kept.write_text(SNILS_TEXT + "\n", encoding="utf-8")
    kept_url = f"{url}/Кадры/анкета.txt"
    db = tmp_path / "db.sqlite"
    w = start(pdscan_cmd, server, url, tmp_path)
    try:
        w.wait_for(lambda x: x[1].get("path") == kept_url)
        server.stop()  # the host goes away
        w.wait_for(lambda line: "SMB-ресурс недоступен" in line, timeout=15, what="log")
        time.sleep(1.5)  # a few passes against the dead host
        assert store_rows(db)[kept_url] == 0  # unreachable is not deleted
        assert w.proc.poll() is None  # still running

        new = local / "Общая" / "паспорт.txt"
        new.write_text(PASSPORT_TEXT + "\n", encoding="utf-8")  # written while the host is away
        server.proc = _restart_smbd(server)
        w.wait_for(lambda line: "SMB-ресурс снова доступен" in line, timeout=15, what="log")
        new_url = f"{url}/Общая/паспорт.txt"
        w.wait_for(lambda x: x[1].get("path") == new_url and x[1]["type"] == "violation", timeout=15)
        assert store_rows(db)[kept_url] == 0
    finally:
        assert w.stop() == 0


def test_smb_root_without_credentials_is_a_usage_error(pdscan_cmd, server, tmp_path):
    env = {"PDSCAN_SMB_USER": "", "PDSCAN_SMB_PASSWORD": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    r = subprocess.run(
        [*pdscan_cmd, "watch", server.url, "--db", str(tmp_path / "db.sqlite")],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PDSCAN_SMB_CONFIG": ""},
        timeout=60,
    )
    assert r.returncode == 2
    assert "PDSCAN_SMB_USER" in r.stderr
