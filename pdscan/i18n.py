"""User-facing words: Russian by default, English on request (--lang en or PDSCAN_LANG=en)."""

from __future__ import annotations

import os
import re

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
    # any command
    "interrupted": ("прервано пользователем", "interrupted by the user"),
    "fatal": ("pdscan: ошибка: {error}", "pdscan: error: {error}"),
    "db_not_found": (
        "база {path} не найдена — сначала выполните pdscan scan --db {path} …",
        "database {path} not found — run pdscan scan --db {path} … first",
    ),
    # pdscan scan: what it refuses before reading anything
    "scan_no_roots": (
        "укажите ROOT (папку, файл, smb://хост/папка) или --hosts-file",
        "give ROOT (a folder, a file, smb://host/share) or --hosts-file",
    ),
    "scan_no_smb_credentials": (
        "нет учётных данных SMB для {host}: задайте PDSCAN_SMB_USER и PDSCAN_SMB_PASSWORD "
        "или файл smb.ini с правами 0600 (--smb-config)",
        "no SMB credentials for {host}: set PDSCAN_SMB_USER and PDSCAN_SMB_PASSWORD "
        "or an smb.ini file with mode 0600 (--smb-config)",
    ),
    "scan_path_not_found": ("путь не найден: {path}", "path not found: {path}"),
    "watch_root_not_found": ("папка не найдена: {path}", "folder not found: {path}"),
    # the store
    "store_newer": (
        "база {path} создана более новой версией pdscan (схема {version}), обновите pdscan",
        "database {path} was made by a newer pdscan (schema {version}): update pdscan",
    ),
    "store_locked": (
        "база {path} занята другим сканированием{who}; дождитесь его окончания или укажите другую базу (--db)",
        "database {path} is in use by another scan{who}; wait for it to finish or give another database (--db)",
    ),
    "store_locked_by": (" (процесс {pid})", " (process {pid})"),
    "store_waiting": (
        "база {path} занята (процесс {pid}), ждём",
        "database {path} is busy (process {pid}), waiting",
    ),
    "store_open_failed": ("не удалось открыть базу {path}: {error}", "cannot open database {path}: {error}"),
    # pdscan diff
    "diff_no_db": (
        "база {path} не найдена — сначала выполните pdscan scan",
        "database {path} not found — run pdscan scan first",
    ),
    "scan_not_found": ("сканирование №{id} не найдено", "scan #{id} not found"),
    "no_scans_yet": ("в базе ещё нет сканирований", "the database holds no scans yet"),
    "diff_scan": ("Сканирование №{id} от {at} ({status}): {roots}", "Scan #{id} of {at} ({status}): {roots}"),
    "diff_baseline": ("Сравнение со сканированием №{b}", "Compared with scan #{b}"),
    "diff_no_baseline": (
        "Предыдущего полного сканирования этих папок нет: всё найденное — новое.",
        "No previous complete scan of these roots: everything found is new.",
    ),
    "diff_no_changes": ("Изменений нет.", "No changes."),
    "diff_deadline": ("срок", "deadline"),
    "diff_count": ("вхождений: {a} → {b}", "occurrences: {a} → {b}"),
    # pdscan schedule: errors, messages and the unit files' comments
    "sched_no_command": (
        "не задана команда: pdscan schedule -- pdscan scan ПАПКА ...",
        "no command given: pdscan schedule -- pdscan scan FOLDER ...",
    ),
    "sched_bad_name": (
        "недопустимое имя задания: {name} (латиница, цифры, - _ .)",
        "invalid job name: {name} (Latin letters, digits, - _ .)",
    ),
    "sched_bad_time": ("время задаётся как ЧЧ:ММ, получено {value}", "time is given as HH:MM, got {value}"),
    "sched_bad_cron": (
        "расписание cron — пять полей (мин час день мес день_недели): {value}",
        "a cron schedule has five fields (minute hour day month weekday): {value}",
    ),
    "sched_cron_install": (
        "--install пишет юниты systemd; строку cron добавьте сами: crontab -e",
        "--install writes systemd units; add the cron line yourself: crontab -e",
    ),
    "sched_written": ("записан: {path}", "written: {path}"),
    "sched_service_head": (
        "плановое сканирование pdscan (создано `pdscan schedule`)",
        "scheduled pdscan scan (made by `pdscan schedule`)",
    ),
    "sched_exit_codes": (
        "Коды выхода: 0 — нового нет, 1 — новые находки или нарушения, 2 — ошибка сканирования.",
        "Exit codes: 0 — nothing new, 1 — new findings or violations, 2 — the scan failed.",
    ),
    "sched_service_description": (
        "pdscan: поиск персональных данных ({name})",
        "pdscan: personal data scan ({name})",
    ),
    "sched_success_note": (
        "Код 1 (новые находки) не считается сбоем службы; удалите строку, чтобы на него срабатывал OnFailure=.",
        "Exit code 1 (new findings) is not a service failure; delete the line to have OnFailure= fire on it.",
    ),
    "sched_timer_head": ("расписание для {name}.service", "schedule for {name}.service"),
    "sched_timer_description": ("pdscan: расписание сканирования ({name})", "pdscan: scan schedule ({name})"),
    "sched_persistent": (
        "Пропущенный запуск (машина была выключена) выполняется при включении.",
        "A missed run (the machine was off) runs when it starts.",
    ),
    "sched_enable": (
        "Включите расписание:\n  systemctl{user} daemon-reload\n  systemctl{user} enable --now {name}.timer\n"
        "Проверка: systemctl{user} list-timers {name}.timer; журнал: journalctl{user} -u {name}.service\n",
        "Enable the schedule:\n  systemctl{user} daemon-reload\n  systemctl{user} enable --now {name}.timer\n"
        "Check: systemctl{user} list-timers {name}.timer; log: journalctl{user} -u {name}.service\n",
    ),
    # pdscan policy init / check
    "pol_exists": (
        "файл {path} уже есть; чтобы перезаписать, добавьте --force",
        "file {path} already exists; add --force to overwrite it",
    ),
    "pol_written": (
        "Политика записана в {path}. Проверьте пути и сроки: pdscan policy check {path}",
        "Policy written to {path}. Check its paths and terms: pdscan policy check {path}",
    ),
    "pol_valid": ("Политика {source} корректна.", "Policy {source} is valid."),
    "pol_authorized": (
        "  Разрешённые места ({clause}): {patterns}",
        "  Authorized locations ({clause}): {patterns}",
    ),
    "pol_no_authorized": (
        "  Разрешённые места не заданы: проверка {clause} отключена.",
        "  No authorized locations: the {clause} check is off.",
    ),
    "pol_retention_head": (
        "  Сроки хранения (действует первое подходящее правило):",
        "  Retention terms (the first matching rule applies):",
    ),
    "pol_no_retention": ("  Сроки хранения не заданы.", "  No retention terms."),
    "pol_warn_days": (
        "  Предупреждать за {n} дн. до окончания срока.",
        "  Warn {n} days before a term ends.",
    ),
    "pol_access": (
        "  Доступ ({clause}): пользователи {users}; группы {groups}{owner}.",
        "  Access ({clause}): users {users}; groups {groups}{owner}.",
    ),
    "pol_owner_allowed": ("; владелец файла допущен", "; the file's owner is allowed"),
    "pol_no_access": (
        "  Доступ не проверяется (нет раздела access).",
        "  Access is not checked (no access section).",
    ),
    "pol_from_next_year": ("с 1 января следующего года", "from 1 January of the next year"),
    "pol_from_modified": ("с даты изменения файла", "from the file's modification date"),
    "pol_path": ("{path}  (путь от корня: {rel})", "{path}  (path from the root: {rel})"),
    "pol_rule": (
        "  срок хранения: «{name}» (строка {line}): {term}",
        "  retention: “{name}” (line {line}): {term}",
    ),
    "pol_also": (
        "    подходит и «{name}» (строка {line}), но действует правило выше",
        "    “{name}” (line {line}) matches too, but the rule above applies",
    ),
    "pol_expired": ("СРОК ИСТЁК на {date}", "EXPIRED as of {date}"),
    "pol_expires_in": ("истекает через {n} дн.", "expires in {n} days"),
    "pol_not_expired": ("срок не истёк", "not expired"),
    "pol_dates": (
        "    изменён {modified}, хранить до {deadline}: {state}",
        "    modified {modified}, keep until {deadline}: {state}",
    ),
    "pol_no_rule": (
        "  срок хранения: ни одно правило не подходит, срок не проверяется",
        "  retention: no rule matches, the term is not checked",
    ),
    "pol_place_ok": (
        "  место хранения: разрешено (шаблон «{pattern}»)",
        "  location: authorized (pattern “{pattern}”)",
    ),
    "pol_place_bad": (
        "  место хранения: ВНЕ разрешённых мест — нарушение {clause}, если в файле есть ПДн",
        "  location: OUTSIDE the authorized locations — a violation of {clause} if the file holds personal data",
    ),
    "pol_readers": (
        "  доступ: права {mode}; читать могут: {who}",
        "  access: mode {mode}; readable by: {who}",
    ),
    "pol_nobody": ("никто", "nobody"),
    "pol_not_allowed": (
        "    НЕ допущены: {names} — нарушение {clause}, если в файле есть ПДн",
        "    NOT allowed: {names} — a violation of {clause} if the file holds personal data",
    ),
    # the policy file's errors (pdscan.policy.PolicyError), always after "NAME, line N: "
    "perr_line": ("{name}, строка {line}: {msg}", "{name}, line {line}: {msg}"),
    "perr_not_mapping": (
        "{what}: ожидался словарь (ключ: значение), а не {kind}",
        "{what}: expected a mapping (key: value), not {kind}",
    ),
    "perr_unknown_key": (
        "неизвестный ключ '{key}' в {what}{near} (ожидались: {allowed})",
        "unknown key '{key}' in {what}{near} (expected: {allowed})",
    ),
    "perr_near": (" — возможно, '{hint}'?", " — did you mean '{hint}'?"),
    "perr_repeated": ("ключ '{key}' повторяется в {what}", "key '{key}' is repeated in {what}"),
    "perr_not_string": ("{what}: ожидалась строка, а не {kind}", "{what}: expected a string, not {kind}"),
    "perr_empty_string": ("{what}: пустая строка", "{what}: empty string"),
    "perr_not_int": ("{what}: ожидалось целое число, а не {kind}", "{what}: expected an integer, not {kind}"),
    "perr_negative": (
        "{what}: число не может быть отрицательным ({value})",
        "{what}: the number cannot be negative ({value})",
    ),
    "perr_not_bool": (
        "{what}: ожидалось true или false, а не {kind}",
        "{what}: expected true or false, not {kind}",
    ),
    "perr_not_list": (
        "{what}: ожидался список строк, а не {kind}",
        "{what}: expected a list of strings, not {kind}",
    ),
    "perr_backslash": (
        "шаблон '{text}': обратная косая черта; пути пишутся через '/' (Кадры/Приказы/**)",
        "pattern '{text}': a backslash; paths are written with '/' (Staff/Orders/**)",
    ),
    "perr_triple_star": (
        "шаблон '{text}': '***' — ошибка, для любой глубины пишите '**'",
        "pattern '{text}': '***' is a mistake, write '**' for any depth",
    ),
    "perr_bracket": (
        "шаблон '{text}': не закрыта квадратная скобка",
        "pattern '{text}': unclosed square bracket",
    ),
    "perr_unparsed": ("шаблон '{text}' не разобран: {error}", "pattern '{text}' cannot be parsed: {error}"),
    "perr_selects_nothing": (
        "шаблон '{text}' ничего не выбирает (пустой или комментарий)",
        "pattern '{text}' selects nothing (empty or a comment)",
    ),
    "perr_yaml": ("ошибка синтаксиса YAML: {error}", "YAML syntax error: {error}"),
    "perr_empty": ("файл политики пуст", "the policy file is empty"),
    "perr_in_policy": ("политике", "the policy"),
    "perr_in_rule": ("правиле хранения №{n}", "retention rule #{n}"),
    "perr_no_version": (
        "нет ключа 'version' (первой строкой пишется version: 1)",
        "no 'version' key (the first line is version: 1)",
    ),
    "perr_version": (
        "версия политики {v} не поддерживается (поддерживается 1)",
        "policy version {v} is not supported (1 is)",
    ),
    "perr_retention_list": (
        "retention: ожидался список правил, а не {kind}",
        "retention: expected a list of rules, not {kind}",
    ),
    "perr_rule_missing": (
        "в правиле хранения №{n} нет ключа '{key}'",
        "retention rule #{n} has no key '{key}'",
    ),
    "perr_count_from": (
        "count_from: '{value}' — допустимо next_year (с 1 января следующего года) "
        "или modified (с даты изменения файла)",
        "count_from: '{value}' — allowed are next_year (from 1 January of the next year) "
        "or modified (from the file's modification date)",
    ),
    "perr_encoding": ("файл политики должен быть в кодировке UTF-8", "the policy file must be in UTF-8"),
    "perr_unreadable": (
        "не удалось прочитать файл политики: {error}",
        "cannot read the policy file: {error}",
    ),
    # pdscan triage
    "tri_not_in_db": (
        "файл {path} не найден в базе: укажите путь так, как он записан в отчёте",
        "file {path} is not in the database: give the path as the report writes it",
    ),
    "tri_fp_short": (
        "отпечаток слишком короткий: нужно не меньше 8 символов",
        "the fingerprint is too short: at least 8 characters are needed",
    ),
    "tri_fp_not_found": (
        "находка с отпечатком {fp} {where} не найдена",
        "no finding with fingerprint {fp} {where}",
    ),
    "tri_in_db": ("в базе", "in the database"),
    "tri_in_file": ("в файле {path}", "in file {path}"),
    "tri_fp_ambiguous": (
        "отпечаток {fp} неоднозначен ({n} совпадений): укажите его полностью",
        "fingerprint {fp} is ambiguous ({n} matches): give it in full",
    ),
    "tri_bad_state": (
        "неизвестное состояние {state}: допустимы {allowed}",
        "unknown state {state}: allowed are {allowed}",
    ),
    "tri_need_reason": (
        'для состояния accepted укажите основание: --reason "…"',
        'the state accepted needs a reason: --reason "…"',
    ),
    "tri_one_of": (
        "укажите одно из: --fingerprint, --rule или --file",
        "give one of: --fingerprint, --rule or --file",
    ),
    "tri_file_star": (
        "--file отмечает один файл: укажите его путь, а не *",
        "--file marks one file: give its path, not *",
    ),
    "tri_read_fail": ("не удалось прочитать {path}: {error}", "cannot read {path}: {error}"),
    "tri_not_json": ("{path}: не JSON (строка {line}): {error}", "{path}: not JSON (line {line}): {error}"),
    "tri_not_baseline": (
        '{path}: это не файл базовой линии pdscan (нет "format": "{fmt}")',
        '{path}: not a pdscan baseline file (no "format": "{fmt}")',
    ),
    "tri_bad_version": (
        "{path}: неподдерживаемая версия базовой линии {v}",
        "{path}: unsupported baseline version {v}",
    ),
    "tri_no_marks_key": ("{path}: нет списка marks", "{path}: no marks list"),
    "tri_entry_fields": (
        "{path}: запись {i}: нужны строки path, target и state",
        "{path}: entry {i}: path, target and state must be strings",
    ),
    "tri_entry_state": (
        "{path}: запись {i}: неизвестное состояние {state}",
        "{path}: entry {i}: unknown state {state}",
    ),
    "tri_entry_reason": (
        "{path}: запись {i}: для accepted нужно основание (reason)",
        "{path}: entry {i}: accepted needs a reason",
    ),
    "tri_need_path": (
        "укажите --path (или подкоманду: list, export, import)",
        "give --path (or a subcommand: list, export, import)",
    ),
    "tri_need_state": (
        "укажите --state false_positive|accepted|remediated",
        "give --state false_positive|accepted|remediated",
    ),
    "tri_cleared": ("отметка снята", "mark removed"),
    "tri_not_marked": ("отметки не было", "there was no mark"),
    "tri_marked": ("отмечено: {path} [{what}] → {state}", "marked: {path} [{what}] → {state}"),
    "tri_target_file": ("файл целиком", "whole file"),
    "tri_list_file": ("весь файл", "whole file"),
    "tri_no_marks": ("отметок нет", "no marks"),
    "tri_exported": ("выгружено отметок: {n} → {path}", "marks exported: {n} → {path}"),
    "tri_imported": ("загружено отметок: {n}", "marks imported: {n}"),
    # pdscan subject
    "subj_invalid": (
        "{option}: значение не похоже на {what}",
        "{option}: the value does not look like {what}",
    ),
    "subj_bad_name": (
        "--name: не удалось распознать ФИО; укажите «Фамилия Имя Отчество»",
        "--name: no full name recognised; give “Surname Name Patronymic”",
    ),
    "subj_none": (
        "укажите хотя бы один признак субъекта: --snils, --passport, --inn, --phone, --email или --name",
        "give at least one identifier of the subject: --snils, --passport, --inn, --phone, --email or --name",
    ),
    "subj_not_found": ("Данные субъекта в базе не найдены.", "No data of the subject in the database."),
    "subj_files": ("Файлов с данными субъекта: {n}", "Files with the subject's data: {n}"),
    "subj_file": (
        "{path}  (владелец {owner}, изменён {modified})",
        "{path}  (owner {owner}, modified {modified})",
    ),
    "subj_possible": ("  [возможно однофамилец]", "  [possibly a namesake]"),
}

# `pdscan diff`: the kinds of change, a scan's status and why an item was resolved.
CHANGE_KINDS = {
    "new": ("Новое", "New"),
    "changed": ("Изменилось", "Changed"),
    "resolved": ("Устранено", "Resolved"),
}
SCAN_STATUS = {
    "complete": ("завершено", "complete"),
    "interrupted": ("прервано", "interrupted"),
    "running": ("идёт", "running"),
}
CHANGE_REASONS = {
    "gone": ("файл удалён", "file deleted"),
    "removed": ("больше не найдено в файле", "no longer in the file"),
    "details": ("изменились подробности", "details changed"),
}

# `pdscan subject`: what a value of each option must look like (said when it does not).
SUBJECT_VALUES = {
    "snils": ("СНИЛС (11 цифр с верным контрольным числом)", "a SNILS (11 digits with a valid check number)"),
    "passport": ("серия и номер паспорта РФ (10 цифр)", "a Russian passport series and number (10 digits)"),
    "inn": (
        "ИНН физического лица (12 цифр с верными контрольными)",
        "a personal INN (12 digits with valid check digits)",
    ),
    "phone": ("российский номер телефона", "a Russian phone number"),
    "email": ("личный адрес e-mail", "a personal e-mail address"),
}

# `pdscan policy check`: who can read a file (its own Russian words, older than READER_KINDS).
POLICY_READER_KINDS = {
    "owner": ("владелец", "owner"),
    "group": ("группа", "group"),
    "other": ("остальные", "others"),
    "acl_user": ("ACL-пользователь", "ACL user"),
    "acl_group": ("ACL-группа", "ACL group"),
    "sid": ("учётная запись", "account"),
}

# The policy file's YAML node kinds, as its errors name them ("expected a string, not …").
POLICY_NODE_KINDS = {
    "mapping": ("словарь", "a mapping"),
    "sequence": ("список", "a list"),
    "nothing": ("ничего", "nothing"),
    "str": ("строка", "the string"),
    "int": ("число", "the number"),
    "float": ("дробное число", "the decimal number"),
    "bool": ("true/false", "the boolean"),
    "null": ("пусто", "an empty value"),
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

# `pdscan watch`: its log lines (%-format strings: log.info(t(key), args)) and alert texts.
WATCH_MESSAGES = {
    "w_event_error": ("ошибка обработки события %s", "error handling event %s"),
    "w_started": ("наблюдение запущено: %s", "watching started: %s"),
    "w_stopped": ("наблюдение остановлено", "watching stopped"),
    "w_status": (
        "наблюдение: прочитано %d, без изменений %d, удалено %d, оповещений %d, ошибок %d, "
        "ожидают %d, в очереди %d",
        "watching: read %d, unchanged %d, deleted %d, alerts %d, errors %d, waiting %d, queued %d",
    ),
    "w_root_replaced": (
        "папка заменена: %s; наблюдение заново и сверка изменений",
        "folder replaced: %s; watching it anew and catching up on changes",
    ),
    "w_no_inotify": (
        "уведомления ядра недоступны для %s, переход на периодический опрос",
        "kernel notifications unavailable for %s, falling back to polling",
    ),
    "w_root_down_every": (
        "папка недоступна: %s; повторная попытка каждые %.0f с",
        "folder unavailable: %s; retrying every %.0f s",
    ),
    "w_watch_failed": ("не удалось начать наблюдение за %s: %s", "cannot start watching %s: %s"),
    "w_watching": ("наблюдение за %s: %s", "watching %s: %s"),
    "w_polling": ("периодический опрос", "polling"),
    "w_inotify": ("уведомления ядра", "kernel notifications"),
    "w_root_back": (
        "папка снова доступна: %s; сверка изменений",
        "folder available again: %s; catching up on changes",
    ),
    "w_root_down": ("папка недоступна: %s; повторная попытка", "folder unavailable: %s; retrying"),
    "w_queue_error": ("ошибка в очереди изменений", "error in the change queue"),
    "w_listdir_failed": ("не удалось прочитать папку %s: %s", "cannot read folder %s: %s"),
    "w_smb_polling": (
        "наблюдение за %s: периодический опрос SMB каждые %.1f с",
        "watching %s: polling SMB every %.1f s",
    ),
    "w_poll_error": ("ошибка опроса %s", "error polling %s"),
    "w_smb_down": (
        "SMB-ресурс недоступен: %s (%s); повторная попытка каждые %g с",
        "SMB share unavailable: %s (%s); retrying every %g s",
    ),
    "w_smb_back": ("SMB-ресурс снова доступен: %s", "SMB share available again: %s"),
    "w_smb_poll_error": ("ошибка опроса SMB: %s", "SMB polling error: %s"),
    "w_stopped_error": ("наблюдение остановлено из-за ошибки", "watching stopped by an error"),
    "w_store_busy": (
        "база занята сканированием: сессию наблюдения закроет следующее сканирование",
        "the database is busy with a scan: the next scan will close the watch session",
    ),
    "w_session_close_failed": ("не удалось закрыть сессию наблюдения", "cannot close the watch session"),
    "w_db_close_failed": ("не удалось закрыть базу", "cannot close the database"),
    "w_ready": (
        "готово: обработчики запущены, ждём изменений",
        "ready: workers started, waiting for changes",
    ),
    "w_stat_failed": (
        "не удалось прочитать сведения о файле %s: %s",
        "cannot read file information of %s: %s",
    ),
    "w_catch_up": (
        "сверка %s: файлов %d, прочитано %d, без изменений %d, за %.1f с",
        "catch-up %s: files %d, read %d, unchanged %d, in %.1f s",
    ),
    "w_catch_up_muted": (
        "сверка при запуске: записано в базу без оповещения: %d",
        "start-up catch-up: stored without alerts: %d",
    ),
    "w_gone": ("удалён или перемещён: %s", "deleted or moved: %s"),
    "w_file_error": ("ошибка: %s: %s", "error: %s: %s"),
    "w_gave_up": (
        "файл так и не удалось прочитать, ждём следующего изменения: %s",
        "the file still cannot be read, waiting for its next change: %s",
    ),
    "w_signal": ("получен сигнал %s, остановка", "got signal %s, stopping"),
    # alerts: delivery log lines
    "al_queue_full": (
        "оповещения (%s): очередь переполнена, пропущено записей: %d",
        "alerts (%s): queue full, records dropped: %d",
    ),
    "al_not_delivered": ("оповещения (%s): не удалось доставить: %s", "alerts (%s): delivery failed: %s"),
    "al_hook_exit": ("оповещения (команда): код завершения %d: %s", "alerts (command): exit code %d: %s"),
    "al_mail_failed": (
        "оповещения (e-mail): не удалось отправить письмо (%s)",
        "alerts (e-mail): cannot send the letter (%s)",
    ),
    "al_sink_error": ("оповещения (%s): %s", "alerts (%s): %s"),
    "al_alert": ("оповещение: %s", "alert: %s"),
    "al_syslog_failed": ("сообщение не доставлено в syslog", "message not delivered to syslog"),
    # alerts: texts for people (e-mail subject and body)
    "al_subject": ("pdscan: найдены персональные данные", "pdscan: personal data found"),
    "al_more": ("… и ещё записей: {n}", "… and {n} more records"),
    "al_violation": ("НАРУШЕНИЕ {clause}: {rule} — {path}", "VIOLATION {clause}: {rule} — {path}"),
    "al_finding": (
        "найдено: {entity} {masked} — {path} ({where})",
        "found: {entity} {masked} — {path} ({where})",
    ),
    "al_error": ("ошибка: {error} — {path}", "error: {error} — {path}"),
    # alerts: the config file's errors
    "ac_not_mapping": (
        "{section}: ожидается словарь (ключ: значение)",
        "{section}: a mapping (key: value) is expected",
    ),
    "ac_unknown_key": (
        "{section}: неизвестный ключ «{key}»; допустимы: {allowed}",
        "{section}: unknown key “{key}”; allowed are: {allowed}",
    ),
    "ac_missing_key": (
        "{section}: не задан обязательный ключ «{key}»",
        "{section}: the required key “{key}” is missing",
    ),
    "ac_expected": ("{where}: ожидается {kind}", "{where}: {kind} is expected"),
    "ac_kind_str": ("строка", "a string"),
    "ac_kind_int": ("целое число", "an integer"),
    "ac_kind_float": ("число", "a number"),
    "ac_kind_bool": ("true/false", "true/false"),
    "ac_kind_list": ("список", "a list"),
    "ac_str_list": (
        "{where}: ожидается непустой список строк",
        "{where}: a non-empty list of strings is expected",
    ),
    "ac_file": ("файл оповещений", "alerts file"),
    "ac_facility": (
        "syslog.facility: неизвестное значение «{value}»",
        "syslog.facility: unknown value “{value}”",
    ),
    "ac_password_env": (
        "email.password_env: переменная окружения {env} не задана",
        "email.password_env: the environment variable {env} is not set",
    ),
    "ac_unreadable": ("{path}: не удалось прочитать ({error})", "{path}: cannot read it ({error})"),
    "ac_line": (", строка {n}", ", line {n}"),
    "ac_yaml": ("{path}: ошибка разбора YAML{where}", "{path}: YAML parse error{where}"),
    "ac_jsonl_open": (
        "jsonl_file: не удалось открыть {path} ({error})",
        "jsonl_file: cannot open {path} ({error})",
    ),
    "ac_syslog_connect": (
        "syslog: не удалось подключиться к {address} ({error})",
        "syslog: cannot connect to {address} ({error})",
    ),
}

# Error texts of one file (worker, pool, extractors, sources): they become {"type": "error"}
# records in the language of the scan that read the file.
EXTRACT_MESSAGES = {
    # pdscan.worker / pdscan.sources.local: reading the file
    "access_denied": ("доступ запрещён", "access denied"),
    "read_error": ("ошибка чтения: {error}", "read error: {error}"),
    "file_vanished": ("файл исчез во время сканирования", "the file vanished during the scan"),
    "file_too_big": (
        "файл больше лимита ({mb} МБ), не прочитан",
        "file larger than the limit ({mb} MB), not read",
    ),
    "text_too_long": (
        "текст файла больше лимита ({n} символов), остальное не прочитано",
        "the file's text is longer than the limit ({n} characters), the rest is not read",
    ),
    "out_of_memory": ("недостаточно памяти для обработки файла", "not enough memory to process the file"),
    "too_deep_structure": (
        "слишком глубокая вложенность структуры файла",
        "the file's structure is nested too deep",
    ),
    "corrupt_or_unsupported": (
        "файл повреждён или не поддерживается ({kind})",
        "the file is corrupt or not supported ({kind})",
    ),
    # pdscan.pool / pdscan.extract.base: a file that took the worker down or too long
    "worker_crashed": (
        "обработчик файла аварийно завершился (файл повреждён?)",
        "the file's worker crashed (corrupt file?)",
    ),
    "file_timeout": (
        "превышено время обработки файла ({s:.0f} с)",
        "the file's processing time limit exceeded ({s:.0f} s)",
    ),
    # pdscan.extract: limits and bombs
    "archive_too_deep": (
        "превышена глубина вложенности архивов ({n})",
        "archive nesting depth exceeded ({n})",
    ),
    "archive_too_many": ("в архиве больше {n} элементов", "the archive has more than {n} items"),
    "unpacked_too_big": (
        "распакованный объём превысил {mb} МБ (возможна zip-бомба)",
        "unpacked size exceeded {mb} MB (possible zip bomb)",
    ),
    "ratio_too_big": (
        "коэффициент сжатия больше {ratio:.0f}:1 (возможна zip-бомба)",
        "compression ratio above {ratio:.0f}:1 (possible zip bomb)",
    ),
    "member_too_big": ("элемент больше {mb} МБ, не прочитан", "item larger than {mb} MB, not read"),
    "member_encrypted": ("элемент зашифрован", "item encrypted"),
    "member_corrupt": ("элемент повреждён ({kind})", "item corrupt ({kind})"),
    "a_file": ("файл", "file"),
    "deep_many": (
        "больше {n} архивов глубже {lim} уровней (возможна zip-бомба)",
        "more than {n} archives deeper than {lim} levels (possible zip bomb)",
    ),
    "deep_note": (
        "вложенные архивы глубже {lim} уровней не раскрыты: {n} (первый: {where})",
        "nested archives beyond depth {lim} not opened: {n} (first: {where})",
    ),
    "archive_encrypted": ("архив зашифрован", "archive encrypted"),
    "zip_overlap": ("перекрывающиеся элементы zip (zip-бомба)", "overlapping zip items (zip bomb)"),
    "zip_offset": (
        "повреждённый zip: смещение за концом файла",
        "corrupt zip: offset past the end of the file",
    ),
    "archive_corrupt": ("повреждённый {kind}-архив ({error})", "corrupt {kind} archive ({error})"),
    "archive_part_unread": (
        "часть 7z-архива не прочитана ({error})",
        "part of the 7z archive not read ({error})",
    ),
    "member_7z_too_big": ("элемент 7z-архива больше {mb} МБ", "7z archive item larger than {mb} MB"),
    "named_member_too_big": ("элемент {name} больше {mb} МБ", "item {name} larger than {mb} MB"),
    "tar_partial": ("tar-архив повреждён, прочитан частично", "tar archive corrupt, read in part"),
    "unpacked_file_too_big": ("распакованный файл больше {mb} МБ", "unpacked file larger than {mb} MB"),
    "truncated": ("файл обрезан или повреждён", "file truncated or corrupt"),
    "truncated_partial": ("файл обрезан, прочитан частично", "file truncated, read in part"),
    "compressed_corrupt": ("повреждённый {kind}-файл ({error})", "corrupt {kind} file ({error})"),
    "rar_unread": ("{n} элемент(ов) не прочитано: {why}", "{n} item(s) not read: {why}"),
    "no_rar_tool": (
        "для чтения сжатых RAR нужна программа unrar, unar или bsdtar (libarchive-tools)",
        "reading compressed RAR needs unrar, unar or bsdtar (libarchive-tools)",
    ),
    # pdscan.extract.image: OCR
    "no_tesseract": (
        "не установлен tesseract: распознавание изображений невозможно",
        "tesseract is not installed: images cannot be recognised",
    ),
    "ocr_page_timeout": (
        "распознавание страницы дольше {s:.0f} с",
        "page recognition took longer than {s:.0f} s",
    ),
    "ocr_failed": ("tesseract: ошибка распознавания ({error})", "tesseract: recognition error ({error})"),
    "ocr_off": ("OCR выключен", "OCR off"),
    "ocr_unavailable": ("OCR недоступен", "OCR unavailable"),
    "image_unreadable": ("не удалось открыть изображение ({error})", "cannot open the image ({error})"),
    "ocr_budget": (
        "исчерпан бюджет времени на распознавание ({s:.0f} с)",
        "the recognition time budget is spent ({s:.0f} s)",
    ),
    "ocr_page_failed": ("страница {n} не распознана: {error}", "page {n} not recognised: {error}"),
    # pdscan.extract.legacy: external programs and old formats
    "tool_missing": ("не установлена программа {tool}", "the program {tool} is not installed"),
    "tool_timeout": ("{tool}: превышено время ({s:.0f} с)", "{tool}: time limit exceeded ({s:.0f} s)"),
    "tool_failed": ("{tool}: не удалось прочитать ({error})", "{tool}: cannot read ({error})"),
    "doc_encrypted": ("документ зашифрован", "document encrypted"),
    "ppt_encrypted": ("презентация зашифрована", "presentation encrypted"),
    "book_encrypted": ("книга зашифрована", "workbook encrypted"),
    "table_unreadable": ("не удалось прочитать таблицу ({error})", "cannot read the spreadsheet ({error})"),
    "a_book": ("книга", "workbook"),
    "sheet_unread": ("лист {name} не прочитан ({error})", "sheet {name} not read ({error})"),
    "rtf_unreadable": ("не удалось разобрать RTF ({error})", "cannot parse the RTF ({error})"),
    # pdscan.extract.mail
    "mail_unparsed": ("не удалось разобрать письмо", "cannot parse the letter"),
    "mail_encrypted": ("письмо зашифровано", "letter encrypted"),
    "msg_unparsed": (
        "не удалось разобрать письмо Outlook ({error})",
        "cannot parse the Outlook letter ({error})",
    ),
    "msg_corrupt": ("повреждённое письмо Outlook ({error})", "corrupt Outlook letter ({error})"),
    "mail_smime": ("письмо зашифровано (S/MIME)", "letter encrypted (S/MIME)"),
    "a_letter": ("письмо", "letter"),
    "mail_body_unread": ("тело письма не прочитано ({error})", "the letter's body not read ({error})"),
    # pdscan.extract.odf
    "odf_corrupt": (
        "повреждённый документ OpenDocument ({error})",
        "corrupt OpenDocument document ({error})",
    ),
    "odf_missing": ("в документе нет {name}", "the document has no {name}"),
    "a_document": ("документ", "document"),
    "odf_partial": ("content.xml повреждён, прочитан частично", "content.xml corrupt, read in part"),
    # pdscan.extract.office
    "ooxml_not_zip": (
        "файл {kind} повреждён: не читается как zip-архив ({error})",
        "{kind} file corrupt: cannot be read as a zip archive ({error})",
    ),
    "ooxml_total_big": (
        "распакованный размер {kind} ({mb} МБ) больше предела {cap} МБ — похоже на zip-бомбу",
        "unpacked size of the {kind} ({mb} MB) above the limit of {cap} MB — looks like a zip bomb",
    ),
    "ooxml_part_big": (
        "часть {name} распаковывается в {mb} МБ — больше предела {cap} МБ",
        "part {name} unpacks to {mb} MB — above the limit of {cap} MB",
    ),
    "ooxml_part_ratio": (
        "часть {name} сжата в {n} раз — похоже на zip-бомбу",
        "part {name} is compressed {n} times — looks like a zip bomb",
    ),
    "ooxml_part_corrupt": ("часть {name} повреждена ({error})", "part {name} corrupt ({error})"),
    "ooxml_part_over": ("часть {name} больше предела {cap} МБ", "part {name} above the limit of {cap} MB"),
    "ooxml_unpacked_over": (
        "распаковано больше {cap} МБ — похоже на zip-бомбу",
        "more than {cap} MB unpacked — looks like a zip bomb",
    ),
    "ooxml_bad_xml": (
        "часть {name} повреждена: неверный XML ({error})",
        "part {name} corrupt: invalid XML ({error})",
    ),
    "ooxml_no_main": ("файл повреждён: нет основной части документа", "file corrupt: no main document part"),
    "file_encrypted": ("файл зашифрован", "file encrypted"),
    "file_kind_corrupt": ("файл {kind} повреждён: {error}", "{kind} file corrupt: {error}"),
    "sheet_failed": ("лист «{name}» не прочитан: {error}", "sheet “{name}” not read: {error}"),
    # pdscan.extract.pdf
    "pdf_encrypted_unsupported": (
        "файл зашифрован неподдерживаемым способом",
        "file encrypted by an unsupported method",
    ),
    "pdf_corrupt": ("файл PDF повреждён ({error})", "PDF file corrupt ({error})"),
    "pdf_pages_read": (
        "{error}: прочитаны страницы 1–{i} из {total}",
        "{error}: pages 1–{i} of {total} read",
    ),
    "pdf_page_unread": ("страница {n} не прочитана ({error})", "page {n} not read ({error})"),
    "pdf_max_pages": (
        "прочитаны первые {n} страниц из {total} (предел max_pages)",
        "the first {n} pages of {total} read (max_pages limit)",
    ),
    "pdf_no_text_layer": (
        "страницы без текстового слоя не распознаны ({why}): {pages}",
        "pages without a text layer not recognised ({why}): {pages}",
    ),
    # pdscan.sources.smb / smb_conn / smbconfig / ntsd / lsa
    "smb_not_url": ("не SMB-адрес: {url}", "not an SMB address: {url}"),
    "smb_creds_in_url": (
        "имя пользователя и пароль в адресе не принимаются ({where}): "
        "задайте их в smb.ini или PDSCAN_SMB_USER/PDSCAN_SMB_PASSWORD",
        "a user name and password in the address are not accepted ({where}): "
        "give them in smb.ini or PDSCAN_SMB_USER/PDSCAN_SMB_PASSWORD",
    ),
    "smb_bad_port": ("неверный порт в адресе {url}", "invalid port in the address {url}"),
    "smb_url_form": (
        "адрес должен иметь вид smb://хост[:порт]/папка[/путь]: {url}",
        "the address must look like smb://host[:port]/share[/path]: {url}",
    ),
    "smb_hosts_unreadable": (
        "не прочитан файл со списком хостов {path}: {error}",
        "cannot read the hosts file {path}: {error}",
    ),
    "smb_hosts_line": ("{path}, строка {n}: {error}", "{path}, line {n}: {error}"),
    "smb_no_creds": (
        "не заданы учётные данные SMB: PDSCAN_SMB_USER/PDSCAN_SMB_PASSWORD или файл smb.ini (см. README)",
        "no SMB credentials: PDSCAN_SMB_USER/PDSCAN_SMB_PASSWORD or an smb.ini file (see README)",
    ),
    "smb_host_down": ("хост {where} недоступен: {error}", "host {where} unreachable: {error}"),
    "smb_no_answer": (
        "хост {where} недоступен: нет ответа за {s} с",
        "host {where} unreachable: no answer in {s} s",
    ),
    "smb_refused": (
        "хост {where} недоступен: соединение отклонено (SMB не запущен или порт закрыт)",
        "host {where} unreachable: connection refused (SMB not running or the port closed)",
    ),
    "smb_timed_out": (
        "хост {where} недоступен: нет ответа за {s} с (выключен или закрыт брандмауэром)",
        "host {where} unreachable: no answer in {s} s (switched off or behind a firewall)",
    ),
    "smb_unknown_host": (
        "хост {host} не найден (имя не разрешается)",
        "host {host} not found (the name does not resolve)",
    ),
    "smb_logon_failed": (
        "хост {where}: неверное имя пользователя или пароль",
        "host {where}: wrong user name or password",
    ),
    "smb_host_denied": ("хост {where}: доступ запрещён", "host {where}: access denied"),
    "smb_connect_error": (
        "хост {where}: ошибка подключения SMB ({error})",
        "host {where}: SMB connection error ({error})",
    ),
    "smb_no_share": ("общая папка не найдена", "share not found"),
    "smb_not_found": ("файл или папка не найдены", "file or folder not found"),
    "smb_bad_logon": ("неверное имя пользователя или пароль", "wrong user name or password"),
    "smb_closed": ("соединение SMB разорвано", "SMB connection closed"),
    "smb_error": ("ошибка SMB: {error}", "SMB error: {error}"),
    "smb_share_missing": (
        "общая папка «{share}» не найдена на {host}",
        "share “{share}” not found on {host}",
    ),
    "smb_path_missing": (
        "путь «{path}» не найден в общей папке «{share}» на {host}",
        "path “{path}” not found in share “{share}” on {host}",
    ),
    "smb_lsa_failed": (
        "SMB %s: имена SID не получены через LSA (%s)",
        "SMB %s: SID names not resolved via LSA (%s)",
    ),
    "smb_acl_unread": ("права доступа не прочитаны: {error}", "access rights not read: {error}"),
    "smb_walk_error": ("ошибка обхода: {error}", "walk error: {error}"),
    "smb_timeout": ("нет ответа от сервера SMB за {s:g} с", "no answer from the SMB server in {s:g} s"),
    "smbcfg_mode": (
        "файл с паролями SMB {path} доступен группе или всем (права {mode}); выполните: chmod 600 {path}",
        "the SMB password file {path} is readable by its group or by all (mode {mode}); run: chmod 600 {path}",
    ),
    "smbcfg_owner": (
        "файл с паролями SMB {path} принадлежит другому пользователю (uid {uid})",
        "the SMB password file {path} belongs to another user (uid {uid})",
    ),
    "smbcfg_missing": ("файл с паролями SMB не найден: {path}", "SMB password file not found: {path}"),
    "smbcfg_syntax": (
        "ошибка в файле с паролями SMB {path}: {error}",
        "error in the SMB password file {path}: {error}",
    ),
    "sd_sid_cut": ("SID обрезан", "SID truncated"),
    "sd_acl_cut": ("ACL обрезан", "ACL truncated"),
    "sd_ace_cut": ("ACE обрезан", "ACE truncated"),
    "sd_ace_size": ("неверный размер ACE", "invalid ACE size"),
    "sd_cut": ("дескриптор безопасности обрезан", "security descriptor truncated"),
    "sd_not_self_relative": (
        "дескриптор безопасности не в самоотносительном формате",
        "security descriptor not in self-relative form",
    ),
    "lsa_bad_sid": ("неверный SID {sid}", "invalid SID {sid}"),
    "lsa_bind_refused": ("bind к lsarpc отклонён", "bind to lsarpc refused"),
    "lsa_short_reply": ("короткий ответ RPC", "short RPC reply"),
}


# Every table t() looks words up in (keys are unique across them).
_ALL_MESSAGES = {**MESSAGES, **WATCH_MESSAGES, **EXTRACT_MESSAGES}


def lang() -> str:
    return "en" if os.environ.get("PDSCAN_LANG", "ru").lower().startswith("en") else "ru"


def pick(pair: tuple[str, str], language: str | None = None) -> str:
    """The word of a (Russian, English) pair in language (default: the current one)."""
    return pair[1] if (language or lang()) == "en" else pair[0]


def t(key: str, /, **kw) -> str:
    """The word for key in the current language; {name} placeholders filled from kw (when given)."""
    text = pick(_ALL_MESSAGES[key])
    return text.format(**kw) if kw else text


def entity_name(entity: str, language: str | None = None) -> str:
    return pick(ENTITY_NAMES[entity], language) if entity in ENTITY_NAMES else entity


def rule_name(rule: str, language: str | None = None) -> str:
    return pick(RULE_NAMES[rule], language) if rule in RULE_NAMES else rule


def state_name(state: str, language: str | None = None) -> str:
    return pick(STATE_NAMES[state], language) if state in STATE_NAMES else state


def years_word(n: int, language: str | None = None) -> str:
    """'year(s)' agreeing with n: год / года / лет in Russian."""
    if (language or lang()) == "en":
        return "year" if n == 1 else "years"
    if n % 10 == 1 and n % 100 != 11:
        return "год"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "года"
    return "лет"


def clause_label(clause: str, language: str | None = None) -> str:
    """A clause of the Положение: "п. 3.6.2" in Russian, "cl. 3.6.2" in English."""
    if (language or lang()) == "en":
        return re.sub(r"(?<!\w)п\.\s*", "cl. ", clause)
    return clause


def report_words(language: str | None = None) -> dict[str, str]:
    """REPORT_WORDS in one language."""
    return {k: pick(v, language) for k, v in REPORT_WORDS.items()}
