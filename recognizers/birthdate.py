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


def _dates(text: str, pos: int = 0):
    """(match, start) of date-like strings not glued to other digits ("112.03.1985"), from ``pos``."""
    for m in _DATE_RE.finditer(text, pos):
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
_CUE_LITERAL_SET = frozenset(_CUE_LITERALS)


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


def _judge(
    text: str, m: re.Match, start: int, gap_start: int, hdr: tuple[bool, ...], header_end: int, today: dt.date
) -> Detection | None:
    """The birth date that the date match ``m`` (at ``start``) is, or None; ``gap_start`` is where
    the text it may take a cue from begins."""
    end = m.end()
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
        return None
    parsed = _to_date(m, today)
    if parsed is None:
        return None
    norm, kind = parsed
    score = SCORE if kind == "date" else SCORE_YEAR
    if not birth and 0 <= header_end < start and int(norm[:4]) <= today.year - _MIN_AGE:
        # Rows under a "Дата рождения" column header that lost its cells (PDF, plain text).
        birth = not _NEGATIVE_AFTER_CUE.search(text, max(header_end, start - 25), start)
        score = SCORE_YEAR
    return Detection(ENTITY, start, end, norm, score) if birth else None


def _gap_start(text: str, start: int, prev_end: int) -> int:
    """Where the text before a date that may hold its cue begins: _WINDOW characters back, not
    past the previous date, never cutting a word in two ("АЛЕКСАНДР" must not read as "ДР")."""
    gap_start = max(prev_end, start - _WINDOW)
    while gap_start > prev_end and text[gap_start - 1].isalnum():
        gap_start -= 1
    return gap_start


def _find_all(text: str, hdr: tuple[bool, ...], header_end: int, today: dt.date) -> list[Detection]:
    """Every date of the text judged in turn: for table rows and texts under a header line."""
    out: list[Detection] = []
    prev_end = 0
    for m, start in _dates(text):
        d = _judge(text, m, start, _gap_start(text, start, prev_end), hdr, header_end, today)
        prev_end = m.end()
        if d is not None:
            out.append(d)
    return out


# Letters and signs between the end of a year and an after-cue's "р."/"рожд" ("1985 года рождения").
_AFTER_PREFIX = frozenset(" \u00a0.года")
# Characters no date match holds (_DATE_RE takes only digits, letters, "./-»" and spaces): the
# scan of the whole text never runs across one, so a scan that starts right after one finds the
# same dates from there on as the scan of the whole text does.
_SYNC_CHARS = (",", "\n", ":", ";", "(", ")", "«", '"')
_DATE_CHARS = frozenset("./-»\u00a0 ")
_SYNC_REACH = 200
_SHORT = 2000  # characters: shorter text has every date judged (a dozen regex passes cost more)


def _sync_before(text: str, pos: int, floor: int) -> int:
    """A position in [floor, pos] that a scan for dates may start from: right after a character no
    date holds, or ``floor`` itself when there is none."""
    lo = max(floor, pos - _SYNC_REACH)
    q = max(text.rfind(c, lo, pos) for c in _SYNC_CHARS) + 1
    if q > lo:
        return q
    pos = lo  # none of the usual ones near: walk back over the text, one character at a time
    while pos > floor:
        c = text[pos - 1]
        if not c.isalnum() and c not in _DATE_CHARS:
            break
        pos -= 1
    return pos


# Every cue holds one of the _CUE_HINTS in some letter case. Each regex starts with a literal
# (the regex engine then skips to it fast, unlike a case-blind scan or text.lower()) and finds
# every place of its hint: (leading character, regex, hint start from the match start; 0: the
# match is the hint's first letter, the letters after it tell which hint).
_HINT_RES = (
    # р., рожд, родил: one regex per letter case of "р" (their length: 2, 4, 5)
    ("р", re.compile(r"р(?=\.|[оО](?:[жЖ][дД]|[дД][иИ][лЛ]))"), 0),
    ("Р", re.compile(r"Р(?=\.|[оО](?:[жЖ][дД]|[дД][иИ][лЛ]))"), 0),
    ("/", re.compile(r"/(?<=[дД]/)[рР]"), -1),  # д/р
)
# The Latin hints meet at "b": "dob", "birth", "born" (and "doborn" holds two).
_LATIN_HINT_RES = (
    ("b", re.compile(r"b(?:(?<=[dD][oO]b)|(?=[iI][rR][tT][hH]|[oO][rR][nN]))")),
    ("B", re.compile(r"B(?:(?<=[dD][oO]B)|(?=[iI][rR][tT][hH]|[oO][rR][nN]))")),
)


def _hints(text: str) -> list[tuple[int, int]]:
    """(start, end) of every hint, in any letter case: the places of ``text.lower()`` where one of
    _CUE_HINTS stands (the caller has ruled out _CUE_ODD, so lower() keeps every offset). Each
    regex runs only when its leading character is in the text (a test ~10x cheaper than a scan)."""
    out = []
    for lead, rx, back in _HINT_RES:
        if lead not in text:
            continue
        if back:
            out += [(m.start() + back, m.end()) for m in rx.finditer(text)]
            continue
        for m in rx.finditer(text):
            h = m.start()
            out.append((h, h + (2 if text[h + 1] == "." else 4 if text[h + 2] in "жЖ" else 5)))
    for lead, rx in _LATIN_HINT_RES:
        if lead not in text:
            continue
        for m in rx.finditer(text):
            b = m.start()
            if b >= 2 and text[b - 2 : b + 1].lower() == "dob":
                out.append((b - 2, b + 1))
            word = text[b : b + 5].lower()
            if word == "birth":
                out.append((b, b + 5))
            elif word[:4] == "born":
                out.append((b, b + 4))
    return out


def _cue_spans(text: str, hints: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged position ranges that hold the start of every date a cue before it may mark (the
    hint within _WINDOW characters, or across a word that reaches there) and the end of every
    date a cue after it may mark ("г.р." right after, "года рождения" within 25 characters)."""
    n = len(text)
    spans: list[tuple[int, int]] = []
    for h, he in hints:
        run = he
        while run < n and text[run].isalnum():
            run += 1
        # A before-cue inside [gap_start, start): start - _WINDOW lies before the hint or in the
        # word that holds it (the gap is widened to whole words).
        hi = run + _WINDOW
        # An after-cue at the date's end: within 25 characters, or past spaces and "г."/"года".
        lo = h
        while lo > 0 and text[lo - 1] in _AFTER_PREFIX:
            lo -= 1
        spans.append((min(lo, he - 25), hi))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _find_near_cues(text: str, hints: list[tuple[int, int]], today: dt.date) -> list[Detection]:
    """The same detections as _find_all with no table header, but the date regex runs only near
    cue words (most of a long text is far from any). Exact: a scan starts at a position the
    whole-text scan also starts a match attempt from (_sync_before), at least _WINDOW characters
    before the first date it judges, so the gap and the previous date's end come out the same."""
    out: list[Detection] = []
    done = -1  # start of the last date judged
    frontier = 0  # the current scan has found every date that starts before this
    it = None
    pending: tuple[re.Match, int] | None = None
    scan_from = 0
    prev_end = 0
    for lo, hi in _cue_spans(text, hints):
        # Dates that may be judged start at lo - (their length) at the earliest; a scan from a sync
        # point finds every date that ends after it.
        q = _sync_before(text, max(0, lo - _WINDOW - 1), frontier if it is not None else 0)
        if it is None or q > frontier:
            it, pending, scan_from, prev_end = _dates(text, q), None, q, 0
        while True:
            if pending is None:
                pending = next(it, None)
                if pending is None:
                    frontier = len(text) + 1
                    break
            m, start = pending
            if start > hi:
                frontier = start
                break
            pending = None
            frontier = m.end()
            if m.end() >= lo and start > done:
                if scan_from > 0 and start - _WINDOW < scan_from:
                    # A long date right at the scan's start: judge it from an earlier sync point.
                    q = _sync_before(text, max(0, start - _WINDOW - 1), 0)
                    it, scan_from, prev_end = _dates(text, q), q, 0
                    continue
                done = start
                d = _judge(text, m, start, _gap_start(text, start, prev_end), (), -1, today)
                if d is not None:
                    out.append(d)
            prev_end = m.end()
        if pending is None and frontier > len(text):
            break
    return out


def find(text: str, context: str = "") -> list[Detection]:
    """Birth dates in text; ``context`` is a table header (cells joined by tabs) when the text is a row."""
    hdr = _header_cells(context) if "\t" in text else ()
    if any(hdr):
        return _find_all(text, hdr, -1, dt.date.today())
    if len(text) <= _SHORT or any(c in text for c in _CUE_ODD):
        if not _has_cue(text):
            return []
        return _find_all(text, hdr, _header_line_end(text) if not hdr else -1, dt.date.today())
    hints = _hints(text)
    if not any(text[h:e] in _CUE_LITERAL_SET for h, e in hints):
        return []  # the same test as _has_cue: each literal is one hint in one letter case
    today = dt.date.today()
    # A header line holds "дата рождения" or "date of birth", so a "рожд" or "birth" hint.
    if not hdr and any(text[h:e].lower() in ("рожд", "birth") for h, e in hints):
        header_end = _header_line_end(text)
        if header_end >= 0:
            return _find_all(text, hdr, header_end, today)
    return _find_near_cues(text, hints, today)


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
