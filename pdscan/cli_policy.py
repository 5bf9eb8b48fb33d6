"""`pdscan policy init` and `pdscan policy check`: write a starting policy, validate and explain one."""

from __future__ import annotations

import datetime as dt
import os
import sys
from importlib import resources

import click

from pdscan.access import acl_readers, posix_readers
from pdscan.policy import CLAUSE_AUTHORIZED, Policy, PolicyError, load_policy, local_date

EXIT_OK, EXIT_BAD = 0, 2


def template_text() -> str:
    """The commented starting policy derived from the Положение (categories 2.3.x, terms 3.6.x)."""
    return resources.files("pdscan").joinpath("policy_template.yaml").read_text(encoding="utf-8")


@click.group("policy", context_settings={"help_option_names": ["-h", "--help"]})
def policy_group() -> None:
    """Файл политики: сроки хранения, разрешённые места, доступ (Положение, п. 3.6, 3.10, 4.3)."""


@policy_group.command("init")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Куда записать (по умолчанию — на экран)."
)
@click.option("--force", is_flag=True, help="Перезаписать существующий файл.")
def init_cmd(output: str | None, force: bool) -> None:
    """Создать начальную политику по Положению, с комментариями, для правки под организацию."""
    text = template_text()
    if not output:
        click.echo(text, nl=False)
        return
    if os.path.exists(output) and not force:
        click.echo(f"pdscan: файл {output} уже есть; чтобы перезаписать, добавьте --force", err=True)
        sys.exit(EXIT_BAD)
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    click.echo(f"Политика записана в {output}. Проверьте пути и сроки: pdscan policy check {output}")


@policy_group.command("check")
@click.argument("policy_file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="Корень сканирования, от которого считаются пути (по умолчанию — папка файла политики, "
    "если путь лежит в ней).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Дата оценки сроков для существующих файлов, ГГГГ-ММ-ДД (по умолчанию сегодня).",
)
def check_cmd(policy_file: str, paths: tuple[str, ...], root: str | None, as_of) -> None:
    """Проверить политику и объяснить, какое правило действует для каждого пути PATHS."""
    try:
        policy = load_policy(policy_file)
    except PolicyError as e:
        click.echo(f"pdscan: {e}", err=True)
        sys.exit(EXIT_BAD)
    click.echo(describe(policy))
    day = as_of.date() if as_of else dt.date.today()
    for p in paths:
        click.echo("")
        click.echo(explain(policy, p, root or _default_root(policy_file, p), day))


def _default_root(policy_file: str, path: str) -> str | None:
    base = os.path.dirname(os.path.abspath(policy_file))
    full = os.path.abspath(path)
    return base if os.path.exists(path) and full.startswith(base + os.sep) else None


def describe(policy: Policy) -> str:
    lines = [f"Политика {policy.source} корректна."]
    if policy.authorized is not None:
        lines.append(f"  Разрешённые места ({CLAUSE_AUTHORIZED}): " + ", ".join(policy.authorized.patterns))
    else:
        lines.append("  Разрешённые места не заданы: проверка п. 3.10 отключена.")
    if policy.retention:
        lines.append("  Сроки хранения (действует первое подходящее правило):")
        for i, r in enumerate(policy.retention, start=1):
            lines.append(f"    {i}. {r.name}: {_term(r.years, r.count_from)}; {', '.join(r.match.patterns)}")
    else:
        lines.append("  Сроки хранения не заданы.")
    lines.append(f"  Предупреждать за {policy.expires_soon_days} дн. до окончания срока.")
    if policy.access is not None:
        a = policy.access
        users = ", ".join(sorted(a.allowed_users)) or "—"
        groups = ", ".join(sorted(a.allowed_groups)) or "—"
        owner = "; владелец файла допущен" if a.allow_owner else ""
        lines.append(f"  Доступ ({a.clause}): пользователи {users}; группы {groups}{owner}.")
    else:
        lines.append("  Доступ не проверяется (нет раздела access).")
    return "\n".join(lines)


def _term(years: int, count_from: str) -> str:
    start = "с 1 января следующего года" if count_from == "next_year" else "с даты изменения файла"
    return f"{years} {_years_word(years)} {start}"


def _years_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "год"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "года"
    return "лет"


def explain(policy: Policy, path: str, root: str | None, as_of: dt.date) -> str:
    """Which rules a path hits, in plain Russian; with dates when the file exists."""
    if root is not None:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    else:
        rel = path.lstrip("/") if not os.path.exists(path) else os.path.normpath(path)
    rel = rel.replace(os.sep, "/")
    absolute = os.path.abspath(path)
    lines = [f"{path}  (путь от корня: {rel})"]
    matching = [r for r in policy.retention if r.match.matches(rel, absolute)]
    if matching:
        rule = matching[0]
        lines.append(
            f"  срок хранения: «{rule.name}» (строка {rule.line}): {_term(rule.years, rule.count_from)}"
        )
        for other in matching[1:]:
            lines.append(f"    подходит и «{other.name}» (строка {other.line}), но действует правило выше")
        if os.path.isfile(path):
            mtime = os.stat(path).st_mtime
            deadline = rule.deadline(mtime)
            if as_of >= deadline:
                state = f"СРОК ИСТЁК на {as_of.isoformat()}"
            elif (deadline - as_of).days <= policy.expires_soon_days:
                state = f"истекает через {(deadline - as_of).days} дн."
            else:
                state = "срок не истёк"
            lines.append(
                f"    изменён {local_date(mtime).isoformat()}, хранить до {deadline.isoformat()}: {state}"
            )
    else:
        lines.append("  срок хранения: ни одно правило не подходит, срок не проверяется")
    if policy.authorized is not None:
        hit = policy.authorized.match(rel, absolute)
        if hit:
            lines.append(f"  место хранения: разрешено (шаблон «{hit}»)")
        else:
            lines.append(
                f"  место хранения: ВНЕ разрешённых мест — нарушение {CLAUSE_AUTHORIZED}, если в файле есть ПДн"
            )
    if policy.access is not None and os.path.isfile(path):
        st = os.stat(path)
        readers = acl_readers(path) or posix_readers(st)
        bad = policy.access.excessive(readers)
        who = ", ".join(f"{_READER_KIND.get(r.kind, r.kind)} {r.name} ({r.detail})" for r in readers)
        lines.append(f"  доступ: права {st.st_mode & 0o7777:04o}; читать могут: {who or 'никто'}")
        if bad:
            names = ", ".join(f"{_READER_KIND.get(r.kind, r.kind)} {r.name}" for r in bad)
            lines.append(
                f"    НЕ допущены: {names} — нарушение {policy.access.clause}, если в файле есть ПДн"
            )
    return "\n".join(lines)


_READER_KIND = {
    "owner": "владелец",
    "group": "группа",
    "other": "остальные",
    "acl_user": "ACL-пользователь",
    "acl_group": "ACL-группа",
    "sid": "учётная запись",
}
