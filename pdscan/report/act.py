"""The act of destruction (п. 9.4–9.13 of the Положение) as a DOCX document.

It lists the files whose retention term has run out on the act's date: stored violations
``retention_expired`` and ``expires_soon`` whose deadline is not after that date, minus those
the officer marked false_positive or accepted (kept on purpose, e.g. under a legal hold).
For each: the file (the carrier), its size and date, the kinds of data, and the basis — the
retention rule and clause. The commission, place, time and method come from a YAML config
(see act_example.yaml). Nothing is deleted or touched: the act is a document for the commission.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from importlib import resources

import yaml

from pdscan.i18n import entity_name
from pdscan.store import HIDDEN_STATES, Store

DEFAULT_MEDIA = "файлы на машиночитаемых носителях (жёсткие диски компьютеров, сетевые папки)"
DEFAULT_METHOD = "удаление средствами операционной системы компьютера с последующим «очищением корзины» (п. 9.11 Положения)"
BLANK = "____________________"
# The act is a Russian legal document (152-ФЗ, п. 9 of the Положение): --lang en does not change it.
RUSSIAN_ONLY_NOTE = (
    "pdscan act: the act of destruction is a legal document under 152-FZ and clause 9 of the Regulation; "
    "it is produced in Russian only (--lang en applies to messages, not to the act)."
)
_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря")  # fmt: skip


class ActError(Exception):
    """A config that cannot be used; str() is the Russian message."""


@dataclass
class Person:
    position: str = ""
    name: str = ""


@dataclass
class ActConfig:
    organization: str = ""
    number: str = ""
    place: str = ""
    order: str = ""
    approver: Person = field(default_factory=Person)
    chair: Person = field(default_factory=Person)
    members: list[Person] = field(default_factory=list)
    destruction_date: str = ""
    destruction_time: str = ""
    destruction_place: str = ""
    media: str = DEFAULT_MEDIA
    method: str = DEFAULT_METHOD


@dataclass
class ActItem:
    path: str
    size: int
    modified: str
    entities: list[str]
    rule_name: str
    clause: str
    deadline: str


def example_config() -> str:
    return resources.files("pdscan.report").joinpath("act_example.yaml").read_text(encoding="utf-8")


def _str(d: dict, key: str, where: str) -> str:
    v = d.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, str | int | float | dt.date):
        raise ActError(f"{where}: поле {key} должно быть строкой")
    return str(v)


def _person(d, where: str) -> Person:
    if d is None:
        return Person()
    if not isinstance(d, dict):
        raise ActError(f"{where}: ожидались поля position и name")
    unknown = set(d) - {"position", "name"}
    if unknown:
        raise ActError(f"{where}: неизвестные поля {', '.join(sorted(unknown))}")
    return Person(_str(d, "position", where), _str(d, "name", where))


_TOP = {
    "organization",
    "number",
    "place",
    "order",
    "approver",
    "commission",
    "destruction",
    "media",
    "method",
}


def load_act_config(path: str | None) -> ActConfig:
    """Read the YAML config; no path gives an act with blank lines to fill in by hand."""
    if not path:
        return ActConfig()
    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = yaml.safe_load(f) or {}
    except OSError as e:
        raise ActError(f"не удалось прочитать {path}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise ActError(f"{path}: ошибка YAML: {e}") from None
    if not isinstance(doc, dict):
        raise ActError(f"{path}: ожидался словарь настроек акта")
    unknown = set(doc) - _TOP
    if unknown:
        raise ActError(
            f"{path}: неизвестные поля {', '.join(sorted(unknown))} (допустимы: {', '.join(sorted(_TOP))})"
        )
    com = doc.get("commission") or {}
    if not isinstance(com, dict):
        raise ActError(f"{path}: commission: ожидались поля chair и members")
    members = com.get("members") or []
    if not isinstance(members, list):
        raise ActError(f"{path}: commission.members: ожидался список")
    des = doc.get("destruction") or {}
    if not isinstance(des, dict):
        raise ActError(f"{path}: destruction: ожидались поля date, time, place")
    cfg = ActConfig(
        organization=_str(doc, "organization", path),
        number=_str(doc, "number", path),
        place=_str(doc, "place", path),
        order=_str(doc, "order", path),
        approver=_person(doc.get("approver"), f"{path}: approver"),
        chair=_person(com.get("chair"), f"{path}: commission.chair"),
        members=[_person(m, f"{path}: commission.members[{i}]") for i, m in enumerate(members, 1)],
        destruction_date=_str(des, "date", path),
        destruction_time=_str(des, "time", path),
        destruction_place=_str(des, "place", path),
        media=_str(doc, "media", path) or DEFAULT_MEDIA,
        method=_str(doc, "method", path) or DEFAULT_METHOD,
    )
    if cfg.destruction_date:
        try:
            dt.date.fromisoformat(cfg.destruction_date)
        except ValueError:
            raise ActError(f"{path}: destruction.date: ожидалась дата ГГГГ-ММ-ДД") from None
    return cfg


def expired_files(store: Store, as_of: dt.date) -> list[ActItem]:
    """Files (not gone) whose retention deadline is on or before as_of, minus hidden marks."""
    c = store.conn
    hidden = {
        (r[0], r[1])
        for r in c.execute(
            f"SELECT path, target FROM triage WHERE state IN ({','.join('?' * len(HIDDEN_STATES))})",
            HIDDEN_STATES,
        )
    }
    items: dict[int, ActItem] = {}
    for r in c.execute(
        "SELECT f.id, f.path, f.size, f.mtime, v.rule, v.clause, v.deadline, v.details FROM violations v "
        "JOIN files f ON f.id = v.file_id WHERE f.gone = 0 AND v.rule IN ('retention_expired', 'expires_soon') "
        "AND v.deadline IS NOT NULL AND v.deadline <= ? ORDER BY f.path",
        (as_of.isoformat(),),
    ):
        path = r["path"]
        if (
            (path, "*") in hidden
            or (path, "rule:retention_expired") in hidden
            or (path, f"rule:{r['rule']}") in hidden
        ):
            continue
        details = json.loads(r["details"] or "{}")
        items[r["id"]] = ActItem(
            path=path,
            size=r["size"],
            modified=dt.date.fromtimestamp(r["mtime"]).isoformat() if r["mtime"] else "",
            entities=[],
            rule_name=details.get("rule_name", ""),
            clause=r["clause"],
            deadline=r["deadline"],
        )
    if items:
        marks = ",".join("?" * len(items))
        for r in c.execute(
            f"SELECT DISTINCT file_id, entity FROM findings WHERE file_id IN ({marks}) ORDER BY entity",
            list(items),
        ):
            items[r[0]].entities.append(r[1])
    return sorted(items.values(), key=lambda i: i.path)


def _ru_date(d: dt.date) -> str:
    return f"«{d.day:02d}» {_MONTHS[d.month - 1]} {d.year} г."


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} Б"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} КБ".replace(".", ",")
    return f"{n / 1024 / 1024:.1f} МБ".replace(".", ",")


def _files_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "файл"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "файла"
    return "файлов"


def write_act(cfg: ActConfig, items: list[ActItem], as_of: dt.date, path: str, scan=None) -> None:
    """Build the act and save it to path (mode 0600)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.0))
    sec.top_margin = sec.bottom_margin = Cm(1.5)

    def para(text: str = "", bold: bool = False, align=None, size: int | None = None):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(2)
        return p

    # Approval block (п. 9.8, 9.12: the act is approved by the Operator).
    for line in (
        "УТВЕРЖДАЮ",
        f"{cfg.approver.position or BLANK} {cfg.organization}".strip(),
        f"{BLANK} {cfg.approver.name}".strip(),
        "«____» ______________ 20___ г.",
    ):
        para(line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para()
    para(f"АКТ № {cfg.number or '____'}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    para(
        "об уничтожении носителей, содержащих персональные данные, в связи с истечением сроков хранения",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    para(f"{cfg.place or BLANK}\t\t\t\t\t\t\t\t\t{_ru_date(as_of)}")
    para()
    members = "; ".join(f"{m.position} {m.name}".strip() for m in cfg.members) or BLANK
    order = f", утверждённая приказом {cfg.order}" if cfg.order else ", утверждённая приказом Оператора"
    para(
        f"Комиссия по уничтожению персональных данных{order} (п. 9.2 Положения), в составе: "
        f"председатель комиссии — {(cfg.chair.position + ' ' + cfg.chair.name).strip() or BLANK}; "
        f"члены комиссии — {members}, произвела отбор машиночитаемых носителей персональных данных, "
        f"подлежащих уничтожению (п. 9.4 Положения), и установила, что сроки хранения перечисленных ниже "
        f"файлов истекли на {as_of.strftime('%d.%m.%Y')} (п. 9.1 Положения). Наличие всех носителей, "
        "включённых в акт, проверено (п. 9.7)."
    )
    para()

    headers = ["№", "Носитель (файл)", "Размер", "Изменён", "Категории персональных данных",
               "Основание для уничтожения", "Срок хранения истёк"]  # fmt: skip
    widths = [Cm(1.0), Cm(9.0), Cm(1.8), Cm(2.2), Cm(4.5), Cm(5.2), Cm(2.3)]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        run.font.size = Pt(10)
    for n, it in enumerate(items, 1):
        basis = it.rule_name or it.clause
        if it.rule_name and it.clause and it.clause not in it.rule_name:
            basis += f" ({it.clause})"
        row = table.add_row().cells
        values = [str(n), it.path, _size(it.size), _dmy(it.modified),
                  ", ".join(entity_name(e, "ru") for e in it.entities), basis, _dmy(it.deadline)]  # fmt: skip
        for i, v in enumerate(values):
            row[i].text = ""
            row[i].paragraphs[0].add_run(v).font.size = Pt(10)
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = w
    para()
    total = sum(i.size for i in items)
    para(
        f"Вид и количество носителей (п. 9.13): {cfg.media}; всего {len(items)} {_files_word(len(items))} "
        f"общим объёмом {_size(total)}."
    )
    when = dt.date.fromisoformat(cfg.destruction_date) if cfg.destruction_date else None
    para(
        "Дата, место и время уничтожения: "
        f"{_ru_date(when) if when else '«____» ______________ 20___ г.'}, "
        f"{cfg.destruction_time or '____:____'}, {cfg.destruction_place or BLANK}."
    )
    para(f"Способ уничтожения: {cfg.method}.")
    para(
        "Уничтожение производится после утверждения акта в присутствии всех членов комиссии (п. 9.10). "
        "Исправления в акте не допускаются (п. 9.6). Акт является документом конфиденциального характера (п. 9.14)."
    )
    para()
    para("Подписи членов комиссии:", bold=True)
    para(f"Председатель комиссии: {cfg.chair.position} {BLANK} {cfg.chair.name}")
    for m in cfg.members or [Person(), Person()]:
        para(f"Член комиссии: {m.position} {BLANK} {m.name}")
    para()
    source = ""
    if scan is not None:
        source = f" по данным сканирования № {scan['id']} от {str(scan['started_at'])[:10]}"
    para(f"Перечень составлен программой pdscan{source}; файлы при составлении акта не изменялись.", size=9)

    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    os.fchmod(fd, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            doc.save(out)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}" if len(iso) >= 10 else iso
