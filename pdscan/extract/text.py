"""Plain text, logs and CSV, with encoding detection (UTF-8, UTF-16, cp1251, koi8-r...)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from charset_normalizer import from_bytes

from pdscan.extract import register
from pdscan.extract.base import ExtractContext
from pdscan.model import Chunk

BLOCK_CHARS = 256 * 1024
csv.field_size_limit(64 * 1024 * 1024)  # a cell may hold a whole letter; the default 128 KB raises
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding: BOM, then strict UTF-8, then charset-normalizer."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Guess on a sample; whole-file guessing is slow and the encoding does not change mid-file.
    best = from_bytes(
        data[: 256 * 1024], cp_isolation=["cp1251", "koi8_r", "utf_16", "cp866", "latin_1"]
    ).best()
    enc = best.encoding if best else "cp1251"
    return data.decode(enc, errors="replace")


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Split text into large blocks at line ends; yield (first line number, block)."""
    line = 1
    pos = 0
    n = len(text)
    while pos < n:
        end = min(pos + BLOCK_CHARS, n)
        if end < n:
            nl = text.rfind("\n", pos, end)
            if nl > pos:
                end = nl + 1
        block = text[pos:end]
        yield line, block
        line += block.count("\n")
        pos = end


def _table_runs(block: str, first_line: int, member: str | None) -> Iterator[Chunk]:
    """Split a block holding tab-separated tables (pasted from a spreadsheet) into prose and rows.

    A run of two or more consecutive lines with the same number of tabs is a table: each row is
    its own Chunk with the run's first line (the header) as context, so a passport's series and
    number in two columns, or a "Дата рождения" column, are read as in a real spreadsheet.
    """
    lines = block.split("\n")
    i, n = 0, len(lines)
    prose_start = 0

    def prose(upto: int) -> Iterator[Chunk]:
        if upto > prose_start:
            text = "\n".join(lines[prose_start:upto])
            if text.strip():
                ln = first_line + prose_start
                yield Chunk(text=text, location=f"line {ln}", member=member, line=ln)

    while i < n:
        tabs = lines[i].count("\t")
        j = i + 1
        if tabs:
            while j < n and lines[j].count("\t") == tabs:
                j += 1
        if tabs and j - i >= 2:
            yield from prose(i)
            header = lines[i]
            for k in range(i, j):
                ln = first_line + k
                yield Chunk(
                    text=lines[k],
                    location=f"line {ln}",
                    member=member,
                    line=ln,
                    context=header if k > i else "",
                )
            prose_start = j
        i = j
    yield from prose(n)


@register("text/plain")
def extract_text(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from text_chunks(decode(data), ctx)


def text_chunks(text: str, ctx: ExtractContext, first_line: int = 1) -> Iterator[Chunk]:
    """Chunks of decoded text whose first line is line `first_line` of the file."""
    for line, block in _blocks(text):
        ctx.check_deadline()
        line += first_line - 1
        if "\t" in block:
            yield from _table_runs(block, line, ctx.member)
        else:
            yield Chunk(text=block, location=f"line {line}", member=ctx.member, line=line)


@register("text/csv")
def extract_csv(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    """One chunk per row, cells joined by tabs; the header row is context for every row."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
    header = ""
    reader = csv.reader(io.StringIO(text), dialect)
    i = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # A malformed record (e.g. a runaway quote): the rest is read as plain lines.
            rest = "\n".join(text.splitlines()[reader.line_num :])
            yield Chunk(
                text=rest, location=f"line {reader.line_num + 1}", member=ctx.member, line=reader.line_num + 1
            )
            return
        i += 1
        if i % 1000 == 0:
            ctx.check_deadline()
        if not any(c.strip() for c in row):
            continue
        row_text = "\t".join(row)
        yield Chunk(text=row_text, location=f"row {i}", member=ctx.member, context=header)
        if not header:
            header = row_text
