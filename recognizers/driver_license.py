"""RU_DRIVER_LICENSE: водительское удостоверение, 10 characters.

New form: 4 digits + 6 digits ("99 00 123456"); old form: 2 digits, 2 letters, 6 digits
("77 АВ 123456"). Latin look-alike letters are mapped to Cyrillic. Context required.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from recognizers.base import LATIN_TO_CYRILLIC, NUM_END, NUM_START, SP, RuPatternRecognizer

_LETTERS = "АВЕКМНОРСТУХABEKMHOPCTYX"
_VALUE = re.compile(r"^(\d\d)(\d\d|[АВЕКМНОРСТУХ]{2})(\d{6})$")
_JUNK = re.compile(r"[\s№N]+")


class RuDriverLicenseRecognizer(RuPatternRecognizer):
    ENTITY = "RU_DRIVER_LICENSE"
    PATTERNS = [
        Pattern(
            "driver_license",
            rf"{NUM_START}\d\d{SP}?(?:\d\d|[{_LETTERS}]{{2}})[ \u00a0\u202f\t\n]{{0,3}}(?:№[ \u00a0\u202f\n]{{0,3}})?\d{{6}}{NUM_END}",
            0.3,
        ),
    ]
    CONTEXT = [
        "водительск",  # водительское удостоверение, водительского удостоверения
        "водит",
        "в/у",
        "ву",
        "вод. уд",
        "вод.уд",
        "driver",
        "driving",
    ]
    NEGATIVE_CONTEXT = [
        "паспорт",
        "серия и номер паспорта",
        "инн",
        "огрн",
        "счет",
        "счёт",
        "тел",
        "снилс",
        "полис",
    ]
    REQUIRES_CONTEXT = True
    MIN_DIGITS = 8
    PRIORITY = 4

    def normalize(self, text: str) -> str | None:
        value = _JUNK.sub("", text).translate(LATIN_TO_CYRILLIC).upper()
        m = _VALUE.match(value)
        if not m or m.group(3) == "000000":
            return None
        return value
