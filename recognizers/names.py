"""PERSON: Russian full names (ФИО) found with pymorphy3 grammemes, no model download.

The fast path tokenizes capitalised Cyrillic words and initials with one regex, looks every
word form up once in pymorphy3 (cached: names repeat) and accepts a run of words only when
their Name / Surn / Patr grammemes agree in case and gender:
"Иванов Иван Иванович", "Иванову Петру Сергеевичу", "ИВАНОВ ПЁТР СЕРГЕЕВИЧ",
"Данейкина О.Н.", "О.Н. Данейкина", and table rows "Иванов<TAB>Иван<TAB>Иванович" whose
header (``Chunk.context``) names the columns. A name is normalised to the nominative case
(gender kept) for the fingerprint.

Out-of-dictionary surnames ("Кхвостиков") count when a first name and patronymic agree
around them, next to initials, or with a surname ending beside a first name. ``find_deep``
(``--ner deep``) adds natasha/slovnet PER spans on top.

Hard negatives are handled by context: a street or "им." right before the name
("ул. Льва Толстого"), a quote before it (organisation names such as «МакАрт» are not
names anyway: CamelCase words are not tokens). A position title or signature cue right
before the name ("Директор ООО «МакАрт» Данейкина О.Н.", "Исполнитель: Петрова А.А.")
lowers the score: one signature of the organisation's own staff is not a leak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymorphy3.units import DictionaryAnalyzer as _DictionaryAnalyzer

from pdscan.model import Chunk, Detection
from recognizers.finder_recognizer import FinderRecognizer

ENTITY = "PERSON"

# Scores: full ФИО agreed in case and gender; surname + initials; two-word forms.
SCORE_FULL = 0.85
SCORE_INITIALS = 0.75
SCORE_TABLE = 0.85
SCORE_PAIR = 0.6
SCORE_NAME_PATR = 0.5
# A name right after a position title or signature cue (one signature of own staff).
SCORE_SIGNATURE = 0.3

_UP = "А-ЯЁ"
_LO = "а-яё"
# A word: Title-case or ALL CAPS, optionally hyphenated; never CamelCase ("МакАрт") since
# the word must not run on into more letters.
_WORD = rf"(?:[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?)(?![{_UP}{_LO}A-Za-z])"
_INIT = rf"[{_UP}]\.[ \u00a0]?[{_UP}]\."
_TOKEN = rf"(?:(?P<i>{_INIT})|(?P<w>{_WORD}))"
_ANY_TOKEN = rf"(?:{_INIT}|{_WORD})"
# Words of one name: spaces, table-cell tabs, or one line break (PDF text wraps lines).
# Unambiguous (no two ways to split a run of blanks), so long blank runs cannot backtrack badly.
_SEP = r"(?:[ \t\u00a0]+(?:\r?\n[ \t\u00a0]*)?|\r?\n[ \t\u00a0]*)"
_TOKEN_RE = re.compile(_TOKEN)
# A run of two or more tokens: single capitalised words never reach pymorphy3.
# The first token is split into its first capital (a lone character class, so the regex engine
# skips to capitals fast; a leading look-behind would be tried at every position) and the rest.
_FIRST = rf"[{_UP}](?<![{_UP}{_LO}A-Za-z0-9.][{_UP}])"
_FIRST_REST = (
    rf"(?:\.[ \u00a0]?[{_UP}]\.|[{_LO}]+(?:-[{_UP}][{_LO}]+)?(?![{_UP}{_LO}A-Za-z])"
    rf"|[{_UP}]+(?:-[{_UP}]{{2,}})?(?![{_UP}{_LO}A-Za-z]))"
)
_RUN_RE = re.compile(rf"{_FIRST}{_FIRST_REST}(?:(?:{_SEP}|(?<=\.)[ \u00a0]?){_ANY_TOKEN})+")
# Every run holds a second token: a capital right after a separator (after a word, an initial's
# dot or more blanks) or right after an initial's dot. These regexes start with a literal, so the
# regex engine skips to it fast; _RUN_RE itself, led by a capital, is ~4x slower on prose.
_SECOND_RES = (
    (" ", re.compile(r" (?=[А-ЯЁ])(?:(?<=[А-ЯЁа-яё \t\u00a0\n] )|(?<=[А-ЯЁ]\. ))")),
    (".", re.compile(r"\.(?=[А-ЯЁ])(?<=[А-ЯЁ]\.)")),
    ("\n", re.compile(r"\n(?=[А-ЯЁ])")),
    ("\t", re.compile(r"\t(?=[А-ЯЁ])")),
    ("\u00a0", re.compile(r"\u00a0(?=[А-ЯЁ])")),
)
# A whole-text scan for runs tries every position that is not inside a run, and no run holds a
# character outside _RUN_CHARS, nor a lowercase word (a lowercase letter after a blank). A scan that
# starts right after such a character, or at such a word, finds the same runs from there on; a scan
# may stop at one, too (the look-ahead at a run's end sees the character after it).
_RUN_CHARS = "А-ЯЁа-яё. \u00a0\t\r\n-"
_BLANKS = frozenset(" \u00a0\t\r\n")
_LOWER = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_CAPS = frozenset("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_CYR = _LOWER | _CAPS
_IN_RUN = _CYR | frozenset(".-") | _BLANKS
_SHORT = 2000  # characters: shorter text is scanned whole
_BOUNDARY_RE = re.compile(rf"[^{_RUN_CHARS}]|(?<=[ \u00a0\t\r\n])[а-яё]")


def _after_token(text: str, p: int) -> bool:
    """Can the capital at p be a second token: does a capitalised word or an initial's dot stand
    before the blanks before it? (If not, a run that starts at p has a second token of its own.)"""
    j = p
    while j > 0 and text[j - 1] in _BLANKS:
        j -= 1
    if j == 0:
        return False
    if text[j - 1] == ".":
        return True
    w = j
    while w > 0 and text[w - 1] in _CYR:
        w -= 1
    return w < j and text[w] in _CAPS


def _run_scan_start(text: str, p: int, floor: int) -> int:
    """The nearest position before p (not before ``floor``) that a scan for runs may start from."""
    i = p
    while i > floor:
        c = text[i - 1]
        if c not in _IN_RUN:
            return i
        if c in _LOWER and i >= 2 and text[i - 2] in _BLANKS:
            return i - 1
        i -= 1
    return floor


def _runs(text: str) -> list[re.Match]:
    """The matches of _RUN_RE.finditer(text)."""
    if len(text) <= _SHORT:
        return list(_RUN_RE.finditer(text))  # a few regex passes cost more than one on short text
    return _runs_near_seconds(text)


def _runs_near_seconds(text: str) -> list[re.Match]:
    """The matches of _RUN_RE.finditer(text), found by scanning only around second tokens (a
    long text has few): from the nearest place before one that a scan may start from to the
    nearest one after it that it may stop at."""
    seconds = sorted({m.start() + 1 for c, rx in _SECOND_RES if c in text for m in rx.finditer(text)})
    runs: list[re.Match] = []
    covered = 0  # every run that starts before this is found; a scan may start here
    for p in seconds:
        if p < covered or not _after_token(text, p):
            continue
        start = _run_scan_start(text, p, covered)
        stop = _BOUNDARY_RE.search(text, p)
        if stop is None:
            covered = len(text)
        else:
            covered = stop.start() + (text[stop.start()] not in _LOWER)
        runs += _RUN_RE.finditer(text, start, covered)
    return runs


_CASES = {
    "nomn": "nomn",
    "gent": "gent",
    "gen2": "gent",
    "datv": "datv",
    "accs": "accs",
    "acc2": "accs",
    "ablt": "ablt",
    "loct": "loct",
    "loc2": "loct",
}
_ROLES = ("Name", "Surn", "Patr")

# The word right before a name that makes it a street, a school or a place ("ул. Льва Толстого",
# "им. А.П. Чехова"): exact abbreviations and stems of full words.
_PLACE_EXACT = frozenset(
    "ул пр пр-т пр-кт просп пер б-р пл наб ш туп мкр им пос г гор р-н ст о пгт с д дер".split()
)
_PLACE_STEMS = (
    "улиц",
    "проспект",
    "переул",
    "бульвар",
    "площад",
    "набережн",
    "шоссе",
    "проезд",
    "тупик",
    "алле",
    "имени",
    "посел",
    "посёл",
    "город",
    "район",
    "станци",
    "остров",
    "пик",
    "микрорайон",
    "деревн",
    "сел",
    "мост",
    "сквер",
    "парк",
    "станиц",
    "хутор",
    "театр",
    "школ",
    "музе",
    "библиотек",
    "университет",
    "институт",
    "гимнази",
    "лице",
    "премия",
    "премии",
    "орден",
    "медал",
    "памятник",
)
# The word right before a name (only a signature line, punctuation or a quoted organisation
# name between) that makes it a signature: position titles and signature cues.
_SIGN_EXACT = frozenset("исп зам нач рук дир гл ооо пао зао оао ао ано муп гуп фгуп гбу мбу п".split())
_SIGN_STEMS = (
    "директор",
    "бухгалтер",
    "руководител",
    "исполнител",
    "начальник",
    "заведующ",
    "менеджер",
    "специалист",
    "инженер",
    "секретар",
    "председател",
    "заместител",
    "управляющ",
    "инспектор",
    "юрисконсульт",
    "экономист",
    "кассир",
    "делопроизводител",
    "подпис",
    "уважени",
    "ответственн",
    "оператор",
    "администратор",
    "президент",
    "ректор",
    "уполномоченн",
    "представител",
    "доверенност",
    "согласован",
    "утверждаю",
    "составил",
    "проверил",
    "подготовил",
    "юрист",
    "кадров",
    "бухгалтери",
    "отдел",
    "кладовщик",
    "экспедитор",
    "логист",
    "аудитор",
)
_GAP_CHARS = frozenset(" \u00a0\n\r:,.-–—/_()")
_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ-")
_QUOTE_CLOSE = '»"”'
_QUOTE_OPEN = '«"“„'


def _word_before(text: str, pos: int, lo: int) -> tuple[str, int]:
    """The word ending before ``pos`` past gap characters (lower case) and its start; "" at ``lo``."""
    i = pos
    while i > lo and text[i - 1] in _GAP_CHARS:
        i -= 1
    k = i
    while k > lo and text[k - 1] in _LETTERS:
        k -= 1
    return text[k:i].lower(), k


def _is_place(text: str, start: int) -> bool:
    """A street / place / institution word, or an opening quote, right before the name."""
    lo = max(0, start - 40)
    i = start
    while i > lo and text[i - 1] in " \u00a0":
        i -= 1
    if i > lo and text[i - 1] in _QUOTE_OPEN:
        return True
    if i > lo and text[i - 1] not in ".":
        # Full words stand right before the name ("улица Карла Маркса").
        word, _ = _word_before(text, i, lo)
        return word.startswith(_PLACE_STEMS)
    word, _ = _word_before(text, i, lo)  # an abbreviation with its dot ("ул. Льва Толстого")
    return word in _PLACE_EXACT or word.startswith(_PLACE_STEMS)


def _is_signature(text: str, start: int) -> bool:
    """A position title or signature cue right before the name (a table cell does not count)."""
    lo = max(0, start - 120)
    word, k = _word_before(text, start, lo)
    if "\t" in text[k:start]:
        return False
    if not word and k > lo and text[k - 1] in _QUOTE_CLOSE:
        # Skip a quoted organisation name: Директор ООО «МакАрт» Данейкина О.Н.
        q = max(text.rfind(c, lo, k - 1) for c in _QUOTE_OPEN)
        if q < 0 or "\n" in text[q:k]:
            return False
        word, k = _word_before(text, q, lo)
    return bool(word) and (word in _SIGN_EXACT or word.startswith(_SIGN_STEMS))


# Table headers that name the columns of a row (Chunk.context, cells joined by "\t").
_HDR_SURN = re.compile(r"^\s*фамилия\b", re.IGNORECASE)
_HDR_NAME = re.compile(r"^\s*(?:имя|name)\s*$", re.IGNORECASE)
_HDR_PATR = re.compile(r"^\s*отчество\b", re.IGNORECASE)
_HDR_FIO = re.compile(
    r"\bф\.?\s?и\.?\s?о\.?|\bфио\b|фамилия,?\s+имя|собственник|владел|сотрудник|работник|"
    r"заявител|пациент|клиент|получател|ответственн|абонент|застрахованн|ученик|студент|"
    r"пассажир|\bлицо\b|полное имя|full name",
    re.IGNORECASE,
)
_CELL_NAME_RE = re.compile(rf"^[ \u00a0]*(?:{_WORD})[ \u00a0]*$")


@dataclass(slots=True)
class _Forms:
    """Name / Surn / Patr readings of one word form: role -> {(case, gender): parse}."""

    roles: dict
    unknown: bool  # out of dictionary: may be a rare surname ("Кхвостиков")


class NameFinder:
    """Finds ФИО in text. One instance per process; thread-unsafe caches are fine for workers."""

    CACHE_SIZE = 200_000

    def __init__(self) -> None:
        import pymorphy3

        self._morph = pymorphy3.MorphAnalyzer(lang="ru")
        self._cache: dict[str, _Forms] = {}
        self._nomn: dict[tuple, str] = {}
        self._headers: dict[str, tuple[dict, list[int]]] = {}
        self._text: str | None = None  # the text _find_labelled is reading

    # --- pymorphy3 look-ups, cached per lower-case word form ---------------------------------

    def forms(self, word: str) -> _Forms:
        key = word.lower()
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        forms = self._parse(key)
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()  # a crude LRU: names repeat within a file, not across millions
        self._cache[key] = forms
        return forms

    def _parse(self, key: str) -> _Forms:
        morph = self._morph
        known = morph.word_is_known(key) or ("-" in key and morph.word_is_known(key.rsplit("-", 1)[1]))
        if not known and not key.endswith(_PATR_ENDINGS):
            # Out of dictionary: perhaps a rare surname ("Кхвостиков"), judged by its neighbours.
            # pymorphy3's guesser is the slow part (~1 ms a word), so it runs only for the
            # nominative of such a word once it stands in a name (_surn_nominative).
            return _Forms({}, True)
        parses = morph.parse(key)
        if parses and parses[0].tag.POS in _FUNCTION_POS and parses[0].score >= 0.5:
            # A preposition or particle first of all ("ПО ГОР. МОСКВЕ"): its rare "surname"
            # reading would pair it with the next word.
            return _Forms({}, False)
        if "-" in key and not any(r in p.tag.grammemes for p in parses for r in _ROLES):
            parses = morph.parse(key.rsplit("-", 1)[1])
        roles: dict[str, dict] = {}
        for p in parses:
            g = p.tag.grammemes
            if "plur" in g:
                continue
            for role in _ROLES:
                if role not in g:
                    continue
                # First names are a closed class: guessed "names" are CamelCase brands and typos.
                if role == "Name" and not isinstance(p.methods_stack[0][0], _DictionaryAnalyzer):
                    continue
                case = _CASES.get(str(p.tag.case))
                if case is None:
                    continue
                genders = ("masc", "femn") if "ms-f" in g else (str(p.tag.gender),)
                slot = roles.setdefault(role, {})
                for gender in genders:
                    if gender in ("masc", "femn"):
                        old = slot.get((case, gender))
                        # A declinable reading beats an indeclinable one ("Анне" is Анна, not Anne).
                        if old is None or ("Fixd" in old.tag.grammemes and "Fixd" not in g):
                            slot[(case, gender)] = p
        return _Forms(roles, not known)

    def nominative(self, word: str, role: str, case: str, gender: str) -> str:
        """The nominative singular of one name word, lower case, ё → е."""
        key = (word.lower(), role, case, gender)
        hit = self._nomn.get(key)
        if hit is not None:
            return hit
        out = key[0]
        p = self.forms(word).roles.get(role, {}).get((case, gender))
        if p is not None:
            inf = p.inflect({"nomn", "sing", gender}) or p.inflect({"nomn", "sing"})
            if inf is not None:
                out = inf.word
        out = out.replace("ё", "е")
        self._nomn[key] = out
        return out

    # --- matching ------------------------------------------------------------------------------

    @staticmethod
    def _agree(*slots) -> tuple[str, str] | None:
        """The (case, gender) all readings share, the nominative first; None when they disagree."""
        common = None
        for s in slots:
            if s is _ANY:
                continue
            common = s.keys() if common is None else common & s.keys()
        if common is None:
            common = _ANY
        if not common:
            return None
        if len(common) == 1:
            return next(iter(common))
        return min(common, key=_case_rank)

    def _roles(self, tok: tuple) -> dict:
        kind, text = tok[0], tok[1]
        if kind != "w":
            return {}
        return self.forms(text).roles

    def _surname_any(self, text: str) -> tuple[str, float] | None:
        """Nominative of a surname next to initials (case and gender unknown), with its score."""
        forms = self.forms(text)
        if "Surn" not in forms.roles:
            # An out-of-dictionary word next to initials: a rare surname, less sure.
            return (text.lower().replace("ё", "е"), SCORE_PAIR) if forms.unknown else None
        case, gender = self._agree(forms.roles["Surn"])
        return self.nominative(text, "Surn", case, gender), SCORE_INITIALS

    def _surn_slots(self, forms: _Forms):
        """Case/gender slots of a surname reading; ``_ANY`` for an out-of-dictionary word."""
        if "Surn" in forms.roles:
            return forms.roles["Surn"]
        return _ANY if forms.unknown else None

    def _surn_nominative(self, word: str, case: str, gender: str) -> str:
        if "Surn" in self.forms(word).roles:
            return self.nominative(word, "Surn", case, gender)
        low = word.lower().replace("ё", "е")
        if case == "nomn":
            return low
        # An out-of-dictionary surname in an oblique case: ask pymorphy3's guesser once.
        key = (low, "Surn?", case, gender)
        hit = self._nomn.get(key)
        if hit is None:
            hit = low
            for p in self._morph.parse(word.lower()):
                g = p.tag.grammemes
                if "Surn" in g and _CASES.get(str(p.tag.case)) == case and (gender in g or "ms-f" in g):
                    inf = p.inflect({"nomn", "sing", gender}) or p.inflect({"nomn", "sing"})
                    if inf is not None:
                        hit = inf.word.replace("ё", "е")
                    break
            self._nomn[key] = hit
        return hit

    def _match_at(self, toks: list, i: int) -> tuple[int, str, float] | None:
        """Try the name patterns at token i; return (tokens used, normalized, score)."""
        n = len(toks)
        t0 = toks[i]
        if i + 1 >= n:
            return None
        t1 = toks[i + 1]
        if t0[0] == "i":
            if t1[0] == "w":
                sur = self._surname_any(t1[1])
                if sur:
                    return 2, f"{sur[0]} {_initials(t0[1])}", sur[1]
            return None
        f0 = self.forms(t0[1])
        if t1[0] == "i":
            sur = self._surname_any(t0[1])
            return (2, f"{sur[0]} {_initials(t1[1])}", sur[1]) if sur else None
        r0 = f0.roles
        if not r0 and not f0.unknown:
            return None
        f1 = self.forms(t1[1])
        r1 = f1.roles
        if not r1 and not f1.unknown:
            return None
        if i + 2 < n and toks[i + 2][0] == "w":
            f2 = self.forms(toks[i + 2][1])
            # Фамилия Имя Отчество
            s0 = self._surn_slots(f0)
            if s0 is not None and "Name" in r1 and "Patr" in f2.roles:
                cg = self._agree(s0, r1["Name"], f2.roles["Patr"])
                if cg:
                    c, g = cg
                    return 3, self._full(toks[i][1], toks[i + 1][1], toks[i + 2][1], c, g), SCORE_FULL
            # Имя Отчество Фамилия
            s2 = self._surn_slots(f2)
            if s2 is not None and "Name" in r0 and "Patr" in r1:
                cg = self._agree(r0["Name"], r1["Patr"], s2)
                if cg:
                    c, g = cg
                    return 3, self._full(toks[i + 2][1], toks[i][1], toks[i + 1][1], c, g), SCORE_FULL
        for order, score in (
            (("Name", "Patr"), SCORE_NAME_PATR),
            (("Surn", "Name"), SCORE_PAIR),
            (("Name", "Surn"), SCORE_PAIR),
        ):
            if order[0] in r0 and order[1] in r1:
                cg = self._agree(r0[order[0]], r1[order[1]])
                # Two first names ("Роман Евгений") are no name + surname pair.
                surn_roles = r0 if order[0] == "Surn" else r1
                as_name = surn_roles.get("Name", {}).get(cg) if cg and "Surn" in order else None
                if as_name is not None and as_name.score > surn_roles["Surn"][cg].score:
                    continue
                if cg:
                    words = {order[k]: self.nominative(toks[i + k][1], order[k], *cg) for k in range(2)}
                    if "Surn" in words:
                        return 2, f"{words['Surn']} {words['Name']}", score
                    return 2, f"{words['Name']} {words['Patr']}", score
        # A first name and an out-of-dictionary surname in the nominative ("Татьяна Тарабрина").
        for k_name, k_surn in ((0, 1), (1, 0)):
            rn = (r0, r1)[k_name]
            fs = (f0, f1)[k_surn]
            if "Name" in rn and fs.unknown:
                gender = _surname_gender(toks[i + k_surn][1].lower())
                if gender and ("nomn", gender) in rn["Name"]:
                    name = self.nominative(toks[i + k_name][1], "Name", "nomn", gender)
                    return 2, f"{toks[i + k_surn][1].lower().replace('ё', 'е')} {name}", SCORE_PAIR
        return None

    def _full(self, surn: str, name: str, patr: str, case: str, gender: str) -> str:
        return (
            f"{self._surn_nominative(surn, case, gender)} {self.nominative(name, 'Name', case, gender)} "
            f"{self.nominative(patr, 'Patr', case, gender)}"
        )

    def find(self, text: str, context: str = "") -> list[Detection]:
        """All PERSON detections in text; ``context`` is a table header (cells joined by tabs)."""
        out: list[Detection] = []
        fio_cells: list[tuple[int, str]] = []
        if context and "\t" in text:
            out, fio_cells = self._find_table(text, context)
        if _has_label_hint(text) and _LABEL_RE.search(text):
            out.extend(d for d in self._find_labelled(text) if not _overlaps(d, out))
        taken = [(d.start, d.end) for d in out]
        for run in _runs(text):
            base = run.start()
            toks = [
                ("i" if m.group("i") else "w", m.group(0), base + m.start(), base + m.end())
                for m in _TOKEN_RE.finditer(run.group(0))
            ]
            i = 0
            while i < len(toks) - 1:
                hit = self._match_at(toks, i)
                if hit is None:
                    i += 1
                    continue
                used, norm, score = hit
                start, end = toks[i][2], toks[i + used - 1][3]
                i += used
                if taken and any(s < end and start < e for s, e in taken):
                    continue
                if _is_place(text, start):
                    continue
                if _is_signature(text, start):
                    score = min(score, SCORE_SIGNATURE)
                out.append(Detection(ENTITY, start, end, norm, score))
        for start, cell in fio_cells:
            # A ФИО column vouches for its cell: a name found there is sure, else try loosely.
            end = start + len(cell)
            inside = [d for d in out if start <= d.start < end]
            for d in inside:
                d.score = max(d.score, SCORE_TABLE)
            if not inside:
                d = self._loose_cell(cell)
                if d is not None:
                    out.append(Detection(ENTITY, start + d.start, start + d.end, d.normalized, SCORE_PAIR))
        return out

    # --- labelled fields: "Фамилия\nПЕТРОВ\nИмя\nОЛЕГ", "Фамилия: Петров  Имя: Олег" -------------

    def _find_labelled(self, text: str) -> list[Detection]:
        """ФИО of a form or a passport page whose fields are labelled Фамилия / Имя / Отчество.

        The labels vouch for the roles, so the surname may be any word (OCR misreads included);
        the first name must be a dictionary name and the patronymic look like one, and they
        must agree in gender. Values stand after the label on its line or alone on the next line.
        """
        out: list[Detection] = []
        group: dict[str, tuple[str, int, int]] = {}
        last = -1
        self._text = text
        for m in _LABEL_RE.finditer(text):
            role = _LABEL_ROLE[m.group(1).lower()]
            if group and (role in group or m.start() - last > _LABEL_GAP):
                out.extend(self._labelled_person(group))
                group = {}
            last = m.end()
            value = _label_value(text, m.end())
            if value is not None:
                group[role] = value
                last = value[2]
        out.extend(self._labelled_person(group))
        self._text = None
        return out

    def _labelled_person(self, group: dict[str, tuple[str, int, int]]) -> list[Detection]:
        for role, prev in (("Name", "Surn"), ("Patr", "Name")):
            # OCR may lose a small label: the field's value then stands alone on the line after
            # the previous field's value ("Фамилия\nПОПОВ\nНИКОЛАЙ\nОтчество\nДМИТРИЕВИЧ").
            if role not in group and prev in group and self._text is not None:
                value = _label_value(self._text, group[prev][2])
                if value is not None and (
                    self._label_name(value[0]) if role == "Name" else _looks_patronymic(self, value[0])
                ):
                    group[role] = value
        if "Name" not in group or len(group) < 2:
            return []
        name = self._label_name(group["Name"][0])
        if name is None:
            return []
        slots = [name[1]]
        patr = group.get("Patr")
        if patr is not None:
            p_roles = self.forms(patr[0]).roles.get("Patr")
            if p_roles:
                slots.append(p_roles)
            elif not patr[0].lower().endswith(_PATR_ENDINGS):
                patr = None  # not a patronymic: a misread or another field's text
        surn = group.get("Surn")
        surn_roles = self.forms(surn[0]).roles.get("Surn") if surn else None
        if surn_roles and self._agree(*slots, surn_roles):
            slots.append(surn_roles)
        cg = self._agree(*slots)
        if cg is None:
            # Name and patronymic of different genders: not one person.
            if patr is None or surn is None:
                return []
            slots, patr = slots[:1], None
            cg = self._agree(*slots)
        case, gender = cg
        if surn is None and patr is None:
            return []
        words = []
        if surn is not None:
            words.append(
                self.nominative(surn[0], "Surn", case, gender)
                if surn_roles and (case, gender) in surn_roles
                else surn[0].lower().replace("ё", "е")
            )
        words.append(self.nominative(name[0], "Name", case, gender))
        if patr is not None:
            words.append(
                self.nominative(patr[0], "Patr", case, gender)
                if "Patr" in self.forms(patr[0]).roles
                else patr[0].lower().replace("ё", "е")
            )
        parts = [v for v in (surn, group["Name"], patr) if v is not None]
        start, end = min(v[1] for v in parts), max(v[2] for v in parts)
        score = SCORE_TABLE if len(parts) == 3 else SCORE_INITIALS
        return [Detection(ENTITY, start, end, " ".join(words), score)]

    def _label_name(self, word: str) -> tuple[str, dict] | None:
        """A first name under an "Имя" label, with its slots; OCR reads Й as И ("АНДРЕИ")."""
        low = word.lower()
        if low.endswith("и"):
            fixed = self.forms(low[:-1] + "й").roles.get("Name")
            if fixed and any(c == "nomn" for c, _ in fixed):
                return low[:-1] + "й", fixed
        roles = self.forms(low).roles.get("Name")
        return (low, roles) if roles else None

    def _header(self, context: str) -> tuple[dict, list[int]]:
        """Column roles of a table header: ({role: column}, ФИО columns), cached per header."""
        hit = self._headers.get(context)
        if hit is not None:
            return hit
        cols: dict[str, int] = {}
        fio: list[int] = []
        for k, h in enumerate(context.split("\t")):
            if _HDR_SURN.search(h) and not _HDR_FIO.search(h):
                cols["Surn"] = k
            elif _HDR_NAME.search(h):
                cols["Name"] = k
            elif _HDR_PATR.search(h):
                cols["Patr"] = k
            elif _HDR_FIO.search(h):
                fio.append(k)
        if len(self._headers) > 10_000:
            self._headers.clear()
        self._headers[context] = (cols, fio)
        return cols, fio

    def _find_table(self, text: str, context: str) -> tuple[list[Detection], list[tuple[int, str]]]:
        """A row whose header names Фамилия / Имя / Отчество columns; also the ФИО-column cells."""
        cols, fio = self._header(context)
        out: list[Detection] = []
        if not fio and not ("Surn" in cols and len(cols) >= 2):
            return out, []
        cells, pos = [], 0
        for cell in text.split("\t"):
            cells.append((pos, cell))
            pos += len(cell) + 1
        parts = [(r, cols[r]) for r in _ROLES if cols.get(r, len(cells)) < len(cells)]
        if "Surn" in cols and len(parts) >= 2 and all(_CELL_NAME_RE.match(cells[k][1]) for _, k in parts):
            words = {r: cells[k][1].strip() for r, k in parts}
            sets = [self._roles(("w", w)).get(r, {}) for r, w in words.items()]
            cg = self._agree(*sets) if all(sets) else None
            # The header vouches for the columns; the grammemes only pick the case.
            case, gender = cg if cg else ("nomn", "masc")
            norm = " ".join(
                self.nominative(words[r], r, case, gender) if cg else words[r].lower().replace("ё", "е")
                for r in ("Surn", "Name", "Patr")
                if r in words
            )
            if cg or any(sets):
                start = min(cells[k][0] for _, k in parts)
                end = max(cells[k][0] + len(cells[k][1]) for _, k in parts)
                out.append(Detection(ENTITY, start, end, norm, SCORE_TABLE))
        return out, [cells[k] for k in fio if k < len(cells) and cells[k][1].strip()]

    def _loose_cell(self, cell: str) -> Detection | None:
        """A ФИО-column cell of 2-3 capitalised words (or surname + initials) pymorphy3 did not agree on."""
        toks = list(_TOKEN_RE.finditer(cell))
        if not 2 <= len(toks) <= 3 or _TOKEN_RE.sub("", cell).strip(" \u00a0,"):
            return None
        if not any(self._roles(("w", t.group(0))) for t in toks if t.group("w")):
            return None
        norm = " ".join(
            _initials(t.group(0)) if t.group("i") else t.group(0).lower().replace("ё", "е") for t in toks
        )
        return Detection(ENTITY, toks[0].start(), toks[-1].end(), norm, SCORE_PAIR)


def _looks_patronymic(f: NameFinder, word: str) -> bool:
    return "Patr" in f.forms(word).roles or word.lower().endswith(_PATR_ENDINGS)


def _overlaps(d: Detection, others: list[Detection]) -> bool:
    return any(o.start < d.end and d.start < o.end for o in others)


# Parts of speech that are never a name word, when pymorphy3 is sure of them.
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})

# Field labels of forms and passport pages, any case; a value may be glued on ("ИмяОЛЕГ"),
# but a label never runs on into lower-case letters ("Имена", "фамилии").
_LABEL_RE = re.compile(r"(?<![А-ЯЁа-яёA-Za-z])((?i:фамилия|имя|отчество))(?![а-яё])")
# Plain substrings, one of which a labelled person always holds (a group needs two labels):
# ten times cheaper than the case-insensitive regex on text without labels.
_LABEL_HINTS = ("амили", "АМИЛИ", "Имя", "ИМЯ", "тчеств", "ТЧЕСТВ")
_IMYA_RE = re.compile("И(?:мя|МЯ)")  # two of the hints at one literal-led pass


def _has_label_hint(text: str) -> bool:
    """any(t in text for t in _LABEL_HINTS), cheaper: capitals first, each looked for alone."""
    return bool(
        "амили" in text
        or ("Л" in text and "АМИЛИ" in text)
        or ("И" in text and _IMYA_RE.search(text))
        or "тчеств" in text
        or ("Ч" in text and "ТЧЕСТВ" in text)
    )


_LABEL_ROLE = {"фамилия": "Surn", "имя": "Name", "отчество": "Patr"}
_LABEL_GAP = 160  # characters from one field to the next label of the same person
# Latin letters OCR puts into Cyrillic words; a value read wholly as Latin ("KXBOCTUKOB") is
# mapped too when every letter has a Cyrillic look-alike (U and N stand for И).
_HOMOGLYPHS = str.maketrans("ABCEHKMOPTXYUNaceopxyu", "АВСЕНКМОРТХУИИасеорхуи")
_LATIN_LOOKALIKE = frozenset("ABCEHKMOPTXYUN")
_VALUE_TOKEN_RE = re.compile(r"\S+")
_VALUE_WORD_RE = re.compile(rf"^[{_UP}][{_UP}{_LO}]+(?:-[{_UP}][{_UP}{_LO}]+)?$")
_LOWER_WORD_RE = re.compile(rf"^[{_LO}]{{2,}}(?:-[{_LO}]{{2,}})?$")
_VALUE_STRIP = " \t\u00a0.,:;|_-–—'\"«»()[]{}!?*‘’“”"


def _line_tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Tokens of text[start:end] stripped of punctuation, Latin look-alikes made Cyrillic."""
    out = []
    for m in _VALUE_TOKEN_RE.finditer(text, start, end):
        raw = m.group(0)
        core = raw.strip(_VALUE_STRIP)
        if not core:
            continue
        lead = raw.find(core)
        if any("а" <= c.lower() <= "я" or c in "ёЁ" for c in core) or (
            len(core) >= 3 and set(core) <= _LATIN_LOOKALIKE
        ):
            core = core.translate(_HOMOGLYPHS)
        out.append((core, m.start() + lead, m.start() + lead + len(core)))
    return out


def _is_junk(tok: str) -> bool:
    """OCR noise beside a label: a stray letter, digit or Latin fragment."""
    return len(tok) < 2 or not _VALUE_WORD_RE.match(tok) and (len(tok) <= 2 or not tok.isalpha())


def _label_value(text: str, pos: int) -> tuple[str, int, int] | None:
    """The value of the field whose label ends at ``pos``: (word, start, end) or None."""
    eol = text.find("\n", pos)
    eol = len(text) if eol < 0 else eol
    for tok, s, e in _line_tokens(text, pos, eol):
        if _LABEL_RE.fullmatch(tok) or tok.lower() in _LABEL_ROLE:
            return None  # a header line "Фамилия Имя Отчество": the rows are the run finder's
        if _VALUE_WORD_RE.match(tok):
            return tok, s, e
        if not _is_junk(tok):
            return None  # prose: "Имя файла", "фамилия, имя, отчество"
    # Nothing on the label's line: the value alone on the next non-blank line.
    start = eol + 1
    while start < len(text):
        nl = text.find("\n", start)
        nl = len(text) if nl < 0 else nl
        toks = _line_tokens(text, start, nl)
        if toks:
            words = [t for t in toks if not _is_junk(t[0])]
            if len(words) == 1 and _LOWER_WORD_RE.match(words[0][0]):
                # A value alone on its line that OCR read in lower case ("Фамилия\nпопов").
                w, ws, we = words[0]
                return w[0].upper() + w[1:], ws, we
            if not words or len(words) > 3 or not _VALUE_WORD_RE.match(words[0][0]):
                return None
            if words[0][0].lower() in _LABEL_ROLE:
                return None
            return words[0]
        start = nl + 1
    return None


# Every case and gender: the slots of an out-of-dictionary surname.
_ANY = frozenset((c, g) for c in set(_CASES.values()) for g in ("masc", "femn"))
_CASE_ORDER = {c: k for k, c in enumerate(("nomn", "gent", "datv", "accs", "ablt", "loct"))}


def _case_rank(cg: tuple[str, str]) -> tuple[int, str]:
    return _CASE_ORDER[cg[0]], cg[1]


_PATR_ENDINGS = tuple(
    s + e for s in ("вич", "вн", "ичн", "ьич") for e in ("", "а", "у", "ем", "е", "ой", "ы", "ом")
)


_SURN_MASC = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ской")
_SURN_FEMN = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")


def _surname_gender(word: str) -> str | None:
    """The gender a nominative surname's ending tells, or None when it does not look like one."""
    if word.endswith(_SURN_FEMN):
        return "femn"
    if word.endswith(_SURN_MASC):
        return "masc"
    return None


def _initials(tok: str) -> str:
    return tok.replace(" ", "").replace("\u00a0", "").lower().replace("ё", "е")


def mask(normalized: str) -> str:
    """First letters only: "иванов иван иванович" -> "И***** И. И."."""
    parts = normalized.split()
    if not parts:
        return "***"
    head = parts[0][:1].upper() + "*" * max(len(parts[0]) - 1, 1)
    tail = []
    for p in parts[1:]:
        tail.append(p.upper() if "." in p else p[:1].upper() + ".")
    return " ".join([head, *tail])


def count_persons(detections: list[Detection]) -> int:
    """Distinct people among PERSON detections: "иванов и.и." is the same as "иванов иван иванович".

    Falls back to distinct personal identifiers (СНИЛС, passports...) when no name is found.
    """
    full, short = set(), set()
    for d in detections:
        if d.entity != ENTITY:
            continue
        parts = d.normalized.split()
        if len(parts) >= 2 and "." in parts[1]:
            short.add((parts[0], parts[1]))
        elif len(parts) >= 2:
            full.add(d.normalized)
    covered = set()
    for f in full:
        p = f.split()
        if len(p) == 3:
            covered.add((p[0], f"{p[1][0]}.{p[2][0]}."))
    n = len(full) + len(short - covered)
    if n:
        return n
    ids = {(d.entity, d.normalized) for d in detections if d.entity in _PERSON_IDS}
    return len(ids)


# Identifiers that each belong to one natural person (used when a file names nobody);
# the same set as pdscan.detect.PERSON_ID_ENTITIES.
_PERSON_IDS = frozenset(
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


def is_signature_only(detections: list[Detection]) -> bool:
    """True when the only personal data is a signature or two of the organisation's own staff."""
    if not detections or any(d.entity != ENTITY for d in detections):
        return False
    people = {d.normalized for d in detections}
    return len(people) <= 2 and all(d.score <= SCORE_SIGNATURE for d in detections)


_FINDER: NameFinder | None = None


def finder() -> NameFinder:
    """The process-wide NameFinder (pymorphy3 dictionaries load once, ~0.3 s)."""
    global _FINDER
    if _FINDER is None:
        _FINDER = NameFinder()
    return _FINDER


def detect_chunk(chunk: Chunk) -> list[Detection]:
    """The detector hook: PERSON detections of one chunk."""
    return finder().find(chunk.text, chunk.context)


SCORE_DEEP = 0.6  # a natasha/slovnet PER span the fast finder did not confirm
_DEEP = None


def _natasha():
    """natasha's segmenter + slovnet NER (the model ships in the wheel; ~4 s to load, once)."""
    global _DEEP
    if _DEEP is None:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        _DEEP = (Segmenter(), NewsNERTagger(NewsEmbedding()))
    return _DEEP


def find_deep(text: str, context: str = "") -> list[Detection]:
    """The fast finder plus natasha/slovnet PER spans of two or more words it did not find."""
    from natasha import Doc

    f = finder()
    out = f.find(text, context)
    if not _CAPS_RE.search(text):
        return out
    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    for span in doc.spans:
        if span.type != "PER":
            continue
        start, end = span.start, span.stop
        # Two words or more, at least one a capitalised Cyrillic word or initials.
        if len(span.text.split()) < 2 or not _TOKEN_RE.search(span.text):
            continue
        if any(d.start < end and start < d.end for d in out):
            continue
        if _is_place(text, start) or not _deep_agrees(f, span.text):
            continue
        norm = " ".join(_deep_word(f, w) for w in span.text.split())
        score = SCORE_SIGNATURE if _is_signature(text, start) else SCORE_DEEP
        out.append(Detection(ENTITY, start, end, norm, score))
    out.sort(key=lambda d: d.start)
    return out


_CAPS_RE = re.compile(r"[А-ЯЁ]")


def _deep_agrees(f: NameFinder, span: str) -> bool:
    """False when every word of a natasha span reads as a name but no case and gender fit them
    all ("Роза Ветров" is a compass rose, not a woman)."""
    common = None
    for word in span.split():
        if "." in word:
            continue
        forms = f.forms(word.strip(",;:"))
        if not forms.roles:
            return True  # a word pymorphy3 cannot judge: trust the model
        slots = set().union(*(s.keys() for s in forms.roles.values()))
        common = slots if common is None else common & slots
    return common is None or bool(common)


def _deep_word(f: NameFinder, word: str) -> str:
    """Nominative of one word of a natasha span, by its first name reading; initials as they are."""
    if "." in word:
        return _initials(word)
    roles = f.forms(word).roles
    for role in _ROLES:
        slots = roles.get(role)
        if slots:
            case, gender = min(slots, key=_case_rank)
            return f.nominative(word, role, case, gender)
    return word.lower().replace("ё", "е")


def detect_chunk_deep(chunk: Chunk) -> list[Detection]:
    """The detector hook for ``--ner deep``: fast ФИО plus natasha/slovnet PER spans."""
    return find_deep(chunk.text, chunk.context)


class RuPersonRecognizer(FinderRecognizer):
    """PERSON for a stock Presidio AnalyzerEngine, language "ru"."""

    ENTITY = ENTITY
    EXPLANATION = "pymorphy3 ФИО"

    def load(self) -> None:
        self._finder = finder()

    def find(self, text: str) -> list[Detection]:
        return self._finder.find(text)

    def mask(self, normalized: str) -> str:
        return mask(normalized)
