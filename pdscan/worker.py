"""What one worker does with one file: read (read-only) → extract → detect → FileResult."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from pdscan.extract import ExtractContext, ExtractError, Limits, NoText, extract
from pdscan.i18n import t
from pdscan.model import Chunk, FileRef, FileResult
from pdscan.sources import read_bytes


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    limits: Limits = field(default_factory=Limits)
    ner: str = "fast"  # "fast" | "deep" | "off"


def error_message(e: BaseException) -> str:
    """The user-facing reason; a parser's own message may quote file content, so it is not shown."""
    if isinstance(e, ExtractError):
        return str(e)
    if isinstance(e, MemoryError):
        return t("out_of_memory")
    if isinstance(e, RecursionError):
        return t("too_deep_structure")
    return t("corrupt_or_unsupported", kind=type(e).__name__)


def _guarded(chunks: Iterator[Chunk], limits: Limits, errors: list[str]) -> Iterator[Chunk]:
    """Chunks for the detector. A failure part-way keeps what was read before it and records the
    rest as not read, so a file read in part still gives its findings plus an error record."""
    total = 0
    try:
        for chunk in chunks:
            total += len(chunk.text)
            if total > limits.max_chars:
                errors.append(t("text_too_long", n=f"{limits.max_chars:,}"))
                return
            yield chunk
    except Exception as e:  # noqa: BLE001
        errors.append(error_message(e))


class FileScanner:
    """Built once per worker process: the detector and its models load once."""

    def __init__(self, config: WorkerConfig):
        from pdscan.detect import Detector

        self.config = config
        self.detector = Detector(ner=config.ner)

    def scan(self, ref: FileRef) -> FileResult:
        limits = self.config.limits
        result = FileResult(ref=ref)
        if ref.size == 0:
            result.skipped = "empty"
            return result
        if ref.size > limits.max_file_bytes:
            result.errors.append(t("file_too_big", mb=limits.max_file_bytes // (1024 * 1024)))
            return result
        try:
            data = read_bytes(ref, limits.max_file_bytes)
        except PermissionError:
            result.errors.append(t("access_denied"))
            return result
        except FileNotFoundError:
            result.errors.append(t("file_vanished"))
            return result
        except OSError as e:
            result.errors.append(t("read_error", error=e.strerror or type(e).__name__))
            return result
        if len(data) > limits.max_file_bytes:
            result.errors.append(t("file_too_big", mb=limits.max_file_bytes // (1024 * 1024)))
            return result
        if not data:
            result.skipped = "empty"
            return result
        result.bytes_read = len(data)
        ctx = ExtractContext(
            limits=limits, name=ref.rel.rsplit("/", 1)[-1], deadline=time.monotonic() + limits.file_timeout
        )
        try:
            result.content_type, chunks = extract(data, ctx)
        except NoText as e:
            result.content_type = str(e)
            result.skipped = "no_text"
            return result
        except Exception as e:  # noqa: BLE001 — one bad file never stops the scan
            result.errors.append(error_message(e))
            return result
        detected = self.detector.scan(_guarded(chunks, limits, ctx.errors))
        result.findings = detected.findings
        result.persons = detected.persons
        # Extractors append what they could not read (a bad archive member) to ctx.errors.
        result.errors.extend(ctx.errors)
        return result
