"""LOCATION: Russian postal addresses found by pattern.

An address is a chain of components separated by commas or spaces: postal index, region,
settlement, street, house, building, flat ("692519, Приморский край, г. Уссурийск,
ул. Амурская, д. 53, кв. 12"). A chain counts as an address when it holds a street with a
house number, a street with a settlement, or a settlement with a house number or an index.
The fingerprint uses the lower-case chain with punctuation collapsed; the masked form keeps
only the settlement (or the first word) and "***".
"""

from __future__ import annotations

import re

from pdscan.model import Chunk, Detection
from recognizers.base import trie_pattern
from recognizers.finder_recognizer import FinderRecognizer

ENTITY = "LOCATION"
SCORE = 0.7
SCORE_FULL = 0.85  # street + house + flat, or index + settlement + street

_UP = "А-ЯЁ"
_LO = "а-яё"
_NAME = rf"[{_UP}][{_LO}]+(?:-[{_UP}]?[{_LO}]+)*"  # Амурская, Комсомольск-на-Амуре
# A street name: "Амурская", "Карла Маркса", "50 лет Октября", "1-я Советская", "8 Марта", "им. Ленина".
_STREET_NAME = (
    rf"(?:\d{{1,3}}(?:-?(?:я|й|го|ая|ый|ой|ий))?[ \u00a0]+(?:лет[ \u00a0]+)?)?(?:им\.[ \u00a0]?|(?:реки|р\.|канала)[ \u00a0]+)?"
    rf"{_NAME}(?:[ \u00a0]+{_NAME}){{0,2}}"
)
_STREET_KIND = (
    r"(?:ул\.?|улица|пр-т|пр-кт|просп\.?|проспект|пр\.|пер\.?|переулок|б-р|бульвар|бул\.|ш\.|шоссе|"
    r"наб\.?|набережная|пл\.|площадь|проезд|пр-д|туп\.|тупик|аллея|мкр\.?|мкрн\.?|микрорайон|"
    r"кв-л|квартал|линия|тракт|спуск)"
)
_HOUSE = r"\d{1,4}(?:[ \u00a0]?[а-яА-Я](?![а-яё]))?(?:/\d{1,4}[а-я]?)?"

_COMPONENTS = {
    "index": r"\d{6}",
    "country": r"(?:Россия|Российская[ \u00a0]+Федерация|РФ)",
    "region": (
        rf"(?:(?:{_NAME})[ \u00a0]+(?:край|обл\.|область|р-н|район|АО|автономный[ \u00a0]+округ)"
        rf"|(?:Республика|Респ\.)[ \u00a0]+{_NAME}(?:[ \u00a0]+{_NAME})?"
        rf"|(?:обл\.|область|край|р-н|район)[ \u00a0]+{_NAME})"
    ),
    "settlement": (
        rf"(?:(?:г\.|гор\.|город|пгт\.?|пос\.|п\.|посёлок|поселок|с\.|село|дер\.|д\.(?=[ \u00a0]?[{_UP}])|деревня|"
        rf"ст-ца|станица|х\.|хутор|рп\.?|снт|СНТ)[ \u00a0]*{_NAME}(?:[ \u00a0-]{_NAME})?"
        rf"|(?:Москва|Санкт-Петербург|Севастополь))"
    ),
    "street": (
        rf"(?:{_STREET_KIND}[ \u00a0]*{_STREET_NAME}"
        rf"|{_NAME}(?:[ \u00a0]+{_NAME})?[ \u00a0]+(?:ул\.|улица|пр-т|проспект|пер\.|переулок|б-р|бульвар|"
        rf"шоссе|ш\.|наб\.|набережная|пл\.|площадь|проезд|тупик))"
    ),
    "house": rf"(?:д\.|дом|вл\.|влад\.|владение|уч\.|участок)[ \u00a0]*№?[ \u00a0]*{_HOUSE}",
    "building": r"(?:корп\.?|корпус|к\.|стр\.|строение|лит\.|литера)[ \u00a0]*(?:\d{1,3}|[А-Я])(?![а-яё])",
    "flat": r"(?:кв\.?|квартира|оф\.?|офис|пом\.?|помещение|комн\.?|комната|ком\.)[ \u00a0]*№?[ \u00a0]*\d{1,5}(?:-?[а-яА-Я](?![а-яё]))?",
    # A bare house number right after a street: "ул. Ленина, 5", "ул. Ленина 5-12".
    "number": rf"{_HOUSE}(?:-\d{{1,4}})?(?![\d.,]\d)",
}
# One look-behind for all alternatives (one per alternative is 3x slower): a component starts a word.
_COMP_RE = re.compile(
    rf"(?<![{_UP}{_LO}\w])(?:" + "|".join(f"(?P<{k}>{v}(?![{_LO}\\d]))" for k, v in _COMPONENTS.items()) + ")"
)
_GAP_RE = re.compile(r"[ \u00a0]*,?[ \u00a0]*\n?[ \u00a0]*")
# Anchors: an address holds a street, a house or a postal index; the component regex runs only
# around them. A street or house word counts when a number or a capitalised name follows it
# ("ул. Амурская", "д. 53", "проезд Ленина"); an index is a run of exactly six digits after a
# space, a comma, a colon or a bracket. Each regex below starts with a literal character, so the
# regex engine skips to it fast (an alternation led by letters is ~5x slower on prose).
_NEXT = r"(?=[ \u00a0]*[0-9№А-ЯЁ])"
# Abbreviations with a dot: found at the dot.
_DOT_WORDS = ("ул", "Ул", "уч", "пр", "просп", "пер", "пл", "ш", "наб", "туп", "мкр", "мкрн", "д", "вл")
# Whole words: found at the space after them. ("проспект" is no anchor: "просп" stands first.)
_SPACE_WORDS = (
    "улица", "улице", "улицу", "улицы", "Улица", "участок", "просп",
    "проезд", "проезда", "проезде", "проезду", "переулок", "переулке", "переулка", "площадь", "площади",
    "бульвар", "бульвара", "бульваре", "бульвару", "шоссе", "набережная", "набережной",
    "тупик", "тупика", "тупике", "тупику", "тракт", "мкр", "мкрн",
    "микрорайон", "микрорайона", "микрорайоне", "микрорайону", "квартал", "квартала", "квартале", "кварталу",
    "дом", "владение", "аллея", "линия", "пр-т", "пр-кт", "б-р", "кв-л",
)  # fmt: skip


def _word_anchor_re(lead: str, words: tuple[str, ...], tail: str) -> re.Pattern:
    """``lead`` right after one of ``words`` (group i + 1 for words[i]), then ``_NEXT``."""
    ends = "".join(sorted({w[-1] for w in words}))
    alts = "|".join(f"(?<=({re.escape(w)}){tail})" for w in words)
    # The look-behind first: in a run of blanks only the first one is followed up (linear time).
    return re.compile(f"{lead}(?<=[{ends}]{tail}){_NEXT}(?:{alts})")


_DOT_RE = _word_anchor_re(r"\.", _DOT_WORDS, r"\.")
# Whole words and indexes at a blank are looked for in the reversed text: there a word follows
# the blank, and the regex engine matches a prefix tree of words fast (at a blank of the text, 48
# look-behinds, one per word, are tried one after another). Group "i": six digits right after the
# blank in the text; group "w" or "v": a reversed word right before it, the blank followed by a
# number, "№", a capital or more blanks.
_REV_WORDS = trie_pattern([w[::-1] for w in _SPACE_WORDS])
_REV_SPACE_RE = re.compile(
    rf" (?<=[0-9№А-ЯЁ \u00a0] )(?:(?<=\d )(?<=(?<!\d)\d{{6}} )(?P<i>)(?P<w>{_REV_WORDS})?|(?P<v>{_REV_WORDS}))"
)
_REV_NBSP_RE = re.compile(rf"\u00a0(?<=[0-9№А-ЯЁ \u00a0]\u00a0)(?P<w>{_REV_WORDS})")
_NEXT_AFTER_BLANKS_RE = re.compile(r"[ \u00a0]*[0-9№А-ЯЁ]")
# Other characters before a postal index (line breaks are spaces by then), a literal-led regex each.
_INDEX_LEADS = (",", ":", ";", "(", "\t", "\u00a0")
_INDEX_RES = tuple((c, re.compile(re.escape(c) + r"(?=\d{6}(?!\d))")) for c in _INDEX_LEADS)
_INDEX_AT_START = re.compile(r"\d{6}(?!\d)")
_DOM_DIGIT_RE = re.compile(r"дом(?=[0-9№])")  # "дом5": the one word anchor seen with no blank after it
_BEFORE = 110  # index, region, settlement stand before the street
_AFTER = 60  # house, building, flat after it
_PUNCT_RE = re.compile(r"[\s,.;:№\"«»]+")
# A window is read only when one of its anchors can be part of an address (see _live): most
# "площадь 56,3 кв. м." and six-digit numbers ("№ 123456") in a text are not.
_LIVE_AT = frozenset({"street", "house", "settlement"})
_LIVE_NEXT_TO_INDEX = frozenset({"country", "region", "settlement", "street", "house", "building", "flat"})
_LIVE_BEFORE_INDEX = frozenset({"country", "region", "settlement", "street"})
_WORD_START_RE = re.compile(r"[^ \u00a0,]+")


def _valid(kinds: set[str]) -> bool:
    has_house = bool(kinds & {"house", "number", "building", "flat"})
    if "street" in kinds:
        return has_house or bool(kinds & {"settlement", "index"})
    if "settlement" in kinds:
        return "house" in kinds or "flat" in kinds or "index" in kinds
    return "index" in kinds and "region" in kinds


def normalize(text: str) -> str:
    """Lower case, punctuation and spaces collapsed, ё → е."""
    return _PUNCT_RE.sub(" ", text.lower().replace("ё", "е")).strip()


def _word_at(text: str, i: int) -> bool:
    """A street/house word starting at i starts a word: "ул." but not "тул.", "пл.д."."""
    return i == 0 or not (text[i - 1].isalpha() or text[i - 1] == ".")


def _anchors(text: str) -> list[tuple[int, bool]]:
    """(position, is index) of every anchor, sorted."""
    out: list[tuple[int, bool]] = []
    for c, rx in _INDEX_RES:
        if c in text:
            out += [(m.end(), True) for m in rx.finditer(text)]
    if _INDEX_AT_START.match(text):
        out.append((0, True))
    words = [m.start(m.lastindex or 0) for rx in (_DOT_RE, _DOM_DIGIT_RE) for m in rx.finditer(text)]
    rev = text[::-1]
    last = len(text) - 1
    for rx in (_REV_SPACE_RE, _REV_NBSP_RE) if "\u00a0" in text else (_REV_SPACE_RE,):
        spaces = rx is _REV_SPACE_RE
        for m in rx.finditer(rev):
            blank = last - m.start()
            if spaces:
                i, w, v = m.group("i", "w", "v")
                if i is not None:
                    out.append((blank + 1, True))
                w = w or v
            else:
                w = m.group("w")
            if w and _NEXT_AFTER_BLANKS_RE.match(text, blank):
                words.append(blank - len(w))
    for start in words:
        if _word_at(text, start) and not (start and text[start - 1] == "-" and _hidden(text, start)):
            out.append((start, False))
    out.sort()
    return out


def _hidden(text: str, start: int) -> bool:
    """An anchor right after the hyphen of "пр-т", "б-р", "кв-л" ("пр-тупик"): the word before
    takes it, as one left-to-right scan for anchors would."""
    for k in (start - 2, start - 3, start - 4):
        if k >= 0 and text[k] in "пбк" and _word_at(text, k):
            m = _HYPHEN_WORD_RE.match(text, k)
            if m and m.end() > start:
                return True
    return False


_HYPHEN_WORD_RE = re.compile(r"пр-к?т|б-р|кв-л")


def _word_starts_before(text: str, end: int, count: int) -> list[int]:
    """Starts of up to ``count`` words (split at spaces and commas) that end by ``end``, nearest first."""
    lo = max(0, end - 80)
    starts = [lo + m.start() for m in _WORD_START_RE.finditer(text, lo, end)]
    if starts and starts[0] == lo and lo > 0 and text[lo - 1] not in " \u00a0,":
        starts.pop(0)  # a word cut by the look-back limit
    return starts[::-1][:count]


def _live(text: str, pos: int, index: bool) -> bool:
    """Can the anchor at ``pos`` be part of an address? A street or house word must start a
    street, a house or a settlement ("д. Покровка"), or end a street ("Ленина улица 5"); an index
    must stand next to another component ("690091, г. Владивосток", "Приморский край, 692519")."""
    if not index:
        m = _COMP_RE.match(text, pos)
        if m and m.lastgroup in _LIVE_AT:
            return True
        j = pos  # a street's name before its kind word ends with a small letter, then blanks
        while j > 0 and text[j - 1] in " \u00a0":
            j -= 1
        if j == pos or j == 0 or not ("а" <= text[j - 1] <= "я" or text[j - 1] == "ё"):
            return False
        for p in _word_starts_before(text, pos, 2):
            m = _COMP_RE.match(text, p)
            if m and m.lastgroup == "street" and m.end() > pos:
                return True
        return False
    end = pos + 6
    g = _GAP_RE.match(text, end)
    if g is not None and g.end() - end <= 4:
        m = _COMP_RE.match(text, g.end())
        if m and m.lastgroup in _LIVE_NEXT_TO_INDEX:
            return True
    e = pos  # the component before it ends where the gap before the index starts
    while e > 0 and pos - e < 4 and text[e - 1] in " \u00a0,":
        e -= 1
    if e == 0 or not _GAP_RE.fullmatch(text, e, pos) or not (text[e - 1].isalpha() or text[e - 1] == "."):
        return False
    for p in _word_starts_before(text, e, 4):
        m = _COMP_RE.match(text, p)
        if m and m.end() == e and m.lastgroup in _LIVE_BEFORE_INDEX:
            return True
    return False


def _windows(text: str, live_only: bool = True) -> list[tuple[int, int]]:
    """Merged spans around address anchors, those with an anchor that can be part of an address
    (all of them with ``live_only=False``: the tests compare)."""
    n = len(text)
    spans: list[tuple[int, int, bool]] = []
    for a, index in _anchors(text):
        # 40 more characters after: do not cut the last component in two (line breaks are
        # blanks by now, so there is no line end to stop at)
        lo, hi = max(0, a - _BEFORE), min(n, a + _AFTER + 40)
        if spans and lo <= spans[-1][1]:
            s_lo, s_hi, live = spans[-1]
            spans[-1] = (s_lo, max(s_hi, hi), live or not live_only or _live(text, a, index))
        else:
            spans.append((lo, hi, not live_only or _live(text, a, index)))
    return [(lo, hi) for lo, hi, live in spans if live]


def find(text: str, context: str = "", live_only: bool = True) -> list[Detection]:
    """All addresses in text (``context`` is accepted for the hook signature; unused)."""
    # A line break is a space inside an address: PDF text and letterheads wrap "бульвар\nЛазо",
    # "д.\n57А". Same length, so offsets stay valid.
    text = text.replace("\r", " ").replace("\n", " ")
    out: list[Detection] = []
    for lo, hi in _windows(text, live_only):
        _find_in(text, lo, hi, out)
    return out


def _find_in(text: str, lo: int, hi: int, out: list[Detection]) -> None:
    chain: list[tuple[str, int, int]] = []

    def flush() -> None:
        kinds = {k for k, _, _ in chain}
        if chain and _valid(kinds):
            start, end = chain[0][1], chain[-1][2]
            full = (
                "street" in kinds
                and bool(kinds & {"house", "number"})
                and bool(kinds & {"flat", "settlement", "index"})
            )
            out.append(
                Detection(ENTITY, start, end, normalize(text[start:end]), SCORE_FULL if full else SCORE)
            )
        chain.clear()

    for m in _COMP_RE.finditer(text, lo, hi):
        kind = m.lastgroup or ""
        if chain:
            gap = text[chain[-1][2] : m.start()]
            if len(gap) > 4 or not _GAP_RE.fullmatch(gap):
                flush()
        # A bare number is a house number only right after a street.
        if kind == "number" and not (chain and chain[-1][0] == "street"):
            flush()
            continue
        chain.append((kind, m.start(), m.end()))
    flush()


_SETTLEMENT_RE = re.compile(
    rf"(?:г\.|гор\.|город|пгт\.?|пос\.|п\.|с\.|село|д\.|дер\.|деревня|ст-ца|станица|х\.|рп\.?)\s*({_NAME})",
    re.IGNORECASE,
)


def mask_text(raw: str) -> str:
    """Keep only the settlement ("г. Уссурийск ***") or the first word, then "***"."""
    m = _SETTLEMENT_RE.search(raw)
    if m:
        return (
            f"г. {m.group(1)} ***" if raw[m.start() : m.start() + 2].lower() == "г." else f"{m.group(0)} ***"
        )
    first = raw.split()[0] if raw.split() else ""
    return f"{first.rstrip(',')} ***"


_SETTLEMENT_WORDS = frozenset(
    {
        "г",
        "город",
        "гор",
        "пгт",
        "пос",
        "п",
        "поселок",
        "село",
        "с",
        "д",
        "дер",
        "деревня",
        "станица",
        "ст-ца",
        "х",
        "рп",
    }
)


def mask(normalized: str) -> str:
    """Masked form from the normalized address: the settlement or the first word, then "***"."""
    words = normalized.split()
    for i, w in enumerate(words[:-1]):
        if w in _SETTLEMENT_WORDS and words[i + 1].replace("-", "").isalpha():
            return f"{w}. {words[i + 1].capitalize()} ***"
    return f"{words[0].capitalize()} ***" if words else "***"


def detect_chunk(chunk: Chunk) -> list[Detection]:
    """The detector hook: LOCATION detections of one chunk."""
    return find(chunk.text, chunk.context)


class RuAddressRecognizer(FinderRecognizer):
    """LOCATION (Russian postal address) for a stock Presidio AnalyzerEngine, language "ru"."""

    ENTITY = ENTITY
    EXPLANATION = "адрес по шаблону"

    def find(self, text: str) -> list[Detection]:
        return find(text)

    def mask(self, normalized: str) -> str:
        return mask(normalized)
