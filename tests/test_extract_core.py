"""Extraction of the core formats from real files written by the tests (tests/formats.py)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from pdscan.extract import (
    EncryptedError,
    ExtractContext,
    ExtractError,
    LimitExceeded,
    Limits,
    extract,
    extractor_for,
    office,
    sniff,
)
from pdscan.extract import pdf as pdf_mod
from tests.formats import (
    add_part,
    docx_body_xml,
    encrypt_ooxml,
    footnotes_xml,
    write_docx,
    write_pdf,
    write_pptx,
    write_xlsx,
)


def run(path: Path, limits: Limits | None = None) -> tuple[str, list[tuple[str, str, str]], list[str]]:
    """Extract a file by content: (content type, [(location, text, context)], ctx.errors)."""
    ctx = ExtractContext(limits=limits or Limits(), name=path.name)
    ct, chunks = extract(path.read_bytes(), ctx)
    return ct, [(c.location, c.text, c.context) for c in chunks], ctx.errors


# ---- docx -------------------------------------------------------------------------------------


@pytest.fixture(params=["xslt", "stream"])
def word_reader(request, monkeypatch):
    """Run a docx test through both readers: the XSLT transform and the streaming pass for big parts."""
    if request.param == "stream":
        monkeypatch.setattr(office, "STREAM_BYTES", 0)
    return request.param


PERSON_TABLE = [
    ["Фамилия", "Имя", "Отчество", "Серия", "Номер"],
    ["Иванов", "Пётр", "Сергеевич", "4510", "123456"],
    ["Петрова", "Анна", "Ивановна", "4603", "654321"],
]


@pytest.mark.usefixtures("word_reader")
def test_docx_body_tables_header_footer(tmp_path):
    path = write_docx(
        tmp_path / "анкета.docx",
        paragraphs=[
            "Анкета сотрудника",
            "",
            "Паспорт выдан ОВД района Северное",
            "Телефон: +7 914 123-45-67",
        ],
        tables=[PERSON_TABLE],
        header="ООО «Ромашка»",
        footer="Конфиденциально",
    )
    ct, chunks, errors = run(path)
    assert ct == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    header = "Фамилия\tИмя\tОтчество\tСерия\tНомер"
    assert chunks == [
        (
            "paragraph 1",
            "Анкета сотрудника\nПаспорт выдан ОВД района Северное\nТелефон: +7 914 123-45-67",
            "",
        ),
        ("table 1 row 1", header, ""),
        ("table 1 row 2", "Иванов\tПётр\tСергеевич\t4510\t123456", header),
        ("table 1 row 3", "Петрова\tАнна\tИвановна\t4603\t654321", header),
        ("footer", "Конфиденциально", ""),
        ("header", "ООО «Ромашка»", ""),
    ]
    assert errors == []


@pytest.mark.usefixtures("word_reader")
def test_docx_paragraph_numbers_follow_tables(tmp_path):
    path = write_docx(
        tmp_path / "a.docx", paragraphs=["после таблицы"], tables=[[["a", "b"]]], tables_first=True
    )
    _, chunks, _ = run(path)
    assert chunks == [("table 1 row 1", "a\tb", ""), ("paragraph 1", "после таблицы", "")]


@pytest.mark.usefixtures("word_reader")
def test_docx_long_text_is_grouped_with_previous_tail_as_context(tmp_path):
    paras = [f"Абзац {i}: " + "слово " * 60 for i in range(1, 31)]
    path = write_docx(tmp_path / "long.docx", paragraphs=paras)
    _, chunks, _ = run(path)
    assert len(chunks) > 2
    assert chunks[0][0] == "paragraph 1"
    assert chunks[0][2] == ""
    # Every later group starts at a real paragraph and carries the end of the group before it.
    for (_, prev_text, _), (loc, text, context) in zip(chunks, chunks[1:], strict=False):
        n = int(loc.split()[1])
        assert text.startswith(f"Абзац {n}:")
        assert context == prev_text[-200:]
    assert "\n".join(t for _, t, _ in chunks) == "\n".join(paras)


@pytest.mark.usefixtures("word_reader")
def test_docx_footnotes_text_boxes_tracked_changes_content_controls(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["x"])
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    body = (
        "<w:p><w:r><w:t>СНИЛС </w:t></w:r><w:del><w:r><w:delText>112-233-445 95</w:delText></w:r></w:del></w:p>"
        f"<w:p><w:r><mc:AlternateContent {mc}>"
        "<mc:Choice><w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
        "<mc:Fallback><w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>поле</w:t><w:tab/><w:t>формы</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>внешняя</w:t></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>вложенная</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "</w:tc><w:tc><w:p><w:r><w:t>вторая</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    add_part(path, "word/document.xml", docx_body_xml(body))
    add_part(
        path, "word/footnotes.xml", footnotes_xml("Паспорт 4510 123456 выдан 01.02.2010", "ИНН 500100732259")
    )
    _, chunks, _ = run(path)
    assert chunks == [
        ("paragraph 1", "СНИЛС 112-233-445 95\nв рамке\nполе\tформы", ""),
        ("table 1 row 1", "внешняя вложенная\t\tвторая", ""),
        ("footnote 1", "Паспорт 4510 123456 выдан 01.02.2010", ""),
        ("footnote 2", "ИНН 500100732259", ""),
    ]


@pytest.mark.usefixtures("word_reader")
def test_docx_embedded_workbook_is_read_as_a_member(tmp_path):
    book = write_xlsx(tmp_path / "book.xlsx", {"Лист1": [["СНИЛС"], ["112-233-445 95"]]})
    path = write_docx(tmp_path / "a.docx", paragraphs=["См. таблицу"])
    add_part(path, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", book.read_bytes())
    ctx = ExtractContext(limits=Limits(), name=path.name)
    _, chunks = extract(path.read_bytes(), ctx)
    got = [(c.member, c.location, c.text) for c in chunks]
    member = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"
    assert got == [
        (None, "paragraph 1", "См. таблицу"),
        (member, "sheet Лист1!A1", "СНИЛС"),
        (member, "sheet Лист1!A2", "112-233-445 95"),
    ]


def test_docx_alt_chunk_html_is_read(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["Отчёт"])
    add_part(path, "word/afchunk1.htm", "<html><body><p>Телефон +7 914 123-45-67</p></body></html>")
    ctx = ExtractContext(limits=Limits(), name=path.name)
    _, chunks = extract(path.read_bytes(), ctx)
    assert [(c.member, c.location, c.text) for c in chunks] == [
        (None, "paragraph 1", "Отчёт"),
        ("word/afchunk1.htm", "line 1", "Телефон +7 914 123-45-67"),
    ]


@pytest.mark.usefixtures("word_reader")
def test_docx_strict_open_xml(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["Паспорт 4510 123456"], tables=[PERSON_TABLE[:2]])
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    strict = xml.replace(
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    )
    assert strict != xml
    add_part(path, "word/document.xml", strict)
    _, chunks, _ = run(path)
    assert [c[:2] for c in chunks] == [
        ("paragraph 1", "Паспорт 4510 123456"),
        ("table 1 row 1", "Фамилия\tИмя\tОтчество\tСерия\tНомер"),
        ("table 1 row 2", "Иванов\tПётр\tСергеевич\t4510\t123456"),
    ]


def test_docx_named_txt_is_read_as_docx(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["Иванов Иван"])
    renamed = path.rename(tmp_path / "заметки.txt")
    ct, chunks, _ = run(renamed)
    assert ct.endswith("wordprocessingml.document")
    assert chunks == [("paragraph 1", "Иванов Иван", "")]


def test_truncated_docx_is_a_clear_error(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["Иванов Иван"] * 50)
    data = path.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractError, match="повреждён"):
        run(cut)


@pytest.mark.usefixtures("word_reader")
def test_docx_with_broken_xml_is_a_clear_error(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["x"])
    add_part(path, "word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(ExtractError, match="повреждена"):
        run(path)


def test_docx_part_over_entry_limit(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["x"])
    add_part(
        path, "word/document.xml", docx_body_xml("<w:p><w:r><w:t>" + "я" * 600_000 + "</w:t></w:r></w:p>")
    )
    with pytest.raises(LimitExceeded, match="больше предела"):
        run(path, Limits(max_entry_bytes=1024 * 1024))


def test_docx_zip_bomb_ratio(tmp_path):
    path = write_docx(tmp_path / "a.docx", paragraphs=["x"])
    add_part(path, "word/document.xml", docx_body_xml(" " * 6_000_000))
    with pytest.raises(LimitExceeded, match="zip-бомбу"):
        run(path)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_encrypted_ooxml(tmp_path, kind):
    plain = tmp_path / f"a.{kind}"
    if kind == "docx":
        write_docx(plain, paragraphs=["Паспорт 4510 123456"])
    else:
        write_xlsx(plain, {"Лист1": [["Паспорт", "4510 123456"]]})
    enc = encrypt_ooxml(plain, tmp_path / f"secret.{kind}")
    with pytest.raises(EncryptedError, match="файл зашифрован"):
        run(enc)
    # Our own check, for when libmagic cannot see the OLE directory within the head it is given.
    from pdscan.extract.sniff import _ole_encrypted

    assert _ole_encrypted(enc.read_bytes()) and not _ole_encrypted(plain.read_bytes())


# ---- xlsx -------------------------------------------------------------------------------------


def test_xlsx_all_sheets_rows_with_header_context(tmp_path):
    path = write_xlsx(
        tmp_path / "реестр.xlsx",
        {
            "Собственники": [
                ["ФИО", "Серия", "Номер", "Дата рождения", "Доля"],
                ["Иванов Пётр Сергеевич", 4510, 123456, dt.datetime(1980, 5, 17), 0.5],
                [],
                ["Петрова Анна", "0506", "654321", None, 1],
                [None, "4603", "111222"],
            ],
            "Контакты": [[None], [None, "Телефон", "E-mail"], [None, "+79141234567", "petrova@example.ru"]],
            "Пусто": [],
            "Угол": [[], [], [], [None, None, None, "D4"], [None, None, None, None, "E5"]],
        },
    )
    ct, chunks, errors = run(path)
    assert ct == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    h1 = "ФИО\tСерия\tНомер\tДата рождения\tДоля"
    h2 = "Телефон\tE-mail"
    assert chunks == [
        ("sheet Собственники!A1", h1, ""),
        ("sheet Собственники!A2", "Иванов Пётр Сергеевич\t4510\t123456\t17.05.1980\t0.5", h1),
        ("sheet Собственники!A4", "Петрова Анна\t0506\t654321\t\t1", h1),
        ("sheet Собственники!B5", "\t4603\t111222", h1),
        ("sheet Контакты!B2", h2, ""),
        ("sheet Контакты!B3", "+79141234567\tpetrova@example.ru", h2),
        ("sheet Угол!D4", "D4", ""),
        ("sheet Угол!E5", "\tE5", "D4"),
    ]
    assert errors == []


def test_xlsx_cell_comments(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {"Лист1": [["ФИО"], ["Иванов"]]},
        comments={"Лист1": {"A2": "Паспорт 4510 123456 сдан в кадры"}},
    )
    _, chunks, _ = run(path)
    assert chunks[-1] == ("comment A2", "Паспорт 4510 123456 сдан в кадры", "")
    assert chunks[:2] == [("sheet Лист1!A1", "ФИО", ""), ("sheet Лист1!A2", "Иванов", "ФИО")]


def test_xlsx_corrupt(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Лист1": [["a"]]})
    add_part(path, "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c")
    with pytest.raises(ExtractError):
        run(path)


# ---- pptx -------------------------------------------------------------------------------------


def test_pptx_slides_tables_notes(tmp_path):
    path = write_pptx(
        tmp_path / "доклад.pptx",
        [
            (
                ["Отчёт по кадрам", "Ответственный: Сидоров"],
                [["ФИО", "СНИЛС"], ["Сидоров И.", "112-233-445 95"]],
            )
        ],
        notes={1: "Телефон Сидорова 8 (4234) 32-15-67"},
    )
    ct, chunks, _ = run(path)
    assert ct == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert sorted(chunks) == sorted(
        [
            ("slide 1", "Отчёт по кадрам\nОтветственный: Сидоров", ""),
            ("slide 1 table 1 row 1", "ФИО\tСНИЛС", ""),
            ("slide 1 table 1 row 2", "Сидоров И.\t112-233-445 95", "ФИО\tСНИЛС"),
            ("slide 1 notes", "Телефон Сидорова 8 (4234) 32-15-67", ""),
        ]
    )


# ---- pdf --------------------------------------------------------------------------------------


def test_pdf_pages(tmp_path):
    path = write_pdf(
        tmp_path / "заявление.pdf",
        [["Заявление", "Паспорт: серия 45 10 № 123456"], [], ["СНИЛС 112-233-445 95"]],
    )
    ct, chunks, errors = run(path)
    assert ct == "application/pdf"
    assert chunks == [
        ("page 1", "Заявление\nПаспорт: серия 45 10 № 123456", ""),
        ("page 3", "СНИЛС 112-233-445 95", ""),
    ]
    assert errors == []


def test_pdf_encrypted(tmp_path):
    path = write_pdf(tmp_path / "s.pdf", [["Паспорт 4510 123456"]], password="пароль")
    with pytest.raises(EncryptedError, match="файл зашифрован"):
        run(path)


def test_pdf_with_owner_password_only_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.formats import DEJAVU

    pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    path = tmp_path / "print-protected.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="владелец", canPrint=0))
    c.setFont("DejaVu", 11)
    c.drawString(50, 700, "СНИЛС 112-233-445 95")
    c.save()
    _, chunks, _ = run(path)
    assert chunks == [("page 1", "СНИЛС 112-233-445 95", "")]


def test_pdf_filled_form_fields_are_read(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.formats import DEJAVU

    pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    path = tmp_path / "заявление.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("DejaVu", 11)
    c.drawString(50, 750, "Заявление о регистрации")
    c.acroForm.textfield(name="snils", value="112-233-445 95", x=50, y=700, width=300, height=20)
    c.acroForm.textfield(name="passport", value="4510 123456", x=50, y=650, width=300, height=20)
    c.acroForm.checkbox(name="agree", checked=True, x=50, y=600)
    c.save()
    _, chunks, _ = run(path)
    assert chunks == [("page 1", "Заявление о регистрации\nsnils: 112-233-445 95\npassport: 4510 123456", "")]


def test_pdf_corrupt(tmp_path):
    path = write_pdf(tmp_path / "a.pdf", [["Текст"]])
    data = path.read_bytes()
    path.write_bytes(data[:9] + b"\x00" * 200)
    with pytest.raises(ExtractError, match="PDF повреждён"):
        run(path)


def test_pdf_page_limit(tmp_path):
    path = write_pdf(tmp_path / "a.pdf", [[f"страница {i}"] for i in range(1, 6)])
    _, chunks, errors = run(path, Limits(max_pages=2))
    assert [c[0] for c in chunks] == ["page 1", "page 2"]
    assert errors == ["прочитаны первые 2 страниц из 5 (предел max_pages)"]


def test_pdf_time_limit_keeps_pages_read(tmp_path):
    import time

    path = write_pdf(tmp_path / "a.pdf", [[f"страница {i}"] for i in range(1, 4)])
    ctx = ExtractContext(limits=Limits(file_timeout=0.2), name=path.name, deadline=time.monotonic() + 0.2)
    _, chunks = extract(path.read_bytes(), ctx)
    got = []
    for chunk in chunks:
        got.append(chunk.location)
        time.sleep(0.3)  # the detector is slow on this page: the file's time runs out
    assert got == ["page 1"]
    assert ctx.errors == ["превышено время обработки файла (0 с): прочитаны страницы 1–1 из 3"]


def test_pdf_scanned_page_goes_to_ocr_hook(tmp_path):
    path = write_pdf(
        tmp_path / "скан.pdf", [["Текстовая страница"], ["Паспорт 4510 123456"]], image_pages=[2]
    )
    extractor_for("application/pdf")  # load every format module first: the OCR module installs its hook
    previous = pdf_mod._page_ocr
    try:
        pdf_mod.set_page_ocr(None)
        _, chunks, errors = run(path)
        assert chunks == [("page 1", "Текстовая страница", "")]
        assert errors == ["страницы без текстового слоя не распознаны (OCR недоступен): 2"]

        seen = []

        def ocr(page, number, ctx):  # renders the page as a real OCR hook would
            image = page.render(scale=0.5).to_pil()
            seen.append((number, image.size))
            return "распознано"

        pdf_mod.set_page_ocr(ocr)
        _, chunks, errors = run(path)
        # (the OCR module may hand the page heading on as context: not checked here)
        assert [c[:2] for c in chunks] == [("page 1", "Текстовая страница"), ("page 2", "распознано")]
        assert errors == []
        assert [n for n, _ in seen] == [2] and seen[0][1][0] > 100

        _, chunks, errors = run(path, Limits(ocr=False))
        assert errors == ["страницы без текстового слоя не распознаны (OCR выключен): 2"]
    finally:
        pdf_mod.set_page_ocr(previous)


# ---- html -------------------------------------------------------------------------------------


def test_html_tables_blocks_scripts(tmp_path):
    page = """<!DOCTYPE html>
<html><head><meta charset="windows-1251"><title>Список</title>
<style>p { color: red }</style><script>var passport = "9999 999999";</script></head>
<body>
<h1>Список жильцов</h1>
<p>Ответственный: <b>Сидоров</b> Иван,
тел. 8 (4234) 32-15-67</p>
<table><tr><th colspan="2">ФИО</th><th>Паспорт</th></tr>
<tr><td>Ива<b>нов</b></td><td>П.<br>С.</td><td><p>4510</p><p>123456</p></td></tr></table>
<div>Подпись</div>
</body></html>"""
    path = tmp_path / "жильцы.html"
    path.write_bytes(page.encode("cp1251"))
    ct, chunks, _ = run(path)
    assert ct == "text/html"
    assert chunks == [
        ("table 1 row 1", "ФИО\t\tПаспорт", ""),
        ("table 1 row 2", "Иванов\tП. С.\t4510 123456", "ФИО\t\tПаспорт"),
        (
            "line 2",
            "Список\nСписок жильцов\nОтветственный: Сидоров Иван, тел. 8 (4234) 32-15-67\nПодпись",
            "",
        ),
    ]
    assert "9999" not in str(chunks)


def test_html_with_wrong_charset_is_detected(tmp_path):
    path = tmp_path / "a.htm"
    page = '<html><head><meta charset="utf-8"></head><body><p>Паспорт гражданина Российской Федерации: серия и номер указаны в анкете</p></body></html>'
    path.write_bytes(page.encode("cp1251"))
    _, chunks, _ = run(path)
    assert chunks == [
        ("line 1", "Паспорт гражданина Российской Федерации: серия и номер указаны в анкете", "")
    ]


def test_html_fragment_without_html_tag_is_html(tmp_path):
    path = tmp_path / "frag"
    path.write_text("<div><p>Иванов</p><p>Петров</p></div>", encoding="utf-8")
    ct, chunks, _ = run(path)
    assert ct == "text/html"
    assert chunks == [("line 1", "Иванов\nПетров", "")]


# ---- xml --------------------------------------------------------------------------------------


def test_xml_elements_attributes_encoding(tmp_path):
    doc = """<?xml version="1.0" encoding="windows-1251"?>
<Сотрудники>
  <Сотрудник Табельный="17">
    <ФИО>Иванов Пётр Сергеевич</ФИО>
    <Паспорт Серия="4510" Номер="123456"/>
    <Примечание>уволен <b>01.02.2020</b> по собственному</Примечание>
  </Сотрудник>
</Сотрудники>
"""
    path = tmp_path / "выгрузка"
    path.write_bytes(doc.encode("cp1251"))
    ct, chunks, _ = run(path)
    assert ct == "text/xml"
    assert chunks == [
        (
            "line 4",
            "ФИО: Иванов Пётр Сергеевич\nПаспорт Серия: 4510 Номер: 123456\nb: 01.02.2020\n"
            "Примечание: уволен\nпо собственному\nСотрудник Табельный: 17",
            "",
        )
    ]


def test_xml_entities_are_not_expanded(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ааааааааааа">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<r><v>&c;</v><w>Иванов</w></r>"
    )
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    _, chunks, _ = run(path)
    text = "\n".join(t for _, t, _ in chunks)
    assert "Иванов" in text
    assert "ааааааааааа" * 5 not in text


def test_broken_xml_is_read_as_text(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<r><a>Иванов</a>\n<b>СНИЛС 112-233-445 95</r>\n', encoding="utf-8"
    )
    ct, chunks, _ = run(path)
    assert ct == "text/xml"
    assert len(chunks) == 1 and chunks[0][0] == "line 2"  # from the first element not handed on
    assert "СНИЛС 112-233-445 95" in chunks[0][1] and "Иванов" in chunks[0][1]


def test_xml_broken_after_a_long_valid_part(tmp_path):
    records = "".join(
        f"<Запись><ФИО>Сотрудник {i}</ФИО><Телефон>+7914123{i:04d}</Телефон></Запись>\n" for i in range(200)
    )
    path = tmp_path / "export.xml"
    path.write_text(
        f"<Реестр>\n{records}<Запись><СНИЛС>112-233-445 95</Запись>\n<Хвост>Иванов</Хвост>\n",
        encoding="utf-8",
    )
    _, chunks, _ = run(path)
    text = "\n".join(t for _, t, _ in chunks)
    for i in (0, 100, 199):  # every record is read once
        assert text.count(f"+7914123{i:04d}") == 1
    assert "112-233-445 95" in text and "Иванов" in text
    assert chunks[0][0] == "line 2"
    tail = chunks[-1]
    assert tail[0].startswith("line ") and "<СНИЛС>112-233-445 95" in tail[1]


# ---- json -------------------------------------------------------------------------------------


def test_json_key_paths(tmp_path):
    doc = """{"организация": "ООО Ромашка", "сотрудники": [
      {"фио": "Иванов Пётр", "инн": 500100732259, "паспорт": {"серия": "4510", "номер": "123456"}},
      {"фио": "Петрова Анна", "активен": true, "телефоны": ["+79141234567", "89141234568"]}
    ]}"""
    path = tmp_path / "staff"
    path.write_text(doc, encoding="utf-8")
    ct, chunks, _ = run(path)
    assert ct == "application/json"
    assert chunks == [
        ("$", "ООО Ромашка", "организация"),
        ("$.сотрудники[0]", "Иванов Пётр\t500100732259", "фио\tинн"),
        ("$.сотрудники[0].паспорт", "4510\t123456", "паспорт серия\tпаспорт номер"),
        ("$.сотрудники[1]", "Петрова Анна", "фио"),
        ("$.сотрудники[1].телефоны", "+79141234567\n89141234568", "телефоны"),
    ]


def test_json_lines(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(
        '{"user": "ivanov@example.ru"}\n\n{"user": "petrova@example.ru", "n": 2}\n', encoding="utf-8"
    )
    ct, chunks, _ = run(path)
    assert ct == "application/json"
    assert chunks == [
        ("line 1 $", "ivanov@example.ru", "user"),
        ("line 3 $", "petrova@example.ru\t2", "user\tn"),
    ]


def test_invalid_json_is_read_as_text(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"a": "Иванов", oops}', encoding="utf-8")
    ct, chunks, _ = run(path)
    assert ct == "application/json"
    assert chunks == [("line 1", '{"a": "Иванов", oops}', "")]


# ---- csv and sniffing -------------------------------------------------------------------------


def test_csv_rows_header_context_cp1251(tmp_path):
    path = tmp_path / "список.csv"
    path.write_bytes(
        "ФИО;Серия;Номер\nИванов Пётр;4510;123456\n;;\nПетрова Анна;4603;654321\n".encode("cp1251")
    )
    ct, chunks, _ = run(path)
    assert ct == "text/csv"
    h = "ФИО\tСерия\tНомер"
    assert chunks == [
        ("row 1", h, ""),
        ("row 2", "Иванов Пётр\t4510\t123456", h),
        ("row 4", "Петрова Анна\t4603\t654321", h),
    ]


def test_sniff_by_content_not_name(tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf", [["x"]]).read_bytes()
    assert sniff(pdf, "отчёт.docx") == "application/pdf"
    assert sniff(b'[{"a": 1}, {"a": 2}]', "") == "application/json"
    assert sniff(b"<r><a>1</a></r>", "") == "text/xml"
    assert sniff(b"[2024-01-01 10:00] started\n[2024-01-01 10:01] done\n", "app.log") == "text/plain"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    assert sniff(buf.getvalue(), "a.docx") == "application/zip"


# ---- damaged files of every format: a clear error, never a crash ---------------------------------


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx", "pdf", "html", "xml", "json"])
def test_damaged_files_give_extract_errors_only(tmp_path, kind):
    import random

    writers = {
        "docx": lambda p: write_docx(p, ["Паспорт 4510 123456"] * 20, [PERSON_TABLE], header="шапка"),
        "xlsx": lambda p: write_xlsx(p, {"Лист1": PERSON_TABLE * 20}),
        "pptx": lambda p: write_pptx(p, [(["Слайд", "СНИЛС 112-233-445 95"], PERSON_TABLE)] * 3),
        "pdf": lambda p: write_pdf(p, [["Паспорт 4510 123456"] * 30] * 2),
    }
    path = tmp_path / f"a.{kind}"
    if kind in writers:
        writers[kind](path)
    else:
        path.write_text(
            {
                "html": "<html><body><table><tr><td>Иванов</td></tr></table><p>Паспорт</p></body></html>",
                "xml": '<?xml version="1.0"?><r><a x="1">Иванов</a><b>Паспорт</b></r>',
                "json": '{"a": [1, 2, {"b": "Иванов"}], "c": "Паспорт"}',
            }[kind],
            encoding="utf-8",
        )
    data = path.read_bytes()
    fn = extractor_for(sniff(data, path.name))
    rng = random.Random(152)
    for _ in range(60):
        b = bytearray(data)
        if rng.random() < 0.3:
            b = b[: rng.randrange(len(b))]
        else:
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        try:
            list(fn(bytes(b), ExtractContext(limits=Limits(), name=path.name)))
        except ExtractError as e:
            assert str(e) and not str(e).isascii()  # a reason in Russian
