"""Legacy Office and RTF: .doc (antiword, catdoc), .xls (python-calamine), .ppt (catppt), .rtf (striprtf).

The .doc/.ppt tools are C programs (hundreds of files a second); they get the bytes on
stdin or through a private temporary file, never the scanned file's path, and their
output is read as UTF-8.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator

from pdscan.extract import register
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, NoText
from pdscan.extract.subproc import die_with_parent
from pdscan.i18n import t
from pdscan.model import Chunk

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TOOL_SECONDS = 60.0
PARA_BLOCK = 64 * 1024


def ole_kind(data: bytes) -> str | None:
    """Content type of an OLE2 (CDFV2) file by its streams, or None if not OLE."""
    if not data.startswith(OLE_MAGIC):
        return None
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError, struct.error):
        return "application/x-ole-storage"
    with ole:
        names = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=True)}
    if "encryptedpackage" in names:
        return "application/encrypted"  # password-protected docx/xlsx/pptx (sniff.ENCRYPTED)
    if "worddocument" in names:
        return "application/msword"
    if "workbook" in names or "book" in names:
        return "application/vnd.ms-excel"
    if "powerpoint document" in names:
        return "application/vnd.ms-powerpoint"
    if any(n.startswith("__substg1.0_") for n in names):
        return "application/vnd.ms-outlook"
    return "application/x-ole-storage"


def _run(cmd: list[str], data: bytes, ctx: ExtractContext, stdin: bool) -> str:
    """Run a converter on the bytes: on stdin when the tool reads it, else as an in-memory file.

    Tools that seek (catppt, antiword) get /dev/fd/N of a memfd, so the document's text never
    touches the disk; where memfd is missing, a 0600 temporary file stands in.
    """
    if shutil.which(cmd[0]) is None:
        raise ExtractError(t("tool_missing", tool=cmd[0]))
    timeout = TOOL_SECONDS
    if ctx.deadline:
        timeout = max(1.0, min(timeout, ctx.deadline - time.monotonic()))
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        if stdin:
            p = subprocess.run(
                die_with_parent(cmd), input=data, capture_output=True, timeout=timeout, env=env
            )
        elif hasattr(os, "memfd_create"):
            fd = os.memfd_create("pdscan-doc")
            try:
                with open(fd, "wb", closefd=False) as f:
                    f.write(data)
                p = subprocess.run(
                    die_with_parent([*cmd, f"/dev/fd/{fd}"]),
                    capture_output=True,
                    timeout=timeout,
                    env=env,
                    pass_fds=(fd,),
                )
            finally:
                os.close(fd)
        else:
            with tempfile.NamedTemporaryFile(prefix="pdscan-", suffix=".bin") as tmp:
                tmp.write(data)
                tmp.flush()
                p = subprocess.run(
                    die_with_parent([*cmd, tmp.name]),
                    capture_output=True,
                    timeout=timeout,
                    env=env,
                )
    except subprocess.TimeoutExpired as e:
        raise ExtractError(t("tool_timeout", tool=cmd[0], s=timeout)) from e
    out = p.stdout.decode("utf-8", errors="replace")
    if p.returncode != 0 and not out.strip():
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(t("tool_failed", tool=cmd[0], error=err[-1][:200] if err else p.returncode))
    return out


def _paragraph_chunks(text: str, ctx: ExtractContext, unit: str = "paragraph") -> Iterator[Chunk]:
    """Group paragraphs into blocks; the location names the first paragraph of the block."""
    buf: list[str] = []
    size = 0
    first = 1
    no = 0
    for no, para in enumerate(text.split("\n"), start=1):
        if not buf:
            first = no
        buf.append(para)
        size += len(para) + 1
        if size >= PARA_BLOCK:
            ctx.check_deadline()
            yield Chunk(text="\n".join(buf), location=f"{unit} {first}", member=ctx.member)
            buf, size = [], 0
    if buf and any(p.strip() for p in buf):
        yield Chunk(text="\n".join(buf), location=f"{unit} {first}", member=ctx.member)


# ---------------------------------------------------------------- .doc


def _doc_encrypted(data: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            fib = ole.openstream("WordDocument").read(12)
    except (OSError, ValueError, IndexError):
        return False
    return len(fib) >= 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)  # fEncrypted


@register("application/msword")
def extract_doc(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if data.startswith(OLE_MAGIC) and _doc_encrypted(data):
        raise EncryptedError(t("doc_encrypted"))
    # 8-bit text (Word 6/95) is taken as cp1251: the old documents of a Russian office.
    # catdoc reads stdin (no copy of the document anywhere), is the faster of the two and
    # reads Word 6/95 and fast-saved files; antiword is the second opinion when it gets nothing.
    first: ExtractError | None = None
    try:
        text = _run(["catdoc", "-s", "cp1251", "-d", "utf-8", "-w"], data, ctx, stdin=True)
    except ExtractError as e:
        text, first = "", e
    if not text.strip():
        try:
            text = _run(["antiword", "-m", "UTF-8.txt", "-w", "0"], data, ctx, stdin=False)
        except ExtractError:
            if first is not None:
                raise first from None
            return  # catdoc read it and found no text: an empty document
    if not text.strip():
        return
    yield from _paragraph_chunks(text, ctx)


# ---------------------------------------------------------------- .ppt


def _ppt_encrypted(data: bytes) -> bool:
    """An encrypted presentation carries an "EncryptedSummary" stream ([MS-PPT] 2.3.7)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptedSummary")
    except (OSError, ValueError, IndexError, struct.error):
        return False


@register("application/vnd.ms-powerpoint")
def extract_ppt(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if data.startswith(OLE_MAGIC) and _ppt_encrypted(data):
        raise EncryptedError(t("ppt_encrypted"))
    # catppt marks slides with a form feed.
    text = _run(["catppt", "-d", "utf-8"], data, ctx, stdin=False)
    for no, slide in enumerate(text.split("\f"), start=1):
        if slide.strip():
            yield Chunk(text=slide, location=f"slide {no}", member=ctx.member)


# ---------------------------------------------------------------- .xls (and the calamine sheet walker)


def sheet_chunks(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    """One chunk per row of every sheet, cells joined by tabs; the first row is context."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as e:
        raise EncryptedError(t("book_encrypted")) from e
    except (CalamineError, ValueError, OSError) as e:
        msg = str(e).lower()
        if "password" in msg or "encrypt" in msg:
            raise EncryptedError(t("book_encrypted")) from e
        raise ExtractError(t("table_unreadable", error=type(e).__name__)) from e
    seen = 0
    for sheet_name in wb.sheet_names:
        ctx.check_deadline()
        try:
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as e:
            ctx.errors.append(
                f"{ctx.member or t('a_book')}: {t('sheet_unread', name=sheet_name, error=type(e).__name__)}"
            )
            continue
        header = ""
        for r, row in enumerate(rows, start=1):
            if r % 2000 == 0:
                ctx.check_deadline()
            cells = ["" if v is None else _cell(v) for v in row]
            line = "\t".join(cells).rstrip("\t")
            if not line.strip():
                continue
            seen += 1
            if not header:
                header = line
                yield Chunk(text=line, location=f"sheet {sheet_name}!row {r}", member=ctx.member)
                continue
            yield Chunk(text=line, location=f"sheet {sheet_name}!row {r}", member=ctx.member, context=header)


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))  # 1234567890.0 → "1234567890": numbers typed as numbers in a sheet
    return str(v)


def _xls_encrypted(data: bytes) -> bool:
    """A FILEPASS record (0x002F) in the workbook globals means the book is encrypted.

    Checked here because python-calamine, reading from memory, reports such a book only as
    "cannot detect file format".
    """
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read(64 * 1024)
    except (OSError, ValueError, IndexError, struct.error):
        return False
    pos = 0
    while pos + 4 <= len(stream):
        rec, size = struct.unpack_from("<HH", stream, pos)
        if rec == 0x002F:
            return True
        if rec == 0x000A:  # EOF of the globals substream
            return False
        pos += 4 + size
    return False


@register("application/vnd.ms-excel")
def extract_xls(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if data.startswith(OLE_MAGIC) and _xls_encrypted(data):
        raise EncryptedError(t("book_encrypted"))
    yield from sheet_chunks(data, ctx)


@register("application/x-ole-storage", "application/CDFV2")
def extract_unknown_ole(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    raise NoText("application/x-ole-storage")
    yield  # pragma: no cover


# ---------------------------------------------------------------- .rtf

_ANSICPG = re.compile(rb"\\ansicpg(\d+)")
# \fcharset204 is the Cyrillic charset; some writers set it without \ansicpg.
_CYR_CHARSET = re.compile(rb"\\fcharset204\b")


def rtf_encoding(head: bytes) -> str:
    """The code page of \\'xx escapes: \\ansicpg, else cp1251 when a Cyrillic font is declared.

    striprtf takes one code page per document; for a Russian scanner a declared
    Cyrillic font (\\fcharset204) wins over the default Western \\ansicpg1252.
    """
    m = _ANSICPG.search(head)
    cp = m.group(1).decode() if m else ""
    if cp in ("", "0", "1252") and _CYR_CHARSET.search(head):
        return "cp1251"
    if cp in ("", "0"):
        return "cp1252"
    try:
        "".encode(f"cp{cp}")
    except LookupError:
        return "cp1251"
    return f"cp{cp}"


@register("text/rtf")
def extract_rtf(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    from striprtf.striprtf import rtf_to_text

    enc = rtf_encoding(data[: 64 * 1024])
    # RTF itself is 7-bit; latin-1 keeps any stray 8-bit bytes one-to-one.
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=enc, errors="replace")
    except (ValueError, IndexError, LookupError) as e:
        raise ExtractError(t("rtf_unreadable", error=type(e).__name__)) from e
    yield from _paragraph_chunks(text, ctx)
