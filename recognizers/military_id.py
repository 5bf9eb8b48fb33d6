"""RU_MILITARY_ID: военный билет, series of two Cyrillic letters and seven digits, "АБ 1234567".

Latin look-alike letters ("AB 1234567") are mapped to Cyrillic before normalising; the
normalised form is "АБ1234567". A context word is required.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from recognizers.base import LATIN_TO_CYRILLIC, NUM_END, RuPatternRecognizer

_LETTER = "А-ЯЁABCEHKMOPTXY"
_VALUE = re.compile(r"^([А-ЯЁ]{2})[^\d]*(\d{7})$")


class RuMilitaryIdRecognizer(RuPatternRecognizer):
    ENTITY = "RU_MILITARY_ID"
    PATTERNS = [
        Pattern(
            "military_id",
            rf"(?<![\w])[{_LETTER}]{{2}}[ \u00a0\u202f]?(?:№|N)?[ \u00a0\u202f]?\d{{7}}{NUM_END}",
            0.3,
        ),
    ]
    CONTEXT = [
        "военн",  # военный билет, военного билета, военнообязанный
        "воинск",  # воинский учёт
        "в/б",
        "военкомат",
        "призыв",
        "запаса",
        "military",
    ]
    NEGATIVE_CONTEXT = ["паспорт", "полис", "птс", "госномер"]
    REQUIRES_CONTEXT = True
    MIN_DIGITS = 7
    PRIORITY = 5

    def normalize(self, text: str) -> str | None:
        m = _VALUE.match(text.strip().translate(LATIN_TO_CYRILLIC).upper())
        if not m or m.group(2) == "0000000" or set(m.group(1)) & set("ЪЬЫ"):
            return None
        return m.group(1) + m.group(2)
