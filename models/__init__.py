"""The Russian NLP pipeline pdscan ships: models/ru_pdscan, loaded by path (no download).

``analyzer_engine()`` gives a stock Presidio AnalyzerEngine for language "ru" on this
pipeline, with pdscan's PERSON / LOCATION / DATE_OF_BIRTH recognizers registered.
"""

from __future__ import annotations

from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "ru_pdscan"


def nlp_configuration() -> dict:
    """Presidio NlpEngineProvider configuration that loads models/ru_pdscan by path."""
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "ru", "model_name": str(MODEL_PATH)}],
        # The pipeline has no NER: these labels never occur; pdscan's recognizers find entities.
        "ner_model_configuration": {
            "labels_to_ignore": ["O"],
            "model_to_presidio_entity_mapping": {"PER": "PERSON"},
        },
    }


def analyzer_engine(pdscan_recognizers: bool = True):
    """A stock Presidio AnalyzerEngine for "ru" on models/ru_pdscan (loaded by path), holding
    pdscan's identifier recognizers and PERSON / LOCATION / DATE_OF_BIRTH."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration()).create_engine()
    registry = RecognizerRegistry(supported_languages=["ru"])
    if pdscan_recognizers:
        from recognizers import identifier_recognizers
        from recognizers.address import RuAddressRecognizer
        from recognizers.birthdate import RuBirthDateRecognizer
        from recognizers.names import RuPersonRecognizer

        for rec in [
            *identifier_recognizers(),
            RuPersonRecognizer(),
            RuAddressRecognizer(),
            RuBirthDateRecognizer(),
        ]:
            registry.add_recognizer(rec)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["ru"])
