"""Legacy Office, RTF, OpenDocument and mail: real files written by the tests (tests/formats_legacy.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pdscan.extract import EncryptedError, ExtractContext, Limits, extract, sniff
from tests.formats import write_docx
from tests.formats_legacy import (
    write_doc,
    write_eml,
    write_msg,
    write_odp,
    write_ods,
    write_odt,
    write_ppt,
    write_rtf,
    write_xls,
)

PD = "Иванов Иван Иванович, паспорт 45 06 123456"
SNILS = "112-233-445 95"


def run(path: Path, limits: Limits | None = None):
    ctx = ExtractContext(limits=limits or Limits(), name=path.name)
    ct, chunks = extract(path.read_bytes(), ctx)
    return ct, list(chunks), ctx.errors


def text_of(chunks) -> str:
    return "\n".join(c.text for c in chunks)


def test_doc(tmp_path: Path):
    p = write_doc(tmp_path / "справка.doc", ["Справка о составе семьи", PD, f"СНИЛС {SNILS}"])
    ct, chunks, errors = run(p)
    assert ct == "application/msword"
    assert "123456" in text_of(chunks) and SNILS in text_of(chunks)
    assert "Справка о составе семьи" in text_of(chunks)
    assert chunks[0].location == "paragraph 1"


def test_doc_with_8bit_cp1251_text(tmp_path: Path):
    p = write_doc(tmp_path / "старый.doc", ["Список жильцов", PD], eight_bit=True)
    assert "Список".encode("cp1251") in p.read_bytes()
    _, chunks, _ = run(p)
    assert PD in text_of(chunks)


def test_encrypted_doc(tmp_path: Path):
    p = write_doc(tmp_path / "enc.doc", [PD], encrypted=True)
    with pytest.raises(EncryptedError):
        run(p)


def test_xls_numbers_and_text(tmp_path: Path):
    p = write_xls(
        tmp_path / "жильцы.xls",
        {"Жильцы": [["ФИО", "Паспорт", "ИНН"], ["Иванов Иван", "45 06 123456", 500100732259]]},
    )
    ct, chunks, _ = run(p)
    assert ct == "application/vnd.ms-excel"
    row = next(c for c in chunks if "Иванов" in c.text)
    assert row.text == "Иванов Иван\t45 06 123456\t500100732259"  # a number cell keeps all its digits
    assert row.location == "sheet Жильцы!row 2" and row.context.startswith("ФИО")


def test_encrypted_xls(tmp_path: Path):
    p = write_xls(tmp_path / "enc.xls", {"Жильцы": [["Иванов Иван", "45 06 123456"]]}, encrypted=True)
    with pytest.raises(EncryptedError):
        run(p)


def test_ppt(tmp_path: Path):
    p = write_ppt(tmp_path / "собрание.ppt", [["Собрание жильцов", "Докладчик Иванов Иван Иванович"], [PD]])
    ct, chunks, _ = run(p)
    assert ct == "application/vnd.ms-powerpoint"
    assert "123456" in text_of(chunks) and "Докладчик" in text_of(chunks)


def test_rtf_cp1251_escapes(tmp_path: Path):
    p = write_rtf(tmp_path / "заявление.rtf", ["Заявление", PD])
    assert b"\\'ef\\'e0\\'f1" in p.read_bytes()  # "пас" as cp1251 escapes: the file really is escaped
    ct, chunks, _ = run(p)
    assert ct == "text/rtf"
    assert PD in text_of(chunks)


def test_odt_paragraphs_and_table(tmp_path: Path):
    p = write_odt(tmp_path / "акт.odt", ["Акт осмотра", PD], table=[["ФИО", "СНИЛС"], ["Петров Пётр", SNILS]])
    ct, chunks, _ = run(p)
    assert ct == "application/vnd.oasis.opendocument.text"
    t = text_of(chunks)
    assert PD in t and "Петров Пётр\t" + SNILS in t


def test_odt_page_header(tmp_path: Path):
    p = write_odt(
        tmp_path / "бланк.odt", ["Текст письма"], header="Исполнитель Петров Пётр, тел. +7 916 123-45-67"
    )
    _, chunks, _ = run(p)
    head = [c for c in chunks if c.location == "header/footer"]
    assert head and "+7 916 123-45-67" in head[0].text


def test_ods(tmp_path: Path):
    p = write_ods(tmp_path / "реестр.ods", {"Реестр": [["ФИО", "Паспорт"], ["Иванов Иван", "45 06 123456"]]})
    ct, chunks, _ = run(p)
    assert ct == "application/vnd.oasis.opendocument.spreadsheet"
    assert any(c.text == "Иванов Иван\t45 06 123456" and c.location == "sheet Реестр!row 2" for c in chunks)


def test_odp_slides(tmp_path: Path):
    p = write_odp(tmp_path / "доклад.odp", [["Титул"], ["Список", PD]])
    ct, chunks, _ = run(p)
    assert ct == "application/vnd.oasis.opendocument.presentation"
    hit = next(c for c in chunks if "123456" in c.text)
    assert hit.location == "slide 2"


def test_encrypted_odt(tmp_path: Path):
    p = write_odt(tmp_path / "plain.odt", [PD])
    # re-pack with a manifest that says content.xml is encrypted, as LibreOffice writes it
    src = zipfile.ZipFile(p)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml"',
                    b'manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum="x"/'
                    b'></manifest:file-entry><manifest:file-entry manifest:media-type="" manifest:full-path="x"',
                )
            z.writestr(info, data)
    enc = tmp_path / "enc.odt"
    enc.write_bytes(out.getvalue())
    with pytest.raises(EncryptedError):
        run(enc)


def test_eml_with_attachments_names_members(tmp_path: Path):
    docx = write_docx(tmp_path / "a.docx", [PD]).read_bytes()
    inner_zip = io.BytesIO()
    with zipfile.ZipFile(inner_zip, "w") as z:
        z.writestr("сканы/снилс.txt", f"СНИЛС {SNILS}".encode())
    p = write_eml(
        tmp_path / "letter.eml",
        "Копии документов",
        "Добрый день! Высылаю документы.",
        attachments=[
            ("Паспорт.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("архив.zip", inner_zip.getvalue(), "application/zip"),
        ],
        html="<p>Добрый день!<br>Телефон <b>+7 916 123-45-67</b></p>",
    )
    ct, chunks, errors = run(p)
    assert ct == "message/rfc822"
    members = {c.member for c in chunks}
    assert "attachments/Паспорт.docx" in members
    assert "attachments/архив.zip!/сканы/снилс.txt" in members
    head = next(c for c in chunks if c.location == "headers")
    assert "p.sidorov@example.ru" in head.text and "Копии документов" in head.text
    assert "+7 916 123-45-67" in text_of(c for c in chunks if c.location == "body")
    assert "123456" in text_of(c for c in chunks if c.member == "attachments/Паспорт.docx")
    assert errors == []


def test_forwarded_letter_is_read(tmp_path: Path):
    from email.message import EmailMessage

    inner = write_eml(
        tmp_path / "inner.eml", "Паспорт", f"Мои данные: {PD}", sender="Иванов <ivanov@example.ru>"
    )
    outer = EmailMessage()
    outer["From"] = "uk@example.ru"
    outer["Subject"] = "Fwd: Паспорт"
    outer.set_content("Пересылаю.")
    import email
    import email.policy

    outer.add_attachment(email.message_from_bytes(inner.read_bytes(), policy=email.policy.default))
    p = tmp_path / "fwd.eml"
    p.write_bytes(bytes(outer))
    _, chunks, errors = run(p)
    assert PD in text_of(chunks)
    assert "ivanov@example.ru" in text_of(c for c in chunks if c.location == "forwarded headers")
    assert errors == []


def test_letter_at_the_depth_limit_keeps_its_body(tmp_path: Path):
    eml = write_eml(
        tmp_path / "l.eml", "Паспорт", f"Текст: {PD}", attachments=[("a.txt", b"x", "text/plain")]
    )
    box = io.BytesIO()
    with zipfile.ZipFile(box, "w") as z:
        z.writestr("почта/l.eml", eml.read_bytes())
    p = tmp_path / "mail.zip"
    p.write_bytes(box.getvalue())
    _, chunks, errors = run(p, Limits(max_archive_depth=1))
    assert "123456" in text_of(c for c in chunks if c.location == "body")
    assert not any(c.member and "attachments" in c.member for c in chunks)
    assert errors == ["вложенные архивы глубже 1 уровней не раскрыты: 1 (первый: почта/l.eml)"]


def test_encrypted_eml_keeps_headers(tmp_path: Path):
    p = tmp_path / "smime.eml"
    p.write_bytes(
        b"From: =?utf-8?b?0JjQstCw0L3QvtCy?= <ivanov@example.ru>\r\nTo: uk@example.ru\r\nSubject: docs\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggF=\r\n"
    )
    ctx = ExtractContext(limits=Limits(), name=p.name)
    _, chunks = extract(p.read_bytes(), ctx)
    got = []
    with pytest.raises(EncryptedError):
        for c in chunks:
            got.append(c)
    assert "ivanov@example.ru" in got[0].text and "Иванов" in got[0].text


def test_msg_with_attachment(tmp_path: Path):
    p = write_msg(
        tmp_path / "письмо.msg",
        "Копия паспорта",
        f"Добрый день! {PD}.",
        "Пётр Сидоров",
        "Управляющая компания",
        attachments=[("СНИЛС.txt", f"СНИЛС {SNILS}".encode())],
    )
    assert sniff(p.read_bytes(), p.name) == "application/vnd.ms-outlook"
    ct, chunks, _ = run(p)
    assert "123456" in text_of(c for c in chunks if c.location == "body")
    att = [c for c in chunks if c.member == "attachments/СНИЛС.txt"]
    assert att and SNILS in att[0].text


def test_ole_types_are_told_apart_by_streams(tmp_path: Path):
    for path, ct in (
        (write_doc(tmp_path / "x.bin", ["a"]), "application/msword"),
        (write_ppt(tmp_path / "y.bin", [["a"]]), "application/vnd.ms-powerpoint"),
        (write_xls(tmp_path / "z.bin", {"a": [["a"]]}), "application/vnd.ms-excel"),
    ):
        assert sniff(path.read_bytes(), "") == ct  # no name hint: content decides
