"""RU_SNILS: insurance number of the personal account, 11 digits "123-456-789 01" with a checksum."""

from __future__ import annotations

from operator import mul

from presidio_analyzer import Pattern

from recognizers.base import NUM_END, NUM_START, RuPatternRecognizer, digits

_S = r"[ \u00a0\u202f\-\n]"


_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, 1)


def snils_check(first9: str) -> str:
    """The two control digits: sum of digit × (9 - position), reduced modulo 101 to two digits."""
    total = sum(map(mul, map(int, first9), _WEIGHTS))  # map/mul: no Python frame per digit
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def is_valid_snils(value: str) -> bool:
    # Numbers up to 001-001-998 were issued without a checksum; treat them as not a value.
    return (
        len(value) == 11
        and value.isdigit()
        and int(value[:9]) > 1001998
        and snils_check(value[:9]) == value[9:]
    )


class RuSnilsRecognizer(RuPatternRecognizer):
    ENTITY = "RU_SNILS"
    PATTERNS = [
        # Grouped like a СНИЛС: 3-3-3 and 2, with dashes or spaces.
        Pattern("snils_grouped", rf"{NUM_START}\d{{3}}{_S}\d{{3}}{_S}\d{{3}}{_S}{{1,2}}\d\d{NUM_END}", 0.7),
        # Eleven bare digits: also a phone shape; needs a context word.
        Pattern("snils_bare", rf"{NUM_START}\d{{11}}{NUM_END}", 0.3),
    ]
    CONTEXT = [
        "снилс",
        "страхов",  # страховой номер, страхового свидетельства
        "пенсионн",  # пенсионное свидетельство
        "индивидуального лицевого",
        "илс",
        "пфр",
        "сфр",
    ]
    NEGATIVE_CONTEXT = ["тел", "инн", "огрн", "счет", "счёт", "паспорт", "полис"]
    MIN_DIGITS = 11
    PRIORITY = 6

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        return value if is_valid_snils(value) else None
