"""The HTML report: one self-contained file (styles, script and data inline; no network at all).

The data go in as compact JSON inside a ``<script type="application/json">``; the page's own
script draws the charts as inline SVG and the file table with virtual scrolling, so 50,000
findings open in well under the 3 s the issue asks for. A strict Content-Security-Policy meta
forbids any request the page might try (no fetch, no external images, fonts or scripts).

Russian by default, English with ``language="en"`` (``--lang en``): the page's words come from
``i18n.REPORT_WORDS``, filled into the template (``%%t:key%%``) and passed to the script (``D.ui``).
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import IO

from pdscan.i18n import (
    ENTITY_NAMES,
    READER_KINDS,
    RULE_NAMES,
    STATE_NAMES,
    entity_name,
    lang,
    pick,
    report_words,
    rule_name,
)
from pdscan.report.data import ROOT_FOLDER, STATES, ReportData, RViolation

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
_WORD = re.compile(r"%%t:(\w+)%%")


def _asset(name: str) -> str:
    return resources.files("pdscan.report").joinpath(name).read_text(encoding="utf-8")


def violation_text(v: RViolation, language: str | None = None) -> str:
    """A one-line explanation of a violation (no personal data: paths, names of accounts)."""
    w = _words(language or lang())
    d = v.details or {}
    if v.rule in ("retention_expired", "expires_soon"):
        s = w["v_retention"].format(date=_ru_date(d.get("deadline") or v.deadline or ""))
        if d.get("rule_name"):
            s += f" — {d['rule_name']}"
        if v.rule == "expires_soon" and "days_left" in d:
            s += w["v_days_left"].format(n=d["days_left"])
        return s
    if v.rule == "excessive_access":
        readers = ", ".join(
            f"{_reader_kind(r.get('kind', ''), language)} {r.get('name', '')} {r.get('rights', '')}".strip()
            for r in d.get("readers", [])
        )
        s = w["v_readers"].format(readers=readers) if readers else w["v_access"]
        if d.get("mode"):
            s += w["v_mode"].format(mode=d["mode"])
        return s
    if v.rule == "outside_authorized":
        return w["v_outside"]
    return json.dumps(d, ensure_ascii=False)


@functools.lru_cache(maxsize=4)
def _words(language: str) -> dict[str, str]:
    return report_words(language)  # once per language: violation_text runs for every violation


def _reader_kind(kind: str, language: str | None) -> str:
    return pick(READER_KINDS[kind], language) if kind in READER_KINDS else kind


def _ru_date(iso: str) -> str:
    if len(iso) >= 10 and iso[4] == "-":
        return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}"
    return iso


def folder_name(folder: str, language: str | None = None) -> str:
    """data.folder as the report shows it: the scan root's own files are "(корень)" / "(root)"."""
    return _words(language or lang())["root_folder"] if folder == ROOT_FOLDER else folder


def compact(data: ReportData, language: str | None = None) -> dict:
    """The page's data: lookup tables, the page's words, and the files as columns."""
    language = language or lang()
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
                [
                    rule_ix[v.rule],
                    v.clause,
                    v.deadline or "",
                    violation_text(v, language),
                    state_ix.get(v.state, 0),
                ]
                for v in f.violations
            ],
            "er": f.errors,
        }
        for k, v in row.items():
            cols[k].append(v)
    # A column that is empty everywhere is left out (the page reads it as empty).
    cols = {k: v for k, v in cols.items() if any(v)}

    summary = data.summary()
    summary["by_folder"] = {folder_name(d, language): n for d, n in summary["by_folder"].items()}
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
        "entities": [[e, entity_name(e, language)] for e in entities],
        "rules": [[r, rule_name(r, language)] for r in rules],
        "states": [[s, pick(STATE_NAMES[s], language)] for s in STATES],
        "summary": summary,
        "lang": language,
        "ui": report_words(language),
        "trend": data.trend,
        "files": cols,
        "unread": [[p, e] for p, e in data.unread],
    }


def _trim(row: list) -> list:
    """Drop trailing defaults of a finding row (no member, open, no reason)."""
    while len(row) > 4 and row[-1] in ("", 0):
        row.pop()
    return row


def _json_for_script(obj) -> str:
    # Inside <script> nothing may close the element or open a comment: escape <, > and &.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: ReportData, language: str | None = None) -> str:
    language = language or lang()
    words = report_words(language)
    # The page's fixed words first, from the same table the script reads (no " in them).
    page = _WORD.sub(lambda m: html.escape(words[m.group(1)], quote=False), _asset("template.html"))
    # Data last: a path could contain the other placeholders' text.
    return (
        page.replace("%%LANG%%", language)
        .replace("%%CSP%%", CSP)
        .replace("/*%%CSS%%*/", _asset("report.css"))
        .replace("/*%%JS%%*/", _asset("report.js"))
        .replace("%%DATA%%", _json_for_script(compact(data, language)))
    )


def write_html(data: ReportData, stream: IO[str], language: str | None = None) -> None:
    stream.write(render_html(data, language))
