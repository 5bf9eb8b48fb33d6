"""Triage: the officer's marks on findings, violations and whole files, and the baseline file.

A mark is keyed by (path, target): target is a value's fingerprint, ``*`` for the whole file or
``rule:<rule>`` for a violation; path ``*`` marks a value in every file. The store keeps the
marks across scans and does not count or log hidden items (false_positive, accepted) as new.
The baseline file is plain JSON, like gitleaks' baseline: export it from one store, import it
into another (the same fingerprint key must be in use, or fingerprints will not match).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from dataclasses import asdict, dataclass
from typing import IO

from pdscan.i18n import t
from pdscan.store import Store

STATES = ("false_positive", "accepted", "remediated")
BASELINE_FORMAT = "pdscan-baseline"
BASELINE_VERSION = 1
ALL_FILES = "*"


class TriageError(Exception):
    """A mark that cannot be set; str() is the message (Russian, or English with --lang en)."""


@dataclass
class Mark:
    path: str
    target: str
    state: str
    reason: str = ""
    actor: str = ""
    created_at: str = ""


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def resolve_path(store: Store, path: str) -> str:
    """The path as the store knows it: as given, or made absolute; '*' for every file."""
    if path == ALL_FILES:
        return path
    for candidate in (path, os.path.abspath(path)):
        if store.conn.execute("SELECT 1 FROM files WHERE path=?", (candidate,)).fetchone():
            return candidate
    raise TriageError(t("tri_not_in_db", path=path))


def resolve_fingerprint(store: Store, path: str, fp: str) -> str:
    """A full fingerprint from a full one or a unique prefix (8+ characters) found in that file."""
    fp = fp.strip().lower()
    if len(fp) < 8:
        raise TriageError(t("tri_fp_short"))
    sql = "SELECT DISTINCT g.fingerprint FROM findings g JOIN files f ON f.id = g.file_id WHERE g.fingerprint >= ? AND g.fingerprint < ?"
    args: list = [fp, fp + "g"]  # hex digits sort below "g": the range is the prefix
    if path != ALL_FILES:
        sql += " AND f.path = ?"
        args.append(path)
    found = [r[0] for r in store.conn.execute(sql, args)]
    if not found:
        where = t("tri_in_db") if path == ALL_FILES else t("tri_in_file", path=path)
        raise TriageError(t("tri_fp_not_found", fp=fp, where=where))
    if len(found) > 1:
        raise TriageError(t("tri_fp_ambiguous", fp=fp, n=len(found)))
    return found[0]


def mark(
    store: Store,
    path: str,
    state: str,
    reason: str = "",
    *,
    fingerprint: str | None = None,
    rule: str | None = None,
    whole_file: bool = False,
    actor: str | None = None,
) -> Mark:
    """Mark one finding (fingerprint), one violation (rule) or the whole file."""
    if state not in STATES:
        raise TriageError(t("tri_bad_state", state=state, allowed=", ".join(STATES)))
    reason = (reason or "").strip()
    if state == "accepted" and not reason:
        raise TriageError(t("tri_need_reason"))
    if sum((fingerprint is not None, rule is not None, whole_file)) != 1:
        raise TriageError(t("tri_one_of"))
    path = resolve_path(store, path)
    if fingerprint is not None:
        target = resolve_fingerprint(store, path, fingerprint)
    elif rule is not None:
        target = f"rule:{rule}"
    else:
        if path == ALL_FILES:
            raise TriageError(t("tri_file_star"))
        target = "*"
    m = Mark(path, target, state, reason, actor or _actor(), _now())
    store.set_triage(m.path, m.target, m.state, m.reason, m.actor)
    return m


def unmark(store: Store, path: str, target: str) -> bool:
    """Remove a mark; True when there was one."""
    cur = store.conn.execute("DELETE FROM triage WHERE path=? AND target=?", (path, target))
    return cur.rowcount > 0


def marks(store: Store) -> list[Mark]:
    return [
        Mark(r["path"], r["target"], r["state"], r["reason"], r["actor"], r["created_at"])
        for r in store.conn.execute(
            "SELECT path, target, state, reason, actor, created_at FROM triage ORDER BY path, target"
        )
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# ---- baseline ----------------------------------------------------------------------------------


def export_baseline(store: Store, stream: IO[str]) -> int:
    """Write every mark as a baseline JSON document; masked value and entity help a human read it."""
    described = {
        r[0]: (r[1], r[2])
        for r in store.conn.execute(
            "SELECT g.fingerprint, g.entity, g.masked FROM findings g JOIN triage t ON t.target = g.fingerprint"
        )
    }
    items = []
    for m in marks(store):
        item = asdict(m)
        if m.target in described:
            item["entity"], item["masked"] = described[m.target]
        items.append(item)
    doc = {
        "format": BASELINE_FORMAT,
        "version": BASELINE_VERSION,
        "created_at": _now(),
        "marks": items,
    }
    json.dump(doc, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return len(items)


def import_baseline(store: Store, path: str) -> int:
    """Add (or overwrite) the marks of a baseline file; returns how many were imported."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise TriageError(t("tri_read_fail", path=path, error=e.strerror or e)) from None
    except json.JSONDecodeError as e:
        raise TriageError(t("tri_not_json", path=path, line=e.lineno, error=e.msg)) from None
    if not isinstance(doc, dict) or doc.get("format") != BASELINE_FORMAT:
        raise TriageError(t("tri_not_baseline", path=path, fmt=BASELINE_FORMAT))
    if doc.get("version") != BASELINE_VERSION:
        raise TriageError(t("tri_bad_version", path=path, v=doc.get("version")))
    items = doc.get("marks")
    if not isinstance(items, list):
        raise TriageError(t("tri_no_marks_key", path=path))
    parsed: list[Mark] = []
    for i, it in enumerate(items, 1):
        if not isinstance(it, dict) or not all(
            isinstance(it.get(k), str) for k in ("path", "target", "state")
        ):
            raise TriageError(t("tri_entry_fields", path=path, i=i))
        if it["state"] not in STATES:
            raise TriageError(t("tri_entry_state", path=path, i=i, state=it["state"]))
        if it["state"] == "accepted" and not str(it.get("reason", "")).strip():
            raise TriageError(t("tri_entry_reason", path=path, i=i))
        parsed.append(
            Mark(it["path"], it["target"], it["state"], str(it.get("reason", "")), str(it.get("actor", "")))
        )
    # All or nothing: a bad entry above leaves the store untouched; here one transaction.
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        for m in parsed:
            store.set_triage(m.path, m.target, m.state, m.reason, m.actor or _actor())
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    return len(parsed)
