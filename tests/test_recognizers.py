"""Identifier recognizers: positive forms, hard negatives, checksum failures, context, look-alikes,
table cells — through the fast Detector and through a stock Presidio AnalyzerEngine.

Values are synthetic; checksums are computed here (python-stdnum, and СНИЛС by its published rule)
rather than taken from the code under test.
"""

from __future__ import annotations

import re

import pytest
from stdnum import luhn
from stdnum.ru import inn as stdnum_inn

from pdscan.detect import Detector
from pdscan.model import Chunk


def snils(first9: str) -> str:
    """СНИЛС control number: Σ digit×(9−i); <100 as is; 100/101 → 00; >101 → mod 101 (100 → 00)."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(first9))
    if total > 101:
        total %= 101
    return first9 + ("00" if total in (100, 101) else f"{total:02d}")


def luhn_complete(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def inn12(first10: str) -> str:
    return first10 + stdnum_inn.calc_personal_check_digits(first10)


def inn10(first9: str) -> str:
    return first9 + stdnum_inn.calc_company_check_digit(first9)


def bad_last(value: str) -> str:
    return value[:-1] + str((int(value[-1]) + 1) % 10)


SNILS = snils("112233445")
SNILS2 = snils("987654321")
INN12 = inn12("2536123456")
INN10 = inn10("253612345")
MIR = luhn_complete("220012345678901")
VISA = luhn_complete("427601234567890")
ENP = luhn_complete("775012345678901")


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(key=b"test")


def found(det: Detector, text: str, context: str = "") -> set[tuple[str, str]]:
    return {(d.entity, d.normalized) for d in det.detect(Chunk(text=text, location="", context=context))}


def entities(det: Detector, text: str, context: str = "") -> set[str]:
    return {e for e, _ in found(det, text, context)}


# -- RU_PASSPORT ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Паспорт серия 05 06 № 123456 выдан ОВД Ленинского района",
        "паспорт 0506 123456",
        "Паспорт гражданина РФ: 05 06 123456",
        "паспортные данные: серия 0506 номер 123456",
        "Серия 0506 Номер 123456, выдан 12.03.2010",
        "предъявил паспорт 0506№123456",
        "данные паспорта 0506 № 123456",
        "0506 123456 (паспорт)",
    ],
)
def test_passport_forms(det, text):
    assert found(det, text) == {("RU_PASSPORT", "0506123456")}


def test_passport_in_table_cells(det):
    assert found(det, "0506\t123456", context="Серия\tНомер") == {("RU_PASSPORT", "0506123456")}
    row = f"Иванов Иван Иванович\t0506\t123456\t{SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}"
    got = found(det, row, context="ФИО\tСерия паспорта\tНомер паспорта\tСНИЛС")
    assert got == {("RU_PASSPORT", "0506123456"), ("RU_SNILS", SNILS)}


@pytest.mark.parametrize(
    "text",
    [
        "технический паспорт дома № 0506 123456",
        "Технический паспорт многоквартирного дома 0506 123456 хранится в архиве",
        "0506 123456",  # no context
        "Счёт № 0506123456 от 12.03.2024",
        "паспорт предъявлен, лицевой счёт 0506 123456",  # the nearer label is "счёт"
        "паспорт 0550 123456",  # the series year 50 was never printed
        "паспорт 0506 000000",
    ],
)
def test_passport_negatives(det, text):
    assert "RU_PASSPORT" not in entities(det, text)


def test_passport_and_company_inn(det):
    text = f"Паспорт не предъявлен. ИНН {INN10}"
    assert found(det, text) == set()


# -- RU_SNILS ---------------------------------------------------------------------------------------


def test_snils_forms(det):
    g = f"{SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}"
    assert found(det, f"СНИЛС {g}") == {("RU_SNILS", SNILS)}
    assert found(det, f"страховой номер {SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]}-{SNILS[9:]}") == {
        ("RU_SNILS", SNILS)
    }
    assert found(det, f"Сотрудник: {g}") == {("RU_SNILS", SNILS)}  # grouped like СНИЛС: no label needed
    assert found(det, f"СНИЛС: {SNILS}") == {("RU_SNILS", SNILS)}
    assert found(det, SNILS, context="СНИЛС") == {("RU_SNILS", SNILS)}


def test_snils_negatives(det):
    bad = bad_last(SNILS)
    assert found(det, f"СНИЛС {bad[:3]}-{bad[3:6]}-{bad[6:9]} {bad[9:]}") == set()
    assert "RU_SNILS" not in entities(det, f"номер {SNILS2}")  # bare 11 digits need context


# -- RU_INN -----------------------------------------------------------------------------------------


def test_inn_personal(det):
    assert found(det, f"ИНН {INN12}") == {("RU_INN", INN12)}
    assert found(det, f"идентификационный номер налогоплательщика: {INN12}") == {("RU_INN", INN12)}
    assert found(det, INN12, context="ИНН") == {("RU_INN", INN12)}


def test_inn_negatives(det):
    assert found(det, f"ИНН {INN10}") == set()  # company INN is not personal data
    assert found(det, f"ИНН {bad_last(INN12)}") == set()
    assert found(det, f"Накладная № {INN12} от 01.02.2024") == set()


# -- PHONE_NUMBER -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [
        ("тел. +7 914 123-45-67", "+79141234567"),
        ("звоните: 8 (4234) 32-15-67", "+74234321567"),
        ("моб. 89141234567", "+79141234567"),
        ("+7(914)1234567", "+79141234567"),
        ("телефон 914 123 45 67", "+79141234567"),
        ("тел.: (4232) 22-33-44", "+74232223344"),
    ],
)
def test_phone_forms(det, text, value):
    assert found(det, text) == {("PHONE_NUMBER", value)}


@pytest.mark.parametrize(
    "text",
    [
        "паспорт 9141 234567",  # a passport is not a phone
        "р/с 40702810900000012345",  # nor an account
        "914 123 45 67",  # ten bare digits without a phone label
        "тел. +7 123 456-78-90",  # no such code in the numbering plan
        "Заказ № 89141234567 от 01.02.2024",
    ],
)
def test_phone_negatives(det, text):
    assert "PHONE_NUMBER" not in entities(det, text)


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in pattern:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def test_plan_patterns_decide_on_the_prefix_the_phone_cache_keys_on():
    """plan_valid caches per PLAN_PREFIX digits: sound only while every +7 pattern is a prefix followed
    by at least 10 - PLAN_PREFIX free digits. Fails when a phonenumbers update changes that shape."""
    from phonenumbers.phonemetadata import PhoneMetadata

    from recognizers.phone import PLAN_PREFIX

    kinds = ("general_desc", "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost")
    kinds += ("personal_number", "voip", "pager", "uan", "voicemail")
    checked = 0
    for region in ("RU", "KZ"):
        meta = PhoneMetadata.metadata_for_region(region)
        for kind in kinds:
            desc = getattr(meta, kind)
            if desc is None or not desc.national_number_pattern:
                continue
            for alt in _top_level_alternatives(desc.national_number_pattern):
                free = re.search(r"\\d\{(\d+)\}$", alt)
                assert free is not None, (region, kind, alt)
                assert int(free.group(1)) >= 10 - PLAN_PREFIX, (region, kind, alt)
                checked += 1
    assert checked >= 10


def test_plan_valid_agrees_with_phonenumbers_on_whole_numbers():
    import random

    import phonenumbers

    from recognizers.phone import plan_valid

    rng = random.Random(5)
    service = {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE}
    agree = {True: 0, False: 0}
    for _ in range(3000):
        national = rng.choice("3478900") + "".join(rng.choice("0123456789") for _ in range(9))
        number = phonenumbers.parse("+7" + national)
        whole = phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) not in service
        assert plan_valid(national) == whole, national
        agree[whole] += 1
    assert agree[True] > 100 and agree[False] > 100  # both verdicts were exercised


# -- EMAIL_ADDRESS ----------------------------------------------------------------------------------


def test_email(det):
    assert found(det, "e-mail: Ivan.Petrov@Mail.RU.") == {("EMAIL_ADDRESS", "ivan.petrov@mail.ru")}
    assert found(det, "пишите petrova_o@yandex.ru или звоните") == {("EMAIL_ADDRESS", "petrova_o@yandex.ru")}
    assert found(det, "почта: info@uk-vostok.ru") == set()  # a role mailbox is the organisation's
    assert found(det, "не адрес: user@localhost, @mention") == set()


# -- organisation requisites ------------------------------------------------------------------------


LETTERHEAD = (
    "ООО «УК Восток»\n690091, г. Владивосток, ул. Светланская, д. 10\n"
    f"ИНН {INN10} КПП 253601001 ОГРН 1022501234567\n"
    "р/с 40702810900000012345 в ПАО Сбербанк, к/с 30101810600000000608, БИК 040507608\n"
    "тел. 8 (423) 222-33-44, e-mail: uk.vostok@mail.ru\n"
)


def test_letterhead_is_not_personal_data(det):
    assert found(det, LETTERHEAD) == set()


def test_person_next_to_letterhead(det):
    text = LETTERHEAD + "\nЗаявитель: Иванов И.И., паспорт 0506 123456, тел. +7 914 123-45-67."
    assert found(det, text) == {("RU_PASSPORT", "0506123456"), ("PHONE_NUMBER", "+79141234567")}


# -- CREDIT_CARD / RU_OMS_POLICY --------------------------------------------------------------------


def test_card(det):
    grouped = " ".join(MIR[i : i + 4] for i in range(0, 16, 4))
    assert found(det, f"карта МИР {grouped}") == {("CREDIT_CARD", MIR)}
    assert found(det, f"оплата картой {VISA}") == {("CREDIT_CARD", VISA)}
    assert found(det, "-".join(MIR[i : i + 4] for i in range(0, 16, 4))) == {("CREDIT_CARD", MIR)}


def test_card_negatives(det):
    assert found(det, f"карта {bad_last(MIR)}") == set()  # Luhn fails
    assert found(det, "ОГРН 1022501234567") == set()
    other = luhn_complete("123456789012345")  # Luhn-valid but no issuer starts with 1
    assert found(det, f"номер {other}") == set()


def test_oms_vs_card_by_context(det):
    assert found(det, f"полис ОМС {ENP}") == {("RU_OMS_POLICY", ENP)}
    assert found(det, f"ЕНП: {ENP[:4]} {ENP[4:8]} {ENP[8:12]} {ENP[12:]}") == {("RU_OMS_POLICY", ENP)}
    mir_as_oms = luhn_complete("220045678901234")  # a card-shaped ЕНП: context decides
    assert found(det, f"полис обязательного медицинского страхования № {mir_as_oms}") == {
        ("RU_OMS_POLICY", mir_as_oms)
    }
    assert found(det, f"банковская карта {mir_as_oms}") == {("CREDIT_CARD", mir_as_oms)}
    assert found(det, ENP) == set()  # no context, no issuer prefix
    assert found(det, f"полис ОМС {bad_last(ENP)}") == set()


# -- RU_MILITARY_ID ---------------------------------------------------------------------------------


def test_military_id(det):
    assert found(det, "военный билет АБ 1234567") == {("RU_MILITARY_ID", "АБ1234567")}
    assert found(det, "Военный билет серии АБ № 1234567 выдан военкоматом") == {
        ("RU_MILITARY_ID", "АБ1234567")
    }
    # Latin look-alikes are mapped to Cyrillic: "AB" → "АВ"
    assert found(det, "в/б AB1234567") == {("RU_MILITARY_ID", "АВ1234567")}
    assert found(det, "номер АБ 1234567") == set()  # needs context
    assert found(det, "военный билет по 1234567") == set()  # lower case is not a series


# -- RU_FOREIGN_PASSPORT ----------------------------------------------------------------------------


def test_foreign_passport(det):
    assert found(det, "загранпаспорт 75 1234567") == {("RU_FOREIGN_PASSPORT", "751234567")}
    assert found(det, "заграничный паспорт № 751234567") == {("RU_FOREIGN_PASSPORT", "751234567")}
    assert found(det, "751234567") == set()
    assert found(det, "загранпаспорт оформлен; КПП 253601001") == set()
    assert found(det, "БИК 040507705") == set()


# -- RU_DRIVER_LICENSE ------------------------------------------------------------------------------


def test_driver_license(det):
    assert found(det, "водительское удостоверение 99 00 123456") == {("RU_DRIVER_LICENSE", "9900123456")}
    assert found(det, "ВУ 25 АВ 123456") == {("RU_DRIVER_LICENSE", "25АВ123456")}
    assert found(det, "вод. удостоверение 25 AB 123456") == {("RU_DRIVER_LICENSE", "25АВ123456")}
    assert found(det, "99 00 123456") == set()


def test_passport_and_license_side_by_side(det):
    text = "паспорт 0506 123456, водительское удостоверение 9900 654321"
    assert found(det, text) == {("RU_PASSPORT", "0506123456"), ("RU_DRIVER_LICENSE", "9900654321")}


# -- hard negatives together --------------------------------------------------------------------------


def test_requisites_and_numbers_stay_silent(det):
    text = (
        f"ОГРН 1022501234567, ОГРНИП 304253612345678, КПП 253601001, БИК 040507705, ИНН {INN10}.\n"
        "р/с 40702810900000012345, к/с 30101810600000000608.\n"
        "Счёт № 1234567890 от 12.03.2024 на сумму 1 250 000,00 руб. Заказ № 4510123456.\n"
        "Показания счётчика ХВС 00123456 м3, ГВС 0045678. Дата: 01.02.2024, 2024-02-01.\n"
        "Кадастровый номер 25:28:010013:123. ОКТМО 05701000001, ОКПО 12345678.\n"
    )
    assert found(det, text) == set()


# -- stock Presidio ---------------------------------------------------------------------------------


def test_recognizers_inside_stock_presidio_engine():
    from recognizers import IDENTIFIER_ENTITIES, build_analyzer

    analyzer = build_analyzer(model="/nonexistent/model")  # falls back to blank "ru"
    assert set(analyzer.get_supported_entities(language="ru")) == set(IDENTIFIER_ENTITIES)
    text = (
        f"Паспорт серия 05 06 № 123456 выдан ОВД. СНИЛС {SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}, "
        f"ИНН {INN12}, тел. +7 914 123-45-67, почта ivan.petrov@mail.ru, полис ОМС {ENP}."
    )
    results = analyzer.analyze(text, language="ru", score_threshold=0.5)
    got = {(r.entity_type, text[r.start : r.end]) for r in results}
    assert ("RU_PASSPORT", "05 06 № 123456") in got  # no checksum: Presidio's context enhancer lifted it
    assert ("RU_SNILS", f"{SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}") in got
    assert ("RU_INN", INN12) in got
    assert ("PHONE_NUMBER", "+7 914 123-45-67") in got
    assert ("EMAIL_ADDRESS", "ivan.petrov@mail.ru") in got
    assert ("RU_OMS_POLICY", ENP) in got
    # A failed checksum is dropped by validate_result inside Presidio too.
    assert not analyzer.analyze(f"СНИЛС {bad_last(SNILS)}", language="ru", score_threshold=0.5)
    # Context-only recognizers stay below the threshold without a context word.
    assert not analyzer.analyze("0506 123456", language="ru", score_threshold=0.5)


def test_applicant_phone_under_company_name_is_personal(det):
    text = "Директору ООО «УК Восток» Петрову П.П. от Иванова И.И., тел. +7 914 123-45-67"
    assert found(det, text) == {("PHONE_NUMBER", "+79141234567")}


def test_service_numbers_are_not_personal(det):
    assert found(det, "горячая линия 8 800 555-35-35") == set()


def test_negative_labels_inside_stock_presidio_engine():
    from recognizers import build_analyzer

    analyzer = build_analyzer()
    for text in ("технический паспорт дома 0506 123456", "паспорт предъявлен, лицевой счёт 0506 123456"):
        assert not [r for r in analyzer.analyze(text, language="ru") if r.entity_type == "RU_PASSPORT"], text
    hits = analyzer.analyze("паспорт 0506 123456", language="ru", score_threshold=0.5)
    assert [r.entity_type for r in hits if r.entity_type == "RU_PASSPORT"] == ["RU_PASSPORT"]
