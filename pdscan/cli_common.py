"""What `scan` and `watch` share on the command line: exit codes, logging, --lang, and the options
that say how files are read (policy, NER, OCR, limits, symlinks, logging)."""

from __future__ import annotations

import hashlib
import logging
import os
import sys

import click

from pdscan.extract import Limits

EXIT_CLEAN, EXIT_FOUND, EXIT_FAILED = 0, 1, 2


def setup_logging(log_file: str | None, quiet: bool, level: int = logging.WARNING) -> None:
    """Log to stderr unless --quiet, and to --log-file at INFO at least."""
    handlers: list[logging.Handler] = []
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        level = min(level, logging.INFO)
    if not quiet:
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(message)s",
        handlers=handlers or [logging.NullHandler()],
        force=True,
    )


def lang_option(f):
    def set_lang(ctx, param, value):
        if value:
            os.environ["PDSCAN_LANG"] = value
        return value

    return click.option(
        "--lang",
        type=click.Choice(["ru", "en"]),
        expose_value=False,
        callback=set_lang,
        is_eager=True,
        help="Язык сообщений и отчётов (ru по умолчанию).",
    )(f)


# Applied bottom-up, so the list reads in the order --help shows them.
_READING_OPTIONS = [
    click.option(
        "--policy", "policy_file", type=click.Path(exists=True, dir_okay=False), help="Файл политики (YAML)."
    ),
    click.option(
        "--ner",
        type=click.Choice(["fast", "deep", "off"]),
        default="fast",
        show_default=True,
        help="Поиск ФИО, адресов и дат рождения: fast, deep (медленнее, natasha) или off.",
    ),
    click.option("--no-ocr", is_flag=True, help="Не распознавать текст на изображениях."),
    click.option(
        "--follow-symlinks", is_flag=True, help="Следовать символическим ссылкам (с защитой от циклов)."
    ),
    click.option(
        "--max-file-size",
        type=click.IntRange(min=1),
        default=256,
        show_default=True,
        help="Предел размера файла, МБ.",
    ),
    click.option(
        "--file-timeout",
        type=click.FloatRange(min=1),
        default=120,
        show_default=True,
        help="Предел времени на файл, с.",
    ),
    click.option(
        "--archive-depth",
        type=click.IntRange(min=0),
        default=3,
        show_default=True,
        help="Глубина вложенности архивов.",
    ),
    click.option("--quiet", "-q", is_flag=True, help="Без прогресса и сообщений (для cron и systemd)."),
    click.option("--log-file", type=click.Path(dir_okay=False), help="Журнал работы."),
]


def reading_options(f):
    """The options of every command that reads files: policy, detection and limits, logging."""
    for option in reversed(_READING_OPTIONS):
        f = option(f)
    return f


def limits_from(max_file_size: int, file_timeout: float, archive_depth: int, no_ocr: bool) -> Limits:
    return Limits(
        max_file_bytes=max_file_size * 1024 * 1024,
        file_timeout=file_timeout,
        max_archive_depth=archive_depth,
        ocr=not no_ocr,
    )


def load_policy_arg(policy_file: str | None):
    """(Policy or None, version). The version is the file's digest: the store keeps it with each
    file, so `scan` and `watch` on the same policy reuse each other's rows. Bad file → exit 2 with
    the line number."""
    if not policy_file:
        return None, ""
    from pdscan.policy import PolicyError, load_policy

    try:
        policy = load_policy(policy_file)
    except PolicyError as e:
        raise click.UsageError(str(e)) from None
    with open(policy_file, "rb") as f:
        return policy, hashlib.sha256(f.read()).hexdigest()[:16]
