"""The act of destruction: a real scan with a policy, then `pdscan act`; the DOCX lists exactly
the expired files, opens in python-docx, carries the commission from the config, changes no file."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from pathlib import Path

import pytest
from docx import Document
from report_helpers import cli, scan, snils, snils_form, write

AS_OF = dt.date(2026, 6, 1)
POLICY = """version: 1
authorized_locations: ["Архив/**", "Текущие/**"]
retention:
  - name: "Архив заявлений (п. 3.6.2)"
    match: ["Архив/**"]
    years: 1
    count_from: modified
    clause: "п. 3.6.2"
  - name: "Текущие дела"
    match: ["Текущие/**"]
    years: 75
    count_from: next_year
    clause: "п. 3.6.1"
expires_soon_days: 30
"""
CONFIG = """organization: "ООО «Тест»"
number: "7/2026"
place: "г. Владивосток"
approver: {position: "Директор", name: "Данейкина О.Н."}
commission:
  chair: {position: "Заместитель директора", name: "Петров П.П."}
  members:
    - {position: "Главный бухгалтер", name: "Сидорова А.В."}
    - {position: "Системный администратор", name: "Кузнецов И.С."}
destruction: {date: "2026-06-05", time: "10:00", place: "серверная, каб. 5"}
"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, Path, dict[str, Path]]:
    import sys

    base = tmp_path_factory.mktemp("act")
    root, db = base / "share", base / "pdscan.db"
    pd = lambda i: f"Заявление\nСНИЛС заявителя {snils_form(snils(100 + i))}\n"  # noqa: E731
    files = {
        "old1": write(root / "Архив" / "заявление 2019.txt", pd(1), dt.date(2019, 3, 1)),
        "old2": write(root / "Архив" / "2020" / "заявление.txt", pd(2), dt.date(2020, 11, 20)),
        "held": write(root / "Архив" / "спор в суде.txt", pd(3), dt.date(2020, 1, 10)),
        "soon": write(root / "Архив" / "заявление июнь.txt", pd(4), dt.date(2025, 6, 15)),
        "fresh": write(root / "Архив" / "заявление 2026.txt", pd(5), dt.date(2026, 2, 1)),
        "nopd": write(
            root / "Архив" / "опись 2018.txt", "Опись дел архива, 12 листов\n", dt.date(2018, 1, 1)
        ),
        "current": write(root / "Текущие" / "приказ 2010.txt", pd(6), dt.date(2010, 5, 5)),
    }
    policy = write(base / "policy.yaml", POLICY)
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    r = scan(cmd, root, db, "--policy", str(policy), "--as-of", AS_OF.isoformat())
    assert r.rc == 1, r.stderr
    # Kept on purpose (a court case): marked accepted, so not in the act.
    r = cli("triage", "--db", db, "--path", files["held"], "--rule", "retention_expired", "--state", "accepted",
            "--reason", "судебный спор, хранить до решения")  # fmt: skip
    assert r.rc == 0, r.stderr
    return base, db, files


def _digest(paths) -> dict[str, tuple]:
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in paths
    }


def _listed(docx_path: Path) -> list[str]:
    doc = Document(str(docx_path))
    (table,) = doc.tables
    assert table.rows[0].cells[1].text == "Носитель (файл)"
    return [row.cells[1].text for row in table.rows[1:]]


def test_act_lists_exactly_the_expired_files(scanned):
    base, db, files = scanned
    before = _digest(files.values())
    out = base / "акт.docx"
    r = cli(
        "act",
        "--db",
        db,
        "--as-of",
        AS_OF.isoformat(),
        "--config",
        write(base / "act.yaml", CONFIG),
        "-o",
        out,
    )
    assert r.rc == 0, r.stderr
    assert sorted(_listed(out)) == sorted([str(files["old1"]), str(files["old2"])])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert _digest(files.values()) == before  # no scanned file was touched

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for needed in ("АКТ № 7/2026", "Петров П.П.", "Сидорова А.В.", "Кузнецов И.С.", "Данейкина О.Н.",
                   "г. Владивосток", "серверная, каб. 5", "«05» июня 2026 г.", "всего 2 файла",
                   "очищением корзины", "п. 9.11"):  # fmt: skip
        assert needed in text, needed
    doc = Document(str(out))
    rows = doc.tables[0].rows
    basis = {row.cells[1].text: (row.cells[5].text, row.cells[6].text, row.cells[4].text) for row in rows[1:]}
    assert basis[str(files["old1"])] == ("Архив заявлений (п. 3.6.2)", "01.03.2020", "СНИЛС")


def test_a_later_date_adds_the_file_whose_term_runs_out_then(scanned):
    base, db, files = scanned
    out = base / "акт-позже.docx"
    r = cli("act", "--db", db, "--as-of", "2026-06-20", "-o", out)
    assert r.rc == 0, r.stderr
    assert sorted(_listed(out)) == sorted(str(files[k]) for k in ("old1", "old2", "soon"))
    # No config: lines to fill in by hand instead of names.
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "____" in text and "УТВЕРЖДАЮ" in text


def test_bad_config_and_example(scanned, tmp_path):
    _, db, _ = scanned
    bad = write(tmp_path / "bad.yaml", "commision: {}\n")
    r = cli("act", "--db", db, "--config", bad, "-o", tmp_path / "a.docx")
    assert r.rc == 2 and "commision" in r.stderr
    assert not (tmp_path / "a.docx").exists()
    ex = cli("act", "--example")
    assert ex.rc == 0 and "commission:" in ex.stdout
    example = write(tmp_path / "example.yaml", ex.stdout)
    r = cli("act", "--db", db, "--config", example, "--as-of", AS_OF.isoformat(), "-o", tmp_path / "b.docx")
    assert r.rc == 0, r.stderr
