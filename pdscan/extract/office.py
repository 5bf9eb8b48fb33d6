"""OOXML: docx via zipfile + lxml, xlsx via python-calamine, pptx via zipfile + lxml.

Why not python-docx / openpyxl on the hot path: they build a Python object per paragraph, run
and cell. Measured by benchmarks/bench_extract.py (CPU time of one process): zip + lxml (XSLT)
reads ≈ 650 docx/s (two-page documents with a 16-row table, header and footer) where python-docx
reads ≈ 45, 15× fewer; calamine (Rust) reads ≈ 85k xlsx rows/s where openpyxl read-only reads
≈ 8k.

Tables become one Chunk per row (cells joined by tabs, the table's first row as context),
because a passport's series and number, or a surname and a first name, often sit in
neighbouring cells. Plain paragraphs are grouped so context words on a previous line count.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from lxml import etree

from pdscan.extract import register
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, LimitExceeded, NoText
from pdscan.extract.sniff import DOCX, ENCRYPTED, PPTX, XLSX
from pdscan.i18n import t
from pdscan.model import Chunk

GROUP_CHARS = 2000  # paragraphs are grouped up to about this many characters per Chunk
CONTEXT_CHARS = 200  # tail of the previous group handed on as context
_RATIO_MIN_BYTES = 4 * 1024 * 1024  # small parts compress very well legitimately

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


# ---- the package (zip) with limits ------------------------------------------------------------


def open_package(data: bytes, ctx: ExtractContext, kind: str) -> zipfile.ZipFile:
    """Open an OOXML/ODF zip and refuse zip-bomb-like parts before anything is inflated."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as e:
        raise ExtractError(t("ooxml_not_zip", kind=kind, error=e)) from None
    total = 0
    for info in z.infolist():
        _check_entry(info, ctx)
        total += info.file_size
    if total > ctx.limits.max_total_bytes:
        raise LimitExceeded(
            t("ooxml_total_big", kind=kind, mb=total // 2**20, cap=ctx.limits.max_total_bytes // 2**20)
        )
    return z


def _check_entry(info: zipfile.ZipInfo, ctx: ExtractContext) -> None:
    lim = ctx.limits
    if info.file_size > lim.max_entry_bytes:
        raise LimitExceeded(
            t(
                "ooxml_part_big",
                name=info.filename,
                mb=info.file_size // 2**20,
                cap=lim.max_entry_bytes // 2**20,
            )
        )
    if info.file_size > _RATIO_MIN_BYTES and info.file_size > lim.max_ratio * max(info.compress_size, 1):
        raise LimitExceeded(
            t("ooxml_part_ratio", name=info.filename, n=info.file_size // max(info.compress_size, 1))
        )


def read_part(z: zipfile.ZipFile, name: str, ctx: ExtractContext) -> bytes:
    """Read one part, trusting neither the declared size nor the CRC of a damaged file."""
    info = z.getinfo(name)
    _check_entry(info, ctx)
    cap = ctx.limits.max_entry_bytes
    try:
        with z.open(info) as f:
            data = f.read(cap + 1)
    except _ZIP_ERRORS + (zipfile.BadZipFile, RuntimeError) as e:
        raise ExtractError(t("ooxml_part_corrupt", name=name, error=e)) from None
    if len(data) > cap:
        raise LimitExceeded(t("ooxml_part_over", name=name, cap=cap // 2**20))
    ctx.taken.value += len(data)
    if ctx.taken.value > ctx.limits.max_total_bytes:
        raise LimitExceeded(t("ooxml_unpacked_over", cap=ctx.limits.max_total_bytes // 2**20))
    return data


def _parse(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ExtractError(t("ooxml_bad_xml", name=name, error=e)) from None


def _natural(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


# ---- grouping helpers shared by docx, pptx and markup -----------------------------------------


class ParagraphGroups:
    """Joins consecutive paragraphs into Chunks of about `limit` characters.

    The location names the group's first paragraph (f"{where} N", or just `where` when
    `numbered` is false); the tail of the previous group is the context, so a context word at
    the end of one group still counts for the next.
    """

    def __init__(self, where: str, ctx: ExtractContext, limit: int = GROUP_CHARS, numbered: bool = True):
        self.where, self.ctx, self.limit, self.numbered = where, ctx, limit, numbered
        self.buf: list[str] = []
        self.size = 0
        self.first = 0
        self.prev_tail = ""

    def add(self, num: int, text: str) -> Chunk | None:
        if not text.strip():
            return None
        if not self.buf:
            self.first = num
        self.buf.append(text)
        self.size += len(text) + 1
        return self.flush() if self.size >= self.limit else None

    def flush(self) -> Chunk | None:
        if not self.buf:
            return None
        text = "\n".join(self.buf)
        where = f"{self.where} {self.first}" if self.numbered else self.where
        chunk = Chunk(text=text, location=where, member=self.ctx.member, context=self.prev_tail)
        self.prev_tail = text[-CONTEXT_CHARS:].replace("\t", " ")  # tabs in context mean table cells
        self.buf, self.size = [], 0
        return chunk


def group_paragraphs(
    paras: Iterable[tuple[int, str]], where: str, ctx: ExtractContext, limit: int = GROUP_CHARS
) -> Iterator[Chunk]:
    """Chunks of consecutive (number, text) paragraphs; see ParagraphGroups."""
    groups = ParagraphGroups(where, ctx, limit)
    for num, text in paras:
        chunk = groups.add(num, text)
        if chunk:
            yield chunk
    chunk = groups.flush()
    if chunk:
        yield chunk


def table_rows(rows: Iterable[str], where: str, ctx: ExtractContext) -> Iterator[Chunk]:
    """One Chunk per table row; the first non-empty row is the header and the context of the rest."""
    header = ""
    for m, row in enumerate(rows, start=1):
        if not row.strip():
            continue
        yield Chunk(text=row, location=f"{where} row {m}", member=ctx.member, context=header)
        if not header:
            header = row


# ---- docx -------------------------------------------------------------------------------------

_P, _TBL, _TR, _TC = W + "p", W + "tbl", W + "tr", W + "tc"
_T, _DEL_T, _TAB, _HYPHEN = W + "t", W + "delText", W + "tab", W + "noBreakHyphen"
_BREAKS = {W + "br", W + "cr"}
_NOTE_TAGS = {W + "footnote", W + "endnote", W + "comment"}
_FALLBACK = MC + "Fallback"
_GRID_SPAN, _VAL = f"{W}tcPr/{W}gridSpan", W + "val"
_W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_WORD_TAGS = (_P, _TBL, _TR, _TC, _T, _DEL_T, _TAB, _HYPHEN, *_BREAKS, *_NOTE_TAGS, _FALLBACK)


def _free(el: etree._Element) -> None:
    """Drop a finished element and its finished elder siblings: memory stays flat on huge parts."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _wordml(data: bytes, name: str) -> Iterator[tuple]:
    """The text of one WordprocessingML part, as events.

    Yields ("p", paragraph number, text) for paragraphs outside tables, ("row", table number,
    row number, cells joined by tabs) for rows of top-level tables (a nested table is text of
    its cell) and ("note", id, text) for footnotes, endnotes and comments. Deleted text of
    tracked changes is read (it is still in the file); text boxes, stored twice (mc:Choice and
    mc:Fallback), are read once.

    Two readers give the same events: an XSLT transform (C speed, ~2.5× faster, but builds the
    whole tree) for ordinary parts, and a streaming iterparse pass (flat memory) for big ones.
    """
    if _W_STRICT in data[:8192]:  # "Strict Open XML": same elements, another namespace URI
        data = data.replace(_W_STRICT, W[1:-1].encode())
    try:
        if len(data) > STREAM_BYTES:
            yield from _wordml_stream(data)
        else:
            yield from _wordml_xslt(data)
    except (etree.XMLSyntaxError, etree.XSLTApplyError) as e:
        raise ExtractError(t("ooxml_bad_xml", name=name, error=e)) from None


# Records of the transform's text output: a marker character starts each, _END closes it.
_END, _PARA, _TABLE, _ROW, _NOTE = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
_WORD_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:w="{W[1:-1]}" xmlns:mc="{MC[1:-1]}">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="text()|mc:Fallback|w:pPr|w:rPr|w:tblPr|w:tblGrid|w:trPr|w:sectPr"/>
<xsl:template match="w:footnote|w:endnote|w:comment">{_NOTE}<xsl:value-of select="@w:id"/>{_END}<xsl:apply-templates/></xsl:template>
<xsl:template match="w:p">{_PARA}<xsl:apply-templates mode="p"/>{_END}</xsl:template>
<xsl:template match="w:tbl">{_TABLE}{_END}<xsl:apply-templates mode="row"
  select="w:tr|w:sdt/w:sdtContent/w:tr|w:customXml/w:tr"/></xsl:template>
<xsl:template match="w:tr" mode="row">{_ROW}<xsl:for-each select="w:tc|w:sdt/w:sdtContent/w:tc|w:customXml/w:tc">
  <xsl:if test="position() > 1"><xsl:text>&#9;</xsl:text></xsl:if><xsl:apply-templates mode="cell"/>
  <xsl:value-of select="substring('{"&#9;" * 63}', 1, w:tcPr/w:gridSpan/@w:val - 1)"/>
  </xsl:for-each>{_END}</xsl:template>
<xsl:template match="text()|mc:Fallback|w:pPr|w:rPr" mode="p"/>
<xsl:template match="w:t|w:delText" mode="p"><xsl:value-of select="."/></xsl:template>
<xsl:template match="w:tab" mode="p"><xsl:text>&#9;</xsl:text></xsl:template>
<xsl:template match="w:br|w:cr" mode="p"><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="w:noBreakHyphen" mode="p">-</xsl:template>
<xsl:template match="w:p" mode="p"><xsl:apply-templates mode="p"/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="text()|mc:Fallback|w:pPr|w:rPr|w:tcPr|w:tblPr|w:tblGrid|w:trPr" mode="cell"/>
<xsl:template match="w:t|w:delText" mode="cell"><xsl:value-of select="translate(., '&#9;', ' ')"/></xsl:template>
<xsl:template match="w:tab|w:br|w:cr|w:tc" mode="cell"><xsl:text> </xsl:text><xsl:apply-templates mode="cell"/></xsl:template>
<xsl:template match="w:noBreakHyphen" mode="cell">-</xsl:template>
<xsl:template match="w:p" mode="cell"><xsl:apply-templates mode="cell"/><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>"""
STREAM_BYTES = 8 * 1024 * 1024  # parts bigger than this are streamed


@lru_cache(maxsize=1)
def _word_transform() -> etree.XSLT:
    return etree.XSLT(etree.fromstring(_WORD_XSLT.encode("utf-8")))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _wordml_xslt(data: bytes) -> Iterator[tuple]:
    out = str(_word_transform()(etree.fromstring(data, _PARSER)))
    para_no = table_no = row_no = 0
    note: list[str] | None = None
    note_id = ""
    for rec in out.split(_END):
        kind, body = rec[:1], rec[1:]
        if kind == _PARA:
            text = body.rstrip("\n")
            if note is not None:
                note.append(text)
            else:
                para_no += 1
                yield ("p", para_no, text)
        elif kind == _ROW:
            row = "\t".join(" ".join(c.split()) for c in body.split("\t"))
            if note is not None:
                note.append(row)
            else:
                row_no += 1
                yield ("row", table_no, row_no, row)
        elif kind == _TABLE:
            table_no += note is None
            row_no = 0
        elif kind == _NOTE:
            if note is not None:
                yield ("note", note_id, "\n".join(t for t in note if t.strip()))
            note, note_id = [], body
    if note is not None:
        yield ("note", note_id, "\n".join(t for t in note if t.strip()))


def _wordml_stream(data: bytes) -> Iterator[tuple]:
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=_WORD_TAGS,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
    )
    p_depth = tbl_depth = skip = 0
    para_no = table_no = row_no = 0
    para: list[str] = []
    cell: list[str] = []
    cells: list[str] = []
    note: list[str] | None = None
    for ev, el in events:
        tag = el.tag
        if tag == _FALLBACK:
            skip += 1 if ev == "start" else -1
            continue
        if skip:
            continue
        if ev == "start":
            if tag == _P:
                p_depth += 1
                if p_depth == 1 and not tbl_depth:
                    para = []
                    para_no += note is None
            elif tag == _TBL:
                tbl_depth += 1
                if tbl_depth == 1:
                    table_no += 1
                    row_no = 0
            elif tbl_depth == 1 and tag == _TR:
                cells = []
                row_no += 1
            elif tbl_depth == 1 and tag == _TC:
                cell = []
            elif tag in _NOTE_TAGS:
                note = []
            continue
        sink = cell if tbl_depth else para
        if tag == _T or tag == _DEL_T:
            if el.text:
                sink.append(el.text)
        elif tag == _TAB:
            sink.append(" " if tbl_depth else "\t")
        elif tag in _BREAKS:
            sink.append(" " if tbl_depth else "\n")
        elif tag == _HYPHEN:
            sink.append("-")
        elif tag == _P:
            p_depth -= 1
            if tbl_depth:
                cell.append(" ")
            elif p_depth:
                para.append("\n")  # a paragraph of a text box inside this paragraph
            else:
                text = "".join(para).rstrip("\n")
                if note is not None:
                    note.append(text)
                else:
                    yield ("p", para_no, text)
                _free(el)
        elif tag == _TC:
            if tbl_depth == 1:
                cells.append(" ".join("".join(cell).split()))
                span = el.find(_GRID_SPAN)
                if span is not None and (span.get(_VAL) or "").isdigit():
                    # A merged cell keeps the cells after it under their own headings.
                    cells.extend([""] * min(int(span.get(_VAL)) - 1, 64))
            else:
                cell.append(" ")
        elif tag == _TR:
            if tbl_depth == 1:
                row = "\t".join(cells)
                if note is not None:
                    note.append(row)
                else:
                    yield ("row", table_no, row_no, row)
        elif tag == _TBL:
            tbl_depth -= 1
            if not tbl_depth:
                _free(el)
        elif tag in _NOTE_TAGS and note is not None:
            yield ("note", el.get(W + "id", ""), "\n".join(t for t in note if t.strip()))
            note = None
            _free(el)


def _docx_part(data: bytes, name: str, ctx: ExtractContext, where: str = "paragraph") -> Iterator[Chunk]:
    """Chunks of one part: grouped paragraphs, one Chunk per table row (header row as context), notes.

    Headers and footers are short: their chunks are located by the part kind alone ("header").
    """
    numbered = where not in ("header", "footer")
    groups = ParagraphGroups(where, ctx, numbered=numbered)
    table_at = "table" if numbered else f"{where} table"
    table, header = 0, ""
    for n, ev in enumerate(_wordml(data, name)):
        if n % 2000 == 0:
            ctx.check_deadline()
        kind = ev[0]
        if kind == "p":
            chunk = groups.add(ev[1], ev[2])
        elif kind == "row":
            _, t, r, text = ev
            if t != table:
                table, header = t, ""
                flushed = groups.flush()
                if flushed:
                    yield flushed
            chunk = None
            if text.strip():
                chunk = Chunk(
                    text=text, location=f"{table_at} {t} row {r}", member=ctx.member, context=header
                )
                header = header or text
        else:
            _, note_id, text = ev
            chunk = (
                Chunk(text=text, location=f"{where} {note_id}".strip(), member=ctx.member) if text else None
            )
        if chunk:
            yield chunk
    chunk = groups.flush()
    if chunk:
        yield chunk


_DOCX_PARTS = (
    (re.compile(r"word/header\d*\.xml$"), "header"),
    (re.compile(r"word/footer\d*\.xml$"), "footer"),
    (re.compile(r"word/footnotes\.xml$"), "footnote"),
    (re.compile(r"word/endnotes\.xml$"), "endnote"),
    (re.compile(r"word/comments\.xml$"), "comment"),
)


def _main_part(z: zipfile.ZipFile, default: str) -> str:
    """The main document part named in [Content_Types].xml (usually word/document.xml)."""
    names = set(z.namelist())
    if default in names:
        return default
    try:
        types = etree.fromstring(z.read("[Content_Types].xml"), _PARSER)
    except (KeyError, etree.XMLSyntaxError, *_ZIP_ERRORS):
        raise ExtractError(t("ooxml_no_main")) from None
    for o in types:
        ct = o.get("ContentType", "")
        if ct.endswith(".main+xml") and o.get("PartName", "").lstrip("/") in names:
            return o.get("PartName").lstrip("/")
    raise ExtractError(t("ooxml_no_main"))


@register(DOCX)
def extract_docx(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    z = open_package(data, ctx, "docx")
    main = _main_part(z, "word/document.xml")
    yield from _docx_part(read_part(z, main, ctx), main, ctx)
    parts = [(n, where) for n in z.namelist() for pattern, where in _DOCX_PARTS if pattern.match(n)]
    for name, where in sorted(parts, key=lambda p: _natural(p[0])):
        ctx.check_deadline()
        yield from _docx_part(read_part(z, name, ctx), name, ctx, where)
    yield from _embedded(z, "word/embeddings/", ctx)
    yield from pictures(z, "word/media/", ctx)
    # altChunk parts: HTML/RTF/text pasted in whole (report generators use them); not in document.xml.
    yield from _embedded(z, "word/", ctx, _ALT_CHUNK)


_ALT_CHUNK = re.compile(r"word/[^/]+\.(html?|mht|mhtml|rtf|txt)$", re.I)


def _embedded(
    z: zipfile.ZipFile,
    prefix: str,
    ctx: ExtractContext,
    pattern: re.Pattern | None = None,
    accept: Callable[[bytes], bool] | None = None,
) -> Iterator[Chunk]:
    """Documents embedded in a document (an xlsx inside a docx...) are read like archive members."""
    if ctx.nested is None:
        return
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/") and (pattern is None or pattern.match(name)):
            ctx.check_deadline()
            try:
                data = read_part(z, name, ctx)
                if accept is None or accept(data):
                    yield from ctx.nested(data, name, ctx)
            except NoText:
                pass  # an image read while OCR is off, raised when its reading starts
            except ExtractError as e:
                ctx.errors.append(f"{name}: {e}")


# Pictures pasted into a document go to OCR: a scanned passport inside a Word file is a common way
# personal data is kept. Only page-like pictures: logos, stamps and signatures are smaller, and
# each distinct picture is recognised once (image.py caches OCR text by content).
PICTURE_MIN_SIDE = 300


def pictures(z: zipfile.ZipFile, prefix: str, ctx: ExtractContext) -> Iterator[Chunk]:
    if ctx.limits.ocr:
        yield from _embedded(z, prefix, ctx, accept=_page_like)


def _page_like(data: bytes) -> bool:
    from PIL import Image  # only the header is read here

    try:
        with Image.open(io.BytesIO(data)) as img:
            return min(img.size) >= PICTURE_MIN_SIDE
    except Exception:  # noqa: BLE001 — not an image Pillow reads (EMF, WMF): nothing to OCR
        return False


# ---- pptx -------------------------------------------------------------------------------------


def _a_text(p: etree._Element) -> str:
    out = []
    for node in p.iter(A + "t", A + "br", A + "tab"):
        if node.tag == A + "t":
            out.append(node.text or "")
        else:
            out.append("\n" if node.tag == A + "br" else "\t")
    return "".join(out)


def _slide(root: etree._Element, where: str, ctx: ExtractContext) -> Iterator[Chunk]:
    tables = list(root.iter(A + "tbl"))
    paras = [(0, _a_text(p)) for p in root.iter(A + "p") if next(p.iterancestors(A + "tbl"), None) is None]
    for chunk in group_paragraphs(paras, where, ctx):
        chunk.location = where
        yield chunk
    for n, tbl in enumerate(tables, start=1):
        rows = (
            "\t".join(
                " ".join(" ".join(_a_text(p) for p in tc.iter(A + "p")).split())
                for tc in tr.iterchildren(A + "tc")
            )
            for tr in tbl.iter(A + "tr")
        )
        yield from table_rows(rows, f"{where} table {n}", ctx)


_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")
_NOTES = re.compile(r"ppt/notesSlides/notesSlide(\d+)\.xml$")


@register(PPTX)
def extract_pptx(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    z = open_package(data, ctx, "pptx")
    for name in sorted(z.namelist(), key=_natural):
        m = _SLIDE.match(name) or _NOTES.match(name)
        if not m:
            continue
        ctx.check_deadline()
        where = f"slide {m.group(1)}" + (" notes" if m.re is _NOTES else "")
        yield from _slide(_parse(read_part(z, name, ctx), name), where, ctx)
    yield from _embedded(z, "ppt/embeddings/", ctx)
    yield from pictures(z, "ppt/media/", ctx)


# ---- xlsx (and any workbook calamine reads) ----------------------------------------------------


@lru_cache(maxsize=1024)
def _col_letters(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_text(v: object) -> str:
    """A cell value as a person would read it: 4510.0 → "4510", dates as ДД.ММ.ГГГГ."""
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "ИСТИНА" if v else "ЛОЖЬ"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%d.%m.%Y") if v.time() == dt.time() else v.strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%d.%m.%Y")
    return str(v)


def extract_workbook(data: bytes, ctx: ExtractContext, kind: str = "xlsx") -> Iterator[Chunk]:
    """All sheets, one Chunk per non-empty row located at its first filled cell ("sheet Лист1!A5").

    Works for every format python-calamine reads (xlsx, xlsb, xls, ods). Cells are joined by
    tabs from the sheet's first used column on; the first non-empty row is the header and the
    context of every other row.
    """
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # calamine raises its own error types for every kind of damage
        msg = str(e)
        if "ncrypt" in msg or "assword" in msg:
            raise EncryptedError(t("file_encrypted")) from None
        raise ExtractError(t("file_kind_corrupt", kind=kind, error=msg[:200])) from None
    failed: list[str] = []
    try:
        for name in wb.sheet_names:
            ctx.check_deadline()
            try:
                sheet = wb.get_sheet_by_name(name)
            except Exception as e:  # one damaged sheet does not hide the others
                failed.append(t("sheet_failed", name=name, error=str(e)[:200]))
                continue
            # python-calamine's iter_rows starts at row 1 (empty rows above the data included) but at
            # the first used column; tests pin this down.
            col0 = sheet.start[1] if sheet.start else 0
            header = ""
            for i, row in enumerate(sheet.iter_rows()):
                if i % 2000 == 0:
                    ctx.check_deadline()
                cells = [v if type(v) is str else cell_text(v) for v in row]  # the common case first
                first = 0
                while first < len(cells) and not cells[first]:
                    first += 1
                # Leading empty cells stay: cell k of every row sits under cell k of the header row,
                # which is how the detector finds the column heading above a hit.
                text = "\t".join(cells).rstrip("\t")
                if not text.strip():
                    continue
                loc = f"sheet {name}!{_col_letters(col0 + first)}{i + 1}"
                yield Chunk(text=text, location=loc, member=ctx.member, context=header)
                if not header:
                    header = text
    finally:
        wb.close()
    if failed and len(failed) == len(wb.sheet_names):
        raise ExtractError(t("file_kind_corrupt", kind=kind, error=failed[0]))
    ctx.errors.extend(failed)


@register(XLSX)
def extract_xlsx(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    z = open_package(data, ctx, "xlsx")  # limits checked before calamine inflates anything
    yield from extract_workbook(data, ctx, "xlsx")
    yield from _cell_comments(z, ctx)
    yield from _embedded(z, "xl/embeddings/", ctx)
    yield from pictures(z, "xl/media/", ctx)


_COMMENTS = re.compile(r"xl/(comments\d*|threadedComments/threadedComment\d*)\.xml$")


def _cell_comments(z: zipfile.ZipFile, ctx: ExtractContext) -> Iterator[Chunk]:
    """Cell notes (calamine skips them): one Chunk per note, located by its cell ("comment B3")."""
    for name in sorted((n for n in z.namelist() if _COMMENTS.match(n)), key=_natural):
        ctx.check_deadline()
        root = _parse(read_part(z, name, ctx), name)
        for el in root.iter("{*}comment", "{*}threadedComment"):
            text = "".join(t.text or "" for t in el.iter("{*}t", "{*}text") if len(t) == 0)
            if text.strip():
                yield Chunk(text=text, location=f"comment {el.get('ref', '')}".strip(), member=ctx.member)


# ---- encrypted Office documents ----------------------------------------------------------------


@register(ENCRYPTED)
def extract_encrypted(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    raise EncryptedError(t("file_encrypted"))
    yield  # pragma: no cover  (a generator, like every extractor)
