"""Common base for pdscan's Russian recognizers.

Each recognizer is a stock Presidio ``PatternRecognizer`` (patterns, context words,
``validate_result`` with the checksum), so it works inside a plain ``AnalyzerEngine``
for language "ru". pdscan's fast path (``pdscan/detect.py``) uses the same class
attributes directly: the compiled patterns, ``normalize`` and ``validate_result``,
and a cheap context check on a window around the match.

Context words are lower-case stems: Presidio's lemma enhancer matches them as
substrings of lemmas, the fast path as substrings of the lower-cased window, so one
stem ("паспорт") covers every grammatical form ("паспорта", "паспортом", "загранпаспорт").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import Pattern, PatternRecognizer

# Latin letters that look like Cyrillic ones (military id series, driver licence series).
LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXYabcehkmoptxy", "АВСЕНКМОРТХУавсенкмортху")
_NON_DIGIT = re.compile(r"\D+")

# No IGNORECASE: Presidio's default would let "по 1234567" pass for a military id series.
REGEX_FLAGS = re.MULTILINE


# Number boundaries: not glued to other digits, nor part of "12.34", "1/2", "40702-810...".
NUM_START = r"(?<![\d.,/\-])"
NUM_END = r"(?!\d|[.,/\-]\d)"
# Spaces inside a number: space, no-break space, narrow no-break space, and a line break
# (PDF text wraps lines inside "серия 05 06\n№ 123456").
SP = "[ \u00a0\u202f\n]"


def _stems_regex(words: list[str]) -> re.Pattern:
    """Lower-case stems at a word start, longest first (a phrase spans the words inside it)."""
    alts = sorted({w.lower() for w in words}, key=len, reverse=True)
    if not alts:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"(?<![0-9a-zа-яё])(?:" + "|".join(map(re.escape, alts)) + ")")


def digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


class RuPatternRecognizer(PatternRecognizer):
    """A Presidio PatternRecognizer with the extra knobs pdscan's fast path reads."""

    ENTITY: str = ""
    PATTERNS: list[Pattern] = []
    # Context words: Presidio compares them to lemmas; the fast path matches them as
    # lower-case prefixes (stems) in a window, so list the stem forms too.
    CONTEXT: list[str] = []
    # Phrases that cancel a hit when found in the window ("технический паспорт").
    # The fast path applies them as the nearest label: a negative phrase that stands
    # closer before the hit than any context word cancels it.
    NEGATIVE_CONTEXT: list[str] = []
    # True: a hit without a context word is dropped (passport, ОМС, military id...).
    REQUIRES_CONTEXT: bool = False
    # Characters around the match searched for context words by the fast path.
    CONTEXT_WINDOW: int = 80
    # Fast path: added to the pattern score when a context word is found.
    CONTEXT_BOOST: float = 0.35
    # Fast path: the least number of digits a candidate needs to reach this recognizer
    # (0 with TRIGGER "@": e-mail candidates are found around "@").
    MIN_DIGITS: int = 7
    TRIGGER: str = "digits"  # "digits" | "@"
    # Fast path: an organisation's own contact (letterhead next to КПП/ОГРН/р/с) is not PD.
    ORG_SENSITIVE: bool = False
    # Fast path: which entity wins when two hits overlap with equal score (higher wins).
    PRIORITY: int = 0

    def __init__(self, supported_language: str = "ru", **kwargs):
        kwargs.setdefault("patterns", [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS])
        kwargs.setdefault("context", self.CONTEXT)
        kwargs.setdefault("supported_entity", self.ENTITY)
        kwargs.setdefault("global_regex_flags", REGEX_FLAGS)
        super().__init__(supported_language=supported_language, **kwargs)
        self.compiled = [(re.compile(p.regex, REGEX_FLAGS), p.score) for p in self.patterns]
        self._neg_rx: re.Pattern | None = None
        self._ctx_rx: re.Pattern | None = None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        """Presidio's pattern matching, then the negative labels: a hit whose nearest label
        before it is a NEGATIVE_CONTEXT phrase ("технический паспорт дома 0506 123456") is dropped,
        as on pdscan's fast path (Presidio itself only ever raises scores from context)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if not self.NEGATIVE_CONTEXT or not results:
            return results
        return [r for r in results if not self.negative_nearer(text, r.start)]

    def negative_nearer(self, text: str, start: int) -> bool:
        """True when a negative phrase stands nearer before ``start`` than any context word."""
        if self._neg_rx is None:
            self._neg_rx = _stems_regex(self.NEGATIVE_CONTEXT)
            self._ctx_rx = _stems_regex(self.CONTEXT)
        pre = text[max(0, start - self.CONTEXT_WINDOW) : start].lower().replace("\n", " ")
        # Only a label with no other number between it and the hit labels this hit.
        negs = [m.span() for m in self._neg_rx.finditer(pre) if not any(c.isdigit() for c in pre[m.end() :])]
        if not negs:
            return False
        pos = max(
            (m.start() for m in self._ctx_rx.finditer(pre) if not any(a <= m.start() < b for a, b in negs)),
            default=-1,
        )
        return max(a for a, _ in negs) > pos

    def validate_result(self, pattern_text: str) -> bool | None:
        """Presidio hook. True lifts the score to 1.0 in Presidio, so a recognizer that needs
        context answers None for a valid value and lets Presidio's context enhancer decide."""
        if self.normalize(pattern_text) is None:
            return False
        return None if self.REQUIRES_CONTEXT else True

    def normalize(self, text: str) -> str | None:
        """The canonical form used for the fingerprint, or None when the text is not a value."""
        raise NotImplementedError

    def mask(self, normalized: str) -> str:
        """A masked form that reveals at most the last 4 characters."""
        keep = 2 if len(normalized) <= 8 else 4
        return "*" * (len(normalized) - keep) + normalized[-keep:]


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation as a prefix tree (greedy, so the longest word wins): the regex engine
    rejects a position on its first character instead of trying every word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)
