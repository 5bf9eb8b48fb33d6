"""A stock-Presidio wrapper for pdscan's function-style detectors (names, addresses, birth dates).

Those detectors are plain ``find(text, context="") -> list[Detection]`` functions, which is what
the fast path calls; this base class lets a stock ``AnalyzerEngine`` (language "ru") call them too.
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pdscan.model import Detection


class FinderRecognizer(EntityRecognizer):
    """Subclasses set ENTITY and EXPLANATION and implement ``find`` and ``mask``."""

    ENTITY: str = ""
    EXPLANATION: str = ""

    def __init__(self, supported_language: str = "ru", **kwargs) -> None:
        kwargs.setdefault("supported_entities", [self.ENTITY])
        kwargs.setdefault("name", type(self).__name__)
        super().__init__(supported_language=supported_language, **kwargs)

    def load(self) -> None:
        pass

    def find(self, text: str) -> list[Detection]:
        raise NotImplementedError

    def mask(self, normalized: str) -> str:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [
            RecognizerResult(
                self.ENTITY,
                d.start,
                d.end,
                d.score,
                AnalysisExplanation(type(self).__name__, d.score, textual_explanation=self.EXPLANATION),
            )
            for d in self.find(text)
        ]

    def normalize(self, text: str) -> str | None:
        """The fingerprint form of the first value in text (for subject requests), or None."""
        found = self.find(text)
        return found[0].normalized if found else None
