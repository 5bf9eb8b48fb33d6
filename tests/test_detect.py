"""The fast Detector: aggregation, locations, fingerprints, masking, persons, the plug-in hook,
and precision / recall on generated realistic texts."""

from __future__ import annotations

import collections
import random
import re

import pytest

from pdscan.detect import SCORE_THRESHOLD, Detector, DetectResult
from pdscan.fingerprint import fingerprint
from pdscan.model import Chunk, Detection
from tests.synth_pd import document, requisites_document
from tests.test_recognizers import SNILS, SNILS2, snils

KEY = b"test-key"


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(key=KEY)


def test_scan_aggregates_per_value_with_first_location(det):
    text = "шапка\nпаспорт 0506 123456\nещё строка\nповторно паспорт 0506 123456\nпаспорт 0507 654321\n"
    result = det.scan([Chunk(text=text, location="", line=10)])
    assert isinstance(result, DetectResult)
    by_fp = {f.fingerprint: f for f in result.findings}
    assert len(by_fp) == 2
    first = by_fp[fingerprint("RU_PASSPORT", "0506123456", KEY)]
    assert (first.entity, first.count, first.location, first.member) == ("RU_PASSPORT", 2, "line 11", None)
    assert first.score >= SCORE_THRESHOLD
    second = by_fp[fingerprint("RU_PASSPORT", "0507654321", KEY)]
    assert (second.count, second.location) == (1, "line 14")
    assert result.persons == 2


def test_scan_locations_and_members(det):
    chunks = [
        Chunk(text="0506\t123456", location="sheet Лист1!B4", context="Серия\tНомер"),
        Chunk(text="паспорт 0506 123456", location="paragraph 3", member="a.zip!/b.docx"),
        Chunk(text="паспорт 0506 123456", location="paragraph 9", member="a.zip!/b.docx"),
    ]
    found = {(f.member, f.location, f.count) for f in det.scan(chunks).findings}
    assert found == {(None, "sheet Лист1!B4", 1), ("a.zip!/b.docx", "paragraph 3", 2)}


def test_masked_reveals_at_most_four_characters(det):
    text = (
        f"СНИЛС {SNILS}, тел. +7 914 123-45-67, e-mail ivan.petrov@mail.ru, "
        "военный билет АБ 1234567, загранпаспорт 75 1234567"
    )
    findings = det.scan([Chunk(text=text, location="x")]).findings
    assert {f.entity for f in findings} == {
        "RU_SNILS",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "RU_MILITARY_ID",
        "RU_FOREIGN_PASSPORT",
    }
    for f in findings:
        visible = re.sub(r"\*", "", f.masked)
        assert len(visible) <= 4, f.masked
        assert f.masked.endswith(visible)
        # no raw value anywhere in the finding
        assert SNILS not in repr(f) and "1234567" not in f.masked and "petrov" not in repr(f)


def test_persons_counts_distinct_people(det):
    text = f"СНИЛС {SNILS}; СНИЛС {SNILS2}; СНИЛС {SNILS}; паспорт 0506 123456"
    assert det.scan([Chunk(text=text, location="")]).persons == 2
    assert det.scan([Chunk(text="тел. +7 914 123-45-67", location="")]).persons == 1
    assert det.scan([Chunk(text="ничего личного", location="")]) == DetectResult([], 0)


def test_entities_filter():
    only = Detector(entities={"RU_SNILS"}, key=KEY)
    text = f"СНИЛС {SNILS}, паспорт 0506 123456, тел. +7 914 123-45-67"
    assert [f.entity for f in only.scan([Chunk(text=text, location="")]).findings] == ["RU_SNILS"]


def test_extra_detector_hook():
    def persons(chunk: Chunk) -> list[Detection]:
        i = chunk.text.find("Иванов")
        return [Detection("PERSON", i, i + 6, "иванов", 0.9)] if i >= 0 else []

    d = Detector(key=KEY, extra=[persons])
    result = d.scan([Chunk(text="Иванов, паспорт 0506 123456", location="p1")])
    got = {f.entity: f for f in result.findings}
    assert set(got) == {"PERSON", "RU_PASSPORT"}
    assert got["PERSON"].fingerprint == fingerprint("PERSON", "иванов", KEY)
    assert got["PERSON"].masked == "****ов"
    # the hook obeys the entities filter too
    d2 = Detector(key=KEY, extra=[persons], entities={"RU_PASSPORT"})
    assert {f.entity for f in d2.scan([Chunk(text="Иванов, паспорт 0506 123456", location="")]).findings} == {
        "RU_PASSPORT"
    }


def test_ner_plugins_load_by_name(monkeypatch, tmp_path):
    import sys

    import pdscan.detect as detect_mod

    (tmp_path / "fake_ner_plugin.py").write_text(
        "from pdscan.model import Detection\n"
        "ENTITY = 'PERSON'\n"
        "def mask(v):\n    return 'P.' + '*' * 3\n"
        "def count_persons(ds):\n    return 7\n"
        "def detect_chunk(chunk):\n"
        "    return [Detection('PERSON', 0, 3, 'abc', 0.9)] if chunk.text.startswith('abc') else []\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(detect_mod.NER_PLUGINS, "test", ("fake_ner_plugin:detect_chunk", "no_such_module:x"))
    d = Detector(key=KEY, ner="test")
    result = d.scan([Chunk(text="abc def", location="")])
    assert [(f.entity, f.masked) for f in result.findings] == [("PERSON", "P.***")]
    assert result.persons == 7
    sys.modules.pop("fake_ner_plugin", None)
    assert Detector(key=KEY, ner="off").scan([Chunk(text="abc", location="")]).findings == []


def test_no_digit_no_at_chunk_is_cheap_and_empty(det):
    assert det.detect(Chunk(text="Просто текст без цифр и собак. " * 1000, location="")) == []


def test_precision_recall_on_generated_documents(det):
    """≥ 0.95 precision and recall per entity on realistic generated documents (paragraphs, table rows
    with a header, letterheads, invoices, accounts and other hard negatives)."""
    rng = random.Random(20261125)
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for _ in range(150):
        chunks, labels = document(rng)
        got = {(d.entity, d.normalized) for c in chunks for d in det.detect(c)}
        for e, _ in labels & got:
            tp[e] += 1
        for e, _ in got - labels:
            fp[e] += 1
        for e, _ in labels - got:
            fn[e] += 1
    entities = set(tp) | set(fn)
    assert len(entities) == 10
    for e in entities:
        precision = tp[e] / (tp[e] + fp[e])
        recall = tp[e] / (tp[e] + fn[e])
        assert precision >= 0.95 and recall >= 0.95, (e, precision, recall, tp[e], fp[e], fn[e])
    assert not set(fp) - entities


def test_zero_findings_in_company_requisites_only_documents(det):
    rng = random.Random(7)
    for _ in range(100):
        text = requisites_document(rng)
        assert det.scan([Chunk(text=text, location="", line=1)]).findings == [], text


def test_snils_helper_matches_published_example():
    # the published example: 112-233-445 95
    assert snils("112233445") == "11223344595"


def test_extra_detections_get_line_numbers_and_threshold():
    def extra(chunk: Chunk) -> list[Detection]:
        out = []
        for word, score in (("Иванов", 0.9), ("Петров", 0.2)):
            i = chunk.text.find(word)
            if i >= 0:
                out.append(Detection("PERSON", i, i + len(word), word.lower(), score))
        return out

    d = Detector(key=KEY, extra=[extra])
    text = "строка\nпаспорт 0506 123456\nещё\nИванов\nПетров"
    found = {f.entity: f.location for f in d.scan([Chunk(text=text, location="", line=5)]).findings}
    assert found == {"RU_PASSPORT": "line 6", "PERSON": "line 8"}  # Петров (0.2) is below EXTRA_SCORE_FLOOR


def test_hand_written_documents():
    """Realistic documents written by hand (not by the generator the precision test uses)."""
    from tests.test_recognizers import ENP, INN10, INN12, MIR, SNILS

    d = Detector(key=KEY)
    hr_card = (
        "ЛИЧНАЯ КАРТОЧКА РАБОТНИКА (форма Т-2)\n"
        "Фамилия, имя, отчество: Сидорова Анна Петровна. Дата рождения 14.07.1985.\n"
        "Паспорт гражданина Российской Федерации: серия 05 09 № 765432, выдан Отделом УФМС России "
        "по Приморскому краю в Ленинском районе г. Владивостока 20.08.2009, код подразделения 250-001.\n"
        f"СНИЛС: {SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}. ИНН {INN12}.\n"
        "Воинский учёт: военный билет АК 4455667, категория запаса 1.\n"
        "Телефон мобильный: 8-924-555-12-34; e-mail: a.sidorova@bk.ru.\n"
        f"Зарплатная карта МИР {MIR[:4]} {MIR[4:8]} {MIR[8:12]} {MIR[12:]}, полис ОМС {ENP}.\n"
        "Приказ о приёме № 154-к от 01.03.2021, оклад 45 000 руб., табельный номер 000123.\n"
    )
    got = {(x.entity, x.normalized) for x in d.detect(Chunk(hr_card, "p"))}
    assert got == {
        ("RU_PASSPORT", "0509765432"),
        ("RU_SNILS", SNILS),
        ("RU_INN", INN12),
        ("RU_MILITARY_ID", "АК4455667"),
        ("PHONE_NUMBER", "+79245551234"),
        ("EMAIL_ADDRESS", "a.sidorova@bk.ru"),
        ("CREDIT_CARD", MIR),
        ("RU_OMS_POLICY", ENP),
    }

    contract = (
        "ДОГОВОР АРЕНДЫ № 12/2024 г. Владивосток 15.01.2024\n"
        f"Арендодатель: ООО «УК Восток», ИНН {INN10}, КПП 253601001, ОГРН 1022501234567, "
        "р/с 40702810900000012345 в ПАО Сбербанк, БИК 040507608, тел. (423) 222-33-44, "
        "office@uk-vostok.ru, в лице директора Петрова П.П.,\n"
        "и Арендатор: гражданин РФ Кузнецов Олег Игоревич, паспорт 0512 345678, выдан 11.11.2012, "
        "зарегистрированный по адресу г. Владивосток, ул. Светланская, д. 5, кв. 7, "
        "тел. +7 (914) 700-11-22, заключили настоящий договор.\n"
        "Арендная плата 25 000 (двадцать пять тысяч) рублей перечисляется до 10 числа.\n"
    )
    got = {(x.entity, x.normalized) for x in d.detect(Chunk(contract, "p"))}
    assert got == {("RU_PASSPORT", "0512345678"), ("PHONE_NUMBER", "+79147001122")}

    invoice = (
        f"Поставщик: ООО «Жилсервис», ИНН/КПП {INN10}/253601001, р/с 40702810900000012345, "
        "к/с 30101810600000000608, БИК 040507608, тел./факс 8 (4232) 40-50-60, buh@zhilservice.ru\n"
        "Счёт-фактура № 0000456 от 31.01.2024. Товарная накладная № 1234567890123 от 31.01.2024.\n"
        "Итого к оплате: 1 234 567,89 руб. Показания ОДПУ: 0045123,5 Гкал.\n"
    )
    assert d.detect(Chunk(invoice, "p")) == []


def test_long_first_row_is_not_a_column_header(det):
    """A letterhead pasted into a sheet's first row is not a header: its "ИНН", "КПП" must not lend
    context to every row below it (nor suppress a person's phone as the organisation's)."""
    from tests.test_recognizers import INN10, INN12

    letterhead = (
        f"ООО «УК Восток», ИНН {INN10}, КПП 253601001, р/с 40702810900000012345, тел. 8 (423) 222-33-44"
    )
    assert det.detect(Chunk(text=f"Накладная № {INN12} от 01.02.2024", location="", context=letterhead)) == []
    got = det.detect(Chunk(text="Иванов И.И., тел. +7 914 123-45-67", location="", context=letterhead))
    assert [(d.entity, d.normalized) for d in got] == [("PHONE_NUMBER", "+79141234567")]
    # a real header still gives context to its column
    assert [d.entity for d in det.detect(Chunk(text=INN12, location="", context="ИНН"))] == ["RU_INN"]


def test_letterhead_address_from_an_extra_detector_is_dropped(monkeypatch):
    import pdscan.detect as detect_mod
    from tests.test_recognizers import LETTERHEAD

    monkeypatch.setattr(detect_mod, "ORG_SENSITIVE_EXTRA", frozenset({"LOCATION"}))

    def addresses(chunk: Chunk) -> list[Detection]:
        i = chunk.text.find("г. Владивосток")
        return [Detection("LOCATION", i, i + 40, "владивосток светланская", 0.85)] if i >= 0 else []

    d = Detector(key=KEY, extra=[addresses])
    assert d.scan([Chunk(text=LETTERHEAD, location="")]).findings == []
    person = "Иванов И.И., зарегистрирован по адресу: г. Владивосток, ул. Светланская, д. 10, кв. 5"
    assert [f.entity for f in d.scan([Chunk(text=person, location="")]).findings] == ["LOCATION"]


def test_flattened_table_header_line_gives_context(det):
    """A table flattened to text (PDF): the header line is context for the rows below it, until a
    line without digits ends the table."""
    rows = [
        f"Собственник {i}  0{i}10 12345{i}  {s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"
        for i, s in ((1, SNILS), (2, SNILS2))
    ]
    text = "\n".join(
        ["Реестр собственников", "ФИО  Серия  Номер  СНИЛС  Площадь", *rows, "Итого", "Счёт № 0510123457"]
    )
    got = {(d.entity, d.normalized) for d in det.detect(Chunk(text=text, location=""))}
    assert got == {
        ("RU_PASSPORT", "0110123451"),
        ("RU_PASSPORT", "0210123452"),
        ("RU_SNILS", SNILS),
        ("RU_SNILS", SNILS2),
    }
