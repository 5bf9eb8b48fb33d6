"""--lang en for the texts a scan or a watch writes on its own: watch log lines, alert texts and the
error records of files that could not be read. Russian stays the default (checked on the same kinds
of runs). The data (paths, masked values) are cut out before looking for Cyrillic."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from formats import encrypt_ooxml, write_docx, write_xlsx
from test_watch import SNILS_TEXT, WatchProc

from pdscan import i18n
from pdscan.alerts import format_alert_text

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def own_words(text: str, *data: object) -> str:
    for value in sorted({str(d) for d in data}, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def watch_cmd(pdscan_cmd, root: Path, *more: str) -> list[str]:
    db = root.parent / "db.sqlite"
    return [*pdscan_cmd, "watch", str(root), "--db", str(db), "--ner", "off", "--no-ocr", "-j", "1", *more]


def run_watch(pdscan_cmd, tmp_path: Path, *lang: str) -> tuple[list[str], Path]:
    """Start a watch, let it read one file and see it deleted, stop it; its stderr lines."""
    root = tmp_path / "share"
    root.mkdir()
    cmd = watch_cmd(pdscan_cmd, root, "--debounce", "0.5", *lang)
    w = WatchProc(cmd)
    try:
        w.wait_for(lambda line: "готово" in line or "ready" in line, 60, what="log")
        doc = root / "anketa.txt"
        doc.write_text(SNILS_TEXT + "\n", encoding="utf-8")
        w.wait_for(lambda r: r[1].get("path") == str(doc), 15)
        doc.unlink()
        w.wait_for(lambda line: line.endswith(f": {doc}"), 15, what="log")
    finally:
        assert w.stop() == 0
    return w.log, root


def test_watch_log_in_english(pdscan_cmd, tmp_path):
    log, root = run_watch(pdscan_cmd, tmp_path, "--lang", "en")
    text = "\n".join(log)
    assert "watching started: " + str(root) in text
    assert "ready: workers started" in text
    assert f"deleted or moved: {root / 'anketa.txt'}" in text
    assert "watching stopped" in text
    assert not CYRILLIC.search(own_words(text, root)), text


def test_watch_log_in_russian_by_default(pdscan_cmd, tmp_path):
    log, root = run_watch(pdscan_cmd, tmp_path)
    text = "\n".join(log)
    assert "наблюдение запущено: " + str(root) in text
    assert f"удалён или перемещён: {root / 'anketa.txt'}" in text
    assert "наблюдение остановлено" in text
    assert "watching" not in text


def test_alert_texts_follow_the_language(monkeypatch):
    violation = {"type": "violation", "clause": "п. 3.10", "rule": "excessive_access", "path": "/s/a.docx"}
    finding = {"type": "finding", "entity": "RU_SNILS", "masked": "***-***-*** 45", "path": "/s/a.docx"}
    error = {"type": "error", "error": "x", "path": "/s/a.docx"}
    monkeypatch.delenv("PDSCAN_LANG", raising=False)
    assert format_alert_text(violation) == "НАРУШЕНИЕ п. 3.10: избыточный доступ — /s/a.docx"
    assert format_alert_text(finding).startswith("найдено: СНИЛС ***-***-*** 45 — /s/a.docx")
    assert format_alert_text(error) == "ошибка: x — /s/a.docx"
    monkeypatch.setenv("PDSCAN_LANG", "en")
    assert format_alert_text(violation) == "VIOLATION cl. 3.10: excessive access — /s/a.docx"
    assert format_alert_text(finding).startswith("found: SNILS ***-***-*** 45 — /s/a.docx")
    assert format_alert_text(error) == "error: x — /s/a.docx"


# ---- error records of a scan -------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> Path:
    """Files a scan cannot read, each for its own reason."""
    base = tmp_path_factory.mktemp("bad")
    root = base / "share"
    root.mkdir()
    docx = write_docx(base / "ok.docx", ["Договор"]).read_bytes()
    (root / "broken.docx").write_bytes(docx[: len(docx) // 2])
    encrypt_ooxml(write_xlsx(base / "ok.xlsx", {"Sheet1": [["a", "b"]]}), root / "secret.xlsx")
    (root / "big.txt").write_bytes(b"a" * (1024 * 1024 + 10))
    (root / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>garbage")
    inner = _zip({"t.txt": b"hello"})
    # Two archives past --archive-depth 1: one note that counts both.
    (root / "nested.zip").write_bytes(_zip({"mid1.zip": _zip({"in.zip": inner}), "mid2.zip": inner}))
    return root


def scan_errors(root: Path, *lang: str) -> dict[str, str]:
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    args = ["scan", str(root), "--format", "jsonl", "--max-file-size", "1", "--archive-depth", "1"]
    db = root.parent / f"db{len(lang)}.sqlite"
    p = subprocess.run(
        [*cmd, *args, "--no-ocr", "--ner", "off", "-j", "1", "--db", str(db), *lang],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    records = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    return {Path(r["path"]).name: r["error"] for r in records if r["type"] == "error"}


def test_scan_error_records_in_english(bad_files):
    errors = scan_errors(bad_files, "--lang", "en")
    assert errors == {
        "broken.docx": "corrupt zip archive (BadZipFile)",
        "secret.xlsx": "file encrypted",
        "big.txt": "file larger than the limit (1 MB), not read",
        "bad.pdf": errors["bad.pdf"],
        "nested.zip": "nested archives beyond depth 1 not opened: 2 (first: mid1.zip)",
    }
    assert errors["bad.pdf"].startswith("PDF file corrupt (")
    for text in errors.values():
        assert not CYRILLIC.search(text), text


def test_scan_error_records_in_russian_by_default(bad_files, monkeypatch):
    monkeypatch.delenv("PDSCAN_LANG", raising=False)
    errors = scan_errors(bad_files)
    assert errors == {
        "broken.docx": "повреждённый zip-архив (BadZipFile)",
        "secret.xlsx": "файл зашифрован",
        "big.txt": "файл больше лимита (1 МБ), не прочитан",
        "bad.pdf": errors["bad.pdf"],
        "nested.zip": "вложенные архивы глубже 1 уровней не раскрыты: 2 (первый: mid1.zip)",
    }
    assert errors["bad.pdf"].startswith("файл PDF повреждён (")


def test_every_error_text_has_both_languages_and_the_same_placeholders():
    """A word missing in one language, or a value (size, name, limit) one of them drops."""
    fields = re.compile(r"\{(\w+)")
    for key, (ru, en) in {**i18n.WATCH_MESSAGES, **i18n.EXTRACT_MESSAGES}.items():
        assert ru and en and not CYRILLIC.search(en), key
        assert sorted(fields.findall(ru)) == sorted(fields.findall(en)), key
        assert sorted(re.findall(r"%[.\d]*\w", ru)) == sorted(re.findall(r"%[.\d]*\w", en)), key


def test_smb_address_and_password_file_errors_follow_the_language(monkeypatch, tmp_path):
    from pdscan.smbconfig import SmbConfigError, check_mode
    from pdscan.sources.smb import SmbError, SmbUrl

    ini = tmp_path / "smb.ini"
    ini.write_text("[default]\n", encoding="utf-8")
    ini.chmod(0o644)
    monkeypatch.setenv("PDSCAN_LANG", "en")
    with pytest.raises(
        SmbError, match=r"^the address must look like smb://host\[:port\]/share\[/path\]: smb://fs01$"
    ):
        SmbUrl.parse("smb://fs01")
    with pytest.raises(
        SmbConfigError, match=r"readable by its group or by all \(mode 0644\); run: chmod 600"
    ):
        check_mode(ini)
    monkeypatch.setenv("PDSCAN_LANG", "ru")
    with pytest.raises(SmbError, match=r"^адрес должен иметь вид smb://хост"):
        SmbUrl.parse("smb://fs01")
    with pytest.raises(
        SmbConfigError, match=r"доступен группе или всем \(права 0644\); выполните: chmod 600"
    ):
        check_mode(ini)


def test_email_subject_follows_the_language(monkeypatch):
    from pdscan.alerts import EmailConfig

    monkeypatch.setenv("PDSCAN_LANG", "en")
    assert EmailConfig(host="h", to=["a@b"], sender="c@d").subject == "pdscan: personal data found"
    monkeypatch.delenv("PDSCAN_LANG")
    assert EmailConfig(host="h", to=["a@b"], sender="c@d").subject == "pdscan: найдены персональные данные"
