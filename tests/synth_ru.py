"""Synthetic Russian documents with known PERSON / LOCATION / DATE_OF_BIRTH content.

Used by tests/test_names.py, tests/test_address.py, tests/test_birthdate.py and
benchmarks/bench_names.py. Every document is a list of Chunks as an extractor would give
them (table rows: cells joined by tabs, the header row in ``Chunk.context``) plus the
file-level truth: does it name a natural person (a signature of the organisation's own
staff does not count), hold a postal address, a birth date.

Names are declined with pymorphy3's ``inflect`` from hand-written nominative forms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pdscan.model import Chunk

SURNAMES_M = (
    "Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров Морозов Волков "
    "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин "
    "Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов "
    "Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв "
    "Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов "
    "Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов "
    "Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов "
    "Ефимов Щербаков Назаров Калинин Исаев Быков Маслов Родионов Коновалов Лазарев Воронин Климов "
    "Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Трофимов Леонов Соболев Ермаков "
    "Вишневский Жуковский Данейкин Кхвостиков Шмыгалёв Тарабрин Шевченко Бондаренко Ткаченко Ким"
).split()
NAMES_M = (
    "Иван Пётр Сергей Андрей Алексей Дмитрий Михаил Николай Владимир Александр Евгений Юрий Олег "
    "Игорь Виктор Павел Роман Максим Артём Константин Василий Борис Григорий Леонид Степан Фёдор"
).split()
NAMES_F = (
    "Анна Мария Елена Ольга Татьяна Наталья Ирина Светлана Екатерина Юлия Марина Галина Людмила "
    "Надежда Вера Любовь Валентина Оксана Ксения Дарья Алина Полина Виктория Лариса Роза"
).split()
# Father's names for patronymics: (masculine, feminine).
PATRONYMICS = [
    ("Иванович", "Ивановна"),
    ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"),
    ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"),
    ("Александрович", "Александровна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Юрьевич", "Юрьевна"),
    ("Олегович", "Олеговна"),
    ("Игоревич", "Игоревна"),
    ("Викторович", "Викторовна"),
    ("Павлович", "Павловна"),
    ("Борисович", "Борисовна"),
    ("Григорьевич", "Григорьевна"),
    ("Фёдорович", "Фёдоровна"),
    ("Ильич", "Ильинична"),
]
CITIES = (
    "Уссурийск Владивосток Находка Артём Хабаровск Москва Новосибирск Екатеринбург Казань Самара "
    "Омск Пермь Воронеж Волгоград Краснодар Тюмень Иркутск Барнаул Томск Кемерово"
).split()
REGIONS = [
    "Приморский край",
    "Хабаровский край",
    "Московская обл.",
    "Новосибирская область",
    "Республика Татарстан",
    "Свердловская область",
]
STREETS = (
    "Амурская Некрасова Ленина Пушкина Лермонтова Гоголя Садовая Набережная Советская Мира "
    "Комсомольская Чехова Горького Кирова Суворова Лазо Светланская Океанская Центральная Школьная"
).split()
STREET_KINDS = ["ул.", "улица", "пр-т", "проспект", "пер.", "бульвар", "б-р", "ш."]
ORGS = ["МакАрт", "Ромашка", "Вектор", "Гарант-Сервис", "ДальТрансЛогистик", "Приморские Сети", "Альфа"]
POSITIONS = [
    "Генеральный директор",
    "Директор",
    "Главный бухгалтер",
    "Руководитель",
    "Начальник отдела кадров",
    "Менеджер",
    "Специалист",
]
MONTHS_GEN = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


@dataclass
class Person:
    surname: str
    name: str
    patronymic: str
    female: bool
    birth: tuple[int, int, int]  # (year, month, day)

    def full(self) -> str:
        return f"{self.surname} {self.name} {self.patronymic}"

    def initials(self) -> str:
        return f"{self.name[0]}.{self.patronymic[0]}."


@dataclass
class Doc:
    kind: str
    chunks: list[Chunk]
    person: bool  # names a natural person (not only an own-staff signature)
    location: bool
    dob: bool
    people: set[str] = field(default_factory=set)  # nominative full names, lower case, ё → е


_MORPH = None


def _morph():
    global _MORPH
    if _MORPH is None:
        import pymorphy3

        _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


def decline(word: str, role: str, case: str, female: bool) -> str:
    """One name word in a case ("gent", "datv", "ablt"...), keeping capitalisation."""
    if case == "nomn":
        return word
    gender = "femn" if female else "masc"
    for p in _morph().parse(word):
        g = p.tag.grammemes
        if role in g and p.tag.case == "nomn" and (gender in g or "ms-f" in g) and "sing" in g:
            inf = p.inflect({case, "sing"})
            if inf is not None:
                w = inf.word
                return "-".join(x.capitalize() for x in w.split("-"))
    return word


def person_in_case(p: Person, case: str) -> str:
    return " ".join(
        decline(w, r, case, p.female)
        for w, r in ((p.surname, "Surn"), (p.name, "Name"), (p.patronymic, "Patr"))
    )


class Gen:
    def __init__(self, seed: int = 0) -> None:
        self.r = random.Random(seed)

    def person(self) -> Person:
        r = self.r
        female = r.random() < 0.5
        s = r.choice(SURNAMES_M)
        if female:
            if s.endswith(("ов", "ев", "ёв", "ин")):
                s += "а"
            elif s.endswith("ский"):
                s = s[:-2] + "ая"
        name = r.choice(NAMES_F if female else NAMES_M)
        patr = r.choice(PATRONYMICS)[1 if female else 0]
        birth = (r.randint(1940, 2005), r.randint(1, 12), r.randint(1, 28))
        return Person(s, name, patr, female, birth)

    def address(self, flat: bool = True, index: bool | None = None) -> str:
        r = self.r
        parts = []
        if index if index is not None else r.random() < 0.4:
            parts.append(str(r.randint(100000, 699999)))
        if r.random() < 0.4:
            parts.append(r.choice(REGIONS))
        city = r.choice(CITIES)
        parts.append(
            city if city == "Москва" and r.random() < 0.5 else f"{r.choice(['г.', 'г.', 'город'])} {city}"
        )
        kind = r.choice(STREET_KINDS)
        street = r.choice(STREETS)
        parts.append(f"{kind} {street}" if r.random() < 0.8 else f"{street} {kind}")
        parts.append(f"{r.choice(['д.', 'д. ', 'дом '])}{r.randint(1, 150)}{r.choice(['', '', 'А', '/2'])}")
        if r.random() < 0.2:
            parts.append(f"{r.choice(['корп.', 'стр.'])} {r.randint(1, 5)}")
        if flat:
            parts.append(f"{r.choice(['кв.', 'кв. ', 'квартира '])}{r.randint(1, 300)}")
        return ", ".join(parts)

    def date(self, ymd: tuple[int, int, int], style: int | None = None) -> str:
        y, m, d = ymd
        style = self.r.randint(0, 3) if style is None else style
        if style == 0:
            return f"{d:02d}.{m:02d}.{y}"
        if style == 1:
            return f"{d:02d}.{m:02d}.{y % 100:02d}" if y < 2000 else f"{d:02d}.{m:02d}.{y}"
        if style == 2:
            return f"{d} {MONTHS_GEN[m - 1]} {y} г."
        return f"{y}-{m:02d}-{d:02d}"

    def any_date(self) -> tuple[int, int, int]:
        return (self.r.randint(2015, 2025), self.r.randint(1, 12), self.r.randint(1, 28))

    def org(self) -> str:
        return f"ООО «{self.r.choice(ORGS)}»"

    def requisites(self) -> str:
        r = self.r
        return (
            f"{self.org()}\nИНН {r.randint(10**9, 10**10 - 1)} КПП {r.randint(10**8, 10**9 - 1)} "
            f"ОГРН {r.randint(10**12, 10**13 - 1)}\nЮридический адрес: {self.address(flat=False, index=True)}, "
            f"оф. {r.randint(1, 50)}\nТел. 8 (423) {r.randint(200, 299)}-{r.randint(10, 99)}-{r.randint(10, 99)}"
        )

    def signature(self) -> str:
        r = self.r
        p = self.person()
        form = r.randint(0, 3)
        who = f"{p.surname} {p.initials()}" if form < 2 else f"{p.initials()} {p.surname}"
        if form == 3:
            who = p.full()
        line = r.choice(["_________", "__________ /", "", "(подпись)"])
        return f"{r.choice(POSITIONS)} {self.org() if r.random() < 0.5 else ''} {line} {who}".replace(
            "  ", " "
        )

    # --- documents ------------------------------------------------------------------------------

    def register(self, rows: int = 30) -> Doc:
        """Owners' register: ФИО column (or Фамилия | Имя | Отчество), address, birth date."""
        r = self.r
        split = r.random() < 0.5
        caps = r.random() < 0.2
        with_dob = r.random() < 0.6
        with_addr = r.random() < 0.7
        cols = ["№"] + (["Фамилия", "Имя", "Отчество"] if split else ["ФИО собственника"])
        cols += (["Адрес регистрации"] if with_addr else ["Кв."]) + (["Дата рождения"] if with_dob else [])
        cols += ["Доля", "Дата внесения записи"]
        header = "\t".join(cols)
        chunks = [Chunk(text=header, location="row 1")]
        people = set()
        for i in range(rows):
            p = self.person()
            people.add(p.full().lower().replace("ё", "е"))
            name = [p.surname, p.name, p.patronymic] if split else [p.full()]
            if caps:
                name = [x.upper() for x in name]
            cells = [str(i + 1), *name]
            cells.append(self.address() if with_addr else str(r.randint(1, 200)))
            if with_dob:
                cells.append(self.date(p.birth, r.choice([0, 3])))
            cells += [f"1/{r.randint(1, 4)}", self.date(self.any_date(), 0)]
            chunks.append(Chunk(text="\t".join(cells), location=f"row {i + 2}", context=header))
        return Doc("register", chunks, True, with_addr, with_dob, people)

    def application(self) -> Doc:
        """A citizen's application: declined name, address, birth date in prose."""
        r = self.r
        p = self.person()
        boss = self.person()
        gen = person_in_case(p, "gent")
        if r.random() < 0.25:
            gen = gen.upper()
        dob_style = r.randint(0, 3)
        dob = {
            0: f"дата рождения: {self.date(p.birth)}",
            1: f"{p.birth[0]} г.р.",
            2: f"{self.date(p.birth, 0)} года рождения",
            3: f"родил{'ась' if p.female else 'ся'} {self.date(p.birth, 2)}",
        }[dob_style]
        text = (
            f"Генеральному директору {self.org()}\n{boss.surname[:1]}{boss.surname[1:]} {boss.initials()}\n"
            f"от {gen}, {dob},\nпроживающ{'ей' if p.female else 'его'} по адресу: {self.address()}\n\n"
            f"ЗАЯВЛЕНИЕ\n\nПрошу предоставить мне ежегодный оплачиваемый отпуск с {self.date(self.any_date(), 0)} "
            f"сроком на 14 календарных дней.\n\n{self.date(self.any_date(), 0)}    __________ "
            f"{p.surname} {p.initials()}\n"
        )
        return Doc("application", _lines(text), True, True, True, {p.full().lower().replace("ё", "е")})

    def letter_signature(self) -> Doc:
        """A business letter whose only names are the organisation's own signatures."""
        r = self.r
        body = r.choice(
            [
                "Сообщаем, что в соответствии с договором поставки оплата будет произведена до конца месяца.",
                "Направляем Вам акт сверки взаимных расчетов за третий квартал. Просим подписать и вернуть "
                "один экземпляр.",
                "В ответ на Ваш запрос сообщаем, что товар будет отгружен со склада в течение пяти рабочих дней.",
                "Уведомляем о смене банковских реквизитов Общества с 1 числа следующего месяца.",
            ]
        )
        text = (
            f"{self.requisites()}\n\nИсх. № {r.randint(1, 999)} от {self.date(self.any_date(), 0)}\n\n"
            f"{body}\n\nС уважением,\n{self.signature()}\n"
        )
        if r.random() < 0.5:
            p = self.person()
            text += (
                f"Исп. {p.surname} {p.initials()}, тел. 8 (423) 2{r.randint(10, 99)}-{r.randint(10, 99)}-00\n"
            )
        # The only address is the company's legal address in its requisites: not personal data.
        return Doc("letter_signature", _lines(text), False, False, False)

    def accounting(self) -> Doc:
        """An invoice / act with company requisites, amounts, document dates and signatures."""
        r = self.r
        lines = [
            f"Счет на оплату № {r.randint(1, 500)} от {self.date(self.any_date(), 2)}",
            f"Поставщик: {self.requisites()}",
            f"Покупатель: {self.org()}, ИНН {r.randint(10**9, 10**10 - 1)}",
            "№\tТовары (работы, услуги)\tКол-во\tЕд.\tЦена\tСумма",
        ]
        for i in range(r.randint(2, 6)):
            lines.append(
                f"{i + 1}\tУслуги по договору от {self.date(self.any_date(), 0)}\t1\tшт\t{r.randint(1000, 90000)},00"
            )
        lines.append(
            f"Итого к оплате: {r.randint(10000, 500000)} руб. 00 коп. Срок оплаты до {self.date(self.any_date(), 0)}"
        )
        lines.append(self.signature())
        lines.append(self.signature())
        return Doc("accounting", _lines("\n".join(lines)), False, False, False)

    def streets(self) -> Doc:
        """News about streets named after people: no person, an address only with a house number."""
        r = self.r
        with_house = r.random() < 0.5
        s = r.sample(["Пушкина", "Лермонтова", "Гоголя", "Чехова", "Толстого", "Горького", "Кирова"], 3)
        text = (
            f"В {MONTHS_GEN[r.randint(0, 11)][:-1]}е администрация города завершит ремонт дорог на ул. {s[0]}, "
            f"проспекте {r.choice(['Ленина', 'Мира', 'Победы'])} и улице Карла Маркса. "
            f"Движение по ул. Льва Толстого будет ограничено с 1 {r.choice(MONTHS_GEN)} по 15 {r.choice(MONTHS_GEN)}. "
            f"Объезд организован по пер. {s[1]} и бульвару {s[2]}. Жителей просят с пониманием отнестись к "
            f"временным неудобствам. Справки по телефону горячей линии Администрации."
        )
        if with_house:
            text += (
                f" Приём граждан ведётся по адресу: г. {r.choice(CITIES)}, ул. {s[0]}, д. {r.randint(1, 99)}."
            )
        return Doc("streets", _lines(text), False, with_house, False)

    def prose(self) -> Doc:
        """Official prose with capitalised words, months, positions and ordinary dates: no PD."""
        r = self.r
        text = (
            f"ПРИКАЗ № {r.randint(1, 300)}-П\nот {self.date(self.any_date(), 2)}\n\n"
            f"О проведении инвентаризации\n\nВ соответствии с Приказом Министерства Финансов Российской "
            f"Федерации от 13 июня 1995 г. № 49 и Учётной политикой Общества ПРИКАЗЫВАЮ:\n"
            f"1. Провести инвентаризацию основных средств по состоянию на 1 {r.choice(MONTHS_GEN)} "
            f"{r.randint(2018, 2025)} года.\n2. Главному Бухгалтеру обеспечить сверку данных. "
            f"Вера в успех и Надежда на лучшее — девиз Недели Качества. Роза Ветров показана на схеме.\n"
            f"3. Контроль за исполнением приказа оставляю за собой.\n"
            f"Дата последнего изменения: {self.date(self.any_date(), 0)}\n"
        )
        return Doc("prose", _lines(text), False, False, False)

    def hr_order(self) -> Doc:
        """An HR order about an employee: a person, dates that are not birth dates."""
        r = self.r
        p = self.person()
        acc = person_in_case(p, "accs")
        text = (
            f"ПРИКАЗ (распоряжение) о приеме работника на работу № {r.randint(1, 99)}-к\n"
            f"Принять на работу {acc} на должность {r.choice(['инженера', 'бухгалтера', 'кладовщика'])} "
            f"с {self.date(self.any_date(), 0)} с окладом {r.randint(30, 90)} 000 руб.\n"
            f"Основание: трудовой договор от {self.date(self.any_date(), 0)} № {r.randint(1, 99)}.\n"
            f"С приказом работник ознакомлен: __________ {p.surname} {p.initials()}\n"
        )
        return Doc("hr_order", _lines(text), True, False, False, {p.full().lower().replace("ё", "е")})

    def personal_letter(self) -> Doc:
        """A letter to a person with an address and a mention in another case."""
        p = self.person()
        q = self.person()
        text = (
            f"{'Уважаемая' if p.female else 'Уважаемый'} {p.name} {p.patronymic}!\n"
            f"Сообщаем, что по Вашему обращению проведена проверка. Документы переданы "
            f"{person_in_case(q, 'datv')} для рассмотрения.\n"
            f"Ответ будет направлен по адресу: {self.address()}.\n"
        )
        return Doc("personal_letter", _lines(text), True, True, False, {q.full().lower().replace("ё", "е")})

    def notice(self) -> Doc:
        """A notice to a citizen: short name forms (initials, "гр.", name + surname) and an address."""
        r = self.r
        p = self.person()
        form = r.randint(0, 3)
        who = {
            0: f"гр. {decline(p.surname, 'Surn', 'datv', p.female)} {p.initials()}",
            1: f"{p.initials()} {decline(p.surname, 'Surn', 'datv', p.female)}",
            2: f"{p.name} {p.surname}",
            3: f"{p.surname.upper()} {p.name.upper()} {p.patronymic.upper()}",
        }[form]
        text = (
            f"УВЕДОМЛЕНИЕ № {r.randint(1, 999)}\n\nНастоящим уведомляем {who} о задолженности по оплате "
            f"жилищно-коммунальных услуг в размере {r.randint(1000, 90000)} руб. по адресу: {self.address()}.\n"
            f"Просим погасить задолженность до {self.date(self.any_date(), 2)}.\n"
        )
        if form == 2:
            text = text.replace("уведомляем", "уведомляем собственника")
        return Doc("notice", _lines(text), True, True, False)

    def catalog(self) -> Doc:
        """Brands, places and titles made of names: no person, no address, no birth date."""
        r = self.r
        items = r.sample(
            [
                "Автомобили Лада Калина и Лада Гранта в наличии",
                "Шоколад Алёнка, торт Наполеон, печенье Юбилейное",
                "Станция метро Площадь Ильича",
                "Сквер Анны Ахматовой",
                "Театр им. М. Горького",
                "Школа имени Ю.А. Гагарина",
                "Гостиница Ольга, кафе Мария",
                "Фестиваль Белые Ночи",
                "Премия имени Андрея Белого",
                "Библиотека имени Н.А. Некрасова",
                "Памятник Петру Первому",
                "Проспект Мира и Красная Площадь",
                "Праздник 8 Марта, День Победы 9 Мая",
                "Главный Бухгалтер и Генеральный Директор",
            ],
            6,
        )
        text = (
            "КАТАЛОГ МЕРОПРИЯТИЙ\n" + ".\n".join(items) + f".\nОбновлено {self.date(self.any_date(), 0)}.\n"
        )
        return Doc("catalog", _lines(text), False, False, False)

    def documents(self, n: int) -> list[Doc]:
        kinds = [
            self.register,
            self.application,
            self.letter_signature,
            self.accounting,
            self.streets,
            self.prose,
            self.hr_order,
            self.personal_letter,
            self.notice,
            self.catalog,
        ]
        return [kinds[i % len(kinds)]() for i in range(n)]


def _lines(text: str) -> list[Chunk]:
    """Plain text as the text extractor gives it: one block chunk."""
    return [Chunk(text=text, location="line 1", line=1)]
