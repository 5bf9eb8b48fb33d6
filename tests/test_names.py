"""PERSON: ФИО in every case and form, hard negatives, signatures, persons count, Presidio, formats."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from synth_ru import Gen

from pdscan.detect import Detector
from pdscan.extract import ExtractContext, Limits, extract
from pdscan.model import Chunk, Detection
from recognizers import address, birthdate, names
from recognizers.names import SCORE_SIGNATURE, count_persons, finder, mask

KEY = b"test-key"


def found(text: str, context: str = "") -> list[tuple[str, str, float]]:
    return [(text[d.start : d.end], d.normalized, d.score) for d in finder().find(text, context)]


def persons(text: str, context: str = "") -> list[str]:
    """Normalized names reported as a person (not a low-score signature)."""
    return [n for _, n, s in found(text, context) if s >= 0.5]


# --- forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Заявитель: Иванов Иван Иванович, проживающий", "иванов иван иванович"),
        ("выдать справку Иванову Петру Сергеевичу", "иванов петр сергеевич"),
        ("заявление от Ивановой Анны Петровны", "иванова анна петровна"),
        ("договор со Смирновой Ольгой Николаевной", "смирнова ольга николаевна"),
        ("ИВАНОВ ПЁТР СЕРГЕЕВИЧ", "иванов петр сергеевич"),
        ("ИВАНОВОЙ МАРИИ ПАВЛОВНЕ", "иванова мария павловна"),
        ("Иван Петрович Сидоров подписал", "сидоров иван петрович"),
        ("сообщила Данейкина О.Н. вчера", "данейкина о.н."),
        ("сообщила О.Н. Данейкина вчера", "данейкина о.н."),
        ("ответ получил Петров И. И.", "петров и.и."),
        ("собственник Шевченко Ольга Петровна", "шевченко ольга петровна"),
        ("Петров-Водкин Кузьма Сергеевич", "петров-водкин кузьма сергеевич"),
        # A surname pymorphy3 does not know, agreed by name and patronymic.
        ("заявление Кхвостикова Эльза Рамилевна", "кхвостикова эльза рамилевна"),
        # A name wrapped over two lines (PDF text).
        ("прошу выдать Иванову\nПетру Сергеевичу", "иванов петр сергеевич"),
    ],
)
def test_forms_normalized_to_nominative(text, expected):
    assert persons(text) == [expected]


def test_cases_of_one_person_share_the_fingerprint_form():
    forms = [
        "Иванов Иван Иванович",
        "Иванова Ивана Ивановича",
        "Иванову Ивану Ивановичу",
        "Ивановым Иваном Ивановичем",
        "Иванове Иване Ивановиче",
        "ИВАНОВ ИВАН ИВАНОВИЧ",
    ]
    assert {persons(f"о {t} сообщено")[0] for t in forms} == {"иванов иван иванович"}
    fem = [
        "Петрова Анна Сергеевна",
        "Петровой Анны Сергеевны",
        "Петровой Анне Сергеевне",
        "Петрову Анну Сергеевну",
    ]
    assert {persons(f"о {t} сообщено")[0] for t in fem} == {"петрова анна сергеевна"}


def test_table_split_columns_with_header():
    header = "№\tФамилия\tИмя\tОтчество\tДата рождения"
    assert persons("1\tИванова\tАнна\tСергеевна\t01.02.1985", header) == ["иванова анна сергеевна"]
    # Rare surname and name: the header vouches for the columns.
    assert persons("2\tКхвостикова\tЭльза\tРамилевна\t01.02.1985", header) == ["кхвостикова эльза рамилевна"]
    assert persons("3\tПЕТРОВ\tИВАН\tИВАНОВИЧ\t01.02.1985", header) == ["петров иван иванович"]


def test_table_fio_column():
    header = "№\tФИО собственника\tДоля"
    assert persons("1\tИванов Иван Иванович\t1/2", header) == ["иванов иван иванович"]
    assert persons("2\tКхвостиков Ыргыз Бекович\t1/2", header) == ["кхвостиков ыргыз бекович"]


def test_position_column_is_not_a_signature():
    header = "Должность\tФИО"
    [(_, norm, score)] = found("Главный бухгалтер\tПетрова Анна Сергеевна", header)
    assert norm == "петрова анна сергеевна" and score >= 0.5


# --- labelled fields: forms and passport pages as OCR reads them -----------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # A passport page: labels and values on lines of their own.
        ("Фамилия\nПЕТРОВ\nИмя\nОЛЕГ\nОтчество\nСЕРГЕЕВИЧ", "петров олег сергеевич"),
        # OCR noise: stray marks beside a label, a photo caption between fields, blank lines,
        # Й read as И, a lower-case label.
        ("Фамилия\n\nПЕТРОВ\n\nИмя о\nАНДРЕИ\nФОТО\nотчество\n\nОЛЕГОВИЧ\n", "петров андрей олегович"),
        ("Фамилия\nСОКОЛОВ\nИмя es\nАЛЕКСЕИ\nОтчество\nСЕРГЕЕВИЧ", "соколов алексей сергеевич"),
        # Labels glued to their values; a Latin look-alike inside a Cyrillic word.
        ("ФамилияПЕТРОВ ИмяОЛЕГ Отчество: CEРГЕЕВИЧ", "петров олег сергеевич"),
        # A value read as Latin by the English model, one read in lower case, a lost label.
        ("Фамилия\nKXBOCTUKOB\nИмя s\nДМИТРИИ\nФОТО\nОтчество\nОЛЕГОВИЧ", "кхвостиков дмитрий олегович"),
        ("Фамилия\nпопов\nИмя a\nНИКОЛАЙ\nФОТО\nОтчество\nДМИТРИЕВИЧ", "попов николай дмитриевич"),
        ("Фамилия\nПОПОВ\nНИКОЛАЙ\nФОТО\nОтчество\nДМИТРИЕВИЧ\nПол\nМУЖ.", "попов николай дмитриевич"),
        # Forms (анкета, заявление, личная карточка Т-2): a label and its value on one line.
        ("Фамилия: Петров\nИмя: Олег", "петров олег"),
        (
            "Фамилия: Петрова\nИмя: Анна\nОтчество: Сергеевна\nДата рождения: 01.02.1985",
            "петрова анна сергеевна",
        ),
        ("ФАМИЛИЯ: КУЗНЕЦОВА ИМЯ: МАРИЯ ОТЧЕСТВО: ИВАНОВНА", "кузнецова мария ивановна"),
        # Any order; a surname pymorphy3 does not know, vouched for by its label.
        ("Имя: Эльза\nОтчество: Рамилевна\nФамилия: Кхвостикова", "кхвостикова эльза рамилевна"),
        ("Фамилия Иванов\nИмя Иван Отчество Иванович", "иванов иван иванович"),
        # A header line of labels is a table header: the row below holds the name.
        ("Фамилия Имя Отчество\nСидоров Павел Ильич", "сидоров павел ильич"),
    ],
)
def test_labelled_fields(text, expected):
    assert persons(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Паспорт выдан ОТДЕЛОМ УФМС РОССИИ ПО ГОР. МОСКВЕ",
        "ОТДЕЛОМ УФМС РОССИИ ПО Гор. МОСКВЕ\nПО РАЙОНУ АРБАТ",
        "Отдел УФМС России по Приморскому краю, МВД России",
        "ГУ МВД РОССИИ ПО ГОР. САНКТ-ПЕТЕРБУРГУ И ЛЕНИНГРАДСКОЙ ОБЛ.",
        # Labels with no name under them, or in prose.
        "Фамилия\nИмя\nОтчество\nПодпись",
        "Укажите фамилию, имя и отчество. Имя файла: отчет.docx",
        "Фамилия: ____________ Имя: ____________ Отчество: ____________",
        # A value that is no first name under the "Имя" label.
        "Фамилия: Пушкина\nИмя: Улица",
    ],
)
def test_labelled_hard_negatives(text):
    assert found(text) == []


# --- hard negatives --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Офис переехал на ул. Пушкина, д. 10.",
        "Ремонт дороги на ул. Льва Толстого, д. 7 завершён.",
        "Движение по улице Карла Маркса ограничено.",
        "Театр им. А.П. Чехова открыл сезон.",
        "Школа имени Ю.А. Гагарина.",
        "Поставщик: ООО «МакАрт», ИНН 2511000000.",
        "Праздники 8 Марта и 1 Мая, с 1 Января по 31 Декабря.",
        "Главный бухгалтер, Генеральный Директор, Начальник Отдела Кадров.",
        "Вера в успех и Надежда на лучшее. Роза Ветров показана на схеме.",
        "Приложение к Приказу Министерства Финансов Российской Федерации.",
        "АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЕТОВ. ДОГОВОР КУПЛИ-ПРОДАЖИ.",
        "Нижний Новгород, Великий Новгород, Красная Площадь, Дед Мороз.",
    ],
)
def test_hard_negatives(text):
    assert found(text) == []


# --- signatures of the organisation's own staff -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Директор ООО «МакАрт» Данейкина О.Н.",
        "Генеральный директор ООО «МакАрт» _____________ /Данейкина О.Н./",
        "Исполнитель: Петрова А.А., тел. 8 (423) 222-33-44",
        "С уважением,\nГенеральный директор\nИванов И.И.",
        "Исп. Сидорова Е.В.",
        "Главный бухгалтер ____________ Кузнецова Мария Ивановна",
    ],
)
def test_signature_gets_a_low_score(text):
    res = found(text)
    assert len(res) == 1 and res[0][2] <= SCORE_SIGNATURE


def test_applicant_after_addressee_keeps_a_high_score():
    text = "Генеральному директору ООО «Ромашка»\nПетрову П.П.\nот Смирновой Анны Павловны"
    res = {n: s for _, n, s in found(text)}
    assert res["петров п.п."] <= SCORE_SIGNATURE  # the addressee: a business contact
    assert res["смирнова анна павловна"] >= 0.85


# --- persons count -----------------------------------------------------------------------------


def test_count_persons_merges_initials_with_full_name():
    dets = [
        Detection("PERSON", 0, 1, "иванов иван иванович", 0.85),
        Detection("PERSON", 0, 1, "иванов и.и.", 0.75),
        Detection("PERSON", 0, 1, "петрова а.с.", 0.75),
    ]
    assert count_persons(dets) == 2


def test_count_persons_falls_back_to_identifiers():
    dets = [Detection("RU_SNILS", 0, 1, "11223344595", 1.0), Detection("RU_SNILS", 0, 1, "11223344596", 1.0)]
    assert count_persons(dets) == 2


def test_register_counts_every_owner_and_letter_one_signature():
    gen = Gen(7)
    reg = gen.register(rows=40)
    det = Detector(ner="fast", key=KEY)
    res = det.scan(reg.chunks)
    assert res.persons == len(reg.people) == 40
    letter = gen.letter_signature()
    # The finder scores the signature low; the detector reports nothing below its threshold.
    assert any(d.score <= SCORE_SIGNATURE for c in letter.chunks for d in names.detect_chunk(c))
    res = det.scan(letter.chunks)
    assert not [f for f in res.findings if f.entity == "PERSON" and f.score >= 0.5]
    assert res.persons <= 2


def test_detector_ner_modes_and_masking():
    text = "Заявитель: Иванова Анна Петровна, дата рождения 12.03.1985, адрес: г. Уссурийск, ул. Амурская, д. 53, кв. 12"
    chunk = Chunk(text=text, location="line 1", line=1)
    fast = Detector(ner="fast", key=KEY).scan([chunk])
    by = {f.entity: f for f in fast.findings}
    assert set(by) >= {"PERSON", "DATE_OF_BIRTH", "LOCATION"}
    assert by["PERSON"].masked == "И****** А. П."
    assert by["DATE_OF_BIRTH"].masked == "**.**.1985"
    assert by["LOCATION"].masked == "г. Уссурийск ***"
    for f in fast.findings:  # raw values never leave the detector
        assert "Иванова" not in f.masked and "Амурская" not in f.masked and "12.03" not in f.masked
    off = Detector(ner="off", key=KEY).scan([chunk])
    assert not {f.entity for f in off.findings} & {"PERSON", "DATE_OF_BIRTH", "LOCATION"}


def test_mask():
    assert mask("иванов иван иванович") == "И***** И. И."
    assert mask("данейкина о.н.") == "Д******** О.Н."


# --- deep mode (natasha / slovnet) ---------------------------------------------------------------


def test_deep_mode_adds_natasha_spans():
    pytest.importorskip("natasha")
    text = "Встреча с Сергеем Петровым прошла в Москве. Заявление подала Иванова Анна Петровна."
    deep = names.find_deep(text)
    norms = {d.normalized for d in deep}
    assert "иванова анна петровна" in norms
    assert "петров сергей" in norms
    assert Detector(ner="deep", key=KEY).scan([Chunk(text=text, location="line 1", line=1)]).persons == 2


# --- Presidio --------------------------------------------------------------------------------------


def test_presidio_analyzer_on_models_ru_pdscan(tmp_path: Path):
    from presidio_analyzer import Pattern, PatternRecognizer

    import models
    from models.build import build

    engine = models.analyzer_engine()
    nlp = engine.nlp_engine.nlp["ru"]
    assert nlp.meta["name"] == "ru_pdscan" and "lemmatizer" in nlp.pipe_names
    text = (
        "Иванову Петру Сергеевичу, 12.03.1985 г.р., проживающему: г. Уссурийск, ул. Амурская, д. 53, кв. 12. "
        "Номер паспорта 123456."
    )
    # Context words work through lemmas: "паспорт" lifts a hit next to "паспорта".
    engine.registry.add_recognizer(
        PatternRecognizer(
            supported_entity="TEST_NUMBER",
            supported_language="ru",
            patterns=[Pattern("six", r"\b\d{6}\b", 0.3)],
            context=["паспорт"],
        )
    )
    results = {r.entity_type: r for r in engine.analyze(text, language="ru")}
    assert text[results["PERSON"].start : results["PERSON"].end] == "Иванову Петру Сергеевичу"
    assert text[results["DATE_OF_BIRTH"].start : results["DATE_OF_BIRTH"].end] == "12.03.1985"
    assert text[results["LOCATION"].start : results["LOCATION"].end].startswith("г. Уссурийск")
    assert results["TEST_NUMBER"].score > 0.3
    assert [t.lemma_ for t in nlp("даты рождения паспорта")] == ["дата", "рождение", "паспорт"]
    # models/build.py rebuilds the committed pipeline.
    out = build(tmp_path / "ru_pdscan")
    assert (out / "config.cfg").read_text() == (models.MODEL_PATH / "config.cfg").read_text()


# --- realistic documents ------------------------------------------------------------------------


def _file_level(docs, chunks_of) -> dict[str, dict[str, int]]:
    det = Detector(ner="fast", key=KEY)
    stats = {e: {"tp": 0, "fp": 0, "fn": 0} for e in ("PERSON", "LOCATION", "DATE_OF_BIRTH")}
    for i, doc in enumerate(docs):
        res = det.scan(chunks_of(i, doc))
        got = {f.entity for f in res.findings if f.score >= 0.5}
        for ent, truth in (("PERSON", doc.person), ("LOCATION", doc.location), ("DATE_OF_BIRTH", doc.dob)):
            pred = ent in got
            if pred and truth:
                stats[ent]["tp"] += 1
            elif pred:
                stats[ent]["fp"] += 1
            elif truth:
                stats[ent]["fn"] += 1
    return stats


def _assert_quality(stats, floors={"PERSON": 0.95, "LOCATION": 0.9, "DATE_OF_BIRTH": 0.9}):  # noqa: B006
    for ent, s in stats.items():
        precision = s["tp"] / max(1, s["tp"] + s["fp"])
        recall = s["tp"] / max(1, s["tp"] + s["fn"])
        assert s["tp"] > 0, ent
        assert precision >= floors[ent] and recall >= floors[ent], (ent, s)


def test_file_level_precision_recall_on_text_chunks():
    docs = Gen(2024).documents(240)
    _assert_quality(_file_level(docs, lambda i, d: d.chunks))


def _write(path: Path, doc, fmt: str) -> Path:
    import formats

    text = "\n".join(c.text for c in doc.chunks)
    rows = [c.text.split("\t") for c in doc.chunks]
    table = doc.kind == "register"
    if fmt == "csv":
        path.write_text("\n".join(";".join(r) for r in rows), encoding="cp1251")
    elif fmt == "txt":
        path.write_text(text, encoding="utf-8")
    elif fmt == "docx":
        formats.write_docx(path, tables=[rows]) if table else formats.write_docx(
            path, paragraphs=text.split("\n")
        )
    elif fmt == "xlsx":
        formats.write_xlsx(path, {"Лист1": rows if table else [[line] for line in text.split("\n")]})
    elif fmt == "pdf":
        lines = [w for line in text.split("\n") for w in (textwrap.wrap(line, 90) or [""])]
        formats.write_pdf(path, [lines[k : k + 45] for k in range(0, len(lines), 45)])
    return path


@pytest.mark.parametrize("fmt", ["txt", "csv", "docx", "xlsx", "pdf"])
def test_file_level_precision_recall_on_files(tmp_path: Path, fmt: str):
    seed = {"txt": 11, "csv": 12, "docx": 13, "xlsx": 14, "pdf": 15}[fmt]
    # CSV holds tables: registers only.
    docs = [Gen(seed + k).register(rows=12) for k in range(8)] if fmt == "csv" else Gen(seed).documents(48)

    def chunks_of(i, doc):
        path = _write(tmp_path / f"doc{i}.{fmt}", doc, fmt)
        _, chunks = extract(path.read_bytes(), ExtractContext(limits=Limits(), name=path.name))
        return list(chunks)

    stats = _file_level(docs, chunks_of)
    if fmt == "csv":  # registers only: every file names people
        assert stats["PERSON"]["fn"] == 0 and stats["PERSON"]["fp"] == 0
        return
    _assert_quality(stats)


def test_recognizers_share_the_hook_signature():
    chunk = Chunk(text="Иванов Иван Иванович, 1985 г.р., г. Уссурийск, ул. Амурская, д. 5", location="line 1")
    assert [d.entity for d in names.detect_chunk(chunk)] == ["PERSON"]
    assert [d.entity for d in birthdate.detect_chunk(chunk)] == ["DATE_OF_BIRTH"]
    assert [d.entity for d in address.detect_chunk(chunk)] == ["LOCATION"]


def test_scan_cli_signature_letter_is_not_personal_data(tmp_path: Path, pdscan_cmd):
    """One own-staff signature is reported with a low score; the file does not count as PD."""
    import json
    import subprocess

    gen = Gen(3)
    root = tmp_path / "share"
    root.mkdir()
    letter = gen.letter_signature()
    (root / "letter.txt").write_text(letter.chunks[0].text, encoding="utf-8")
    reg = gen.register(rows=25)
    (root / "owners.csv").write_text(
        "\n".join(";".join(c.text.split("\t")) for c in reg.chunks), encoding="utf-8"
    )
    out = subprocess.run(
        [*pdscan_cmd, "scan", str(root), "--format", "jsonl", "--no-store", "--jobs", "1", "--no-ocr"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    people = [x for x in lines if x.get("type") == "finding" and x.get("entity") == "PERSON"]
    # Reported with a low score at most (pdscan.detect drops extra detections below its threshold).
    assert all(x["score"] <= SCORE_SIGNATURE for x in people if x["path"].endswith("letter.txt"))
    assert len([x for x in people if x["path"].endswith("owners.csv")]) == 25
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["files_with_pd"] == 1
    assert summary["persons"] >= 25


def test_pathological_inputs_stay_linear():
    import time

    texts = ["Иванов" + " " * 200_000 + "x", "Иванов " * 20_000, "А." * 20_000, "д. 5, " * 5_000]
    for text in texts:
        start = time.process_time()
        finder().find(text)
        address.find(text)
        birthdate.find("дата рождения " + text)
        assert time.process_time() - start < 2.0


def test_runs_near_second_tokens_are_the_runs_of_a_whole_text_scan():
    # Long text is scanned for runs only around second tokens; the runs must be the same.
    import random

    from synth_pd import filler

    nm = names

    def spans(ms):
        return [(m.start(), m.end()) for m in ms]

    rng = random.Random(4)
    gen = Gen(8)
    parts = [filler(rng, 3000)]
    for doc in gen.documents(60):
        parts += [c.text for c in doc.chunks] + [filler(rng, rng.randint(0, 500))]
    tricky = [
        "Петров И. И. Иванов",
        "И.И.Иванов",
        "-Иванов Иван",
        "XИванов Иван",
        "Иванов\r\nИван",
        "ИВАНОВ\t\tПЁТР",
        "Петрова-Водкина Анна",
        "проживает Иванов Иван Иванович, паспорт",
    ]
    for t in tricky:
        assert spans(nm._runs_near_seconds(t)) == spans(nm._RUN_RE.finditer(t)), t
        parts.append(t)
    text = " ".join(parts)
    runs = spans(nm._runs_near_seconds(text))
    assert len(runs) > 100
    assert runs == spans(nm._RUN_RE.finditer(text))
