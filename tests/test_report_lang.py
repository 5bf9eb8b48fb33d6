"""`pdscan report --lang en`: the HTML page (in headless Chromium), XLSX and CSV in English from a
real scan; the Russian default stays as it was; JSON is the same in both; the act stays Russian.

The data themselves (Russian file paths, policy rule names, clauses) may hold Cyrillic; the page's
own words (headings, columns, filters, buttons, cards, entity/rule/status names) may not."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from report_helpers import AS_OF, POLICY, cli, scan, snils, snils_form, write

from pdscan.i18n import ENTITY_NAMES, REPORT_WORDS, RULE_NAMES, STATE_NAMES
from pdscan.report.export import CSV_COLUMNS

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
EN_COLUMNS = ["File", "Folder", "Kinds of data", "Values", "Subj.", "Owner", "Modified", "Violations",
              "Keep until", "Status"]  # fmt: skip
REPORT_DIR = Path(__file__).resolve().parent.parent / "pdscan" / "report"
has_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()), reason="нет chromium"
)


# ---- the table of words -------------------------------------------------------------------------


def test_every_word_the_page_uses_is_in_the_table_in_both_languages():
    template = (REPORT_DIR / "template.html").read_text(encoding="utf-8")
    script = (REPORT_DIR / "report.js").read_text(encoding="utf-8")
    used = set(re.findall(r"%%t:(\w+)%%", template)) | set(re.findall(r"\bT\.(\w+)", script))
    assert len(used) > 60
    assert used - set(REPORT_WORDS) == set()
    # No Russian word left in the page's own text: every one comes from the table.
    assert not CYRILLIC.search(template) and not CYRILLIC.search(script)
    for key, (ru, en) in REPORT_WORDS.items():
        assert ru and en, key
        assert not CYRILLIC.search(en), (key, en)
        assert re.findall(r"\{\w+\}", ru) == re.findall(r"\{\w+\}", en), key
    # Words that go into attributes are inserted unescaped for quotes.
    for key in re.findall(r'="%%t:(\w+)%%"', template):
        assert '"' not in REPORT_WORDS[key][0] + REPORT_WORDS[key][1], key
    for table in (ENTITY_NAMES, RULE_NAMES, STATE_NAMES):
        assert all(not CYRILLIC.search(en) for _, en in table.values())


# ---- one real scan, reports in both languages ---------------------------------------------------


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("lang")
    root, db = base / "share", base / "pdscan.db"
    values = [snils(700 + i) for i in range(5)]
    texts = {
        "Кадры/анкета Иванова.txt": f"Анкета\nСНИЛС {snils_form(values[0])}\nПаспорт: серия 05 10 № 654321\n",
        "Кадры/отпуск.txt": f"СНИЛС {snils_form(values[1])}\nтел. +7 914 236-45-17\n",
        "Общая/телефоны.txt": "Иванова: тел. +7 914 236-45-17\nПетров: e-mail petrov.p@mail.ru\n",
        "Архив/2018/заявление.txt": f"СНИЛС {snils_form(values[2])}\nСНИЛС {snils_form(values[3])}\n",
        "в корне.txt": f"СНИЛС {snils_form(values[4])}\n",
    }
    days = {"Архив/2018/заявление.txt": dt.date(2018, 2, 2)}
    for rel, text in texts.items():
        write(root / rel, text, days.get(rel, dt.date(2025, 3, 3)))
    (root / "Общая" / "битый.docx").write_bytes(b"PK\x03\x04 not a zip")
    policy = write(base / "policy.yaml", POLICY)
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    r = scan(cmd, root, db, "--policy", str(policy), "--as-of", AS_OF.isoformat())
    assert r.rc == 1 and r.summary["files_with_pd"] == 5, (r.summary, r.stderr)
    r = cli("triage", "--db", db, "--path", root / "Кадры" / "отпуск.txt", "--file", "--state", "accepted",
            "--reason", "личное дело")  # fmt: skip
    assert r.rc == 0, r.stderr
    out: dict = {"base": base, "db": db, "root": root, "values": values}
    for lang in ("ru", "en"):
        for fmt in ("html", "csv", "xlsx", "json"):
            path = base / f"report-{lang}.{fmt}"
            extra = ["--lang", "en"] if lang == "en" else []
            r = cli("report", "--db", db, "--policy", policy, "--format", fmt, "-o", path, *extra)
            assert r.rc == 0, r.stderr
            out[lang, fmt] = path
            out[lang, "stderr"] = r.stderr
    return out


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_messages_and_json_are_the_same_contract(reports):
    assert reports["en", "stderr"].startswith("report written: ")
    assert reports["ru", "stderr"].startswith("отчёт записан: ")
    ru, en = _json(reports["ru", "json"]), _json(reports["en", "json"])
    ru.pop("generated_at"), en.pop("generated_at")
    assert ru == en  # keys, codes and values: a machine contract, the same in every language
    assert {f["folder"] for f in en["files"]} >= {"Кадры", "(корень)"}


def test_env_variable_gives_english_too(reports, tmp_path):
    out = tmp_path / "env.html"
    r = cli("report", "--db", reports["db"], "-o", out, env={"PDSCAN_LANG": "en"})
    assert r.rc == 0 and r.stderr.startswith("report written: "), r.stderr
    assert '<html lang="en">' in out.read_text(encoding="utf-8")
    # --lang ru wins over the variable.
    r = cli("report", "--db", reports["db"], "--lang", "ru", "-o", out, env={"PDSCAN_LANG": "en"})
    assert r.rc == 0 and '<html lang="ru">' in out.read_text(encoding="utf-8")


def _csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_in_english(reports):
    ru, en = _csv(reports["ru", "csv"]), _csv(reports["en", "csv"])
    assert en[0] == ru[0] == CSV_COLUMNS  # column names are identifiers in both languages
    assert len(en) == len(ru) > 5
    name, folder = CSV_COLUMNS.index("entity_name"), CSV_COLUMNS.index("folder")
    assert {r[name] for r in en[1:]} == {"SNILS", "Russian passport", "phone", "e-mail"} | (
        {"person name"} if any(r[name] == "person name" for r in en[1:]) else set()
    )
    assert {r[name] for r in ru[1:]} >= {"СНИЛС", "паспорт РФ", "телефон"}
    assert "(root)" in {r[folder] for r in en[1:]} and "(корень)" in {r[folder] for r in ru[1:]}
    # Everything but the data (paths, folders, rule names and clauses from the policy) is English.
    data_cols = {
        CSV_COLUMNS.index(c) for c in ("path", "folder", "retention_rule", "clause", "violations", "reason")
    }
    for row in en[1:]:
        assert not any(CYRILLIC.search(v) for i, v in enumerate(row) if i not in data_cols), row


def _sheets(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_xlsx_in_english(reports):
    ru, en = _sheets(reports["ru", "xlsx"]), _sheets(reports["en", "xlsx"])
    assert list(ru) == ["Сводка", "Файлы", "Находки", "Нарушения"]
    assert list(en) == ["Summary", "Files", "Findings", "Violations"]
    for title in ("Files", "Findings", "Violations"):
        header = en[title][0]
        assert all(h and not CYRILLIC.search(h) for h in header), header
        assert len(header) == len(
            ru[{"Files": "Файлы", "Findings": "Находки", "Violations": "Нарушения"}[title]][0]
        )
    files = {r[0]: r for r in en["Files"][1:]}
    assert len(files) == 5
    kadry = files[str(reports["root"] / "Кадры" / "анкета Иванова.txt")]
    assert kadry[1] == "Кадры" and kadry[2] == "Russian passport, SNILS" and kadry[13] == "not reviewed"
    assert files[str(reports["root"] / "в корне.txt")][1] == "(root)"
    assert files[str(reports["root"] / "Кадры" / "отпуск.txt")][13] == "accepted"
    viol = {(r[0].rsplit("/", 1)[-1], r[1]): r for r in en["Violations"][1:]}
    expired = viol["заявление.txt", "retention expired"]
    assert expired[2] == "п. 3.6.2" and expired[4] == "retention until 01.01.2024 — Архив (п. 3.6.2)"
    assert ("телефоны.txt", "outside authorized locations") in viol
    assert {r[2] for r in en["Findings"][1:]} >= {"SNILS", "phone", "e-mail", "Russian passport"}
    summary = en["Summary"]
    assert summary[0][0] == "Personal data report"
    labels = [r[0] for r in summary if r and r[0]]
    assert "Files with personal data" in labels and "Kind of data" in labels and "SNILS" in labels
    assert "retention expired" in labels and "(root)" in labels
    # The Russian workbook keeps its words.
    assert ru["Сводка"][0][0] == "Отчёт о персональных данных"
    assert "истёк срок хранения" in {r[1] for r in ru["Нарушения"][1:]}


# ---- the English page in Chromium ---------------------------------------------------------------


@pytest.fixture(scope="module")
def page(reports):
    from report_browser import chromium, wait_rendered

    d = chromium(1400, 1000, perf_log=False)
    d.get(reports["en", "html"].as_uri())
    wait_rendered(d)
    yield d
    d.quit()


def _count(d) -> int:
    return int(d.find_element("id", "count").get_attribute("data-count"))


def _select(d, id_: str, text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(d.find_element("id", id_)).select_by_visible_text(text)


def _data_strings(reports) -> list[str]:
    """Every value of the data that may hold Cyrillic: paths and their parts, policy words, reasons."""
    data = _json(reports["en", "json"])
    out: set[str] = set()
    for f in data["files"]:
        rel = f["path"].removeprefix(str(reports["root"]) + "/")
        out |= {
            f["path"],
            rel,
            *rel.split("/"),
            f["folder"],
            f["retention_rule"],
            f["retention_clause"],
            f["reason"],
        }
        out |= set(f["errors"])
        for v in f["violations"]:
            out |= {v["clause"], v["details"].get("rule_name", "")}
    for u in data["unread"]:
        out |= {u["path"], u["path"].rsplit("/", 1)[-1], u["error"]}
    return sorted((s for s in out if s), key=len, reverse=True)


def _chrome_text(d) -> str:
    """What the officer reads: visible text plus the attributes a reader hears or hovers."""
    return d.execute_script(
        """const attrs = [...document.querySelectorAll('[placeholder],[aria-label],[title]')]
             .map(e => [e.getAttribute('placeholder'), e.getAttribute('aria-label'), e.getAttribute('title')].join(' '));
           const titles = [...document.querySelectorAll('svg title')].map(t => t.textContent);
           return [document.title, document.body.innerText, ...attrs, ...titles].join('\\n');"""
    )


@has_chromium
def test_english_page_has_english_chrome(reports, page):
    d = page
    assert d.execute_script("return document.documentElement.lang") == "en"
    assert d.title == "pdscan — personal data report"
    assert d.find_element("css selector", "h1").text == "Personal data report"
    assert d.find_element("css selector", "h2").text == "Files with personal data"
    heads = [h.text for h in d.find_elements("css selector", "#ghead > div")]
    assert heads == EN_COLUMNS
    assert d.find_element("id", "reset").text == "Reset"
    assert d.find_element("id", "q").get_attribute("placeholder") == "Search by path…"
    firsts = [d.execute_script(f"return document.getElementById('{i}').options[0].text")
              for i in ("f-entity", "f-folder", "f-rule", "f-owner", "f-state")]  # fmt: skip
    assert firsts == ["All kinds of data", "All folders", "Any violations", "All owners", "Any status"]
    assert "5\nfiles with personal data" in d.find_element("id", "cards").text
    assert d.find_element("id", "count").text == "Files shown: 5 of 5"
    captions = [c.text for c in d.find_elements("css selector", "figcaption")]
    assert captions[0] == "Files by kind of personal data" and captions[3] == "Trend over recent scans"
    assert "(root)" in d.find_element("id", "ch-folder").text

    # The English names filter, as the Russian ones do.
    _select(d, "f-entity", "SNILS")
    assert _count(d) == 4
    _select(d, "f-rule", "retention expired")
    assert _count(d) == 1
    d.find_element("id", "reset").click()
    _select(d, "f-state", "accepted")
    assert _count(d) == 1
    _select(d, "f-folder", "Кадры")  # folder names are data: as they are on disk
    assert _count(d) == 1
    d.find_element("id", "reset").click()
    assert _count(d) == 5

    # A file card with a violation, and the list of files that could not be read.
    row = next(r for r in d.find_elements("css selector", "#grows .row") if "заявление.txt" in r.text)
    row.click()
    card = d.find_element("id", "card").text
    for word in ("Path", "Keep until", "01.01.2024 — expired", "Violations", "Data found (2)", "Triage status",
                 "retention until 01.01.2024 — Архив (п. 3.6.2)", "not reviewed", "Mark"):  # fmt: skip
        assert word in card, word
    d.execute_script("document.querySelector('#unread details').open = true")
    unread = d.find_element("id", "unread").text
    assert unread.startswith("Files that could not be read: 1 (may hold personal data)")

    # Nothing Russian left once the data's own strings are taken out.
    text = _chrome_text(d)
    for s in _data_strings(reports):
        text = text.replace(s, "")
    leftover = sorted({m.group(0) for m in re.finditer(r"\S*[А-Яа-яЁё]\S*", text)})
    assert leftover == [], leftover
    for v in reports["values"]:
        assert v not in text
    assert [e for e in d.get_log("browser") if e["level"] == "SEVERE"] == []


@has_chromium
def test_russian_page_is_unchanged_by_default(reports):
    from report_browser import chromium, wait_rendered

    html = reports["ru", "html"].read_text(encoding="utf-8")
    assert '<html lang="ru">' in html and "%%" not in html.split('<script id="pdscan-data"')[0]
    d = chromium(1400, 1000, perf_log=False)
    try:
        d.get(reports["ru", "html"].as_uri())
        wait_rendered(d)
        assert d.title == "pdscan — отчёт о персональных данных"
        heads = [h.text for h in d.find_elements("css selector", "#ghead > div")]
        assert heads == ["Файл", "Папка", "Виды ПДн", "Знач.", "Субъ.", "Владелец", "Изменён", "Нарушения",
                         "Хранить до", "Статус"]  # fmt: skip
        assert d.find_element("id", "count").text == "Показано файлов: 5 из 5"
        assert d.find_element("id", "reset").text == "Сбросить"
        assert "(корень)" in d.find_element("id", "ch-folder").text
    finally:
        d.quit()


# ---- the act stays Russian ----------------------------------------------------------------------


def test_act_is_russian_only_and_says_so(reports):
    out = reports["base"] / "act.docx"
    r = cli("act", "--db", reports["db"], "--as-of", AS_OF.isoformat(), "-o", out, "--lang", "en")
    assert r.rc == 0, r.stderr
    assert "produced in Russian only" in r.stderr and "act written:" in r.stderr
    doc = Document(str(out))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    text += "\n".join(p.text for p in doc.paragraphs)
    assert "АКТ" in text.upper() and "СНИЛС" in text and "SNILS" not in text
    r = cli("act", "--db", reports["db"], "--as-of", AS_OF.isoformat(), "-o", out)
    assert r.rc == 0 and "Russian only" not in r.stderr and r.stderr.startswith("акт записан")
