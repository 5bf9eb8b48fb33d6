"""The fast Detector: aggregation, locations, fingerprints, masking, persons, the plug-in hook,
and precision / recall on generated realistic texts."""

from __future__ import annotations

import collections
import random
import re

import pytest

from pdscan.detect import SCORE_THRESHOLD, Detector, DetectResult
from pdscan.fingerprint import fingerprint
from pdscan.model import Chunk, Detection
from tests.synth_pd import document, requisites_document
from tests.test_recognizers import SNILS, SNILS2, snils

KEY = b"test-key"


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(key=KEY)


def test_scan_aggregates_per_value_with_first_location(det):
    text = "шапка\nпаспорт 0506 123456\nещё строка\nповторно паспорт 0506 123456\nпаспорт 0507 654321\n"
    result = det.scan([Chunk(text=text, location="", line=10)])
    assert isinstance(result, DetectResult)
    by_fp = {f.fingerprint: f for f in result.findings}
    assert len(by_fp) == 2
    first = by_fp[fingerprint("RU_PASSPORT", "0506123456", KEY)]
    assert (first.entity, first.count, first.location, first.member) == ("RU_PASSPORT", 2, "line 11", None)
    assert first.score >= SCORE_THRESHOLD
    second = by_fp[fingerprint("RU_PASSPORT", "0507654321", KEY)]
    assert (second.count, second.location) == (1, "line 14")
    assert result.persons == 2


def test_scan_locations_and_members(det):
    chunks = [
        Chunk(text="0506\t123456", location="sheet Лист1!B4", context="Серия\tНомер"),
        Chunk(text="паспорт 0506 123456", location="paragraph 3", member="a.zip!/b.docx"),
        Chunk(text="паспорт 0506 123456", location="paragraph 9", member="a.zip!/b.docx"),
    ]
    found = {(f.member, f.location, f.count) for f in det.scan(chunks).findings}
    assert found == {(None, "sheet Лист1!B4", 1), ("a.zip!/b.docx", "paragraph 3", 2)}


def test_masked_reveals_at_most_four_characters(det):
    text = (
        f"СНИЛС {SNILS}, тел. +7 914 123-45-67, e-mail ivan.petrov@mail.ru, "
        "военный билет АБ 1234567, загранпаспорт 75 1234567"
    )
    findings = det.scan([Chunk(text=text, location="x")]).findings
    assert {f.entity for f in findings} == {
        "RU_SNILS",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "RU_MILITARY_ID",
        "RU_FOREIGN_PASSPORT",
    }
    for f in findings:
        visible = re.sub(r"\*", "", f.masked)
        assert len(visible) <= 4, f.masked
        assert f.masked.endswith(visible)
        # no raw value anywhere in the finding
        assert SNILS not in repr(f) and "1234567" not in f.masked and "petrov" not in repr(f)


def test_persons_counts_distinct_people(det):
    text = f"СНИЛС {SNILS}; СНИЛС {SNILS2}; СНИЛС {SNILS}; паспорт 0506 123456"
    assert det.scan([Chunk(text=text, location="")]).persons == 2
    assert det.scan([Chunk(text="тел. +7 914 123-45-67", location="")]).persons == 1
    assert det.scan([Chunk(text="ничего личного", location="")]) == DetectResult([], 0)


def test_entities_filter():
    only = Detector(entities={"RU_SNILS"}, key=KEY)
    text = f"СНИЛС {SNILS}, паспорт 0506 123456, тел. +7 914 123-45-67"
    assert [f.entity for f in only.scan([Chunk(text=text, location="")]).findings] == ["RU_SNILS"]


def test_extra_detector_hook():
    def persons(chunk: Chunk) -> list[Detection]:
        i = chunk.text.find("Иванов")
        return [Detection("PERSON", i, i + 6, "иванов", 0.9)] if i >= 0 else []

    d = Detector(key=KEY, extra=[persons])
    result = d.scan([Chunk(text="Иванов, паспорт 0506 123456", location="p1")])
    got = {f.entity: f for f in result.findings}
    assert set(got) == {"PERSON", "RU_PASSPORT"}
    assert got["PERSON"].fingerprint == fingerprint("PERSON", "иванов", KEY)
    assert got["PERSON"].masked == "****ов"
    # the hook obeys the entities filter too
    d2 = Detector(key=KEY, extra=[persons], entities={"RU_PASSPORT"})
    assert {f.entity for f in d2.scan([Chunk(text="Иванов, паспорт 0506 123456", location="")]).findings} == {
        "RU_PASSPORT"
    }


def test_ner_plugins_load_by_name(monkeypatch, tmp_path):
    import sys

    import pdscan.detect as detect_mod

    (tmp_path / "fake_ner_plugin.py").write_text(
        "from pdscan.model import Detection\n"
        "ENTITY = 'PERSON'\n"
        "def mask(v):\n    return 'P.' + '*' * 3\n"
        "def count_persons(ds):\n    return 7\n"
        "def detect_chunk(chunk):\n"
        "    return [Detection('PERSON', 0, 3, 'abc', 0.9)] if chunk.text.startswith('abc') else []\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(detect_mod.NER_PLUGINS, "test", ("fake_ner_plugin:detect_chunk", "no_such_module:x"))
    d = Detector(key=KEY, ner="test")
    result = d.scan([Chunk(text="abc def", location="")])
    assert [(f.entity, f.masked) for f in result.findings] == [("PERSON", "P.***")]
    assert result.persons == 7
    sys.modules.pop("fake_ner_plugin", None)
    assert Detector(key=KEY, ner="off").scan([Chunk(text="abc", location="")]).findings == []


def test_no_digit_no_at_chunk_is_cheap_and_empty(det):
    assert det.detect(Chunk(text="Просто текст без цифр и собак. " * 1000, location="")) == []


def test_precision_recall_on_generated_documents(det):
    """≥ 0.95 precision and recall per entity on realistic generated documents (paragraphs, table rows
    with a header, letterheads, invoices, accounts and other hard negatives)."""
    rng = random.Random(20261125)
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for _ in range(150):
        chunks, labels = document(rng)
        got = {(d.entity, d.normalized) for c in chunks for d in det.detect(c)}
        for e, _ in labels & got:
            tp[e] += 1
        for e, _ in got - labels:
            fp[e] += 1
        for e, _ in labels - got:
            fn[e] += 1
    entities = set(tp) | set(fn)
    assert len(entities) == 10
    for e in entities:
        precision = tp[e] / (tp[e] + fp[e])
        recall = tp[e] / (tp[e] + fn[e])
        assert precision >= 0.95 and recall >= 0.95, (e, precision, recall, tp[e], fp[e], fn[e])
    assert not set(fp) - entities


def test_zero_findings_in_company_requisites_only_documents(det):
    rng = random.Random(7)
    for _ in range(100):
        text = requisites_document(rng)
        assert det.scan([Chunk(text=text, location="", line=1)]).findings == [], text


def test_snils_helper_matches_published_example():
    # the published example: 112-233-445 95
    assert snils("112233445") == "11223344595"


def test_extra_detections_get_line_numbers_and_threshold():
    def extra(chunk: Chunk) -> list[Detection]:
        out = []
        for word, score in (("Иванов", 0.9), ("Петров", 0.3)):
            i = chunk.text.find(word)
            if i >= 0:
                out.append(Detection("PERSON", i, i + len(word), word.lower(), score))
        return out

    d = Detector(key=KEY, extra=[extra])
    text = "строка\nпаспорт 0506 123456\nещё\nИванов\nПетров"
    found = {f.entity: f.location for f in d.scan([Chunk(text=text, location="", line=5)]).findings}
    assert found == {"RU_PASSPORT": "line 6", "PERSON": "line 8"}  # Петров (0.3) is below the threshold
