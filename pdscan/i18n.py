"""User-facing words: Russian by default, English on request (--lang en or PDSCAN_LANG=en)."""

from __future__ import annotations

import os

ENTITY_NAMES = {
    "RU_PASSPORT": ("паспорт РФ", "Russian passport"),
    "RU_SNILS": ("СНИЛС", "SNILS"),
    "RU_INN": ("ИНН физлица", "personal INN"),
    "PHONE_NUMBER": ("телефон", "phone"),
    "EMAIL_ADDRESS": ("e-mail", "e-mail"),
    "CREDIT_CARD": ("банковская карта", "bank card"),
    "RU_OMS_POLICY": ("полис ОМС", "OMS policy"),
    "RU_MILITARY_ID": ("военный билет", "military ID"),
    "RU_FOREIGN_PASSPORT": ("загранпаспорт", "foreign passport"),
    "RU_DRIVER_LICENSE": ("водительское удостоверение", "driver licence"),
    "PERSON": ("ФИО", "person name"),
    "LOCATION": ("адрес", "address"),
    "DATE_OF_BIRTH": ("дата рождения", "date of birth"),
}

RULE_NAMES = {
    "retention_expired": ("истёк срок хранения", "retention expired"),
    "outside_authorized": ("вне разрешённых мест хранения", "outside authorized locations"),
    "excessive_access": ("избыточный доступ", "excessive access"),
    "expires_soon": ("срок хранения скоро истекает", "retention expires soon"),
}

MESSAGES = {
    "summary_title": ("Итоги сканирования", "Scan summary"),
    "files_seen": ("файлов найдено", "files seen"),
    "files_scanned": ("прочитано", "scanned"),
    "files_skipped": ("пропущено (пустые, без текста)", "skipped (empty, no text)"),
    "files_with_pd": ("с персональными данными", "with personal data"),
    "persons": ("субъектов ПДн (оценка)", "data subjects (estimate)"),
    "errors": ("ошибок", "errors"),
    "bytes": ("объём, МБ", "size, MB"),
    "seconds": ("время, с", "time, s"),
    "by_entity": ("Найдено по видам данных", "Findings by entity"),
    "by_clause": ("Нарушения по пунктам Положения", "Violations by clause of the Regulation"),
    "error": ("ошибка", "error"),
    "violation": ("нарушение", "violation"),
    "nothing_found": ("Персональные данные не найдены.", "No personal data found."),
    "progress": ("просканировано файлов: {n}", "files scanned: {n}"),
    "persons_in_file": ("субъектов: {n}", "subjects: {n}"),
    "deadline_retention_expired": ("срок истёк", "deadline was"),
    "deadline_expires_soon": ("срок истекает", "deadline is"),
    "can_read": ("читать могут", "readable by"),
    "allowed_places": ("разрешённые места", "allowed places"),
}


# Triage states, as the report, the XLSX export and `pdscan triage list` name them.
STATE_NAMES = {
    "open": ("не разобрано", "not reviewed"),
    "false_positive": ("ложное срабатывание", "false positive"),
    "accepted": ("принято", "accepted"),
    "remediated": ("устранено", "remediated"),
}

# Who may read a file (excessive_access details), as the report explains a violation.
READER_KINDS = {
    "owner": ("владелец", "owner"),
    "group": ("группа", "group"),
    "other": ("все остальные", "others"),
    "acl_user": ("ACL пользователь", "ACL user"),
    "acl_group": ("ACL группа", "ACL group"),
    "sid": ("SID", "SID"),
}

# The report's own words: the HTML page (template.html as %%t:key%%, report.js as T.key, with
# {name} placeholders filled by the page), the XLSX sheets and the violation explanations.
# Template words go into HTML text and attributes unescaped for quotes: keep " out of them.
REPORT_WORDS = {
    # page and header
    "title": ("pdscan — отчёт о персональных данных", "pdscan — personal data report"),
    "heading": ("Отчёт о персональных данных", "Personal data report"),
    "summary": ("Сводка", "Summary"),
    "generated": ("Сформирован: {v}", "Generated: {v}"),
    "scan_of": ("Сканирование №{id} от {date}", "Scan #{id} of {date}"),
    "folders": ("Папки: {v}", "Folders: {v}"),
    "as_of": ("Сроки на дату: {v}", "Deadlines as of: {v}"),
    "policy": ("Политика: {v}", "Policy: {v}"),
    # summary cards
    "card_files": ("файлов с ПДн", "files with personal data"),
    "card_persons": ("субъектов ПДн (оценка)", "data subjects (estimate)"),
    "card_findings": ("найдено значений", "values found"),
    "card_violations": ("нарушений Положения", "violations of the Regulation"),
    "card_expired": ("истёк срок хранения", "retention expired"),
    "card_unread": ("файлов не прочитано", "files not read"),
    # charts
    "chart_entity": ("Файлы по видам персональных данных", "Files by kind of personal data"),
    "chart_folder": ("Файлы с ПДн по папкам", "Files with personal data by folder"),
    "chart_rule": ("Нарушения по пунктам Положения", "Violations by clause of the Regulation"),
    "chart_trend": ("Динамика по последним сканированиям", "Trend over recent scans"),
    "no_data": ("нет данных", "no data"),
    "no_scans": ("нет завершённых сканирований", "no finished scans"),
    "series_files": ("файлы с ПДн", "files with personal data"),
    "series_violations": ("нарушения", "violations"),
    "series_new": ("новое", "new"),
    "scan_no": ("№{n}", "#{n}"),
    "point": ("{series}, сканирование №{n}: {v}", "{series}, scan #{n}: {v}"),
    # the file table and its filters
    "files_heading": ("Файлы с персональными данными", "Files with personal data"),
    "search": ("Поиск по пути…", "Search by path…"),
    "search_label": ("Поиск по пути", "Search by path"),
    "entity_label": ("Вид данных", "Kind of data"),
    "folder_label": ("Папка", "Folder"),
    "rule_label": ("Нарушение", "Violation"),
    "owner_label": ("Владелец", "Owner"),
    "state_label": ("Статус разбора", "Triage status"),
    "reset": ("Сбросить", "Reset"),
    "files": ("Файлы", "Files"),
    "all_entities": ("Все виды данных", "All kinds of data"),
    "all_folders": ("Все папки", "All folders"),
    "any_rule": ("Любые нарушения", "Any violations"),
    "has_violations": ("Есть нарушения", "With violations"),
    "no_violations": ("Без нарушений", "Without violations"),
    "all_owners": ("Все владельцы", "All owners"),
    "no_owner": ("(не указан)", "(unknown)"),
    "any_state": ("Любой статус", "Any status"),
    "root_folder": ("(корень)", "(root)"),
    "col_file": ("Файл", "File"),
    "col_folder": ("Папка", "Folder"),
    "col_entities": ("Виды ПДн", "Kinds of data"),
    "col_values": ("Знач.", "Values"),
    "col_persons": ("Субъ.", "Subj."),
    "col_owner": ("Владелец", "Owner"),
    "col_modified": ("Изменён", "Modified"),
    "col_violations": ("Нарушения", "Violations"),
    "col_deadline": ("Хранить до", "Keep until"),
    "col_state": ("Статус", "Status"),
    "shown": ("Показано файлов: {n} из {total}", "Files shown: {n} of {total}"),
    "no_match": ("Нет файлов, подходящих под условия отбора", "No files match the filters"),
    # the file card
    "close": ("Закрыть", "Close"),
    "k_path": ("Путь", "Path"),
    "k_group": ("Группа", "Group"),
    "k_mode": ("Права", "Mode"),
    "k_size": ("Размер", "Size"),
    "k_type": ("Тип содержимого", "Content type"),
    "k_read": ("Прочитан", "Read"),
    "k_persons": ("Субъектов (оценка)", "Data subjects (estimate)"),
    "k_rule": ("Правило хранения", "Retention rule"),
    "expired_suffix": (" — срок истёк", " — expired"),
    "h_violations": ("Нарушения", "Violations"),
    "th_violation": ("Нарушение", "Violation"),
    "th_clause": ("Пункт", "Clause"),
    "th_details": ("Подробности", "Details"),
    "h_findings": ("Найденные данные ({n})", "Data found ({n})"),
    "th_kind": ("Вид", "Kind"),
    "th_value": ("Значение", "Value"),
    "th_times": ("Раз", "Times"),
    "th_where": ("Где", "Where"),
    "more": (
        "… и ещё {n} (полный список: pdscan report --format xlsx)",
        "… and {n} more (full list: pdscan report --format xlsx)",
    ),
    "partly_read": ("Прочитан не полностью", "Read only in part"),
    "h_mark": ("Отметить", "Mark"),
    "unread": ("Не удалось прочитать файлов: {n}", "Files that could not be read: {n}"),
    "unread_note": (" (могут содержать ПДн)", " (may hold personal data)"),
    "th_reason": ("Причина", "Reason"),
    "foot": (
        "Значения показаны только в замаскированном виде. Отчёт создан pdscan; файл доступен только владельцу (права 0600).",
        "Values are shown masked only. Report made by pdscan; the file is readable by its owner only (mode 0600).",
    ),
    "foot_mark": ("Отметить находку или файл:", "To mark a finding or a file:"),
    "foot_cmd": (
        'pdscan triage --path ПУТЬ --file --state accepted --reason "…"',
        'pdscan triage --path PATH --file --state accepted --reason "…"',
    ),
    # sizes
    "bytes": ("Б", "B"),
    "kb": ("КБ", "KB"),
    "mb": ("МБ", "MB"),
    # violation explanations
    "v_retention": ("срок хранения до {date}", "retention until {date}"),
    "v_days_left": ("; осталось дней: {n}", "; days left: {n}"),
    "v_readers": ("могут читать: {readers}", "readable by: {readers}"),
    "v_access": ("избыточный доступ", "excessive access"),
    "v_mode": ("; права {mode}", "; mode {mode}"),
    "v_outside": (
        "файл вне разрешённых мест хранения ПДн",
        "file outside the authorized places for personal data",
    ),
    # XLSX sheets
    "s_summary": ("Сводка", "Summary"),
    "s_files": ("Файлы", "Files"),
    "s_findings": ("Находки", "Findings"),
    "s_violations": ("Нарушения", "Violations"),
    "x_generated": ("Сформирован", "Generated"),
    "x_as_of": ("Сроки на дату", "Deadlines as of"),
    "x_files_with_pd": ("Файлов с ПДн", "Files with personal data"),
    "x_persons": ("Субъектов ПДн (оценка)", "Data subjects (estimate)"),
    "x_findings": ("Найдено значений", "Values found"),
    "x_violations": ("Нарушений Положения", "Violations of the Regulation"),
    "x_expired": ("Истёк срок хранения", "Retention expired"),
    "x_unread": ("Не удалось прочитать файлов", "Files that could not be read"),
    "x_entity": ("Вид данных", "Kind of data"),
    "x_files": ("Файлов", "Files"),
    "x_values": ("Значений", "Values"),
    "x_persons_col": ("Субъектов", "Data subjects"),
    "x_entities": ("Виды ПДн", "Kinds of data"),
    "x_entity_one": ("Вид ПДн", "Kind of data"),
    "x_member": ("Вложение", "Member"),
    "x_masked": ("Значение (маска)", "Value (masked)"),
    "x_fingerprint": ("Отпечаток", "Fingerprint"),
    "x_deadline": ("Срок", "Deadline"),
    "x_basis": ("Основание", "Reason"),
    "x_mark_reason": ("Основание отметки", "Mark reason"),
}


def lang() -> str:
    return "en" if os.environ.get("PDSCAN_LANG", "ru").lower().startswith("en") else "ru"


def pick(pair: tuple[str, str], language: str | None = None) -> str:
    """The word of a (Russian, English) pair in language (default: the current one)."""
    return pair[1] if (language or lang()) == "en" else pair[0]


def t(key: str, **kw) -> str:
    return pick(MESSAGES[key]).format(**kw)


def entity_name(entity: str, language: str | None = None) -> str:
    return pick(ENTITY_NAMES[entity], language) if entity in ENTITY_NAMES else entity


def rule_name(rule: str, language: str | None = None) -> str:
    return pick(RULE_NAMES[rule], language) if rule in RULE_NAMES else rule


def state_name(state: str, language: str | None = None) -> str:
    return pick(STATE_NAMES[state], language) if state in STATE_NAMES else state


def report_words(language: str | None = None) -> dict[str, str]:
    """REPORT_WORDS in one language."""
    return {k: pick(v, language) for k, v in REPORT_WORDS.items()}
