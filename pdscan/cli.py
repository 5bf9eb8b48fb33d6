"""Command line: `pdscan scan ...` and the other commands. Messages in Russian, English with --lang en."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys

import click

from pdscan.cli_common import (
    EXIT_CLEAN,
    EXIT_FAILED,
    EXIT_FOUND,
    lang_option,
    limits_from,
    load_policy_arg,
    reading_options,
    setup_logging,
)
from pdscan.i18n import t

log = logging.getLogger("pdscan")


class _Group(click.Group):
    """Turns any unexpected exception into a clear message and exit 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("\n" + t("interrupted"), err=True)
            sys.exit(EXIT_FAILED)
        except Exception as e:  # noqa: BLE001 — last line of defence for scheduled runs
            log.debug("fatal", exc_info=True)
            click.echo(t("fatal", error=e), err=True)
            sys.exit(EXIT_FAILED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pdscan")
def main() -> None:
    """pdscan — поиск персональных данных (152-ФЗ) в файлах и сетевых папках."""
    # Non-UTF-8 file names (lone surrogates) print as \udcXX, which JSON readers decode back.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


class _Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, summary) -> None:
        import time

        now = time.monotonic()
        if self.enabled and now - self.last > 0.2:
            self.last = now
            sys.stderr.write("\r" + t("progress", n=summary.files_seen))
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _smb_roots(roots: list[str], hosts_file: str | None, smb_config: str | None) -> list[str]:
    """Add the hosts file's roots; check SMB credentials before any output (exit 2 when missing)."""
    if hosts_file:
        from pdscan.sources.smb import SmbError, roots_from_hosts_file

        try:
            roots += roots_from_hosts_file(hosts_file)
        except SmbError as e:
            raise click.UsageError(str(e)) from None
    if not roots:
        raise click.UsageError(t("scan_no_roots"))
    if smb_config:
        os.environ["PDSCAN_SMB_CONFIG"] = os.path.abspath(smb_config)  # worker processes read it too
    smb = [r for r in roots if r.startswith("smb://")]
    if smb:
        from pdscan.smbconfig import SmbConfigError, credentials_for
        from pdscan.sources.smb import SmbError, SmbUrl

        for r in smb:
            try:
                host = SmbUrl.parse(r).host
                if credentials_for(host) is None:
                    raise click.UsageError(t("scan_no_smb_credentials", host=host))
            except (SmbError, SmbConfigError) as e:
                raise click.UsageError(str(e)) from None
    return roots


@main.command()
@click.argument("roots", nargs=-1, required=False)
@click.option(
    "--hosts-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Список компьютеров, по одному в строке: «хост», «хост папка/путь» или smb://-адрес.",
)
@click.option(
    "--hosts-parallel",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Сколько SMB-хостов обходить одновременно.",
)
@click.option(
    "--smb-config",
    type=click.Path(exists=True, dir_okay=False),
    help="Файл с учётными данными SMB (права 0600); пароли в командной строке не принимаются.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "json", "csv"]),
    default="table",
    show_default=True,
    help="Формат вывода.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Файл для вывода (создаётся с правами 0600).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Число процессов (по умолчанию — число ядер).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="ГГГГ-ММ-ДД",
    help="Дата оценки сроков (по умолчанию сегодня).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="PDSCAN_DB",
    help="База результатов (SQLite); по умолчанию в каталоге данных пользователя.",
)
@click.option("--no-store", is_flag=True, help="Не вести базу: каждый файл читается заново.")
@click.option("--full", is_flag=True, help="Перечитать все файлы, даже не изменившиеся.")
@reading_options
@lang_option
def scan(
    roots,
    hosts_file,
    hosts_parallel,
    smb_config,
    fmt,
    output,
    jobs,
    policy_file,
    as_of,
    ner,
    no_ocr,
    follow_symlinks,
    max_file_size,
    file_timeout,
    archive_depth,
    quiet,
    log_file,
    db_path,
    no_store,
    full,
):
    """Найти персональные данные в ROOT (папки, файлы, smb://host/share/path)."""
    from pdscan.output import make_writer
    from pdscan.scan import ScanOptions, run_scan

    setup_logging(log_file, quiet)
    roots = _smb_roots(list(roots), hosts_file, smb_config)
    for r in roots:
        if not r.startswith("smb://") and not os.path.lexists(r):
            raise click.BadParameter(t("scan_path_not_found", path=r), param_hint="ROOT")
    policy, policy_version = load_policy_arg(policy_file)
    options = ScanOptions(
        jobs=jobs if jobs is not None else (os.cpu_count() or 1),
        limits=limits_from(max_file_size, file_timeout, archive_depth, no_ocr),
        follow_symlinks=follow_symlinks,
        ner=ner,
        policy=policy,
        policy_version=policy_version,
        as_of=as_of.date() if as_of else dt.date.today(),
        smb_hosts=hosts_parallel,
        full=full,
    )
    store = None
    if not no_store:
        from pdscan.store import StoreError, open_store

        try:
            store = open_store(db_path)
            store.lock()  # fail before any output when another scan holds the store
        except StoreError as e:
            click.echo(f"pdscan: {e}", err=True)
            sys.exit(EXIT_FAILED)
    writer, stream = make_writer(fmt, output)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        summary = run_scan(list(roots), options, writer.write, store=store, on_progress=progress)
    finally:
        progress.done()
        if store is not None:
            store.close()
    writer.close(summary.to_dict())
    if stream is not sys.stdout:
        stream.close()
    log.info("scan done: %s", summary.to_dict())
    sys.exit(EXIT_FOUND if summary.new_items else EXIT_CLEAN)


from pdscan.cli_policy import policy_group  # noqa: E402 — registered after main is defined

main.add_command(policy_group)
from pdscan.cli_store import diff_command, schedule_command  # noqa: E402

main.add_command(diff_command)
main.add_command(schedule_command)


from pdscan.cli_watch import watch as _watch  # noqa: E402 — defined in its own module, needs main

main.add_command(_watch)

from pdscan.cli_report import act_command, report_command, subject_command, triage_group  # noqa: E402

main.add_command(report_command)
main.add_command(triage_group)
main.add_command(subject_command)
main.add_command(act_command)
