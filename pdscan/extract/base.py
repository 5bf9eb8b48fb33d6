"""What every extractor shares: limits, the per-file context, and the error kinds."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pdscan.i18n import t
from pdscan.model import Chunk


@dataclass(frozen=True, slots=True)
class Limits:
    """Every limit is a setting with a sane default."""

    max_file_bytes: int = 256 * 1024 * 1024
    file_timeout: float = 120.0  # seconds for one file, all members included
    max_archive_depth: int = 3
    max_archive_entries: int = 10_000
    max_entry_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024  # uncompressed, per outer file
    max_ratio: float = 200.0  # uncompressed / compressed, per entry
    max_pages: int = 5_000
    max_chars: int = 64 * 1024 * 1024  # text handed to the detector, per file
    ocr: bool = True
    ocr_page_seconds: float = 30.0
    ocr_scan_seconds: float = 3600.0  # OCR budget for a whole scan, per worker


class ExtractError(Exception):
    """The file (or a member) holds or may hold data but could not be read. Message is user-facing."""


class EncryptedError(ExtractError):
    pass


class LimitExceeded(ExtractError):
    pass


class NoText(Exception):
    """A type with no text to read (executable, media without OCR): counted as skipped, not an error."""


@dataclass(slots=True)
class ByteCounter:
    value: int = 0


@dataclass(slots=True)
class ExtractContext:
    """Per-file state handed to every extractor, archive members included."""

    limits: Limits
    name: str = ""  # file name (or member name) — a hint only, content decides the type
    member: str | None = None  # current member path ("a.zip!/b.docx"), None for the file itself
    depth: int = 0  # archive nesting depth
    deadline: float = 0.0  # time.monotonic() after which extraction stops
    errors: list[str] = field(default_factory=list)  # what was not read, for a partial result
    # Set by the dispatcher: extract an inner item (archive member, attachment) recursively.
    nested: Callable[[bytes, str, ExtractContext], Iterator[Chunk]] | None = None
    # Uncompressed bytes taken from archives so far; shared by all levels of one file.
    taken: ByteCounter = field(default_factory=lambda: ByteCounter())

    def check_deadline(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            raise LimitExceeded(t("file_timeout", s=self.limits.file_timeout))

    def child(self, name: str) -> ExtractContext:
        """Context for an inner item named `name` (member path joined with "!/")."""
        member = f"{self.member}!/{name}" if self.member else name
        return ExtractContext(
            limits=self.limits,
            name=name,
            member=member,
            depth=self.depth + 1,
            deadline=self.deadline,
            errors=self.errors,
            nested=self.nested,
            taken=self.taken,
        )


Extractor = Callable[[bytes, ExtractContext], Iterator[Chunk]]
