"""Writers of real files for the legacy, ODF, mail, archive and OCR tests (and benchmarks).

Everything is generated here with well-kept libraries (xlwt, odfpy, stdlib email/zipfile/tarfile,
py7zr, the 7z CLI, Pillow); .doc, .ppt and .msg have no Python writer, so they are assembled as
OLE compound files with extract-msg's OleWriter from the minimal records antiword, catppt and
extract-msg read (see write_doc / write_ppt / write_msg).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

PASSPORT_LINES = (
    "РОССИЙСКАЯ ФЕДЕРАЦИЯ",
    "Паспорт серия 45 06 № 123456",
    "Выдан ОВД района Арбат города Москвы",
    "Дата выдачи 12.03.2006 Код подразделения 772-001",
    "Фамилия Иванов",
    "Имя Иван Отчество Иванович",
    "Иванов Иван Иванович",
    "Дата рождения 01.02.1980",
)


# ---- images ------------------------------------------------------------------------------------


def render_page(
    lines: Sequence[str] = PASSPORT_LINES,
    *,
    angle: float = 0.0,
    noise: float = 0.0,
    size: tuple[int, int] = (1700, 1100),
    font_px: int = 40,
    seed: int = 1,
):
    """A scan-like page: dark Cyrillic text on paper, rotated by `angle` degrees, with salt-and-pepper
    noise on a fraction `noise` of the pixels. Returns a PIL image (mode L)."""
    from PIL import Image, ImageDraw, ImageFont

    rnd = random.Random(seed)
    img = Image.new("L", size, 245)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(DEJAVU, font_px)
    y = 80
    for line in lines:
        draw.text((90, y), line, fill=25, font=font)
        y += int(font_px * 1.8)
    if angle:
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=245)
    if noise:
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * noise)):
            x, yy = rnd.randrange(w), rnd.randrange(h)
            px[x, yy] = rnd.choice((0, 90, 200, 255))
    return img


def write_image(path: Path, img, fmt: str | None = None) -> Path:
    """Save a PIL image; the format follows the suffix unless given (png, jpeg, tiff, bmp)."""
    kwargs = {"quality": 85} if (fmt or path.suffix.lower().lstrip(".")) in ("jpg", "jpeg") else {}
    img.save(path, format=fmt, **kwargs)
    return path


def write_image_pdf(path: Path, images: Sequence) -> Path:
    """An image-only PDF (no text layer), one scanned page per image, written by Pillow."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, format="PDF", save_all=True, append_images=rest, resolution=200.0)
    return path


# ---- legacy Office (OLE2) ------------------------------------------------------------------------


def _ole(path: Path, entries: Sequence[tuple[str, bytes | None]]) -> Path:
    """An OLE2 compound file; an entry with data None is a storage (folder)."""
    from extract_msg import OleWriter

    w = OleWriter()
    for name, data in entries:
        if data is None:
            w.addEntry(name, storage=True)
        else:
            w.addEntry(name, data)
    w.write(path)
    return path


def write_doc(
    path: Path, paragraphs: Sequence[str], encrypted: bool = False, eight_bit: bool = False
) -> Path:
    """A Word 97 .doc: a FIB (nFib 0xC1) and one Unicode piece of text in the piece table.

    Only the records text readers use: catdoc reads it; antiword wants a stylesheet and
    sections too and refuses it. `eight_bit` stores the text as one byte per character in
    cp1251, as Word 6/95 documents of a Russian office did (a "compressed" piece).
    """
    import struct

    text = "\r".join(paragraphs) + "\r"
    body = text.encode("cp1251" if eight_bit else "utf-16-le")
    fc = 0x800
    fib = bytearray(fc)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0419, 0)  # wIdent, nFib, _, lid ru-RU, pnNext
    flags = 0x0200 | 0x1000 | (0x0100 if encrypted else 0)  # fWhichTblStm (1Table), fExtChar, fEncrypted
    struct.pack_into("<H", fib, 10, flags)
    struct.pack_into("<H", fib, 12, 0x00BF)  # nFibBack
    struct.pack_into("<II", fib, 0x18, fc, fc + len(body))  # fcMin, fcMac
    struct.pack_into("<H", fib, 32, 14)  # csw
    struct.pack_into("<H", fib, 62, 22)  # cslw
    struct.pack_into("<I", fib, 64, fc + len(body))  # cbMac
    struct.pack_into("<I", fib, 0x4C, len(text))  # ccpText
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb
    # CPs and one Pcd: UTF-16 text at fc, or 8-bit text at fc (stored as fc*2 with fCompressed)
    pcd_fc = (fc * 2) | 0x40000000 if eight_bit else fc
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, pcd_fc, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    word = bytes(fib) + body
    word += b"\0" * (-len(word) % 512)
    return _ole(path, [("WordDocument", word), ("1Table", clx + b"\0" * 512)])


def _ppt_rec(ver_inst: int, typ: int, payload: bytes) -> bytes:
    import struct

    return struct.pack("<HHI", ver_inst, typ, len(payload)) + payload


def write_ppt(path: Path, slides: Sequence[Sequence[str]]) -> Path:
    """A PowerPoint 97 .ppt: Slide containers of TextHeaderAtom + TextCharsAtom (UTF-16) records."""
    import struct

    body = b""
    for texts in slides:
        atoms = b"".join(
            _ppt_rec(0, 0x0F9F, struct.pack("<I", 1)) + _ppt_rec(0, 0x0FA0, t.encode("utf-16-le"))
            for t in texts
        )
        body += _ppt_rec(0x000F, 0x03EE, atoms)
    stream = _ppt_rec(0x000F, 0x03E8, b"") + body + _ppt_rec(0, 0x0FF5, b"")
    return _ole(path, [("PowerPoint Document", stream), ("Current User", b"\0" * 20)])


def write_msg(
    path: Path, subject: str, body: str, sender: str, to: str, attachments: Sequence[tuple[str, bytes]] = ()
) -> Path:
    """An Outlook .msg ([MS-OXMSG]): string properties as UTF-16 streams, attachments by value."""
    import struct

    def u(v: str) -> bytes:
        return v.encode("utf-16-le")

    def props(header: int, entries: Sequence[tuple[int, int]]) -> bytes:
        return b"\0" * header + b"".join(struct.pack("<IIQ", tag, 6, val) for tag, val in entries)

    n = len(attachments)
    entries: list[tuple[str, bytes | None]] = [("__nameid_version1.0", None)]
    entries += [(f"__nameid_version1.0/__substg1.0_{s}", b"") for s in ("00020102", "00030102", "00040102")]
    entries += [
        ("__substg1.0_001A001F", u("IPM.Note")),
        ("__substg1.0_0037001F", u(subject)),
        ("__substg1.0_1000001F", u(body)),
        ("__substg1.0_0C1A001F", u(sender)),
        ("__substg1.0_0E04001F", u(to)),
        (
            "__properties_version1.0",
            b"\0" * 8 + struct.pack("<IIII", 0, 0, n, n) + props(8, [(0x340D0003, 0x40000)]),
        ),
    ]
    for i, (name, data) in enumerate(attachments):
        st = f"__attach_version1.0_#{i:08X}"
        entries += [
            (st, None),
            (f"{st}/__substg1.0_37010102", data),
            (f"{st}/__substg1.0_3707001F", u(name)),
            (f"{st}/__substg1.0_3704001F", u(name)),
            (f"{st}/__properties_version1.0", props(8, [(0x37050003, 1), (0x0E200003, len(data))])),
        ]
    return _ole(path, entries)


def write_xls(path: Path, sheets: dict[str, Sequence[Sequence[object]]], encrypted: bool = False) -> Path:
    """A BIFF8 .xls written by xlwt. `encrypted` adds an RC4 FILEPASS record after the first BOF,
    as Excel does for a password-protected book (the cells themselves stay as xlwt wrote them)."""
    import struct

    import olefile
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write(r, c, v)
    wb.save(str(path))
    if encrypted:
        with olefile.OleFileIO(str(path)) as ole:
            stream = ole.openstream("Workbook").read()
        bof_len = struct.unpack_from("<H", stream, 2)[0]
        filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(48)  # RC4, version 1.1
        stream = stream[: 4 + bof_len] + filepass + stream[4 + bof_len :]
        _ole(path, [("Workbook", stream)])
    return path


def write_rtf(path: Path, paragraphs: Sequence[str], codepage: int = 1251) -> Path:
    """An RTF as Word writes Russian text: \\ansicpg1251 and \\'xx escapes for every non-ASCII byte."""
    out = [
        "{\\rtf1\\ansi\\ansicpg" + str(codepage) + r"\deff0{\fonttbl{\f0\fswiss\fcharset204 Arial;}}\f0\fs22 "
    ]
    for p in paragraphs:
        enc = "".join(
            ch if ord(ch) < 128 else "".join(f"\\'{b:02x}" for b in ch.encode(f"cp{codepage}")) for ch in p
        )
        out.append(enc.replace("{", r"\{").replace("}", r"\}") + r"\par" + "\n")
    out.append("}")
    path.write_bytes("".join(out).encode("ascii"))
    return path


# ---- OpenDocument -----------------------------------------------------------------------------


def write_odt(
    path: Path,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]] = (),
    header: str = "",
    pictures: Sequence[Path] = (),
) -> Path:
    from odf.draw import Frame
    from odf.draw import Image as DrawImage
    from odf.opendocument import OpenDocumentText
    from odf.style import Header, MasterPage, PageLayout
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentText()
    if header:
        layout = PageLayout(name="PL1")
        doc.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        h = Header()
        h.addElement(P(text=header))
        master.addElement(h)
        doc.masterstyles.addElement(master)
    for p in paragraphs:
        doc.text.addElement(P(text=p))
    if table:
        t = Table(name="Таблица1")
        t.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in table)))
        for row in table:
            tr = TableRow()
            for v in row:
                tc = TableCell()
                tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            t.addElement(tr)
        doc.text.addElement(t)
    for picture in pictures:
        frame = Frame(width="12cm", height="8cm", anchortype="paragraph")
        frame.addElement(DrawImage(href=doc.addPicture(str(picture))))
        holder = P()
        holder.addElement(frame)
        doc.text.addElement(holder)
    doc.save(str(path))
    return path


def write_ods(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        t = Table(name=name)
        for row in rows:
            tr = TableRow()
            for v in row:
                if isinstance(v, int | float):
                    tc = TableCell(valuetype="float", value=v)
                else:
                    tc = TableCell(valuetype="string")
                tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    doc.save(str(path))
    return path


def write_odp(path: Path, slides: Sequence[Sequence[str]]) -> Path:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="PL")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    for i, texts in enumerate(slides, start=1):
        page = Page(name=f"page{i}", masterpagename=master)
        frame = Frame(width="20cm", height="10cm", x="1cm", y="1cm")
        box = TextBox()
        for t in texts:
            box.addElement(P(text=t))
        frame.addElement(box)
        page.addElement(frame)
        doc.presentation.addElement(page)
    doc.save(str(path))
    return path


# ---- mail -------------------------------------------------------------------------------------


def write_eml(
    path: Path,
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    html: str = "",
    sender: str = "Пётр Сидоров <p.sidorov@example.ru>",
    to: str = "Управляющая компания <uk@example.ru>",
) -> Path:
    """A MIME letter by the stdlib: text (and html) body, attachments (name, bytes, mime type)."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(msg))
    return path


# ---- passport scans -------------------------------------------------------------------------------


def write_passport_scan(path: Path, surname: str, name: str, patronymic: str, rng, seed: int) -> str:
    """A JPEG passport spread as a phone or flatbed gives it: turned ±5°, noisy, sometimes blurred,
    at 0.75–1.1 scale, JPEG quality 55–90. Returns its series + number (10 digits)."""
    series = f"{rng.randint(1, 99):02d}{rng.randint(0, 25):02d}"
    number = f"{rng.randint(100000, 999999)}"
    img = render_passport(
        surname,
        name,
        patronymic,
        series,
        number,
        angle=rng.uniform(-5, 5),
        noise=rng.uniform(0, 0.03),
        blur=rng.choice((0, 0, 0.6, 1.0)),
        scale=rng.uniform(0.75, 1.1),
        seed=seed,
    )
    img.convert("RGB").save(path, "JPEG", quality=rng.randint(55, 90))
    return series + number


def render_passport(
    surname: str,
    name: str,
    patronymic: str,
    series: str,
    number: str,
    *,
    birth: str = "01.02.1980",
    angle: float = 0.0,
    noise: float = 0.0,
    blur: float = 0.0,
    scale: float = 1.0,
    seed: int = 1,
):
    """The main spread of a Russian internal passport as a scan: issuing authority on the upper page,
    the holder's data in capitals under small labels on the lower one, a photo box, and the series and
    number printed twice in red, vertically (reading bottom-up) along the right edge — as in the real
    document, where they appear nowhere else in print. Returns an RGB PIL image."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rnd = random.Random(seed)
    w, h = 1240, 1760  # ≈ 150 DPI for the 125×176 mm spread
    img = Image.new("RGB", (w, h), (238, 232, 222))
    d = ImageDraw.Draw(img)
    label = ImageFont.truetype(DEJAVU, 22)
    value = ImageFont.truetype(DEJAVU, 34)
    red = ImageFont.truetype(DEJAVU_MONO, 40)
    ink = (30, 30, 40)
    grey = (90, 90, 100)

    def field(x: int, y: int, lab: str, val: str) -> None:
        d.text((x, y), lab, fill=grey, font=label)
        d.text((x + 10, y + 28), val, fill=ink, font=value)

    d.text((330, 60), "РОССИЙСКАЯ ФЕДЕРАЦИЯ", fill=ink, font=value)
    field(80, 140, "Паспорт выдан", "ОТДЕЛОМ УФМС РОССИИ ПО ГОР. МОСКВЕ")
    d.text((90, 240), "ПО РАЙОНУ АРБАТ", fill=ink, font=value)
    field(80, 320, "Дата выдачи", "12.03.2006")
    field(560, 320, "Код подразделения", "770-001")
    d.line((40, h // 2, w - 40, h // 2), fill=(180, 170, 160), width=3)
    d.rectangle((80, h // 2 + 120, 380, h // 2 + 500), outline=grey, width=3)  # photo box
    d.text((150, h // 2 + 290), "ФОТО", fill=grey, font=label)
    y = h // 2 + 100
    for lab, val in (
        ("Фамилия", surname.upper()),
        ("Имя", name.upper()),
        ("Отчество", patronymic.upper()),
        ("Пол", "МУЖ."),
        ("Дата рождения", birth),
        ("Место рождения", "ГОР. МОСКВА"),
    ):
        field(430, y, lab, val)
        y += 110
    for y0 in (h // 4, 3 * h // 4):  # series and number, vertical, bottom-up, in red
        strip = Image.new("RGB", (420, 56), (238, 232, 222))
        ImageDraw.Draw(strip).text(
            (4, 4), f"{series[:2]} {series[2:]} {number}", fill=(190, 40, 40), font=red
        )
        strip = strip.rotate(90, expand=True)
        img.paste(strip, (w - 80, y0 - strip.height // 2))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if scale != 1.0:
        img = img.resize((int(w * scale), int(h * scale)), Image.LANCZOS)
    if angle:
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(250, 250, 250))
    if noise:
        px = img.load()
        iw, ih = img.size
        for _ in range(int(iw * ih * noise)):
            v = rnd.choice((0, 60, 200, 255))
            px[rnd.randrange(iw), rnd.randrange(ih)] = (v, v, v)
    return img


# ---- rar ------------------------------------------------------------------------------------------


def _rar_block(typ: int, flags: int, body: bytes) -> bytes:
    import struct
    import zlib

    data = struct.pack("<BHH", typ, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(data) & 0xFFFF) + data


def write_rar(path: Path, members: dict[str, bytes], encrypted: Sequence[str] = ()) -> Path:
    """A RAR 4 archive with stored (uncompressed, method 0x30) members, block by block as in the
    RAR 4 technote. No RAR writer is free software, and stored members are what rarfile reads
    without an external tool; names in `encrypted` get the password flag (their data is as is)."""
    import struct
    import zlib

    out = b"Rar!\x1a\x07\x00" + _rar_block(0x73, 0, b"\0" * 6)
    for name, data in members.items():
        nb = name.encode("ascii")
        flags = 0x8000 | (0x0004 if name in encrypted else 0)  # LONG_BLOCK, PASSWORD
        body = struct.pack(
            "<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), 0x5A210000, 20, 0x30, len(nb), 0x20
        )
        out += _rar_block(0x74, flags, body + nb) + data
    out += _rar_block(0x7B, 0x4000, b"")
    path.write_bytes(out)
    return path
