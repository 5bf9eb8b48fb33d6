"""The fast detection path: text chunks → aggregated, fingerprinted, masked Findings.

Presidio's AnalyzerEngine runs at ≈0.03 MB/s on Russian text, so the scan path does not run it.
It uses the same recognizer classes (``recognizers/``) piece by piece:

1. a cheap prefilter: one regex pass finds *number tokens* (digits joined by the separators
   identifiers use: spaces, tabs, "-", "()", "№", "номер", two series letters) and ``str.find``
   finds every "@"; a token with fewer digits than the smallest ``MIN_DIGITS`` stops here
   (dates, sums, house numbers), so do runs longer than 19 digits (accounts), cadastral numbers,
   and bare runs that only context-needing patterns could take (invoice, waybill numbers: a
   (length, first digit) table built from the patterns) when none of those recognizers' context
   stems occurs near the token;
2. the patterns of all recognizers, combined into one regex of optional look-aheads (one named
   group per pattern, so overlapping shapes — phone and СНИЛС, card and ОМС — all show up), are
   tried once at each digit-run start of a token (and at its "+", "(" or series letters); a shape
   whose pattern needs context goes on only if a stem of its recognizer occurs in the window;
3. ``normalize`` (the checksum / numbering plan) decides whether the match is a value;
4. context on a window around the hit (``CONTEXT_WINDOW`` before, half of it after) and the
   column header of a table row (``Chunk.context``): context words and ``NEGATIVE_CONTEXT`` are
   lower-case stems matched at word starts; the *nearest* label before the hit wins, so
   "ИНН 2536…, паспорт 0506 123456" is a passport and "паспорт …, счёт 0506 123456" is not;
   ``REQUIRES_CONTEXT`` drops a hit without a context word; ``ORG_SENSITIVE`` hits (phone,
   e-mail) are dropped near an organisation's requisites (КПП, ОГРН, БИК, р/с, ООО…) unless a
   personal marker (паспорт, СНИЛС, ФИО, дата рождения, работник…) stands nearer;
5. score = pattern score (+ ``CONTEXT_BOOST`` with context); overlapping hits of different
   entities keep the best (score, then ``PRIORITY``); a hit is reported from ``SCORE_THRESHOLD``.

Extra detectors (names, birth dates, addresses) plug in as plain callables
``Callable[[Chunk], list[Detection]]``:

- ``Detector(extra=[fn, ...])`` adds them directly, or
- ``Detector(ner="fast"|"deep"|"off")`` loads the callables listed in ``NER_PLUGINS[ner]`` as
  "module:function". The module may also define ``ENTITY`` + ``mask(normalized) -> str`` (used
  to mask that entity) and ``count_persons(detections) -> int`` (used for ``persons``).
  A plugin that cannot be imported is skipped (logged), so the identifier scan still runs.
  Extra detections below ``EXTRA_SCORE_FLOOR`` are dropped, and so are
  entities in ``ORG_SENSITIVE_EXTRA`` next to an organisation's requisites (see there).

Raw values never leave this module: ``scan`` returns fingerprints and masked forms only.
"""

from __future__ import annotations

import bisect
import importlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter

from pdscan.fingerprint import fingerprint
from pdscan.model import Chunk, Detection, Finding
from recognizers import identifier_recognizers
from recognizers.base import REGEX_FLAGS, RuPatternRecognizer, trie_pattern

log = logging.getLogger(__name__)

ExtraDetector = Callable[[Chunk], list[Detection]]

# A hit is reported from this score on.
SCORE_THRESHOLD = 0.5
# Extra detectors may report from this score on: an own-staff signature line ("Директор ООО «…»
# Данейкина О.Н.") is reported at 0.3 so the officer sees it, but below pdscan.scan.PD_MIN_SCORE it
# does not make the file personal data (issue 3, item 6).
EXTRA_SCORE_FLOOR = 0.3

# --ner mode → "module:function" extra detectors, imported lazily in the worker.
NER_PLUGINS: dict[str, tuple[str, ...]] = {
    "off": (),
    "fast": (
        "recognizers.names:detect_chunk",
        "recognizers.birthdate:detect_chunk",
        "recognizers.address:detect_chunk",
    ),
    "deep": (
        "recognizers.names:detect_chunk_deep",
        "recognizers.birthdate:detect_chunk",
        "recognizers.address:detect_chunk",
    ),
}

# A number token: "серия 05 06 № 123456", "0506\t123456", "+7 (914) 123-45-67", "77 АВ 123456";
# a line break inside is allowed too (PDF text wraps lines inside numbers).
# One character class (a fast loop in the regex engine); it also lets the letters of "номер" and
# the series look-alikes through. At least 7 characters: shorter tokens cannot hold an identifier.
# It starts at an ASCII digit (identifiers are written in them): a range test per character of
# the text is half the cost of the Unicode digit test, and this loop runs over every character.
_TOKEN = re.compile(r"[0-9][\d \t\n\u00a0\u202f()\-№:NНномерАВЕКМОРСТУХABEKMHOPCTYX]{6,}")
_RUN = re.compile(r"\d+")
_COLON_DIGIT = re.compile(r"\d:\d")
_DIGIT = re.compile(r"\d")
# No identifier has more than 19 digits in a row (a card); a longer run is an account number.
_MAX_RUN = 19
_START_OF_HIT = itemgetter(2)  # a hit: (score, priority, start, end, entity, value)
# Two series letters right before a 7-digit run: "АБ 1234567", "AB№1234567".
_SERIES_BEFORE = re.compile(r"(?<![\w])[А-ЯЁA-Z]{2}[ \u00a0\u202f]?(?:№|N)?[ \u00a0\u202f]?")
_EMAIL_LOCAL_MAX = 64
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_DOMAIN_MAX = 255

# Organisation requisites: an ORG_SENSITIVE hit (phone, e-mail) near them is the company's own
# contact. Requisites only: a company's name alone ("Директору ООО «…» от Иванова, тел. …") is
# where applications are addressed, and the applicant's phone is personal data.
ORG_MARKERS = (
    "кпп",
    "огрн",
    "бик",
    "р/с",
    "р/сч",
    "р\\с",
    "к/с",
    "к/сч",
    "расчетный счет",
    "расчётный счёт",
    "расч. счет",
    "корр. счет",
    "корреспондентский",
    "окпо",
    "оквэд",
    "октмо",
    "юридический адрес",
    "юр. адрес",
    "банк получателя",
)
# Markers of a natural person that keep a contact nearer to them than to the requisites.
PERSON_MARKERS = (
    "паспорт",
    "снилс",
    "фио",
    "ф.и.о",
    "рожд",
    "г.р.",
    "гражданин",
    "гражданка",
    "зарегистрирован",
    "проживающ",
    "работник",
    "сотрудник",
    "заявител",
    "собственник",
    "наниматель",
    "арендатор",
    "пациент",
    "личн",
    "домашн",
    "регистрац",  # адрес регистрации
    "жительств",  # место жительства
    "прописк",
)
ORG_WINDOW = 150
# Entities of extra detectors dropped as an organisation's contact when next to its requisites:
# a letterhead's legal address is a requisite, not personal data (CONVENTIONS), so a file holding
# only company requisites gives no finding at all.
ORG_SENSITIVE_EXTRA: frozenset[str] = frozenset({"LOCATION"})

# Identifiers that each belong to one natural person: distinct values ≥ distinct people.
PERSON_ID_ENTITIES = frozenset(
    {
        "RU_PASSPORT",
        "RU_SNILS",
        "RU_INN",
        "RU_OMS_POLICY",
        "RU_MILITARY_ID",
        "RU_FOREIGN_PASSPORT",
        "RU_DRIVER_LICENSE",
    }
)


@dataclass(slots=True)
class DetectResult:
    findings: list[Finding] = field(default_factory=list)
    persons: int = 0


@dataclass(slots=True)
class _Rec:
    """A recognizer prepared for the fast path: lower-case word tuples, compiled patterns."""

    rec: RuPatternRecognizer
    entity: str
    min_digits: int
    patterns: list[tuple[re.Pattern, float]]
    context: re.Pattern | None
    negative: re.Pattern | None
    requires_context: bool
    window: int
    boost: float
    org_sensitive: bool
    priority: int


def _prepare(rec: RuPatternRecognizer) -> _Rec:
    return _Rec(
        rec=rec,
        entity=rec.ENTITY,
        min_digits=rec.MIN_DIGITS,
        patterns=rec.compiled,
        context=_words_regex(rec.CONTEXT),
        negative=_words_regex(rec.NEGATIVE_CONTEXT),
        requires_context=rec.REQUIRES_CONTEXT,
        window=rec.CONTEXT_WINDOW,
        boost=rec.CONTEXT_BOOST,
        org_sensitive=rec.ORG_SENSITIVE,
        priority=rec.PRIORITY,
    )


def _words_regex(words: Iterable[str]) -> re.Pattern | None:
    """Lower-case stems at a word start (a stem never matches inside "получатель"); longest first,
    so a negative phrase ("технический паспорт") spans the context word inside it."""
    words = {w.lower() for w in words}
    if not words:
        return None
    return re.compile(r"(?<![0-9a-zа-яё])" + trie_pattern(words))


_ORG_RX = _words_regex(ORG_MARKERS)
_PERSON_RX = _words_regex(PERSON_MARKERS)


def _spans(hay: str, rx: re.Pattern | None) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(hay)] if rx is not None and hay else []


def _last_free(hay: str, rx: re.Pattern | None, blocked: list[tuple[int, int]]) -> int:
    """Start of the last context word in ``hay`` that is not part of a negative phrase, or -1."""
    if rx is None or not hay:
        return -1
    best = -1
    for m in rx.finditer(hay):
        i = m.start()
        if not any(a <= i < b for a, b in blocked):
            best = i
    return best


def _nearest(pre: str, post: str, rx: re.Pattern, far: int) -> int:
    """Distance from the hit to the nearest word of ``rx`` before (``pre``) or after (``post``) it."""
    d = far
    for m in rx.finditer(pre):
        d = min(d, len(pre) - m.end())
    m = rx.search(post)
    if m is not None:
        d = min(d, m.start())
    return d


def _lowered(text: str) -> str:
    """``text.lower()`` with the same offsets (a few characters change length when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c) == 1 else "?" for c in map(str.lower, text))


_HEADER_CELL_MAX = 60
# Entries of the per-detector caches of header strings before they are dropped (bounded memory).
_CACHE_MAX = 4096
# Chunks up to this length get context verdicts looked up by their digit-blind shape.
_SHAPE_MAX = 2000
_ZERO_DIGITS = str.maketrans("123456789", "000000000")
# Requisites that mark a letterhead (a subset of ORG_MARKERS that never labels a person's data).
_STRONG_ORG = ("кпп", "огрн", "бик", "р/с", "к/с", "расчетный счет", "расчётный счёт", "окпо", "октмо")


def _header_cells(context: str) -> list[str]:
    """``Chunk.context`` as the detector uses it, in cells.

    A table header (cells joined by tabs): cells that read like column labels; a long cell or one
    with digits is text that happens to stand in the first row and lends its words to no column.
    Other context (an OCR page heading, the text before a chunk, a one-column sheet's first row)
    counts whole, unless it holds an organisation's requisites: a letterhead in a sheet's first row
    must not lend "ИНН" to every row below it, nor make every phone there the organisation's."""
    if "\t" not in context:
        if not context or any(m in context.lower() for m in _STRONG_ORG):
            return [""]
        return [context]
    return [
        "" if len(c) > _HEADER_CELL_MAX or any(ch.isdigit() for ch in c) else c for c in context.split("\t")
    ]


class _Header:
    """What the detector needs of one ``Chunk.context`` string, worked out once: the rows of a
    table share their header, so a sheet of 20,000 rows pays for it once, not per row and hit."""

    __slots__ = ("cells", "whole", "mask", "org", "_columns")

    def __init__(self, context: str, stems_by_bit: list[tuple[int, tuple[str, ...]]]):
        self.cells = _header_cells(context)
        self.whole = " ".join(self.cells).lower()  # every cell: the header of a one-column row
        self.mask = 0  # bits of the recognizers with a context stem in the header
        for bit, stems in stems_by_bit:
            if any(w in self.whole for w in stems):
                self.mask |= bit
        self.org = _ORG_RX.search(self.whole) is not None  # an organisation's requisites in it
        self._columns: dict[tuple[int, int], str] = {}

    def column(self, text: str, start: int, end: int) -> str:
        """The header cells above the columns a hit spans in a tab-joined table row, lower case."""
        cells = self.cells
        if len(cells) == 1 or "\t" not in text:
            return self.whole
        line_start = text.rfind("\n", 0, start) + 1
        first = text.count("\t", line_start, start)
        if first >= len(cells):
            return self.whole
        last = text.count("\t", line_start, end)
        key = (first, last)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = " ".join(cells[first : last + 1]).lower()
        return col


class _Text:
    """One chunk as the scoring steps read it; the lower-cased text is made once, when first needed."""

    __slots__ = ("text", "header", "_low", "_exact", "_org", "_shape")

    def __init__(self, text: str, header: _Header | None):
        self.text = text
        self.header = header
        self._low: str | None = None
        self._exact = True
        self._org: bool | None = None
        self._shape: str | None = None

    def low(self) -> str:
        """``_lowered(text)`` with line breaks as spaces (PDF text wraps "вод.\nудостоверение")."""
        if self._low is None:
            low = self.text.lower()
            self._exact = len(low) == len(self.text)
            if not self._exact:
                low = _lowered(self.text)
            self._low = low.replace("\n", " ")
        return self._low

    def window(self, lo: int, hi: int) -> str:
        """``text[lo:hi].lower()`` with line breaks as spaces."""
        if len(self.text) <= _SHAPE_MAX:  # a long text is lowered window by window
            low = self.low()
            if self._exact:
                return low[max(0, lo) : hi]
        return self.text[max(0, lo) : hi].lower().replace("\n", " ")

    def shape(self) -> str | None:
        """The lowered text with every ASCII digit made "0" (a key for context verdicts), for a
        short chunk only (a table row, a paragraph); None for a long one."""
        if self._shape is None and len(self.text) <= _SHAPE_MAX:
            self._shape = self.low().translate(_ZERO_DIGITS)
        return self._shape

    def has_org_marker(self) -> bool:
        """Whether any ORG_MARKERS word stands anywhere in the chunk (most chunks: none)."""
        if self._org is None:
            low = self.text.lower()
            self._org = any(w in low for w in ORG_MARKERS)
        return self._org


class _HeaderLines:
    """Header lines of tables flattened to text (PDF, plain text without tabs): a line with no
    digit and context words of two or more recognizers, followed by lines that all hold digits
    (the rows). A number in those rows takes the header line as context, as a table cell takes
    ``Chunk.context``. Built once per chunk, only when a number lacks context nearby."""

    MAX_LINE = 200

    def __init__(self, text: str, stems_by_bit: list[tuple[int, tuple[str, ...]]]):
        self.starts: list[int] = []  # where each block of rows begins
        self.blocks: list[tuple[int, str, int]] = []  # (where it ends, header line, recognizer bits)
        free: tuple[int, int] | None = None  # the last digit-free line (judged only if rows follow)
        rows: list | None = None  # [start, end, header, mask] of the block being read
        pos, n = 0, len(text)
        while pos <= n:
            end = text.find("\n", pos)
            end = n if end < 0 else end
            if _DIGIT.search(text, pos, end) is not None:
                if rows is not None:
                    rows[1] = end
                elif free is not None:
                    header = self._header(text[free[0] : free[1]], stems_by_bit)
                    if header is not None:
                        rows = [pos, end, header[0], header[1]]
                free = None
            else:
                if rows is not None:
                    self._close(rows)
                    rows = None
                free = (pos, end) if 0 < end - pos <= self.MAX_LINE else None
            pos = end + 1
        if rows is not None:
            self._close(rows)

    @staticmethod
    def _header(line: str, stems_by_bit: list[tuple[int, tuple[str, ...]]]) -> tuple[str, int] | None:
        low = line.lower()
        mask = 0
        for bit, stems in stems_by_bit:
            if any(w in low for w in stems):
                mask |= bit
        # Words of two recognizers or more: a header ("Серия Номер СНИЛС"), not a sentence's label.
        return (low, mask) if mask & (mask - 1) else None

    def _close(self, rows: list) -> None:
        self.starts.append(rows[0])
        self.blocks.append((rows[1], rows[2], rows[3]))

    def header_at(self, pos: int) -> tuple[str, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos <= self.blocks[i][0]:
            return self.blocks[i][1], self.blocks[i][2]
        return "", 0

    def mask_at(self, pos: int) -> int:
        return self.header_at(pos)[1]


def _combine(patterns: list[tuple[_Rec, re.Pattern, float, int]]):
    """One regex of optional named look-aheads, and (name, recognizer, score, context bit) per
    group; the bit is 0 for a pattern that reaches the threshold without a context word."""
    if not patterns:
        return None, []
    groups = [(f"g{i}", r, score, bit) for i, (r, _, score, bit) in enumerate(patterns)]
    rx = "".join(f"(?:(?=(?P<g{i}>{p.pattern})))?" for i, (_, p, _, _) in enumerate(patterns))
    return re.compile(rx, REGEX_FLAGS), groups


class Detector:
    """Identifier detection for one worker process (build once, call ``scan`` per file).

    ``entities``: report only these entity names (None: all). ``key``: fingerprint key (None:
    the configured key). ``extra``: extra detectors; ``ner``: load ``NER_PLUGINS[ner]`` as well.
    """

    def __init__(
        self,
        entities: set[str] | None = None,
        key: bytes | None = None,
        extra: list[ExtraDetector] | None = None,
        ner: str = "off",
    ):
        self.entities = set(entities) if entities is not None else None
        self.key = key
        recs = [r for r in identifier_recognizers() if self._wanted(r.ENTITY)]
        self._digit_recs = sorted(
            (_prepare(r) for r in recs if r.TRIGGER == "digits"), key=lambda r: r.min_digits
        )
        self._at_recs = [_prepare(r) for r in recs if r.TRIGGER == "@"]
        self._min_digits = min((r.min_digits for r in self._digit_recs), default=0)
        self._enough_digits = re.compile(rf"(?:\D*\d){{{max(self._min_digits, 1)}}}")
        # All digit patterns as optional look-aheads: one match call reports every shape at a position.
        # Two sets: every pattern (a context word stands near the token), and only the patterns
        # that can reach the threshold without context ("+7 …", "123-456-789 01", a card).
        # Each recognizer has a bit; patterns that need a context word go on to normalize and
        # _score only when one of their recognizer's stems stands near the token.
        bits = {id(r): 1 << i for i, r in enumerate(self._digit_recs)}
        every = [
            (r, rx, sc, bits[id(r)] if r.requires_context or sc < SCORE_THRESHOLD else 0)
            for r in self._digit_recs
            for rx, sc in r.patterns
        ]
        self._combined = _combine(every)
        self._numbered_groups = list(enumerate(self._combined[1], start=1))
        # The widest context window (before a hit; half of it after): a token's window holds its hits'.
        self._window = max((r.window for r in self._digit_recs), default=0)
        self._stems_cache: dict[int, re.Pattern] = {}
        self._headers: dict[str, _Header] = {}  # Chunk.context → its worked-out header
        self._header_eval: dict[tuple[str, str], tuple[bool, bool, bool]] = {}
        self._verdicts: dict[tuple[str, str, str, str], int] = {}  # see _score
        self._bare_need = self._bare_table()
        self._stems_by_bit = [
            (bits[id(r)], tuple(w.lower() for w in r.rec.CONTEXT)) for r in self._digit_recs
        ]
        self._maskers: dict[str, Callable[[str], str]] = {r.ENTITY: r.mask for r in recs}
        self._extra: list[ExtraDetector] = list(extra or [])
        self._count_persons: Callable[[list[Detection]], int] | None = None
        for spec in NER_PLUGINS.get(ner, ()):
            self._load_plugin(spec)

    def _stems_for(self, need: int) -> re.Pattern:
        """One regex of all context stems of the recognizers in a bit mask (cached per mask): a
        prefix tree finds any of dozens of stems in one pass, where substring tests take one each."""
        stems = self._stems_cache.get(need)
        if stems is None:
            words = {w for bit, ws in self._stems_by_bit if need & bit for w in ws}
            stems = self._stems_cache[need] = re.compile(trie_pattern(sorted(words)) if words else "(?!)")
        return stems

    def _bare_table(self) -> dict[tuple[int, str], int]:
        """(length, first digit) of a bare digit run → 0: no pattern takes it; a bit mask: only
        patterns needing context take it (the bits of their recognizers); -1: some pattern takes it
        without context. Found by trying the patterns on sample runs, so it follows the recognizers."""
        combined, groups = self._combined
        table: dict[tuple[int, str], int] = {}
        if combined is None:
            return table
        for length in range(1, _MAX_RUN + 2):
            for first in "0123456789":
                need, free = 0, False
                for fill in "05":  # patterns constrain leading digits only; two fills for safety
                    sample = " " + first + fill * (length - 1) + " "
                    m = combined.match(sample, 1)
                    for (s, _), (_, _, _, bit) in zip(m.regs[1:], groups, strict=True):
                        if s >= 0:
                            need |= bit
                            free = free or not bit
                table[(length, first)] = -1 if free else need
        for first in "0123456789":  # seven digits may follow series letters (military id)
            table[(7, first)] = -1
        return table

    def _wanted(self, entity: str) -> bool:
        return self.entities is None or entity in self.entities

    def _load_plugin(self, spec: str) -> None:
        module_name, _, func_name = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
            func = getattr(module, func_name)
        except (ImportError, AttributeError) as exc:
            log.debug("detector plugin %s not loaded: %s", spec, exc)
            return
        self._extra.append(func)
        entity = getattr(module, "ENTITY", None)
        if entity and callable(getattr(module, "mask", None)):
            self._maskers.setdefault(entity, module.mask)
        if self._count_persons is None and callable(getattr(module, "count_persons", None)):
            self._count_persons = module.count_persons

    # -- one chunk ----------------------------------------------------------------------------

    def detect(self, chunk: Chunk) -> list[Detection]:
        """Raw detections of one chunk, overlaps resolved, at or above SCORE_THRESHOLD."""
        text = chunk.text
        tc = _Text(text, self._header(chunk.context) if chunk.context else None)
        hits: list[tuple[float, int, int, int, str, str]] = []  # score, priority, start, end, entity, value
        if self._digit_recs:
            self._digit_hits(tc, hits)
        if self._at_recs:
            at = text.find("@")
            while at >= 0:
                # An address has a letter or digit on both sides of its "@".
                if 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum():
                    # Start at the local part: the regex is then tried at a few positions only.
                    lo, stop = at, max(0, at - _EMAIL_LOCAL_MAX - 1)
                    while lo > stop and text[lo - 1] in _LOCAL_CHARS:
                        lo -= 1
                    hi = at + _EMAIL_DOMAIN_MAX
                    for r in self._at_recs:
                        self._match(r, tc, lo, hi, hits, must_cover=at)
                at = text.find("@", at + 1)
        detections = self._resolve(hits)
        if self._extra:
            for fn in self._extra:
                for d in fn(chunk):
                    if d.score < EXTRA_SCORE_FLOOR or not self._wanted(d.entity):
                        continue
                    if d.entity in ORG_SENSITIVE_EXTRA and self._is_org_contact(
                        tc, d.start, d.end, block=True
                    ):
                        continue  # the organisation's own address in its letterhead
                    detections.append(d)
            detections.sort(key=lambda d: d.start)  # scan() counts lines forward
        return detections

    def _header(self, context: str) -> _Header:
        """The worked-out header of a ``Chunk.context`` string (cached: table rows share one)."""
        h = self._headers.get(context)
        if h is None:
            if len(self._headers) >= _CACHE_MAX:
                self._headers.clear()
            h = self._headers[context] = _Header(context, self._stems_by_bit)
        return h

    def _digit_hits(self, tc: _Text, hits: list) -> None:
        text = tc.text
        min_digits = self._min_digits
        combined = self._combined[0]
        numbered = self._numbered_groups
        stems_by_bit = self._stems_by_bit
        header_mask = tc.header.mask if tc.header is not None else 0
        enough = self._enough_digits
        lines: _HeaderLines | None = None  # header lines of flattened tables, found when first needed
        window_of = self._window
        stems_for = self._stems_for
        for t in _TOKEN.finditer(text):
            ts, te = t.span()
            if enough.match(text, ts, te) is None:
                continue  # one C call rejects most tokens (a sum, a year and a day)
            if text.find(":", ts, te) >= 0 and _COLON_DIGIT.search(text, ts, te):
                continue  # "25:28:010013:123": a cadastral number or a time
            rs, rend = _RUN.match(text, ts).span()
            if _DIGIT.search(text, rend, te) is not None:
                runs = [m.span() for m in _RUN.finditer(text, ts, te)]
            else:
                runs = [(rs, rend)]
            if len(runs) == 1 and not (ts and text[ts - 1] in "+("):
                # A bare run of digits (invoice, waybill, account numbers): the table built in
                # __init__ says whether any pattern could take it without a context word; if
                # not, the context stems of the possible recognizers are tested before any regex.
                need = self._bare_need.get((rend - rs, text[rs]), -1)
                if need == 0:
                    continue
                if need > 0 and not header_mask & need:
                    window = tc.window(ts - window_of, te + window_of // 2)
                    if stems_for(need).search(window) is None:
                        if lines is None:
                            lines = _HeaderLines(text, stems_by_bit)
                        if not lines.mask_at(ts) & need:
                            continue
            left = sum(e - s for s, e in runs)  # digits from this run to the token's end
            starts = []
            for r, re_ in runs:
                if left < min_digits:
                    break  # too few digits remain for any identifier
                left -= re_ - r
                if re_ - r > _MAX_RUN:
                    continue  # 20-digit accounts and the like: no identifier starts here
                if re_ - r == 1 and text[r] not in "78":
                    continue  # only a phone's "7" / "8" stands alone at an identifier's start
                starts.append(r)
                if r and text[r - 1] in "+(":
                    starts.append(r - 1)
                if re_ - r == 7:
                    s = _SERIES_BEFORE.search(text, max(0, r - 6), r)
                    if s is not None and s.end() == r:
                        starts.append(s.start())
            if not starts:
                continue
            # Shapes first (one match call per start); then, only for recognizers that need a
            # context word and whose shape matched, a substring test of their stems on the window
            # (every hit's window lies inside [ts - window, te + window / 2]); _score decides exactly.
            shapes = []
            need = 0
            for pos in starts:
                m = combined.match(text, pos, te + 2)
                if m.lastindex is None:
                    continue  # no shape matched here
                # Only the groups that matched (a matched look-ahead holds digits, so it is truthy).
                for i, g in compress(numbered, m.groups()):
                    s, e = m.span(i)
                    shapes.append((s, e, g))
                    need |= g[3]
            if not shapes:
                continue
            mask = header_mask
            if need & ~mask:
                window = tc.window(ts - window_of, te + window_of // 2)
                for bit, stems in stems_by_bit:
                    if need & bit and not mask & bit and any(w in window for w in stems):
                        mask |= bit
            line_header = ""
            if need & ~mask and "\n" in text:
                if lines is None:
                    lines = _HeaderLines(text, stems_by_bit)
                line_header, line_mask = lines.header_at(ts)
                mask |= line_mask
            # Strongest patterns first; a recognizer's weaker shape inside its own hit is skipped
            # ("7 914 …" inside "+7 914 …").
            # (A look-ahead group starts at its match position, so no shape repeats across starts.)
            if len(shapes) > 1:
                shapes.sort(key=lambda x: -x[2][2])
            taken: list[tuple[int, int, str]] = []
            for s, e, (_, r, base, bit) in shapes:
                if bit and not mask & bit:
                    continue
                if taken and any(a < e and s < b and ent == r.entity for a, b, ent in taken):
                    continue
                value = r.rec.normalize(text[s:e])  # checksum / plan; cheap tests run first
                if value is None:
                    continue
                score = self._score(r, tc, s, e, base, line_header)
                if score >= SCORE_THRESHOLD:
                    hits.append((score, r.priority, s, e, r.entity, value))
                    taken.append((s, e, r.entity))

    def _match(
        self,
        r: _Rec,
        tc: _Text,
        lo: int,
        hi: int,
        hits: list,
        must_cover: int = -1,
    ) -> None:
        """Run one recognizer's patterns on text[lo:hi] (only matches covering ``must_cover``)."""
        text = tc.text
        seen: set[tuple[int, int]] = set()
        for regex, base in r.patterns:
            for m in regex.finditer(text, lo, hi):
                s, e = m.span()
                if (s, e) in seen or (must_cover >= 0 and not s <= must_cover < e):
                    continue
                seen.add((s, e))
                value = r.rec.normalize(m.group())
                if value is None:
                    continue
                score = self._score(r, tc, s, e, base)
                if score >= SCORE_THRESHOLD:
                    hits.append((score, r.priority, s, e, r.entity, value))

    def _header_words(self, r: _Rec, header: str) -> tuple[bool, bool, bool]:
        """(a context word in ``header``, one not inside a negative phrase, a negative phrase)
        of one recognizer; cached, since the rows of a table share their header."""
        key = (r.entity, header)
        got = self._header_eval.get(key)
        if got is None:
            blocked = _spans(header, r.negative)
            got = (
                r.context is not None and r.context.search(header) is not None,
                _last_free(header, r.context, blocked) >= 0,
                bool(blocked),
            )
            if len(self._header_eval) >= _CACHE_MAX:
                self._header_eval.clear()
            self._header_eval[key] = got
        return got

    def _score(self, r: _Rec, tc: _Text, s: int, e: int, base: float, line_header: str = "") -> float:
        """Pattern score adjusted by context; -1 when the context cancels the hit. ``line_header``:
        the header line of a flattened table the hit stands under (PDF, plain text)."""
        # Line breaks count as spaces: PDF text wraps "вод.\nудостоверение".
        lo, hi = max(0, s - r.window), e + r.window // 2
        header = tc.header.column(tc.text, s, e) if tc.header is not None else ""
        if line_header:
            header = f"{header} {line_header}"
        shape = tc.shape()
        if shape is None:  # a long text: lowered window by window
            text = tc.text
            pre = _lowered(text[lo:s]).replace("\n", " ")
            verdict = self._context(r, pre, _lowered(text[e:hi]).replace("\n", " "), header)
        else:
            # Table rows repeat their words around other digits: the verdict is looked up.
            key = (r.entity, shape[lo:s], shape[e:hi], header)
            verdict = self._verdicts.get(key)
            if verdict is None:
                low = tc.low()
                verdict = self._context(r, low[lo:s], low[e:hi], header)
                if len(self._verdicts) >= _CACHE_MAX:
                    self._verdicts.clear()
                self._verdicts[key] = verdict
        if verdict < 0:
            return -1.0
        if r.org_sensitive and self._is_org_contact(tc, s, e):
            return -1.0
        return min(1.0, base + r.boost) if verdict else base

    def _context(self, r: _Rec, pre: str, post: str, header: str) -> int:
        """The context verdict on the lower-case windows before and after a hit and its header:
        -1 cancels the hit, 1 a context word vouches for it, 0 neither.

        Digits count only as digits here (context words hold none, a word-start test treats them
        all alike, and a negative label looks for any digit after it), so windows that differ
        only in their digits get the same verdict (``_Text.shape``)."""
        h_ctx, h_free, h_blocked = self._header_words(r, header) if header else (False, False, False)
        if r.requires_context and not (r.context.search(pre) or r.context.search(post) or h_ctx):
            return -1  # cheap exit: most number-shaped strings have no context word at all
        blocked = _spans(pre, r.negative)
        # A negative label cancels only the number it labels: none of the digits of another number
        # stand between ("СНИЛС Телефон\n… 453-849-766 38" keeps the СНИЛС).
        neg = max((a for a, b in blocked if _DIGIT.search(pre, b) is None), default=-1)
        pos = _last_free(pre, r.context, blocked)
        if neg > pos:
            return -1  # a negative label stands nearer than any context word
        has_ctx = pos >= 0 or _last_free(post, r.context, _spans(post, r.negative)) >= 0
        if header:
            if h_free:
                has_ctx = True
            elif h_blocked and pos < 0:
                return -1
        if r.requires_context and not has_ctx:
            return -1
        return 1 if has_ctx else 0

    @staticmethod
    def _is_org_contact(tc: _Text, s: int, e: int, block: bool = False) -> bool:
        """True for a contact next to an organisation's requisites with no personal marker nearer.
        After the hit the window is the rest of its line (``block``: its paragraph, for a
        letterhead address whose requisites follow on the next lines)."""
        header_org = tc.header is not None and tc.header.org
        if not header_org and len(tc.text) <= _SHAPE_MAX and not tc.has_org_marker():
            return False  # no requisites in the row nor its header: the common case
        text = tc.text
        # Within one paragraph: a blank line ends a letterhead.
        pre = text[max(0, s - ORG_WINDOW) : s].lower()
        pre = pre[pre.rfind("\n\n") + 1 :]
        post = text[e : e + ORG_WINDOW].lower()
        cut = post.find("\n\n" if block else "\n")
        post = post if cut < 0 else post[:cut]

        if not header_org and not any(w in pre or w in post for w in ORG_MARKERS):  # substring tests: cheap
            return False
        far = ORG_WINDOW + 1
        org = _nearest(pre, post, _ORG_RX, far)
        if org >= far and not header_org:
            return False
        return _nearest(pre, post, _PERSON_RX, far) >= org

    @staticmethod
    def _resolve(hits: list) -> list[Detection]:
        """Overlapping hits: the best score wins, then the higher priority, then the longer span."""
        if not hits:
            return []
        if len(hits) > 1:
            hits.sort(key=_START_OF_HIT)
        if all(a[3] <= b[2] for a, b in zip(hits, hits[1:], strict=False)):
            # The common case: no overlaps (a table row, a paragraph).
            return [Detection(entity=h[4], start=h[2], end=h[3], normalized=h[5], score=h[0]) for h in hits]
        hits.sort(key=lambda h: (-h[0], -h[1], h[2] - h[3]))
        starts: list[int] = []  # kept spans never overlap: sorted by start, ends sorted too
        kept: list[tuple] = []
        for h in hits:
            i = bisect.bisect_right(starts, h[2])
            if i and kept[i - 1][3] > h[2]:
                continue  # overlaps the kept span starting at or before it
            if i < len(kept) and kept[i][2] < h[3]:
                continue  # overlaps the kept span after it
            starts.insert(i, h[2])
            kept.insert(i, h)
        return [Detection(entity=h[4], start=h[2], end=h[3], normalized=h[5], score=h[0]) for h in kept]

    # -- one file -----------------------------------------------------------------------------

    def scan(self, chunks: Iterable[Chunk]) -> DetectResult:
        """Findings of one file: one per (member, entity, fingerprint) with count, max score, first place."""
        found: dict[tuple[str | None, str, str], Finding] = {}
        everything: list[Detection] = []
        for chunk in chunks:
            detections = self.detect(chunk)
            if not detections:
                continue
            everything.extend(detections)
            line, pos = chunk.line, 0
            for d in detections:
                if chunk.line > 0:
                    line += chunk.text.count("\n", pos, d.start)
                    pos = d.start
                    location = f"line {line}"
                else:
                    location = chunk.location
                fp = fingerprint(d.entity, d.normalized, self.key)
                k = (chunk.member, d.entity, fp)
                f = found.get(k)
                if f is None:
                    found[k] = Finding(
                        entity=d.entity,
                        fingerprint=fp,
                        masked=self.mask(d.entity, d.normalized),
                        score=round(d.score, 2),
                        location=location,
                        member=chunk.member,
                    )
                else:
                    f.count += 1
                    f.score = max(f.score, round(d.score, 2))
        return DetectResult(findings=list(found.values()), persons=self.count_persons(everything))

    def mask(self, entity: str, normalized: str) -> str:
        masker = self._maskers.get(entity)
        if masker is not None:
            return masker(normalized)
        keep = 2 if len(normalized) <= 8 else 4
        return "*" * max(len(normalized) - keep, 1) + normalized[-keep:]

    def count_persons(self, detections: list[Detection]) -> int:
        """Distinct people: the plugin's count (names) or at least the distinct values of any
        one person-unique identifier; one person when only contacts were found."""
        by_entity: dict[str, set[str]] = {}
        for d in detections:
            if d.entity in PERSON_ID_ENTITIES:
                by_entity.setdefault(d.entity, set()).add(d.normalized)
        n = max((len(v) for v in by_entity.values()), default=0)
        if self._count_persons is not None:
            n = max(n, self._count_persons(detections))
        if n == 0 and detections:
            n = 1
        return n
