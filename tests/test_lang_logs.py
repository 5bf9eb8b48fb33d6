"""--lang en for the texts a scan or a watch writes on its own: watch log lines, alert texts and the
error records of files that could not be read. Russian stays the default (checked on the same kinds
of runs). The data (paths, masked values) are cut out before looking for Cyrillic."""

from __future__ import annotations

import re
from pathlib import Path

from test_watch import SNILS_TEXT, WatchProc

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
