"""Scan output streams: jsonl, json, csv and the Russian terminal table. Values are masked; files 0600."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from typing import IO

from pdscan.i18n import entity_name, rule_name, t
from pdscan.model import FileResult


def open_private(path: str) -> IO[str]:
    """Create (or truncate) a report file readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode otherwise
    # A non-UTF-8 file name (os.fsdecode's lone surrogates) is written as \udcXX: inside a JSON
    # string that is the escape json.loads turns back into the same surrogate (os.fsencode round-trip).
    return open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="")


def result_records(result: FileResult) -> list[dict]:
    """The JSON records of one file: findings, violations, errors (the JSONL contract)."""
    path = result.ref.path
    out: list[dict] = []
    for f in result.findings:
        rec = {"type": "finding", "path": path}
        if f.member:
            rec["member"] = f.member
        rec.update(
            entity=f.entity,
            fingerprint=f.fingerprint,
            count=f.count,
            masked=f.masked,
            score=round(f.score, 2),
            location=f.location,
        )
        out.append(rec)
    for v in result.violations:
        rec = {"type": "violation", "path": path, "rule": v.rule, "clause": v.clause}
        rec.update(v.details)
        out.append(rec)
    for e in result.errors:
        out.append({"type": "error", "path": path, "error": e})
    return out


def violation_detail(v) -> str:
    """The one line an officer needs to act on a violation: the rule and deadline, or who can read it."""
    d = v.details
    if v.rule in ("retention_expired", "expires_soon"):
        return f": {d.get('rule_name', '')}, {t('deadline_' + v.rule)} {d.get('deadline', '?')}"
    if v.rule == "excessive_access":
        who = ", ".join(
            f"{r.get('kind')}:{r.get('name')} {r.get('rights', '')}".strip() for r in d.get("readers", [])
        )
        return f": {t('can_read')} {who}" if who else ""
    if v.rule == "outside_authorized":
        return f": {t('allowed_places')} {', '.join(d.get('authorized', []))}"
    return ""


class JsonlWriter:
    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, result: FileResult) -> None:
        for rec in result_records(result):
            self.stream.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def close(self, summary: dict) -> None:
        self.stream.write(json.dumps(summary, ensure_ascii=False) + "\n")
        self.stream.flush()


class JsonWriter:
    """One JSON document; records are kept only as small dicts (no content), so memory is bounded by findings."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.records: list[dict] = []

    def write(self, result: FileResult) -> None:
        self.records.extend(result_records(result))

    def close(self, summary: dict) -> None:
        doc = {
            "findings": [r for r in self.records if r["type"] == "finding"],
            "violations": [r for r in self.records if r["type"] == "violation"],
            "errors": [r for r in self.records if r["type"] == "error"],
            "summary": summary,
        }
        json.dump(doc, self.stream, ensure_ascii=False, indent=1)
        self.stream.write("\n")
        self.stream.flush()


CSV_COLUMNS = [
    "type",
    "path",
    "member",
    "entity",
    "fingerprint",
    "count",
    "masked",
    "score",
    "location",
    "rule",
    "clause",
    "error",
]


class CsvWriter:
    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, result: FileResult) -> None:
        for rec in result_records(result):
            self.writer.writerow(rec)

    def close(self, summary: dict) -> None:
        self.stream.flush()


class TableWriter:
    """Human-readable Russian report for the terminal: per file what was found, masked."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.any = False

    def write(self, result: FileResult) -> None:
        if not (result.findings or result.violations or result.errors):
            return
        self.any = True
        buf = io.StringIO()
        head = result.ref.path
        if result.persons > 1:
            head += f"  ({t('persons_in_file', n=result.persons)})"
        buf.write(f"\n{head}\n")
        for f in sorted(result.findings, key=lambda f: (f.member or "", f.entity, -f.score)):
            where = f"{f.member}: {f.location}" if f.member else f.location
            times = f" ×{f.count}" if f.count > 1 else ""
            buf.write(f"  {entity_name(f.entity):<26} {f.masked:<22}{times:<5} {where}\n")
        for v in result.violations:
            buf.write(f"  ! {t('violation')}: {rule_name(v.rule)} ({v.clause}){violation_detail(v)}\n")
        for e in result.errors:
            buf.write(f"  ! {t('error')}: {e}\n")
        self.stream.write(buf.getvalue())

    def close(self, summary: dict) -> None:
        w = self.stream.write
        if not self.any:
            w(t("nothing_found") + "\n")
        w(f"\n{t('summary_title')}\n")
        for key in ("files_seen", "files_scanned", "files_skipped", "files_with_pd", "persons", "errors"):
            w(f"  {t(key):<34} {summary[key]}\n")
        w(f"  {t('bytes'):<34} {summary['bytes'] / 1e6:.1f}\n")
        w(f"  {t('seconds'):<34} {summary['seconds']:.1f}\n")
        if summary["findings_by_entity"]:
            w(f"\n{t('by_entity')}\n")
            for e, n in summary["findings_by_entity"].items():
                w(f"  {entity_name(e):<34} {n}\n")
        if summary.get("violations_by_clause"):
            w(f"\n{t('by_clause')}\n")
            for c, n in summary["violations_by_clause"].items():
                w(f"  {c:<34} {n}\n")
        self.stream.flush()


WRITERS = {"jsonl": JsonlWriter, "json": JsonWriter, "csv": CsvWriter, "table": TableWriter}


def make_writer(fmt: str, output: str | None):
    stream = open_private(output) if output else sys.stdout
    return WRITERS[fmt](stream), stream
