"""Plain text: encodings, and tab-separated tables pasted into text keep their header as context."""

from __future__ import annotations

import pytest

from pdscan.extract import ExtractContext, Limits, extract

TEXT = "Реестр собственников\nФИО\tСерия\tНомер\nСобственник 1\t0506\t123456\nСобственник 2\t0507\t654321\nИтого: 2"


def _chunks(data: bytes, name: str = "a.txt"):
    ct, chunks = extract(data, ExtractContext(limits=Limits(), name=name))
    return ct, list(chunks)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1251", "koi8-r"])
def test_encodings_decode_to_the_same_text(encoding):
    body = "Паспорт гражданина Российской Федерации выдан отделом УФМС России по Приморскому краю. " * 3
    ct, chunks = _chunks(body.encode(encoding))
    assert ct == "text/plain"
    assert "".join(c.text for c in chunks) == body


def test_tab_table_rows_carry_the_header_and_their_line_numbers():
    ct, chunks = _chunks(TEXT.encode())
    rows = [(c.text, c.context, c.line) for c in chunks]
    assert rows == [
        ("Реестр собственников", "", 1),
        ("ФИО\tСерия\tНомер", "", 2),
        ("Собственник 1\t0506\t123456", "ФИО\tСерия\tНомер", 3),
        ("Собственник 2\t0507\t654321", "ФИО\tСерия\tНомер", 4),
        ("Итого: 2", "", 5),
    ]


def test_text_without_tabs_is_one_chunk_per_block():
    ct, chunks = _chunks(("строка текста\n" * 100).encode())
    assert len(chunks) == 1 and chunks[0].line == 1 and chunks[0].text.count("\n") == 100
