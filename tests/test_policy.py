"""Policy rules on real files: retention counting, boundaries, first match, patterns, validation, CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from pdscan.cli_policy import template_text
from pdscan.model import FileRef, FileResult, Finding
from pdscan.policy import (
    PolicyError,
    add_years,
    load_policy,
    parse_policy,
    retention_deadline,
)
from pdscan.sources import walk_local

POLICY = """\
version: 1
authorized_locations:
  - "Кадры/**"
  - "/srv/archive/**"
retention:
  - name: "Взыскания"
    match: ["Кадры/Взыскания/**"]
    years: 3
    count_from: next_year
    clause: "п. 3.6.1"
  - name: "Кадры прочее"
    match: ["Кадры/**"]
    years: 75
  - name: "Сайт"
    match: ["Сайт/**", "!Сайт/вечно/**"]
    years: 1
    count_from: modified
    clause: "п. 3.6.4"
expires_soon_days: 10
"""


@pytest.fixture(autouse=True)
def _private_store(tmp_path, monkeypatch):
    # CLI scans get their own findings store: "new" (exit 1) must not depend on earlier runs
    monkeypatch.setenv("PDSCAN_DB", str(tmp_path / "pdscan.sqlite"))


def local_noon(day: dt.date) -> float:
    return time.mktime((day.year, day.month, day.day, 12, 0, 0, 0, 0, -1))


def make_file(root: Path, rel: str, modified: dt.date, mode: int = 0o600) -> FileRef:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("СНИЛС 112-233-445 95\n", encoding="utf-8")
    os.chmod(path, mode)
    ts = local_noon(modified)
    os.utime(path, (ts, ts))
    refs = [r for r in walk_local([str(root)]) if isinstance(r, FileRef) and r.rel == rel]
    assert len(refs) == 1
    return refs[0]


def with_pd(ref: FileRef) -> FileResult:
    return FileResult(ref=ref, findings=[Finding("RU_SNILS", "f" * 64, "***-***-*** 95", 0.9, "line 1")])


def rules(policy_text: str, ref: FileRef, as_of: dt.date) -> list[str]:
    return [v.rule for v in parse_policy(policy_text).evaluate(with_pd(ref), as_of)]


# ---- dates ------------------------------------------------------------------------------------


def test_next_year_counts_from_first_january_after_the_year():
    assert retention_deadline(dt.date(2021, 4, 5), 3, "next_year") == dt.date(2025, 1, 1)
    assert retention_deadline(dt.date(2022, 12, 31), 3, "next_year") == dt.date(2026, 1, 1)
    assert retention_deadline(dt.date(2023, 1, 1), 3, "next_year") == dt.date(2027, 1, 1)


def test_modified_counts_from_the_date_and_feb_29_becomes_feb_28():
    assert retention_deadline(dt.date(2025, 3, 10), 1, "modified") == dt.date(2026, 3, 10)
    assert retention_deadline(dt.date(2024, 2, 29), 1, "modified") == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2024, 12, 31), ["expires_soon"]),  # a day before the deadline
        (dt.date(2025, 1, 1), ["retention_expired"]),  # deadline == as_of: expired
        (dt.date(2025, 1, 2), ["retention_expired"]),  # a day after
        (dt.date(2024, 12, 1), []),  # outside the 10-day window
    ],
)
def test_boundary_next_year(tmp_path, as_of, expected):
    ref = make_file(tmp_path, "Кадры/Взыскания/Приказ 3-д.txt", dt.date(2021, 4, 5))
    assert rules(POLICY, ref, as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 3, 9), ["expires_soon"]),
        (dt.date(2026, 3, 10), ["retention_expired"]),
        (dt.date(2026, 3, 11), ["retention_expired"]),
    ],
)
def test_boundary_modified(tmp_path, as_of, expected):
    ref = make_file(tmp_path, "Сайт/users.csv", dt.date(2025, 3, 10))
    # Сайт is not an authorized place in POLICY: outside_authorized comes too
    got = rules(POLICY, ref, as_of)
    assert got == [*expected, "outside_authorized"]


def test_violation_details_name_rule_clause_and_deadline(tmp_path):
    ref = make_file(tmp_path, "Кадры/Взыскания/a.txt", dt.date(2021, 4, 5))
    [v] = parse_policy(POLICY).evaluate(with_pd(ref), dt.date(2026, 6, 1))
    assert (v.rule, v.clause) == ("retention_expired", "п. 3.6.1")
    assert v.details["rule_name"] == "Взыскания"
    assert v.details["deadline"] == "2025-01-01"
    assert v.details["modified"] == "2021-04-05"
    assert v.path == ref.path


def test_local_date_follows_tz(tmp_path, monkeypatch):
    # 2022-12-31 23:30 UTC is already 2023-01-01 in Vladivostok (UTC+10): one more year to keep.
    ref = make_file(tmp_path, "Кадры/Взыскания/tz.txt", dt.date(2022, 12, 31))
    ts = dt.datetime(2022, 12, 31, 23, 30, tzinfo=dt.UTC).timestamp()
    os.utime(ref.path, (ts, ts))
    ref = next(r for r in walk_local([str(tmp_path)]) if isinstance(r, FileRef) and r.rel.endswith("tz.txt"))
    policy = parse_policy(POLICY)
    for tz, deadline in (("UTC", "2026-01-01"), ("Asia/Vladivostok", "2027-01-01")):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        try:
            [v] = policy.evaluate(with_pd(ref), dt.date(2027, 6, 1))
        finally:
            monkeypatch.undo()
            time.tzset()
        assert v.details["deadline"] == deadline


# ---- matching ---------------------------------------------------------------------------------


def test_first_matching_rule_wins(tmp_path):
    ref = make_file(tmp_path, "Кадры/Взыскания/x.txt", dt.date(2021, 4, 5))
    assert rules(POLICY, ref, dt.date(2026, 1, 1)) == ["retention_expired"]  # 3 years, not 75
    other = make_file(tmp_path, "Кадры/Приказы/x.txt", dt.date(2000, 4, 5))
    assert rules(POLICY, other, dt.date(2026, 1, 1)) == []  # 75 years
    # the general rule written first shadows the specific one
    general_first = (
        "version: 1\nretention:\n"
        "  - {name: all, match: ['Кадры/**'], years: 75}\n"
        "  - {name: disciplinary, match: ['Кадры/Взыскания/**'], years: 3}\n"
    )
    assert parse_policy(general_first).retention_rule("Кадры/Взыскания/x.txt", "/x").name == "all"
    assert rules(general_first, ref, dt.date(2026, 1, 1)) == []


def test_relative_patterns_are_anchored_at_the_scan_root(tmp_path):
    ref = make_file(tmp_path, "Архив/Кадры/Взыскания/x.txt", dt.date(2021, 4, 5))
    assert rules(POLICY, ref, dt.date(2026, 1, 1)) == ["outside_authorized"]


def test_pattern_without_slash_matches_at_any_depth(tmp_path):
    text = 'version: 1\nauthorized_locations: ["*.txt"]\n'
    ref = make_file(tmp_path, "a/b/c/d.txt", dt.date(2021, 4, 5))
    assert rules(text, ref, dt.date(2026, 1, 1)) == []


def test_absolute_pattern_matches_the_absolute_path(tmp_path):
    ref = make_file(tmp_path, "Общая/x.txt", dt.date(2024, 1, 1))
    assert rules(POLICY, ref, dt.date(2026, 1, 1)) == ["outside_authorized"]
    absolute = POLICY.replace("/srv/archive/**", f"{tmp_path.as_posix()}/Общая/**")
    assert rules(absolute, ref, dt.date(2026, 1, 1)) == []


def test_negated_pattern_excludes(tmp_path):
    ref = make_file(tmp_path, "Сайт/вечно/x.csv", dt.date(2020, 1, 1))
    assert rules(POLICY, ref, dt.date(2026, 1, 1)) == ["outside_authorized"]  # no retention rule


def test_cyrillic_decomposed_names_match_composed_patterns(tmp_path):
    # "й" decomposed (NFD, as macOS writes names) must still match the pattern typed in NFC
    rel = unicodedata.normalize("NFD", "Кадры/Взыскания/Объяснительная Андрей.txt")
    ref = make_file(tmp_path, rel, dt.date(2021, 4, 5))
    assert "й" not in ref.rel  # really decomposed on disk
    assert rules(POLICY, ref, dt.date(2026, 1, 1)) == ["retention_expired"]


def test_files_without_pd_never_violate(tmp_path):
    ref = make_file(tmp_path, "Общая/x.txt", dt.date(2000, 1, 1), mode=0o666)
    from pdscan.scan import has_personal_data

    assert not has_personal_data(FileResult(ref=ref))
    assert not has_personal_data(
        FileResult(ref=ref, findings=[Finding("LOCATION", "f", "г. ***", 0.6, "line 1")])
    )


# ---- validation -------------------------------------------------------------------------------

BAD = [
    ("version: 1\nretension: []\n", 2, "неизвестный ключ 'retension'"),
    ("version: 1\nretention:\n  - name: a\n    match: [a]\n    years: -3\n", 5, "отрицательным"),
    ("version: 1\nretention:\n  - name: a\n    match: [a]\n    years: '3'\n", 5, "целое число"),
    (
        "version: 1\nretention:\n  - name: a\n    match: [a]\n    years: 3\n    count_from: created\n",
        6,
        "count_from",
    ),
    ("version: 1\nretention:\n  - name: a\n    match: ['a/***']\n    years: 3\n", 4, "шаблон"),
    ("version: 1\nauthorized_locations:\n  - 'Кадры\\\\Приказы'\n", 3, "обратная косая"),
    ("version: 1\nauthorized_locations:\n  - '[abc'\n", 3, "скобка"),
    ("version: 1\nauthorized_locations: 5\n", 2, "список строк"),
    ("version: 1\nretention:\n  - name: a\n    years: 3\n", 3, "нет ключа 'match'"),
    ("version: 1\naccess:\n  allowed_users: [root]\n  allow_owner: maybe\n", 4, "true или false"),
    ("version: 1\naccess:\n  alowed_users: [root]\n", 3, "возможно, 'allowed_users'"),
    ("version: 2\n", 1, "не поддерживается"),
    ("retention: []\n", 1, "version"),
    ("version: 1\nretention: [\n", 3, "синтаксиса YAML"),
    ("version: 1\nversion: 1\n", 2, "повторяется"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD)
def test_bad_policy_names_the_line(text, line, words):
    with pytest.raises(PolicyError) as e:
        parse_policy(text, "policy.yaml")
    msg = str(e.value)
    assert msg.startswith(f"policy.yaml, строка {line}: "), msg
    assert words in msg


def test_empty_and_unreadable_policy(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("", encoding="utf-8")
    with pytest.raises(PolicyError, match="пуст"):
        load_policy(str(p))
    p.write_bytes("version: 1 # Кадры".encode("cp1251"))
    with pytest.raises(PolicyError, match="UTF-8"):
        load_policy(str(p))


def test_template_is_a_valid_policy_with_the_polozhenie_terms():
    policy = parse_policy(template_text(), "init")
    terms = {r.clause: [] for r in policy.retention}
    for r in policy.retention:
        terms[r.clause].append(r.years)
    assert terms == {"п. 3.6.1": [3, 5, 75], "п. 3.6.2": [5], "п. 3.6.3": [5], "п. 3.6.4": [1]}
    assert policy.access is not None and policy.authorized is not None


# ---- CLI --------------------------------------------------------------------------------------


def test_cli_scan_with_bad_policy_exits_2_without_traceback(tmp_path, pdscan_cmd):
    p = tmp_path / "policy.yaml"
    p.write_text("version: 1\nauthorized_locations:\n  - Кадры/**\nretension: []\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    r = subprocess.run(
        [*pdscan_cmd, "scan", str(tmp_path / "data"), "--policy", str(p)], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert "строка 4: неизвестный ключ 'retension'" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_policy_init_and_check(tmp_path, pdscan_cmd):
    out = tmp_path / "policy.yaml"
    r = subprocess.run([*pdscan_cmd, "policy", "init", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == template_text()
    r = subprocess.run([*pdscan_cmd, "policy", "init", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 2 and "--force" in r.stderr  # never overwrites silently
    r = subprocess.run(
        [*pdscan_cmd, "policy", "check", str(out), "Кадры/Взыскания/выговор.docx", "Общая/паспорт.pdf"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    block = r.stdout.split("Кадры/Взыскания/выговор.docx", 1)[1].split("Общая/паспорт.pdf", 1)[0]
    assert "«Дисциплинарные взыскания (п. 3.6.1)»" in block
    assert "подходит и «Приказы по личному составу" in block  # shadowed by the rule above
    assert "разрешено (шаблон «Кадры/**»)" in block
    tail = r.stdout.split("Общая/паспорт.pdf", 1)[1]
    assert "ни одно правило не подходит" in tail and "ВНЕ разрешённых мест" in tail


def test_cli_policy_check_existing_file_shows_deadline_and_readers(tmp_path, pdscan_cmd):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY + "access:\n  allowed_users: [nobody-else]\n", encoding="utf-8")
    ref = make_file(tmp_path, "Кадры/Взыскания/a.txt", dt.date(2021, 4, 5), mode=0o644)
    r = subprocess.run(
        [*pdscan_cmd, "policy", "check", str(policy), ref.path, "--as-of", "2026-06-01"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "(путь от корня: Кадры/Взыскания/a.txt)" in r.stdout
    assert "изменён 2021-04-05, хранить до 2025-01-01: СРОК ИСТЁК" in r.stdout
    assert "права 0644" in r.stdout and "НЕ допущены" in r.stdout and "остальные *" in r.stdout


def test_cli_policy_check_bad_file_exits_2(tmp_path, pdscan_cmd):
    p = tmp_path / "p.yaml"
    p.write_text("version: 1\nretention:\n  - name: x\n    match: [a]\n    years: -1\n", encoding="utf-8")
    r = subprocess.run([*pdscan_cmd, "policy", "check", str(p)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "строка 5" in r.stderr and "Traceback" not in r.stderr


def test_cli_scan_no_pd_files_never_violate(tmp_path, pdscan_cmd):
    """End to end: old, world-readable, unauthorized files without PD give no violation lines."""
    data = tmp_path / "data"
    make_file(data, "Общая/с ПДн.txt", dt.date(2019, 1, 1), mode=0o644)
    plain = data / "Общая/без ПДн.txt"
    plain.write_text("График уборки: понедельник, четверг.\nСчёт № 118 от 14.03.2024\n", encoding="utf-8")
    os.chmod(plain, 0o666)
    hr = data / "Кадры/Взыскания/без ПДн.txt"
    hr.parent.mkdir(parents=True)
    hr.write_text("Шаблон приказа о взыскании (пустой бланк)\n", encoding="utf-8")
    for p in (plain, hr):
        os.utime(p, (local_noon(dt.date(2001, 1, 1)),) * 2)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY + "access:\n  allowed_users: [nobody-else]\n", encoding="utf-8")
    r = subprocess.run(
        [
            *pdscan_cmd,
            "scan",
            str(data),
            "--policy",
            str(policy),
            "--as-of",
            "2026-06-01",
            "--format",
            "jsonl",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    viol = {(Path(v["path"]).name, v["rule"]) for v in recs if v["type"] == "violation"}
    assert viol == {("с ПДн.txt", "outside_authorized"), ("с ПДн.txt", "excessive_access")}
    assert {Path(f["path"]).name for f in recs if f["type"] == "finding"} == {"с ПДн.txt"}


def test_cli_policy_check_with_explicit_root(tmp_path, pdscan_cmd):
    policy = tmp_path / "conf" / "policy.yaml"
    policy.parent.mkdir()
    policy.write_text(POLICY, encoding="utf-8")
    ref = make_file(tmp_path / "share", "Сайт/u.csv", dt.date(2025, 6, 20))
    r = subprocess.run(
        [
            *pdscan_cmd,
            "policy",
            "check",
            str(policy),
            ref.path,
            "--root",
            str(tmp_path / "share"),
            "--as-of",
            "2026-06-12",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "(путь от корня: Сайт/u.csv)" in r.stdout
    assert "«Сайт»" in r.stdout and "истекает через 8 дн." in r.stdout
