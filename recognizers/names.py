"""PERSON: Russian full names (ФИО) found with pymorphy3 grammemes, no model download.

The fast path tokenizes capitalised Cyrillic words and initials with one regex, looks every
word form up once in pymorphy3 (cached: names repeat) and accepts a run of words only when
their Name / Surn / Patr grammemes agree in case and gender:
"Иванов Иван Иванович", "Иванову Петру Сергеевичу", "ИВАНОВ ПЁТР СЕРГЕЕВИЧ",
"Данейкина О.Н.", "О.Н. Данейкина", and table rows "Иванов<TAB>Иван<TAB>Иванович" whose
header (``Chunk.context``) names the columns. A name is normalised to the nominative case
(gender kept) for the fingerprint.

Hard negatives are handled by context: a street or "им." right before the name
("ул. Льва Толстого"), a quote before it (organisation names such as «МакАрт» are not
names anyway: CamelCase words are not tokens). A position title or signature cue right
before the name ("Директор ООО «МакАрт» Данейкина О.Н.", "Исполнитель: Петрова А.А.")
lowers the score: one signature of the organisation's own staff is not a leak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pdscan.model import Chunk, Detection

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
_ANY = rf"(?:{_INIT}|{_WORD})"
_SEP = r"[ \t\u00a0]+"
_TOKEN_RE = re.compile(_TOKEN)
# A run of two or more tokens: single capitalised words never reach pymorphy3.
_RUN_RE = re.compile(rf"(?<![{_UP}{_LO}A-Za-z0-9.]){_ANY}(?:(?:{_SEP}|(?<=\.)[ \u00a0]?){_ANY})+")

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

# Cues before a name that make it a street, a school name, a quoted organisation...
_NOT_PERSON_BEFORE = re.compile(
    r"(?:\b(?:(?:ул|пр|пр-т|пр-кт|просп|пер|б-р|пл|наб|ш|туп|мкр|им|пос|г|гор|р-н|ст|о|пгт|с|д|дер)\."
    r"|улиц[аеуы]|проспект[аеу]?|переул(?:ок|ке|ка)|бульвар[аеу]?|площад[иья]|набережн(?:ая|ой)|шоссе|"
    r"проезд[аеу]?|тупик[аеу]?|аллея|аллеи|имени|пос[её]л(?:ок|ке|ка)|город[аеу]?|район[аеу]?|"
    r"станци[яи]|остров[аеу]?|пик[аеу]?|мкр|микрорайон[аеу]?)"
    r"|[«\"“„'])[ \u00a0]*$",
    re.IGNORECASE,
)
# Position titles and signature cues right before a name: only punctuation, a signature line
# or a quoted organisation name may stand between the cue and the name.
_SIGNATURE_BEFORE = re.compile(
    r"(?:директор|бухгалтер|руководител|исполнител|\bисп|начальник|заведующ|менеджер|специалист|"
    r"инженер|секретар|председател|заместител|\bзам|управляющ|инспектор|юрисконсульт|экономист|"
    r"кассир|делопроизводител|подпис|с уважением|ответственн|\bооо|\bпао|\bзао|\bоао|\bао|"
    r"\bм\.п|оператор|администратор|президент|ректор|\bнач|\bрук|\bдир|уполномоченн|"
    r"представител|по доверенности|согласовано|утверждаю|составил|проверил|подготовил|юрист|"
    r"кадров|бухгалтери[яи]|отдел[аеу]?|работник|сотрудник)[а-яё]*\.?"
    r"[\s:,.\-–—/_()]*(?:(?:ООО|АО|ПАО|ЗАО|ОАО|АНО|МУП|ГУП|ФГУП|ГБУ|МБУ|ИП)?[ \u00a0]*[«\"][^»\"\n]{1,60}[»\"])?"
    r"[\s:,.\-–—/_()]*$",
    re.IGNORECASE,
)
_SIGNATURE_WINDOW = 90

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


class NameFinder:
    """Finds ФИО in text. One instance per process; thread-unsafe caches are fine for workers."""

    CACHE_SIZE = 200_000

    def __init__(self) -> None:
        import pymorphy3

        self._morph = pymorphy3.MorphAnalyzer(lang="ru")
        self._cache: dict[str, _Forms | None] = {}
        self._nomn: dict[tuple, str] = {}

    # --- pymorphy3 look-ups, cached per lower-case word form ---------------------------------

    def forms(self, word: str) -> _Forms | None:
        key = word.lower()
        hit = self._cache.get(key, 0)
        if hit != 0:
            return hit
        forms = self._parse(key)
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()  # a crude LRU: names repeat within a file, not across millions
        self._cache[key] = forms
        return forms

    def _parse(self, key: str) -> _Forms | None:
        parses = self._morph.parse(key)
        if "-" in key and not any(r in p.tag.grammemes for p in parses for r in _ROLES):
            parses = self._morph.parse(key.rsplit("-", 1)[1])
        roles: dict[str, dict] = {}
        for p in parses:
            g = p.tag.grammemes
            if "plur" in g:
                continue
            for role in _ROLES:
                if role not in g:
                    continue
                # First names are a closed class: guessed "names" are CamelCase brands and typos.
                if role == "Name" and not p.is_known:
                    continue
                if role == "Patr" and not p.is_known and not key.endswith(_PATR_ENDINGS):
                    continue
                case = _CASES.get(p.tag.case or "")
                if case is None:
                    continue
                genders = ("masc", "femn") if "ms-f" in g else (p.tag.gender,)
                slot = roles.setdefault(role, {})
                for gender in genders:
                    if gender in ("masc", "femn"):
                        slot.setdefault((case, gender), p)
        return _Forms(roles) if roles else None

    def nominative(self, word: str, role: str, case: str, gender: str) -> str:
        """The nominative singular of one name word, lower case, ё → е."""
        key = (word.lower(), role, case, gender)
        hit = self._nomn.get(key)
        if hit is not None:
            return hit
        out = key[0]
        forms = self.forms(word)
        p = forms.roles.get(role, {}).get((case, gender)) if forms else None
        if p is not None:
            inf = p.inflect({"nomn", "sing", gender}) or p.inflect({"nomn", "sing"})
            if inf is not None:
                out = inf.word
        out = out.replace("ё", "е")
        self._nomn[key] = out
        return out

    # --- matching ------------------------------------------------------------------------------

    @staticmethod
    def _agree(*sets) -> list[tuple[str, str]]:
        common = set(sets[0])
        for s in sets[1:]:
            common &= set(s)
        # Prefer the nominative, then the other cases in a stable order.
        return sorted(common, key=lambda cg: (cg[0] != "nomn", cg))

    def _roles(self, tok: tuple) -> dict:
        kind, text = tok[0], tok[1]
        if kind != "w":
            return {}
        forms = self.forms(text)
        return forms.roles if forms else {}

    def _surname_any(self, text: str) -> str | None:
        """Nominative of a surname standing next to initials (its case and gender are unknown)."""
        forms = self.forms(text)
        if not forms or "Surn" not in forms.roles:
            return None
        case, gender = self._agree(forms.roles["Surn"])[0]
        return self.nominative(text, "Surn", case, gender)

    def _match_at(self, toks: list, i: int) -> tuple[int, str, float] | None:
        """Try the name patterns at token i; return (tokens used, normalized, score)."""
        n = len(toks)
        t0 = toks[i]
        if t0[0] == "i":
            if i + 1 < n and toks[i + 1][0] == "w":
                sur = self._surname_any(toks[i + 1][1])
                if sur:
                    return 2, f"{sur} {_initials(t0[1])}", SCORE_INITIALS
            return None
        r0 = self._roles(t0)
        if not r0:
            return None
        if i + 1 >= n:
            return None
        t1 = toks[i + 1]
        if t1[0] == "i":
            if "Surn" in r0:
                sur = self._surname_any(t0[1])
                return 2, f"{sur} {_initials(t1[1])}", SCORE_INITIALS
            return None
        r1 = self._roles(t1)
        if not r1:
            return None
        if i + 2 < n and toks[i + 2][0] == "w":
            r2 = self._roles(toks[i + 2])
            if r2:
                for order in (("Surn", "Name", "Patr"), ("Name", "Patr", "Surn")):
                    if order[0] in r0 and order[1] in r1 and order[2] in r2:
                        cg = self._agree(r0[order[0]], r1[order[1]], r2[order[2]])
                        if cg:
                            words = {
                                order[k]: self.nominative(toks[i + k][1], order[k], *cg[0]) for k in range(3)
                            }
                            return 3, f"{words['Surn']} {words['Name']} {words['Patr']}", SCORE_FULL
        for order, score in (
            (("Name", "Patr"), SCORE_NAME_PATR),
            (("Surn", "Name"), SCORE_PAIR),
            (("Name", "Surn"), SCORE_PAIR),
        ):
            if order[0] in r0 and order[1] in r1:
                cg = self._agree(r0[order[0]], r1[order[1]])
                if cg:
                    words = {order[k]: self.nominative(toks[i + k][1], order[k], *cg[0]) for k in range(2)}
                    if "Surn" in words:
                        return 2, f"{words['Surn']} {words['Name']}", score
                    return 2, f"{words['Name']} {words['Patr']}", score
        return None

    def find(self, text: str, context: str = "") -> list[Detection]:
        """All PERSON detections in text; ``context`` is a table header (cells joined by tabs)."""
        out: list[Detection] = []
        if context and "\t" in text:
            out = self._find_table(text, context)
        taken = [(d.start, d.end) for d in out]
        for run in _RUN_RE.finditer(text):
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
                if any(s < end and start < e for s, e in taken):
                    continue
                before = text[max(0, start - _SIGNATURE_WINDOW) : start]
                if _NOT_PERSON_BEFORE.search(before):
                    continue
                if _SIGNATURE_BEFORE.search(before):
                    score = min(score, SCORE_SIGNATURE)
                out.append(Detection(ENTITY, start, end, norm, score))
        return out

    def _find_table(self, text: str, context: str) -> list[Detection]:
        """A row whose header names Фамилия / Имя / Отчество (or ФИО) columns."""
        header = context.split("\t")
        cols = {"Surn": -1, "Name": -1, "Patr": -1}
        fio_cols = []
        for k, h in enumerate(header):
            if _HDR_SURN.search(h) and not _HDR_FIO.search(h):
                cols["Surn"] = k
            elif _HDR_NAME.search(h):
                cols["Name"] = k
            elif _HDR_PATR.search(h):
                cols["Patr"] = k
            elif _HDR_FIO.search(h):
                fio_cols.append(k)
        cells, pos = [], 0
        for cell in text.split("\t"):
            cells.append((pos, cell))
            pos += len(cell) + 1
        out: list[Detection] = []
        if cols["Surn"] >= 0 and (cols["Name"] >= 0 or cols["Patr"] >= 0):
            parts = [(r, cols[r]) for r in _ROLES if 0 <= cols[r] < len(cells)]
            if all(_CELL_NAME_RE.match(cells[k][1]) for _, k in parts) and len(parts) >= 2:
                words = {r: cells[k][1].strip() for r, k in parts}
                sets = [self._roles(("w", w)).get(r, {}) for r, w in words.items()]
                cg = self._agree(*sets) if all(sets) else []
                # The header vouches for the columns; the grammemes only pick the case.
                case, gender = cg[0] if cg else ("nomn", "masc")
                norm = " ".join(
                    self.nominative(words[r], r, case, gender) if cg else words[r].lower().replace("ё", "е")
                    for r in ("Surn", "Name", "Patr")
                    if r in words
                )
                if cg or any(sets):
                    start = min(cells[k][0] for _, k in parts)
                    end = max(cells[k][0] + len(cells[k][1]) for _, k in parts)
                    out.append(Detection(ENTITY, start, end, norm, SCORE_TABLE))
        for k in fio_cols:
            if k >= len(cells):
                continue
            start, cell = cells[k]
            sub = self.find(cell) if cell.strip() else []
            for d in sub:
                out.append(
                    Detection(ENTITY, start + d.start, start + d.end, d.normalized, max(d.score, SCORE_TABLE))
                )
            if not sub:
                d = self._loose_cell(cell)
                if d is not None:
                    out.append(Detection(ENTITY, start + d.start, start + d.end, d.normalized, SCORE_PAIR))
        return out

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


_PATR_ENDINGS = tuple(
    s + e for s in ("вич", "вн", "ичн", "ьич") for e in ("", "а", "у", "ем", "е", "ой", "ы", "ом")
)


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


# Identifiers that each belong to one natural person (used when a file names nobody).
_PERSON_IDS = frozenset(
    {
        "RU_SNILS",
        "RU_PASSPORT",
        "RU_INN_PERSONAL",
        "RU_INTERNATIONAL_PASSPORT",
        "RU_OMS_POLICY",
        "RU_MILITARY_ID",
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


class RuPersonRecognizer(EntityRecognizer):
    """PERSON for a stock Presidio AnalyzerEngine (language "ru"); needs no NLP artifacts."""

    ENTITY = ENTITY

    def __init__(self, supported_language: str = "ru", **kwargs) -> None:
        kwargs.setdefault("supported_entities", [ENTITY])
        kwargs.setdefault("name", "RuPersonRecognizer")
        super().__init__(supported_language=supported_language, **kwargs)

    def load(self) -> None:
        self._finder = finder()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        return [
            RecognizerResult(
                ENTITY,
                d.start,
                d.end,
                d.score,
                AnalysisExplanation(type(self).__name__, d.score, textual_explanation="pymorphy3 ФИО"),
            )
            for d in self._finder.find(text)
        ]

    def normalize(self, text: str) -> str | None:
        found = self._finder.find(text)
        return found[0].normalized if found else None

    def mask(self, normalized: str) -> str:
        return mask(normalized)
