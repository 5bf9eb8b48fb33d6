"""DATE_OF_BIRTH: a date that its context marks as a birth date; other dates are not personal data.

Cues: "дата рождения", "д.р.", "родился/родилась", "рожд." before the date (with no other
date or "выдан / от ..." between), "г.р." / "года рождения" after it, or a table column whose
header (``Chunk.context``, cells joined by tabs) says "Дата рождения". Normalized to ISO
YYYY-MM-DD (a bare year before "г.р." to YYYY); masked as "**.**.1985".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pdscan.model import Chunk, Detection
from recognizers.finder_recognizer import FinderRecognizer

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
# One lone digit first: the regex engine then skips to digits fast. Empty named groups mark
# which form matched (num: 12.03.1985, iso: 1985-03-12, yr: 1985 г.р., txt: 12 марта 1985).
_DATE_RE = re.compile(
    r"\d(?:"
    r"(?P<num>)\d?[./-]\d{1,2}[./-]\d\d(?:\d\d)?"
    r"|(?P<iso>)\d\d\d-\d\d-\d\d"
    r"|(?P<yr>)\d\d\d(?=[ \u00a0]*(?:г\.?[ \u00a0]?р\.|года?[ \u00a0]+рождения|г\.[ \u00a0]?рожд))"
    rf"|(?P<txt>)\d?»?[ \u00a0]+{_MONTH_WORD}[ \u00a0]+\d{{4}}(?:[ \u00a0]*(?:г\.|года?))?"
    r")(?!\d)"
)
_SPLIT_RE = re.compile(r"[./-]")
_TXT_RE = re.compile(r"(\d{1,2})»?[ \u00a0]+([а-я]+)[ \u00a0]+(\d{4})")
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


def _to_date(m: re.Match, today: dt.date) -> tuple[str, str] | None:
    """(normalized, kind) of a date match, or None when it is not a valid past date."""
    raw = m.group()
    if m.group("yr") is not None:
        y = int(raw)
        return (str(y), "year") if 1900 <= y <= today.year else None
    if m.group("num") is not None:
        ds, ms, ys = _SPLIT_RE.split(raw)
        d, mo, y = int(ds), int(ms), int(ys)
        if len(ys) == 2:
            y += 1900 if y > today.year % 100 else 2000
    elif m.group("iso") is not None:
        ys, ms, ds = raw.split("-")
        y, mo, d = int(ys), int(ms), int(ds)
    else:
        t = _TXT_RE.match(raw)
        if t is None:
            return None
        d, y = int(t.group(1)), int(t.group(3))
        mo = next(v for k, v in _MONTHS.items() if t.group(2).startswith(k))
    try:
        date = dt.date(y, mo, d)
    except ValueError:
        return None
    if not (1900 <= y and date <= today):
        return None
    return date.isoformat(), "date"


@lru_cache(maxsize=1024)
def _header_cells(context: str) -> tuple[bool, ...]:
    """Which cells of a table header name a birth date (cached: the rows of a table share it)."""
    return tuple(bool(_HDR_RE.search(h)) for h in context.split("\t")) if context else ()


def _dates(text: str):
    """(match, start) of date-like strings not glued to other digits ("112.03.1985")."""
    for m in _DATE_RE.finditer(text):
        s = m.start()
        if s > 0:
            prev = text[s - 1]
            if prev.isdigit() or prev in "./-":
                continue
            if prev == "«":
                s -= 1
        yield m, s


# Substrings one of which every birth-date cue contains; str.find is ~50x cheaper than a scan
# for dates, and most text has no birth date at all.
_CUE_LITERALS = (
    "рожд",
    "Рожд",
    "РОЖД",
    "родил",
    "Родил",
    "РОДИЛ",
    "р.",
    "Р.",
    "д/р",
    "Д/Р",
    "birth",
    "Birth",
    "BIRTH",
    "DOB",
    "dob",
    "born",
)


_HEADER_LINE_RE = re.compile(
    r"^[^\n]*(?:дата[ \u00a0]+рождения|date of birth)[^\n]*$", re.IGNORECASE | re.MULTILINE
)
_MIN_AGE = 14  # a birth date under a bare column header: old enough to hold a passport


# Letters the case-blind regex takes for "д" / "i" although str.lower() keeps them apart.
_ODD_FOLDS = ("\u1c81", "\u0131", "\u0130")


def _may_hold_header_line(text: str) -> bool:
    """False when no line can match _HEADER_LINE_RE: the regex scans every line start (slow on
    megabytes of prose); one lower() and two substring tests rule it out first."""
    if any(c in text for c in _ODD_FOLDS):
        return True
    low = text.lower()
    return "ждени" in low or "date of birth" in low


def _header_line_end(text: str) -> int:
    """End of a table header line that names a birth-date column and holds no date itself; -1 if none."""
    if not _may_hold_header_line(text):
        return -1
    for m in _HEADER_LINE_RE.finditer(text):
        if not any(True for _ in _dates(m.group())):
            return m.end()
    return -1


# Every _CUE_BEFORE match holds one of these in lower case: a substring test is ~10x cheaper than
# the case-blind regex on the 60 characters before each date.
_CUE_HINTS = ("р.", "рожд", "родил", "д/р", "birth", "dob", "born")
# Letters the case-blind regex equates with "о", "д", "i" although str.lower() keeps them apart.
_CUE_ODD = ("\u1c81", "\u1c82", "\u0131", "\u0130")


def _may_hold_cue(gap: str) -> bool:
    """False when _CUE_BEFORE cannot match in ``gap``."""
    low = gap.lower()
    return any(h in low for h in _CUE_HINTS) or any(c in gap for c in _CUE_ODD)


def _has_cue(text: str) -> bool:
    return any(c in text for c in _CUE_LITERALS)


def find(text: str, context: str = "") -> list[Detection]:
    """Birth dates in text; ``context`` is a table header (cells joined by tabs) when the text is a row."""
    out: list[Detection] = []
    hdr = _header_cells(context) if "\t" in text else ()
    if not any(hdr) and not _has_cue(text):
        return out
    prev_end = 0
    today = dt.date.today()
    header_end = _header_line_end(text) if not hdr else -1
    for m, start in _dates(text):
        end = m.end()
        gap_start = max(prev_end, start - _WINDOW)
        while gap_start > prev_end and text[gap_start - 1].isalnum():
            gap_start -= 1  # never cut a word in two: "АЛЕКСАНДР" must not read as "ДР"
        prev_end = end
        # The cues first, the calendar after: most dates in a text are no one's birth date.
        birth = m.group("yr") is not None  # the look-ahead already demanded "г.р."
        if not birth and hdr:
            col = text.count("\t", 0, start)
            birth = col < len(hdr) and hdr[col]
        if not birth:
            birth = bool(_CUE_AFTER.match(text, end, min(len(text), end + 25)))
        if not birth:
            gap = text[gap_start:start]
            if _may_hold_cue(gap):
                cues = list(_CUE_BEFORE.finditer(gap))
                birth = bool(cues) and not _NEGATIVE_AFTER_CUE.search(gap, cues[-1].end())
        if not birth and not 0 <= header_end < start:
            continue
        parsed = _to_date(m, today)
        if parsed is None:
            continue
        norm, kind = parsed
        score = SCORE if kind == "date" else SCORE_YEAR
        if not birth and 0 <= header_end < start and int(norm[:4]) <= today.year - _MIN_AGE:
            # Rows under a "Дата рождения" column header that lost its cells (PDF, plain text).
            birth = not _NEGATIVE_AFTER_CUE.search(text, max(header_end, start - 25), start)
            score = SCORE_YEAR
        if birth:
            out.append(Detection(ENTITY, start, end, norm, score))
    return out


def mask(normalized: str) -> str:
    """Keep the year: "1985-03-12" -> "**.**.1985"."""
    return f"**.**.{normalized[:4]}"


def detect_chunk(chunk: Chunk) -> list[Detection]:
    """The detector hook: DATE_OF_BIRTH detections of one chunk."""
    return find(chunk.text, chunk.context)


class RuBirthDateRecognizer(FinderRecognizer):
    """DATE_OF_BIRTH for a stock Presidio AnalyzerEngine, language "ru"."""

    ENTITY = ENTITY
    EXPLANATION = "дата рождения по контексту"

    def find(self, text: str) -> list[Detection]:
        return find(text)

    def mask(self, normalized: str) -> str:
        return mask(normalized)
