"""pdscan's Russian recognizers: one Presidio PatternRecognizer per identifier.

    from recognizers import identifier_recognizers, build_analyzer
    analyzer = build_analyzer()            # stock AnalyzerEngine, language "ru"
    analyzer.analyze(text, language="ru")

``register_identifier_recognizers(analyzer)`` adds them to an AnalyzerEngine you built.
The fast scan path (``pdscan.detect.Detector``) uses the same classes without Presidio's engine.
"""

from __future__ import annotations

from pathlib import Path

from recognizers.base import RuPatternRecognizer
from recognizers.credit_card import RuCreditCardRecognizer
from recognizers.driver_license import RuDriverLicenseRecognizer
from recognizers.email import RuEmailRecognizer
from recognizers.foreign_passport import RuForeignPassportRecognizer
from recognizers.inn import RuInnRecognizer
from recognizers.military_id import RuMilitaryIdRecognizer
from recognizers.oms import RuOmsPolicyRecognizer
from recognizers.passport import RuPassportRecognizer
from recognizers.phone import RuPhoneRecognizer
from recognizers.snils import RuSnilsRecognizer

IDENTIFIER_CLASSES: tuple[type[RuPatternRecognizer], ...] = (
    RuPassportRecognizer,
    RuSnilsRecognizer,
    RuInnRecognizer,
    RuPhoneRecognizer,
    RuEmailRecognizer,
    RuCreditCardRecognizer,
    RuOmsPolicyRecognizer,
    RuMilitaryIdRecognizer,
    RuForeignPassportRecognizer,
    RuDriverLicenseRecognizer,
)

IDENTIFIER_ENTITIES: frozenset[str] = frozenset(c.ENTITY for c in IDENTIFIER_CLASSES)


def identifier_recognizers() -> list[RuPatternRecognizer]:
    """Fresh instances of every identifier recognizer (language "ru")."""
    return [cls() for cls in IDENTIFIER_CLASSES]


def register_identifier_recognizers(analyzer, recognizers: list | None = None) -> None:
    """Add the identifier recognizers to a Presidio AnalyzerEngine's registry."""
    for rec in recognizers if recognizers is not None else identifier_recognizers():
        analyzer.registry.add_recognizer(rec)


def build_analyzer(model: str | Path | None = None, recognizers: list | None = None):
    """A stock Presidio AnalyzerEngine for "ru" holding only pdscan's identifier recognizers.

    ``model``: a spaCy pipeline path or package for the NLP engine; blank "ru" when None or
    when it cannot be loaded.
    """
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from recognizers.nlp import load_nlp_engine

    # Filled before the engine sees it: an empty registry makes Presidio load its English set.
    registry = RecognizerRegistry(recognizers=[], supported_languages=["ru"])
    for rec in recognizers if recognizers is not None else identifier_recognizers():
        registry.add_recognizer(rec)
    return AnalyzerEngine(registry=registry, nlp_engine=load_nlp_engine(model), supported_languages=["ru"])


__all__ = [
    "IDENTIFIER_CLASSES",
    "IDENTIFIER_ENTITIES",
    "RuPatternRecognizer",
    "build_analyzer",
    "identifier_recognizers",
    "register_identifier_recognizers",
]
