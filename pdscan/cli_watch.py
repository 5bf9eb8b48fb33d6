"""`pdscan watch`: follow shared folders and alert at once (JSON lines on stdout, log, syslog, e-mail, hook)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys

import click

from pdscan.cli import EXIT_CLEAN, EXIT_FAILED, _lang_option
from pdscan.extract import Limits

log = logging.getLogger("pdscan")


def _setup_logging(log_file: str | None, quiet: bool) -> None:
    # A daemon: INFO to stderr (journald keeps it) unless --quiet, and to the log file if given.
    handlers: list[logging.Handler] = []
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    if not quiet:
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        handlers=handlers or [logging.NullHandler()],
        force=True,
    )
    logging.getLogger("watchdog").setLevel(logging.WARNING)


@click.command("watch")
@click.argument("roots", nargs=-1, required=True)
@click.option(
    "--policy", "policy_file", type=click.Path(exists=True, dir_okay=False), help="Файл политики (YAML)."
)
@click.option("--db", type=click.Path(dir_okay=False), help="База находок (по умолчанию в каталоге данных).")
@click.option("--polling", is_flag=True, help="Опрашивать папки, а не ждать уведомлений ядра (inotify).")
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Период опроса, с.",
)
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Файл считается дописанным, когда размер и время изменения не меняются столько секунд.",
)
@click.option(
    "--alerts-config",
    type=click.Path(exists=True, dir_okay=False),
    help="Настройки оповещений (YAML): файл журнала, syslog, e-mail, команда.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=2, show_default=True, help="Число процессов."
)
@click.option(
    "--ner",
    type=click.Choice(["fast", "deep", "off"]),
    default="fast",
    show_default=True,
    help="Поиск ФИО, адресов и дат рождения.",
)
@click.option("--no-ocr", is_flag=True, help="Не распознавать текст на изображениях.")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Предел размера файла, МБ.",
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=1),
    default=120,
    show_default=True,
    help="Предел времени на файл, с.",
)
@click.option("--follow-symlinks", is_flag=True, help="Следовать символическим ссылкам.")
@click.option("--no-initial-scan", is_flag=True, help="Не сверять изменения, сделанные до запуска.")
@click.option(
    "--no-initial-alerts",
    is_flag=True,
    help="Сверка при запуске записывает находки в базу без оповещений (первый запуск на большой папке).",
)
@click.option("--quiet", "-q", is_flag=True, help="Без сообщений в stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Журнал работы (оповещения тоже пишутся).")
@_lang_option
def watch(
    roots,
    policy_file,
    db,
    polling,
    poll_interval,
    debounce,
    alerts_config,
    jobs,
    ner,
    no_ocr,
    max_file_size,
    file_timeout,
    follow_symlinks,
    no_initial_scan,
    no_initial_alerts,
    quiet,
    log_file,
):
    """Следить за папками ROOT и сразу сообщать о новых ПДн и нарушениях (JSON-строки в stdout)."""
    from pdscan.alerts import AlertConfigError, Alerter, load_alert_config
    from pdscan.scan import ScanOptions
    from pdscan.store import StoreError, open_store
    from pdscan.watch import Watcher, WatchOptions

    _setup_logging(log_file, quiet)
    for r in roots:
        if r.startswith("smb://"):
            raise click.BadParameter(
                "для smb:// подключите ресурс (mount -t cifs) и укажите путь", param_hint="ROOT"
            )
        if not os.path.isdir(r):
            raise click.BadParameter(f"папка не найдена: {r}", param_hint="ROOT")
    policy = None
    if policy_file:
        from pdscan.policy import PolicyError, load_policy

        try:
            policy = load_policy(policy_file)
        except PolicyError as e:
            raise click.UsageError(str(e)) from None
    try:
        alert_config = load_alert_config(alerts_config)
    except AlertConfigError as e:
        raise click.UsageError(str(e)) from None
    options = WatchOptions(
        scan=ScanOptions(
            jobs=jobs,
            limits=Limits(
                max_file_bytes=max_file_size * 1024 * 1024, file_timeout=file_timeout, ocr=not no_ocr
            ),
            follow_symlinks=follow_symlinks,
            ner=ner,
            policy=policy,
            as_of=dt.date.today(),
        ),
        polling=polling,
        debounce=debounce,
        poll_interval=poll_interval,
        initial_scan=not no_initial_scan,
        initial_alerts=not no_initial_alerts,
    )
    if policy_file:
        import hashlib

        with open(policy_file, "rb") as pf:  # the same digest `scan` keeps, so both reuse each other's rows
            options.scan.policy_version = hashlib.sha256(pf.read()).hexdigest()[:16]
    try:
        alerter = Alerter(alert_config)
    except AlertConfigError as e:
        raise click.UsageError(str(e)) from None
    watcher = Watcher(list(roots), options, lambda: open_store(db), alerter)

    def on_signal(signum, frame):
        log.info("получен сигнал %s, остановка", signal.Signals(signum).name)
        watcher.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        watcher.run()
    except StoreError as e:
        click.echo(f"pdscan: {e}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        alerter.close()
    sys.exit(EXIT_CLEAN)
