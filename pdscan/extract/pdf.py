"""PDF text layer via pypdfium2, one Chunk per page ("page N").

Why not pdfplumber on the hot path: it runs pdfminer's pure-Python layout analysis on every
character. Measured by benchmarks/bench_extract.py (CPU time of one process): pypdfium2
(PDFium, C++) reads ≈ 300–500 text pages/s where pdfplumber reads ≈ 5, 60–100× fewer. We need
the characters, not their layout.

A page with no text but with pictures is a scan: it is handed to the page OCR hook, which the
OCR module installs with ``set_page_ocr``. Without a hook (or with OCR off) such pages are
reported in ``ctx.errors`` as not read.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pdscan.extract import register
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, LimitExceeded
from pdscan.i18n import t
from pdscan.model import Chunk

# OCR of one scanned page: (page, 1-based page number, ctx) -> recognised text ("" if none).
# The page is open; the hook renders it itself (page.render(scale=...).to_pil()).
PageOCR = Callable[[pdfium.PdfPage, int, ExtractContext], str]
_page_ocr: PageOCR | None = None


def set_page_ocr(fn: PageOCR | None) -> None:
    """Install the OCR used for pages without a text layer (called by pdscan.extract.image)."""
    global _page_ocr
    _page_ocr = fn


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(e).lower():
            raise EncryptedError(t("file_encrypted")) from None
        if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedError(t("pdf_encrypted_unsupported")) from None
        raise ExtractError(t("pdf_corrupt", error=e)) from None


def has_images(page: pdfium.PdfPage) -> bool:
    """True when the page carries at least one picture (what a scanner produces)."""
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        return True
    return False


_FORM_TEXT_FIELDS = (pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX)


def _utf16(fn, *args) -> str:
    """Call a PDFium getter that fills a UTF-16LE buffer (size query first)."""
    size = fn(*args, None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    fn(*args, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buf.raw[: size - 2].decode("utf-16-le", errors="replace")


def form_values(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[str]:
    """Filled-in form fields of a page as "name: value" lines.

    An application filled in on screen keeps its answers in form fields, not in the text layer.
    """
    form = pdf.formenv.raw
    out = []
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            if pdfium_c.FPDFAnnot_GetFormFieldType(form, annot) not in _FORM_TEXT_FIELDS:
                continue
            value = _utf16(pdfium_c.FPDFAnnot_GetFormFieldValue, form, annot).strip()
            if value:
                name = _utf16(pdfium_c.FPDFAnnot_GetFormFieldName, form, annot).strip()
                out.append(f"{name}: {value}" if name else value)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def page_texts(data: bytes, ctx: ExtractContext) -> Iterator[tuple[int, str, bool]]:
    """(page number, text layer + form field values, is a scan) for each page up to Limits.max_pages."""
    pdf = _open(data)
    try:
        forms = pdf.get_formtype() != pdfium_c.FORMTYPE_NONE
        if forms:
            pdf.init_forms()  # before any page is loaded
        total = len(pdf)
        last = min(total, ctx.limits.max_pages)
        for i in range(last):
            try:
                ctx.check_deadline()
            except LimitExceeded as e:
                if not i:
                    raise
                # Pages read so far keep their findings; the rest is reported as not read.
                ctx.errors.append(t("pdf_pages_read", error=e, i=i, total=total))
                return
            try:
                page = pdf[i]
            except pdfium.PdfiumError as e:
                ctx.errors.append(t("pdf_page_unread", n=i + 1, error=e))
                continue
            try:
                tp = page.get_textpage()
                try:
                    text = tp.get_text_range()
                finally:
                    tp.close()
                scan = not text.strip() and has_images(page)
                if scan and _page_ocr is not None and ctx.limits.ocr:
                    text = _page_ocr(page, i + 1, ctx) or ""
                if forms:
                    values = form_values(pdf, page)
                    if values:
                        text = text.rstrip("\r\n") + "\n" + "\n".join(values)
                yield i + 1, text, scan
            finally:
                page.close()
        if total > last:
            ctx.errors.append(t("pdf_max_pages", n=last, total=total))
    finally:
        pdf.close()


@register("application/pdf")
def extract_pdf(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    unread: list[int] = []
    for n, text, scan in page_texts(data, ctx):
        if scan and not text.strip() and (_page_ocr is None or not ctx.limits.ocr):
            unread.append(n)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.strip():
            context = ""
            if scan:  # OCR text lost its layout: the page heading is context for the whole page
                from pdscan.extract.image import page_heading

                context = page_heading(text)
            yield Chunk(text=text, location=f"page {n}", member=ctx.member, context=context)
    if unread:
        pages = ", ".join(map(str, unread[:20])) + ("…" if len(unread) > 20 else "")
        why = t("ocr_off") if not ctx.limits.ocr else t("ocr_unavailable")
        ctx.errors.append(t("pdf_no_text_layer", why=why, pages=pages))
