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


def lang() -> str:
    return "en" if os.environ.get("PDSCAN_LANG", "ru").lower().startswith("en") else "ru"


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if lang() == "en" else pair[0]


def t(key: str, **kw) -> str:
    return _pick(MESSAGES[key]).format(**kw)


def entity_name(entity: str) -> str:
    return _pick(ENTITY_NAMES[entity]) if entity in ENTITY_NAMES else entity


def rule_name(rule: str) -> str:
    return _pick(RULE_NAMES[rule]) if rule in RULE_NAMES else rule
