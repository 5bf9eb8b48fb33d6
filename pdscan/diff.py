"""What a scan found new, changed and resolved against its baseline: records and a table (Russian, or English with --lang en)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from pdscan.i18n import (
    CHANGE_KINDS,
    CHANGE_REASONS,
    SCAN_STATUS,
    clause_label,
    entity_name,
    pick,
    rule_name,
    t,
)

KINDS = ("new", "changed", "resolved")


def change_record(row: sqlite3.Row) -> dict:
    """One change as a JSON record (the jsonl form of `pdscan diff`)."""
    rec: dict = {"type": "change", "change": row["kind"], "item": row["item"], "path": row["path"]}
    if row["member"]:
        rec["member"] = row["member"]
    if row["item"] == "finding":
        rec.update(
            entity=row["entity"], fingerprint=row["fingerprint"], masked=row["masked"], count=row["count"]
        )
    else:
        rec.update(rule=row["entity"], clause=row["clause"])
        details = json.loads(row["details"] or "{}")
        for k, v in details.items():
            rec.setdefault(k, v)
    if row["reason"]:
        rec["reason"] = row["reason"]
    if row["item"] == "finding" and row["reason"] == "count":
        rec["previous_count"] = json.loads(row["details"] or "{}").get("previous_count")
    return rec


def summary_record(scan: sqlite3.Row) -> dict:
    return {
        "type": "diff_summary",
        "scan": scan["id"],
        "baseline": scan["baseline_id"],
        "status": scan["status"],
        "started_at": scan["started_at"],
        "roots": json.loads(scan["roots"]),
        "new": scan["new_count"],
        "changed": scan["changed_count"],
        "resolved": scan["resolved_count"],
    }


def _describe(row: sqlite3.Row) -> str:
    where = row["path"] + (f" → {row['member']}" if row["member"] else "")
    if row["item"] == "finding":
        what = f"{entity_name(row['entity'])} {row['masked']}"
        if row["count"] and row["count"] > 1:
            what += f" ×{row['count']}"
    else:
        what = f"{t('violation')}: {rule_name(row['entity'])} ({clause_label(row['clause'])})"
        details = json.loads(row["details"] or "{}")
        if details.get("deadline"):
            what += f", {t('diff_deadline')} {details['deadline']}"
    reason = row["reason"]
    if reason == "count":
        before = json.loads(row["details"] or "{}").get("previous_count")
        reason = t("diff_count", a=before, b=row["count"])
    elif reason:
        reason = pick(CHANGE_REASONS[reason]) if reason in CHANGE_REASONS else reason
    if reason:
        what += f" — {reason}"
    return f"  {where}: {what}"


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def render_table(scan: sqlite3.Row, changes: list[sqlite3.Row]) -> str:
    base = scan["baseline_id"]
    status = pick(SCAN_STATUS.get(scan["status"], (scan["status"], scan["status"])))
    roots = ", ".join(json.loads(scan["roots"]))
    at = _local_time(scan["started_at"])
    lines = [
        t("diff_scan", id=scan["id"], at=at, status=status, roots=roots),
        t("diff_baseline", b=base) if base else t("diff_no_baseline"),
    ]
    counts = {k: sum(1 for c in changes if c["kind"] == k) for k in KINDS}
    lines.append(", ".join(f"{pick(CHANGE_KINDS[k]).lower()}: {counts[k]}" for k in KINDS))
    if not changes:
        lines.append(t("diff_no_changes"))
    for kind in KINDS:
        rows = [c for c in changes if c["kind"] == kind]
        if rows:
            lines.append("")
            lines.append(f"{pick(CHANGE_KINDS[kind])} ({len(rows)}):")
            lines.extend(_describe(r) for r in rows)
    return "\n".join(lines) + "\n"
