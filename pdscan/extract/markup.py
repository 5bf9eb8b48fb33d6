"""HTML and XML via lxml, JSON via the standard library.

HTML: scripts and styles dropped; tables row by row (header row as context), other text grouped
by block and located by source line. XML: streamed with iterparse (memory stays flat), each
element's text and attribute values as "name: value" lines, located by source line. JSON: each
object's scalar members as a table row under its keys, located by the key path ($.staff[3]).
Markup that does not parse is still read, as plain text: the data is there either way.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from lxml import etree, html

from pdscan.extract import register
from pdscan.extract.base import ExtractContext
from pdscan.extract.office import GROUP_CHARS, ParagraphGroups, group_paragraphs, table_rows
from pdscan.extract.sniff import HTML, JSON, XML
from pdscan.extract.text import decode, extract_text, text_chunks
from pdscan.model import Chunk

# Bigger documents are read as plain text (every value is still there, only the structure is
# lost): a parsed JSON costs ~10× its size in memory, an HTML tree ~5×.
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_HTML_BYTES = 48 * 1024 * 1024

# ---- HTML -------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BLOCK = {
    "p", "div", "br", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "pre",
    "blockquote", "section", "article", "header", "footer", "address", "title", "option", "hr", "form",
}  # fmt: skip


def _html_text(data: bytes) -> str:
    """Decode with the page's own charset when it names one, else by detection."""
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # unknown or wrong charset in the page: detect it instead
    return decode(data)


def _cell_text(cell: etree._Element) -> str:
    """Text of a cell: inline tags join ("Иван<b>ов</b>"), block tags and <br> separate."""
    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        if el.tag in _BLOCK and el is not cell:
            parts.append(" ")
        if event == "start":
            if el.text:
                parts.append(el.text)
        elif el.tail and el is not cell:
            parts.append(el.tail)
    return " ".join("".join(parts).split())


def _html_rows(table: etree._Element) -> Iterator[str]:
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue  # a row of a nested table: part of its cell's text
        cells = []
        for c in tr:
            if c.tag in ("td", "th"):
                cells.append(_cell_text(c))
                span = c.get("colspan", "")
                if span.isdigit():  # later cells stay under their own headings
                    cells.extend([""] * min(int(span) - 1, 64))
        yield "\t".join(cells)


def _html_blocks(root: etree._Element) -> Iterator[tuple[int, str]]:
    """(source line, text) per block of running text, walking the tree once."""
    buf: list[str] = []
    line = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK and buf:
                yield line, " ".join("".join(buf).split())
                buf = []
            if not buf:
                line = el.sourceline or line
            if el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK:
                if buf:
                    yield line, " ".join("".join(buf).split())
                buf = []
            if el.tail and el is not root:
                if not buf:
                    line = el.sourceline or line
                buf.append(el.tail)
    if buf:
        yield line, " ".join("".join(buf).split())


@register(HTML, "application/xhtml+xml")
def extract_html(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if len(data) > MAX_HTML_BYTES:
        yield from extract_text(data, ctx)
        return
    # lxml refuses control characters; a damaged page may hold some.
    text = _CONTROL.sub(" ", _html_text(data))
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        # ValueError: a str with an XML encoding declaration; etree.ParserError: nothing to parse.
        try:
            root = html.document_fromstring(text.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
        except (etree.ParserError, ValueError):
            yield from extract_text(data, ctx)
            return
    etree.strip_elements(root, "script", "style", etree.Comment, with_tail=False)
    tables = [t for t in root.iter("table") if next(t.iterancestors("table"), None) is None]
    for n, table in enumerate(tables, start=1):
        ctx.check_deadline()
        yield from table_rows(_html_rows(table), f"table {n}", ctx)
    for table in tables:
        table.drop_tree()  # keeps its tail text
    ctx.check_deadline()
    yield from group_paragraphs(_html_blocks(root), "line", ctx)


# ---- XML --------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _xml_lines(data: bytes, ctx: ExtractContext) -> Iterator[tuple[int, str]]:
    """(source line, "name: value") for element text, attributes and mixed-content tails."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
    )
    n = 0
    for _, el in events:
        n += 1
        if n % 5000 == 0:
            ctx.check_deadline()
        line = el.sourceline or 0
        name = _local(el.tag)
        attrs = " ".join(f"{_local(k)}: {v}" for k, v in el.attrib.items() if v.strip())
        own = (el.text or "").strip()
        if own or attrs:
            yield line, " ".join(x for x in (name + (":" if own else ""), own, attrs) if x)
        # Tails of the children still attached (the earlier ones were read when they were freed).
        for child in el:
            if child.tail and child.tail.strip():
                yield child.sourceline or line, child.tail.strip()
        el.clear(keep_tail=True)
        # Free earlier siblings; read their tails first (complete now: this element came after them).
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                prev = el.getprevious()
                if prev.tail and prev.tail.strip():
                    yield prev.sourceline or line, prev.tail.strip()
                del parent[0]


@register(XML)
def extract_xml(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    groups = ParagraphGroups("line", ctx)
    try:
        for line, text in _xml_lines(data, ctx):
            chunk = groups.add(line, text)
            if chunk:
                yield chunk
    except etree.XMLSyntaxError as e:
        # Broken (or not XML at all): from the first line not yet handed on, read as plain text.
        start = groups.first if groups.buf else (e.position[0] if e.position else 1)
        yield from _text_from(data, max(start, 1), ctx)
        return
    chunk = groups.flush()
    if chunk:
        yield chunk


def _text_from(data: bytes, line: int, ctx: ExtractContext) -> Iterator[Chunk]:
    text = decode(data)
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if not pos:
            return
    yield from text_chunks(text[pos:], ctx, first_line=line)


# ---- JSON -------------------------------------------------------------------------------------


def _scalar(v: object) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return str(v)
    return None


def _json_chunks(doc: object, root: str, ctx: ExtractContext) -> Iterator[Chunk]:
    """Chunks located by key path ($.staff[3]).

    An object's scalar members become a table row: values joined by tabs, keys joined by tabs
    as the header (context), like a CSV row under its header, so "series" and "number" keys
    stay one passport. An array's scalars become lines, with the array's key as context.
    """
    stack: list[tuple[str, object]] = [(root, doc)]
    seen = 0
    while stack:
        path, node = stack.pop()
        seen += 1
        if seen % 2000 == 0:
            ctx.check_deadline()
        # The key naming this node ("паспорт" in $.staff[3].паспорт) heads each of its columns.
        parent = path.rsplit(".", 1)[-1] if "." in path and not path.endswith("]") else ""
        if isinstance(node, dict):
            pairs = [(str(k), s) for k, v in node.items() if (s := _scalar(v)) is not None and s.strip()]
            for group in _sized(pairs):
                yield Chunk(
                    text="\t".join(_one_cell(v) for _, v in group),
                    location=path,
                    member=ctx.member,
                    context="\t".join(_one_cell(f"{parent} {k}".strip()) for k, _ in group),
                )
            stack.extend(
                reversed([(f"{path}.{k}", v) for k, v in node.items() if isinstance(v, dict | list)])
            )
        elif isinstance(node, list):
            lines = [("", s) for v in node if (s := _scalar(v)) is not None and s.strip()]
            for group in _sized(lines):
                yield Chunk(
                    text="\n".join(v for _, v in group), location=path, member=ctx.member, context=parent
                )
            stack.extend(
                reversed([(f"{path}[{i}]", v) for i, v in enumerate(node) if isinstance(v, dict | list)])
            )
        else:
            text = _scalar(node)
            if text and text.strip():
                yield Chunk(text=text, location=path, member=ctx.member)


def _one_cell(s: str) -> str:
    """A value as one table cell: tabs and line breaks would shift the columns."""
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _sized(pairs: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """Consecutive groups of about GROUP_CHARS characters."""
    buf: list[tuple[str, str]] = []
    size = 0
    for pair in pairs:
        buf.append(pair)
        size += len(pair[1]) + 1
        if size >= GROUP_CHARS:
            yield buf
            buf, size = [], 0
    if buf:
        yield buf


@register(JSON)
def extract_json(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if len(data) > MAX_JSON_BYTES:
        yield from extract_text(data, ctx)
        return
    text = decode(data)
    try:
        doc = json.loads(text)
    except ValueError:
        yield from _json_lines(data, text, ctx)
        return
    yield from _json_chunks(doc, "$", ctx)


def _json_lines(data: bytes, text: str, ctx: ExtractContext) -> Iterator[Chunk]:
    """JSON Lines (one document per line); anything else that does not parse is read as text."""
    docs = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            docs.append((n, json.loads(line)))
        except ValueError:
            yield from extract_text(data, ctx)
            return
    for n, doc in docs:
        yield from _json_chunks(doc, f"line {n} $", ctx)
