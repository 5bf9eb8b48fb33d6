"""DATE_OF_BIRTH: a date that context marks as a birth date; other dates are not personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from synth_ru import Gen

from pdscan.model import Chunk
from recognizers import birthdate
from recognizers.birthdate import RuBirthDateRecognizer, detect_chunk, find, mask


def births(text: str, context: str = "") -> list[str]:
    return [d.normalized for d in find(text, context)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Дата рождения: 12.03.1985", "1985-03-12"),
        ("дата рождения 1985-07-14", "1985-07-14"),
        ("Иванов И.И., 12.03.1985 г.р., проживает", "1985-03-12"),
        ("Иванов И.И., 1985 г.р.", "1985"),
        ("Петрова А.С., 1990 года рождения", "1990"),
        ("родилась «5» мая 1990 года в г. Москве", "1990-05-05"),
        ("родился 17 января 1961 г. в с. Покровка", "1961-01-17"),
        ("д.р. 31.12.79", "1979-12-31"),
        ("Д/Р: 01/02/1970", "1970-02-01"),
    ],
)
def test_birth_dates(text, expected):
    assert births(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Договор от 12.03.2020 № 45",
        "Паспорт выдан 15.05.2010 ОУФМС",
        "родился в г. Москве, паспорт выдан 12.03.2005",
        "Дата рождения 31.02.1985",  # no such day
        "Срок оплаты до 2020-05-01",
        "Акт сверки на 1 марта 2024 г.",
        "Счёт 40702810000000001985 от 01.01.1985",  # a date glued to other digits is not taken
    ],
)
def test_other_dates_are_not_birth_dates(text):
    assert births(text) == []


def test_only_the_cued_date_in_a_sentence():
    text = "Дата рождения: 01.01.1980, паспорт выдан 12.03.2005, договор от 01.02.2020"
    assert births(text) == ["1980-01-01"]


def test_future_date_is_not_a_birth_date():
    nxt = dt.date.today() + dt.timedelta(days=40)
    assert births(f"дата рождения {nxt:%d.%m.%Y}") == []


def test_table_column_header():
    header = "№\tФИО\tДата рождения\tДата приема"
    assert births("1\tИванов И.И.\t12.03.1985\t01.02.2010", header) == ["1985-03-12"]
    assert births("2\tПетров П.П.\t1985-03-12\t2010-02-01", "№\tФИО\tД.р.\tПринят") == ["1985-03-12"]
    assert births("3\tСидоров С.С.\t01.02.2010", "№\tФИО\tДата приема") == []


def test_rows_under_a_bare_header_line():
    text = "№ ФИО Дата рождения Дата записи\n1 Иванов И.И. 12.03.1985 01.02.2021\n2 Петров П.П. 1979-04-02 03.02.2022"
    assert births(text) == ["1985-03-12", "1979-04-02"]


def test_mask_and_presidio_recognizer():
    assert mask("1985-03-12") == "**.**.1985"
    rec = RuBirthDateRecognizer()
    rec.load()
    text = "Иванов И.И., дата рождения 12.03.1985, договор от 01.02.2020"
    [r] = rec.analyze(text, ["DATE_OF_BIRTH"])
    assert text[r.start : r.end] == "12.03.1985"


def test_file_level_precision_recall():
    docs = Gen(77).documents(240)
    tp = fp = fn = 0
    for doc in docs:
        pred = any(detect_chunk(c) for c in doc.chunks)
        tp += pred and doc.dob
        fp += pred and not doc.dob
        fn += doc.dob and not pred
    assert tp > 30
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9, (tp, fp, fn)
    # The hook reads the column header from Chunk.context.
    row = Chunk(text="1\tИванов\t12.03.1985", location="row 2", context="№\tФамилия\tДата рождения")
    assert [d.normalized for d in detect_chunk(row)] == ["1985-03-12"]


# -- long texts: the date regex runs only near cue words; the results must be the same as judging
# every date of the text (birthdate._find_all, the path table rows and header lines take) --------


def _reference(text: str) -> list[tuple[int, int, str, float]]:
    if not birthdate._has_cue(text):
        return []
    today = dt.date.today()
    found = birthdate._find_all(text, (), birthdate._header_line_end(text), today)
    return [(d.start, d.end, d.normalized, d.score) for d in found]


def _found(text: str) -> list[tuple[int, int, str, float]]:
    return [(d.start, d.end, d.normalized, d.score) for d in find(text)]


def _near_cues(text: str) -> list[tuple[int, int, str, float]]:
    """The path find() takes on long text, called on short text too."""
    if not birthdate._has_cue(text):
        return []
    found = birthdate._find_near_cues(text, birthdate._hints(text), dt.date.today())
    return [(d.start, d.end, d.normalized, d.score) for d in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        # The cue word ends just inside the 60 characters before the date (and the gap takes
        # whole words), or one character too far.
        ("родился" + " " * 60 + "12.03.1985", ["1985-03-12"]),
        ("родился" + " " * 61 + "12.03.1985", []),
        # A long word reaching into the window carries its cue along (the gap never cuts a word).
        ("рождения" + "а" * 80 + " 12.03.1985", ["1985-03-12"]),
        # After-cues: "г.р." right after, "года рождения" past many spaces, in capitals.
        ("Иванов, 12.03.1985г.р.", ["1985-03-12"]),
        ("Иванов, 1985" + " " * 40 + "года рождения", ["1985"]),
        ("ИВАНОВ, 12.03.1985 Г.Р.", ["1985-03-12"]),
        # Another date between the cue and the date takes the cue.
        ("родился 01.02.1980, 12.03.1985", ["1980-02-01"]),
        # Cues in odd letter case and in English.
        ("РоЖдЕнИе: 12.03.1985, д.р.", ["1985-03-12"]),
        ("РоЖдЕнИе: 12.03.1985", []),  # no cue in the usual letter case anywhere: not looked at
        ("Born 12.03.1985", []),  # no cue in the usual letter case anywhere: not looked at
        ("DOB 12.03.1985; born 01.02.1980", ["1985-03-12", "1980-02-01"]),
    ],
)
def test_cue_windows(text, expected):
    assert births(text) == expected
    assert _near_cues(text) == _reference(text)


def test_long_text_with_far_cues_matches_judging_every_date():
    import random

    from synth_pd import document_text, filler

    rng = random.Random(11)
    cues = [
        "г.р.",
        " года рождения",
        "дата рождения: ",
        "родилась ",
        "д.р. ",
        "Д/Р: ",
        "DOB ",
        "(дата рождения)",
    ]
    dates = ["12.03.1985", "1985", "12 марта 1985", "«5» мая 1990 года", "1985-07-14", "31.12.79"]
    parts = []
    for _ in range(300):
        parts.append(filler(rng, rng.randint(0, 400)))
        parts.append(rng.choice(dates) + rng.choice(["", " "]) + rng.choice(cues))
        parts.append(rng.choice(cues) + rng.choice(["", " ", ", "]) + rng.choice(dates))
        if rng.random() < 0.1:
            parts.append(document_text(rng)[0])
    text = " ".join(parts)
    assert birthdate._header_line_end(text) == -1  # so find() takes the path near cues
    got = _found(text)
    assert len(got) > 300
    assert got == _reference(text)
    # Blocks as the text extractor cuts them, and a text with no usual sync characters.
    for i in range(0, len(text), 5000):
        block = text[i : i + 5000]
        assert _found(block) == _reference(block)
        assert _near_cues(block[:1500]) == _reference(block[:1500])
    bare = "".join(c for c in text[:20000] if c not in ',\n:;()«"')
    assert _found(bare) == _reference(bare)
