"""Subject requests end to end: a real scan of generated files, then `pdscan subject` on the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from report_helpers import cli, inn12, phone, scan, snils, snils_form, write

X, Y = snils(1), snils(2)
INN = inn12(3)
PHONE = phone(4)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, pdscan_cmd_module) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("subject") / "share"
    db = root.parent / "pdscan.db"
    write(root / "Кадры" / "анкета.txt", f"Анкета работника\nСНИЛС {snils_form(X)}\nИНН {INN}\n")
    write(
        root / "Кадры" / "список.csv",
        f"ФИО;СНИЛС\nсотрудник 1;{snils_form(Y)}\nсотрудник 2;{X[:3]}-{X[3:6]}-{X[6:9]}-{X[9:]}\n",
    )
    # The same СНИЛС written without separators is the same value.
    write(root / "Общая" / "заметки.txt", f"страховой номер (СНИЛС): {X}\n")
    doc = Document()
    doc.add_paragraph("Заявление")
    doc.add_paragraph(
        f"СНИЛС заявителя {snils_form(X)}, телефон {PHONE[:2]} ({PHONE[2:5]}) {PHONE[5:8]}-{PHONE[8:10]}-{PHONE[10:]}"
    )
    doc.add_paragraph("Паспорт гражданина РФ: серия 05 10 № 654321, e-mail для ответа: sokolova.m@mail.ru")
    (root / "Заявления").mkdir(parents=True)
    doc.save(root / "Заявления" / "заявление.docx")
    # Other people only; and X's digits inside a longer account number are not a СНИЛС.
    write(root / "Общая" / "другой.txt", f"СНИЛС {snils_form(Y)}\n")
    write(root / "Общая" / "счёт.txt", f"лицевой счёт 40817{X}9\n")
    write(
        root / "Кадры" / "приказ.txt",
        "Приказ\nПредоставить отпуск Соколову Андрею Викторовичу с 01.07.2025.\n",
    )
    write(
        root / "Кадры" / "ведомость.txt", "Ведомость\nПодпись получателя: Соколов А.В., табельный номер 17\n"
    )
    r = scan(pdscan_cmd_module, root, db)
    assert r.rc == 1, r.stderr
    return root, db


@pytest.fixture(scope="module")
def pdscan_cmd_module() -> list[str]:
    exe = Path(sys.executable).parent / "pdscan"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]


def subject(cmd, db: Path, *args: str):
    return cli("subject", "--db", db, *args)


def test_snils_finds_exactly_the_files_holding_it(corpus, pdscan_cmd_module):
    root, db = corpus
    r = subject(pdscan_cmd_module, db, "--snils", snils_form(X), "--format", "jsonl")
    assert r.rc == 0, r.stderr
    got = {rec["path"] for rec in r.records}
    assert got == {
        str(root / "Кадры" / "анкета.txt"),
        str(root / "Кадры" / "список.csv"),
        str(root / "Общая" / "заметки.txt"),
        str(root / "Заявления" / "заявление.docx"),
    }
    for rec in r.records:
        assert rec["entity"] == "RU_SNILS" and rec["match"] == "exact"
        assert rec["masked"] and rec["count"] >= 1 and rec["locations"]
    # Only masked forms leave the store: the full number is nowhere in the output.
    out = json.dumps(r.records)
    assert X not in out and snils_form(X) not in out


def test_any_written_form_of_the_value_gives_the_same_files(corpus, pdscan_cmd_module):
    _, db = corpus
    forms = [X, f"{X[:3]} {X[3:6]} {X[6:9]} {X[9:]}", snils_form(X)]
    results = [
        {rec["path"] for rec in subject(pdscan_cmd_module, db, "--snils", f, "--format", "jsonl").records}
        for f in forms
    ]
    assert results[0] == results[1] == results[2] and len(results[0]) == 4


def test_several_identifiers_one_line_per_file_and_entity(corpus, pdscan_cmd_module):
    root, db = corpus
    r = subject(
        pdscan_cmd_module, db, "--snils", X, "--inn", INN, "--phone", "8" + PHONE[2:], "--format", "jsonl"
    )
    assert r.rc == 0, r.stderr
    pairs = [(rec["path"], rec["entity"]) for rec in r.records]
    assert len(pairs) == len(set(pairs))
    assert (str(root / "Кадры" / "анкета.txt"), "RU_INN") in pairs
    assert (str(root / "Заявления" / "заявление.docx"), "PHONE_NUMBER") in pairs
    assert {p for p, _ in pairs} == {
        str(root / "Кадры" / "анкета.txt"),
        str(root / "Кадры" / "список.csv"),
        str(root / "Общая" / "заметки.txt"),
        str(root / "Заявления" / "заявление.docx"),
    }
    # Passport and e-mail written differently from the document still find it, and only it.
    r = subject(
        pdscan_cmd_module,
        db,
        "--passport",
        "0510654321",
        "--email",
        "Sokolova.M@Mail.ru",
        "--format",
        "jsonl",
    )
    assert r.rc == 0, r.stderr
    assert sorted((rec["path"], rec["entity"]) for rec in r.records) == [
        (str(root / "Заявления" / "заявление.docx"), "EMAIL_ADDRESS"),
        (str(root / "Заявления" / "заявление.docx"), "RU_PASSPORT"),
    ]


def test_name_in_another_case_matches_exactly_initials_possibly(corpus, pdscan_cmd_module):
    root, db = corpus
    r = subject(pdscan_cmd_module, db, "--name", "Соколов Андрей Викторович", "--format", "jsonl")
    assert r.rc == 0, r.stderr
    by_path = {rec["path"]: rec["match"] for rec in r.records}
    assert by_path == {
        str(root / "Кадры" / "приказ.txt"): "exact",
        str(root / "Кадры" / "ведомость.txt"): "possible",
    }


def test_table_output_and_nothing_found(corpus, pdscan_cmd_module):
    root, db = corpus
    p = subprocess.run(
        [*pdscan_cmd_module, "subject", "--db", str(db), "--snils", Y], capture_output=True, text=True
    )
    assert p.returncode == 0
    assert "Файлов с данными субъекта: 2" in p.stdout
    assert str(root / "Общая" / "другой.txt") in p.stdout and "СНИЛС" in p.stdout
    assert Y not in p.stdout
    nobody = snils(99)
    p = subject(pdscan_cmd_module, db, "--snils", nobody)
    assert p.rc == 1 and "не найдены" in p.stdout


def test_invalid_value_is_refused_without_echoing_it(corpus, pdscan_cmd_module):
    _, db = corpus
    bad = X[:-2] + f"{(int(X[-2:]) + 1) % 100:02d}"  # wrong check digits
    r = subject(pdscan_cmd_module, db, "--snils", bad)
    assert r.rc == 2
    assert "СНИЛС" in r.stderr and bad not in r.stderr
    r = subject(pdscan_cmd_module, db)
    assert r.rc == 2 and "--snils" in r.stderr
