"""LOCATION: Russian postal addresses by pattern, normalized and masked."""

from __future__ import annotations

import pytest
from synth_ru import Gen

from pdscan.model import Chunk
from recognizers import address
from recognizers.address import RuAddressRecognizer, detect_chunk, find, mask, normalize


def spans(text: str) -> list[str]:
    return [text[d.start : d.end] for d in find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Адрес: г. Уссурийск, ул. Амурская, д. 53, кв. 12.", "г. Уссурийск, ул. Амурская, д. 53, кв. 12"),
        (
            "692519, Приморский край, г. Уссурийск, ул. Некрасова, д.5, корп. 2, кв. 7",
            "692519, Приморский край, г. Уссурийск, ул. Некрасова, д.5, корп. 2, кв. 7",
        ),
        (
            "проживает: Москва, Ленинский проспект, д. 32А, стр. 1, оф. 505",
            "Москва, Ленинский проспект, д. 32А, стр. 1, оф. 505",
        ),
        ("г. Владивосток, пр-т Красного Знамени, 59-12", "г. Владивосток, пр-т Красного Знамени, 59-12"),
        ("Санкт-Петербург, пер. Гривцова, дом 5, лит. А", "Санкт-Петербург, пер. Гривцова, дом 5, лит. А"),
        (
            "Россия, 190000, Санкт-Петербург, наб. реки Мойки, д. 12",
            "Россия, 190000, Санкт-Петербург, наб. реки Мойки, д. 12",
        ),
        ("г. Казань, ул. 50 лет Октября, д. 4", "г. Казань, ул. 50 лет Октября, д. 4"),
        (
            "Московская обл., г. Химки, ул. 8 Марта, д. 11, кв. 3",
            "Московская обл., г. Химки, ул. 8 Марта, д. 11, кв. 3",
        ),
        ("пос. Тавричанка, ул. Лазо, д. 1", "пос. Тавричанка, ул. Лазо, д. 1"),
        ("живёт на ул. Пушкина 10", "ул. Пушкина 10"),
        ("г. Артём, б-р Победы, д. 3", "г. Артём, б-р Победы, д. 3"),
    ],
)
def test_addresses(text, expected):
    assert spans(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Офис переехал на ул. Пушкина.",  # a street with no house and no town
        "Приморский край славится природой.",
        "Сумма 123456 рублей перечислена.",
        "Договор от 12.03.2020 № 45, п. 3.2, и т.д.",
        "Передавать показания с 20 по 25 число, период отсутствия подтверждается документом.",
        "Домашний телефон и трактовка пунктов договора.",
    ],
)
def test_not_addresses(text):
    assert find(text) == []


def test_normalize_and_mask():
    a = find("г. Уссурийск, ул. Амурская, д. 53, кв. 12")[0]
    b = find("г.Уссурийск,  ул.Амурская,д.53,кв.12")[0]
    assert a.normalized == b.normalized == "г уссурийск ул амурская д 53 кв 12"
    assert mask(a.normalized) == "г. Уссурийск ***"
    assert mask(normalize("ул. Пушкина, д. 10")) == "Ул ***"
    assert normalize("Ул. Ёлочная,  Д. 5") == "ул елочная д 5"


def test_hook_and_presidio_recognizer():
    text = "проживающий по адресу: 690001, г. Владивосток, ул. Светланская, д. 1, кв. 5"
    assert [d.entity for d in detect_chunk(Chunk(text=text, location="line 1"))] == ["LOCATION"]
    rec = RuAddressRecognizer()
    rec.load()
    [r] = rec.analyze(text, ["LOCATION"])
    assert text[r.start : r.end] == "690001, г. Владивосток, ул. Светланская, д. 1, кв. 5"
    assert rec.analyze(text, ["PERSON"]) == []


def test_file_level_precision_recall():
    # Through the Detector: a company's legal address next to its requisites is not personal data.
    from pdscan.detect import Detector

    det = Detector(ner="fast", key=b"test")
    docs = Gen(31).documents(320)
    tp = fp = fn = 0
    for doc in docs:
        pred = any(f.entity == "LOCATION" and f.score >= 0.5 for f in det.scan(doc.chunks).findings)
        tp += pred and doc.location
        fp += pred and not doc.location
        fn += doc.location and not pred
    assert tp > 100
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9, (tp, fp, fn)


def test_company_legal_address_is_silent_but_a_residents_address_next_to_it_is_not():
    from pdscan.detect import Detector

    det = Detector(ner="fast", key=b"test")
    letterhead = (
        "ООО «УК Восток»\nИНН 2536123456 КПП 253601001 ОГРН 1022500000000\n"
        "Юридический адрес: 690091, г. Владивосток, ул. Светланская, д. 12, оф. 5\n"
    )
    only_company = det.scan([Chunk(text=letterhead, location="line 1")]).findings
    assert [f.entity for f in only_company if f.entity == "LOCATION"] == []
    resident = (
        letterhead
        + "Заявление от Петровой Анны Сергеевны, проживающей по адресу: г. Уссурийск, ул. Амурская, д. 53, кв. 12"
    )
    found = det.scan([Chunk(text=resident, location="line 1")]).findings
    assert [f.masked for f in found if f.entity == "LOCATION"] == ["г. Уссурийск ***"]


# -- anchors and windows: the component regex runs only around a street or house word, or a postal
# index, that can be part of an address ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # An index next to another component, before or after it, after a colon or a bracket.
        ("Приморский край, г. Уссурийск, 692519", ["Приморский край, г. Уссурийск, 692519"]),
        ("692519 Приморский край", ["692519 Приморский край"]),
        ("Индекс:692519, г. Уссурийск", ["692519, г. Уссурийск"]),
        ("(692519, г. Уссурийск)", ["692519, г. Уссурийск"]),
        ("г.Москва,123456", ["г.Москва,123456"]),
        ("д. Ивановка, 692519", ["д. Ивановка, 692519"]),
        # A street word after the street's name, a house word with no blank, blanks of all kinds.
        ("проживает: Ленина улица 5, кв. 3", ["Ленина улица 5, кв. 3"]),
        ("г. Москва, дом5, кв. 3", ["г. Москва, дом5, кв. 3"]),
        (
            "г.\u00a0Москва, ул.\u00a0Ленина,\u00a0д.\u00a05",
            ["г.\u00a0Москва, ул.\u00a0Ленина,\u00a0д.\u00a05"],
        ),
        ("мкр Солнечный, 12", ["мкр Солнечный, 12"]),
        ("улица" + " " * 50 + "Ленина, 5", ["улица" + " " * 50 + "Ленина, 5"]),
        # Six-digit numbers and "площадь 56,3 кв. м." are no anchors of an address.
        ("Заказ-наряд № 123456 от 12.03.2020", []),
        ("Кадастровый номер 25:28:012345:1234, площадь 56,3 кв. м.", []),
        # ... so a settlement and a flat with neither a house nor an index around stay unread.
        ("г. Москва, кв. 5, площадь 56,3 кв. м.", []),
    ],
)
def test_anchors(text, expected):
    assert spans(text) == expected


def test_skipped_windows_hold_no_address_of_realistic_documents():
    # Reading every window around every anchor finds nothing more on generated documents.
    import random

    from synth_pd import document, filler, requisites_document

    texts = [c.text for doc in Gen(5).documents(300) for c in doc.chunks]
    rng = random.Random(2)
    for _ in range(100):
        texts += [c.text for c in document(rng)[0]] + [requisites_document(rng), filler(rng, 3000)]
    found = 0
    for text in texts:
        live = [(d.start, d.end, d.normalized, d.score) for d in find(text)]
        every = [(d.start, d.end, d.normalized, d.score) for d in find(text, live_only=False)]
        assert live == every, text
        found += len(live)
    assert found > 200


def test_many_blanks_stay_linear():
    import time

    for text in ("улица" + " " * 200_000 + "5", "д." + " " * 200_000 + "5", "1" + " " * 200_000):
        start = time.process_time()
        find(text)
        assert time.process_time() - start < 1.0


def test_a_house_word_and_an_index_at_one_blank_are_two_anchors():
    # The reversed-text scan reports both at "дом 123456": the word before the blank, the index after it.
    assert address._anchors("дом 123456") == [(0, False), (4, True)]
    assert address._anchors("улица\u00a0Ленина, д.\u00a05") == [(0, False), (14, False)]
