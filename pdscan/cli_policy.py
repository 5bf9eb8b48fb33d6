"""`pdscan policy init` and `pdscan policy check`: write a starting policy, validate and explain one."""

from __future__ import annotations

import datetime as dt
import os
import sys
from importlib import resources

import click

from pdscan.access import acl_readers, posix_readers
from pdscan.cli_common import lang_option
from pdscan.i18n import POLICY_READER_KINDS, clause_label, lang, pick, t, years_word
from pdscan.policy import CLAUSE_AUTHORIZED, Policy, PolicyError, load_policy, local_date

EXIT_OK, EXIT_BAD = 0, 2


def template_text(language: str | None = None) -> str:
    """The commented starting policy derived from the Положение (categories 2.3.x, terms 3.6.x).

    The English one differs only in its comments: the same keys, names, patterns and clauses."""
    name = "policy_template.en.yaml" if (language or lang()) == "en" else "policy_template.yaml"
    return resources.files("pdscan").joinpath(name).read_text(encoding="utf-8")


@click.group("policy", context_settings={"help_option_names": ["-h", "--help"]})
@lang_option
def policy_group() -> None:
    """Файл политики: сроки хранения, разрешённые места, доступ (Положение, п. 3.6, 3.10, 4.3)."""


@policy_group.command("init")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Куда записать (по умолчанию — на экран)."
)
@click.option("--force", is_flag=True, help="Перезаписать существующий файл.")
@lang_option
def init_cmd(output: str | None, force: bool) -> None:
    """Создать начальную политику по Положению, с комментариями, для правки под организацию."""
    text = template_text()
    if not output:
        click.echo(text, nl=False)
        return
    if os.path.exists(output) and not force:
        click.echo("pdscan: " + t("pol_exists", path=output), err=True)
        sys.exit(EXIT_BAD)
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    click.echo(t("pol_written", path=output))


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
@lang_option
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
    lines = [t("pol_valid", source=policy.source)]
    if policy.authorized is not None:
        patterns = ", ".join(policy.authorized.patterns)
        lines.append(t("pol_authorized", clause=clause_label(CLAUSE_AUTHORIZED), patterns=patterns))
    else:
        lines.append(t("pol_no_authorized", clause=clause_label(CLAUSE_AUTHORIZED)))
    if policy.retention:
        lines.append(t("pol_retention_head"))
        for i, r in enumerate(policy.retention, start=1):
            lines.append(f"    {i}. {r.name}: {_term(r.years, r.count_from)}; {', '.join(r.match.patterns)}")
    else:
        lines.append(t("pol_no_retention"))
    lines.append(t("pol_warn_days", n=policy.expires_soon_days))
    if policy.access is not None:
        a = policy.access
        users = ", ".join(sorted(a.allowed_users)) or "—"
        groups = ", ".join(sorted(a.allowed_groups)) or "—"
        owner = t("pol_owner_allowed") if a.allow_owner else ""
        lines.append(t("pol_access", clause=clause_label(a.clause), users=users, groups=groups, owner=owner))
    else:
        lines.append(t("pol_no_access"))
    return "\n".join(lines)


def _term(years: int, count_from: str) -> str:
    start = t("pol_from_next_year") if count_from == "next_year" else t("pol_from_modified")
    return f"{years} {years_word(years)} {start}"


def _reader(kind: str) -> str:
    return pick(POLICY_READER_KINDS[kind]) if kind in POLICY_READER_KINDS else kind


def explain(policy: Policy, path: str, root: str | None, as_of: dt.date) -> str:
    """Which rules a path hits, in plain words (Russian or English); with dates when the file exists."""
    if root is not None:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    else:
        rel = path.lstrip("/") if not os.path.exists(path) else os.path.normpath(path)
    rel = rel.replace(os.sep, "/")
    absolute = os.path.abspath(path)
    lines = [t("pol_path", path=path, rel=rel)]
    matching = [r for r in policy.retention if r.match.matches(rel, absolute)]
    if matching:
        rule = matching[0]
        lines.append(t("pol_rule", name=rule.name, line=rule.line, term=_term(rule.years, rule.count_from)))
        for other in matching[1:]:
            lines.append(t("pol_also", name=other.name, line=other.line))
        if os.path.isfile(path):
            mtime = os.stat(path).st_mtime
            deadline = rule.deadline(mtime)
            if as_of >= deadline:
                state = t("pol_expired", date=as_of.isoformat())
            elif (deadline - as_of).days <= policy.expires_soon_days:
                state = t("pol_expires_in", n=(deadline - as_of).days)
            else:
                state = t("pol_not_expired")
            modified = local_date(mtime).isoformat()
            lines.append(t("pol_dates", modified=modified, deadline=deadline.isoformat(), state=state))
    else:
        lines.append(t("pol_no_rule"))
    if policy.authorized is not None:
        hit = policy.authorized.match(rel, absolute)
        if hit:
            lines.append(t("pol_place_ok", pattern=hit))
        else:
            lines.append(t("pol_place_bad", clause=clause_label(CLAUSE_AUTHORIZED)))
    if policy.access is not None and os.path.isfile(path):
        st = os.stat(path)
        readers = acl_readers(path) or posix_readers(st)
        bad = policy.access.excessive(readers)
        who = ", ".join(f"{_reader(r.kind)} {r.name} ({r.detail})" for r in readers)
        lines.append(t("pol_readers", mode=f"{st.st_mode & 0o7777:04o}", who=who or t("pol_nobody")))
        if bad:
            names = ", ".join(f"{_reader(r.kind)} {r.name}" for r in bad)
            lines.append(t("pol_not_allowed", names=names, clause=clause_label(policy.access.clause)))
    return "\n".join(lines)
