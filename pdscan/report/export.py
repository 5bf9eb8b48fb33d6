"""Tabular exports of the report: CSV (one row per finding), XLSX (summary, files, findings,
violations sheets) and JSON (the whole ReportData). Masked values only; files 0600.

CSV column names are fixed identifiers (a contract for scripts, as the JSON keys are); the names
of entities, folders and the XLSX sheets and headers follow the report's language (``--lang``)."""

from __future__ import annotations

import csv
import io
import json
import os
from typing import IO

from pdscan.i18n import entity_name, lang, report_words, rule_name, state_name
from pdscan.report.data import ReportData, RFile
from pdscan.report.html import folder_name, violation_text

CSV_COLUMNS = [
    "path",
    "folder",
    "owner",
    "modified",
    "file_state",
    "retention_rule",
    "clause",
    "deadline",
    "violations",
    "member",
    "entity",
    "entity_name",
    "masked",
    "count",
    "location",
    "fingerprint",
    "finding_state",
    "reason",
]


def _violations(f: RFile) -> str:
    return "; ".join(f"{v.rule} ({v.clause})" for v in f.violations)


def write_csv(data: ReportData, stream: IO[str], language: str | None = None) -> None:
    """One row per finding, with its file's columns repeated (a BOM so Excel reads UTF-8)."""
    language = language or lang()
    stream.write("\ufeff")
    w = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    w.writeheader()
    for f in data.files:
        base = {
            "path": f.path,
            "folder": folder_name(f.folder, language),
            "owner": f.owner,
            "modified": f.modified,
            "file_state": f.state,
            "retention_rule": f.retention_rule,
            "clause": f.retention_clause,
            "deadline": f.deadline,
            "violations": _violations(f),
        }
        for g in f.findings:
            w.writerow(
                {
                    **base,
                    "member": g.member,
                    "entity": g.entity,
                    "entity_name": entity_name(g.entity, language),
                    "masked": g.masked,
                    "count": g.count,
                    "location": g.location,
                    "fingerprint": g.fingerprint,
                    "finding_state": g.state,
                    "reason": g.reason,
                }
            )


def write_json(data: ReportData, stream: IO[str]) -> None:
    json.dump(data.to_dict(), stream, ensure_ascii=False, indent=1)
    stream.write("\n")


def write_xlsx(data: ReportData, path: str, language: str | None = None) -> None:
    """Four sheets with filters and frozen headers; written in memory, then to a 0600 file."""
    import xlsxwriter

    language = language or lang()
    w = report_words(language)

    def ent(e: str) -> str:
        return entity_name(e, language)

    def rule(r: str) -> str:
        return rule_name(r, language)

    def state(s: str) -> str:
        return state_name(s, language)

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    bold = wb.add_format({"bold": True, "bg_color": "#E8EDF3", "border": 1})
    title = wb.add_format({"bold": True, "font_size": 14})
    red = wb.add_format({"font_color": "#B3261E", "bold": True})

    def sheet(name: str, headers: list[str], widths: list[int]):
        ws = wb.add_worksheet(name)
        for i, (h, w) in enumerate(zip(headers, widths, strict=True)):
            ws.write(0, i, h, bold)
            ws.set_column(i, i, w)
        ws.freeze_panes(1, 0)
        return ws

    s = data.summary()
    ws = wb.add_worksheet(w["s_summary"])
    ws.set_column(0, 0, 44)
    ws.set_column(1, 2, 16)
    ws.write(0, 0, w["heading"], title)
    rows = [
        (w["x_generated"], data.generated_at),
        (w["x_as_of"], data.as_of),
        (w["x_files_with_pd"], s["files_with_pd"]),
        (w["x_persons"], s["persons"]),
        (w["x_findings"], s["findings"]),
        (w["x_violations"], s["violations"]),
        (w["x_expired"], s["expired"]),
        (w["x_unread"], s["unread"]),
    ]
    r = 2
    for k, v in rows:
        ws.write(r, 0, k)
        ws.write(r, 1, v)
        r += 1
    r += 1
    ws.write(r, 0, w["x_entity"], bold)
    ws.write(r, 1, w["x_files"], bold)
    ws.write(r, 2, w["x_values"], bold)
    for e, n in s["by_entity_files"].items():
        r += 1
        ws.write(r, 0, ent(e))
        ws.write(r, 1, n)
        ws.write(r, 2, s["by_entity_values"].get(e, 0))
    r += 2
    ws.write(r, 0, w["col_folder"], bold)
    ws.write(r, 1, w["x_files_with_pd"], bold)
    for d, n in s["by_folder"].items():
        r += 1
        ws.write(r, 0, folder_name(d, language))
        ws.write(r, 1, n)
    r += 2
    ws.write(r, 0, w["th_violation"], bold)
    ws.write(r, 1, w["th_clause"], bold)
    ws.write(r, 2, w["x_files"], bold)
    for c in s["by_clause"]:
        r += 1
        ws.write(r, 0, rule(c["rule"]))
        ws.write(r, 1, c["clause"])
        ws.write(r, 2, c["count"])

    fh = [w[k] for k in ("k_path", "col_folder", "x_entities", "x_values", "x_persons_col", "col_owner",
                         "k_group", "k_mode", "col_modified", "col_violations", "k_rule", "th_clause",
                         "col_deadline", "col_state", "x_mark_reason")]  # fmt: skip
    ws = sheet(w["s_files"], fh, [60, 16, 36, 10, 10, 14, 14, 8, 12, 36, 40, 10, 12, 18, 30])
    for i, f in enumerate(data.files, 1):
        expired = any(v.rule == "retention_expired" for v in f.violations)
        vals = [f.path, folder_name(f.folder, language), ", ".join(ent(e) for e in f.entities), len(f.findings),
                f.persons, f.owner, f.group, f"{f.mode & 0o7777:04o}" if f.mode else "", f.modified,
                ", ".join(rule(v.rule) for v in f.violations), f.retention_rule, f.retention_clause,
                f.deadline, state(f.state), f.reason]  # fmt: skip
        for j, v in enumerate(vals):
            ws.write(i, j, v, red if (j == 12 and expired) else None)
    ws.autofilter(0, 0, max(len(data.files), 1), len(fh) - 1)

    gh = [w[k] for k in ("k_path", "x_member", "x_entity_one", "x_masked", "th_times", "th_where",
                         "x_fingerprint", "col_state", "x_basis")]  # fmt: skip
    ws = sheet(w["s_findings"], gh, [60, 24, 22, 22, 6, 22, 20, 18, 30])
    i = 0
    for f in data.files:
        for g in f.findings:
            i += 1
            vals = [f.path, g.member, ent(g.entity), g.masked, g.count, g.location, g.fingerprint,
                    state(g.state), g.reason]  # fmt: skip
            for j, v in enumerate(vals):
                ws.write(i, j, v)
    ws.autofilter(0, 0, max(i, 1), len(gh) - 1)

    vh = [
        w[k]
        for k in ("k_path", "th_violation", "th_clause", "x_deadline", "th_details", "col_state", "x_basis")
    ]
    ws = sheet(w["s_violations"], vh, [60, 30, 10, 12, 60, 18, 30])
    i = 0
    for f in data.files:
        for v in f.violations:
            i += 1
            vals = [f.path, rule(v.rule), v.clause, v.deadline or "", violation_text(v, language),
                    state(v.state), v.reason]  # fmt: skip
            for j, val in enumerate(vals):
                ws.write(i, j, val)
    ws.autofilter(0, 0, max(i, 1), len(vh) - 1)
    wb.close()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(buf.getvalue())
