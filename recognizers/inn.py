"""RU_INN: a natural person's taxpayer number, 12 digits with two control digits (stdnum.ru.inn).

A 10-digit INN belongs to an organisation and is not personal data: the pattern never
matches 10 digits, and validation refuses anything but 12.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.ru import inn as stdnum_inn

from recognizers.base import NUM_END, NUM_START, RuPatternRecognizer, digits


class RuInnRecognizer(RuPatternRecognizer):
    ENTITY = "RU_INN"
    PATTERNS = [
        Pattern("inn_personal", rf"{NUM_START}\d{{12}}{NUM_END}", 0.4),
        Pattern("inn_personal_spaced", rf"{NUM_START}\d{{4}}[ \u00a0]\d{{6}}[ \u00a0]\d\d{NUM_END}", 0.3),
    ]
    CONTEXT = [
        "инн",
        "налогоплательщик",  # идентификационный номер налогоплательщика
        "идентификационный номер",
        "идентификационного номера",
        "taxpayer",
        "inn",
    ]
    NEGATIVE_CONTEXT = ["огрн", "счет", "счёт", "р/с", "заказ", "тел"]
    MIN_DIGITS = 12
    PRIORITY = 4

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        if len(value) != 12 or value.startswith("00"):
            return None
        return value if stdnum_inn.is_valid(value) else None
