"""DATE_OF_BIRTH: a date that its context marks as a birth date; other dates are not personal data.

Cues: "дата рождения", "д.р.", "родился/родилась", "рожд." before the date (with no other
date or "выдан / от ..." between), "г.р." / "года рождения" after it, or a table column whose
header (``Chunk.context``, cells joined by tabs) says "Дата рождения". Normalized to ISO
YYYY-MM-DD (a bare year before "г.р." to YYYY); masked as "**.**.1985".
"""

from __future__ import annotations

import datetime as dt
import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pdscan.model import Chunk, Detection

ENTITY = "DATE_OF_BIRTH"
SCORE = 0.85
SCORE_YEAR = 0.6

_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_WORD = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_DATE_RE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})"
    r"|(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})-(?P<id>\d{2})"
    rf"|«?(?P<td>\d{{1,2}})»?[ \u00a0]+(?P<tm>{_MONTH_WORD})[ \u00a0]+(?P<ty>\d{{4}})(?:[ \u00a0]*(?:г\.|года?))?"
    r"|(?P<yy>(?:19|20)\d{2})(?=[ \u00a0]*(?:г\.?[ \u00a0]?р\.|года?[ \u00a0]+рождения|г\.[ \u00a0]?рожд))"
    r")(?![\d])",
    re.IGNORECASE,
)
_CUE_BEFORE = re.compile(
    r"дат[аыуе][ \u00a0]+рожд|рожд[её]н|рождени|рожд\.|родил(?:ся|ась)|\bд\.[ \u00a0]?р\.|\bд/р\b|"
    r"date[ _]of[ _]birth|birth[ _]?date|\bdob\b|\bborn\b",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"[ \u00a0]*(?:г\.?[ \u00a0]?р\.|года?[ \u00a0]+рождения|г\.[ \u00a0]?рожд|\(дата рождения\))",
    re.IGNORECASE,
)
# Words after the cue that make the date another event's ("паспорт выдан 12.03.2005").
_NEGATIVE_AFTER_CUE = re.compile(
    r"выдан|выдач|\bот\b|заключ|составл|подпис|действ|регистрац|зарегистр|смерт|умер|поступ|принят|уволен|"
    r"\bс\b|\bпо\b|№|договор|паспорт|свидетельств",
    re.IGNORECASE,
)
_WINDOW = 60
_HDR_RE = re.compile(r"рожд|birth|\bд\.?[ \u00a0]?р\.?$|\bдр\b", re.IGNORECASE)


def _to_date(m: re.Match) -> tuple[str, str] | None:
    """(normalized, kind) of a date match, or None when it is not a valid past date."""
    g = m.groupdict()
    today = dt.date.today()
    if g["yy"]:
        y = int(g["yy"])
        return (str(y), "year") if 1900 <= y <= today.year else None
    if g["d"]:
        d, mo, ys = int(g["d"]), int(g["m"]), g["y"]
        y = int(ys)
        if len(ys) == 2:
            y += 1900 if y > today.year % 100 else 2000
    elif g["iy"]:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    else:
        d, y = int(g["td"]), int(g["ty"])
        word = g["tm"].lower()
        mo = next(v for k, v in _MONTHS.items() if word.startswith(k))
    try:
        date = dt.date(y, mo, d)
    except ValueError:
        return None
    if not (1900 <= y and date <= today):
        return None
    return date.isoformat(), "date"


def _header_cells(context: str) -> list[bool]:
    return [bool(_HDR_RE.search(h)) for h in context.split("\t")] if context else []


def find(text: str, context: str = "") -> list[Detection]:
    """Birth dates in text; ``context`` is a table header (cells joined by tabs) when the text is a row."""
    out: list[Detection] = []
    hdr = _header_cells(context) if "\t" in text else []
    prev_end = 0
    for m in _DATE_RE.finditer(text):
        parsed = _to_date(m)
        start, end = m.start(), m.end()
        gap_start = max(prev_end, start - _WINDOW)
        while gap_start > prev_end and text[gap_start - 1].isalnum():
            gap_start -= 1  # never cut a word in two: "АЛЕКСАНДР" must not read as "ДР"
        prev_end = end
        if parsed is None:
            continue
        norm, kind = parsed
        birth = kind == "year"  # the look-ahead already demanded "г.р."
        if not birth and hdr:
            col = text.count("\t", 0, start)
            birth = col < len(hdr) and hdr[col]
        if not birth:
            birth = bool(_CUE_AFTER.match(text, end, min(len(text), end + 25)))
        if not birth:
            gap = text[gap_start:start]
            cues = list(_CUE_BEFORE.finditer(gap))
            birth = bool(cues) and not _NEGATIVE_AFTER_CUE.search(gap, cues[-1].end())
        if birth:
            out.append(Detection(ENTITY, start, end, norm, SCORE if kind == "date" else SCORE_YEAR))
    return out


def mask(normalized: str) -> str:
    """Keep the year: "1985-03-12" -> "**.**.1985"."""
    return f"**.**.{normalized[:4]}"


def detect_chunk(chunk: Chunk) -> list[Detection]:
    """The detector hook: DATE_OF_BIRTH detections of one chunk."""
    return find(chunk.text, chunk.context)


class RuBirthDateRecognizer(EntityRecognizer):
    """DATE_OF_BIRTH for a stock Presidio AnalyzerEngine, language "ru"."""

    ENTITY = ENTITY

    def __init__(self, supported_language: str = "ru", **kwargs) -> None:
        kwargs.setdefault("supported_entities", [ENTITY])
        kwargs.setdefault("name", "RuBirthDateRecognizer")
        super().__init__(supported_language=supported_language, **kwargs)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        return [
            RecognizerResult(
                ENTITY,
                d.start,
                d.end,
                d.score,
                AnalysisExplanation(
                    type(self).__name__, d.score, textual_explanation="дата рождения по контексту"
                ),
            )
            for d in find(text)
        ]

    def normalize(self, text: str) -> str | None:
        found = find(text)
        return found[0].normalized if found else None

    def mask(self, normalized: str) -> str:
        return mask(normalized)
