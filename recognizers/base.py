"""Common base for pdscan's Russian recognizers.

Each recognizer is a stock Presidio ``PatternRecognizer`` (patterns, context words,
``validate_result`` with the checksum), so it works inside a plain ``AnalyzerEngine``
for language "ru". pdscan's fast path (``pdscan/detect.py``) uses the same class
attributes directly: the compiled patterns, ``normalize`` and ``validate_result``,
and a cheap context check on a window around the match.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer


class RuPatternRecognizer(PatternRecognizer):
    """A Presidio PatternRecognizer with the extra knobs pdscan's fast path reads."""

    ENTITY: str = ""
    PATTERNS: list[Pattern] = []
    # Context words: Presidio compares them to lemmas; the fast path matches them as
    # lower-case prefixes (stems) in a window, so list the stem forms too.
    CONTEXT: list[str] = []
    # Phrases that cancel a hit when found in the window ("технический паспорт").
    NEGATIVE_CONTEXT: list[str] = []
    # True: a hit without a context word is dropped (passport, ОМС, military id...).
    REQUIRES_CONTEXT: bool = False
    # Characters around the match searched for context words by the fast path.
    CONTEXT_WINDOW: int = 80

    def __init__(self, supported_language: str = "ru", **kwargs):
        kwargs.setdefault("patterns", self.PATTERNS)
        kwargs.setdefault("context", self.CONTEXT)
        kwargs.setdefault("supported_entity", self.ENTITY)
        super().__init__(supported_language=supported_language, **kwargs)

    def normalize(self, text: str) -> str | None:
        """The canonical form used for the fingerprint, or None when the text is not a value."""
        raise NotImplementedError

    def mask(self, normalized: str) -> str:
        """A masked form that reveals at most the last 4 characters."""
        keep = 2 if len(normalized) <= 8 else 4
        return "*" * (len(normalized) - keep) + normalized[-keep:]
