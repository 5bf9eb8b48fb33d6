"""RU_PASSPORT: the internal passport of a citizen of Russia, series (4 digits) + number (6).

Forms: "серия 05 06 № 123456", "0506 123456", "05 06 123456", "0506№123456", and series and
number in two table cells ("0506\\t123456" under a "Серия\\tНомер" header). No checksum exists;
the series' last two digits are the year the blank was printed (1997 onwards), which rules out
most random numbers (a 10-digit company INN "2536123456" has year 36). Context is required.
"""

from __future__ import annotations

import datetime

from presidio_analyzer import Pattern

from recognizers.base import NUM_END, NUM_START, SP, RuPatternRecognizer, digits

# Blanks are printed for the next year too; a scan process is not expected to span decades.
_THIS_YEAR = datetime.date.today().year % 100

# Between series and number: spaces, a tab (table cells), "№", "N", "номер", a comma.
# Bounded repeats: a long run of spaces must not make the regex backtrack quadratically.
_SEP = r"[ \u00a0\u202f\t\n]{0,3}[,;]?[ \u00a0\u202f\t\n]{0,3}(?:(?:№|N|No\.?|[Нн]омер:?|[Нн]\.)[ \u00a0\u202f\t\n]{0,3})?"


class RuPassportRecognizer(RuPatternRecognizer):
    ENTITY = "RU_PASSPORT"
    PATTERNS = [
        Pattern("passport", rf"{NUM_START}\d\d{SP}?\d\d{_SEP}\d{{6}}{NUM_END}", 0.3),
    ]
    CONTEXT = [
        "паспорт",  # паспорт, паспорта, паспортом, паспортные данные
        "серия",
        "серии",
        "сери",
        "выдан",  # выдан, выдана, выданный
        "код подразделения",
        "удостоверяющ",  # документ, удостоверяющий личность
        "удостоверение личности",
        "дул",
        "passport",
    ]
    NEGATIVE_CONTEXT = [
        "технический паспорт",
        "техпаспорт",
        "техническим паспортом",
        "технического паспорта",
        "паспорт дома",
        "паспорта дома",
        "паспорт многоквартирного",
        "паспорт объекта",
        "паспорт здания",
        "паспорт изделия",
        "паспорт прибора",
        "паспорт счетчика",
        "паспорт счётчика",
        "паспорт качества",
        "паспорт безопасности",
        "энергетический паспорт",
        "паспорт транспортного",
        "птс",
        "паспорт сделки",
        "инн",
        "огрн",
        "кпп",
        "счет",
        "счёт",
        "лицев",
        "заказ",
        "договор",
        "водительск",
        "в/у",
        "вод. уд",
        "вод.уд",
        "вод. удост",
        "военн",
        "в/б",
        "полис",
        "енп",
        "снилс",
        "ву",
        "загран",
        "тел",
    ]
    REQUIRES_CONTEXT = True
    MIN_DIGITS = 10
    PRIORITY = 5

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        if len(value) != 10 or value[4:] == "000000" or value[:2] == "00":
            return None
        year = int(value[2:4])
        if not (year >= 97 or year <= _THIS_YEAR + 1):
            return None
        return value
