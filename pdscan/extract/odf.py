"""OpenDocument: .ods via python-calamine; .odt/.odp by streaming content.xml with lxml.

lxml's iterparse over content.xml is several times faster than building odfpy's object
tree, and the zip member is read under the same byte-counting guards as any archive.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from pdscan.extract import register
from pdscan.extract.archive import EntryTooBig, Guard, read_stream
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, LimitExceeded
from pdscan.extract.legacy import sheet_chunks
from pdscan.extract.office import pictures
from pdscan.i18n import t
from pdscan.model import Chunk

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_P = f"{{{TEXT_NS}}}p"
_H = f"{{{TEXT_NS}}}h"
_S = f"{{{TEXT_NS}}}s"
_TAB = f"{{{TEXT_NS}}}tab"
_BR = f"{{{TEXT_NS}}}line-break"
_PAGE = f"{{{DRAW_NS}}}page"
_CELL = f"{{{TABLE_NS}}}table-cell"
_ROW = f"{{{TABLE_NS}}}table-row"
BLOCK = 64 * 1024


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ExtractError(t("odf_corrupt", error=type(e).__name__)) from e


def _member(zf: zipfile.ZipFile, name: str, ctx: ExtractContext, guard: Guard) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError as e:
        raise ExtractError(t("odf_missing", name=name)) from e
    try:
        with zf.open(info) as f:
            return read_stream(f, guard, info.compress_size)
    except EntryTooBig as e:
        raise LimitExceeded(str(e)) from e
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ExtractError(t("odf_corrupt", error=type(e).__name__)) from e


def _check_encrypted(zf: zipfile.ZipFile, ctx: ExtractContext, guard: Guard) -> None:
    if "META-INF/manifest.xml" in zf.namelist():
        manifest = _member(zf, "META-INF/manifest.xml", ctx, guard)
        if b"encryption-data" in manifest:
            raise EncryptedError(t("doc_encrypted"))


def _para_text(el: etree._Element) -> str:
    """Text of a paragraph with <text:s/>, tabs and line breaks restored."""
    parts: list[str] = []

    def walk(e: etree._Element) -> None:
        if e.text:
            parts.append(e.text)
        for c in e:
            tag = c.tag
            if tag == _S:
                parts.append(" " * int(c.get(f"{{{TEXT_NS}}}c", "1") or 1))
            elif tag == _TAB:
                parts.append("\t")
            elif tag == _BR:
                parts.append("\n")
            else:
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(el)
    return "".join(parts)


def _content_chunks(content: bytes, ctx: ExtractContext, unit: str) -> Iterator[Chunk]:
    """Paragraphs in document order; table rows join their cells with tabs.

    For presentations the location names the slide (draw:page); for text the first
    paragraph of each block of ~64 KB.
    """
    buf: list[str] = []
    size = 0
    first = 0
    para_no = 0
    slide = 0
    row_cells: list[str] | None = None
    depth_in_para = 0
    try:
        for event, el in etree.iterparse(io.BytesIO(content), events=("start", "end"), huge_tree=False):
            tag = el.tag
            if event == "start":
                if tag == _PAGE:
                    if buf:
                        yield Chunk(text="\n".join(buf), location=f"{unit} {first}", member=ctx.member)
                        buf, size = [], 0
                    slide += 1
                elif tag == _ROW:
                    row_cells = []
                elif tag in (_P, _H):
                    depth_in_para += 1
                continue
            if tag in (_P, _H):
                depth_in_para -= 1
                if depth_in_para:
                    continue  # nested paragraph (in a note or frame): the outer one takes its text
                text = _para_text(el)
                para_no += 1
                if row_cells is not None:
                    row_cells.append(text)
                elif text.strip():
                    if not buf:
                        first = slide if unit == "slide" else para_no
                    buf.append(text)
                    size += len(text) + 1
                el.clear(keep_tail=True)
            elif tag == _CELL and row_cells is not None:
                row_cells.append("\t")
            elif tag == _ROW:
                line = "".join(row_cells or []).replace("\t\t", "\t").strip("\t")
                row_cells = None
                el.clear(keep_tail=True)
                if line.strip():
                    if not buf:
                        first = slide if unit == "slide" else para_no
                    buf.append(line)
                    size += len(line) + 1
            if size >= BLOCK:
                ctx.check_deadline()
                yield Chunk(text="\n".join(buf), location=f"{unit} {first}", member=ctx.member)
                buf, size = [], 0
    except etree.XMLSyntaxError as e:
        ctx.errors.append(f"{ctx.member or t('a_document')}: {t('odf_partial')}")
        del e
    if buf:
        yield Chunk(text="\n".join(buf), location=f"{unit} {first}", member=ctx.member)


def _text_like(data: bytes, ctx: ExtractContext, unit: str) -> Iterator[Chunk]:
    zf = _open(data)
    guard = Guard(ctx)
    with zf:
        _check_encrypted(zf, ctx, guard)
        content = _member(zf, "content.xml", ctx, guard)
        # Page headers and footers live in styles.xml (master pages), with the style definitions.
        styles = _member(zf, "styles.xml", ctx, guard) if "styles.xml" in zf.namelist() else b""
    yield from _content_chunks(content, ctx, unit)
    if styles:
        for chunk in _content_chunks(styles, ctx, unit):
            chunk.location = "header/footer"
            yield chunk
    with _open(data) as zf:  # pictures pasted into the document (a scanned passport): OCR
        yield from pictures(zf, "Pictures/", ctx)


@register("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
def extract_odt(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from _text_like(data, ctx, "paragraph")


@register(
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.presentation-template",
)
def extract_odp(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from _text_like(data, ctx, "slide")


@register(
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)
def extract_ods(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    zf = _open(data)
    with zf:
        _check_encrypted(zf, ctx, Guard(ctx))
    yield from sheet_chunks(data, ctx)
