"""The officer's report as plain data, read from the store once and shared by every exporter.

Only masked values and fingerprints reach this module (the store holds nothing else). A file
is in the report when it holds personal data (``files.has_pd``); files that could not be read
are listed apart. Triage marks are joined here, so every exporter shows the same states.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from dataclasses import dataclass, field

from pdscan.i18n import STATE_NAMES as I18N_STATES
from pdscan.i18n import entity_name, rule_name
from pdscan.store import Store

# Entities that name one person each: the largest number of distinct values of any of them
# estimates how many people the files concern (the same rule as the scan's per-file count).
PERSON_ENTITIES = (
    "RU_SNILS",
    "RU_PASSPORT",
    "RU_INN",
    "RU_OMS_POLICY",
    "RU_MILITARY_ID",
    "RU_FOREIGN_PASSPORT",
    "RU_DRIVER_LICENSE",
    "PERSON",
)
RETENTION_RULES = ("retention_expired", "expires_soon")
OPEN = "open"  # no triage mark
STATES = (OPEN, "false_positive", "accepted", "remediated")
STATE_NAMES = {s: names[0] for s, names in I18N_STATES.items()}  # Russian; i18n.state_name for others
ROOT_FOLDER = "(корень)"  # in data.folder and the JSON; the other formats show it in their language
TREND_SCANS = 12


@dataclass
class RFinding:
    entity: str
    masked: str
    count: int
    location: str
    member: str
    fingerprint: str
    state: str = OPEN
    reason: str = ""


@dataclass
class RViolation:
    rule: str
    clause: str
    deadline: str | None
    details: dict
    state: str = OPEN
    reason: str = ""


@dataclass
class RFile:
    path: str
    root: str
    rel: str
    folder: str  # first folder under the scan root: the summary's "per folder"
    owner: str
    group: str
    mode: int | None
    size: int
    mtime: float
    modified: str  # local date, ISO
    last_read_at: str
    content_type: str
    persons: int
    findings: list[RFinding] = field(default_factory=list)
    violations: list[RViolation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    state: str = OPEN
    reason: str = ""
    retention_rule: str = ""
    retention_clause: str = ""
    deadline: str = ""  # retention deadline (ISO) when known

    @property
    def entities(self) -> list[str]:
        return sorted({f.entity for f in self.findings})


@dataclass
class ReportData:
    generated_at: str
    db_path: str
    as_of: str
    scan: dict | None
    files: list[RFile]
    unread: list[tuple[str, str]]  # (path, error) of files without PD found that could not be read
    trend: list[dict]
    policy: str = ""

    # ---- summary ----------------------------------------------------------------------------

    def counted(self) -> list[RFile]:
        """Files the summary counts: all but those marked false positive as a whole."""
        return [f for f in self.files if f.state != "false_positive"]

    def summary(self) -> dict:
        files = self.counted()
        by_entity_files: Counter = Counter()
        by_entity_values: Counter = Counter()
        by_folder: Counter = Counter()
        by_rule: Counter = Counter()
        by_clause: Counter = Counter()
        by_state: Counter = Counter(f.state for f in self.files)
        distinct: dict[str, set[str]] = {}
        n_findings = 0
        for f in files:
            live = [g for g in f.findings if g.state != "false_positive"]
            if not live:
                continue
            by_folder[f.folder] += 1
            for e in {g.entity for g in live}:
                by_entity_files[e] += 1
            for g in live:
                by_entity_values[g.entity] += 1
                n_findings += 1
                if g.entity in PERSON_ENTITIES:
                    distinct.setdefault(g.entity, set()).add(g.fingerprint)
            for v in f.violations:
                if v.state != "false_positive":
                    by_rule[v.rule] += 1
                    by_clause[(v.rule, v.clause)] += 1
        persons = max((len(s) for s in distinct.values()), default=0)
        return {
            "files_with_pd": sum(1 for f in files if any(g.state != "false_positive" for g in f.findings)),
            "persons": max(persons, 1 if files else 0),
            "findings": n_findings,
            "violations": sum(by_rule.values()),
            "expired": by_rule.get("retention_expired", 0),
            "unread": len(self.unread),
            "by_entity_files": dict(by_entity_files.most_common()),
            "by_entity_values": dict(by_entity_values.most_common()),
            "by_folder": dict(by_folder.most_common()),
            "by_rule": dict(by_rule.most_common()),
            "by_clause": [
                {"rule": r, "clause": c, "count": n} for (r, c), n in sorted(by_clause.items(), key=_by_count)
            ],
            "by_state": {s: by_state.get(s, 0) for s in STATES},
        }

    def to_dict(self) -> dict:
        """The JSON form (``pdscan report --format json``)."""
        return {
            "generated_at": self.generated_at,
            "db": self.db_path,
            "as_of": self.as_of,
            "policy": self.policy,
            "scan": self.scan,
            "summary": self.summary(),
            "trend": self.trend,
            "files": [file_dict(f) for f in self.files],
            "unread": [{"path": p, "error": e} for p, e in self.unread],
        }


def _by_count(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
    (rule, clause), n = item
    return (-n, rule, clause)


def file_dict(f: RFile) -> dict:
    return {
        "path": f.path,
        "folder": f.folder,
        "owner": f.owner,
        "group": f.group,
        "mode": f"{f.mode & 0o7777:04o}" if f.mode else None,
        "size": f.size,
        "modified": f.modified,
        "last_read_at": f.last_read_at,
        "content_type": f.content_type,
        "persons": f.persons,
        "state": f.state,
        "reason": f.reason,
        "retention_rule": f.retention_rule,
        "retention_clause": f.retention_clause,
        "deadline": f.deadline,
        "entities": f.entities,
        "findings": [
            {
                "entity": g.entity,
                "masked": g.masked,
                "count": g.count,
                "location": g.location,
                **({"member": g.member} if g.member else {}),
                "fingerprint": g.fingerprint,
                "state": g.state,
                **({"reason": g.reason} if g.reason else {}),
            }
            for g in f.findings
        ],
        "violations": [
            {
                "rule": v.rule,
                "clause": v.clause,
                "deadline": v.deadline,
                "details": v.details,
                "state": v.state,
                **({"reason": v.reason} if v.reason else {}),
            }
            for v in f.violations
        ],
        "errors": f.errors,
    }


# ---- loading ----------------------------------------------------------------------------------


def _folder(rel: str) -> str:
    parts = rel.replace(os.sep, "/").split("/")
    return parts[0] if len(parts) > 1 and parts[0] else ROOT_FOLDER


def _local_date(mtime: float) -> str:
    return dt.date.fromtimestamp(mtime).isoformat() if mtime else ""


class _Marks:
    """Triage marks by (path, target); path '*' marks a value everywhere."""

    def __init__(self, store: Store):
        self.marks = {
            (r["path"], r["target"]): (r["state"], r["reason"])
            for r in store.conn.execute("SELECT path, target, state, reason FROM triage")
        }

    def get(self, path: str, target: str) -> tuple[str, str] | None:
        return self.marks.get((path, target)) or self.marks.get(("*", target))


def _file_state(f: RFile, whole: tuple[str, str] | None) -> tuple[str, str]:
    """A file mark wins; else open while any item is unmarked; else the weakest mark."""
    if whole:
        return whole
    items = [*f.findings, *f.violations]
    if not items or any(i.state == OPEN for i in items):
        return OPEN, ""
    for s in ("remediated", "accepted", "false_positive"):
        if any(i.state == s for i in items):
            return s, ""
    return OPEN, ""


def load_report(store: Store, policy=None, as_of: dt.date | None = None) -> ReportData:
    """Everything the report shows, in three queries (files, findings, violations)."""
    from pdscan.model import FileRef
    from pdscan.policy import ref_paths

    c = store.conn
    marks = _Marks(store)
    files: dict[int, RFile] = {}
    for r in c.execute(
        "SELECT id, path, root, rel, owner, grp, mode, size, mtime, last_read_at, content_type, persons "
        "FROM files WHERE gone=0 AND has_pd=1 ORDER BY path"
    ):
        files[r["id"]] = RFile(
            path=r["path"],
            root=r["root"],
            rel=r["rel"],
            folder=_folder(r["rel"]),
            owner=r["owner"] or "",
            group=r["grp"] or "",
            mode=r["mode"],
            size=r["size"],
            mtime=r["mtime"],
            modified=_local_date(r["mtime"]),
            last_read_at=r["last_read_at"] or "",
            content_type=r["content_type"] or "",
            persons=r["persons"],
        )
    for r in c.execute(
        "SELECT file_id, member, entity, fingerprint, masked, count, location FROM findings "
        "ORDER BY file_id, member, entity, id"
    ):
        f = files.get(r["file_id"])
        if f is None:
            continue
        mark = marks.get(f.path, r["fingerprint"])
        f.findings.append(
            RFinding(
                entity=r["entity"],
                masked=r["masked"],
                count=r["count"],
                location=r["location"],
                member=r["member"],
                fingerprint=r["fingerprint"],
                state=mark[0] if mark else OPEN,
                reason=mark[1] if mark else "",
            )
        )
    for r in c.execute(
        "SELECT file_id, rule, clause, deadline, details FROM violations ORDER BY file_id, id"
    ):
        f = files.get(r["file_id"])
        if f is None:
            continue
        details = json.loads(r["details"] or "{}")
        mark = marks.get(f.path, f"rule:{r['rule']}")
        f.violations.append(
            RViolation(
                rule=r["rule"],
                clause=r["clause"],
                deadline=r["deadline"],
                details=details,
                state=mark[0] if mark else OPEN,
                reason=mark[1] if mark else "",
            )
        )
        if r["rule"] in RETENTION_RULES:
            f.retention_rule = details.get("rule_name", "")
            f.retention_clause = r["clause"]
            f.deadline = r["deadline"] or ""
    for r in c.execute(
        "SELECT e.file_id, e.message FROM errors e JOIN files f ON f.id = e.file_id "
        "WHERE f.gone=0 AND f.has_pd=1 ORDER BY e.id"
    ):
        files[r["file_id"]].errors.append(r["message"])
    for f in files.values():
        if policy is not None and not f.deadline and f.mtime:
            ref = FileRef(path=f.path, root=f.root, rel=f.rel, size=f.size, mtime=f.mtime)
            rule = policy.retention_rule(*ref_paths(ref))
            if rule is not None:
                f.retention_rule = rule.name
                f.retention_clause = rule.clause
                f.deadline = rule.deadline(f.mtime).isoformat()
        f.state, f.reason = _file_state(f, marks.marks.get((f.path, "*")))
    unread = [
        (r["path"], r["message"])
        for r in c.execute(
            "SELECT f.path, min(e.message) AS message FROM errors e JOIN files f ON f.id = e.file_id "
            "WHERE f.gone=0 AND f.has_pd=0 GROUP BY f.id ORDER BY f.path"
        )
    ]
    scan = store.scan()
    return ReportData(
        generated_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        db_path=str(store.path),
        as_of=(as_of or _scan_as_of(scan) or dt.date.today()).isoformat(),
        scan=_scan_dict(scan) if scan is not None else None,
        files=list(files.values()),
        unread=unread,
        trend=trend(store),
        policy=getattr(policy, "source", "") or "",
    )


def _scan_as_of(scan) -> dt.date | None:
    if scan is None or not scan["as_of"]:
        return None
    return dt.date.fromisoformat(scan["as_of"][:10])


def _scan_dict(scan) -> dict:
    return {
        "id": scan["id"],
        "started_at": scan["started_at"],
        "finished_at": scan["finished_at"],
        "status": scan["status"],
        "roots": json.loads(scan["roots"] or "[]"),
        "as_of": scan["as_of"],
    }


def trend(store: Store, limit: int = TREND_SCANS) -> list[dict]:
    """Recent finished scans, oldest first: files with PD, violations, new and resolved items."""
    out = []
    for s in reversed(
        store.conn.execute(
            "SELECT * FROM scans WHERE status='complete' AND kind='scan' ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
    ):
        summary = json.loads(s["summary"] or "{}")
        out.append(
            {
                "scan": s["id"],
                "date": s["started_at"],
                "files_with_pd": summary.get("files_with_pd", 0),
                "violations": sum((summary.get("violations_by_rule") or {}).values()),
                # A first scan has no baseline: everything is "new", which says nothing.
                "new": s["new_count"] if s["baseline_id"] else None,
                "resolved": s["resolved_count"],
            }
        )
    return out


def entity_label(entity: str) -> str:
    return entity_name(entity)


def rule_label(rule: str) -> str:
    return rule_name(rule)
