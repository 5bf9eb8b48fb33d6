"""RU_OMS_POLICY: the single number of a compulsory medical insurance policy (ЕНП), 16 digits.

The ЕНП control digit is computed like Luhn's, so a 16-digit number valid for one is valid for
the other: context decides (полис, ОМС, ЕНП). Without such a word the hit is dropped.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum import luhn

from recognizers.base import NUM_END, NUM_START, RuPatternRecognizer, digits

_S = r"[ \u00a0\u202f\-\n]?"


class RuOmsPolicyRecognizer(RuPatternRecognizer):
    ENTITY = "RU_OMS_POLICY"
    PATTERNS = [
        Pattern("oms_enp", rf"{NUM_START}\d{{4}}{_S}\d{{4}}{_S}\d{{4}}{_S}\d{{4}}{NUM_END}", 0.3),
    ]
    CONTEXT = [
        "омс",
        "полис",  # полис, полиса, полисом
        "енп",
        "единый номер полиса",
        "медицинск",  # обязательного медицинского страхования
        "мед. страх",
    ]
    NEGATIVE_CONTEXT = ["карт", "card", "visa", "mastercard", "счет", "счёт", "р/с", "осаго", "каско"]
    REQUIRES_CONTEXT = True
    MIN_DIGITS = 16
    PRIORITY = 3

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        if len(value) != 16 or value.startswith("0000") or not luhn.is_valid(value):
            return None
        return value
