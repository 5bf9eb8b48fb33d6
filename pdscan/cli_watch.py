"""`pdscan watch`: follow shared folders and alert at once (JSON lines on stdout, log, syslog, e-mail, hook)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys

import click

from pdscan.cli_common import (
    EXIT_CLEAN,
    EXIT_FAILED,
    lang_option,
    limits_from,
    load_policy_arg,
    reading_options,
    setup_logging,
)
from pdscan.i18n import t

log = logging.getLogger("pdscan")


@click.command("watch")
@click.argument("roots", nargs=-1, required=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="PDSCAN_DB",
    help="База находок (по умолчанию в каталоге данных).",
)
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
    "--smb-config",
    type=click.Path(exists=True, dir_okay=False),
    help="Файл с учётными данными SMB (права 0600) для корней smb://; пароли в командной строке не принимаются.",
)
@click.option("--no-initial-scan", is_flag=True, help="Не сверять изменения, сделанные до запуска.")
@click.option(
    "--no-initial-alerts",
    is_flag=True,
    help="Сверка при запуске записывает находки в базу без оповещений (первый запуск на большой папке).",
)
@reading_options
@lang_option
def watch(
    roots,
    policy_file,
    db,
    polling,
    poll_interval,
    debounce,
    alerts_config,
    jobs,
    smb_config,
    ner,
    no_ocr,
    max_file_size,
    file_timeout,
    follow_symlinks,
    archive_depth,
    no_initial_scan,
    no_initial_alerts,
    quiet,
    log_file,
):
    """Следить за папками ROOT (или smb://хост/папка) и сразу сообщать о новых ПДн и нарушениях.

    Оповещения — JSON-строки в stdout. Корни smb:// опрашиваются каждые --poll-interval секунд.
    """
    from pdscan.alerts import AlertConfigError, Alerter, load_alert_config
    from pdscan.scan import ScanOptions
    from pdscan.store import StoreError, open_store
    from pdscan.watch import Watcher, WatchOptions

    setup_logging(log_file, quiet, level=logging.INFO)  # a daemon: journald keeps INFO
    logging.getLogger("watchdog").setLevel(logging.WARNING)
    if any(r.lower().startswith("smb://") for r in roots):
        from pdscan.cli import _smb_roots  # the scan's check: address form and credentials (exit 2)

        roots = _smb_roots(list(roots), None, smb_config)
    for r in roots:
        if r.lower().startswith("smb://"):
            continue  # a host that is down at start is polled until it is back
        if not os.path.isdir(r):
            raise click.BadParameter(t("watch_root_not_found", path=r), param_hint="ROOT")
    policy, policy_version = load_policy_arg(policy_file)
    try:
        alert_config = load_alert_config(alerts_config)
    except AlertConfigError as e:
        raise click.UsageError(str(e)) from None
    options = WatchOptions(
        scan=ScanOptions(
            jobs=jobs,
            limits=limits_from(max_file_size, file_timeout, archive_depth, no_ocr),
            follow_symlinks=follow_symlinks,
            ner=ner,
            policy=policy,
            policy_version=policy_version,
            as_of=dt.date.today(),
        ),
        polling=polling,
        debounce=debounce,
        poll_interval=poll_interval,
        initial_scan=not no_initial_scan,
        initial_alerts=not no_initial_alerts,
    )
    try:
        alerter = Alerter(alert_config)
    except AlertConfigError as e:
        raise click.UsageError(str(e)) from None
    watcher = Watcher(list(roots), options, lambda: open_store(db), alerter)

    def on_signal(signum, frame):
        log.info(t("w_signal"), signal.Signals(signum).name)
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
