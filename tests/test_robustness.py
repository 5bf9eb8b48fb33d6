"""Nothing lost, nothing touched: one scan over a folder of bad files, through the CLI.

Corrupt, encrypted, oversized, a zip bomb, a symlink loop, empty and binary files sit next to
one good document. The scan must finish, give the good file's findings, one error record with a
clear reason for each bad file, count empty/binary files as skipped, and leave every file
byte-for-byte and timestamp-for-timestamp as it was (atime included: files are opened O_NOATIME).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.formats import write_docx, write_pdf
from tests.test_extract_archives import _overlapping_zip

PASSPORT_DOC = [
    "Работник: Сидоров Пётр Андреевич.",
    "Паспорт серия 45 06 № 123456, выдан ОВД района 12.03.2010.",
    "СНИЛС 112-233-445 95.",
]


def _snapshot(root: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            st = p.stat()
            fd = os.open(p, os.O_RDONLY | os.O_NOATIME)  # the check itself must not move atime
            try:
                digest = hashlib.sha256(os.read(fd, st.st_size + 1)).hexdigest()
            finally:
                os.close(fd)
            out[str(p)] = (digest, st.st_mtime_ns, st.st_atime_ns, st.st_mode)
    return out


def _build(root: Path) -> None:
    write_docx(root / "good.docx", PASSPORT_DOC)
    good = (root / "good.docx").read_bytes()
    (root / "corrupt.docx").write_bytes(good[: len(good) // 2])
    write_pdf(root / "encrypted.pdf", [["Паспорт серия 45 06 № 123456"]], password="секрет")
    (root / "bomb.zip").write_bytes(_overlapping_zip(200))
    (root / "huge.txt").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    (root / "empty.txt").write_bytes(b"")
    shutil.copy("/bin/true", root / "program")
    (root / "loop").mkdir()
    os.symlink(root / "loop", root / "loop" / "again")
    os.symlink(root / "nowhere", root / "dangling.txt")
    # atime older than mtime: a plain read() would move atime under relatime; O_NOATIME must not.
    old = time.time() - 3 * 86400
    for p in root.iterdir():
        if p.is_file() and not p.is_symlink():
            os.utime(p, (old, old + 3600))


def test_bad_files_become_error_records_and_nothing_is_touched(tmp_path, pdscan_cmd):
    root = tmp_path / "share"
    root.mkdir()
    _build(root)
    before = _snapshot(root)
    proc = subprocess.run(
        [
            *pdscan_cmd,
            "scan",
            str(root),
            "--format",
            "jsonl",
            "--jobs",
            "2",
            "--max-file-size",
            "2",
            "--follow-symlinks",
            "--no-store",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = {Path(r["path"]).name: r["error"] for r in records if r["type"] == "error"}
    assert set(errors) == {"corrupt.docx", "encrypted.pdf", "bomb.zip", "huge.txt"}, errors
    assert "зашифрован" in errors["encrypted.pdf"]
    assert "перекрывающиеся" in errors["bomb.zip"]
    assert "больше лимита" in errors["huge.txt"]
    assert "повреж" in errors["corrupt.docx"]
    found = {(Path(r["path"]).name, r["entity"]) for r in records if r["type"] == "finding"}
    assert {("good.docx", "RU_PASSPORT"), ("good.docx", "RU_SNILS")} <= found
    summary = records[-1]
    assert summary["type"] == "summary"
    assert summary["files_seen"] == 7 and summary["errors"] == 4 and summary["files_skipped"] == 2
    assert _snapshot(root) == before


def test_output_file_is_private_and_bad_arguments_get_a_message(tmp_path, pdscan_cmd):
    write_docx(tmp_path / "a.docx", PASSPORT_DOC)
    out = tmp_path / "report.jsonl"
    out.write_text("old")
    os.chmod(out, 0o644)
    proc = subprocess.run(
        [*pdscan_cmd, "scan", str(tmp_path / "a.docx"), "--format", "jsonl", "-o", str(out), "--no-store"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    lines = out.read_text().splitlines()
    assert json.loads(lines[-1])["type"] == "summary" and len(lines) >= 3
    assert "123456" not in out.read_text() and "445 95" not in out.read_text()  # masked only
    for args, needle in [
        (["scan", str(tmp_path / "missing")], "путь не найден"),
        (["scan", str(tmp_path), "--format", "xml"], "xml"),
        (["scan", str(tmp_path), "--as-of", "2026-13-01"], "2026-13-01"),
        (["scan", str(tmp_path), "--jobs", "-1"], "-1"),
    ]:
        p = subprocess.run([*pdscan_cmd, *args], capture_output=True, text=True, timeout=120)
        assert p.returncode == 2, (args, p.stderr)
        assert needle in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_non_utf8_file_name_round_trips_through_jsonl(tmp_path, pdscan_cmd):
    raw = os.fsencode(str(tmp_path)) + b"/\xcf\xe0\xf1\xef\xee\xf0\xf2.txt"  # "Паспорт.txt" in cp1251
    with open(raw, "wb") as f:
        f.write("СНИЛС 112-233-445 95\n".encode())
    for extra in ([], ["-o", str(tmp_path / "out.jsonl")]):
        proc = subprocess.run(
            [*pdscan_cmd, "scan", str(tmp_path), "--format", "jsonl", "--no-store", "--jobs", "1", *extra],
            capture_output=True,
            timeout=300,
        )
        assert proc.returncode == 1, proc.stderr
        text = (tmp_path / "out.jsonl").read_bytes() if extra else proc.stdout
        assert b"\\udccf" in text  # escaped, never raw cp1251 bytes
        text.decode("utf-8")
        findings = [json.loads(line) for line in text.decode().splitlines() if '"finding"' in line]
        assert [os.fsencode(f["path"]) for f in findings] == [raw]
