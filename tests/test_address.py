"""LOCATION: Russian postal addresses by pattern, normalized and masked."""

from __future__ import annotations

import pytest
from synth_ru import Gen

from pdscan.model import Chunk
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
