"""`pdscan report` in CSV, XLSX and JSON from a real scan: same content, masked values only, mode 0600."""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat
import sys
from pathlib import Path

import openpyxl
import pytest
from report_helpers import cli, fp, phone, scan, snils, snils_form, write

AS_OF = dt.date(2026, 6, 1)
POLICY = """version: 1
authorized_locations: ["Кадры/**"]
retention:
  - name: "Кадры (п. 3.6.1)"
    match: ["Кадры/**"]
    years: 3
    count_from: next_year
    clause: "п. 3.6.1"
"""
A, B, C = snils(300), snils(301), snils(302)
P = phone(303)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("report")
    root, db = base / "share", base / "pdscan.db"
    write(
        root / "Кадры" / "старый приказ.txt",
        f"СНИЛС {snils_form(A)}\nСНИЛС {snils_form(B)}\n",
        dt.date(2020, 4, 4),
    )
    write(root / "Кадры" / "новый.txt", f"СНИЛС {snils_form(A)}\nтел. {P}\n", dt.date(2026, 3, 3))
    write(
        root / "Общая" / "копия.txt", f"СНИЛС {snils_form(C)}\nСНИЛС {snils_form(C)}\n", dt.date(2026, 3, 3)
    )
    write(root / "Общая" / "пусто.txt", "нет данных\n", dt.date(2026, 3, 3))
    (root / "Общая" / "битый.docx").write_bytes(b"PK\x03\x04 not a zip")
    policy = write(base / "policy.yaml", POLICY)
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    assert scan(cmd, root, db, "--policy", str(policy), "--as-of", AS_OF.isoformat()).rc == 1
    return base, root, db


def _report(db: Path, fmt: str, out: Path, *extra) -> Path:
    r = cli("report", "--db", db, "--format", fmt, "-o", out, *extra)
    assert r.rc == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    for v in (A, B, C, snils_form(A), P, P[2:]):
        assert v.encode() not in raw, fmt  # only masked forms leave the store
    return out


def test_json(store):
    base, root, db = store
    doc = json.loads(_report(db, "json", base / "r.json").read_text(encoding="utf-8"))
    files = {f["path"]: f for f in doc["files"]}
    assert set(files) == {str(root / "Кадры" / "старый приказ.txt"), str(root / "Кадры" / "новый.txt"),
                          str(root / "Общая" / "копия.txt")}  # fmt: skip
    s = doc["summary"]
    assert s["files_with_pd"] == 3 and s["persons"] == 3  # three distinct СНИЛС in the tree
    assert s["by_entity_files"] == {"RU_SNILS": 3, "PHONE_NUMBER": 1}
    assert s["by_folder"] == {"Кадры": 2, "Общая": 1}
    assert s["by_rule"] == {"retention_expired": 1, "outside_authorized": 1}
    old = files[str(root / "Кадры" / "старый приказ.txt")]
    assert old["deadline"] == "2024-01-01" and old["retention_rule"] == "Кадры (п. 3.6.1)"
    assert old["modified"] == "2020-04-04"
    assert {g["fingerprint"] for g in old["findings"]} == {fp("RU_SNILS", A), fp("RU_SNILS", B)}
    assert sorted(g["masked"][-4:] for g in old["findings"]) == sorted([A[-4:], B[-4:]])
    copy = files[str(root / "Общая" / "копия.txt")]
    assert copy["findings"][0]["count"] == 2 and copy["findings"][0]["location"] == "line 1"
    # Without --policy the new file has no retention deadline (no violation); with it, it has.
    new = files[str(root / "Кадры" / "новый.txt")]
    assert new["deadline"] == ""
    doc = json.loads(
        _report(db, "json", base / "r2.json", "--policy", base / "policy.yaml").read_text(encoding="utf-8")
    )
    new = next(f for f in doc["files"] if f["path"] == str(root / "Кадры" / "новый.txt"))
    assert new["deadline"] == "2030-01-01" and new["retention_clause"] == "п. 3.6.1"
    assert doc["trend"][-1]["files_with_pd"] == 3
    # A file that could not be read may hold personal data: listed apart, with the reason.
    assert [u["path"] for u in doc["unread"]] == [str(root / "Общая" / "битый.docx")]
    assert doc["summary"]["unread"] == 1 and doc["unread"][0]["error"]


def test_csv_one_row_per_finding(store):
    base, root, db = store
    out = _report(db, "csv", base / "r.csv")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 5  # 2 + 2 + 1 distinct values
    by = {(r["path"].removeprefix(str(root) + "/"), r["entity"]) for r in rows}
    assert ("Кадры/новый.txt", "PHONE_NUMBER") in by
    old = [r for r in rows if r["path"].endswith("старый приказ.txt")]
    assert {r["violations"] for r in old} == {"retention_expired (п. 3.6.1)"}
    assert {r["entity_name"] for r in rows} == {"СНИЛС", "телефон"}


def test_xlsx_sheets(store):
    base, root, db = store
    out = _report(db, "xlsx", base / "r.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Сводка", "Файлы", "Находки", "Нарушения"]
    files = list(wb["Файлы"].iter_rows(values_only=True))
    assert files[0][0] == "Путь" and len(files) == 4
    findings = list(wb["Находки"].iter_rows(values_only=True))
    assert len(findings) == 6
    violations = list(wb["Нарушения"].iter_rows(values_only=True))
    assert sorted(r[1] for r in violations[1:]) == ["вне разрешённых мест хранения", "истёк срок хранения"]
    summary = {r[0]: r[1] for r in wb["Сводка"].iter_rows(values_only=True) if r[0]}
    assert summary["Файлов с ПДн"] == 3


def test_existing_file_becomes_private_and_missing_base_is_an_error(store, tmp_path):
    _, _, db = store
    out = tmp_path / "r.html"
    out.write_text("old")
    out.chmod(0o644)
    _report(db, "html", out)
    assert "<!DOCTYPE html>" in out.read_text(encoding="utf-8")
    r = cli("report", "--db", tmp_path / "нет.db", "-o", tmp_path / "x.html")
    assert r.rc == 2 and "не найдена" in r.stderr
    assert not (tmp_path / "нет.db").exists()
