"""PHONE_NUMBER: a Russian (+7) phone number, normalised to "+7XXXXXXXXXX".

Forms: "+7 914 123-45-67", "8 (4234) 32-15-67", "89141234567", "(4232) 22-33-44", and, with a
context word only, ten bare digits of a mobile number "914 123 45 67". The numbering plan
(area and mobile codes, lengths) is checked with phonenumbers. A passport or account number
is not a phone: they fail the plan, or their own label stands nearer than a phone label.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from presidio_analyzer import Pattern

from recognizers.base import NUM_END, RuPatternRecognizer, digits

_S = r"[ \u00a0\u202f\-\n]?"
# Area code of 3-5 digits, optionally in parentheses, then the subscriber number.
_REST = rf"{_S}(?:\(\d{{3,5}}\)|\d{{3,5}}){_S}\d{{1,3}}{_S}\d\d{_S}\d\d"
_START = r"(?<![\d+.,/\-])"


_SERVICE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)


# The +7 plan's patterns (regions RU and KZ in phonenumbers' metadata) decide a 10-digit number's
# type on its first digits: every pattern is a prefix followed by at least four free digits
# ("9…\d{4}", "3…\d{7}"). So the verdict is cached per prefix: a register of thousands of
# different numbers asks phonenumbers a few dozen times. tests/test_recognizers.py checks the
# metadata still has this shape.
PLAN_PREFIX = 6


def plan_valid(national: str) -> bool:
    """A 10-digit national number valid in the +7 plan (Russia, Kazakhstan) per phonenumbers."""
    return _prefix_valid(national[:PLAN_PREFIX])


@lru_cache(maxsize=1 << 16)  # a real corpus has a few thousand prefixes
def _prefix_valid(prefix: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=7, national_number=int(prefix.ljust(10, "0")))
    # For +7 (regions RU and KZ) is_valid_number(n) is number_type(n) != UNKNOWN; asking for the
    # type alone runs the plan's patterns once instead of twice.
    kind = phonenumbers.number_type(number)
    # 8-800 and other service numbers belong to organisations, never to a person.
    return kind != phonenumbers.PhoneNumberType.UNKNOWN and kind not in _SERVICE_TYPES


class RuPhoneRecognizer(RuPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern("phone_plus7", rf"(?<![\d+])\+7{_REST}{NUM_END}", 0.6),
        Pattern("phone_8", rf"{_START}8{_REST}{NUM_END}", 0.55),
        Pattern("phone_area_parens", rf"{_START}\(\d{{3,5}}\){_S}\d{{1,3}}{_S}\d\d{_S}\d\d{NUM_END}", 0.5),
        # "7 914 123 45 67" / "79141234567" without the plus: also an 11-digit SNILS shape.
        Pattern("phone_7", rf"{_START}7{_REST}{NUM_END}", 0.35),
        Pattern("phone_mobile_bare", rf"{_START}9\d\d{_S}\d{{3}}{_S}\d\d{_S}\d\d{NUM_END}", 0.3),
    ]
    CONTEXT = [
        "тел",  # тел., телефон, телефона, телефону
        "моб",  # моб., мобильный
        "сот",  # сот., сотовый
        "контакт",
        "звонит",
        "whatsapp",
        "viber",
        "telegram",
        "phone",
        "mobile",
        "факс",
    ]
    NEGATIVE_CONTEXT = [
        "паспорт",
        "серия",
        "снилс",
        "инн",
        "огрн",
        "кпп",
        "бик",
        "окпо",
        "октмо",
        "оквэд",
        "счет",
        "счёт",
        "р/с",
        "к/с",
        "лицев",
        "полис",
        "омс",
        "карт",
        "заказ",
        "накладн",
        "договор",
        "показани",
        "водит",
        "вод. уд",
        "вод.уд",
        "ву",
        "в/у",
        "военн",
        "в/б",
        "загран",
        "енп",
    ]
    MIN_DIGITS = 10
    ORG_SENSITIVE = True
    PRIORITY = 3

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        # "+7…" / "8…" / "7…" carry the trunk or country digit: 11 digits; "(4234)…" / "914…": 10.
        if text.lstrip()[:1] in "+78":
            if len(value) != 11 or value[0] not in "78":
                return None
            value = value[1:]
        if len(value) != 10:
            return None
        return "+7" + value if plan_valid(value) else None
