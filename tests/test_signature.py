"""Issue 3, item 6: a letter whose only personal data is an own-staff signature is reported with a
low score, not as a leak; a letter to a resident is personal data."""

from __future__ import annotations

import json
import subprocess

LETTER = (
    "ООО «УК Восток»\nИНН 2536123456 КПП 253601001 ОГРН 1022500000000\n\n"
    "Исх. № 15 от 12.03.2024\n\nНаправляем Вам акт сверки взаимных расчетов за третий квартал.\n\n"
    "С уважением,\nДиректор ООО «УК Восток» ____________ Данейкина О.Н.\n"
)
RESIDENT = "Уважаемая Петрова Анна Сергеевна!\nСообщаем, что заявка № 15 выполнена.\n"


def test_signature_only_letter_is_low_score_and_not_personal_data(tmp_path, pdscan_cmd):
    (tmp_path / "letter.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "resident.txt").write_text(RESIDENT, encoding="utf-8")
    proc = subprocess.run(
        [*pdscan_cmd, "scan", str(tmp_path), "--format", "jsonl", "--no-store", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    records = [json.loads(x) for x in proc.stdout.splitlines()]
    people = {(r["path"].rsplit("/", 1)[-1], r["score"]) for r in records if r["type"] == "finding"}
    assert people == {("letter.txt", 0.3), ("resident.txt", max(s for p, s in people if p == "resident.txt"))}
    assert max(s for p, s in people if p == "resident.txt") >= 0.5
    assert records[-1]["files_with_pd"] == 1
