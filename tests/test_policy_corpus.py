"""End to end on sample_corpus/: the scan's violations equal EXPECTED.json (precision = recall = 1.0)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NER_ENTITIES = {"PERSON", "DATE_OF_BIRTH", "LOCATION"}  # the scan may add these to planted identifiers
NOT_PD_ALONE = {"LOCATION", "IP_ADDRESS"}
RULES = ("retention_expired", "outside_authorized", "excessive_access", "expires_soon")


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_sample_corpus", ROOT / "scripts" / "make_sample_corpus.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("corpus")
    t0 = time.monotonic()
    _generator().generate(base / "sample_corpus")
    assert time.monotonic() - t0 < 10  # ≈1 s normally; slack for a loaded CI machine
    return base


@pytest.fixture(scope="module")
def scan_records(corpus: Path, tmp_path_factory) -> list[dict]:
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    expected = json.loads((corpus / "sample_corpus" / "EXPECTED.json").read_text(encoding="utf-8"))
    args = expected["command"].split()[1:]  # the documented command, run from the corpus' parent
    env = {**os.environ, "PDSCAN_DB": str(tmp_path_factory.mktemp("db") / "pdscan.sqlite")}
    r = subprocess.run([*cmd, *args], cwd=corpus, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 1, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def _rel(path: str) -> str:
    return path.removeprefix("sample_corpus/")


def test_generator_is_idempotent_and_matches_the_committed_files(tmp_path, corpus):
    out = tmp_path / "again"
    gen = _generator()
    first = gen.generate(out)

    def stats() -> dict:  # data files: mtime and mode are part of what the generator makes
        files = (p for p in out.rglob("*") if p.is_file() and p.name not in gen.KEEP)
        return {p.relative_to(out): (p.stat().st_mtime, p.stat().st_mode) for p in files}

    stats1 = stats()
    assert gen.generate(out) == first
    assert stats() == stats1
    for name in gen.KEEP:  # what git holds is exactly what the generator writes
        assert (ROOT / "sample_corpus" / name).read_bytes() == (out / name).read_bytes(), name
    files = {str(p) for p in stats1} | set(gen.KEEP)
    assert files == set(first["files"]), "EXPECTED.json lists every file"
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 2_000_000
    suffixes = {Path(f).suffix for f in files}
    assert {".txt", ".csv", ".docx", ".xlsx", ".pdf"} <= suffixes


def test_violations_equal_expected_for_every_rule(corpus, scan_records):
    expected = json.loads((corpus / "sample_corpus" / "EXPECTED.json").read_text(encoding="utf-8"))
    want = {(f, rule) for f, e in expected["files"].items() for rule in e["violations"]}
    got = {(_rel(r["path"]), r["rule"]) for r in scan_records if r["type"] == "violation"}
    report = []
    for rule in RULES:
        w = {x for x in want if x[1] == rule}
        g = {x for x in got if x[1] == rule}
        assert w, f"the corpus has no case for {rule}"
        tp = len(w & g)
        precision = tp / len(g) if g else 0.0
        recall = tp / len(w)
        report.append(f"{rule}: precision {precision:.2f} recall {recall:.2f} ({tp}/{len(w)})")
    assert got == want, "\n".join(report) + f"\nmissing {sorted(want - got)}\nextra {sorted(got - want)}"


def test_violation_records_carry_clause_and_details(scan_records):
    by = {(_rel(r["path"]), r["rule"]): r for r in scan_records if r["type"] == "violation"}
    v = by[("Кадры/Взыскания/Приказ о выговоре 2021-3.docx", "retention_expired")]
    assert (v["clause"], v["deadline"], v["modified"]) == ("п. 3.6.1", "2025-01-01", "2021-04-05")
    assert v["rule_name"] == "Дисциплинарные взыскания (п. 3.6.1)"
    v = by[("Сайт/Выгрузка пользователей 2025-06-01.csv", "retention_expired")]
    assert (v["clause"], v["deadline"]) == ("п. 3.6.4", "2026-06-01")  # deadline == as_of
    v = by[("Сайт/Выгрузка пользователей 2025-06-20.csv", "expires_soon")]
    assert v["days_left"] == 19
    v = by[("Общая/Скан паспорта.pdf", "outside_authorized")]
    assert v["clause"] == "п. 3.10" and "Кадры/**" in v["authorized"]
    v = by[("Общая/Скан паспорта.pdf", "excessive_access")]
    assert v["clause"] == "п. 4.3" and v["readers"] == [{"kind": "other", "name": "*", "rights": "r--"}]
    v = by[("ПК/secretary/Документы/Журнал входящих 2025.docx", "excessive_access")]
    assert {"kind": "acl_user", "name": "nobody", "rights": "r--"} in v["readers"] or v["mode"].endswith("4")
    summary = scan_records[-1]
    assert summary["type"] == "summary"
    assert summary["violations_by_clause"]["п. 3.10"] == 4


def test_files_without_pd_give_no_findings_and_no_violations(corpus, scan_records):
    expected = json.loads((corpus / "sample_corpus" / "EXPECTED.json").read_text(encoding="utf-8"))
    clean = {f for f, e in expected["files"].items() if not e["entities"]}
    assert any(f.startswith("Бухгалтерия/") for f in clean)
    dirty = defaultdict(set)
    for r in scan_records:
        if r["type"] in ("finding", "violation") and _rel(r["path"]) in clean:
            dirty[_rel(r["path"])].add(r.get("entity") or r["rule"])
    bad = {f: sorted(e) for f, e in dirty.items() if e - NOT_PD_ALONE}
    assert bad == {}


def test_planted_identifiers_are_found(corpus, scan_records):
    expected = json.loads((corpus / "sample_corpus" / "EXPECTED.json").read_text(encoding="utf-8"))
    found = defaultdict(set)
    for r in scan_records:
        if r["type"] == "finding":
            found[_rel(r["path"])].add(r["entity"])
        assert r["type"] != "error", r
    diff = {
        f: {"expected": e["entities"], "found": sorted(found[f] - NER_ENTITIES)}
        for f, e in expected["files"].items()
        if e["entities"] and set(e["entities"]) != found[f] - NER_ENTITIES
    }
    assert diff == {}
