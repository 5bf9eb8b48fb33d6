"""EMAIL_ADDRESS: an e-mail address, normalised to lower case.

Role mailboxes (info@, office@, buh@...) belong to an organisation, not a person, and are
left out; so is a letterhead address next to the organisation's КПП/ОГРН/р/с (fast path).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from recognizers.base import RuPatternRecognizer

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?"
_LABEL = r"[A-Za-z0-9А-Яа-яЁё](?:[A-Za-z0-9А-Яа-яЁё\-]{0,61}[A-Za-z0-9А-Яа-яЁё])?"
_TLD = r"(?:[A-Za-z]{2,24}|рф|РФ|xn--[a-z0-9\-]{2,30})"

ROLE_MAILBOXES = frozenset(
    """info office mail post admin administrator support help sales zakaz order orders buh
    buhgalteria accounting secretary priem priemnaya reception hr kadry ok
    noreply no-reply webmaster postmaster abuse contact contacts press pr marketing service
    tender tenders dispatch dispetcher uk tsj tszh""".split()
)


class RuEmailRecognizer(RuPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern("email", rf"(?<![\w.%+\-@]){_LOCAL}@(?:{_LABEL}\.){{1,8}}{_TLD}(?![\w\-]|\.\w)", 0.6),
    ]
    CONTEXT = ["почт", "e-mail", "email", "эл.", "электронн", "mail", "адрес"]
    MIN_DIGITS = 0
    TRIGGER = "@"
    ORG_SENSITIVE = True
    PRIORITY = 7

    def invalidate_result(self, pattern_text: str) -> bool | None:
        local = pattern_text.split("@", 1)[0].lower()
        return local in ROLE_MAILBOXES

    def normalize(self, text: str) -> str | None:
        value = text.strip().lower()
        local, _, domain = value.partition("@")
        if not local or ".." in value or local in ROLE_MAILBOXES or "." not in domain:
            return None
        return value
