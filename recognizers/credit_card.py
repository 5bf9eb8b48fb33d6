"""CREDIT_CARD: a payment card number, 13-19 digits, Luhn (stdnum.luhn) and a known issuer prefix.

Issuers: МИР 2200-2204, Visa 4, Mastercard 51-55 and 2221-2720, Maestro 50/56-69, UnionPay 62,
JCB 3528-3589, Amex 34/37. A 16-digit ЕНП (ОМС policy) also passes Luhn: an ОМС label nearer
than a card label hands it to RU_OMS_POLICY.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum import luhn

from recognizers.base import NUM_END, NUM_START, RuPatternRecognizer, digits


def issuer_ok(value: str) -> bool:
    n = len(value)
    p2, p4 = int(value[:2]), int(value[:4])
    if 2200 <= p4 <= 2204:  # МИР
        return 16 <= n <= 19
    if value[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if 3528 <= p4 <= 3589:  # JCB
        return 16 <= n <= 19
    if p2 == 62:  # UnionPay
        return 16 <= n <= 19
    if p2 == 50 or 56 <= p2 <= 69:  # Maestro
        return 12 <= n <= 19
    return False


class RuCreditCardRecognizer(RuPatternRecognizer):
    ENTITY = "CREDIT_CARD"
    PATTERNS = [
        # 4-4-4-4 with one kind of separator (no back-references: the fast path combines patterns), optionally up to 3 more digits (19-digit МИР).
        Pattern(
            "card_grouped",
            rf"{NUM_START}\d{{4}}(?:(?: \d{{4}}){{3}}(?: ?\d{{1,3}})?|(?:\u00a0\d{{4}}){{3}}(?:\u00a0?\d{{1,3}})?|(?:-\d{{4}}){{3}}(?:-?\d{{1,3}})?){NUM_END}",
            0.6,
        ),
        Pattern("card_amex", rf"{NUM_START}3[47]\d\d[ \u00a0]\d{{6}}[ \u00a0]\d{{5}}{NUM_END}", 0.6),
        Pattern("card_bare", rf"{NUM_START}\d{{13,19}}{NUM_END}", 0.5),
    ]
    CONTEXT = [
        "карт",  # карта, карты, картой, банковская карта
        "card",
        "visa",
        "mastercard",
        "maestro",
        "мир",
        "cvv",
        "cvc",
        "оплат",
        "держател",
    ]
    NEGATIVE_CONTEXT = [
        "омс",
        "полис",
        "енп",
        "медицинск",
        "огрн",
        "инн",
        "счет",
        "счёт",
        "р/с",
        "к/с",
        "лицев",
        "заказ",
        "накладн",
        "снилс",
        "паспорт",
    ]
    MIN_DIGITS = 13
    PRIORITY = 2

    def normalize(self, text: str) -> str | None:
        value = digits(text)
        if not 13 <= len(value) <= 19 or not issuer_ok(value) or not luhn.is_valid(value):
            return None
        return value
