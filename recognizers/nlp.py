"""A Russian NLP engine for a stock Presidio AnalyzerEngine.

Presidio needs an NLP engine for language "ru" (tokens and lemmas for its context
enhancer). ``load_nlp_engine(model)`` loads a spaCy pipeline from a path or package name
(pdscan's own pipeline in ``models/``), and falls back to ``spacy.blank("ru")`` with a
pymorphy3 lookup lemmatizer, which needs no download.
"""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

log = logging.getLogger(__name__)


def blank_ru() -> spacy.language.Language:
    nlp = spacy.blank("ru")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3_lookup"})
        nlp.initialize()
    except (ImportError, ValueError) as exc:  # no pymorphy3: tokens only, lemmas = text
        log.warning("pymorphy3 lemmatizer unavailable: %s", exc)
        nlp = spacy.blank("ru")
    return nlp


def load_spacy_ru(model: str | Path | None = None) -> spacy.language.Language:
    """spaCy pipeline from ``model`` (path or installed package); blank "ru" when it cannot load."""
    if model:
        try:
            return spacy.load(model)
        except (OSError, ValueError, ImportError) as exc:
            log.warning("spaCy model %s not loaded (%s); using blank 'ru'", model, exc)
    return blank_ru()


class RuSpacyNlpEngine(SpacyNlpEngine):
    """SpacyNlpEngine for "ru" that takes an already-built spaCy pipeline."""

    def __init__(self, model: str | Path | None = None, nlp: spacy.language.Language | None = None):
        super().__init__(
            models=[{"lang_code": "ru", "model_name": str(model or "blank:ru")}],
            ner_model_configuration=NerModelConfiguration(labels_to_ignore=["O"]),
        )
        self._model = model
        self._pipeline = nlp

    def load(self) -> None:
        self.nlp = {"ru": self._pipeline or load_spacy_ru(self._model)}


def load_nlp_engine(model: str | Path | None = None) -> RuSpacyNlpEngine:
    engine = RuSpacyNlpEngine(model)
    engine.load()
    return engine
