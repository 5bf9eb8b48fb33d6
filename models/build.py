"""Rebuild models/ru_pdscan: the Russian spaCy pipeline Presidio loads by path.

A ``spacy.blank("ru")`` tokenizer plus spaCy's Russian lemmatizer in "pymorphy3" mode, so
Presidio's lemma-based context words ("паспорт" matches "паспорта", "рождение" matches
"рождения") work for every recognizer. No statistical component: the pipeline is a few
kilobytes, needs only the pymorphy3 wheel and downloads nothing at run time. Names,
addresses and birth dates come from recognizers/{names,address,birthdate}.py instead of an
NER model (pymorphy3 grammemes are ~20x faster than natasha/slovnet and catch initials and
ALL CAPS, which slovnet misses).

Usage: python models/build.py [OUTPUT_DIR]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import spacy

NAME = "ru_pdscan"
VERSION = "0.1.0"
DEFAULT_DIR = Path(__file__).resolve().parent / NAME


def build(out: Path = DEFAULT_DIR) -> Path:
    nlp = spacy.blank("ru")
    # Without a tagger both "pymorphy3" modes fall back to the same look-up: a word whose
    # pymorphy3 parses share one normal form gets it as its lemma.
    nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    nlp.initialize()
    nlp.meta.update(
        {
            "name": NAME,
            "version": VERSION,
            "description": "pdscan: spaCy blank('ru') tokenizer + pymorphy3 lemmatizer, for Presidio context words",
            "author": "pdscan",
            "license": "Apache-2.0",
        }
    )
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    return out


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR)
    print(path)
