"""`pdscan diff` (what a scan changed) and `pdscan schedule` (systemd timer or cron line)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pdscan.cli_common import lang_option
from pdscan.i18n import t

EXIT_FAILED = 2


def _db_option(f):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar="PDSCAN_DB",
        help="База результатов (по умолчанию в каталоге данных пользователя).",
    )(f)


@click.command("diff")
@_db_option
@click.option(
    "--scan", "scan_id", type=int, default=None, help="Номер сканирования (по умолчанию последнее)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl"]),
    default="table",
    show_default=True,
    help="Формат.",
)
@lang_option
def diff_command(db_path, scan_id, fmt):
    """Что нового, что изменилось и что устранено со времени предыдущего сканирования тех же папок."""
    from pdscan.diff import change_record, render_table, summary_record
    from pdscan.store import StoreError, default_db_path, open_store

    path = Path(db_path) if db_path else default_db_path()
    if not path.exists():
        click.echo("pdscan: " + t("diff_no_db", path=path), err=True)
        sys.exit(EXIT_FAILED)
    try:
        store = open_store(path)
    except StoreError as e:
        click.echo(f"pdscan: {e}", err=True)
        sys.exit(EXIT_FAILED)
    with store:
        scan = store.scan(scan_id)
        if scan is None:
            what = t("scan_not_found", id=scan_id) if scan_id else t("no_scans_yet")
            click.echo(f"pdscan: {what}", err=True)
            sys.exit(EXIT_FAILED)
        changes = store.changes(scan["id"])
        if fmt == "jsonl":
            for row in changes:
                click.echo(json.dumps(change_record(row), ensure_ascii=False))
            click.echo(json.dumps(summary_record(scan), ensure_ascii=False))
        else:
            click.echo(render_table(scan, changes), nl=False)


@click.command(
    "schedule", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False}
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--cron", "cron", is_flag=True, help="Вывести строку crontab вместо таймера systemd.")
@click.option("--time", "at", default="02:00", show_default=True, help="Ежедневный запуск в ЧЧ:ММ.")
@click.option("--on-calendar", default=None, help="Выражение OnCalendar= systemd вместо --time.")
@click.option(
    "--cron-spec", default=None, help='Пять полей расписания cron вместо --time, например "30 1 * * 1-5".'
)
@click.option("--name", default="pdscan-scan", show_default=True, help="Имя службы и таймера.")
@click.option("--install", "do_install", is_flag=True, help="Записать файлы службы и таймера systemd.")
@click.option("--user", "user_units", is_flag=True, help="Пользовательские юниты (~/.config/systemd/user).")
@click.option(
    "--unit-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Каталог для --install (по умолчанию /etc/systemd/system для root, иначе ~/.config/systemd/user).",
)
@lang_option
def schedule_command(command, cron, at, on_calendar, cron_spec, name, do_install, user_units, unit_dir):
    """Плановый запуск: pdscan schedule [ПАРАМЕТРЫ] -- pdscan scan /srv/share --policy policy.yaml

    Печатает пару служба + таймер systemd (или строку crontab с --cron); с --install записывает их.
    """
    from pdscan.schedule import (
        Schedule,
        ScheduleError,
        cron_line,
        enable_hint,
        install,
        service_text,
        timer_text,
    )

    try:
        s = Schedule(
            command=list(command),
            name=name,
            time=at,
            on_calendar=on_calendar,
            cron_spec=cron_spec,
            user=user_units,
        )
    except ScheduleError as e:
        raise click.UsageError(str(e)) from None
    if cron:
        if do_install:
            raise click.UsageError(t("sched_cron_install"))
        click.echo(cron_line(s), nl=False)
        return
    if do_install:
        paths = install(s, Path(unit_dir) if unit_dir else None)
        for p in paths:
            click.echo(t("sched_written", path=p))
        click.echo(enable_hint(s, paths[0].parent), nl=False)
        return
    click.echo(f"# --- {s.name}.service ---")
    click.echo(service_text(s))
    click.echo(f"# --- {s.name}.timer ---")
    click.echo(timer_text(s), nl=False)
