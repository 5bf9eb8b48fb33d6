"""Writers of real files of each format, for tests and benchmarks.

Small functions, one per format: each takes a target path plus synthetic content and writes
a genuine file with a well-kept library (python-docx, xlsxwriter, reportlab, msoffcrypto) or,
where no writer library is installed (pptx), with the raw OOXML parts. Returns the path.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

Rows = Sequence[Sequence[object]]


# ---- docx -------------------------------------------------------------------------------------


def write_docx(
    path: Path,
    paragraphs: Sequence[str] = (),
    tables: Sequence[Rows] = (),
    header: str = "",
    footer: str = "",
    tables_first: bool = False,
) -> Path:
    """A docx made by python-docx: body paragraphs, then tables (or tables first), header, footer."""
    import docx

    doc = docx.Document()

    def add_tables() -> None:
        for rows in tables:
            t = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, val in enumerate(row):
                    t.cell(i, j).text = str(val)

    if tables_first:
        add_tables()
    for p in paragraphs:
        doc.add_paragraph(p)
    if not tables_first:
        add_tables()
    sec = doc.sections[0]
    if header:
        sec.header.paragraphs[0].text = header
    if footer:
        sec.footer.paragraphs[0].text = footer
    doc.save(path)
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def add_part(path: Path, name: str, content: str | bytes) -> Path:
    """Add (or replace) one part in an existing docx/xlsx/pptx, e.g. word/footnotes.xml."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[name] = content.encode("utf-8") if isinstance(content, str) else content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def footnotes_xml(*texts: str) -> str:
    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:footnote>'
        for i, t in enumerate(texts, start=1)
    )
    separator = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_W}>{separator}{notes}</w:footnotes>'


def docx_body_xml(body: str) -> str:
    """A word/document.xml around raw body XML (for text boxes, tracked changes, content controls)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {_W}><w:body>{body}</w:body></w:document>"
    )


# ---- xlsx -------------------------------------------------------------------------------------


def write_xlsx(
    path: Path, sheets: dict[str, Rows], comments: dict[str, dict[str, str]] | None = None
) -> Path:
    """An xlsx made by xlsxwriter; each sheet's rows start at A1. Strings stay strings.

    `comments`: cell notes by sheet name, e.g. {"Лист1": {"B3": "паспорт сдан"}}.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"default_date_format": "dd.mm.yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, val in enumerate(row):
                if val is None:
                    continue
                if isinstance(val, str):
                    ws.write_string(i, j, val)
                else:
                    ws.write(i, j, val)
        for cell, text in (comments or {}).get(name, {}).items():
            ws.write_comment(cell, text, {"author": "Кадры"})
    wb.close()
    return path


# ---- pptx (no writer library installed: raw parts) ----------------------------------------------

_P = (
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def _pptx_slide(paragraphs: Sequence[str], table: Rows = ()) -> str:
    paras = "".join(f"<a:p><a:r><a:t>{t}</a:t></a:r></a:p>" for t in paragraphs)
    shapes = f"<p:sp><p:txBody>{paras}</p:txBody></p:sp>"
    if table:
        rows = "".join(
            "<a:tr>"
            + "".join(f"<a:tc><a:txBody><a:p><a:r><a:t>{c}</a:t></a:r></a:p></a:txBody></a:tc>" for c in r)
            + "</a:tr>"
            for r in table
        )
        shapes += f"<p:graphicFrame><a:graphic><a:graphicData><a:tbl>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    return f'<?xml version="1.0" encoding="UTF-8"?><p:sld {_P}><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>'


def write_pptx(
    path: Path, slides: Sequence[tuple[Sequence[str], Rows]], notes: dict[int, str] | None = None
) -> Path:
    """A minimal pptx: slides of paragraphs (+ an optional table), and speaker notes by slide number."""
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("ppt/presentation.xml", f'<?xml version="1.0"?><p:presentation {_P}/>')
        for i, (paras, table) in enumerate(slides, start=1):
            z.writestr(f"ppt/slides/slide{i}.xml", _pptx_slide(paras, table))
        for i, text in (notes or {}).items():
            z.writestr(f"ppt/notesSlides/notesSlide{i}.xml", _pptx_slide([text]).replace("p:sld", "p:notes"))
    return path


# ---- pdf --------------------------------------------------------------------------------------


def write_pdf(
    path: Path, pages: Sequence[Sequence[str]], password: str = "", image_pages: Sequence[int] = ()
) -> Path:
    """A PDF with a real text layer (reportlab + DejaVu for Cyrillic). Each page is a list of lines.

    `password` encrypts it with a user password; `image_pages` (1-based) get a picture and no text,
    like a scanned page.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    encrypt = None
    if password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, ownerPassword=password + "-owner", strength=128)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    _, height = A4
    for n, lines in enumerate(pages, start=1):
        if n in image_pages:
            from reportlab.lib.utils import ImageReader

            c.drawImage(ImageReader(_text_image("\n".join(lines))), 40, height - 400, width=500, height=300)
        else:
            c.setFont("DejaVu", 11)
            y = height - 60
            for line in lines:
                c.drawString(50, y, line)
                y -= 16
        c.showPage()
    c.save()
    return path


def _text_image(text: str):
    """A white picture with black text: the body of a 'scanned' page."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (1000, 600), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(DEJAVU, 36)
    draw.multiline_text((30, 30), text, fill="black", font=font, spacing=12)
    return img


# ---- encrypted OOXML --------------------------------------------------------------------------


def encrypt_ooxml(src: Path, dst: Path, password: str = "секрет") -> Path:
    """Encrypt a docx/xlsx/pptx the way Office does (ECMA-376 agile, an OLE compound file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as f:
        out = io.BytesIO()
        OOXMLFile(f).encrypt(password, out)
    dst.write_bytes(out.getvalue())
    return dst
