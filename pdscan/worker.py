"""What one worker does with one file: read (read-only) → extract → detect → FileResult."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pdscan.extract import ExtractContext, ExtractError, Limits, NoText, extract
from pdscan.model import FileRef, FileResult
from pdscan.sources import read_bytes


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    limits: Limits = field(default_factory=Limits)
    ner: str = "fast"  # "fast" | "deep" | "off"


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
            result.errors.append(
                f"файл больше лимита ({limits.max_file_bytes // (1024 * 1024)} МБ), не прочитан"
            )
            return result
        try:
            data = read_bytes(ref, limits.max_file_bytes)
        except PermissionError:
            result.errors.append("доступ запрещён")
            return result
        except FileNotFoundError:
            result.errors.append("файл исчез во время сканирования")
            return result
        except OSError as e:
            result.errors.append(f"ошибка чтения: {e.strerror or type(e).__name__}")
            return result
        if len(data) > limits.max_file_bytes:
            result.errors.append(
                f"файл больше лимита ({limits.max_file_bytes // (1024 * 1024)} МБ), не прочитан"
            )
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
            detected = self.detector.scan(chunks)
            result.findings = detected.findings
            result.persons = detected.persons
        except NoText as e:
            result.content_type = str(e)
            result.skipped = "no_text"
        except ExtractError as e:
            result.errors.append(str(e))
        except MemoryError:
            result.errors.append("недостаточно памяти для обработки файла")
        except RecursionError:
            result.errors.append("слишком глубокая вложенность структуры файла")
        except (
            Exception
        ) as e:  # a parser bug must not stop the scan; its message may quote content, so not shown
            result.errors.append(f"файл повреждён или не поддерживается ({type(e).__name__})")
        # Extractors append what they could not read (a bad archive member) to ctx.errors.
        result.errors.extend(ctx.errors)
        return result
