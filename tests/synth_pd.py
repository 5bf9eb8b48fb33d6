"""Synthetic, checksum-valid Russian identifiers and realistic labelled texts.

Used by the recognizer / detector tests and by benchmarks/bench_detect.py. Every value is
generated (python-stdnum / phonenumbers check them), never real. ``document(rng)`` returns
a text and the set of (entity, normalized) it holds; ``requisites_document(rng)`` holds only
an organisation's requisites and must give no findings.
"""

from __future__ import annotations

import random

import phonenumbers
from stdnum import luhn
from stdnum.ru import inn as stdnum_inn

from pdscan.model import Chunk
from recognizers.snils import snils_check

CYR_LOOKALIKE = "АВЕКМНОРСТУХ"
TO_LATIN = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")


# -- values: (text form, normalized) ---------------------------------------------------------------


def passport(rng: random.Random) -> tuple[str, str]:
    series = f"{rng.randint(1, 99):02d}{rng.choice([97, 98, 99, 0, 1, 3, 5, 8, 10, 12, 14, 16, 18, 19, 20, 21, 22, 23, 24]):02d}"
    number = f"{rng.randint(100000, 999999)}"
    return series, number


def passport_text(rng: random.Random) -> tuple[str, str]:
    s, n = passport(rng)
    form = rng.choice(
        [
            f"серия {s[:2]} {s[2:]} № {n}",
            f"{s} {n}",
            f"{s[:2]} {s[2:]} {n}",
            f"серия {s} номер {n}",
            f"{s} № {n}",
        ]
    )
    return form, s + n


def snils(rng: random.Random) -> str:
    first = f"{rng.randint(2_000_000, 999_999_999):09d}"
    return first + snils_check(first)


def snils_text(rng: random.Random) -> tuple[str, str]:
    v = snils(rng)
    form = rng.choice([f"{v[:3]}-{v[3:6]}-{v[6:9]} {v[9:]}", f"{v[:3]}-{v[3:6]}-{v[6:9]}-{v[9:]}", v])
    return form, v


def inn12(rng: random.Random) -> str:
    first = f"{rng.choice([25, 27, 65, 77, 78, 50]):02d}{rng.randint(0, 99_999_999):08d}"
    return first + stdnum_inn.calc_personal_check_digits(first)


def inn10(rng: random.Random) -> str:
    first = f"{rng.choice([25, 27, 77]):02d}{rng.randint(0, 9_999_999):07d}"
    return first + stdnum_inn.calc_company_check_digit(first)


def phone_text(rng: random.Random) -> tuple[str, str]:
    while True:
        if rng.random() < 0.7:
            code, sub = f"9{rng.randint(0, 99):02d}", f"{rng.randint(0, 9_999_999):07d}"
        else:
            code, sub = rng.choice(["423", "4232", "4234", "495", "812"]), ""
            sub = f"{rng.randint(2, 9)}{rng.randint(0, 10 ** (9 - len(code)) - 1):0{9 - len(code)}d}"
        value = "+7" + code + sub
        if phonenumbers.is_valid_number(phonenumbers.parse(value)):
            break
    s = sub
    form = rng.choice(
        [
            f"+7 {code} {s[:-4]}-{s[-4:-2]}-{s[-2:]}",
            f"8 ({code}) {s[:-4]}-{s[-4:-2]}-{s[-2:]}",
            f"8{code}{s}",
            f"+7({code}){s}",
            f"+7 ({code}) {s[:-4]} {s[-4:-2]} {s[-2:]}",
        ]
    )
    return form, value


FIRST = ["ivan", "petr", "olga", "anna", "sergey", "maria", "dmitry", "elena", "alexey", "irina"]
LAST = ["ivanov", "petrova", "sidorov", "kuznetsova", "smirnov", "popova", "volkov", "lebedeva"]
DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru"]


def email_text(rng: random.Random) -> tuple[str, str]:
    local = rng.choice(
        [
            f"{rng.choice(FIRST)}.{rng.choice(LAST)}",
            f"{rng.choice(LAST)}{rng.randint(1, 99)}",
            f"{rng.choice(FIRST)[0]}_{rng.choice(LAST)}",
        ]
    )
    value = f"{local}@{rng.choice(DOMAINS)}"
    form = value.capitalize() if rng.random() < 0.2 else value
    return form, value.lower()


def card(rng: random.Random) -> str:
    prefix = rng.choice(["2200", "2201", "2202", "2204", "4276", "4279", "5469", "5536"])
    body = prefix + f"{rng.randint(0, 10**11 - 1):011d}"
    return body + luhn.calc_check_digit(body)


def card_text(rng: random.Random) -> tuple[str, str]:
    v = card(rng)
    form = rng.choice(
        [" ".join(v[i : i + 4] for i in range(0, 16, 4)), v, "-".join(v[i : i + 4] for i in range(0, 16, 4))]
    )
    return form, v


def oms(rng: random.Random) -> str:
    body = f"{rng.choice([25, 27, 77, 50, 65]):02d}{rng.randint(0, 10**13 - 1):013d}"
    return body + luhn.calc_check_digit(body)


def oms_text(rng: random.Random) -> tuple[str, str]:
    v = oms(rng)
    return (v if rng.random() < 0.6 else " ".join(v[i : i + 4] for i in range(0, 16, 4))), v


def military_text(rng: random.Random) -> tuple[str, str]:
    letters = "".join(rng.choice("АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ") for _ in range(2))
    num = f"{rng.randint(1_000_000, 9_999_999)}"
    shown = letters
    if rng.random() < 0.3 and all(c in CYR_LOOKALIKE for c in letters):
        shown = letters.translate(TO_LATIN)
    form = rng.choice([f"{shown} {num}", f"{shown}{num}", f"{shown} № {num}"])
    return form, letters + num


def foreign_text(rng: random.Random) -> tuple[str, str]:
    s, n = f"{rng.choice([70, 71, 72, 73, 75, 76]):02d}", f"{rng.randint(1_000_000, 9_999_999)}"
    return rng.choice([f"{s} {n}", f"{s}{n}", f"{s} № {n}"]), s + n


def driver_text(rng: random.Random) -> tuple[str, str]:
    region, num = f"{rng.randint(1, 99):02d}", f"{rng.randint(100000, 999999)}"
    if rng.random() < 0.6:
        mid = f"{rng.randint(0, 99):02d}"
        return rng.choice(
            [f"{region} {mid} {num}", f"{region}{mid} {num}", f"{region}{mid}{num}"]
        ), region + mid + num
    mid = "".join(rng.choice(CYR_LOOKALIKE) for _ in range(2))
    shown = mid.translate(TO_LATIN) if rng.random() < 0.3 else mid
    return f"{region} {shown} {num}", region + mid + num


# -- noise that must stay silent --------------------------------------------------------------------


def company(rng: random.Random) -> dict[str, str]:
    inn = inn10(rng)
    ogrn12 = f"1{rng.randint(2, 2)}{rng.randint(10, 99)}{rng.randint(10, 99)}{rng.randint(0, 99_999_999):08d}"
    ogrn = ogrn12 + str(int(ogrn12) % 11 % 10)
    return {
        "name": rng.choice(["ООО «УК Восток»", "ООО «Жилсервис»", 'АО "ДВ Энерго"', "ТСЖ «Морское»"]),
        "inn": inn,
        "kpp": f"{inn[:4]}01001",
        "ogrn": ogrn,
        "rs": f"40702810{rng.randint(0, 10**12 - 1):012d}",
        "ks": f"30101810{rng.randint(0, 10**12 - 1):012d}",
        "bik": f"04{rng.randint(0, 9_999_999):07d}",
        "okpo": f"{rng.randint(10_000_000, 99_999_999)}",
        "oktmo": f"{rng.randint(10_000_000_000, 99_999_999_999)}",
        "phone": phone_text(rng)[0],
        "email": rng.choice(["info", "office", "buh", "priem"])
        + "@"
        + rng.choice(["uk-vostok.ru", "zhilservice.ru"]),
        "email2": rng.choice(["vostok.uk", "dvenergo", "zhilservice"])
        + "@"
        + rng.choice(["mail.ru", "yandex.ru"]),
    }


def letterhead(rng: random.Random) -> str:
    c = company(rng)
    return (
        f"{c['name']}\n690091, г. Владивосток, ул. Светланская, д. {rng.randint(1, 200)}, оф. {rng.randint(1, 50)}\n"
        f"ИНН {c['inn']} КПП {c['kpp']} ОГРН {c['ogrn']}\n"
        f"р/с {c['rs']} в ПАО Сбербанк, к/с {c['ks']}, БИК {c['bik']}\n"
        f"тел. {c['phone']}, e-mail: {rng.choice([c['email'], c['email2']])}\n"
    )


def date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2025)}"


def money(rng: random.Random) -> str:
    return f"{rng.randint(1, 999)} {rng.randint(0, 999):03d},{rng.randint(0, 99):02d}"


PROSE = [
    "Управляющая компания уведомляет собственников помещений о проведении общего собрания.",
    "В связи с плановым ремонтом системы холодного водоснабжения подача воды будет приостановлена.",
    "Начисления за жилищно-коммунальные услуги произведены согласно тарифам, утверждённым на текущий год.",
    "Прошу произвести перерасчёт платы за вывоз твёрдых коммунальных отходов за период отсутствия.",
    "Показания индивидуальных приборов учёта необходимо передавать с 20 по 25 число каждого месяца.",
    "Акт осмотра общего имущества составлен комиссией в присутствии представителя собственников.",
    "Работы по герметизации межпанельных швов выполнены подрядной организацией в полном объёме.",
    "Претензия рассмотрена, по результатам проверки принято решение о частичном удовлетворении требований.",
    "Совет многоквартирного дома согласовал смету на текущий ремонт подъездов и кровли.",
    "Задолженность по оплате коммунальных услуг подлежит погашению в течение тридцати дней.",
]


def noise_sentence(rng: random.Random) -> str:
    c = rng.randrange(11)
    if c == 0:
        return f"Счёт № {rng.randint(1000000000, 9999999999)} от {date(rng)} на сумму {money(rng)} руб."
    if c == 1:
        return f"Заказ-наряд № {rng.randint(100000, 99999999)} от {date(rng)}, исполнитель — подрядчик."
    if c == 2:
        return f"Показания счётчика ХВС: {rng.randint(10000, 99999999)} м3, ГВС: {rng.randint(100, 99999)},{rng.randint(0, 999):03d} м3."
    if c == 3:
        return (
            f"Лицевой счёт {rng.randint(1000000000, 9999999999)}, начислено {money(rng)} руб. за {date(rng)}."
        )
    if c == 4:
        return f"Кадастровый номер 25:28:{rng.randint(10000, 99999):06d}:{rng.randint(1, 9999)}, площадь {rng.randint(20, 120)},{rng.randint(0, 9)} кв. м."
    if c == 5:
        return f"Договор № {rng.randint(100, 999)}/{rng.randint(10, 99)}-{rng.randint(2015, 2025)} от {date(rng)}."
    if c == 6:
        return f"Платёжное поручение № {rng.randint(1, 9999)} от {date(rng)}, р/с 40702810{rng.randint(0, 10**12 - 1):012d}."
    if c == 7:
        return f"Накладная № {rng.randint(10**11, 10**12 - 1)} от {date(rng)}; количество {rng.randint(1, 500)} шт."
    if c == 8:
        return f"Технический паспорт дома № {rng.randint(1000, 9999)} {rng.randint(100000, 999999)} хранится в архиве."
    return rng.choice(PROSE)


# -- labelled documents -----------------------------------------------------------------------------

Labels = set[tuple[str, str]]


def _person_block(rng: random.Random, labels: Labels) -> str:
    """A realistic person paragraph with a random subset of identifiers, each with its label."""
    parts = [rng.choice(["Иванов Иван Иванович", "Петрова Ольга Сергеевна", "Сидоров Пётр Андреевич"])]
    parts.append(f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2004)} г.р.")
    items = [
        (
            "RU_PASSPORT",
            passport_text,
            ["паспорт", "Паспорт гражданина РФ:", "паспорт РФ", "документ, удостоверяющий личность: паспорт"],
            ", выдан ОВД района {d}",
        ),
        ("RU_SNILS", snils_text, ["СНИЛС", "СНИЛС:", "страховое свидетельство №"], ""),
        ("RU_INN", lambda r: (inn12(r),) * 2, ["ИНН", "ИНН:", "ИНН физического лица"], ""),
        ("PHONE_NUMBER", phone_text, ["тел.", "телефон:", "моб. тел.", "контактный телефон"], ""),
        ("EMAIL_ADDRESS", email_text, ["e-mail:", "эл. почта", "адрес электронной почты:"], ""),
        ("CREDIT_CARD", card_text, ["карта", "номер банковской карты", "карта МИР №"], ""),
        ("RU_OMS_POLICY", oms_text, ["полис ОМС", "полис ОМС №", "ЕНП"], ""),
        ("RU_MILITARY_ID", military_text, ["военный билет", "военный билет серии", "в/б"], ""),
        (
            "RU_FOREIGN_PASSPORT",
            foreign_text,
            ["загранпаспорт", "заграничный паспорт №", "загранпаспорт серии"],
            "",
        ),
        ("RU_DRIVER_LICENSE", driver_text, ["водительское удостоверение", "ВУ №", "вод. удостоверение"], ""),
    ]
    for entity, gen, labs, tail in rng.sample(items, rng.randint(2, 6)):
        form, value = gen(rng)
        parts.append(f"{rng.choice(labs)} {form}" + tail.format(d=date(rng)))
        labels.add((entity, value))
    return ", ".join(parts) + "."


TABLE_HEADER = "ФИО\tСерия\tНомер\tСНИЛС\tТелефон\tПлощадь"


def table_rows(rng: random.Random, labels: Labels) -> list[str]:
    """An owners' register as tab-separated rows (the extractors' form; the header goes in context)."""
    rows = []
    for _ in range(rng.randint(2, 5)):
        s, n = passport(rng)
        sn = snils(rng)
        ph, phv = phone_text(rng)
        rows.append(
            f"Собственник {rng.randint(1, 300)}\t{s}\t{n}\t{sn[:3]}-{sn[3:6]}-{sn[6:9]} {sn[9:]}\t{ph}\t{rng.randint(20, 99)},{rng.randint(0, 9)}"
        )
        labels.update({("RU_PASSPORT", s + n), ("RU_SNILS", sn), ("PHONE_NUMBER", phv)})
    return rows


def document(rng: random.Random, tables: bool = True) -> tuple[list[Chunk], Labels]:
    """A document with personal data as the extractors give it: paragraphs, then table rows."""
    labels: Labels = set()
    paras = []
    if rng.random() < 0.5:
        paras.append(letterhead(rng))
    for _ in range(rng.randint(1, 3)):
        paras.append(" ".join(noise_sentence(rng) for _ in range(rng.randint(1, 4))))
        paras.append(_person_block(rng, labels))
    paras.append(" ".join(noise_sentence(rng) for _ in range(rng.randint(1, 3))))
    chunks = [Chunk(text=p, location=f"paragraph {i + 1}") for i, p in enumerate(paras)]
    if tables and rng.random() < 0.3:
        for i, row in enumerate(table_rows(rng, labels)):
            chunks.append(Chunk(text=row, location=f"row {i + 2}", context=TABLE_HEADER))
    return chunks, labels


def document_text(rng: random.Random) -> tuple[str, Labels]:
    """The same as one plain text (no tables)."""
    chunks, labels = document(rng, tables=False)
    return "\n\n".join(c.text for c in chunks), labels


def requisites_document(rng: random.Random) -> str:
    """Company requisites, invoices, accounts, dates, meter readings: no personal data."""
    paras = [letterhead(rng)]
    for _ in range(rng.randint(2, 5)):
        paras.append(" ".join(noise_sentence(rng) for _ in range(rng.randint(2, 6))))
    c = company(rng)
    paras.append(
        f"Получатель: {c['name']}, ИНН/КПП {c['inn']}/{c['kpp']}, ОГРН {c['ogrn']}, "
        f"р/с {c['rs']}, к/с {c['ks']}, БИК {c['bik']}, ОКПО {c['okpo']}, ОКТМО {c['oktmo']}. "
        f"Телефон диспетчерской {c['phone']}, почта {c['email']}."
    )
    return "\n\n".join(paras)


def filler(rng: random.Random, approx_chars: int, numbers: float = 0.25) -> str:
    """Prose with dates, sums and numbers (``numbers``: share of number-laden sentences)."""
    out, n = [], 0
    while n < approx_chars:
        s = noise_sentence(rng) if rng.random() < numbers else rng.choice(PROSE)
        out.append(s)
        n += len(s) + 1
    return " ".join(out)
