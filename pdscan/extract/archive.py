"""Archives: zip, 7z, tar, gz/bz2/xz, rar. Members are extracted recursively via ctx.nested.

Guards count the bytes actually decompressed, never the sizes written in headers:
entries per archive, bytes per entry, bytes per outer file (ctx.taken, shared by all
nesting levels) and the compression ratio of each entry. A bomb ends as LimitExceeded,
which aborts the whole file (the chunks yielded so far still count). A corrupt or
encrypted member is noted in ctx.errors and the other members are read.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import re
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from pdscan.extract import register
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, LimitExceeded
from pdscan.i18n import t
from pdscan.model import Chunk

BLOCK = 256 * 1024
# The ratio guard only judges entries past this size: small text compresses well legitimately.
RATIO_FLOOR = 1024 * 1024

# Errors a damaged member raises inside the libraries we use.
_MEMBER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    tarfile.TarError,
)


class Guard:
    """Counts real decompressed bytes of one archive against the limits."""

    def __init__(self, ctx: ExtractContext) -> None:
        self.ctx = ctx
        self.limits = ctx.limits
        self.entries = 0

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_archive_entries:
            raise LimitExceeded(t("archive_too_many", n=self.limits.max_archive_entries))
        self.ctx.check_deadline()

    def add(self, produced: int, entry_total: int, compressed: int) -> None:
        """Account `produced` new bytes of an entry that has yielded `entry_total` so far."""
        lim = self.limits
        self.ctx.taken.value += produced
        if self.ctx.taken.value > lim.max_total_bytes:
            raise LimitExceeded(t("unpacked_too_big", mb=lim.max_total_bytes // (1024 * 1024)))
        if entry_total > RATIO_FLOOR and entry_total > lim.max_ratio * max(compressed, 1):
            raise LimitExceeded(t("ratio_too_big", ratio=lim.max_ratio))


class EntryTooBig(ExtractError):
    """One member is over max_entry_bytes: skip it, read the others."""


def read_stream(
    f: BinaryIO, guard: Guard, compressed: int, compressed_now: Callable[[], int] | None = None
) -> bytes:
    """Read a decompressing stream in blocks, counting real bytes against the limits.

    `compressed` is the compressed size of the entry; `compressed_now`, when given, tells
    how much compressed input was consumed so far (a tighter ratio for single streams).
    """
    out = bytearray()
    max_entry = guard.limits.max_entry_bytes
    while True:
        block = f.read(BLOCK)
        if not block:
            return bytes(out)
        out += block
        guard.add(len(block), len(out), compressed_now() if compressed_now else compressed)
        if len(out) > max_entry:
            raise EntryTooBig(t("member_too_big", mb=max_entry // (1024 * 1024)))


def _member_error(ctx: ExtractContext, name: str, e: BaseException) -> None:
    where = f"{ctx.member}!/{name}" if ctx.member else name
    if isinstance(e, ExtractError):
        msg = str(e)
    elif "password" in str(e).lower() or "encrypt" in str(e).lower():
        msg = t("member_encrypted")
    else:
        msg = t("member_corrupt", kind=type(e).__name__)
    ctx.errors.append(f"{where}: {msg}")


# More containers than this past the depth limit in one file is a 42.zip-style bomb.
MAX_TOO_DEEP = 64
# Matches the note in either language (a note is counted up, not written twice).
_DEEP_NOTE = re.compile(
    r"^(?:вложенные архивы глубже \d+ уровней не раскрыты|nested archives beyond depth \d+ not opened): (\d+) "
)


def too_deep(ctx: ExtractContext) -> bool:
    """A container (archive, letter's attachments) whose items would pass the nesting limit is
    not opened. One note per file counts them and names the first; the items beside them are
    still read. Past MAX_TOO_DEEP such containers the file is a bomb (LimitExceeded)."""
    lim = ctx.limits.max_archive_depth
    if ctx.depth + 1 <= lim:
        return False
    where = ctx.member or ctx.name or t("a_file")
    for i, note in enumerate(ctx.errors):
        m = _DEEP_NOTE.match(note)
        if m:
            n = int(m.group(1)) + 1
            if n > MAX_TOO_DEEP:
                raise LimitExceeded(t("deep_many", n=MAX_TOO_DEEP, lim=lim))
            ctx.errors[i] = note.replace(f": {m.group(1)} ", f": {n} ", 1)
            return True
    ctx.errors.append(t("deep_note", lim=lim, n=1, where=where))
    return True


def _nested(data: bytes, name: str, ctx: ExtractContext) -> Iterator[Chunk]:
    """Extract one member. Bombs and the file's time limit (LimitExceeded) end the file; a
    corrupt, encrypted or oversized member is noted and the others are read."""
    assert ctx.nested is not None
    try:
        yield from ctx.nested(data, name, ctx)
    except LimitExceeded:
        raise
    except ExtractError as e:
        _member_error(ctx, name, e)


def _all_encrypted(total: int, encrypted: int) -> None:
    if total and encrypted == total:
        raise EncryptedError(t("archive_encrypted"))


# ---------------------------------------------------------------- zip


def zip_name(info: zipfile.ZipInfo) -> str:
    """Member name of a zip without the UTF-8 flag: the Info-ZIP Unicode Path field if present,
    else UTF-8 if the bytes are valid UTF-8 (Linux and macOS archivers), else cp866 — the OEM
    code page Russian Windows and DOS archivers wrote."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return name
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path:
        return unicode_path
    if raw.isascii():
        return name
    try:
        return raw.decode("utf-8").replace("\\", "/")
    except UnicodeDecodeError:
        return raw.decode("cp866").replace("\\", "/")


def _unicode_path_extra(extra: bytes, raw: bytes) -> str | None:
    """The 0x7075 extra field: version 1, CRC-32 of the header name, the name in UTF-8."""
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if tag == 0x7075 and len(body) > 5 and body[0] == 1:
            if struct.unpack_from("<I", body, 1)[0] == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def _raw_name_len(info: zipfile.ZipInfo) -> int:
    """Length of the name as stored: UTF-8 with the flag, else the cp437 bytes zipfile decoded."""
    enc = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(enc))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8", "surrogateescape"))


def check_overlap(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Entries whose data overlap (one compressed stream shared by many entries) are a bomb."""
    prev_end = -1
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < prev_end:
            raise LimitExceeded(t("zip_overlap"))
        # 30 bytes of local header plus the name; the local extra field may add more.
        prev_end = info.header_offset + 30 + _raw_name_len(info)
        prev_end += info.compress_size
        if info.header_offset > size:
            raise ExtractError(t("zip_offset"))


def iter_zip(data: bytes, ctx: ExtractContext) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) of every readable file member of a zip under the guards."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error) as e:
        raise ExtractError(t("archive_corrupt", kind="zip", error=type(e).__name__)) from e
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > ctx.limits.max_archive_entries:
            raise LimitExceeded(t("archive_too_many", n=ctx.limits.max_archive_entries))
        check_overlap(infos, len(data))
        guard = Guard(ctx)
        encrypted = 0
        for info in infos:
            guard.entry()
            name = zip_name(info)
            if info.flag_bits & 0x1:
                encrypted += 1
                ctx.errors.append(f"{_where(ctx, name)}: {t('member_encrypted')}")
                continue
            try:
                with zf.open(info) as f:
                    body = read_stream(f, guard, info.compress_size)
            except LimitExceeded:
                raise
            except (EntryTooBig, *_MEMBER_ERRORS) as e:
                _member_error(ctx, name, e)
                continue
            yield name, body
        _all_encrypted(len(infos), encrypted)


def _where(ctx: ExtractContext, name: str) -> str:
    return f"{ctx.member}!/{name}" if ctx.member else name


@register("application/zip")
def extract_zip(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if too_deep(ctx):
        return
    for name, body in iter_zip(data, ctx):
        yield from _nested(body, name, ctx)


# ---------------------------------------------------------------- 7z


@register("application/x-7z-compressed")
def extract_7z(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    import py7zr
    from py7zr.exceptions import Bad7zFile, PasswordRequired, UnsupportedCompressionMethodError

    if too_deep(ctx):
        return
    guard = Guard(ctx)
    try:
        arc = py7zr.SevenZipFile(io.BytesIO(data), mode="r")
    except PasswordRequired as e:  # encrypted headers: even the names are hidden
        raise EncryptedError(t("archive_encrypted")) from e
    except (Bad7zFile, *_MEMBER_ERRORS) as e:
        if "password" in str(e).lower():
            raise EncryptedError(t("archive_encrypted")) from e
        raise ExtractError(t("archive_corrupt", kind="7z", error=type(e).__name__)) from e
    with arc:
        files = [f for f in arc.list() if not f.is_directory]
        if len(files) > ctx.limits.max_archive_entries:
            raise LimitExceeded(t("archive_too_many", n=ctx.limits.max_archive_entries))
        if files and arc.needs_password():
            raise EncryptedError(t("archive_encrypted"))
        _check_7z_declared(files, len(data), ctx)
        compressed = len(data)
        factory = _SevenZipFactory(guard, compressed)
        try:
            arc.extract(factory=factory)
        except (LimitExceeded, EntryTooBig):
            raise
        except (PasswordRequired, UnsupportedCompressionMethodError, Bad7zFile, *_MEMBER_ERRORS) as e:
            # A solid block broke: what was decompressed before it is still read.
            ctx.errors.append(f"{_where(ctx, '*')}: {t('archive_part_unread', error=type(e).__name__)}")
    for name, body in factory.done:
        yield from _nested(body, name, ctx)


def _check_7z_declared(files, compressed: int, ctx: ExtractContext) -> None:
    """Refuse a 7z by its declared sizes before decompressing anything.

    py7zr decompresses a member in one call up to its declared size, so a bomb would be
    allocated before the first byte could be counted. Declared sizes bound what py7zr
    produces (a lying header only truncates), and the writer still counts real bytes.
    """
    lim = ctx.limits
    sizes = [int(getattr(f, "uncompressed", 0) or 0) for f in files]
    if any(n > lim.max_entry_bytes for n in sizes):
        raise LimitExceeded(t("member_7z_too_big", mb=lim.max_entry_bytes // 2**20))
    total = sum(sizes)
    if ctx.taken.value + total > lim.max_total_bytes:
        raise LimitExceeded(t("unpacked_too_big", mb=lim.max_total_bytes // (1024 * 1024)))
    if total > RATIO_FLOOR and total > lim.max_ratio * max(compressed, 1):
        raise LimitExceeded(t("ratio_too_big", ratio=lim.max_ratio))


class _SevenZipWriter:
    """Receives one member from py7zr; counts bytes as they are written."""

    def __init__(self, factory: _SevenZipFactory, name: str) -> None:
        self.factory = factory
        self.name = name
        self.buf = bytearray()

    def write(self, s: bytes | bytearray) -> int:
        self.buf += s
        guard = self.factory.guard
        # A 7z entry has no compressed size of its own (solid blocks): judge the whole archive.
        guard.add(len(s), self.factory.produced + len(self.buf), self.factory.compressed)
        if len(self.buf) > guard.limits.max_entry_bytes:
            raise LimitExceeded(
                t("named_member_too_big", name=self.name, mb=guard.limits.max_entry_bytes // 2**20)
            )
        return len(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return len(self.buf)

    def close(self) -> None:
        self.factory.produced += len(self.buf)
        self.factory.done.append((self.name, bytes(self.buf)))
        self.buf = bytearray()


class _SevenZipFactory:
    def __init__(self, guard: Guard, compressed: int) -> None:
        self.guard = guard
        self.compressed = compressed
        self.produced = 0
        self.done: list[tuple[str, bytes]] = []

    def create(self, filename: str) -> _SevenZipWriter:
        self.guard.entry()
        return _SevenZipWriter(self, filename)


# ---------------------------------------------------------------- tar


@register("application/x-tar")
def extract_tar(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if too_deep(ctx):
        return
    try:
        tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:")
    except (tarfile.TarError, OSError, EOFError) as e:
        raise ExtractError(t("archive_corrupt", kind="tar", error=type(e).__name__)) from e
    guard = Guard(ctx)
    with tf:
        while True:
            try:
                info = tf.next()
            except (tarfile.TarError, OSError, EOFError, ValueError) as e:
                ctx.errors.append(f"{_where(ctx, '*')}: {t('tar_partial')}")
                del e
                break
            if info is None:
                break
            if not info.isfile():
                continue
            guard.entry()
            try:
                f = tf.extractfile(info)
                if f is None:
                    continue
                # A tar member is stored, not compressed; a sparse member is judged by its stored size.
                body = read_stream(f, guard, max(info.size if not info.issparse() else 1, 1))
            except LimitExceeded:
                raise
            except (EntryTooBig, *_MEMBER_ERRORS) as e:
                _member_error(ctx, info.name, e)
                continue
            yield from _nested(body, info.name, ctx)


# ---------------------------------------------------------------- single-stream compressors


IN_CHUNK = 16 * 1024  # compressed input fed per step: the ratio is judged on what was really consumed


class _Decoder:
    """One compressed stream behind a common face: zlib (gzip wrapper), bz2 or lzma."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "gzip":
            self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif kind == "bzip2":
            self.d = bz2.BZ2Decompressor()
        else:
            self.d = lzma.LZMADecompressor()

    def feed(self, buf: bytes, max_out: int) -> tuple[bytes, bytes, bool]:
        """(output, input left over, end of stream). Input left over after the end is the next stream."""
        out = self.d.decompress(buf, max_out)
        if self.d.eof:
            return out, self.d.unused_data, True
        if self.kind == "gzip":
            return out, self.d.unconsumed_tail, False
        return out, b"", False  # bz2/lzma keep unread input inside; decompress(b"") goes on

    def has_more(self) -> bool:
        """Output still pending without new input."""
        if self.kind == "gzip":
            return False
        return not self.d.needs_input


def decompress_stream(data: bytes, kind: str, guard: Guard, ctx: ExtractContext) -> bytes:
    """Decompress a whole .gz/.bz2/.xz (concatenated streams included) in small steps, counting
    real output against the limits and the compressed input actually consumed for the ratio."""
    out = bytearray()
    max_entry = guard.limits.max_entry_bytes
    dec = _Decoder(kind)
    pos = 0
    buf = b""
    ended = False
    while True:
        if not buf and not dec.has_more():
            if pos >= len(data):
                break
            buf = data[pos : pos + IN_CHUNK]
            pos += len(buf)
        piece, buf, ended = dec.feed(buf, BLOCK)
        if piece:
            out += piece
            guard.add(len(piece), len(out), max(pos - len(buf), 1))
            if len(out) > max_entry:
                raise LimitExceeded(t("unpacked_file_too_big", mb=max_entry // (1024 * 1024)))
        if ended:
            # Zeros to the end are padding (tape blocks); anything else is the next stream.
            # (Checked without joining buf and the rest: a bomb may hold 65 000 tiny streams.)
            if not buf.strip(b"\0") and (pos >= len(data) or not data[pos:].strip(b"\0")):
                break
            dec = _Decoder(kind)  # the next of concatenated streams
            ended = False
        elif not piece and not buf and pos >= len(data) and not dec.has_more():
            break
    if not ended and not dec.d.eof:
        if not out:
            raise ExtractError(t("truncated"))
        ctx.errors.append(f"{ctx.member or ctx.name or t('a_file')}: {t('truncated_partial')}")
    return bytes(out)


def _inner_name(name: str, exts: tuple[str, ...]) -> str:
    base = os.path.basename(name) or "data"
    low = base.lower()
    for ext in exts:
        if low.endswith(ext):
            return base[: -len(ext)] or "data"
    if low.endswith((".tgz", ".tbz2", ".txz")):
        return base[:-4] + ".tar"
    return base


def _single_stream(data: bytes, ctx: ExtractContext, kind: str, exts: tuple[str, ...]) -> Iterator[Chunk]:
    if too_deep(ctx):
        return
    guard = Guard(ctx)
    guard.entry()
    try:
        body = decompress_stream(data, kind, guard, ctx)
    except (zlib.error, OSError, EOFError, ValueError, lzma.LZMAError) as e:
        raise ExtractError(t("compressed_corrupt", kind=kind, error=type(e).__name__)) from e
    name = _inner_name(ctx.name, exts)
    from pdscan.extract.sniff import sniff

    if sniff(body, name) == "application/x-tar":
        # a.tar.gz: members sit right under the outer file, not under a synthetic "a.tar".
        yield from extract_tar(body, ctx)
        return
    yield from _nested(body, name, ctx)


@register("application/gzip")
def extract_gz(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from _single_stream(data, ctx, "gzip", (".gz", ".gzip"))


@register("application/x-bzip2")
def extract_bz2(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from _single_stream(data, ctx, "bzip2", (".bz2",))


@register("application/x-xz", "application/x-lzma")
def extract_xz(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    yield from _single_stream(data, ctx, "xz", (".xz", ".lzma"))


# ---------------------------------------------------------------- rar


@register("application/x-rar", "application/vnd.rar", "application/x-rar-compressed")
def extract_rar(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    """rarfile reads stored members itself; compressed ones go through unrar, unar or bsdtar."""
    import rarfile

    if too_deep(ctx):
        return
    try:
        rf = rarfile.RarFile(io.BytesIO(data))
    except rarfile.PasswordRequired as e:  # encrypted headers: even the names are hidden
        raise EncryptedError(t("archive_encrypted")) from e
    except rarfile.RarCannotExec as e:
        raise ExtractError(t("no_rar_tool")) from e
    except (rarfile.Error, *_MEMBER_ERRORS) as e:
        raise ExtractError(t("archive_corrupt", kind="rar", error=type(e).__name__)) from e
    with rf:
        infos = [i for i in rf.infolist() if not i.is_dir()]
        if len(infos) > ctx.limits.max_archive_entries:
            raise LimitExceeded(t("archive_too_many", n=ctx.limits.max_archive_entries))
        guard = Guard(ctx)
        encrypted = read = no_tool = 0
        for info in infos:
            guard.entry()
            name = info.filename
            if info.needs_password():
                encrypted += 1
                ctx.errors.append(f"{_where(ctx, name)}: {t('member_encrypted')}")
                continue
            try:
                with rf.open(info) as f:
                    body = read_stream(f, guard, max(info.compress_size, 1))
            except LimitExceeded:
                raise
            except rarfile.RarCannotExec:
                no_tool += 1
                continue
            except (EntryTooBig, rarfile.Error, *_MEMBER_ERRORS) as e:
                _member_error(ctx, name, e)
                continue
            read += 1
            yield from _nested(body, name, ctx)
        _all_encrypted(len(infos), encrypted)
        if no_tool:
            if not read:
                raise ExtractError(t("no_rar_tool"))
            ctx.errors.append(f"{_where(ctx, '*')}: {t('rar_unread', n=no_tool, why=t('no_rar_tool'))}")
