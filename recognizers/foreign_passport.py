"""RU_FOREIGN_PASSPORT: заграничный паспорт, 9 digits ("75 1234567", "751234567"). Context required."""

from __future__ import annotations

from presidio_analyzer import Pattern

from recognizers.base import NUM_END, NUM_START, SP, RuPatternRecognizer, digits


class RuForeignPassportRecognizer(RuPatternRecognizer):
    ENTITY = "RU_FOREIGN_PASSPORT"
    PATTERNS = [
        Pattern(
            "foreign_passport",
            rf"{NUM_START}\d\d{SP}?(?:(?:№|N){SP}?)?\d{{7}}{NUM_END}",
            0.3,
        ),
    ]
    CONTEXT = [
        "загран",  # загранпаспорт, загранпаспорта, заграничный паспорт
        "заграничн",
        "international passport",
        "foreign passport",
        "для выезда",
        "биометрическ",
    ]
    NEGATIVE_CONTEXT = ["кпп", "бик", "окпо", "октмо", "огрн", "инн", "счет", "счёт", "заказ", "тел", "снилс"]
    REQUIRES_CONTEXT = True
    MIN_DIGITS = 9
    PRIORITY = 5

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        if len(value) != 9 or value[2:] == "0000000":
            return None
        return value
