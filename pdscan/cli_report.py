"""`pdscan report`, `pdscan triage`, `pdscan subject` and `pdscan act`: the officer's commands.

All of them read the store (no rescanning); report files are created with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pdscan.cli_common import lang_option
from pdscan.i18n import lang, state_name, t

EXIT_OK, EXIT_NOTHING, EXIT_FAILED = 0, 1, 2


def _db_option(f):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar="PDSCAN_DB",
        help="База результатов (по умолчанию в каталоге данных пользователя).",
    )(f)


def _open(db_path: str | None):
    """The existing store, or exit 2 with a clear message (a report never creates an empty base)."""
    from pdscan.store import StoreError, default_db_path, open_store

    path = Path(db_path) if db_path else default_db_path()
    if not path.exists():
        click.echo("pdscan: " + t("db_not_found", path=path), err=True)
        sys.exit(EXIT_FAILED)
    try:
        return open_store(path)
    except StoreError as e:
        click.echo(f"pdscan: {e}", err=True)
        sys.exit(EXIT_FAILED)


# ---- report ------------------------------------------------------------------------------------


@click.command("report", short_help="Отчёт ответственного за ПДн: HTML, CSV, XLSX или JSON.")
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv", "xlsx", "json"]),
    default="html",
    show_default=True,
    help="Формат отчёта.",
)
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False), help="Файл отчёта (права 0600)."
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Файл политики: показать правило и срок хранения для каждого файла, не только просроченных.",
)
@lang_option
def report_command(db_path, fmt, output, policy_file):
    """Отчёт для ответственного за ПДн: сводка, диаграммы, таблица файлов (HTML, CSV, XLSX, JSON).

    По-русски; --lang en (или PDSCAN_LANG=en) — по-английски: страница HTML, листы и заголовки XLSX,
    названия видов данных и нарушений в CSV. Ключи JSON и столбцы CSV одинаковы на обоих языках.
    """
    from pdscan.report import write_report
    from pdscan.report.data import load_report

    policy = None
    if policy_file:
        from pdscan.policy import PolicyError, load_policy

        try:
            policy = load_policy(policy_file)
        except PolicyError as e:
            raise click.UsageError(str(e)) from None
    with _open(db_path) as store:
        data = load_report(store, policy)
    write_report(fmt, data, output, lang())
    s = data.summary()
    if lang() == "en":
        msg = f"report written: {output} (files with personal data: {s['files_with_pd']}, violations: {s['violations']})"
    else:
        msg = f"отчёт записан: {output} (файлов с ПДн: {s['files_with_pd']}, нарушений: {s['violations']})"
    click.echo(msg, err=True)


# ---- triage ------------------------------------------------------------------------------------


@click.group("triage", invoke_without_command=True)
@_db_option
@click.option("--path", "path", help="Файл, как он записан в отчёте; * — во всех файлах (с --fingerprint).")
@click.option("--fingerprint", help="Отпечаток находки (полностью или первые 8+ символов).")
@click.option("--rule", type=click.Choice(["retention_expired", "outside_authorized", "excessive_access", "expires_soon"]),
              help="Нарушение в этом файле.")  # fmt: skip
@click.option("--file", "whole_file", is_flag=True, help="Весь файл.")
@click.option("--state", type=click.Choice(["false_positive", "accepted", "remediated"]), help="Решение.")
@click.option("--reason", default="", help="Основание (обязательно для accepted).")
@click.option("--clear", is_flag=True, help="Снять отметку.")
@lang_option
@click.pass_context
def triage_group(ctx, db_path, path, fingerprint, rule, whole_file, state, reason, clear):
    """Разбор находок: ложное срабатывание, принято (с основанием) или устранено.

    \b
    pdscan triage --path ФАЙЛ --fingerprint F --state false_positive
    pdscan triage --path ФАЙЛ --file --state accepted --reason "хранится по приказу № 5"
    pdscan triage list | export -o baseline.json | import baseline.json
    """
    ctx.obj = {"db_path": db_path}
    if ctx.invoked_subcommand is not None:
        return
    from pdscan.triage import TriageError, mark, resolve_fingerprint, resolve_path, unmark

    if not path:
        raise click.UsageError(t("tri_need_path"))
    with _open(db_path) as store:
        try:
            if clear:
                p = resolve_path(store, path)
                if fingerprint:
                    target = resolve_fingerprint(store, p, fingerprint)
                else:
                    target = f"rule:{rule}" if rule else "*"
                removed = unmark(store, p, target)
                click.echo(t("tri_cleared") if removed else t("tri_not_marked"), err=True)
                return
            if not state:
                raise click.UsageError(t("tri_need_state"))
            m = mark(store, path, state, reason, fingerprint=fingerprint, rule=rule, whole_file=whole_file)
        except TriageError as e:
            raise click.UsageError(str(e)) from None
    what = t("tri_target_file") if m.target == "*" else m.target
    click.echo(t("tri_marked", path=m.path, what=what, state=m.state), err=True)


@triage_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
@click.pass_obj
def triage_list(obj, fmt):
    """Все отметки разбора."""
    from dataclasses import asdict

    from pdscan.triage import marks

    with _open(obj["db_path"]) as store:
        items = marks(store)
    for m in items:
        if fmt == "jsonl":
            click.echo(json.dumps(asdict(m), ensure_ascii=False))
        else:
            what = (
                t("tri_list_file") if m.target == "*" else m.target[:16] if len(m.target) == 64 else m.target
            )
            click.echo(f"{m.path}\t{what}\t{state_name(m.state)}\t{m.reason}\t{m.actor} {m.created_at}")
    if fmt == "table" and not items:
        click.echo(t("tri_no_marks"), err=True)


@triage_group.command("export")
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False), help="Файл базовой линии (JSON)."
)
@lang_option
@click.pass_obj
def triage_export(obj, output):
    """Выгрузить отметки в файл базовой линии (как baseline в gitleaks)."""
    from pdscan.output import open_private
    from pdscan.triage import export_baseline

    with _open(obj["db_path"]) as store, open_private(output) as stream:
        n = export_baseline(store, stream)
    click.echo(t("tri_exported", n=n, path=output), err=True)


@triage_group.command("import")
@click.argument("baseline", type=click.Path(exists=True, dir_okay=False))
@lang_option
@click.pass_obj
def triage_import(obj, baseline):
    """Загрузить отметки из файла базовой линии (существующие с тем же путём и целью заменяются)."""
    from pdscan.store import StoreError, default_db_path, open_store
    from pdscan.triage import TriageError, import_baseline

    path = Path(obj["db_path"]) if obj["db_path"] else default_db_path()
    try:
        store = open_store(path)  # a new base may start from a baseline, before the first scan
    except StoreError as e:
        click.echo(f"pdscan: {e}", err=True)
        sys.exit(EXIT_FAILED)
    with store:
        try:
            n = import_baseline(store, baseline)
        except TriageError as e:
            raise click.UsageError(str(e)) from None
    click.echo(t("tri_imported", n=n), err=True)


# ---- subject -----------------------------------------------------------------------------------


@click.command("subject", short_help="Запрос субъекта: все файлы с данными одного человека (по базе).")
@_db_option
@click.option("--snils", multiple=True, help="СНИЛС субъекта.")
@click.option("--passport", multiple=True, help="Серия и номер паспорта РФ.")
@click.option("--inn", multiple=True, help="ИНН физического лица (12 цифр).")
@click.option("--phone", multiple=True, help="Номер телефона.")
@click.option("--email", multiple=True, help="Адрес e-mail.")
@click.option("--name", multiple=True, help="ФИО: «Фамилия Имя Отчество».")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@lang_option
def subject_command(db_path, snils, passport, inn, phone, email, name, fmt):
    """Запрос субъекта (п. 5.1, 6.1.4, 7.1 Положения): все файлы с данными этого человека, по базе.

    Значения не сохраняются: они приводятся к виду, в котором их находит сканер, и сравниваются по
    отпечаткам. Код выхода: 0 — найдено, 1 — ничего не найдено, 2 — ошибка.
    """
    from pdscan.subject import SubjectError, build_queries, render_table, search

    values = {"snils": snils, "passport": passport, "inn": inn, "phone": phone, "email": email, "name": name}
    try:
        queries = build_queries({k: list(v) for k, v in values.items() if v})
    except SubjectError as e:
        raise click.UsageError(str(e)) from None
    with _open(db_path) as store:
        hits = search(store, queries)
    if fmt == "jsonl":
        for h in hits:
            click.echo(json.dumps(h.record(), ensure_ascii=False))
    else:
        click.echo(render_table(hits), nl=False)
    sys.exit(EXIT_OK if hits else EXIT_NOTHING)


# ---- act ---------------------------------------------------------------------------------------


@click.command("act", short_help="Акт об уничтожении носителей ПДн с истёкшим сроком хранения (DOCX).")
@_db_option
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Настройки акта (YAML): комиссия, место, способ. Пример: pdscan act --example.")  # fmt: skip
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Дата акта, ГГГГ-ММ-ДД: в акт входят файлы со сроком хранения до неё (по умолчанию сегодня).")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Файл акта .docx (права 0600).")
@click.option("--example", is_flag=True, help="Напечатать пример файла настроек и выйти.")
@lang_option
def act_command(db_path, config_file, as_of, output, example):
    """Акт об уничтожении носителей ПДн с истёкшим сроком хранения (п. 9.4–9.13). Файлы не изменяются.

    Акт — документ по 152-ФЗ и п. 9 Положения: он всегда на русском, и с --lang en тоже.
    """
    from pdscan.report.act import (
        RUSSIAN_ONLY_NOTE,
        ActError,
        example_config,
        expired_files,
        load_act_config,
        write_act,
    )

    if lang() == "en":
        click.echo(RUSSIAN_ONLY_NOTE, err=True)

    if example:
        click.echo(example_config(), nl=False)
        return
    if not output:
        raise click.UsageError("укажите файл акта: -o акт.docx")
    try:
        cfg = load_act_config(config_file)
    except ActError as e:
        raise click.UsageError(str(e)) from None
    day = as_of.date() if as_of else dt.date.today()
    with _open(db_path) as store:
        items = expired_files(store, day)
        write_act(cfg, items, day, output, scan=store.scan())
    if lang() == "en":
        click.echo(f"act written: {output} (files to destroy: {len(items)})", err=True)
    else:
        click.echo(f"акт записан: {output} (файлов к уничтожению: {len(items)})", err=True)
