"""--lang en (and PDSCAN_LANG=en) for diff, schedule, policy init/check, triage and subject.

Each command runs through the real CLI on a real scanned store. The data themselves (Russian paths,
policy rule names, folder patterns, a reason typed by the officer) may hold Cyrillic; the command's
own words may not: the data are cut out of the output before it is checked. The Russian default is
checked on the same runs, so a change of language never leaks into it."""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import pytest
from report_helpers import AS_OF, POLICY, cli, fp, phone, scan, snils, snils_form, write

from pdscan import i18n
from pdscan.cli_policy import template_text
from pdscan.policy import PolicyError, load_policy, parse_policy
from pdscan.schedule import Schedule, ScheduleError

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
ROOT = Path(__file__).resolve().parent.parent
X, Y, Z = snils(41), snils(42), snils(43)
PHONE = phone(44)
ACCESS = "access:\n  allowed_users: [nobody]\n"


def own_words(text: str, *data: object) -> str:
    """The text without the data values in it (longest first, so a path goes before its folder)."""
    for value in sorted({str(d) for d in data}, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def assert_english(text: str, *data: object) -> None:
    left = own_words(text, *data)
    assert not CYRILLIC.search(left), left


@pytest.fixture(scope="module")
def cmd() -> list[str]:
    exe = Path(sys.executable).parent / "pdscan"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]


@pytest.fixture(scope="module")
def store(tmp_path_factory, cmd) -> dict:
    """Two real scans of a small share: the second deletes one file and changes another."""
    base = tmp_path_factory.mktemp("lang")
    root, db, policy = base / "share", base / "pdscan.db", base / "policy.yaml"
    policy.write_text(POLICY + ACCESS, encoding="utf-8")
    hr, common = root / "Кадры" / "анкета.txt", root / "Общая" / "список.txt"
    write(hr, f"СНИЛС {snils_form(X)}\nтел. {PHONE}\n", dt.date(2015, 3, 3))
    write(common, f"СНИЛС {snils_form(Y)}\n", dt.date(2015, 3, 3))
    extra = ("--policy", str(policy), "--as-of", AS_OF.isoformat())
    assert scan(cmd, root, db, *extra).rc == 1
    hr.unlink()
    write(common, f"СНИЛС {snils_form(Z)}\nСНИЛС {snils_form(Z)}\n", dt.date(2016, 3, 3))
    assert scan(cmd, root, db, *extra).rc == 1
    return {"base": base, "root": root, "db": db, "policy": policy, "hr": hr, "common": common}


# ---- the words themselves ------------------------------------------------------------------------

TABLES = {
    "MESSAGES": i18n.MESSAGES,
    "CHANGE_KINDS": i18n.CHANGE_KINDS,
    "SCAN_STATUS": i18n.SCAN_STATUS,
    "CHANGE_REASONS": i18n.CHANGE_REASONS,
    "SUBJECT_VALUES": i18n.SUBJECT_VALUES,
    "POLICY_READER_KINDS": i18n.POLICY_READER_KINDS,
    "POLICY_NODE_KINDS": i18n.POLICY_NODE_KINDS,
}


@pytest.mark.parametrize("name", TABLES)
def test_every_word_has_an_english_twin_with_the_same_placeholders(name):
    for key, (ru, en) in TABLES[name].items():
        assert ru and en, (name, key)
        assert not CYRILLIC.search(en), (name, key, en)
        assert sorted(re.findall(r"\{(\w*)\}", ru)) == sorted(re.findall(r"\{(\w*)\}", en)), (name, key)


# Modules whose output words must all come from i18n: any Cyrillic string left in their code (other
# than docstrings, click help texts and the clause constants of the Положение) is a missed word.
# In cli_report.py, the functions of these commands (report and act have their own tests).
OUTPUT_MODULES = {
    "schedule.py": None,
    "triage.py": None,
    "subject.py": None,
    "diff.py": None,
    "policy.py": None,
    "cli_policy.py": None,
    "cli_store.py": None,
    "cli_report.py": {
        "_open",
        "triage_group",
        "triage_list",
        "triage_export",
        "triage_import",
        "subject_command",
    },
}


def _russian_literals(path: Path, functions: set[str] | None) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if functions is not None:
        found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in functions]
        assert {n.name for n in found} == functions
        tree = ast.Module(body=found, type_ignores=[])
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # docstring
        if isinstance(node, ast.keyword) and node.arg in ("help", "short_help"):
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.startswith("CLAUSE_") for t in node.targets
        ):
            skip.add(id(node.value))
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and CYRILLIC.search(n.value)
        and id(n) not in skip
    ]  # fmt: skip


@pytest.mark.parametrize("module", OUTPUT_MODULES)
def test_no_russian_word_is_left_outside_the_tables(module):
    assert _russian_literals(ROOT / "pdscan" / module, OUTPUT_MODULES[module]) == []


# ---- pdscan diff ---------------------------------------------------------------------------------


def test_diff_in_english_and_russian_by_default(store):
    db, hr, common = store["db"], store["hr"], store["common"]
    r = cli("diff", "--db", db, "--lang", "en")
    assert r.rc == 0, r.stderr
    out = r.stdout
    assert "Compared with scan #1" in out and "new: 1, changed: 0, resolved: 4" in out
    assert f"  {common}: SNILS *******{Z[-4:]} ×2" in out
    assert f"  {hr}: violation: excessive access (cl. 4.3) — file deleted" in out
    assert f"  {common}: SNILS *******{Y[-4:]} — no longer in the file" in out
    assert "(complete)" in out
    assert_english(out, hr, common, store["root"])
    # PDSCAN_LANG=en does the same; the default stays Russian.
    assert cli("diff", "--db", db, env={"PDSCAN_LANG": "en"}).stdout == out
    ru = cli("diff", "--db", db).stdout
    assert "Сравнение со сканированием №1" in ru and "новое: 1, изменилось: 0, устранено: 4" in ru
    assert f"  {hr}: нарушение: избыточный доступ (п. 4.3) — файл удалён" in ru


def test_diff_errors_in_english(store):
    r = cli("diff", "--db", store["db"], "--scan", "99", "--lang", "en")
    assert r.rc == 2 and r.stderr == "pdscan: scan #99 not found\n"
    missing = store["base"] / "нет.db"
    r = cli("diff", "--db", missing, "--lang", "en")
    assert r.rc == 2 and "not found — run pdscan scan first" in r.stderr
    assert_english(r.stderr, missing)
    assert "сканирование №99 не найдено" in cli("diff", "--db", store["db"], "--scan", "99").stderr


# ---- pdscan schedule -----------------------------------------------------------------------------


def test_schedule_units_and_install_in_english(tmp_path):
    r = cli("schedule", "--lang", "en", "--", "/opt/pdscan", "scan", "/srv/share")
    assert r.rc == 0, r.stderr
    assert "Description=pdscan: personal data scan (pdscan-scan)" in r.stdout
    assert "# Exit codes: 0 — nothing new" in r.stdout and "ExecStart=/opt/pdscan scan /srv/share" in r.stdout
    assert not CYRILLIC.search(r.stdout), r.stdout
    units = tmp_path / "units"
    r = cli("schedule", "--lang", "en", "--install", "--unit-dir", units, "--", "/opt/pdscan", "scan", "/srv")
    assert r.rc == 0, r.stderr
    assert r.stdout.startswith(f"written: {units}/pdscan-scan.service\n")
    assert "Enable the schedule:" in r.stdout and not CYRILLIC.search(r.stdout)
    assert not CYRILLIC.search((units / "pdscan-scan.timer").read_text(encoding="utf-8"))
    # Russian by default, as before.
    ru = cli("schedule", "--", "/opt/pdscan", "scan", "/srv/share").stdout
    assert "Description=pdscan: поиск персональных данных (pdscan-scan)" in ru


def test_schedule_errors_in_english(monkeypatch):
    r = cli("schedule", "--lang", "en", "--time", "7", "--", "pdscan", "scan", "/x")
    assert r.rc == 2 and "time is given as HH:MM, got '7'" in r.stderr
    assert not CYRILLIC.search(r.stderr)
    r = cli("schedule", "--lang", "en", "--cron", "--install", "--", "pdscan", "scan", "/x")
    assert r.rc == 2 and "add the cron line yourself: crontab -e" in r.stderr
    monkeypatch.setenv("PDSCAN_LANG", "en")
    with pytest.raises(ScheduleError, match="five fields"):
        Schedule(["pdscan"], cron_spec="* *")


# ---- pdscan policy init / check ------------------------------------------------------------------


def test_english_template_is_the_same_policy_with_english_comments():
    ru, en = template_text("ru"), template_text("en")
    assert parse_policy(ru, "p.yaml") == parse_policy(en, "p.yaml")  # rule lines included
    assert ru != en
    code = [
        (re.sub(r"\s*#.*", "", a), re.sub(r"\s*#.*", "", b))
        for a, b in zip(ru.splitlines(), en.splitlines(), strict=True)
    ]
    assert all(a == b for a, b in code)
    comments = [line.split("#", 1)[1] for line in en.splitlines() if "#" in line]
    assert len(comments) > 30
    for c in comments:  # Cyrillic only in quoted examples (folder names, the Положение)
        assert not CYRILLIC.search(re.sub(r'"[^"]*"', "", c)), c
    assert "cl. 3.6.2" in en and "retention terms" in en


def test_policy_init_and_check_in_english(tmp_path):
    out = tmp_path / "policy.yaml"
    r = cli("policy", "init", "--lang", "en")
    assert r.rc == 0 and r.stdout == template_text("en")
    r = cli("policy", "init", "--lang", "en", "-o", out)
    assert (
        r.rc == 0
        and r.stdout == f"Policy written to {out}. Check its paths and terms: pdscan policy check {out}\n"
    )
    assert out.read_text(encoding="utf-8") == template_text("en")
    r = cli("policy", "init", "--lang", "en", "-o", out)  # the error path: never overwrites silently
    assert r.rc == 2 and r.stderr == f"pdscan: file {out} already exists; add --force to overwrite it\n"

    paths = ("Кадры/Взыскания/выговор.docx", "Общая/паспорт.pdf")
    r = cli("policy", "check", "--lang", "en", out, *paths)
    assert r.rc == 0, r.stderr
    policy = load_policy(str(out))
    assert f"Policy {out} is valid." in r.stdout
    assert "  Authorized locations (cl. 3.10): Кадры/**" in r.stdout
    assert "1 year from the file's modification date" in r.stdout and "75 years from 1 January" in r.stdout
    assert "  retention: “Дисциплинарные взыскания (п. 3.6.1)” (line 30): 3 years" in r.stdout
    assert "(line 45) matches too, but the rule above applies" in r.stdout
    assert "  location: authorized (pattern “Кадры/**”)" in r.stdout
    assert "  location: OUTSIDE the authorized locations — a violation of cl. 3.10" in r.stdout
    data = [out, *paths, *(r.name for r in policy.retention)]
    data += [p for r in policy.retention for p in r.match.patterns] + list(policy.authorized.patterns)
    assert_english(r.stdout, *data)
    ru = cli("policy", "check", out, *paths).stdout
    assert "  срок хранения: «Дисциплинарные взыскания (п. 3.6.1)» (строка 30): 3 года" in ru


def test_policy_check_of_an_existing_file_in_english(store):
    policy, root = store["policy"], store["root"]
    old = write(root / "Архив" / "опись.txt", "опись\n", dt.date(2015, 3, 3))
    r = cli("policy", "check", policy, old, "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert r.rc == 0, r.stderr
    assert "    modified 2015-03-03, keep until 2021-01-01: EXPIRED as of 2026-06-01" in r.stdout
    assert re.search(r"  access: mode 0\d{3}; readable by: owner \S+ \(rw-\)", r.stdout)
    assert "    NOT allowed: owner " in r.stdout and "a violation of cl. 4.3" in r.stdout
    assert_english(r.stdout, policy, old, "Архив/опись.txt", "Архив (п. 3.6.2)", "Архив/**", "Кадры/**")


BAD_EN = [
    ("version: 1\nretension: []\n", 2, "unknown key 'retension' in the policy — did you mean 'retention'?"),
    ("version: 1\nretention:\n  - name: a\n    match: [a]\n    years: '3'\n", 5,
     "years: expected an integer, not the string '3'"),
    ("version: 1\nretention:\n  - name: a\n    years: 3\n", 3, "retention rule #1 has no key 'match'"),
    ("version: 1\nauthorized_locations:\n  - '[abc'\n", 3, "pattern '[abc': unclosed square bracket"),
    ("version: 1\naccess:\n  allowed_users: [root]\n  allow_owner: maybe\n", 4, "expected true or false"),
    ("version: 2\n", 1, "policy version 2 is not supported"),
    ("version: 1\nretention: [\n", 3, "YAML syntax error"),
    ("version: 1\nauthorized_locations: [null]\n", 2, "expected a string, not an empty value"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), BAD_EN)
def test_policy_errors_in_english_keep_the_line(text, line, words, monkeypatch):
    with pytest.raises(PolicyError) as ru:
        parse_policy(text, "policy.yaml")
    monkeypatch.setenv("PDSCAN_LANG", "en")
    with pytest.raises(PolicyError) as en:
        parse_policy(text, "policy.yaml")
    assert str(ru.value).startswith(f"policy.yaml, строка {line}: ")
    msg = str(en.value)
    assert msg.startswith(f"policy.yaml, line {line}: ") and words in msg, msg
    assert not CYRILLIC.search(msg), msg


def test_bad_policy_file_in_english_through_check_and_scan(tmp_path):
    bad = tmp_path / "политика.yaml"
    bad.write_text("version: 1\nauthorized_locations:\n  - Кадры/**\nretension: []\n", encoding="utf-8")
    r = cli("policy", "check", "--lang", "en", bad)
    assert r.rc == 2 and f"{bad}, line 4: unknown key 'retension'" in r.stderr
    assert_english(r.stderr, bad)
    (tmp_path / "data").mkdir()
    r = cli("scan", tmp_path / "data", "--policy", bad, "--lang", "en", "--no-store")
    assert r.rc == 2 and "line 4: unknown key 'retension'" in r.stderr
    r = cli("policy", "check", bad)
    assert r.rc == 2 and "строка 4: неизвестный ключ 'retension'" in r.stderr


# ---- pdscan triage -------------------------------------------------------------------------------


def test_triage_in_english(store, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(store["db"], db)  # the marks stay out of the shared store
    common = store["common"]
    r = cli("triage", "--lang", "en", "--db", db, "--path", common, "--file", "--state", "accepted",
            "--reason", "приказ № 5")  # fmt: skip
    assert r.rc == 0 and r.stderr == f"marked: {common} [whole file] → accepted\n"
    value = fp("RU_SNILS", Z)
    r = cli("triage", "--lang", "en", "--db", db, "--path", common, "--fingerprint", value[:10],
            "--state", "false_positive")  # fmt: skip
    assert r.rc == 0, r.stderr
    r = cli("triage", "--db", db, "list", "--lang", "en")
    assert r.rc == 0
    lines = sorted(r.stdout.splitlines())
    assert lines[0].startswith(f"{common}\t{value[:16]}\tfalse positive\t\t")
    assert lines[1].startswith(f"{common}\twhole file\taccepted\tприказ № 5\t")
    assert_english(r.stdout, common, "приказ № 5")
    ru = cli("triage", "--db", db, "list").stdout
    assert "\tвесь файл\tпринято\tприказ № 5\t" in ru and "\tложное срабатывание\t" in ru
    baseline = tmp_path / "baseline.json"
    r = cli("triage", "--db", db, "export", "--lang", "en", "-o", baseline)
    assert r.stderr == f"marks exported: 2 → {baseline}\n"
    r = cli("triage", "--db", tmp_path / "new.db", "import", "--lang", "en", baseline)
    assert r.rc == 0 and r.stderr == "marks imported: 2\n"
    r = cli("triage", "--lang", "en", "--db", db, "--path", common, "--file", "--clear")
    assert r.stderr == "mark removed\n"


def test_triage_errors_in_english(store, tmp_path):
    db, common = store["db"], store["common"]
    r = cli("triage", "--lang", "en", "--db", db, "--path", common, "--file", "--state", "accepted")
    assert r.rc == 2 and 'Error: the state accepted needs a reason: --reason "…"' in r.stderr
    assert not CYRILLIC.search(r.stderr)
    missing = store["root"] / "нет.txt"
    r = cli("triage", "--lang", "en", "--db", db, "--path", missing, "--file", "--state", "remediated")
    assert r.rc == 2 and "is not in the database: give the path as the report writes it" in r.stderr
    assert_english(r.stderr, missing)
    bad = tmp_path / "baseline.json"
    bad.write_text("[]", encoding="utf-8")
    r = cli("triage", "--db", tmp_path / "new.db", "import", "--lang", "en", bad)
    assert r.rc == 2 and 'not a pdscan baseline file (no "format": "pdscan-baseline")' in r.stderr
    r = cli("triage", "--lang", "en", "--db", tmp_path / "нет.db", "list")
    assert r.rc == 2 and "not found — run pdscan scan --db" in r.stderr
    assert_english(r.stderr, tmp_path / "нет.db")


# ---- pdscan subject ------------------------------------------------------------------------------


def test_subject_in_english(store):
    db, common = store["db"], store["common"]
    r = cli("subject", "--db", db, "--snils", Z, "--lang", "en")
    assert r.rc == 0, r.stderr
    assert r.stdout.startswith("Files with the subject's data: 1\n")
    assert f"{common}  (owner " in r.stdout and ", modified 2016-03-03)" in r.stdout
    assert re.search(rf"\n  SNILS +\*{{7}}{Z[-4:]} +×2 +line 1\n", r.stdout), r.stdout
    assert_english(r.stdout, common)
    r = cli("subject", "--db", db, "--snils", Z, "--format", "jsonl", env={"PDSCAN_LANG": "en"})
    assert r.records[0]["entity_name"] == "SNILS"
    r = cli("subject", "--db", db, "--snils", X, "--lang", "en")  # X left with the deleted file
    assert r.rc == 1 and r.stdout == "No data of the subject in the database.\n"
    ru = cli("subject", "--db", db, "--snils", Z).stdout
    assert ru.startswith("Файлов с данными субъекта: 1\n") and "(владелец " in ru


def test_subject_errors_in_english(store):
    r = cli("subject", "--db", store["db"], "--snils", "123", "--lang", "en")
    assert r.rc == 2 and "--snils: the value does not look like a SNILS" in r.stderr
    assert "123" not in r.stderr.split("Error:", 1)[1]  # the value is never echoed
    r = cli("subject", "--db", store["db"], "--lang", "en")
    assert r.rc == 2 and "give at least one identifier of the subject" in r.stderr
    assert not CYRILLIC.search(r.stderr)


# ---- pdscan scan: what it refuses before reading ---------------------------------------------------


def test_scan_refusals_in_english(tmp_path):
    missing = tmp_path / "нет"
    r = cli("scan", "--lang", "en", "--no-store", missing)
    assert r.rc == 2 and f"path not found: {missing}" in r.stderr
    assert_english(r.stderr, missing)
    r = cli("scan", "--lang", "en", "--no-store")
    assert r.rc == 2 and "give ROOT (a folder, a file, smb://host/share) or --hosts-file" in r.stderr
    assert "путь не найден" in cli("scan", "--no-store", missing).stderr
