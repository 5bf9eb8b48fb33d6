"""End to end through the CLI: realistic documents in every core format, scored per identifier entity.

Each document is generated with its labels (entity, normalized value); it is written as a real
txt/docx/xlsx/pdf/html/json file; `pdscan scan --format jsonl` runs over the folder; findings are
matched to labels by fingerprint (the test key is fixed in conftest.py).
"""

from __future__ import annotations

import json
import random
import subprocess
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from pdscan.fingerprint import fingerprint
from tests.formats import write_docx, write_pdf, write_xlsx
from tests.synth_pd import TABLE_HEADER, document, requisites_document

IDENTIFIERS = (
    "RU_PASSPORT RU_SNILS RU_INN PHONE_NUMBER EMAIL_ADDRESS CREDIT_CARD RU_OMS_POLICY "
    "RU_MILITARY_ID RU_FOREIGN_PASSPORT RU_DRIVER_LICENSE"
).split()
FORMATS = ["txt", "docx", "xlsx", "pdf", "html", "json"]


def _split(chunks):
    paras = [c.text for c in chunks if not c.context]
    rows = [c.text.split("\t") for c in chunks if c.context]
    return paras, rows


def write_document(path_base: Path, fmt: str, chunks) -> Path:
    paras, rows = _split(chunks)
    header = TABLE_HEADER.split("\t")
    path = path_base.with_suffix("." + fmt)
    if fmt == "txt":
        table = "\n".join(["\t".join(header)] + ["\t".join(r) for r in rows]) if rows else ""
        path.write_text("\n\n".join([*paras, table]), encoding="utf-8")
    elif fmt == "docx":
        write_docx(path, paras, tables=[[header, *rows]] if rows else [])
    elif fmt == "xlsx":
        sheets = {"Текст": [[p] for p in paras]}
        if rows:
            sheets["Реестр"] = [header, *rows]
        write_xlsx(path, sheets)
    elif fmt == "pdf":
        lines = []
        for p in paras:
            for line in p.split("\n"):
                lines.extend(textwrap.wrap(line, 110) or [""])
        if rows:
            lines.append("   ".join(header))
            lines.extend("   ".join(r) for r in rows)
        write_pdf(path, [lines[i : i + 45] for i in range(0, len(lines), 45)])
    elif fmt == "html":
        body = "".join(f"<p>{p}</p>" for p in paras)
        if rows:
            body += "<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
            body += "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
        path.write_text(
            f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8"
        )
    elif fmt == "json":
        doc = {"текст": paras, "реестр": [dict(zip(header, r, strict=False)) for r in rows]}
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    rng = random.Random(20261125)
    truth: dict[str, set[tuple[str, str]]] = {}
    for i in range(84):
        fmt = FORMATS[i % len(FORMATS)]
        chunks, labels = document(rng)
        path = write_document(root / f"doc{i:03d}", fmt, chunks)
        truth[str(path)] = {(e, fingerprint(e, v)) for e, v in labels if e in IDENTIFIERS}
    for i, fmt in enumerate(FORMATS):
        text = requisites_document(rng)
        from pdscan.model import Chunk

        path = write_document(
            root / f"requisites{i}", fmt, [Chunk(text=p, location="") for p in text.split("\n\n")]
        )
        truth[str(path)] = set()
    return root, truth


def _scan(pdscan_cmd, root) -> tuple[int, list[dict]]:
    proc = subprocess.run(
        [*pdscan_cmd, "scan", str(root), "--format", "jsonl", "--jobs", "2", "--no-ocr"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_every_identifier_entity_has_precision_and_recall_at_least_95(pdscan_cmd, corpus):
    root, truth = corpus
    code, records = _scan(pdscan_cmd, root)
    assert code == 1
    assert records[-1]["type"] == "summary" and records[-1]["errors"] == 0
    assert records[-1]["files_seen"] == len(truth)
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in records:
        if r["type"] == "finding" and r["entity"] in IDENTIFIERS:
            found[r["path"]].add((r["entity"], r["fingerprint"]))
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    for path, expected in truth.items():
        got = found.get(path, set())
        for e, _ in got & expected:
            tp[e] += 1
        for e, _ in got - expected:
            fp[e] += 1
        for e, _ in expected - got:
            fn[e] += 1
    report = {}
    for e in IDENTIFIERS:
        p = tp[e] / (tp[e] + fp[e]) if tp[e] + fp[e] else 1.0
        r = tp[e] / (tp[e] + fn[e]) if tp[e] + fn[e] else 1.0
        report[e] = (round(p, 3), round(r, 3), tp[e])
    assert all(tp[e] >= 5 for e in IDENTIFIERS), report  # every entity is really exercised
    bad = {e: v for e, v in report.items() if v[0] < 0.95 or v[1] < 0.95}
    assert not bad, report


def test_company_requisites_give_no_findings(pdscan_cmd, corpus):
    root, truth = corpus
    _, records = _scan(pdscan_cmd, root)
    requisites = {p for p, t in truth.items() if "requisites" in p}
    leaked = [
        (r["path"], r["entity"], r["masked"])
        for r in records
        if r["type"] == "finding" and r["path"] in requisites
    ]
    assert leaked == []
