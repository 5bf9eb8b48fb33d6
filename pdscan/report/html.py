"""The HTML report: one self-contained file (styles, script and data inline; no network at all).

The data go in as compact JSON inside a ``<script type="application/json">``; the page's own
script draws the charts as inline SVG and the file table with virtual scrolling, so 50,000
findings open in well under the 3 s the issue asks for. A strict Content-Security-Policy meta
forbids any request the page might try (no fetch, no external images, fonts or scripts).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import IO

from pdscan.i18n import ENTITY_NAMES, RULE_NAMES
from pdscan.report.data import STATE_NAMES, STATES, ReportData, RViolation

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
_READER_KINDS = {
    "owner": "владелец",
    "group": "группа",
    "other": "все остальные",
    "acl_user": "ACL пользователь",
    "acl_group": "ACL группа",
    "sid": "SID",
}


def _asset(name: str) -> str:
    return resources.files("pdscan.report").joinpath(name).read_text(encoding="utf-8")


def violation_text(v: RViolation) -> str:
    """A one-line Russian explanation of a violation (no personal data: paths, names of accounts)."""
    d = v.details or {}
    if v.rule in ("retention_expired", "expires_soon"):
        s = f"срок хранения до {_ru_date(d.get('deadline') or v.deadline or '')}"
        if d.get("rule_name"):
            s += f" — {d['rule_name']}"
        if v.rule == "expires_soon" and "days_left" in d:
            s += f"; осталось дней: {d['days_left']}"
        return s
    if v.rule == "excessive_access":
        readers = ", ".join(
            f"{_READER_KINDS.get(r.get('kind', ''), r.get('kind', ''))} {r.get('name', '')} {r.get('rights', '')}".strip()
            for r in d.get("readers", [])
        )
        s = f"могут читать: {readers}" if readers else "избыточный доступ"
        if d.get("mode"):
            s += f"; права {d['mode']}"
        return s
    if v.rule == "outside_authorized":
        return "файл вне разрешённых мест хранения ПДн"
    return json.dumps(d, ensure_ascii=False)


def _ru_date(iso: str) -> str:
    if len(iso) >= 10 and iso[4] == "-":
        return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}"
    return iso


def compact(data: ReportData) -> dict:
    """The page's data: lookup tables plus the files as columns."""
    entities = sorted({g.entity for f in data.files for g in f.findings} | set(ENTITY_NAMES))
    ent_ix = {e: i for i, e in enumerate(entities)}
    rules = sorted({v.rule for f in data.files for v in f.violations} | set(RULE_NAMES))
    rule_ix = {r: i for i, r in enumerate(rules)}
    state_ix = {s: i for i, s in enumerate(STATES)}

    types: dict[str, int] = {}
    roots: dict[str, int] = {}
    # Column-wise: one JSON array per field parses much faster than 50,000 small objects, and
    # the field names are written once. The folder and the relative path are derived from the
    # root by the page (the same rule as data._folder); "r" is filled only when that fails.
    cols: dict[str, list] = {k: [] for k in ("p", "ro", "r", "o", "g", "m", "s", "t", "l", "c", "n", "st",
                                              "rs", "rr", "rc", "dl", "e", "f", "v", "er")}  # fmt: skip
    for f in data.files:
        root = f.root.rstrip("/")
        rel = f.rel.replace("\\", "/")
        derived = f.path == f"{root}/{rel}"
        row = {
            "p": f.path,
            "ro": roots.setdefault(root, len(roots)),
            "r": "" if derived else rel,
            "o": f.owner,
            "g": f.group,
            "m": f"{f.mode & 0o7777:04o}" if f.mode else "",
            "s": f.size,
            "t": f.modified,
            "l": f.last_read_at[:10],
            "c": types.setdefault(f.content_type, len(types)),
            "n": f.persons,
            "st": state_ix.get(f.state, 0),
            "rs": f.reason,
            "rr": f.retention_rule,
            "rc": f.retention_clause,
            "dl": f.deadline,
            "e": [ent_ix[e] for e in f.entities],
            "f": [
                _trim(
                    [
                        ent_ix[g.entity],
                        g.masked,
                        g.count,
                        g.location,
                        g.member,
                        state_ix.get(g.state, 0),
                        g.reason,
                    ]
                )
                for g in f.findings
            ],
            "v": [
                [rule_ix[v.rule], v.clause, v.deadline or "", violation_text(v), state_ix.get(v.state, 0)]
                for v in f.violations
            ],
            "er": f.errors,
        }
        for k, v in row.items():
            cols[k].append(v)
    # A column that is empty everywhere is left out (the page reads it as empty).
    cols = {k: v for k, v in cols.items() if any(v)}

    return {
        "types": list(types),
        "roots": list(roots),
        "n": len(data.files),
        "meta": {
            "generated_at": data.generated_at,
            "db": data.db_path,
            "as_of": data.as_of,
            "policy": data.policy,
            "scan": data.scan,
        },
        "entities": [[e, _pick(ENTITY_NAMES, e)] for e in entities],
        "rules": [[r, _pick(RULE_NAMES, r)] for r in rules],
        "states": [[s, STATE_NAMES[s]] for s in STATES],
        "summary": data.summary(),
        "trend": data.trend,
        "files": cols,
        "unread": [[p, e] for p, e in data.unread],
    }


def _trim(row: list) -> list:
    """Drop trailing defaults of a finding row (no member, open, no reason)."""
    while len(row) > 4 and row[-1] in ("", 0):
        row.pop()
    return row


def _pick(table: dict, key: str) -> str:
    pair = table.get(key)
    return pair[0] if pair else key


def _json_for_script(obj) -> str:
    # Inside <script> nothing may close the element or open a comment: escape <, > and &.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: ReportData) -> str:
    page = _asset("template.html")
    # Data last: a path could contain the other placeholders' text.
    return (
        page.replace("%%CSP%%", CSP)
        .replace("/*%%CSS%%*/", _asset("report.css"))
        .replace("/*%%JS%%*/", _asset("report.js"))
        .replace("%%DATA%%", _json_for_script(compact(data)))
    )


def write_html(data: ReportData, stream: IO[str]) -> None:
    stream.write(render_html(data))
