#!/usr/bin/env python3
"""Build sample_corpus/: a management company's file share plus two employee PCs.

Synthetic people with checksum-valid identifiers (fixed seed), real docx/xlsx/pdf/csv/txt files,
modification times fixed relative to AS_OF and file modes/ACLs set, so that

    pdscan scan sample_corpus --policy sample_corpus/policy.yaml --as-of 2026-06-01

gives exactly the violations listed in sample_corpus/EXPECTED.json. Git keeps neither mtimes
nor modes, so the data files are not committed: run this script first (fast, idempotent).
Committed are only what it writes byte-identically: policy.yaml, EXPECTED.json, README.md,
.gitignore.

    python scripts/make_sample_corpus.py [OUT_DIR]      # default: sample_corpus/ in the repo
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stdnum import luhn
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as ru_ogrn

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 6, 1)
SEED = 152
TOP_DIRS = ("Кадры", "Собственники", "Заявления", "Договоры ГПХ", "Сайт", "Бухгалтерия", "Общая", "ПК")
KEEP = ("policy.yaml", "EXPECTED.json", "README.md", ".gitignore")


def _formats():
    """The format writers shared with the tests (tests/formats.py)."""
    spec = importlib.util.spec_from_file_location("pdscan_test_formats", REPO / "tests" / "formats.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


# ---- synthetic, checksum-valid values ---------------------------------------------------------


def snils(rng: random.Random) -> str:
    body = f"{rng.randint(2_000_000, 999_999_999):09d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    check = total if total < 100 else (0 if total in (100, 101) else total % 101)
    check = 0 if check == 100 else check
    return f"{body[:3]}-{body[3:6]}-{body[6:9]} {check:02d}"


def personal_inn(rng: random.Random) -> str:
    body = f"25{rng.randint(0, 99_999_999):08d}"
    return body + ru_inn.calc_personal_check_digits(body)


def company_inn(rng: random.Random) -> str:
    body = f"25{rng.randint(0, 9_999_999):07d}"
    return body + ru_inn.calc_company_check_digit(body)


def ogrn(rng: random.Random) -> str:
    body = f"1{rng.randint(0, 99):02d}25{rng.randint(0, 9_999_999):07d}"
    return body + ru_ogrn.calc_check_digit(body)


def account(rng: random.Random, bik: str, prefix: str = "40702810") -> str:
    """A settlement account with a valid control key for the BIK (weights 7-1-3)."""
    for _ in range(100):
        acc = prefix + "0" + f"{rng.randint(0, 99_999_999_999):011d}"
        digits = bik[-3:] + acc
        if sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10 == 0:
            return acc
    raise RuntimeError("no account key")


def mir_card(rng: random.Random) -> str:
    body = f"220{rng.randint(0, 4)}{rng.randint(0, 10**11 - 1):011d}"
    num = body + luhn.calc_check_digit(body)
    return " ".join(num[i : i + 4] for i in range(0, 16, 4))


def phone(rng: random.Random) -> str:
    return f"+7 914 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


SURNAMES_M = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Соколов",
              "Лебедев", "Козлов", "Новиков", "Морозов", "Зайцев", "Павлов", "Семёнов", "Голубев"]  # fmt: skip
NAMES_M = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай"]
NAMES_F = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина"]
PATRONYMICS = ["Александров", "Сергеев", "Дмитриев", "Андреев", "Викторов", "Иванов", "Петров", "Юрьев"]
TRANSLIT = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
     "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
     "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
     "ы": "y", "э": "e", "ю": "yu", "я": "ya", "ь": "", "ъ": ""}
)  # fmt: skip
STREETS = ["ул. Некрасова", "ул. Агеева", "ул. Чичерина", "ул. Пушкина", "ул. Володарского"]


@dataclass
class Person:
    surname: str
    name: str
    patronymic: str
    birth: dt.date
    passport_series: str  # "05 06"
    passport_number: str  # "123456"
    snils: str
    inn: str
    phone: str
    email: str
    card: str
    flat: int
    street: str

    @property
    def fio(self) -> str:
        return f"{self.surname} {self.name} {self.patronymic}"

    @property
    def initials(self) -> str:
        return f"{self.surname} {self.name[0]}. {self.patronymic[0]}."

    @property
    def passport(self) -> str:
        return f"серия {self.passport_series} № {self.passport_number}"


def make_person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    surname = rng.choice(SURNAMES_M) + ("а" if female else "")
    name = rng.choice(NAMES_F if female else NAMES_M)
    patronymic = rng.choice(PATRONYMICS) + ("на" if female else "ич")
    birth = dt.date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
    login = f"{name[0]}.{surname}".lower().translate(TRANSLIT)
    return Person(
        surname=surname,
        name=name,
        patronymic=patronymic,
        birth=birth,
        passport_series=f"05 {rng.randint(0, 24):02d}",
        passport_number=f"{rng.randint(100_000, 999_999)}",
        snils=snils(rng),
        inn=personal_inn(rng),
        phone=phone(rng),
        email=f"{login}{rng.randint(1, 99)}@mail.ru",
        card=mir_card(rng),
        flat=rng.randint(1, 120),
        street=rng.choice(STREETS),
    )


@dataclass
class Company:
    name: str
    inn: str
    kpp: str
    ogrn: str
    bik: str
    account: str
    corr: str


def make_company(rng: random.Random, name: str) -> Company:
    bik = "040507705"
    return Company(
        name=name,
        inn=company_inn(rng),
        kpp=f"2511{rng.randint(0, 99):02d}001",
        ogrn=ogrn(rng),
        bik=bik,
        account=account(rng, bik),
        corr="30101810" + "6" + "00000000705",
    )


# ---- the corpus -------------------------------------------------------------------------------


@dataclass
class Spec:
    """One file: where, when modified, mode, what it should give."""

    rel: str
    write: Callable[[Path], None]
    modified: dt.date
    entities: tuple[str, ...] = ()  # identifier entities planted (names, dates, addresses may add more)
    violations: tuple[str, ...] = ()  # expected with the sample policy on AS_OF
    mode: int = 0o600
    acl_user: str | None = None  # a foreign user granted read through a POSIX ACL
    note: str = ""
    extra: dict = field(default_factory=dict)


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda p: p.write_bytes(content.encode(encoding))


def _csv(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ";") -> Callable[[Path], None]:
    def write(p: Path) -> None:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        p.write_bytes(buf.getvalue().encode(encoding))

    return write


def build_specs(rng: random.Random) -> list[Spec]:
    f = _formats()
    staff = [make_person(rng) for _ in range(8)]
    owners = [make_person(rng) for _ in range(12)]
    users = [make_person(rng) for _ in range(6)]
    contractor = make_person(rng)
    uk = make_company(rng, "ООО «УК Амурская»")
    vendor = make_company(rng, "ООО «ТеплоСервис»")
    a, b, c, d = staff[:4]
    s: list[Spec] = []

    def order_docx(title: str, body: list[str]) -> Callable[[Path], None]:
        return lambda p: f.write_docx(p, [uk.name, title, *body], header=f"{uk.name}, ИНН {uk.inn}")

    # Кадры: personnel orders (75 years), leave/trips (5), disciplinary (3) — п. 3.6.1
    s.append(Spec(
        "Кадры/Приказы/Приказ о приеме 12-к.docx",
        order_docx("ПРИКАЗ № 12-к о приеме работника на работу", [
            f"Принять {a.fio}, дата рождения {a.birth:%d.%m.%Y}, на должность инженера.",
            f"Паспорт {a.passport}, СНИЛС {a.snils}, ИНН {a.inn}.",
        ]),
        dt.date(2016, 3, 14), ("RU_PASSPORT", "RU_SNILS", "RU_INN"),
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Приказы/Приказ об увольнении 45-к.pdf",
        lambda p: f.write_pdf(p, [[uk.name, "ПРИКАЗ № 45-к о прекращении трудового договора",
                                   f"Уволить {b.fio}, табельный № 17, СНИЛС {b.snils}.",
                                   f"Телефон работника: {b.phone}."]]),
        dt.date(2021, 11, 2), ("RU_SNILS", "PHONE_NUMBER"), ("excessive_access",), mode=0o644,
        note="права 0644: читают все (other)",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Отпуска/Приказ об отпуске 2019-07.docx",
        order_docx("ПРИКАЗ № 31-о о предоставлении ежегодного оплачиваемого отпуска", [
            f"Предоставить {c.fio} (СНИЛС {c.snils}) ежегодный отпуск с 01.07.2019 на 28 дней.",
        ]),
        dt.date(2019, 6, 20), ("RU_SNILS",), ("retention_expired",),
        note="5 лет с 1 января 2020: до 2025-01-01",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Отпуска/График отпусков 2025.xlsx",
        lambda p: f.write_xlsx(p, {"График": [["ФИО", "СНИЛС", "Начало", "Дней"]] + [
            [x.fio, x.snils, f"{rng.randint(1, 28):02d}.{m:02d}.2025", "28"] for m, x in enumerate(staff, 1)
        ]}),
        dt.date(2024, 12, 10), ("RU_SNILS",),
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Командировки/Приказ о командировке 2020-14.txt",
        _text(f"{uk.name}\nПРИКАЗ № 14-к от 14.09.2020 о направлении работника в командировку\n"
              f"Направить {d.fio}, паспорт {d.passport}, в г. Владивосток на 3 дня.\n"
              f"Контактный телефон: {d.phone}\n", "cp1251"),
        dt.date(2020, 9, 15), ("RU_PASSPORT", "PHONE_NUMBER"), ("retention_expired",),
        note="cp1251; 5 лет с 1 января 2021: до 2026-01-01",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Взыскания/Приказ о выговоре 2021-3.docx",
        order_docx("ПРИКАЗ № 3-д о применении дисциплинарного взыскания", [
            f"Объявить выговор {b.fio} (ИНН {b.inn}) за нарушение трудовой дисциплины.",
        ]),
        dt.date(2021, 4, 5), ("RU_INN",), ("retention_expired",),
        note="3 года с 1 января 2022: до 2025-01-01",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Взыскания/Приказ о замечании 2023-1.docx",
        order_docx("ПРИКАЗ № 1-д о применении дисциплинарного взыскания", [
            f"Объявить замечание {c.fio}, СНИЛС {c.snils}.",
        ]),
        dt.date(2023, 2, 10), ("RU_SNILS",),
        note="3 года с 1 января 2024: до 2027-01-01 (правило взысканий, а не общее «Кадры/**»)",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Взыскания/Объяснительная 2022.txt",
        _text(f"Директору {uk.name}\nот {d.fio}, телефон {d.phone}\nОбъяснительная записка\n"
              "Опоздал на работу 30.12.2022 по причине поломки автобуса.\n"),
        dt.date(2022, 12, 31), ("PHONE_NUMBER",), ("retention_expired",),
        note="изменён 31.12.2022: 3 года с 1 января 2023 — до 2026-01-01",
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Личные карточки/Т-2 таб. 0012.xlsx",
        lambda p: f.write_xlsx(p, {"Т-2": [
            ["Личная карточка работника (форма Т-2)", ""],
            ["Фамилия, имя, отчество", a.fio],
            ["Дата рождения", a.birth.strftime("%d.%m.%Y")],
            ["Паспорт", f"{a.passport_series} {a.passport_number}"],
            ["СНИЛС", a.snils],
            ["ИНН", a.inn],
            ["Телефон", a.phone],
        ]}),
        dt.date(2012, 5, 5), ("RU_PASSPORT", "RU_SNILS", "RU_INN", "PHONE_NUMBER"),
    ))  # fmt: skip
    s.append(Spec(
        "Кадры/Личные карточки/Личная карточка таб. 0017.pdf",
        lambda p: f.write_pdf(p, [["Личная карточка работника (форма Т-2)", f"ФИО: {b.fio}",
                                   f"Паспорт {b.passport}", f"СНИЛС {b.snils}",
                                   f"Адрес электронной почты: {b.email}"]]),
        dt.date(2018, 1, 1), ("RU_PASSPORT", "RU_SNILS", "EMAIL_ADDRESS"), ("excessive_access",),
        acl_user="nobody", note="ACL: user:nobody:r--",
    ))  # fmt: skip

    # Собственники и заявления — п. 3.6.2 (5 years from next 1 January)
    def register(people: list[Person]) -> list[list[str]]:
        rows = [
            ["№", "ФИО собственника", "Кв.", "Паспорт серия", "Паспорт номер", "СНИЛС", "Телефон", "E-mail"]
        ]
        for i, x in enumerate(people, 1):
            rows.append(
                [str(i), x.fio, str(x.flat), x.passport_series, x.passport_number, x.snils, x.phone, x.email]
            )
        return rows

    reg_entities = ("RU_PASSPORT", "RU_SNILS", "PHONE_NUMBER", "EMAIL_ADDRESS")
    s.append(Spec(
        "Собственники/Реестр собственников 2025.xlsx",
        lambda p: f.write_xlsx(p, {"Реестр": register(owners), "Справка": [["Дом", "ул. Амурская, д. 53"]]}),
        dt.date(2025, 9, 1), reg_entities,
    ))  # fmt: skip
    s.append(Spec(
        "Собственники/Реестр собственников 2025.csv",
        _csv(register(owners), "cp1251"), dt.date(2025, 9, 1), reg_entities, ("excessive_access",),
        mode=0o644, note="cp1251, права 0644",
    ))  # fmt: skip
    s.append(Spec(
        "Собственники/Архив/Реестр собственников 2019.csv",
        _csv(register(owners[:6])), dt.date(2019, 12, 20), reg_entities, ("retention_expired",),
        note="5 лет с 1 января 2020: до 2025-01-01",
    ))  # fmt: skip
    k = owners[3]
    s.append(Spec(
        "Заявления/Заявление о перерасчете 2024-03.docx",
        lambda p: f.write_docx(p, [
            f"Директору {uk.name}", f"от собственника кв. {k.flat} {k.fio}", f"тел. {k.phone}, e-mail {k.email}",
            "ЗАЯВЛЕНИЕ", "Прошу произвести перерасчёт платы за отопление за январь 2024 года.",
        ]),
        dt.date(2024, 3, 12), ("PHONE_NUMBER", "EMAIL_ADDRESS"),
    ))  # fmt: skip
    o = owners[5]
    s.append(Spec(
        "Заявления/2020/Заявление на замену счетчика.docx",
        lambda p: f.write_docx(p, ["ЗАЯВЛЕНИЕ на замену прибора учёта"], tables=[[
            ["Собственник", o.fio], ["Паспорт", f"{o.passport_series} {o.passport_number}"],
            ["СНИЛС", o.snils], ["Телефон", o.phone], ["Показания счётчика", "004512"],
        ]]),
        dt.date(2020, 10, 5), ("RU_PASSPORT", "RU_SNILS", "PHONE_NUMBER"), ("retention_expired",),
        note="5 лет с 1 января 2021: до 2026-01-01",
    ))  # fmt: skip

    # Договоры ГПХ — п. 3.6.3
    s.append(Spec(
        "Договоры ГПХ/Договор подряда 7-ГПХ.docx",
        lambda p: f.write_docx(p, [
            f"ДОГОВОР ПОДРЯДА № 7-ГПХ между {uk.name} и гражданином {contractor.fio}",
            f"Подрядчик: паспорт {contractor.passport}, ИНН {contractor.inn}, СНИЛС {contractor.snils}.",
            f"Оплата на карту {contractor.card}.",
        ]),
        dt.date(2023, 8, 1), ("RU_PASSPORT", "RU_INN", "RU_SNILS", "CREDIT_CARD"),
    ))  # fmt: skip
    s.append(Spec(
        "Договоры ГПХ/Акт 2019 3-ГПХ.pdf",
        lambda p: f.write_pdf(p, [["АКТ сдачи-приёмки работ по договору № 3-ГПХ",
                                   f"Исполнитель: {staff[5].fio}, ИНН {staff[5].inn}",
                                   "Работы выполнены в полном объёме."]]),
        dt.date(2020, 2, 3), ("RU_INN",), ("retention_expired",),
        note="5 лет с 1 января 2021: до 2026-01-01",
    ))  # fmt: skip

    # Сайт — п. 3.6.4: one year from the modification date
    def site_export(people: list[Person]) -> Callable[[Path], None]:
        return _csv([["login", "email", "phone", "registered"]] + [
            [x.email.split("@")[0], x.email, x.phone, "2025-01-15"] for x in people
        ], delimiter=",")  # fmt: skip

    s.append(
        Spec(
            "Сайт/Выгрузка пользователей 2025-03.csv",
            site_export(users[:3]),
            dt.date(2025, 3, 10),
            ("EMAIL_ADDRESS", "PHONE_NUMBER"),
            ("retention_expired",),
            note="до 2026-03-10",
        )
    )
    s.append(
        Spec(
            "Сайт/Выгрузка пользователей 2025-06-01.csv",
            site_export(users[2:5]),
            dt.date(2025, 6, 1),
            ("EMAIL_ADDRESS", "PHONE_NUMBER"),
            ("retention_expired",),
            note="срок 2026-06-01 = дата проверки: уже истёк",
        )
    )
    s.append(
        Spec(
            "Сайт/Выгрузка пользователей 2025-06-20.csv",
            site_export(users[3:6]),
            dt.date(2025, 6, 20),
            ("EMAIL_ADDRESS", "PHONE_NUMBER"),
            ("expires_soon",),
            note="до 2026-06-20: через 19 дней",
        )
    )
    s.append(Spec(
        "Сайт/Журнал доступа 2024.log",
        _text("".join(f"2024-0{m}-1{m} 10:2{m}:0{m} 192.168.{m}.{10 + m} GET /lk/ 200\n" for m in range(1, 9))),
        dt.date(2024, 9, 1), (), note="только IP-адреса: не ПДн сами по себе, нарушений нет",
    ))  # fmt: skip

    # Бухгалтерия — company requisites only: zero findings, never a violation
    def requisites(co: Company) -> list[str]:
        return [co.name, f"ИНН {co.inn} КПП {co.kpp}", f"ОГРН {co.ogrn}",
                f"р/с {co.account}", f"к/с {co.corr}", f"БИК {co.bik}"]  # fmt: skip

    s.append(
        Spec(
            "Бухгалтерия/Реквизиты.txt",
            _text("\n".join(["Реквизиты организации", *requisites(uk)]) + "\n"),
            dt.date(2010, 2, 1),
            (),
            mode=0o644,
            note="реквизиты организации: не ПДн",
        )
    )
    s.append(Spec(
        "Бухгалтерия/Счет на оплату 118.pdf",
        lambda p: f.write_pdf(p, [["СЧЁТ НА ОПЛАТУ № 118 от 14.03.2024", "Поставщик:", *requisites(vendor),
                                   "Покупатель:", *requisites(uk),
                                   "Теплоснабжение за февраль 2024 г. — 184 530,00 руб.", "Заказ № 20240314-7"]]),
        dt.date(2011, 3, 14), (), mode=0o644,
    ))  # fmt: skip
    s.append(Spec(
        "Бухгалтерия/Платежи 2024.xlsx",
        lambda p: f.write_xlsx(p, {"Платежи": [["Дата", "Получатель", "ИНН", "КПП", "Счёт", "БИК", "Сумма"]] + [
            [f"{m:02d}.03.2024", vendor.name, vendor.inn, vendor.kpp, vendor.account, vendor.bik, 18453.0 * m]
            for m in range(1, 7)
        ]}),
        dt.date(2012, 1, 10), (), mode=0o644,
    ))  # fmt: skip
    s.append(Spec(
        "Бухгалтерия/Договор поставки 5-П.docx",
        lambda p: f.write_docx(p, ["ДОГОВОР ПОСТАВКИ № 5-П", "Реквизиты сторон"],
                               tables=[[["Поставщик", "Покупатель"],
                                        *[[x, y] for x, y in zip(requisites(vendor), requisites(uk), strict=True)]]]),
        dt.date(2013, 6, 1), (), mode=0o644,
    ))  # fmt: skip

    # Общая — the shared folder: not an authorized place (п. 3.10)
    e = owners[0]
    s.append(Spec(
        "Общая/Скан паспорта.pdf",
        lambda p: f.write_pdf(p, [["ПАСПОРТ ГРАЖДАНИНА РОССИЙСКОЙ ФЕДЕРАЦИИ",
                                   f"Серия {e.passport_series} № {e.passport_number}",
                                   "Выдан отделом УФМС России по Приморскому краю",
                                   f"{e.fio}, дата рождения {e.birth:%d.%m.%Y}"]]),
        dt.date(2025, 1, 15), ("RU_PASSPORT",), ("outside_authorized", "excessive_access"), mode=0o644,
    ))  # fmt: skip
    s.append(Spec(
        "Общая/Телефоны сотрудников.xlsx",
        lambda p: f.write_xlsx(p, {"Лист1": [["Сотрудник", "Мобильный"]] + [[x.initials, x.phone] for x in staff]}),
        dt.date(2025, 11, 3), ("PHONE_NUMBER",), ("outside_authorized",),
    ))  # fmt: skip
    s.append(Spec(
        "Общая/График уборки подъездов.docx",
        lambda p: f.write_docx(p, ["График уборки подъездов на июнь", "Подъезды 1–4: понедельник, четверг",
                                   "Подъезды 5–8: вторник, пятница"]),
        dt.date(2015, 5, 20), (), mode=0o644,
    ))  # fmt: skip

    # Employee PCs: only «Документы» of admitted employees is authorized
    s.append(Spec(
        "ПК/buh-01/Загрузки/Реестр собственников (1).xlsx",
        lambda p: f.write_xlsx(p, {"Реестр": register(owners)}),
        dt.date(2025, 10, 2), reg_entities, ("outside_authorized",),
    ))  # fmt: skip
    s.append(Spec(
        "ПК/buh-01/Загрузки/Выписка по счету.csv",
        _csv([["Дата", "Плательщик", "ИНН плательщика", "Счёт", "Сумма", "Назначение"]] + [
            [f"{m:02d}.04.2025", vendor.name, vendor.inn, vendor.account, f"{12000 + m * 310}.00",
             f"Оплата по счёту № {200 + m}"] for m in range(1, 6)
        ]),
        dt.date(2025, 4, 30), (),
    ))  # fmt: skip
    s.append(Spec(
        "ПК/buh-01/Документы/Зарплата 2025-05.xlsx",
        lambda p: f.write_xlsx(p, {"Ведомость": [["ФИО", "СНИЛС", "ИНН", "Карта", "К выплате"]] + [
            [x.fio, x.snils, x.inn, x.card, 45000.0 + i * 1000] for i, x in enumerate(staff)
        ]}),
        dt.date(2025, 5, 31), ("RU_SNILS", "RU_INN", "CREDIT_CARD"),
    ))  # fmt: skip
    s.append(Spec(
        "ПК/secretary/Рабочий стол/заявление скан.pdf",
        lambda p: f.write_pdf(p, [["ЗАЯВЛЕНИЕ", f"от {k.fio}, кв. {k.flat}",
                                   f"Паспорт {k.passport}", f"Телефон {k.phone}"]]),
        dt.date(2024, 3, 12), ("RU_PASSPORT", "PHONE_NUMBER"), ("outside_authorized",),
    ))  # fmt: skip
    s.append(
        Spec(
            "ПК/secretary/Рабочий стол/список дел.txt",
            _text("Позвонить в водоканал\nЗаказать бумагу А4 — 10 пачек\nСобрание 12.06 в 18:00\n"),
            dt.date(2025, 5, 28),
            (),
        )
    )
    s.append(Spec(
        "ПК/secretary/Документы/Журнал входящих 2025.docx",
        lambda p: f.write_docx(p, ["Журнал регистрации входящих обращений"], tables=[[
            ["№", "Дата", "Заявитель", "Телефон"],
            *[[str(i), f"{i + 1:02d}.05.2025", x.fio, x.phone] for i, x in enumerate(owners[6:10], 1)],
        ]]),
        dt.date(2025, 5, 29), ("PHONE_NUMBER",), ("excessive_access",), acl_user="nobody",
        note="ACL: user:nobody:r--",
    ))  # fmt: skip
    return s


# ---- files on disk ----------------------------------------------------------------------------


def _local_noon(day: dt.date) -> float:
    # Noon local time: the file's local date is `day` on this machine, whatever TZ it has.
    return time.mktime((day.year, day.month, day.day, 12, 0, 0, 0, 0, -1))


def _grant_acl(path: Path, user: str, mode: int) -> bool:
    """Add user:<user>:r-- to the file's ACL; False when the filesystem has no ACLs."""
    try:
        import posix1e
    except ImportError:
        return False
    try:
        import pwd

        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        uid = 65534
    try:
        acl = posix1e.ACL(mode=mode)
        entry = acl.append()
        entry.tag_type = posix1e.ACL_USER
        entry.qualifier = uid
        entry.permset.add(posix1e.ACL_READ)
        acl.calc_mask()
        acl.applyto(str(path))
        return True
    except OSError:
        return False


def policy_text() -> str:
    """The sample policy: `pdscan policy init` output with the access section set for the sample.

    The owner of the generated files is whoever runs this script, so the owner is admitted
    (allow_owner) and what is judged is group, other and ACL access.
    """
    template = (REPO / "pdscan" / "policy_template.yaml").read_text(encoding="utf-8")
    head, _, _ = template.partition("access:\n")
    return (
        head
        + "access:\n"
        + '  allowed_users: ["root"]\n'
        + '  allowed_groups: ["root"]\n'
        + "  allow_owner: true         # в примере файлы принадлежат тому, кто запустил генератор\n"
    )


README = """# sample_corpus

Учебная файловая папка управляющей компании и двух ПК сотрудников с синтетическими данными.
Файлы создаёт `python scripts/make_sample_corpus.py` (в git лежат только policy.yaml,
EXPECTED.json и этот файл: git не хранит даты изменения и права, от которых зависят нарушения).
Ожидаемые нарушения на дату 2026-06-01 — в EXPECTED.json.
"""

GITIGNORE = "# Generated by scripts/make_sample_corpus.py; only these are committed:\n/*\n" + "".join(
    f"!/{name}\n" for name in KEEP
)


def expected(specs: list[Spec]) -> dict:
    files = {
        spec.rel: {
            "entities": sorted(spec.entities),
            "violations": sorted(spec.violations),
            **({"note": spec.note} if spec.note else {}),
        }
        for spec in specs
    }
    for name in KEEP:
        files[name] = {"entities": [], "violations": []}
    return {
        "as_of": AS_OF.isoformat(),
        "command": "pdscan scan sample_corpus --policy sample_corpus/policy.yaml "
        f"--as-of {AS_OF.isoformat()} --format jsonl --jobs 1",
        "about": "entities: identifier entities planted in the file (the scan may add PERSON, "
        "DATE_OF_BIRTH, LOCATION); violations: rules expected with policy.yaml on as_of. "
        "Files with no entities hold no personal data and must give no findings and no violations.",
        "files": dict(sorted(files.items())),
    }


def generate(out: Path) -> dict:
    rng = random.Random(SEED)
    specs = build_specs(rng)
    out.mkdir(parents=True, exist_ok=True)
    for top in TOP_DIRS:
        shutil.rmtree(out / top, ignore_errors=True)
    acl_ok = True
    for spec in specs:
        path = out / spec.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        spec.write(path)
        os.chmod(path, spec.mode)
        if spec.acl_user and not _grant_acl(path, spec.acl_user, spec.mode):
            acl_ok = False
            os.chmod(path, spec.mode | 0o004)  # no ACLs here: still readable by a foreigner
        ts = _local_noon(spec.modified)
        os.utime(path, (ts, ts))
    for name, text in (("policy.yaml", policy_text()), ("README.md", README), (".gitignore", GITIGNORE)):
        (out / name).write_text(text, encoding="utf-8")
    exp = expected(specs)
    (out / "EXPECTED.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not acl_ok:
        print(
            "make_sample_corpus: ACL не поддерживаются этой ФС; вместо ACL выданы права other",
            file=sys.stderr,
        )
    return exp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(REPO / "sample_corpus"))
    args = ap.parse_args()
    t0 = time.monotonic()
    exp = generate(Path(args.out))
    print(f"{args.out}: {len(exp['files']) - len(KEEP)} файлов за {time.monotonic() - t0:.1f} с")


if __name__ == "__main__":
    main()
