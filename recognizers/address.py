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
# Anchors: an address holds a street, a house or a postal index. They are found with str.find
# (a regex alternation costs ~10x more), and the component regex runs only around them.
# Every alternative starts with a literal letter, so the regex engine skips other characters
# fast (~100 MB/s); a scan with an alternation of components is ~30x slower.
_ANCHOR_RE = re.compile(
    r"у(?:л\.|лиц[аеуы]|ч\.|часток)|У(?:л\.|лица)|п(?:р(?:-к?т|\.|осп\.?|оспект[аеу]?|оезд[аеу]?)"
    r"|ер(?:\.|еул(?:ок|ке|ка))|л(?:\.|ощад[ьи]))|б(?:-р|ульвар[аеу]?)|ш(?:\.|оссе)"
    r"|н(?:аб\.|абережн(?:ая|ой))|т(?:уп(?:\.|ик[аеу]?)|ракт)|м(?:крн?\.?|икрорайон[аеу]?)"
    r"|к(?:в-л|вартал[аеу]?)|д(?:\.|ом)|в(?:л\.|ладение)|аллея|линия"
)
_ANCHOR_NEXT = frozenset("0123456789№АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ")
# Spelled out: the engine scans for "\d\d…" ~1.5x faster than for "\d{6,}" (same matches).
_INDEX_RE = re.compile(r"\d\d\d\d\d\d+")
_BEFORE = 110  # index, region, settlement stand before the street
_AFTER = 60  # house, building, flat after it
_PUNCT_RE = re.compile(r"[\s,.;:№\"«»]+")


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


def _anchor_at(text: str, i: int, j: int, n: int) -> bool:
    """A street/house word text[i:j] at a word start, followed past spaces by a number or a
    capitalised name: "ул. Амурская", "д. 53", "проспекте Мира"."""
    if i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        return False
    if j < n and text[j].isalpha() and text[j - 1] != ".":
        return False  # "домашний", "трактовка"
    while j < n and text[j] in " \u00a0":
        j += 1
    return j < n and text[j] in _ANCHOR_NEXT


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around address anchors."""
    n = len(text)
    anchors = [m.start() for m in _INDEX_RE.finditer(text) if m.end() - m.start() == 6]
    anchors += [m.start() for m in _ANCHOR_RE.finditer(text) if _anchor_at(text, m.start(), m.end(), n)]
    if not anchors:
        return []
    anchors.sort()
    spans: list[tuple[int, int]] = []
    for a in anchors:
        lo, hi = max(0, a - _BEFORE), min(n, a + _AFTER)
        nl = text.find("\n", hi, hi + 40)  # do not cut the last component in two
        hi = nl if nl >= 0 else min(n, hi + 40)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def find(text: str, context: str = "") -> list[Detection]:
    """All addresses in text (``context`` is accepted for the hook signature; unused)."""
    # A line break is a space inside an address: PDF text and letterheads wrap "бульвар\nЛазо",
    # "д.\n57А". Same length, so offsets stay valid.
    text = text.replace("\r", " ").replace("\n", " ")
    out: list[Detection] = []
    for lo, hi in _windows(text):
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
