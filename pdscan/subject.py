"""Subject requests (п. 5.1, 6.1.4, 7.1 of the Положение): every file holding one person's data.

The officer types the person's identifiers; each is normalised exactly as the detector does
(the same recognizer's ``normalize``), fingerprinted with the same key and looked up in the
store. Nothing is rescanned and the typed values are never written anywhere.

A full name (ФИО) matches exactly in its nominative form; the forms "Фамилия И.О." and
"Фамилия Имя" are searched too and reported as possible matches (namesakes share them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pdscan.fingerprint import fingerprint
from pdscan.i18n import SUBJECT_VALUES, entity_name, pick, t
from pdscan.store import Store

# option → (entity, recognizer class path); what a valid value looks like: i18n.SUBJECT_VALUES
IDENTIFIERS = {
    "snils": ("RU_SNILS", "recognizers.snils:RuSnilsRecognizer"),
    "passport": ("RU_PASSPORT", "recognizers.passport:RuPassportRecognizer"),
    "inn": ("RU_INN", "recognizers.inn:RuInnRecognizer"),
    "phone": ("PHONE_NUMBER", "recognizers.phone:RuPhoneRecognizer"),
    "email": ("EMAIL_ADDRESS", "recognizers.email:RuEmailRecognizer"),
}
OPTION_NAMES = {"snils": "--snils", "passport": "--passport", "inn": "--inn", "phone": "--phone",
                "email": "--email", "name": "--name"}  # fmt: skip


class SubjectError(Exception):
    """A value that cannot be searched for; the message never repeats the value."""


@dataclass(frozen=True)
class Query:
    entity: str
    fingerprint: str
    exact: bool  # False: a short name form that namesakes share
    option: str


@dataclass
class Hit:
    """One file and one entity of the person's data."""

    path: str
    entity: str
    owner: str
    modified: str
    exact: bool
    masked: list[str] = field(default_factory=list)
    count: int = 0
    locations: list[str] = field(default_factory=list)

    def record(self) -> dict:
        return {
            "path": self.path,
            "entity": self.entity,
            "entity_name": entity_name(self.entity),
            "match": "exact" if self.exact else "possible",
            "masked": self.masked,
            "count": self.count,
            "locations": self.locations,
            "owner": self.owner,
            "modified": self.modified,
        }


def _recognizer(spec: str):
    import importlib

    module, _, cls = spec.partition(":")
    return getattr(importlib.import_module(module), cls)()


def _name_queries(text: str, key: bytes | None) -> list[Query]:
    from recognizers.names import ENTITY, finder

    found = finder().find(text)
    if not found:
        raise SubjectError(t("subj_bad_name"))
    normalized = max(found, key=lambda d: len(d.normalized)).normalized
    out = [Query(ENTITY, fingerprint(ENTITY, normalized, key), True, "name")]
    words = normalized.split()
    if len(words) == 3 and "." not in normalized:
        surname, name, patronymic = (w.capitalize() for w in words)
        for variant in (f"{surname} {name[0]}.{patronymic[0]}.", f"{surname} {name}"):
            for d in finder().find(variant):
                if d.normalized != normalized:
                    out.append(Query(ENTITY, fingerprint(ENTITY, d.normalized, key), False, "name"))
    return list(dict.fromkeys(out))


def build_queries(values: dict[str, list[str]], key: bytes | None = None) -> list[Query]:
    """Fingerprints of the given identifiers ({"snils": [...], "name": [...], ...})."""
    out: list[Query] = []
    for option, items in values.items():
        for raw in items or ():
            if option == "name":
                out.extend(_name_queries(raw, key))
                continue
            entity, spec = IDENTIFIERS[option]
            normalized = _recognizer(spec).normalize(raw)
            if normalized is None:
                raise SubjectError(
                    t("subj_invalid", option=OPTION_NAMES[option], what=pick(SUBJECT_VALUES[option]))
                )
            out.append(Query(entity, fingerprint(entity, normalized, key), True, option))
    if not out:
        raise SubjectError(t("subj_none"))
    return out


def search(store: Store, queries: list[Query]) -> list[Hit]:
    """Files (not gone) holding any of the fingerprints: one Hit per file and entity."""
    by_fp = {q.fingerprint: q for q in queries}
    hits: dict[tuple[str, str], Hit] = {}
    for r in store.files_by_fingerprint(list(by_fp)):
        q = by_fp[r["fingerprint"]]
        key = (r["path"], r["entity"])
        h = hits.get(key)
        if h is None:
            modified = dt.date.fromtimestamp(r["mtime"]).isoformat() if r["mtime"] else ""
            h = hits[key] = Hit(r["path"], r["entity"], r["owner"] or "", modified, q.exact)
        h.exact = h.exact or q.exact
        if r["masked"] not in h.masked:
            h.masked.append(r["masked"])
        h.count += r["count"]
        where = f"{r['member']}: {r['location']}" if r["member"] else r["location"]
        if where not in h.locations:
            h.locations.append(where)
    return sorted(hits.values(), key=lambda h: (h.path, not h.exact, h.entity))


def render_table(hits: list[Hit]) -> str:
    if not hits:
        return t("subj_not_found") + "\n"
    files = sorted({h.path for h in hits})
    lines = [t("subj_files", n=len(files))]
    current = None
    for h in hits:
        if h.path != current:
            current = h.path
            lines.append("")
            lines.append(t("subj_file", path=h.path, owner=h.owner or "—", modified=h.modified or "—"))
        mark = "" if h.exact else t("subj_possible")
        times = f" ×{h.count}" if h.count > 1 else ""
        lines.append(
            f"  {entity_name(h.entity):<26} {', '.join(h.masked):<24}{times:<6} {'; '.join(h.locations[:5])}{mark}"
        )
    return "\n".join(lines) + "\n"
